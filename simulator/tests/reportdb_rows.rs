//! Fabricated rows: plausible counts per device, the 7.80 keys enforced on real data, the
//! drop order of Appendix A (B45), and determinism from the seed.

mod reportdb_support;

use hpca_reference::db::digest::table_digest;
use hpca_reference::db::schema::{self, appendix_a};
use hpca_reference::db::{self, Database};
use hpca_reference::{Error, Version};
use hpca_simulator::reportdb::{populate, populate_counted};
use proptest::prelude::*;
use reportdb_support::{host, spec};
use std::collections::BTreeMap;

fn digests(seed: u64, devices: u32) -> BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(&dir.path().join("h"), false);
    populate(
        &mut host,
        &spec(Version::V750, devices, seed, "duplicates=0.01,nulls=0.01"),
    )
    .unwrap();
    let mut db = db::open(&host).unwrap().unwrap();
    db.table_names()
        .unwrap()
        .into_iter()
        .map(|t| {
            let d = table_digest(db.as_mut(), &t).unwrap();
            (t, format!("{} {}", d.rows, d.digest))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]
    #[test]
    fn same_seed_same_table_digests_other_seed_other_rows(seed in any::<u64>(), devices in 1u32..6) {
        let one = digests(seed, devices);
        prop_assert_eq!(one.len(), 152);
        prop_assert_eq!(&one, &digests(seed, devices));
        prop_assert_ne!(&one, &digests(seed.wrapping_add(1), devices));
    }
}

fn per_device(db: &mut dyn Database, table: &str) -> BTreeMap<i64, u64> {
    let mut counts = BTreeMap::new();
    db.stream_rows(table, &mut |row| {
        if let db::Value::Int(device) = row[0] {
            *counts.entry(device).or_insert(0) += 1;
        }
        Ok(())
    })
    .unwrap();
    counts
}

#[test]
fn devices_have_plausible_instance_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(&dir.path().join("h"), false);
    let (_, rows) = populate_counted(&mut host, &spec(Version::V750, 60, 11, "")).unwrap();
    let mut db = db::open(&host).unwrap().unwrap();
    let total: u64 = db
        .table_names()
        .unwrap()
        .iter()
        .map(|t| db.count_rows(t).unwrap())
        .sum();
    assert_eq!(total, rows);
    // About 1,400 rows a device: 10,000 devices give well over 10 million.
    assert!(
        (1000..1800).contains(&(rows / 60)),
        "{} rows per device",
        rows / 60
    );
    assert_eq!(db.count_rows("Device").unwrap(), 60);
    let products = per_device(db.as_mut(), "rWin32_Product");
    let windows = products.len();
    assert!(windows > 40, "most devices run Windows: {windows}");
    assert!(products.values().all(|n| (80..=200).contains(n)));
    assert!(per_device(db.as_mut(), "rWin32_Service")
        .values()
        .all(|n| (120..=180).contains(n)));
    assert!(per_device(db.as_mut(), "rWin32_Processor")
        .values()
        .all(|n| (1..=2).contains(n)));
    assert!(per_device(db.as_mut(), "rWin32_OperatingSystem")
        .values()
        .all(|n| *n == 1));
    assert_eq!(per_device(db.as_mut(), "DeviceStatus").len(), 60);
    // HP BIOS classes only on HP hardware, Unix classes only on the Unix devices.
    assert!(per_device(db.as_mut(), "rhp_biosenumeration").len() < windows);
    assert!(per_device(db.as_mut(), "rCIM_UnixOperatingSystem").len() < 60 - windows + 1);
    let mut captions = std::collections::BTreeSet::new();
    db.stream_rows("rWin32_OperatingSystem", &mut |row| {
        captions.insert(row[2].to_string());
        Ok(())
    })
    .unwrap();
    assert!(
        captions.iter().any(|c| c.contains("Windows XP")),
        "{captions:?}"
    );
}

#[test]
fn a_keyed_780_database_drops_in_appendix_order_but_not_parents_first_b45() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(&dir.path().join("h"), false);
    populate(&mut host, &spec(Version::V780, 8, 5, "")).unwrap();
    let mut db = db::open(&host).unwrap().unwrap();
    assert!(!db
        .describe("rWin32_Product")
        .unwrap()
        .unwrap()
        .primary_key
        .is_empty());
    // Dropping a parent while its children still reference it fails on real rows...
    let err = db.drop_table("JOBPARM").unwrap_err();
    assert!(matches!(err, Error::Database { .. }), "{err}");
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
    // ...while Appendix A's order never meets a reference to a dropped table.
    for table in appendix_a() {
        db.drop_table(table).unwrap();
    }
    assert_eq!(db.table_names().unwrap(), [schema::DEVICE_TABLE]);
}

#[test]
fn an_estate_without_devices_still_has_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(&dir.path().join("h"), false);
    populate(&mut host, &spec(Version::V750, 0, 1, "orphans=0.1")).unwrap();
    let mut db = db::open(&host).unwrap().unwrap();
    assert_eq!(db.table_names().unwrap().len(), 152);
    assert_eq!(db.count_rows("rWin32_Product").unwrap(), 0);
    assert_eq!(db.count_rows("JOBTASK").unwrap(), 0);
}
