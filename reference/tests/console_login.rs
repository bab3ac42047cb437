//! The 7.90 console after the Core's migration (B50): admin logs in with the password the
//! migration set (B5), a 7.20 user without roles is refused (B6), and remote access (3466,
//! 3464) opens again only after a login on a restored server (B4).

mod after_core_support;

use after_core_support::*;
use hpca_reference::console::{self, PortsChange, RemoteAccess};
use hpca_reference::{service, Host, Role, Version};

#[test]
fn admin_logs_in_with_secret_and_opens_remote_access_again_b50_b5() {
    let (_dir, mut core) = restored_core(Version::V780, CONFIGURED);
    assert!(core.state().firewall.open_ports.is_empty());
    let out = console::login(&mut core, "admin", "secret", RemoteAccess::Open).unwrap();
    assert_eq!(out.url, format!("http://{}:3466", core.state().hostname));
    assert_eq!(out.roles, vec!["Administrators".to_string()]);
    assert_eq!(out.remote_access, PortsChange::Opened(vec![3466, 3464]));
    assert_eq!(out.open_ports, vec![3464, 3466]);
    assert!(
        out.notes.iter().any(|n| n.contains("change it now")),
        "{:?}",
        out.notes
    );
    let reopened = Host::open(core.root()).unwrap();
    assert_eq!(
        reopened
            .state()
            .firewall
            .open_ports
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        vec![3464, 3466]
    );
    let again = console::login(&mut core, "ADMIN", "secret", RemoteAccess::Open).unwrap();
    assert_eq!(again.remote_access, PortsChange::AlreadyOpen);
}

#[test]
fn a_login_without_opening_changes_nothing_and_says_remote_access_is_closed_b50() {
    let (_dir, mut core) = restored_core(Version::V780, CONFIGURED);
    let before = snapshot(core.root());
    let out = console::login(&mut core, "admin", "secret", RemoteAccess::Leave).unwrap();
    assert_eq!(out.remote_access, PortsChange::Left);
    assert!(out
        .notes
        .iter()
        .any(|n| n.contains("Remote access is still closed")));
    assert!(snapshot(core.root()) == before);
}

#[test]
fn a_720_user_without_roles_is_refused_with_the_reason_b6() {
    let (_dir, core) = restored_core(Version::V720, CONFIGURED);
    let user = core
        .state()
        .users
        .iter()
        .find(|u| u.name != "admin")
        .unwrap()
        .name
        .clone();
    let root = core.root().to_path_buf();
    drop(core);
    let message = assert_refused(&root, "login-refused", |h| {
        console::login(h, &user, "whatever", RemoteAccess::Leave)
    });
    assert!(
        message.contains(&user) && message.contains("created in HPCA 7.20"),
        "{message}"
    );
    assert!(message.contains("grant it roles again"), "{message}");
    // admin sees who is waiting for roles.
    let mut core = Host::open(&root).unwrap();
    let out = console::login(&mut core, "admin", "secret", RemoteAccess::Leave).unwrap();
    assert!(
        out.notes.iter().any(|n| n.contains(&user)),
        "{:?}",
        out.notes
    );
}

#[test]
fn wrong_passwords_and_unknown_users_are_refused_b5() {
    let (_dir, core) = restored_core(Version::V750, CONFIGURED);
    let root = core.root().to_path_buf();
    drop(core);
    let message = assert_refused(&root, "login-refused", |h| {
        console::login(h, "admin", "password", RemoteAccess::Open)
    });
    assert!(
        message.contains("wrong password") && message.contains("'secret'"),
        "{message}"
    );
    assert_refused(&root, "login-refused", |h| {
        console::login(h, "nobody", "secret", RemoteAccess::Leave)
    });
}

#[test]
fn opening_remote_access_before_the_restore_is_refused_b4_b50() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("core");
    drop(upgraded(&root, Version::V750, Role::Core, CONFIGURED, 5));
    let message = assert_refused(&root, "remote-access-before-restore", |h| {
        console::login(h, "admin", "secret", RemoteAccess::Open)
    });
    assert!(message.contains("until the restore is done"), "{message}");
    let message = assert_refused(&root, "console-not-ready", |h| {
        console::login(h, "admin", "secret", RemoteAccess::Leave)
    });
    assert!(message.contains("restore has not finished"), "{message}");
}

#[test]
fn the_console_of_an_old_install_or_a_stopped_core_does_not_answer_b50() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("old");
    drop(fabricate(&root, Version::V720, Role::Core, CONFIGURED, 3));
    let message = assert_refused(&root, "console-not-ready", |h| {
        console::login(h, "admin", "secret", RemoteAccess::Leave)
    });
    assert!(message.contains("still runs HPCA 7.20"), "{message}");
    let (_dir, mut core) = restored_core(Version::V750, CONFIGURED);
    service::stop(&mut core, "HPCA Core").unwrap();
    let root = core.root().to_path_buf();
    drop(core);
    let message = assert_refused(&root, "console-not-ready", |h| {
        console::login(h, "admin", "secret", RemoteAccess::Open)
    });
    assert!(
        message.contains("HPCA Core service is stopped"),
        "{message}"
    );
}

#[test]
fn a_restored_satellite_console_answers_admin_b50() {
    let dir = tempfile::tempdir().unwrap();
    let mut sat = restored(
        &dir.path().join("sat"),
        Version::V750,
        Role::Satellite,
        CONFIGURED,
        3,
    );
    let out = console::login(&mut sat, "admin", "secret", RemoteAccess::Open).unwrap();
    assert_eq!(out.open_ports, vec![3464, 3466]);
}
