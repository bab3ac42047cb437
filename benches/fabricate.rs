//! Rows per second of fabricating a reporting database into SQLite (target: 300,000 rows/s
//! on a 2-core machine). `cargo bench --bench fabricate`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use hpca_reference::host::{Drive, Dsn, Firewall, HostState, Registry};
use hpca_reference::{DatabaseServer, Host, Role, Version};
use hpca_simulator::reportdb::{populate_counted, DefectPlan, ReportDbSpec};
use std::path::Path;

const DEVICES: u32 = 300;

fn host(root: &Path) -> Host {
    let state = HostState {
        hostname: "HPCA01".into(),
        clock: 1_290_000_000,
        drives: [(
            'C',
            Drive {
                capacity: 1 << 36,
                read_only: false,
                label: "System".into(),
            },
        )]
        .into(),
        registry: Registry {
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
        services: Default::default(),
        firewall: Firewall::default(),
        users: vec![],
        media: None,
        database_server: DatabaseServer::Sqlite,
    };
    Host::create(root, state).expect("a fresh host")
}

fn spec(version: Version) -> ReportDbSpec {
    ReportDbSpec {
        version,
        role: Role::Core,
        devices: DEVICES,
        seed: 1,
        defects: DefectPlan::none(),
    }
}

fn fabricate(c: &mut Criterion) {
    let mut group = c.benchmark_group("fabricate");
    group.sample_size(10);
    for version in [Version::V750, Version::V780] {
        // The row count is a function of the seed: measure it once for the throughput.
        let dir = tempfile::tempdir().expect("temp dir");
        let (_, rows) =
            populate_counted(&mut host(&dir.path().join("h")), &spec(version)).expect("populate");
        group.throughput(Throughput::Elements(rows));
        group.bench_function(format!("{version} {DEVICES} devices"), |b| {
            b.iter_batched(
                || {
                    let dir = tempfile::tempdir().expect("temp dir");
                    let host = host(&dir.path().join("h"));
                    (dir, host)
                },
                |(dir, mut host)| {
                    populate_counted(&mut host, &spec(version)).expect("populate");
                    drop(dir);
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, fabricate);
criterion_main!(benches);
