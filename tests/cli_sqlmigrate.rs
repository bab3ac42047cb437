//! `hpcasim sqlmigrate` and `hpcasim service` as an operator types them (B40, B41, B42, B45).

use assert_cmd::Command;
use hpca_reference::host::{Drive, Dsn, Firewall, HostState, InstalledProduct, Registry, Service};
use hpca_reference::{paths, DatabaseServer, Edition, Host, Role, Version};
use hpca_simulator::reportdb::{populate, DefectPlan, ReportDbSpec};
use predicates::str::contains;

fn host(dir: &std::path::Path, core_running: bool) -> std::path::PathBuf {
    let service = |running: bool| Service {
        running,
        image: paths::install_dir().child("svc.exe"),
    };
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
                database: r"C:\Data\HPCA.sqlite".into(),
                user: "sa".into(),
                password: "secret".into(),
            }),
            ..Registry::default()
        },
        services: [
            ("HPCA Core".to_string(), service(core_running)),
            ("HPCA Messaging Server".to_string(), service(true)),
        ]
        .into(),
        firewall: Firewall::default(),
        users: vec![],
        media: None,
        database_server: DatabaseServer::Sqlite,
    };
    let root = dir.join("lab");
    let mut host = Host::create(&root, state).unwrap();
    let spec = ReportDbSpec {
        version: Version::V750,
        role: Role::Core,
        devices: 2,
        seed: 3,
        defects: DefectPlan {
            orphans: 0.02,
            duplicates: 0.0,
            nulls: 0.0,
        },
    };
    populate(&mut host, &spec).unwrap();
    root
}

fn hpcasim() -> Command {
    Command::cargo_bin("hpcasim").unwrap()
}

#[test]
fn cli_refuses_while_core_runs_then_migrates_after_stop_b41_b42() {
    let dir = tempfile::tempdir().unwrap();
    let lab = host(dir.path(), true);
    hpcasim()
        .args(["sqlmigrate", "C", "--host"])
        .arg(&lab)
        .assert()
        .code(1)
        .stderr(contains("HPCA Core service is running"))
        .stderr(contains("hpcasim service stop"));
    hpcasim()
        .args(["service", "stop", "hpca core", "--host"])
        .arg(&lab)
        .assert()
        .success()
        .stdout(contains("The HPCA Core service stopped."));
    hpcasim()
        .args(["sqlmigrate", "c:", "--host"])
        .arg(&lab)
        .assert()
        .success()
        .stdout(contains(r"C:\HPCABackup\SQLMigrate"))
        .stdout(contains("refused by the 7.90 schema"))
        .stdout(contains(r"\errors"));
    // Migrated: the tables carry the 7.90 keys now (B40).
    hpcasim()
        .args(["sqlmigrate", "C", "--host"])
        .arg(&lab)
        .assert()
        .success()
        .stdout(contains("not needed"));
}

#[test]
fn cli_manual_steps_and_usage_errors_b45() {
    let dir = tempfile::tempdir().unwrap();
    let lab = host(dir.path(), false);
    hpcasim()
        .args(["sqlmigrate", "C", "--manual", "import", "--host"])
        .arg(&lab)
        .assert()
        .code(1)
        .stderr(contains("--manual export"));
    for step in ["export", "drop", "recreate", "import"] {
        hpcasim()
            .args(["sqlmigrate", "C", "--manual", step, "--host"])
            .arg(&lab)
            .assert()
            .success();
    }
    hpcasim()
        .args(["sqlmigrate", "CD", "--host"])
        .arg(&lab)
        .assert()
        .code(2);
    hpcasim()
        .args(["service", "stop", "No Such Service", "--host"])
        .arg(&lab)
        .assert()
        .code(1)
        .stderr(contains("HPCA Messaging Server"));
}
