//! Properties over drawn hosts (version, role, devices, customizations, defects, seed), through
//! the library flow fabricate -> backup -> upgrade -> reboot -> restore -> (Core) service stop
//! -> sqlmigrate:
//! - a crash at a drawn named point of backup, restore or sqlmigrate, then a rerun of that
//!   step, ends in the same full dump as the uninterrupted flow (B12, B33, B42);
//! - sqlmigrate loses no row: fabricated = kept + errors-file lines (B43);
//! - the same seed twice gives byte-identical dumps and reports.

use hpca_reference::dump::dump;
use hpca_reference::fault::Crash;
use hpca_reference::sqlmigrate::{self, Outcome};
use hpca_reference::upgrade::{self, BackupPolicy, Confirmation, FirewallOffer, UpgradeOptions};
use hpca_reference::{
    backup, paths, reboot, restore, service, Error, Host, Role, Version, WinPath,
};
use hpca_simulator::reportdb::DefectPlan;
use hpca_simulator::Fabricate;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// One drawn host.
#[derive(Debug, Clone)]
struct Case {
    version: Version,
    role: Role,
    devices: u32,
    customizations: usize,
    defects: bool,
    seed: u64,
}

impl Case {
    /// Whether the flow ends with a sqlmigrate that has work to do (7.20/7.50 Core).
    fn migrates(&self) -> bool {
        self.role == Role::Core && self.version != Version::V780
    }
}

fn cases() -> impl Strategy<Value = Case> {
    (
        prop_oneof![
            Just(Version::V720),
            Just(Version::V750),
            Just(Version::V780)
        ],
        prop_oneof![Just(Role::Core), Just(Role::Satellite)],
        1u32..=3,
        0usize..=2,
        any::<bool>(),
        0u64..1_000_000,
    )
        .prop_map(
            |(version, role, devices, customizations, defects, seed)| Case {
                version,
                role,
                devices,
                customizations,
                // Defects exist only in the unkeyed 7.20/7.50 reporting tables of a Core.
                defects: defects && role == Role::Core && version != Version::V780,
                seed,
            },
        )
}

/// Where to crash: a point of the backup, the restore or the sqlmigrate.
#[derive(Debug, Clone)]
enum CrashAt {
    Backup(String),
    Restore(String),
    Sqlmigrate(String),
}

/// What one flow leaves behind.
struct Run {
    /// `Dump::to_text()` at the end.
    text: String,
    /// The JSON dump at the end (host.json-derived state included).
    json: String,
    /// The report files of backup, upgrade and restore, by name, with their bytes.
    reports: BTreeMap<String, Vec<u8>>,
    backup_points: Vec<String>,
    restore_points: Vec<String>,
    sqlmigrate_points: Vec<String>,
    /// Rows per table right after fabrication.
    fabricated: BTreeMap<String, u64>,
    /// Rows per table at the end.
    end_rows: BTreeMap<String, u64>,
    /// Data lines of `errors\<table>.tsv` per table, when sqlmigrate migrated.
    error_lines: BTreeMap<String, u64>,
}

fn from() -> WinPath {
    paths::migrate_copy()
}

/// A RAM disk when there is one: hundreds of small SQLite commits cost nothing there.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        tempfile::Builder::new()
            .prefix("hpcasim-prop-")
            .tempdir_in(shm)
            .unwrap()
    } else {
        tempfile::tempdir().unwrap()
    }
}

fn keep(host: &Host, reports: &mut BTreeMap<String, Vec<u8>>, paths: &[&WinPath]) {
    for p in paths {
        let bytes = host.read(p).unwrap_or_else(|e| panic!("report {p}: {e}"));
        reports.insert(p.to_string(), bytes);
    }
}

fn rows(host: &Host) -> BTreeMap<String, u64> {
    dump(host)
        .unwrap()
        .database
        .tables
        .into_iter()
        .map(|(name, t)| (name, t.rows))
        .collect()
}

/// Runs the whole flow in `root`, crashing once where `crash` says, then rerunning that step.
fn flow(root: &Path, case: &Case, crash: Option<&CrashAt>) -> Run {
    let mut spec = Fabricate::new(case.version, case.role)
        .seed(case.seed)
        .devices(case.devices);
    spec.csdb_customizations = case.customizations;
    if case.defects {
        spec.defects = DefectPlan {
            orphans: 0.05,
            duplicates: 0.05,
            nulls: 0.03,
        };
    }
    let mut host = spec.run(root).expect("fabricate");
    let fabricated = rows(&host);
    let mut reports = BTreeMap::new();

    if let Some(CrashAt::Backup(point)) = crash {
        let err = backup::backup(&mut host, 'C', &from(), &Crash::at(point.clone())).unwrap_err();
        assert!(
            matches!(&err, Error::Crashed { point: p } if p == point),
            "backup crash at {point}: {err}"
        );
        host = Host::open(root).unwrap();
    }
    let recorder = Crash::never();
    let b = backup::backup(&mut host, 'C', &from(), &recorder).expect("backup");
    keep(&host, &mut reports, &[&b.report_path, &b.json_path]);
    let backup_points = recorder.passed();
    let options = UpgradeOptions {
        from: from(),
        backup: BackupPolicy::Require,
        firewall: FirewallOffer::Decline,
    };
    let u = upgrade::upgrade(&mut host, &options, Confirmation::Confirmed).expect("upgrade");
    keep(&host, &mut reports, &[&u.report_path, &u.json_path]);
    reboot::reboot(&mut host).expect("reboot");

    if let Some(CrashAt::Restore(point)) = crash {
        let err = restore::run(&mut host, 'C', &from(), &Crash::at(point.clone())).unwrap_err();
        assert!(
            matches!(&err, Error::Crashed { point: p } if p == point),
            "restore crash at {point}: {err}"
        );
        // The process died: the next run starts from what is on disk.
        host = Host::open(root).unwrap();
    }
    let recorder = Crash::never();
    let r = restore::run(&mut host, 'C', &from(), &recorder).expect("restore");
    keep(&host, &mut reports, &[&r.report_path, &r.json_path]);
    let restore_points = recorder.passed();

    let mut sqlmigrate_points = Vec::new();
    let mut error_lines = BTreeMap::new();
    if case.role == Role::Core {
        service::stop(&mut host, "HPCA Core").expect("service stop");
        let opts = sqlmigrate::Options { batch_rows: 7 };
        if let Some(CrashAt::Sqlmigrate(point)) = crash {
            let err = sqlmigrate::sqlmigrate(
                &mut host,
                'C',
                &opts,
                &Crash::at(point.clone()),
                &mut |_| {},
            )
            .unwrap_err();
            assert!(
                matches!(&err, Error::Crashed { point: p } if p == point),
                "sqlmigrate crash at {point}: {err}"
            );
            host = Host::open(root).unwrap();
        }
        let recorder = Crash::never();
        let out = sqlmigrate::sqlmigrate(&mut host, 'C', &opts, &recorder, &mut |_| {})
            .expect("sqlmigrate");
        sqlmigrate_points = recorder.passed();
        match out {
            Outcome::Migrated(summary) => {
                assert!(case.migrates(), "{case:?} migrated");
                for table in fabricated.keys() {
                    let file = summary
                        .folder
                        .child("errors")
                        .child(&format!("{table}.tsv"));
                    let lines = host.read(&file).map_or(0, |bytes| {
                        let n = bytes
                            .split(|b| *b == b'\n')
                            .filter(|l| !l.is_empty())
                            .count();
                        n.saturating_sub(1) as u64 // the header
                    });
                    error_lines.insert(table.clone(), lines);
                }
            }
            Outcome::NotNeeded => assert!(!case.migrates(), "{case:?} needed sqlmigrate"),
        }
    }
    let end = dump(&host).expect("dump");
    Run {
        text: end.to_text(),
        json: end.to_json(),
        reports,
        backup_points,
        restore_points,
        sqlmigrate_points,
        end_rows: end
            .database
            .tables
            .iter()
            .map(|(n, t)| (n.clone(), t.rows))
            .collect(),
        fabricated,
        error_lines,
    }
}

/// The lines where two texts differ (at most eight), for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    let lines: Vec<String> = a
        .lines()
        .zip(b.lines())
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .take(8)
        .map(|(n, (x, y))| format!("line {}: uninterrupted '{x}' vs resumed '{y}'", n + 1))
        .collect();
    if lines.is_empty() {
        format!("lengths {} vs {}", a.len(), b.len())
    } else {
        lines.join("; ")
    }
}

/// The seed proptest draws cases from; every run tests the same hosts.
const CONFIG_SEED: u64 = 0x5eed_0007;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 12,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(CONFIG_SEED),
        ..ProptestConfig::default()
    }
}

proptest! {
    // A fixed RNG seed: CI draws the same hosts every run (same seed => same output), and
    // PROPTEST_RNG_SEED does not apply; change CONFIG_SEED to explore other draws.
    #![proptest_config(config())]

    /// Crash at one drawn point of backup, restore or sqlmigrate, rerun: the same end as no
    /// crash.
    #[test]
    fn crash_at_a_drawn_point_then_rerun_ends_as_the_uninterrupted_flow_b12_b33_b42(
        case in cases(),
        step in 0u8..3,
        pick in any::<prop::sample::Index>(),
    ) {
        let dir = scratch();
        let clean = flow(&dir.path().join("clean"), &case, None);
        // Draw the step first: sqlmigrate passes ~50 times as many points as restore, which
        // passes a few times as many as backup.
        let points: Vec<CrashAt> = match step {
            0 => clean.backup_points.iter().cloned().map(CrashAt::Backup).collect(),
            2 if case.migrates() => {
                clean.sqlmigrate_points.iter().cloned().map(CrashAt::Sqlmigrate).collect()
            }
            _ => clean.restore_points.iter().cloned().map(CrashAt::Restore).collect(),
        };
        prop_assert!(points.len() > 5, "{case:?}: too few points {points:?}");
        let at = &points[pick.index(points.len())];
        eprintln!("{case:?}: crash at {at:?} (one of {} points)", points.len());
        let crashed = flow(&dir.path().join("crashed"), &case, Some(at));
        prop_assert!(
            crashed.text == clean.text,
            "{case:?}, crash at {at:?}: {}",
            first_difference(&clean.text, &crashed.text)
        );
        // And the reporting tables and errors files, by rows.
        prop_assert_eq!(&crashed.end_rows, &clean.end_rows, "{:?}, crash at {:?}", case, at);
        prop_assert_eq!(&crashed.error_lines, &clean.error_lines, "{:?}, crash at {:?}", case, at);
    }

    /// A 7.20/7.50 Core crashed at a drawn sqlmigrate point, rerun: the same end as no crash.
    #[test]
    fn sqlmigrate_crash_at_a_drawn_point_then_rerun_ends_as_the_uninterrupted_flow_b42(
        version in prop_oneof![Just(Version::V720), Just(Version::V750)],
        devices in 1u32..=3,
        defects in any::<bool>(),
        seed in 0u64..1_000_000,
        pick in any::<prop::sample::Index>(),
    ) {
        let case = Case { version, role: Role::Core, devices, customizations: 0, defects, seed };
        let dir = scratch();
        let clean = flow(&dir.path().join("clean"), &case, None);
        let points = &clean.sqlmigrate_points;
        prop_assert!(points.len() > 100, "{case:?}: too few points {points:?}");
        let at = CrashAt::Sqlmigrate(points[pick.index(points.len())].clone());
        eprintln!("{case:?}: crash at {at:?} (one of {} points)", points.len());
        let crashed = flow(&dir.path().join("crashed"), &case, Some(&at));
        prop_assert!(
            crashed.text == clean.text,
            "{case:?}, crash at {at:?}: {}",
            first_difference(&clean.text, &crashed.text)
        );
        prop_assert_eq!(&crashed.end_rows, &clean.end_rows, "{:?}, crash at {:?}", case, at);
        prop_assert_eq!(&crashed.error_lines, &clean.error_lines, "{:?}, crash at {:?}", case, at);
    }

    /// Every fabricated row of a 7.20/7.50 Core is in its table or in its errors file.
    #[test]
    fn sqlmigrate_loses_no_row_of_a_defective_database_b43(
        version in prop_oneof![Just(Version::V720), Just(Version::V750)],
        devices in 1u32..=3,
        seed in 0u64..1_000_000,
    ) {
        let case = Case { version, role: Role::Core, devices, customizations: 0, defects: true, seed };
        let dir = scratch();
        let run = flow(&dir.path().join("host"), &case, None);
        let rejected: u64 = run.error_lines.values().sum();
        prop_assert!(rejected > 0, "{case:?}: the defects reached no errors file");
        for (table, fabricated) in &run.fabricated {
            let kept = run.end_rows.get(table).copied().unwrap_or(0);
            let errors = run.error_lines.get(table).copied().unwrap_or(0);
            prop_assert_eq!(
                *fabricated,
                kept + errors,
                "{:?}: table {} has {} fabricated rows, {} kept, {} in errors\\{}.tsv",
                case, table, fabricated, kept, errors, table
            );
        }
    }

    /// The same seed twice: byte-identical dumps and backup, upgrade and restore reports.
    #[test]
    fn the_same_seed_twice_gives_byte_identical_dumps_and_reports_b33(case in cases()) {
        let dir = scratch();
        let first = flow(&dir.path().join("first"), &case, None);
        let second = flow(&dir.path().join("second"), &case, None);
        prop_assert!(first.text == second.text, "{case:?}: {}", first_difference(&first.text, &second.text));
        prop_assert_eq!(&first.json, &second.json);
        prop_assert_eq!(first.reports.len(), 6, "{:?}: reports {:?}", case, first.reports.keys());
        prop_assert_eq!(first.reports.keys().collect::<Vec<_>>(), second.reports.keys().collect::<Vec<_>>());
        for (name, bytes) in &first.reports {
            prop_assert!(bytes == &second.reports[name], "{case:?}: report {name} differs");
        }
    }
}
