//! A fabricated install, checked through the public API: tree, services, registry, CSDB,
//! users, media, and the refusals.

use hpca_reference::csdb::{self, customizations, stock_schema};
use hpca_reference::{install, paths, Error, Host, Role, Version, WinPath};
use hpca_simulator::{DriveLayout, Fabricate, MigrateCopy};
use std::path::Path;

fn small(version: Version, role: Role) -> Fabricate {
    Fabricate::new(version, role).devices(3)
}

fn p(s: &str) -> WinPath {
    WinPath::parse(s).unwrap()
}

#[test]
fn all_six_versions_and_roles_fabricate_with_their_components_and_services() {
    for version in Version::SOURCES {
        for role in Role::ALL {
            let dir = tempfile::tempdir().unwrap();
            let host = small(version, role).run(&dir.path().join("h")).unwrap();
            let product = host.state().registry.product.clone().unwrap();
            assert_eq!((product.version, product.role), (version, role));
            assert_eq!(product.install_dir, paths::install_dir());
            for component in install::components(version, role) {
                let folder = paths::install_dir().join(component.folder).unwrap();
                assert!(host.is_dir(&folder), "{version} {role}: no {folder}");
                for file in install::config_files(component.module, version, role) {
                    let text = host
                        .read_to_string(&folder.join(file.path).unwrap())
                        .unwrap();
                    let settings = install::parse_settings(&text).unwrap();
                    // Every stock key is there; site values may differ from the stock ones.
                    for (section, keys) in &file.settings {
                        for key in keys.keys() {
                            assert!(settings[section].contains_key(key), "{section}.{key}");
                        }
                    }
                }
            }
            let services: Vec<&str> = host.state().services.keys().map(String::as_str).collect();
            assert_eq!(
                services,
                install::services(version, role),
                "{version} {role}"
            );
            for (name, service) in &host.state().services {
                assert!(service.running, "{name} stopped");
                assert!(
                    host.exists(&service.image),
                    "{name}: {} missing",
                    service.image
                );
            }
            let ports: Vec<u16> = host.state().firewall.open_ports.iter().copied().collect();
            assert_eq!(
                ports,
                [install::CONFIGURATION_SERVER_PORT, install::WEB_PORT]
            );
        }
    }
}

#[test]
fn installed_size_is_the_bytes_under_the_install_folder_b10() {
    let dir = tempfile::tempdir().unwrap();
    let host = small(Version::V750, Role::Core)
        .run(&dir.path().join("h"))
        .unwrap();
    let under: u64 = host
        .walk(&paths::install_dir())
        .unwrap()
        .iter()
        .map(|f| f.size)
        .sum();
    assert_eq!(
        host.state()
            .registry
            .product
            .as_ref()
            .unwrap()
            .installed_size,
        under
    );
    // Scale multiplies the product's bytes: backup's estimate grows with it.
    let dir2 = tempfile::tempdir().unwrap();
    let mut big = small(Version::V750, Role::Core);
    big.scale = 4;
    let big = big.run(&dir2.path().join("h")).unwrap();
    let big_size = big
        .state()
        .registry
        .product
        .as_ref()
        .unwrap()
        .installed_size;
    assert!(big_size > 3 * under, "{big_size} vs {under}");
}

#[test]
fn a_core_has_a_dsn_and_administrator_and_a_satellite_its_core_and_proxy_cache() {
    let dir = tempfile::tempdir().unwrap();
    let core = small(Version::V780, Role::Core)
        .run(&dir.path().join("core"))
        .unwrap();
    let dsn = core.state().registry.dsn.clone().unwrap();
    assert_eq!(dsn.driver, "SQLite3 ODBC Driver");
    assert!(p(&dsn.database).starts_with(&paths::sql_data_dir()));
    assert!(!dsn.password.is_empty());
    assert_eq!(core.state().registry.administrator, Some(Version::V780));
    assert_eq!(
        core.state().registry.product.as_ref().unwrap().core_host,
        None
    );

    let sat = small(Version::V780, Role::Satellite)
        .run(&dir.path().join("sat"))
        .unwrap();
    assert_eq!(sat.state().registry.dsn, None);
    assert_eq!(sat.state().registry.administrator, None);
    let core_host = sat
        .state()
        .registry
        .product
        .as_ref()
        .unwrap()
        .core_host
        .clone()
        .unwrap();
    let cfg = sat
        .read_to_string(&p(
            r"C:\Program Files\Hewlett-Packard\HPCA\Satellite\etc\hpca.cfg",
        ))
        .unwrap();
    assert_eq!(
        install::parse_settings(&cfg).unwrap()["sync"]["core_host"],
        core_host
    );
    let cache = sat
        .walk(&p(
            r"C:\Program Files\Hewlett-Packard\HPCA\ProxyServer\data\cache",
        ))
        .unwrap();
    assert!(cache.len() >= 3, "{cache:?}");
}

#[test]
fn csdb_customizations_are_recorded_and_found_against_the_stock_schema_b31() {
    let dir = tempfile::tempdir().unwrap();
    for (version, count) in [(Version::V720, 0), (Version::V750, 5), (Version::V780, 12)] {
        let mut spec = small(version, Role::Core);
        spec.csdb_customizations = count;
        let host = spec.run(&dir.path().join(version.as_str())).unwrap();
        let recorded = hpca_simulator::csdb::recorded(&host).unwrap();
        assert_eq!(recorded.len(), count);
        let found = csdb::read_schema(&host, &paths::csdb_dir()).unwrap();
        assert_eq!(
            customizations(&stock_schema(version), &found),
            recorded,
            "{version}"
        );
        // Every class has its base instance.
        let instances =
            csdb::read_instances(&host, &paths::csdb_dir(), "SOFTWARE", "ZSERVICE").unwrap();
        assert!(instances.iter().any(|i| i.name == "_BASE_INSTANCE_"));
    }
}

#[test]
fn a_720_boot_server_lives_apart_with_its_customizations_b22() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = small(Version::V720, Role::Core);
    spec.boot_server = true;
    let host = spec.run(&dir.path().join("h")).unwrap();
    let boot = host.state().registry.boot_server.clone().unwrap();
    assert_eq!(boot.install_dir, paths::boot_server_720_dir());
    assert!(!boot.install_dir.starts_with(&paths::install_dir()));
    assert!(!boot.customizations.is_empty());
    for file in &boot.customizations {
        let text = host
            .read_to_string(&boot.install_dir.join(file).unwrap())
            .unwrap();
        assert!(text.contains("customized"), "{file}: {text}");
    }
    // The integrated rbs component does not exist on 7.20.
    assert!(!host.exists(&paths::install_dir().child("BootServer")));
}

#[test]
fn a_separate_boot_server_is_refused_on_750_and_780_and_nothing_is_created_b22() {
    for version in [Version::V750, Version::V780] {
        let dir = tempfile::tempdir().unwrap();
        let mut spec = small(version, Role::Core);
        spec.boot_server = true;
        let out = dir.path().join("h");
        let err = spec.run(&out).unwrap_err();
        assert!(matches!(err, Error::BootServerIntegrated { .. }), "{err}");
        assert!(err.to_string().contains("7.20"), "{err}");
        assert!(!out.exists());
    }
}

#[test]
fn console_users_are_admin_plus_the_requested_ones_of_that_version_b6() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = small(Version::V720, Role::Core);
    spec.users = 5;
    let host = spec.run(&dir.path().join("h")).unwrap();
    let users = &host.state().users;
    assert_eq!(users.len(), 6);
    assert_eq!(users[0].name, "admin");
    assert!(users.iter().all(|u| u.created_in == Version::V720));
}

#[test]
fn the_790_media_is_read_only_and_its_migrate_folder_copied_to_c_b3() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = small(Version::V750, Role::Core)
        .run(&dir.path().join("h"))
        .unwrap();
    let media = host.state().media.clone().unwrap();
    assert_eq!((media.drive, media.version), ('E', Version::V790));
    let on_media = paths::media_migrate('E').child("hpcabackup.cmd");
    assert!(host.exists(&on_media));
    assert!(host.exists(&p(r"E:\Media\admin\default\win32\HPCA-Admin.msi")));
    let err = host.write(&on_media, b"x").unwrap_err();
    assert!(
        matches!(err, Error::ReadOnlyDrive { drive: 'E', .. }),
        "{err}"
    );
    let copy = paths::migrate_copy();
    assert_eq!(
        host.walk(&copy).unwrap().len(),
        host.walk(&paths::media_migrate('E')).unwrap().len()
    );
    assert!(host.exists(&copy.join(r"sql\sqlmigrate.cmd").unwrap()));

    let mut spec = small(Version::V750, Role::Core);
    spec.migrate_copy = MigrateCopy::NotCopied;
    spec.drives = "C=2G,D=8G,F=1G".parse::<DriveLayout>().unwrap();
    let host = spec.run(&dir.path().join("h2")).unwrap();
    assert!(!host.exists(&paths::migrate_copy()));
    assert_eq!(host.state().media.as_ref().unwrap().drive, 'G');
}

#[test]
fn a_non_empty_out_folder_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("h");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let err = small(Version::V750, Role::Core).run(&out).unwrap_err();
    assert!(matches!(err, Error::HostFolderNotEmpty { .. }), "{err}");
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["notes.txt"]);
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn an_install_that_does_not_fit_fails_as_drive_full_and_leaves_no_half_host() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("h");
    let mut spec = small(Version::V750, Role::Core);
    spec.drives = "C=64K,D=1G".parse().unwrap();
    let err = spec.run(&out).unwrap_err();
    assert!(matches!(err, Error::DriveFull { drive: 'C', .. }), "{err}");
    assert!(!out.exists());
    // An empty folder given as --out is emptied again, not removed.
    std::fs::create_dir(&out).unwrap();
    spec.run(&out).unwrap_err();
    assert!(out.is_dir() && std::fs::read_dir(&out).unwrap().next().is_none());
    assert!(Host::open(Path::new(&out)).is_err());
}

#[test]
fn the_dump_names_exactly_what_changed_on_a_fabricated_host() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = small(Version::V750, Role::Core)
        .run(&dir.path().join("h"))
        .unwrap();
    let before = hpca_reference::dump::dump(&host).unwrap();
    assert_eq!(before.differences(&before), Vec::<String>::new());
    let cfg = p(r"C:\Program Files\Hewlett-Packard\HPCA\MessagingServer\etc\rms.cfg");
    let text = host
        .read_to_string(&cfg)
        .unwrap()
        .replace("log_level = info", "log_level = debug");
    host.write(&cfg, text.as_bytes()).unwrap();
    host.state_mut()
        .services
        .get_mut(install::CORE_SERVICE)
        .unwrap()
        .running = false;
    let after = hpca_reference::dump::dump(&host).unwrap();
    let diff = before.differences(&after);
    let kinds: Vec<bool> = diff.iter().map(|l| l.starts_with('+')).collect();
    assert_eq!(diff.len(), 6, "{diff:#?}");
    assert_eq!(kinds.iter().filter(|added| **added).count(), 3, "{diff:#?}");
    assert!(diff
        .iter()
        .any(|l| l.contains(r"MessagingServer\etc\rms.cfg")));
    assert!(diff.iter().any(|l| l.starts_with("+ HPCA Core: stopped")));
    assert!(
        diff.iter().any(|l| l.starts_with("+ C: capacity=")),
        "C: usage grew by one byte"
    );
}

#[test]
fn a_core_reporting_database_is_in_the_dump_by_rows_and_its_file_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let core = small(Version::V750, Role::Core)
        .run(&dir.path().join("core"))
        .unwrap();
    let dumped = hpca_reference::dump::dump(&core).unwrap();
    assert_eq!(dumped.database.tables["Device"].rows, 3);
    assert!(dumped.database.tables.len() > 100);
    let db_file = p(&core.state().registry.dsn.as_ref().unwrap().database);
    assert!(core.exists(&db_file));
    assert!(dumped.files.iter().all(|f| f.path != db_file));
    // The database lives outside the install folder: the installed size does not count it.
    assert!(!db_file.starts_with(&paths::install_dir()));

    let sat = small(Version::V750, Role::Satellite)
        .run(&dir.path().join("sat"))
        .unwrap();
    assert!(hpca_reference::dump::dump(&sat)
        .unwrap()
        .database
        .tables
        .is_empty());
}

#[test]
fn defects_go_into_a_750_database_and_are_refused_for_780_b43() {
    use hpca_simulator::reportdb::{DefectKind, DefectLedger};
    let dir = tempfile::tempdir().unwrap();
    let mut spec = small(Version::V750, Role::Core);
    spec.defects = "orphans=0.02,duplicates=0.01".parse().unwrap();
    let host = spec.run(&dir.path().join("h")).unwrap();
    let ledger = DefectLedger::read(&host).unwrap();
    assert!(ledger.count(DefectKind::Orphan) > 0, "{ledger:?}");
    assert!(ledger.count(DefectKind::Duplicate) > 0, "{ledger:?}");
    assert_eq!(ledger.count(DefectKind::Null), 0);

    let mut spec = small(Version::V780, Role::Core);
    spec.defects = "nulls=0.01".parse().unwrap();
    let out = dir.path().join("h780");
    let err = spec.run(&out).unwrap_err();
    assert!(
        matches!(err, Error::DefectsNeedUnkeyedSchema { .. }),
        "{err}"
    );
    assert!(!out.exists());
}
