//! The manual path of Appendix B (B45): in the guide's order it ends exactly as sqlmigrate
//! does; in a wrong order the database refuses rows, which land in the errors files.

mod sqlmigrate_support;

use hpca_reference::fault::Crash;
use hpca_reference::sqlmigrate::{
    manual, sqlmigrate, ManualOutcome, ManualStep, Options, Outcome, Summary, TableOrder,
};
use hpca_reference::{paths, Error, Host, Version};
use sqlmigrate_support::*;

const OPTIONS: Options = Options { batch_rows: 64 };

fn step(
    host: &mut Host,
    step: ManualStep,
    order: TableOrder,
) -> hpca_reference::Result<ManualOutcome> {
    manual(
        host,
        'C',
        step,
        order,
        &OPTIONS,
        &Crash::never(),
        &mut |_| {},
    )
}

fn manual_run(host: &mut Host, drop: TableOrder, import: TableOrder) -> Summary {
    step(host, ManualStep::Export, TableOrder::Guide).unwrap();
    step(host, ManualStep::Drop, drop).unwrap();
    step(host, ManualStep::Recreate, TableOrder::Guide).unwrap();
    match step(host, ManualStep::Import, import).unwrap() {
        ManualOutcome::Imported(summary) => summary,
        other => panic!("import: {other:?}"),
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    fixture: std::path::PathBuf,
    defects: usize,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let (host, ledger) = core_790(
        &dir.path().join("fixture"),
        Version::V750,
        3,
        some_defects(),
    );
    Fixture {
        fixture: host.root().to_path_buf(),
        defects: ledger.defects.len(),
        _dir: dir,
    }
}

#[test]
fn manual_steps_in_the_guides_order_equal_sqlmigrate_b45() {
    let f = fixture();
    let mut scripted = copy_host(&f.fixture, &f._dir.path().join("scripted"));
    let Outcome::Migrated(want) =
        sqlmigrate(&mut scripted, 'C', &OPTIONS, &Crash::never(), &mut |_| {}).unwrap()
    else {
        panic!("7.50 needs sqlmigrate")
    };
    let mut by_hand = copy_host(&f.fixture, &f._dir.path().join("manual"));
    let got = manual_run(&mut by_hand, TableOrder::Guide, TableOrder::Guide);
    assert_eq!(got.tables, want.tables);
    assert_eq!(db_dump(&by_hand), db_dump(&scripted));
    assert_eq!(
        files(&by_hand, &got.folder),
        files(&scripted, &want.folder),
        "the same exports and errors files"
    );
    let rejected: u64 = got.tables.iter().map(|t| t.rejected).sum();
    assert_eq!(rejected as usize, f.defects, "only the defects are refused");
}

#[test]
fn importing_in_appendix_order_loses_child_rows_to_errors_b45() {
    let f = fixture();
    let mut host = copy_host(&f.fixture, &f._dir.path().join("wrong"));
    let got = manual_run(&mut host, TableOrder::Guide, TableOrder::Reversed);
    let rejected: u64 = got.tables.iter().map(|t| t.rejected).sum();
    assert!(
        rejected as usize > f.defects,
        "{rejected} refused, {} defects",
        f.defects
    );
    for t in &got.tables {
        assert_eq!(
            t.exported,
            t.imported + t.rejected,
            "{}: still all in the export",
            t.table
        );
    }
    // JOBTASK references JOBPARM, which the wrong order imports after it: every row refused.
    let jobtask = got.tables.iter().find(|t| t.table == "JOBTASK").unwrap();
    assert!(jobtask.exported > 0);
    assert_eq!(jobtask.imported, 0);
    let log = host
        .read_to_string(&got.folder.join(r"errors\JOBTASK.log").unwrap())
        .unwrap();
    assert!(log.contains("FOREIGN KEY constraint failed"), "{log}");
}

#[test]
fn importing_before_the_recreate_refuses_every_row_b45() {
    let f = fixture();
    let mut host = copy_host(&f.fixture, &f._dir.path().join("early"));
    step(&mut host, ManualStep::Export, TableOrder::Guide).unwrap();
    step(&mut host, ManualStep::Drop, TableOrder::Guide).unwrap();
    let ManualOutcome::Imported(got) =
        step(&mut host, ManualStep::Import, TableOrder::Guide).unwrap()
    else {
        panic!("import runs")
    };
    for t in &got.tables {
        assert_eq!((t.imported, t.rejected), (0, t.exported), "{}", t.table);
    }
    let t = got.tables.iter().find(|t| t.exported > 0).unwrap();
    let log = host
        .read_to_string(
            &got.folder
                .join(&format!(r"errors\{}.log", t.table))
                .unwrap(),
        )
        .unwrap();
    assert!(log.contains("no such table"), "{log}");
}

#[test]
fn drop_or_import_without_an_export_is_refused_b45() {
    let f = fixture();
    let mut host = copy_host(&f.fixture, &f._dir.path().join("none"));
    let before = db_dump(&host);
    for s in [ManualStep::Drop, ManualStep::Import] {
        let err = step(&mut host, s, TableOrder::Guide).unwrap_err();
        assert!(matches!(err, Error::ManualStepOutOfOrder { .. }), "{err}");
        assert!(err.to_string().contains("--manual export"), "{err}");
    }
    assert_eq!(db_dump(&host), before);
    assert!(!host.exists(&paths::sqlmigrate_dir('C')));
}

#[test]
fn errors_folder_of_a_small_750_database_snapshot_b43() {
    let f = fixture();
    let mut host = copy_host(&f.fixture, &f._dir.path().join("snap"));
    let Outcome::Migrated(summary) =
        sqlmigrate(&mut host, 'C', &OPTIONS, &Crash::never(), &mut |_| {}).unwrap()
    else {
        panic!("7.50 needs sqlmigrate")
    };
    let errors = summary.folder.child("errors");
    // Three tables with errors: one of each defect kind shows in them.
    let shown: Vec<String> = summary
        .tables_with_errors()
        .take(3)
        .map(|t| t.table.clone())
        .collect();
    let mut text = String::new();
    for table in &shown {
        for ext in ["log", "tsv", "sql"] {
            let name = format!("{table}.{ext}");
            text.push_str(&format!("==> errors\\{name} <==\n"));
            text.push_str(&host.read_to_string(&errors.child(&name)).unwrap());
        }
    }
    insta::with_settings!({snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots")}, {
        insta::assert_snapshot!("sqlmigrate_errors_folder_750", text);
    });
}
