//! The same options give a byte-identical host and dump; another seed, another host.

use hpca_reference::{dump, Role, Version};
use hpca_simulator::Fabricate;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file of a host folder (state, drives, sidecar) by relative path, with its bytes.
fn folder_bytes(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn spec(version: Version, role: Role, seed: u64) -> Fabricate {
    let mut spec = Fabricate::new(version, role).seed(seed).devices(3);
    spec.csdb_customizations = 3;
    spec.users = 3;
    spec.boot_server = version == Version::V720 && seed % 2 == 0;
    spec
}

fn version_and_role() -> impl Strategy<Value = (Version, Role)> {
    (
        prop::sample::select(Version::SOURCES.to_vec()),
        prop::sample::select(Role::ALL.to_vec()),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn the_same_seed_gives_byte_identical_hosts_and_dumps((version, role) in version_and_role(), seed in any::<u64>()) {
        let dir = tempfile::tempdir().unwrap();
        let one = spec(version, role, seed).run(&dir.path().join("one")).unwrap();
        let two = spec(version, role, seed).run(&dir.path().join("two")).unwrap();
        let (a, b) = (folder_bytes(one.root()), folder_bytes(two.root()));
        prop_assert!(a.contains_key("host.json") && a.len() > 100, "{} files", a.len());
        prop_assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (path, bytes) in &a {
            prop_assert!(bytes == &b[path], "{} differs", path);
        }
        let (da, db) = (dump::dump(&one).unwrap(), dump::dump(&two).unwrap());
        prop_assert_eq!(da.to_text(), db.to_text());
        prop_assert_eq!(da.to_json(), db.to_json());
    }

    #[test]
    fn another_seed_gives_another_host((version, role) in version_and_role(), seed in 0u64..u64::MAX) {
        let dir = tempfile::tempdir().unwrap();
        let one = spec(version, role, seed).run(&dir.path().join("one")).unwrap();
        let two = spec(version, role, seed + 1).run(&dir.path().join("two")).unwrap();
        let (da, db) = (dump::dump(&one).unwrap(), dump::dump(&two).unwrap());
        prop_assert_ne!((&da.hostname, da.clock), (&db.hostname, db.clock));
        // Not only the name: the installed files differ too.
        let files = |d: &dump::Dump| d.files.iter().map(|f| f.sha256.clone()).collect::<Vec<_>>();
        prop_assert_ne!(files(&da), files(&db));
    }
}
