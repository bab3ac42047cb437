//! Shared by the restore tests: fabricate a lab, take it through backup, upgrade and reboot,
//! copy it, and read what a test compares (dumps, settings, CSDB, data files).
#![allow(dead_code)]

use hpca_reference::backup;
use hpca_reference::fault::Crash;
use hpca_reference::restore::{self, RestoreOutcome};
use hpca_reference::upgrade::{self, BackupPolicy, Confirmation, FirewallOffer, UpgradeOptions};
use hpca_reference::{dump, paths, reboot, Host, Result, Role, Version, WinPath};
use hpca_simulator::Fabricate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The seed every lab here is drawn from unless a test says otherwise.
pub const SEED: u64 = 11;

/// A fabricated source install: `users` extra console users, `customizations` CSDB ones.
pub fn fabricate(root: &Path, version: Version, role: Role, customizations: usize) -> Host {
    let mut spec = Fabricate::new(version, role).seed(SEED);
    spec.csdb_customizations = customizations;
    spec.users = 3;
    spec.run(root).expect("fabricate")
}

/// The operator's copy of the media's migrate folder.
pub fn from() -> WinPath {
    paths::migrate_copy()
}

/// Backup to `drive`, then the 7.90 installer (confirmed, firewall offer declined).
pub fn backup_and_upgrade(host: &mut Host, drive: char) {
    backup::backup(host, drive, &from(), &Crash::never()).expect("backup");
    let options = UpgradeOptions {
        from: from(),
        backup: BackupPolicy::Require,
        firewall: FirewallOffer::Decline,
    };
    upgrade::upgrade(host, &options, Confirmation::Confirmed).expect("upgrade");
}

/// Fabricate, backup on C:, upgrade, reboot: a host ready for the restore.
pub fn ready_lab(root: &Path, version: Version, role: Role, customizations: usize) -> Host {
    let mut host = fabricate(root, version, role, customizations);
    backup_and_upgrade(&mut host, 'C');
    reboot::reboot(&mut host).expect("reboot");
    host
}

/// The whole `hpcarestore C --yes`.
pub fn restore(host: &mut Host, crash: &Crash) -> Result<RestoreOutcome> {
    restore::run(host, 'C', &from(), crash)
}

/// The canonical dump as JSON text (what "same dump" compares).
pub fn dump_json(root: &Path) -> String {
    let host = Host::open(root).expect("open host");
    serde_json::to_string_pretty(&dump::dump(&host).expect("dump")).unwrap()
}

/// Copies a host folder (a lab prepared once, reused per crash point).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every real file below a folder with its bytes: "nothing changed" compares two of these.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}
