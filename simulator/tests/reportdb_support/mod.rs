//! A bare host with a SQLite DSN, for the reporting-database tests.
#![allow(dead_code)] // each test file uses its own part of this

use hpca_reference::db::sqlite::SqliteDb;
use hpca_reference::host::{Drive, Dsn, Firewall, HostState, Registry};
use hpca_reference::{DatabaseServer, Host, Role, Version};
use hpca_simulator::reportdb::{DefectPlan, ReportDbSpec};
use std::path::Path;

/// The DSN's database file.
pub const DB_FILE: &str = r"C:\Program Files\Microsoft SQL Server\MSSQL.1\MSSQL\Data\HPCA.sqlite";

/// A host with one roomy C: drive and, unless `satellite`, a SQLite DSN.
pub fn host(root: &Path, satellite: bool) -> Host {
    let state = HostState {
        hostname: "HPCA01".into(),
        clock: 1_290_000_000,
        drives: [(
            'C',
            Drive {
                capacity: 1 << 34,
                read_only: false,
                label: "System".into(),
            },
        )]
        .into(),
        registry: Registry {
            dsn: (!satellite).then(|| Dsn {
                name: "HPCA".into(),
                driver: "SQLite3 ODBC Driver".into(),
                server: String::new(),
                database: DB_FILE.into(),
                user: "sa".into(),
                password: "secret".into(),
            }),
            ..Registry::default()
        },
        services: Default::default(),
        firewall: Firewall::default(),
        users: vec![],
        media: None,
        database_server: DatabaseServer::Sqlite,
    };
    Host::create(root, state).unwrap()
}

/// A Core spec.
pub fn spec(version: Version, devices: u32, seed: u64, defects: &str) -> ReportDbSpec {
    ReportDbSpec {
        version,
        role: Role::Core,
        devices,
        seed,
        defects: defects.parse::<DefectPlan>().unwrap(),
    }
}

/// A fresh, empty SQLite database outside any host (the 7.90 side of an import).
pub fn scratch_db(dir: &Path, name: &str) -> SqliteDb {
    SqliteDb::open_file(&dir.join(name), None).unwrap()
}
