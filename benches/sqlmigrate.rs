//! sqlmigrate's throughput beside the engine copying the same rows itself (`INSERT INTO ...
//! SELECT` into the 7.90 tables, one transaction): the ceiling a set-based copy reaches.
//! The engine copy runs twice: `engine_copy` checks the 7.90 primary keys only (the issue's
//! reference), `engine_copy_checked` also enforces the 7.90 foreign keys, as sqlmigrate's
//! import must (a row whose parent is missing is an integrity failure, B43).
//! All start each iteration from a fresh copy of one fabricated 7.50 database, at two sizes:
//! 40 devices (58 thousand rows, a few hundred a table, where the fixed cost of each of the
//! 151 tables weighs most) and 400 devices (580 thousand rows, where the cost of each row
//! does, as in the databases that take hours). `cargo bench --bench sqlmigrate`; compare the
//! rows/s figures of each size.
//!
//! They are measured one after the other, so a machine whose speed drifts (a shared virtual
//! machine) can skew their ratios; after criterion's figures the bench therefore also prints
//! the ratios measured on interleaved rounds (engine copy, checked engine copy, then
//! sqlmigrate, on fresh copies of the same database), whose medians such drift barely moves.
//! `HPCASIM_BENCH_DEVICES=10000` (or a list, `40,2000`) measures other sizes; at 10,000
//! devices (14 million rows) an iteration takes about a minute and a copy two gigabytes.
//!
//! The hosts live on a RAM disk (`/dev/shm`) where there is one, or in `HPCASIM_BENCH_DIR`
//! when it is set: sqlmigrate creates a file per table (its exports) and the engine copy none,
//! so on a disk whose file creation is slow (seen on this project's CI machines: a third of a
//! millisecond per file) the comparison measures the file system more than the migration.
//! Run with `HPCASIM_BENCH_DIR=/tmp` to measure on disk.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use hpca_reference::db::schema;
use hpca_reference::db::sqlite::{create_sql, quote, SqliteDb};
use hpca_reference::fault::Crash;
use hpca_reference::host::{Drive, Dsn, Firewall, HostState, InstalledProduct, Registry, Service};
use hpca_reference::sqlmigrate::{sqlmigrate, Options};
use hpca_reference::{paths, DatabaseServer, Edition, Host, Role, Version, WinPath};
use hpca_simulator::reportdb::{populate_counted, DefectPlan, ReportDbSpec};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The sizes measured, in managed devices (about 1,450 rows each).
const SIZES: [u32; 2] = [40, 400];
const DB_FILE: &str = r"C:\Data\HPCA.sqlite";

fn state() -> HostState {
    HostState {
        hostname: "BENCH".into(),
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
                database: DB_FILE.into(),
                user: "sa".into(),
                password: "secret".into(),
            }),
            ..Registry::default()
        },
        services: [(
            "HPCA Core".to_string(),
            Service {
                running: false,
                image: paths::install_dir().child("nvdkit.exe"),
            },
        )]
        .into(),
        firewall: Firewall::default(),
        users: vec![],
        media: None,
        database_server: DatabaseServer::Sqlite,
    }
}

fn copy_dir(from: &Path, to: &Path) {
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

/// How the engine copy treats the 7.90 foreign keys.
#[derive(Clone, Copy)]
enum Keys {
    /// Left out: the copy checks primary keys only (the issue's reference figure).
    Unchecked,
    /// Kept and enforced, as sqlmigrate's import must: each twin's foreign keys point at
    /// its parent's twin (or at the parent itself when that is no Appendix A table), and
    /// tables are copied parents first, in sqlmigrate's import order.
    Checked,
}

/// The engine's own copy: each Appendix A table into a 7.90-keyed twin, rows that break the
/// keys skipped, all in one transaction.
fn engine_copy(root: &Path, keys: Keys) {
    let host = Host::open(root).unwrap();
    let real = host.real_path(&WinPath::parse(DB_FILE).unwrap()).unwrap();
    let mut db = SqliteDb::open_file(&real, None).unwrap();
    let conn = db.connection().unwrap();
    let exists = |name: &str| {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            > 0
    };
    let copied: Vec<&str> = schema::appendix_a()
        .iter()
        .filter(|name| schema::table(Version::V790, name).is_some() && exists(name))
        .copied()
        .collect();
    let foreign_keys = match keys {
        Keys::Unchecked => "OFF",
        Keys::Checked => "ON",
    };
    conn.execute_batch(&format!("PRAGMA foreign_keys = {foreign_keys}; BEGIN"))
        .unwrap();
    for &name in copied.iter().rev() {
        let mut def = schema::table(Version::V790, name).expect("filtered above");
        def.name = format!("{name}_copy");
        match keys {
            Keys::Unchecked => def.foreign_keys.clear(),
            Keys::Checked => {
                for key in &mut def.foreign_keys {
                    if copied.iter().any(|c| c.eq_ignore_ascii_case(&key.parent)) {
                        key.parent = format!("{}_copy", key.parent);
                    }
                }
            }
        }
        conn.execute_batch(&create_sql(&def)).unwrap();
        conn.execute_batch(&format!(
            "INSERT OR IGNORE INTO {} SELECT * FROM {}",
            quote(&def.name),
            quote(name)
        ))
        .unwrap();
    }
    conn.execute_batch("COMMIT").unwrap();
}

/// Where the benchmark's hosts live (see the module doc).
fn bench_dir() -> tempfile::TempDir {
    let base = match std::env::var_os("HPCASIM_BENCH_DIR") {
        Some(dir) => PathBuf::from(dir),
        None if Path::new("/dev/shm").is_dir() => PathBuf::from("/dev/shm"),
        None => std::env::temp_dir(),
    };
    eprintln!("sqlmigrate bench: hosts in {}", base.display());
    tempfile::tempdir_in(base).unwrap()
}

fn bench(c: &mut Criterion) {
    let dir = bench_dir();
    for devices in sizes() {
        bench_size(c, dir.path(), devices);
    }
}

/// [`SIZES`], or the device counts `HPCASIM_BENCH_DEVICES` lists (`2000` or `40,2000`).
fn sizes() -> Vec<u32> {
    match std::env::var("HPCASIM_BENCH_DEVICES") {
        Ok(list) => list
            .split(',')
            .map(|n| {
                n.trim().parse().unwrap_or_else(|_| {
                    panic!("HPCASIM_BENCH_DEVICES: '{n}' is not a device count")
                })
            })
            .collect(),
        Err(_) => SIZES.to_vec(),
    }
}

fn bench_size(c: &mut Criterion, dir: &Path, devices: u32) {
    let fixture = dir.join(format!("fixture-{devices}"));
    let mut host = Host::create(&fixture, state()).unwrap();
    let spec = ReportDbSpec {
        version: Version::V750,
        role: Role::Core,
        devices,
        seed: 1,
        defects: DefectPlan::none(),
    };
    let (_, rows) = populate_counted(&mut host, &spec).unwrap();
    drop(host);
    let mut n = 0u64;
    let mut case = || -> Case {
        n += 1;
        let to = dir.join(format!("case-{devices}-{n}"));
        copy_dir(&fixture, &to);
        Case(to)
    };
    let mut group = c.benchmark_group(format!("sqlmigrate/{devices} devices"));
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows));
    group.bench_function("sqlmigrate", |b| {
        b.iter_batched(&mut case, run_sqlmigrate, BatchSize::PerIteration)
    });
    group.bench_function("engine_copy", |b| {
        b.iter_batched(&mut case, run_engine_copy, BatchSize::PerIteration)
    });
    group.bench_function("engine_copy_checked", |b| {
        b.iter_batched(&mut case, run_engine_copy_checked, BatchSize::PerIteration)
    });
    group.finish();
    // `cargo bench` passes --bench; a test run (`cargo test --benches`) only checks that
    // each routine runs.
    if std::env::args().any(|a| a == "--bench") {
        interleaved(devices, rows, &mut case);
    }
}

/// A fresh copy of the fixture, removed once measured (criterion drops a routine's output
/// outside the timing): hundreds of megabytes a copy must not pile up in memory.
struct Case(PathBuf);

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run_sqlmigrate(case: Case) -> Case {
    let mut host = Host::open(&case.0).unwrap();
    sqlmigrate(
        &mut host,
        'C',
        &Options::default(),
        &Crash::never(),
        &mut |_| {},
    )
    .unwrap();
    case
}

fn run_engine_copy(case: Case) -> Case {
    engine_copy(&case.0, Keys::Unchecked);
    case
}

fn run_engine_copy_checked(case: Case) -> Case {
    engine_copy(&case.0, Keys::Checked);
    case
}

/// Rounds of the engine copy (unchecked, then checked) and sqlmigrate, measured back to
/// back; prints sqlmigrate's rows/s over each copy's, as the median of the rounds' ratios.
fn interleaved(devices: u32, rows: u64, case: &mut dyn FnMut() -> Case) {
    const ROUNDS: usize = 7;
    let timed = |run: fn(Case) -> Case, case: Case| {
        let start = Instant::now();
        let case = run(case);
        let took = start.elapsed();
        drop(case);
        took.as_secs_f64()
    };
    let mut unchecked = Vec::with_capacity(ROUNDS);
    let mut checked = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let engine = timed(run_engine_copy, case());
        let engine_checked = timed(run_engine_copy_checked, case());
        let ours = timed(run_sqlmigrate, case());
        unchecked.push((engine / ours, engine, ours));
        checked.push((engine_checked / ours, engine_checked, ours));
    }
    let per_second = |seconds: f64| rows as f64 / seconds / 1000.0;
    for (name, mut rounds) in [("engine_copy", unchecked), ("engine_copy_checked", checked)] {
        rounds.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (ratio, engine, ours) = rounds[ROUNDS / 2];
        println!(
            "sqlmigrate/{devices} devices: {rows} rows; sqlmigrate / {name} rows/s over {ROUNDS} interleaved rounds: median {ratio:.2}x ({:.0}k vs {:.0}k rows/s), min {:.2}x, max {:.2}x",
            per_second(ours),
            per_second(engine),
            rounds[0].0,
            rounds[ROUNDS - 1].0
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
