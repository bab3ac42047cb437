//! HP Live Network on the restored Core (B55): the restore brings the site's connection back
//! with the connector installed with 7.90; the configuration is checked before anything is
//! fetched; a full update replaces every content item and reports it.

mod after_core_support;

use after_core_support::*;
use hpca_reference::livenetwork::{self, Changes, ConnectorChoice, ConnectorPolicy};
use hpca_reference::{paths, Host, Role, Version, WinPath};

#[test]
fn the_restore_brings_back_the_sites_connection_with_the_790_connector_b55() {
    let (_dir, core) = restored_core(Version::V750, CONFIGURED);
    let c = livenetwork::configuration(&core).unwrap();
    assert!(
        c.url.starts_with("https://") && c.user.contains('@') && c.password_set,
        "{c:?}"
    );
    assert_eq!(c.connector, livenetwork::installed_connector().to_string());
    let checked = livenetwork::check(&core, ConnectorPolicy::InstalledWithHpca).unwrap();
    assert!(checked.installed_with_hpca);
    assert_eq!(checked.connector_version, "7.90");
    // The old content came back with the restore, fetched by the old connector.
    assert!(checked
        .content
        .iter()
        .all(|i| i.version.is_some() && i.connector.as_deref() == Some("7.50")));
    assert!(!livenetwork::content_current(&core).unwrap());
}

#[test]
fn a_full_update_replaces_every_content_item_and_reports_it_b55() {
    let (_dir, mut core) = restored_core(Version::V720, CONFIGURED);
    let before = livenetwork::check(&core, ConnectorPolicy::InstalledWithHpca).unwrap();
    // 7.20's subscription had no compliance benchmarks: the 7.90 one does.
    assert!(before.content.iter().any(|i| i.version.is_none()));
    let clock = core.now();
    let out = livenetwork::update(&mut core, ConnectorPolicy::InstalledWithHpca).unwrap();
    assert_eq!(out.updated.len(), livenetwork::CONTENT.len());
    assert!(out.updated.iter().all(|u| u.from.as_ref() != Some(&u.to)));
    assert!(core.now() > clock);
    assert!(livenetwork::content_current(&core).unwrap());
    let core = Host::open(core.root()).unwrap();
    let html = core.read_to_string(&paths::live_network_report()).unwrap();
    assert!(html.contains("replaced all 3 content item(s)"), "{html}");
    assert!(html.contains("new in the 7.90 subscription"), "{html}");
    let site_password = "{AES}";
    assert!(
        !html.contains(site_password),
        "the report shows the stored password"
    );
    assert!(core.exists(&out.json_path));
}

#[test]
fn an_unconfigured_connection_is_refused_naming_the_way_out_b55() {
    let (_dir, core) = restored_core(Version::V780, UNCONFIGURED);
    let root = core.root().to_path_buf();
    drop(core);
    let message = assert_refused(&root, "live-network-not-configured", |h| {
        livenetwork::update(h, ConnectorPolicy::InstalledWithHpca)
    });
    assert!(message.contains("no Live Network URL is set"), "{message}");
    assert!(message.contains("Configuration > Infrastructure Management > Live Network"));
    let mut core = Host::open(&root).unwrap();
    livenetwork::configure(
        &mut core,
        &Changes {
            url: Some("https://hpln.hp.com/content".into()),
            ..Changes::default()
        },
    )
    .unwrap();
    drop(core);
    let message = assert_refused(&root, "live-network-not-configured", |h| {
        livenetwork::update(h, ConnectorPolicy::InstalledWithHpca)
    });
    assert!(
        message.contains("HP Passport user and password"),
        "{message}"
    );
    let mut core = Host::open(&root).unwrap();
    let c = livenetwork::configure(
        &mut core,
        &Changes {
            user: Some("ops@corp.example.com".into()),
            password: Some("Hpln-2010".into()),
            ..Changes::default()
        },
    )
    .unwrap();
    assert!(c.password_set);
    livenetwork::update(&mut core, ConnectorPolicy::InstalledWithHpca).unwrap();
}

#[test]
fn a_connector_other_than_the_installed_one_is_refused_unless_support_directs_it_b55() {
    let (_dir, mut core) = restored_core(Version::V780, CONFIGURED);
    let foreign = WinPath::parse(r"D:\HPLN\hpln-connector.jar").unwrap();
    livenetwork::configure(
        &mut core,
        &Changes {
            connector: Some(ConnectorChoice::At(foreign.clone())),
            ..Changes::default()
        },
    )
    .unwrap();
    let root = core.root().to_path_buf();
    drop(core);
    let message = assert_refused(&root, "live-network-foreign-connector", |h| {
        livenetwork::check(h, ConnectorPolicy::InstalledWithHpca)
    });
    assert!(
        message.contains(r"D:\HPLN\hpln-connector.jar")
            && message.contains("--connector-by-support")
    );
    let message = assert_refused(&root, "live-network-connector-missing", |h| {
        livenetwork::update(h, ConnectorPolicy::DirectedBySupport)
    });
    assert!(message.contains("is not on this server"), "{message}");
    let mut core = Host::open(&root).unwrap();
    core.write(&foreign, b"support build\r\n").unwrap();
    let out = livenetwork::update(&mut core, ConnectorPolicy::DirectedBySupport).unwrap();
    assert_eq!(out.checked.connector_version, "unknown");
    assert!(out
        .report
        .entries
        .iter()
        .any(|e| e.message.contains("support engineer directed")));
}

#[test]
fn live_network_waits_for_the_restored_core_and_is_the_cores_job_b55_b63() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("core");
    drop(upgraded(&root, Version::V750, Role::Core, CONFIGURED, 3));
    let message = assert_refused(&root, "core-not-upgraded", |h| {
        livenetwork::update(h, ConnectorPolicy::InstalledWithHpca)
    });
    assert!(
        message.contains("before updating its Live Network content"),
        "{message}"
    );
    let sat = dir.path().join("sat");
    drop(restored(
        &sat,
        Version::V750,
        Role::Satellite,
        CONFIGURED,
        3,
    ));
    assert_refused(&sat, "core-only", |h| {
        livenetwork::update(h, ConnectorPolicy::InstalledWithHpca)
    });
}
