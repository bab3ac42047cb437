//! The 7.90 installer, the wizard and the reboot through the public API (B20-B26).

mod common;

use common::{fabricate, Spec};
use hpca_reference::backup;
use hpca_reference::fault::Crash;
use hpca_reference::host::WizardState;
use hpca_reference::install;
use hpca_reference::reboot;
use hpca_reference::report::Level;
use hpca_reference::upgrade::{self, BackupPolicy, Confirmation, FirewallOffer, UpgradeOptions};
use hpca_reference::{paths, preconditions, Error, Host, Role, Version};
use std::path::Path;

fn options() -> UpgradeOptions {
    UpgradeOptions {
        from: paths::migrate_copy(),
        backup: BackupPolicy::Require,
        firewall: FirewallOffer::Decline,
    }
}

fn stock_790_settings(host: &Host, module: &str, role: Role) -> bool {
    let c = install::component(module).unwrap();
    install::config_files(module, Version::V790, role)
        .iter()
        .all(|f| {
            let path = paths::install_dir()
                .join(c.folder)
                .unwrap()
                .join(f.path)
                .unwrap();
            install::parse_settings(&host.read_to_string(&path).unwrap()).unwrap() == f.settings
        })
}

#[test]
fn every_version_and_role_ends_at_790_with_the_database_intact_b20_b21_b24_b25_b26() {
    for version in Version::SOURCES {
        for role in Role::ALL {
            let dir = tempfile::tempdir().unwrap();
            let mut host = fabricate(&dir.path().join("h"), &Spec::new(version, role));
            let dsn = host.state().registry.dsn.clone();
            let db_before = (role == Role::Core).then(|| common::database_digests(&host));
            let db_bytes = host.read(&common::database_file()).ok();

            backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap();
            let out = upgrade::upgrade(&mut host, &options(), Confirmation::Confirmed).unwrap();
            assert_eq!(out.from_version, version);
            let reg = &host.state().registry;
            assert!(reg.reboot_required, "{version} {role}");
            assert!(out.pending > 0 && reg.pending_file_operations.len() == out.pending);
            assert_eq!(reg.first_time_setup, WizardState::Offered);
            assert_eq!(reg.product.as_ref().unwrap().version, Version::V790);
            // Any later step refuses until the reboot.
            let err = preconditions::require_no_pending_reboot(&host).unwrap_err();
            assert!(matches!(err, Error::RebootPending { .. }));

            let booted = reboot::reboot(&mut host).unwrap();
            assert_eq!(booted.applied.len(), out.pending);
            let reg = &host.state().registry;
            assert!(!reg.reboot_required && reg.pending_file_operations.is_empty());
            preconditions::require_no_pending_reboot(&host).unwrap();

            // 7.90 everywhere, the database and its DSN untouched (B21).
            let product = reg.product.as_ref().unwrap();
            assert_eq!((product.version, product.role), (Version::V790, role));
            assert_eq!(reg.dsn, dsn);
            assert_eq!(host.read(&common::database_file()).ok(), db_bytes);
            if let Some(before) = db_before {
                assert_eq!(common::database_digests(&host), before);
            }
            // The Administrator is upgraded with the Core (B26).
            let admin = (role == Role::Core).then_some(Version::V790);
            assert_eq!(reg.administrator, admin);
            let services: Vec<_> = host.state().services.keys().map(String::as_str).collect();
            assert_eq!(services, install::services(Version::V790, role));
            assert!(host
                .state()
                .services
                .values()
                .all(|s| s.running && host.exists(&s.image)));
            // Stock 7.90 settings: the site's come back with the restore.
            assert!(stock_790_settings(&host, "console", role));
            assert!(stock_790_settings(&host, "rms", role));
            // No staged file and no old library is left after the reboot.
            let files = host.walk(&paths::install_dir()).unwrap();
            assert!(!files
                .iter()
                .any(|f| f.path.to_string().ends_with(".hpca790")));
            for f in files
                .iter()
                .filter(|f| f.path.to_string().ends_with(".dll"))
            {
                assert!(
                    host.read_to_string(&f.path)
                        .unwrap()
                        .starts_with("HPCA 7.90"),
                    "{}",
                    f.path
                );
            }
            // The uninstall leaves no empty folders behind.
            let real = host.real_path(&paths::install_dir()).unwrap();
            let empty: Vec<_> = common::snapshot(&real)
                .into_iter()
                .filter(|(p, bytes)| {
                    bytes.is_none() && std::fs::read_dir(real.join(p)).unwrap().next().is_none()
                })
                .collect();
            assert!(empty.is_empty(), "{version} {role}: {empty:?}");
            // The firewall offer was declined (B23).
            assert!(host.state().firewall.open_ports.is_empty());
            // The backup is still there for the restore.
            assert!(backup::manifest::read(&host, 'C').unwrap().is_some());
        }
    }
}

fn lab(spec: Spec) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("h");
    fabricate(&root, &spec);
    (dir, root)
}

fn refused(root: &Path, options: &UpgradeOptions, answer: Confirmation) -> Error {
    let before = common::snapshot(root);
    let mut host = Host::open(root).unwrap();
    let err = upgrade::upgrade(&mut host, options, answer).unwrap_err();
    assert_eq!(
        common::snapshot(root),
        before,
        "a refusal changed the host: {err}"
    );
    err
}

#[test]
fn upgrade_refuses_without_a_complete_backup_b7_b20() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    let err = refused(&root, &options(), Confirmation::Confirmed);
    assert!(matches!(err, Error::NoCompleteBackup { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("hpcasim backup") && text.contains(r"C:\HPCABackup\HPCABackup"));
}

#[test]
fn upgrade_refuses_a_declined_confirmation_b20() {
    let (_d, root) = lab(Spec::new(Version::V780, Role::Satellite));
    backup::backup(
        &mut Host::open(&root).unwrap(),
        'D',
        &paths::migrate_copy(),
        &Crash::never(),
    )
    .unwrap();
    let err = refused(&root, &options(), Confirmation::Declined);
    assert!(matches!(err, Error::NotConfirmed { .. }), "{err}");
}

#[test]
fn upgrade_refuses_a_moved_backup_b13() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    {
        let mut host = Host::open(&root).unwrap();
        backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap();
        host.move_across_drives(&paths::backup_dir('C'), &paths::backup_dir('D'))
            .unwrap();
        host.save().unwrap();
    }
    let err = refused(&root, &options(), Confirmation::Confirmed);
    assert!(matches!(err, Error::NoCompleteBackup { .. }), "{err}");
}

#[test]
fn upgrade_refuses_with_a_reboot_pending_b25() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    {
        let mut host = Host::open(&root).unwrap();
        backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap();
        upgrade::upgrade(&mut host, &options(), Confirmation::Confirmed).unwrap();
    }
    let err = refused(&root, &options(), Confirmation::Confirmed);
    assert!(matches!(err, Error::RebootPending { .. }), "{err}");
    let before = common::snapshot(&root);
    let mut host = Host::open(&root).unwrap();
    let err = upgrade::run_wizard(&mut host, &paths::migrate_copy()).unwrap_err();
    assert!(matches!(err, Error::RebootPending { .. }), "{err}");
    let err = backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap_err();
    assert!(matches!(err, Error::RebootPending { .. }), "{err}");
    assert_eq!(common::snapshot(&root), before);
}

#[test]
fn upgrade_refuses_sql_server_2000_and_the_media_folder_b2_b3() {
    let mut spec = Spec::new(Version::V720, Role::Core);
    spec.database_server = hpca_reference::DatabaseServer::SqlServer2000;
    let (_d, root) = lab(spec);
    let err = refused(&root, &options(), Confirmation::Confirmed);
    assert!(matches!(err, Error::UnsupportedSqlServer { .. }), "{err}");
    let (_e, root) = lab(Spec::new(Version::V720, Role::Core));
    let mut from_media = options();
    from_media.from = paths::media_migrate('E');
    let err = refused(&root, &from_media, Confirmation::Confirmed);
    assert!(matches!(err, Error::RunFromMedia { .. }), "{err}");
}

#[test]
fn upgrade_without_backup_loses_the_old_settings_and_csdb_b20() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    let mut host = Host::open(&root).unwrap();
    let csdb = paths::install_dir()
        .join(r"ConfigurationServer\DB\PRIMARY\PRIMARY.edm")
        .unwrap();
    assert!(host.exists(&csdb));
    let mut opts = options();
    opts.backup = BackupPolicy::WithoutBackup;
    let out = upgrade::upgrade(&mut host, &opts, Confirmation::Confirmed).unwrap();
    assert!(!host.exists(&csdb), "the old CSDB is gone");
    assert!(!host.exists(&paths::backup_dir('C')));
    let console = host
        .read_to_string(
            &paths::install_dir()
                .join(r"tomcat\conf\console.cfg")
                .unwrap(),
        )
        .unwrap();
    assert!(
        !console.contains("dc01.corp"),
        "site setting lost: {console}"
    );
    assert!(out.report.entries.iter().any(|e| e.level == Level::Error));
    // The reporting database is kept even so (B21).
    assert_eq!(common::database_digests(&host).len(), 2);
}

#[test]
fn upgrade_accepting_the_firewall_offer_opens_both_ports_with_a_warning_b23() {
    let (_d, root) = lab(Spec::new(Version::V780, Role::Core));
    let mut host = Host::open(&root).unwrap();
    backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap();
    let mut opts = options();
    opts.firewall = FirewallOffer::Accept;
    let out = upgrade::upgrade(&mut host, &opts, Confirmation::Confirmed).unwrap();
    let open: Vec<u16> = host.state().firewall.open_ports.iter().copied().collect();
    assert_eq!(
        open,
        vec![install::CONFIGURATION_SERVER_PORT, install::WEB_PORT]
    );
    assert!(out
        .report
        .entries
        .iter()
        .any(|e| e.level == Level::Warning && e.message.contains("3466")));
}

#[test]
fn upgrade_leaves_a_720_boot_server_and_reports_it_b22() {
    let mut spec = Spec::new(Version::V720, Role::Core);
    spec.boot_server = true;
    let (_d, root) = lab(spec);
    let mut host = Host::open(&root).unwrap();
    let custom = common::boot_server_dir()
        .join(r"X86PC\UNDI\linux-boot\default.cfg")
        .unwrap();
    let before = host.read(&custom).unwrap();
    backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap();
    let out = upgrade::upgrade(&mut host, &options(), Confirmation::Confirmed).unwrap();
    reboot::reboot(&mut host).unwrap();
    assert_eq!(host.read(&custom).unwrap(), before);
    assert!(host.state().registry.boot_server.is_some());
    assert!(out
        .report
        .entries
        .iter()
        .any(|e| e.level == Level::ActionRequired
            && e.module.as_deref() == Some("rbs")
            && e.message.contains("default.cfg")));
}

#[test]
fn running_the_wizard_overwrites_settings_and_is_recorded_b24() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    let mut host = Host::open(&root).unwrap();
    let err = upgrade::run_wizard(&mut host, &paths::migrate_copy()).unwrap_err();
    assert!(matches!(err, Error::WizardNotOffered { .. }), "{err}");
    backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap();
    upgrade::upgrade(&mut host, &options(), Confirmation::Confirmed).unwrap();
    reboot::reboot(&mut host).unwrap();
    let out = upgrade::run_wizard(&mut host, &paths::migrate_copy()).unwrap();
    assert_eq!(host.state().registry.first_time_setup, WizardState::Run);
    assert!(out
        .overwritten
        .iter()
        .any(|p| p.to_string().ends_with(r"conf\console.cfg")));
    assert!(!stock_790_settings(&host, "console", Role::Core));
    assert!(host.exists(&out.report_path) && host.exists(&out.json_path));
    let err = upgrade::run_wizard(&mut host, &paths::migrate_copy()).unwrap_err();
    assert!(err.to_string().contains("already been run"), "{err}");
}

#[test]
fn upgrade_and_wizard_reports_hold_no_password() {
    let (_d, root) = lab(Spec::new(Version::V720, Role::Core));
    let mut host = Host::open(&root).unwrap();
    backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap();
    let out = upgrade::upgrade(&mut host, &options(), Confirmation::Confirmed).unwrap();
    reboot::reboot(&mut host).unwrap();
    upgrade::run_wizard(&mut host, &paths::migrate_copy()).unwrap();
    assert!(host
        .read_to_string(&out.report_path)
        .unwrap()
        .contains("PWD=********"));
    let leaks: Vec<_> = common::files_containing(&root, common::DSN_PASSWORD)
        .into_iter()
        .filter(|p| p != Path::new("host.json"))
        .collect();
    assert!(leaks.is_empty(), "{leaks:?}");
}

#[test]
fn backup_upgrade_reboot_is_byte_identical_for_the_same_fixture() {
    let run = |name: &str| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(name);
        let mut host = fabricate(&root, &Spec::new(Version::V720, Role::Satellite));
        backup::backup(&mut host, 'D', &paths::migrate_copy(), &Crash::never()).unwrap();
        upgrade::upgrade(&mut host, &options(), Confirmation::Confirmed).unwrap();
        reboot::reboot(&mut host).unwrap();
        (dir, common::snapshot(&root))
    };
    let (_a, one) = run("a");
    let (_b, two) = run("b");
    assert_eq!(one, two);
}

#[test]
fn installer_report_snapshot_720_core_with_boot_server_b22_b23_b26() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = Spec::new(Version::V720, Role::Core);
    spec.boot_server = true;
    let mut host = fabricate(&dir.path().join("h"), &spec);
    backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap();
    let out = upgrade::upgrade(&mut host, &options(), Confirmation::Confirmed).unwrap();
    let json = hpca_reference::report::render_json(&out.report);
    insta::with_settings!({snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots")}, {
        insta::assert_snapshot!("installer_report_720_core_json", json);
    });
}

#[test]
fn installer_warns_about_ports_already_open_even_when_declining_b4_b23() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Satellite));
    let mut host = Host::open(&root).unwrap();
    host.state_mut()
        .firewall
        .open_ports
        .insert(install::CONFIGURATION_SERVER_PORT);
    backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap();
    let out = upgrade::upgrade(&mut host, &options(), Confirmation::Confirmed).unwrap();
    assert!(out.report.entries.iter().any(|e| e.level == Level::Warning
        && e.message.contains("already open")
        && e.message.contains("3464")));
    let open: Vec<u16> = host.state().firewall.open_ports.iter().copied().collect();
    assert_eq!(
        open,
        vec![install::CONFIGURATION_SERVER_PORT],
        "declining opens nothing"
    );
}

#[test]
fn upgrade_refuses_a_backup_without_its_manifest_b7() {
    let (_d, root) = lab(Spec::new(Version::V780, Role::Core));
    {
        let mut host = Host::open(&root).unwrap();
        backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap();
        // An interrupted backup: everything but the manifest, which is written last.
        host.remove_file(&backup::manifest::manifest_path('C'))
            .unwrap();
        host.save().unwrap();
    }
    let err = refused(&root, &options(), Confirmation::Confirmed);
    assert!(matches!(err, Error::NoCompleteBackup { .. }), "{err}");
}
