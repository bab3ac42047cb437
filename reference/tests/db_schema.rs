//! The reporting schema catalogue against the guide: Appendix A's tables, their order, and
//! which versions carry the 7.90 keys (B40, B42, B45).

use hpca_reference::db::schema::{self, appendix_a, catalogue, in_appendix_a, table};
use hpca_reference::db::sqlite::SqliteDb;
use hpca_reference::db::Database;
use hpca_reference::Version;
use std::collections::BTreeSet;

#[test]
fn catalogue_has_appendix_a_tables_in_guide_order_and_spelling_b42() {
    let copy: Vec<&str> = include_str!("../src/db/appendix_a.txt").lines().collect();
    assert_eq!(appendix_a(), copy.as_slice());
    assert_eq!(appendix_a().len(), 151);
    assert_eq!(appendix_a()[0], "rWin32_WinSAT");
    assert_eq!(appendix_a()[14], "rwin32_quickfixengineering");
    assert_eq!(appendix_a()[150], "DeviceConfig");
    for version in [Version::V750, Version::V780, Version::V790] {
        let names: Vec<String> = catalogue(version)
            .into_iter()
            .map(|t| t.name)
            .filter(|n| in_appendix_a(n))
            .collect();
        let mut expected: Vec<&str> = appendix_a().to_vec();
        expected.reverse();
        assert_eq!(
            names, expected,
            "{version}: all 151, created in reverse order"
        );
    }
    assert_eq!(catalogue(Version::V750)[0].name, "Device");
}

#[test]
fn version_720_lacks_only_the_later_tables() {
    let old: BTreeSet<String> = catalogue(Version::V720)
        .into_iter()
        .map(|t| t.name)
        .collect();
    let missing: Vec<&str> = appendix_a()
        .iter()
        .copied()
        .filter(|n| !old.contains(*n))
        .collect();
    assert_eq!(
        missing,
        [
            "rWin32_WinSAT",
            "rhp_biosstring",
            "rhp_biossensor",
            "rhp_biospassword",
            "rhp_biosorderedlist",
            "rhp_biosinteger",
            "rhp_biosevent",
            "rhp_biosenumeration"
        ]
    );
    assert!(table(Version::V720, "rWin32_WinSAT").is_none());
    assert!(table(Version::V750, "rWin32_WinSAT").is_some());
}

#[test]
fn dropping_in_appendix_order_never_drops_a_parent_first_and_reverse_import_has_parents_first_b45()
{
    let position = |name: &str| appendix_a().iter().position(|t| *t == name);
    let mut checked = 0;
    for child in catalogue(Version::V790) {
        for fk in &child.foreign_keys {
            match (position(&child.name), position(&fk.parent)) {
                // Both re-created: the child is dropped before, and imported after, its parent.
                (Some(c), Some(p)) => {
                    assert!(
                        c < p,
                        "{} references {} but comes after it",
                        child.name,
                        fk.parent
                    );
                    checked += 1;
                }
                // The parent is not in Appendix A: sqlmigrate never drops it.
                (Some(_), None) => assert_eq!(fk.parent, schema::DEVICE_TABLE),
                (None, _) => panic!("{} is not an Appendix A table", child.name),
            }
        }
    }
    // DeviceZRStates, three Audit links, three JOB links to JOBPARM, Audit_Event to Audit_Cat.
    assert_eq!(checked, 8, "the links inside Appendix A");
    // And the catalogue's creation order has each parent before its children.
    let created: Vec<String> = catalogue(Version::V790)
        .into_iter()
        .map(|t| t.name)
        .collect();
    for child in catalogue(Version::V790) {
        let c = created.iter().position(|n| *n == child.name).unwrap();
        for fk in &child.foreign_keys {
            let p = created.iter().position(|n| *n == fk.parent).unwrap();
            assert!(
                p < c,
                "{} created before its parent {}",
                child.name,
                fk.parent
            );
        }
    }
}

#[test]
fn tables_of_750_have_no_790_keys_and_780_tables_do_b40() {
    for def in catalogue(Version::V750) {
        if in_appendix_a(&def.name) {
            assert!(def.primary_key.is_empty(), "{}", def.name);
            assert!(def.foreign_keys.is_empty(), "{}", def.name);
            assert!(def.columns.iter().all(|c| !c.not_null), "{}", def.name);
        } else {
            assert_eq!(def.primary_key, ["DeviceId"], "the parent keeps its key");
        }
    }
    for version in [Version::V780, Version::V790] {
        for def in catalogue(version) {
            assert!(!def.primary_key.is_empty(), "{version} {}", def.name);
            for key in &def.primary_key {
                assert!(def.column(key).unwrap().1.not_null, "{}.{key}", def.name);
            }
        }
    }
    let cpu = table(Version::V780, "rWin32_Processor").unwrap();
    assert_eq!(cpu.primary_key, ["MachineId", "DeviceID"]);
    assert_eq!(cpu.foreign_keys[0].parent, "Device");
}

#[test]
fn every_version_has_the_790_columns_so_old_rows_fit_new_tables() {
    for version in Version::SOURCES {
        for old in catalogue(version) {
            let new = table(Version::V790, &old.name).unwrap();
            let shape = |t: &schema::TableDef| {
                t.columns
                    .iter()
                    .map(|c| (c.name.clone(), c.ty))
                    .collect::<Vec<_>>()
            };
            assert_eq!(shape(&old), shape(&new), "{version} {}", old.name);
        }
    }
    let cpu = table(Version::V750, "rWin32_Processor").unwrap();
    let names = cpu.column_names();
    for property in [
        "DeviceID",
        "Name",
        "Manufacturer",
        "MaxClockSpeed",
        "NumberOfCores",
    ] {
        assert!(names.iter().any(|n| n == property), "{property}");
    }
}

#[test]
fn sqlite_describes_each_table_as_the_catalogue_defines_it() {
    for version in [Version::V720, Version::V750, Version::V780] {
        let dir = tempfile::tempdir().unwrap();
        let mut db = SqliteDb::open_file(&dir.path().join("r.sqlite"), None).unwrap();
        let defs = catalogue(version);
        for def in &defs {
            db.create_table(def).unwrap();
        }
        for def in &defs {
            assert_eq!(db.describe(&def.name).unwrap().as_ref(), Some(def));
        }
        assert_eq!(db.table_names().unwrap().len(), defs.len());
        assert_eq!(db.describe("NoSuchTable").unwrap(), None);
    }
}

#[test]
fn processor_table_as_sqlite_describes_it_in_750_and_780_b40() {
    let dir = tempfile::tempdir().unwrap();
    let mut described = Vec::new();
    for version in [Version::V750, Version::V780] {
        let mut db =
            SqliteDb::open_file(&dir.path().join(format!("{version}.sqlite")), None).unwrap();
        for def in catalogue(version) {
            db.create_table(&def).unwrap();
        }
        described.push((version.as_str(), db.describe("rWin32_Processor").unwrap()));
    }
    insta::with_settings!({snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots")}, {
        insta::assert_json_snapshot!("rwin32_processor_750_keyless_780_keyed", described);
    });
}
