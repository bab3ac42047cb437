//! Shared by the after-Core tests (console, Live Network, deployed components): a fabricated
//! Core taken through backup, upgrade, reboot and restore, and the byte-for-byte snapshot a
//! refusal is compared with.
#![allow(dead_code)]

use hpca_reference::fault::Crash;
use hpca_reference::upgrade::{self, BackupPolicy, Confirmation, FirewallOffer, UpgradeOptions};
use hpca_reference::{backup, console, paths, reboot, restore, Host, Role, Version};
use hpca_simulator::Fabricate;
use std::path::Path;

/// A seed whose site configured its Live Network connection.
pub const CONFIGURED: u64 = 90;
/// A seed whose site never configured Live Network (no URL).
pub const UNCONFIGURED: u64 = 91;

/// A fabricated host with `devices` managed devices and two console users besides admin.
pub fn fabricate(root: &Path, version: Version, role: Role, seed: u64, devices: u32) -> Host {
    let mut spec = Fabricate::new(version, role).seed(seed).devices(devices);
    spec.users = 2;
    spec.run(root).expect("fabricate")
}

/// Blocks 3466/3464 (as the guide asks before the upgrade), then backup on C:, the 7.90
/// installer and the reboot: a host ready for the restore.
pub fn upgraded(root: &Path, version: Version, role: Role, seed: u64, devices: u32) -> Host {
    let mut host = fabricate(root, version, role, seed, devices);
    for port in console::REMOTE_ACCESS_PORTS {
        host.state_mut().firewall.open_ports.remove(&port);
    }
    host.save().unwrap();
    let from = paths::migrate_copy();
    backup::backup(&mut host, 'C', &from, &Crash::never()).expect("backup");
    let options = UpgradeOptions {
        from: from.clone(),
        backup: BackupPolicy::Require,
        firewall: FirewallOffer::Decline,
    };
    upgrade::upgrade(&mut host, &options, Confirmation::Confirmed).expect("upgrade");
    reboot::reboot(&mut host).expect("reboot");
    host
}

/// [`upgraded`], then the restore: the Core (or Satellite) every after-Core step starts from.
pub fn restored(root: &Path, version: Version, role: Role, seed: u64, devices: u32) -> Host {
    let mut host = upgraded(root, version, role, seed, devices);
    restore::run(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).expect("restore");
    host
}

/// A restored Core in a new temporary folder.
pub fn restored_core(version: Version, seed: u64) -> (tempfile::TempDir, Host) {
    let dir = tempfile::tempdir().unwrap();
    let host = restored(&dir.path().join("core"), version, Role::Core, seed, 12);
    (dir, host)
}

#[path = "../common/mod.rs"]
mod common;

/// Every file and folder below the host folder with its bytes (`host.json` included).
pub use common::snapshot;

/// Runs `step` on the host at `root`, which must refuse with `code` and leave every byte of
/// the host as it was; returns the message.
pub fn assert_refused<T: std::fmt::Debug>(
    root: &Path,
    code: &str,
    step: impl FnOnce(&mut Host) -> hpca_reference::Result<T>,
) -> String {
    let before = snapshot(root);
    let mut host = Host::open(root).unwrap();
    let err = step(&mut host).expect_err("the step should refuse");
    assert_eq!(err.code(), code, "{err}");
    drop(host);
    assert!(
        snapshot(root) == before,
        "the refusal ({code}) changed the host"
    );
    let message = err.to_string();
    assert!(message.contains("nothing was changed"), "{message}");
    message
}
