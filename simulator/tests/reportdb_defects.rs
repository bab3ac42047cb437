//! Defects: a 7.50 database holds rows the 7.90 schema rejects, and the ledger names exactly
//! those rows (B42, B43).

mod reportdb_support;

use hpca_reference::db::digest::row_hash;
use hpca_reference::db::schema::{self, appendix_a, catalogue};
use hpca_reference::db::{self, Database, RowOutcome, Value};
use hpca_reference::{Error, Version};
use hpca_simulator::reportdb::{populate, DefectKind, DefectLedger, DefectPlan};
use reportdb_support::{host, scratch_db, spec};

fn hex(row: &[Value]) -> String {
    row_hash(row).iter().map(|b| format!("{b:02x}")).collect()
}

/// Streams `table` from `from` into `to` in batches, as sqlmigrate imports; returns the
/// (table, row hash) of every rejected row.
fn import(from: &mut dyn Database, to: &mut dyn Database, table: &str) -> Vec<(String, String)> {
    let columns = from.describe(table).unwrap().unwrap().column_names();
    let mut rejected = Vec::new();
    let mut batch: Vec<Vec<Value>> = Vec::new();
    let mut flush = |batch: &mut Vec<Vec<Value>>, rejected: &mut Vec<(String, String)>| {
        let outcomes = to
            .insert_batch(table, &columns, &db::RowBatch::from_rows(batch))
            .unwrap();
        for (row, outcome) in batch.iter().zip(outcomes) {
            if let RowOutcome::Rejected { .. } = outcome {
                rejected.push((table.to_string(), hex(row)));
            }
        }
        batch.clear();
    };
    from.stream_rows(table, &mut |row| {
        batch.push(row.to_vec());
        if batch.len() == 256 {
            flush(&mut batch, &mut rejected);
        }
        Ok(())
    })
    .unwrap();
    flush(&mut batch, &mut rejected);
    rejected
}

#[test]
fn the_790_schema_rejects_exactly_the_ledgers_rows_b42_b43() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(&dir.path().join("h"), false);
    let ledger = populate(
        &mut host,
        &spec(
            Version::V750,
            40,
            7,
            "orphans=0.01,duplicates=0.01,nulls=0.01",
        ),
    )
    .unwrap();
    for kind in DefectKind::ALL {
        assert!(ledger.count(kind) > 20, "{kind}: {}", ledger.count(kind));
    }
    assert_eq!(DefectLedger::read(&host).unwrap(), ledger);
    let file = std::fs::read_to_string(host.sidecar_path("defects.tsv")).unwrap();
    assert_eq!(
        file.lines().count(),
        ledger.defects.len(),
        "one line per defective row"
    );
    for line in file.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 4, "{line}");
        assert_eq!(fields[2].len(), 64, "{line}");
        assert!(
            ["orphans", "duplicates", "nulls"].contains(&fields[1]),
            "{line}"
        );
    }

    let mut old = db::open(&host).unwrap().unwrap();
    let mut new = scratch_db(dir.path(), "790.sqlite");
    for def in catalogue(Version::V790) {
        new.create_table(&def).unwrap();
    }
    new.begin().unwrap();
    assert!(import(old.as_mut(), &mut new, schema::DEVICE_TABLE).is_empty());
    let mut rejected = Vec::new();
    for table in appendix_a().iter().rev() {
        rejected.extend(import(old.as_mut(), &mut new, table));
    }
    new.commit().unwrap();
    let mut expected: Vec<(String, String)> = ledger
        .defects
        .iter()
        .map(|d| (d.table.clone(), d.row_hash.clone()))
        .collect();
    expected.sort();
    rejected.sort();
    assert_eq!(rejected, expected);
}

#[test]
fn without_defects_every_row_fits_the_790_schema() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(&dir.path().join("h"), false);
    let ledger = populate(&mut host, &spec(Version::V720, 15, 3, "")).unwrap();
    assert!(ledger.defects.is_empty());
    let mut old = db::open(&host).unwrap().unwrap();
    let mut new = scratch_db(dir.path(), "790.sqlite");
    for def in catalogue(Version::V790) {
        new.create_table(&def).unwrap();
    }
    new.begin().unwrap();
    import(old.as_mut(), &mut new, schema::DEVICE_TABLE);
    for table in appendix_a().iter().rev() {
        if old.describe(table).unwrap().is_some() {
            assert_eq!(import(old.as_mut(), &mut new, table), [], "{table}");
        }
    }
    new.commit().unwrap();
}

#[test]
fn defects_in_a_keyed_780_schema_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(&dir.path().join("h"), false);
    let err = populate(&mut host, &spec(Version::V780, 5, 1, "orphans=0.01")).unwrap_err();
    assert!(
        matches!(err, Error::DefectsNeedUnkeyedSchema { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("7.20 or 7.50"), "{err}");
}

#[test]
fn defect_plans_parse_and_bad_ones_name_the_supported_kinds() {
    let plan: DefectPlan = "orphans=0.01, duplicates=0.002,nulls=0.001"
        .parse()
        .unwrap();
    assert_eq!(
        (plan.orphans, plan.duplicates, plan.nulls),
        (0.01, 0.002, 0.001)
    );
    assert_eq!("".parse::<DefectPlan>().unwrap(), DefectPlan::none());
    let unknown = "orphans=0.1,ghosts=0.2".parse::<DefectPlan>().unwrap_err();
    assert!(unknown.contains("ghosts") && unknown.contains("orphans, duplicates and nulls"));
    assert!("nulls=lots"
        .parse::<DefectPlan>()
        .unwrap_err()
        .contains("not a number"));
    assert!("nulls=1.5"
        .parse::<DefectPlan>()
        .unwrap_err()
        .contains("outside 0..1"));
    assert!("nulls"
        .parse::<DefectPlan>()
        .unwrap_err()
        .contains("KIND=RATE"));
}

#[test]
fn a_satellite_has_no_database_and_an_empty_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(&dir.path().join("h"), true);
    let ledger = populate(&mut host, &spec(Version::V750, 5, 1, "orphans=0.5")).unwrap();
    assert!(ledger.defects.is_empty());
    assert!(db::open(&host).unwrap().is_none());
    assert!(host.sidecar_path("defects.tsv").is_file());
}
