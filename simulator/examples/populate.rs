//! Fabricates a reporting database on a fresh host, for measuring speed and memory:
//! `cargo run --release -p hpca-simulator --example populate -- DIR DEVICES [VERSION] [DEFECTS]`
//! (run it under `/usr/bin/time -v` for the peak memory).

use hpca_reference::host::{Drive, Dsn, Firewall, HostState, Registry};
use hpca_reference::{DatabaseServer, Host, Role, Version};
use hpca_simulator::reportdb::{populate_counted, DefectPlan, ReportDbSpec};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .first()
        .ok_or("usage: populate DIR DEVICES [VERSION] [DEFECTS]")?;
    let devices: u32 = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(1000);
    let version: Version = args
        .get(2)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(Version::V750);
    let defects: DefectPlan = args
        .get(3)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or_default();
    let state = HostState {
        hostname: "HPCA01".into(),
        clock: 1_290_000_000,
        drives: [(
            'C',
            Drive {
                capacity: 1 << 40,
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
    let mut host = Host::create(std::path::Path::new(dir), state)?;
    let spec = ReportDbSpec {
        version,
        role: Role::Core,
        devices,
        seed: 1,
        defects,
    };
    // Wall time here is for the operator's eyes only; nothing fabricated depends on it.
    let start = Instant::now();
    let (ledger, rows) = populate_counted(&mut host, &spec)?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{rows} rows in {secs:.1} s = {:.0} rows/s; {} defects; database uses {} bytes of C:",
        rows as f64 / secs,
        ledger.defects.len(),
        host.used('C')?
    );
    Ok(())
}
