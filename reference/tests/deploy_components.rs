//! Upgrading what the Core deployed (B60, B61), only once the Core is upgraded and restored
//! (B63): agents in place by console, media or upgrade decks; an Administrator removed, then
//! 7.90's installed from the media or by HPCA_ADMINTOOLS; CCM_PUBLISHER refused.

mod after_core_support;

use after_core_support::*;
use hpca_reference::console::{self, RemoteAccess};
use hpca_reference::deploy::{self, Targets};
use hpca_reference::devices::{self, AdminMethod, AgentMethod, ManagedDevice};
use hpca_reference::{livenetwork, Host, Role, Version};

fn open_remote_access(core: &mut Host) {
    console::login(core, "admin", "secret", RemoteAccess::Open).unwrap();
}

/// Everything of a device but what an agent upgrade may change.
fn without_agent(d: &ManagedDevice) -> ManagedDevice {
    ManagedDevice {
        agent: Version::V790,
        agent_upgraded_by: None,
        ..d.clone()
    }
}

#[test]
fn agents_upgrade_in_place_from_the_console_b60() {
    let (_dir, mut core) = restored_core(Version::V750, CONFIGURED);
    open_remote_access(&mut core);
    let before = devices::read(&core).unwrap();
    assert_eq!(before.len(), 12);
    assert!(before.iter().all(|d| d.agent < Version::V790));
    let out = deploy::upgrade_agents(&mut core, &Targets::Outdated, AgentMethod::Console).unwrap();
    assert_eq!(out.upgraded.len(), 12);
    let after = devices::read(&Host::open(core.root()).unwrap()).unwrap();
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(new.agent, Version::V790);
        assert_eq!(new.agent_upgraded_by, Some(AgentMethod::Console));
        // In place: the device keeps everything else (no uninstall, no new entry).
        assert_eq!(without_agent(old), without_agent(new));
    }
    // Live Network was not updated first: said, not refused.
    assert!(
        out.notes.iter().any(|n| n.contains("Live Network")),
        "{:?}",
        out.notes
    );
    let again =
        deploy::upgrade_agents(&mut core, &Targets::Outdated, AgentMethod::Console).unwrap();
    assert!(again.upgraded.is_empty());
}

#[test]
fn agents_upgrade_from_the_media_without_remote_access_b60() {
    let (_dir, mut core) = restored_core(Version::V780, CONFIGURED);
    livenetwork::update(&mut core, livenetwork::ConnectorPolicy::InstalledWithHpca).unwrap();
    let name = devices::read(&core).unwrap()[0].name.clone();
    let out = deploy::upgrade_agents(
        &mut core,
        &Targets::Named(vec![name.to_ascii_lowercase()]),
        AgentMethod::Media,
    )
    .unwrap();
    assert_eq!(out.upgraded.len(), 1);
    assert!(out.notes.is_empty(), "{:?}", out.notes);
    let list = devices::read(&core).unwrap();
    assert_eq!(list[0].agent_upgraded_by, Some(AgentMethod::Media));
    assert!(list[1..].iter().all(|d| d.agent_upgraded_by.is_none()));
}

#[test]
fn upgrade_decks_need_port_3464_open_b60() {
    let (_dir, core) = restored_core(Version::V750, CONFIGURED);
    let root = core.root().to_path_buf();
    drop(core);
    let message = assert_refused(&root, "remote-access-closed", |h| {
        deploy::upgrade_agents(h, &Targets::Outdated, AgentMethod::Decks)
    });
    assert!(
        message.contains("by upgrade decks") && message.contains("port 3464"),
        "{message}"
    );
    let mut core = Host::open(&root).unwrap();
    open_remote_access(&mut core);
    let out = deploy::upgrade_agents(&mut core, &Targets::Outdated, AgentMethod::Decks).unwrap();
    assert!(out
        .upgraded
        .iter()
        .all(|u| u.from == Version::V750 || u.from == Version::V720));
}

#[test]
fn an_administrator_is_removed_then_790_installed_from_the_media_b61() {
    let (_dir, mut core) = restored_core(Version::V720, CONFIGURED);
    let before = devices::read(&core).unwrap();
    let admins: Vec<&ManagedDevice> = before
        .iter()
        .filter(|d| d.administrator.is_some())
        .collect();
    assert!(!admins.is_empty());
    let out =
        deploy::upgrade_administrators(&mut core, &Targets::Outdated, AdminMethod::Media).unwrap();
    assert_eq!(out.upgraded.len(), admins.len());
    assert!(out
        .upgraded
        .iter()
        .all(|u| u.removed == Some(Version::V720)));
    let after = devices::read(&core).unwrap();
    for d in after.iter().filter(|d| d.administrator.is_some()) {
        assert_eq!(d.administrator, Some(Version::V790));
        assert_eq!(d.administrator_installed_by, Some(AdminMethod::Media));
        assert!(d.services.is_empty());
    }
}

#[test]
fn admintools_deployed_from_the_console_installs_the_790_administrator_b61() {
    let (_dir, mut core) = restored_core(Version::V780, CONFIGURED);
    open_remote_access(&mut core);
    let out = deploy::deploy_service(&mut core, "hpca_admintools", &Targets::Outdated).unwrap();
    assert_eq!(out.method, AdminMethod::Service);
    assert!(!out.upgraded.is_empty());
    let list = devices::read(&core).unwrap();
    for d in list.iter().filter(|d| d.administrator.is_some()) {
        assert_eq!(d.administrator_installed_by, Some(AdminMethod::Service));
        assert_eq!(d.services, vec![deploy::ADMIN_TOOLS_SERVICE.to_string()]);
    }
}

#[test]
fn ccm_publisher_is_not_deployed_in_790_b61() {
    let (_dir, core) = restored_core(Version::V750, CONFIGURED);
    let root = core.root().to_path_buf();
    drop(core);
    let message = assert_refused(&root, "legacy-service", |h| {
        deploy::deploy_service(h, "CCM_PUBLISHER", &Targets::Outdated)
    });
    assert!(
        message.contains("HPCA_ADMINTOOLS") && message.contains(r"\Media\admin\default\win32"),
        "{message}"
    );
    assert_refused(&root, "unknown-deploy-service", |h| {
        deploy::deploy_service(h, "HPCA_SOMETHING", &Targets::Outdated)
    });
}

#[test]
fn the_administrator_installs_on_named_windows_devices_only_b61() {
    let (_dir, core) = restored_core(Version::V750, CONFIGURED);
    let list = devices::read(&core).unwrap();
    let root = core.root().to_path_buf();
    drop(core);
    assert_refused(&root, "unknown-device", |h| {
        deploy::upgrade_administrators(
            h,
            &Targets::Named(vec!["NOPE01".into()]),
            AdminMethod::Media,
        )
    });
    if let Some(unix) = list
        .iter()
        .find(|d| d.platform != devices::Platform::Windows)
    {
        assert_refused(&root, "administrator-needs-windows", |h| {
            deploy::upgrade_administrators(
                h,
                &Targets::Named(vec![unix.name.clone()]),
                AdminMethod::Media,
            )
        });
    }
    let fresh = list
        .iter()
        .find(|d| d.administrator.is_none() && d.platform == devices::Platform::Windows)
        .unwrap();
    let mut core = Host::open(&root).unwrap();
    let out = deploy::upgrade_administrators(
        &mut core,
        &Targets::Named(vec![fresh.name.clone()]),
        AdminMethod::Media,
    )
    .unwrap();
    assert_eq!(out.upgraded[0].removed, None);
}

#[test]
fn nothing_deploys_before_the_core_is_upgraded_and_restored_b63() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    drop(fabricate(&old, Version::V750, Role::Core, CONFIGURED, 4));
    let message = assert_refused(&old, "core-not-upgraded", |h| {
        deploy::upgrade_agents(h, &Targets::Outdated, AgentMethod::Media)
    });
    assert!(message.contains("still runs HPCA 7.50"), "{message}");
    let upgraded_core = dir.path().join("upgraded");
    drop(upgraded(
        &upgraded_core,
        Version::V750,
        Role::Core,
        CONFIGURED,
        4,
    ));
    let message = assert_refused(&upgraded_core, "core-not-upgraded", |h| {
        deploy::upgrade_administrators(h, &Targets::Outdated, AdminMethod::Media)
    });
    assert!(
        message.contains("not rebooted and restored yet"),
        "{message}"
    );
    assert_refused(&upgraded_core, "core-not-upgraded", |h| {
        deploy::deploy_service(h, "CCM_PUBLISHER", &Targets::Outdated)
    });
    let sat = dir.path().join("sat");
    drop(restored(
        &sat,
        Version::V750,
        Role::Satellite,
        CONFIGURED,
        3,
    ));
    assert_refused(&sat, "core-only", |h| {
        deploy::upgrade_agents(h, &Targets::Outdated, AgentMethod::Media)
    });
}

#[test]
fn the_restore_brings_the_device_list_back_b60() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("core");
    let fabricated = devices::read(&fabricate(&root, Version::V780, Role::Core, 7, 9)).unwrap();
    assert_eq!(fabricated.len(), 9);
    std::fs::remove_dir_all(&root).unwrap();
    let upgraded_core = upgraded(&root, Version::V780, Role::Core, 7, 9);
    assert!(
        devices::read(&upgraded_core).unwrap().is_empty(),
        "the installer removed the old Core's data"
    );
    drop(upgraded_core);
    std::fs::remove_dir_all(&root).unwrap();
    let core = restored(&root, Version::V780, Role::Core, 7, 9);
    assert_eq!(devices::read(&core).unwrap(), fabricated);
}
