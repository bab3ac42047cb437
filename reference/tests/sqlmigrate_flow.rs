//! sqlmigrate end to end on fabricated 7.20/7.50 databases: nothing lost, refused rows are
//! exactly the fabricator's defects, and the refusals and "not needed" cases change nothing.

mod sqlmigrate_support;

use hpca_reference::db::digest::row_hash;
use hpca_reference::db::{schema, Value};
use hpca_reference::fault::Crash;
use hpca_reference::sqlmigrate::codec::decode_field;
use hpca_reference::sqlmigrate::state::Progress;
use hpca_reference::sqlmigrate::{sqlmigrate, Options, Outcome};
use hpca_reference::{paths, service, Error, Version};
use hpca_simulator::reportdb::DefectPlan;
use sqlmigrate_support::*;
use std::collections::BTreeMap;

fn run(host: &mut hpca_reference::Host, drive: char) -> hpca_reference::Result<Outcome> {
    sqlmigrate(
        host,
        drive,
        &Options { batch_rows: 500 },
        &Crash::never(),
        &mut |_| {},
    )
}

fn nothing_lost_and_errors_are_the_ledger(version: Version, devices: u32) {
    let dir = tempfile::tempdir().unwrap();
    let (mut host, ledger) = core_790(dir.path(), version, devices, some_defects());
    assert!(!ledger.defects.is_empty(), "the fixture has defects");
    let before = db_dump(&host);
    let Outcome::Migrated(summary) = run(&mut host, 'D').unwrap() else {
        panic!("a {version} database needs sqlmigrate");
    };
    assert_eq!(summary.folder, paths::sqlmigrate_dir('D'));
    let progress = Progress::load(&host, &summary.folder).unwrap().unwrap();
    let after = db_dump(&host);
    let mut db = hpca_reference::db::open(&host).unwrap().unwrap();
    for (table, t) in summary.tables.iter().map(|t| (&t.table, t)) {
        // Nothing lost: every exported row is in the table or in errors\<table>.tsv.
        assert_eq!(before[table].1.rows, t.exported, "{table} exported");
        assert_eq!(t.exported, t.imported + t.rejected, "{table}");
        assert_eq!(after[table].1.rows, t.imported, "{table} imported");
        // Re-created with the 7.90 keys.
        let wanted = schema::table(Version::V790, table).unwrap();
        assert_eq!(
            db.describe(table).unwrap().unwrap().primary_key,
            wanted.primary_key
        );
        // The refused rows are exactly the ledger's defects of this table.
        let mut expected: Vec<String> = ledger
            .defects
            .iter()
            .filter(|d| d.table.eq_ignore_ascii_case(table))
            .map(|d| d.row_hash.clone())
            .collect();
        expected.sort();
        let errors_tsv = summary
            .folder
            .join(&format!(r"errors\{table}.tsv"))
            .unwrap();
        let mut found: Vec<String> = Vec::new();
        if host.exists(&errors_tsv) {
            let columns = &progress
                .tables
                .iter()
                .find(|p| &p.name == table)
                .unwrap()
                .export
                .as_ref()
                .unwrap()
                .columns;
            let text = host.read_to_string(&errors_tsv).unwrap();
            for line in text.lines().skip(1) {
                let row: Vec<Value> = line
                    .split('\t')
                    .zip(columns)
                    .map(|(f, c)| decode_field(f, c.ty).unwrap())
                    .collect();
                found.push(hex(&row_hash(&row)));
            }
            for ext in ["log", "sql"] {
                let p = summary
                    .folder
                    .join(&format!(r"errors\{table}.{ext}"))
                    .unwrap();
                assert!(host.exists(&p), "{p} written beside the .tsv");
            }
        }
        found.sort();
        assert_eq!(found, expected, "{table}: refused rows vs the ledger");
        assert_eq!(found.len() as u64, t.rejected);
    }
    // Device, outside Appendix A, is untouched.
    assert_eq!(before["Device"], after["Device"]);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn nothing_lost_and_refused_rows_are_the_defects_720_b42_b43() {
    nothing_lost_and_errors_are_the_ledger(Version::V720, 12);
}

#[test]
fn nothing_lost_and_refused_rows_are_the_defects_750_b42_b43() {
    nothing_lost_and_errors_are_the_ledger(Version::V750, 12);
}

/// Tables of 4096 rows or more are read on a second thread, through a fixed set of batches
/// handed back and forth: at 150 devices a dozen such tables, several batches each, and
/// some of their rows refused, must all arrive (a batch lost on the way would hang it).
#[test]
fn nothing_lost_when_a_dozen_tables_go_through_the_reader_thread_b42_b43() {
    nothing_lost_and_errors_are_the_ledger(Version::V750, 150);
}

#[test]
fn from_780_it_is_not_needed_and_changes_nothing_b40() {
    let dir = tempfile::tempdir().unwrap();
    let (mut host, _) = core_790(dir.path(), Version::V780, 3, DefectPlan::none());
    let before = db_dump(&host);
    let files_before = host.walk_all().unwrap();
    assert_eq!(run(&mut host, 'C').unwrap(), Outcome::NotNeeded);
    assert_eq!(db_dump(&host), before);
    assert_eq!(host.walk_all().unwrap(), files_before);
}

#[test]
fn refuses_while_the_core_service_runs_b41() {
    let dir = tempfile::tempdir().unwrap();
    let (mut host, _) = core_790(dir.path(), Version::V750, 2, DefectPlan::none());
    service::start(&mut host, "hpca core").unwrap();
    let before = db_dump(&host);
    let err = run(&mut host, 'C').unwrap_err();
    assert!(matches!(&err, Error::ServiceRunning { service } if service == "HPCA Core"));
    assert!(err.to_string().contains("hpcasim service stop"), "{err}");
    assert_eq!(db_dump(&host), before);
    assert!(!host.exists(&paths::sqlmigrate_dir('C')));
    service::stop(&mut host, "HPCA CORE").unwrap();
    assert!(matches!(run(&mut host, 'C').unwrap(), Outcome::Migrated(_)));
}

#[test]
fn refuses_before_the_upgrade_and_with_a_reboot_pending() {
    let dir = tempfile::tempdir().unwrap();
    let (mut host, _) = core_790(dir.path(), Version::V750, 2, DefectPlan::none());
    host.state_mut().registry.reboot_required = true;
    assert!(matches!(
        run(&mut host, 'C'),
        Err(Error::SqlMigrateRebootPending)
    ));
    host.state_mut().registry.reboot_required = false;
    host.state_mut().registry.product.as_mut().unwrap().version = Version::V750;
    let err = run(&mut host, 'C').unwrap_err();
    assert!(
        matches!(err, Error::SqlMigrateBeforeUpgrade { .. }),
        "{err}"
    );
    assert!(!host.exists(&paths::sqlmigrate_dir('C')));
}

#[test]
fn refuses_a_drive_too_small_for_the_export_writing_nothing_b44() {
    let dir = tempfile::tempdir().unwrap();
    let (mut host, _) = core_790(dir.path(), Version::V750, 4, DefectPlan::none());
    host.state_mut().drives.get_mut(&'D').unwrap().capacity = 10_000;
    let before = db_dump(&host);
    let err = run(&mut host, 'D').unwrap_err();
    assert!(matches!(err, Error::DriveFull { drive: 'D', .. }), "{err}");
    assert_eq!(db_dump(&host), before);
    assert!(!host.exists(&paths::sqlmigrate_dir('D')));
}

#[test]
fn a_new_run_after_a_complete_one_uses_a_timestamped_folder_b42() {
    let dir = tempfile::tempdir().unwrap();
    let (mut host, _) = core_790(dir.path(), Version::V750, 2, DefectPlan::none());
    assert!(matches!(run(&mut host, 'C').unwrap(), Outcome::Migrated(_)));
    // The migrated database carries the keys: running again is not needed.
    assert_eq!(run(&mut host, 'C').unwrap(), Outcome::NotNeeded);
    // An old database restored again (say, from the database backup) needs a new run,
    // which keeps the first folder and writes SQLMigrate-<timestamp>.
    let dsn = host.state().registry.dsn.clone().unwrap();
    host.remove_file(&hpca_reference::WinPath::parse(&dsn.database).unwrap())
        .unwrap();
    let spec = hpca_simulator::reportdb::ReportDbSpec {
        version: Version::V750,
        role: hpca_reference::Role::Core,
        devices: 2,
        seed: 7,
        defects: DefectPlan::none(),
    };
    hpca_simulator::reportdb::populate(&mut host, &spec).unwrap();
    host.advance_clock(3600);
    let Outcome::Migrated(second) = run(&mut host, 'C').unwrap() else {
        panic!("the old schema needs sqlmigrate");
    };
    assert_eq!(
        second.folder,
        paths::sqlmigrate_rerun_dir('C', 1_290_003_600)
    );
    assert!(host.exists(&paths::sqlmigrate_dir('C')));
    let counts: BTreeMap<_, _> = second
        .tables
        .iter()
        .map(|t| (&t.table, t.rejected))
        .collect();
    assert!(counts.values().all(|r| *r == 0));
}

#[test]
fn a_folder_left_by_a_run_killed_before_its_first_save_is_taken_over_b42() {
    // A kill before the first progress save can leave `SQLMigrate` with no state file in it;
    // nothing was exported there, so the rerun uses it rather than a `SQLMigrate-<clock>`.
    let dir = tempfile::tempdir().unwrap();
    let (mut host, _) = core_790(dir.path(), Version::V750, 2, DefectPlan::none());
    let stray = paths::sqlmigrate_dir('C')
        .join(r"progress\ADInfo.json")
        .unwrap();
    host.write(&stray, b"{}").unwrap();
    let Outcome::Migrated(summary) = run(&mut host, 'C').unwrap() else {
        panic!("a 7.50 database needs sqlmigrate");
    };
    assert_eq!(summary.folder, paths::sqlmigrate_dir('C'));
    assert!(!host.exists(&paths::sqlmigrate_rerun_dir('C', host.now())));
    let progress = Progress::load(&host, &summary.folder).unwrap().unwrap();
    assert!(progress
        .tables
        .iter()
        .all(|t| t.dropped && t.export.is_some()));
}
