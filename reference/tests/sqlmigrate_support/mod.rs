//! Shared fixture of the sqlmigrate tests: a Core upgraded to 7.90 (rebooted, Core service
//! stopped) whose reporting database the fabricator filled with a 7.20/7.50 schema and
//! recorded defects, and helpers to read back what sqlmigrate left.
#![allow(dead_code)] // each test file uses its own part of the fixture

use hpca_reference::db::digest::{table_digest, TableDigest};
use hpca_reference::host::{Drive, Dsn, Firewall, HostState, InstalledProduct, Registry, Service};
use hpca_reference::{paths, DatabaseServer, Edition, Host, Role, Version, WinPath};
use hpca_simulator::reportdb::{populate, DefectLedger, DefectPlan, ReportDbSpec};
use std::collections::BTreeMap;

/// A 7.90 Core whose database has `version`'s schema, `devices` devices and the defects.
pub fn core_790(
    dir: &std::path::Path,
    version: Version,
    devices: u32,
    defects: DefectPlan,
) -> (Host, DefectLedger) {
    let service = |running: bool, exe: &str| Service {
        running,
        image: paths::install_dir().child(exe),
    };
    let state = HostState {
        hostname: "HPCA01".into(),
        clock: 1_290_000_000,
        drives: [
            (
                'C',
                Drive {
                    capacity: 1 << 34,
                    read_only: false,
                    label: "System".into(),
                },
            ),
            (
                'D',
                Drive {
                    capacity: 1 << 34,
                    read_only: false,
                    label: "Data".into(),
                },
            ),
        ]
        .into(),
        registry: Registry {
            product: Some(InstalledProduct {
                name: "HP Client Automation".into(),
                edition: Edition::Enterprise,
                version: Version::V790,
                role: Role::Core,
                install_dir: paths::install_dir(),
                installed_size: 1 << 30,
                core_host: None,
            }),
            dsn: Some(Dsn {
                name: "HPCA".into(),
                driver: "SQLite3 ODBC Driver".into(),
                server: String::new(),
                database: r"C:\Program Files\Microsoft SQL Server\MSSQL.1\MSSQL\Data\HPCA.sqlite"
                    .into(),
                user: "sa".into(),
                password: "secret".into(),
            }),
            ..Registry::default()
        },
        services: [
            ("HPCA Core".to_string(), service(false, "nvdkit.exe")),
            (
                "HPCA Messaging Server".to_string(),
                service(true, "msgsvr.exe"),
            ),
        ]
        .into(),
        firewall: Firewall::default(),
        users: vec![],
        media: None,
        database_server: DatabaseServer::Sqlite,
    };
    let mut host = Host::create(&dir.join("host"), state).unwrap();
    let spec = ReportDbSpec {
        version,
        role: Role::Core,
        devices,
        seed: 7,
        defects,
    };
    let ledger = populate(&mut host, &spec).unwrap();
    (host, ledger)
}

/// Defects of every kind, at rates a tiny database still shows.
pub fn some_defects() -> DefectPlan {
    DefectPlan {
        orphans: 0.02,
        duplicates: 0.02,
        nulls: 0.01,
    }
}

/// Every table's definition, row count and digest.
pub fn db_dump(host: &Host) -> BTreeMap<String, (String, TableDigest)> {
    let mut db = hpca_reference::db::open(host).unwrap().unwrap();
    let mut out = BTreeMap::new();
    for name in db.table_names().unwrap() {
        let def = db.describe(&name).unwrap().unwrap();
        let digest = table_digest(db.as_mut(), &name).unwrap();
        out.insert(name, (format!("{def:?}"), digest));
    }
    out
}

/// Every file below `folder` (relative name -> bytes), the progress journal aside (it names
/// the run's mode; see [`journal`]).
pub fn files(host: &Host, folder: &WinPath) -> BTreeMap<String, Vec<u8>> {
    host.walk(folder)
        .unwrap()
        .into_iter()
        .filter(|f| f.path.file_name() != Some(hpca_reference::sqlmigrate::state::STATE_FILE))
        .map(|f| {
            let rel = f.path.strip_prefix(folder).unwrap().join("\\");
            (rel, host.read(&f.path).unwrap())
        })
        .collect()
}

/// The progress journal of `folder`, as text.
pub fn journal(host: &Host, folder: &WinPath) -> String {
    host.read_to_string(&folder.child(hpca_reference::sqlmigrate::state::STATE_FILE))
        .unwrap()
}

/// Copies a host folder (a fixture made once, used by many cases).
pub fn copy_host(from: &std::path::Path, to: &std::path::Path) -> Host {
    copy_dir(from, to);
    Host::open(to).unwrap()
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
