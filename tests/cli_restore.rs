//! `hpcasim restore` and `hpcasim sync` as an operator types them: every refusal is exit 1
//! with a message naming the problem and the way out, and leaves the host unchanged (B13,
//! B25, B30, B63); the preview-then-confirm flow (B30); sync after restore (B62).

mod restore_support;

use assert_cmd::Command;
use hpca_reference::backup::manifest;
use hpca_reference::{paths, Host, Role, Version};
use predicates::prelude::*;
use restore_support::*;
use std::path::Path;

fn hpcasim() -> Command {
    Command::cargo_bin("hpcasim").unwrap()
}

/// Runs `restore <drive> --yes` that must refuse: exit 1, says each of `says`, host unchanged.
fn assert_refused(root: &Path, drive: &str, says: &[&str]) {
    let before = snapshot(root);
    let out = hpcasim()
        .args(["restore", drive, "--yes", "--host"])
        .arg(root)
        .assert()
        .code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    for s in says {
        assert!(stderr.contains(s), "stderr lacks {s:?}: {stderr}");
    }
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(snapshot(root), before, "the refusal changed the host");
}

fn lab() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    drop(ready_lab(&root, Version::V750, Role::Core, 1));
    (dir, root)
}

#[test]
fn cli_restore_refuses_a_moved_backup_naming_both_places_b13() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    let mut host = fabricate(&root, Version::V750, Role::Core, 0);
    backup_and_upgrade(&mut host, 'D');
    hpca_reference::reboot::reboot(&mut host).unwrap();
    host.move_across_drives(&paths::backup_root('D'), &paths::backup_root('C'))
        .unwrap();
    host.save().unwrap();
    assert_refused(
        &root,
        "C",
        &[
            r"written to D:\HPCABackup\HPCABackup",
            r"backup in C:\HPCABackup\HPCABackup",
            "move the HPCABackup folder back",
        ],
    );
}

#[test]
fn cli_restore_refuses_a_pending_reboot_b25() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    let mut host = fabricate(&root, Version::V720, Role::Satellite, 0);
    backup_and_upgrade(&mut host, 'C');
    drop(host);
    assert_refused(&root, "C", &["reboot is pending", "hpcasim reboot"]);
}

#[test]
fn cli_restore_refuses_the_wrong_drive_naming_where_the_backup_is() {
    let (_d, root) = lab();
    assert_refused(
        &root,
        "D",
        &[
            r"no backup in D:\HPCABackup\HPCABackup",
            r"a backup is in C:\HPCABackup\HPCABackup",
        ],
    );
}

#[test]
fn cli_restore_refuses_a_host_never_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    let mut host = fabricate(&root, Version::V780, Role::Core, 0);
    hpca_reference::backup::backup(
        &mut host,
        'C',
        &from(),
        &hpca_reference::fault::Crash::never(),
    )
    .unwrap();
    drop(host);
    assert_refused(&root, "C", &["runs HPCA 7.80, not 7.90", "hpcasim upgrade"]);
}

#[test]
fn cli_restore_refuses_a_corrupted_manifest() {
    let (_d, root) = lab();
    let mut host = Host::open(&root).unwrap();
    host.write(&manifest::manifest_path('C'), b"{ not json")
        .unwrap();
    drop(host);
    assert_refused(&root, "C", &["hpcabackup-manifest.json is unreadable"]);
}

#[test]
fn cli_restore_refuses_a_file_whose_digest_changed_naming_it() {
    let (_d, root) = lab();
    let mut host = Host::open(&root).unwrap();
    let folder = paths::backup_dir('C');
    let m = manifest::read(&host, 'C').unwrap().unwrap();
    let victim = m.files.iter().find(|f| f.module == "rms").unwrap();
    let path = folder.join(&victim.path).unwrap();
    let mut bytes = host.read(&path).unwrap();
    bytes[0] ^= 0xff;
    host.write(&path, &bytes).unwrap();
    drop(host);
    assert_refused(
        &root,
        "C",
        &[&format!("{path} no longer matches the manifest")],
    );
}

#[test]
fn cli_restore_refuses_a_changed_dsn_b21() {
    let (_d, root) = lab();
    let mut host = Host::open(&root).unwrap();
    host.state_mut().registry.dsn.as_mut().unwrap().name = "HPCA790".into();
    host.save().unwrap();
    drop(host);
    assert_refused(
        &root,
        "C",
        &["DSN changed since the backup", "set the DSN back"],
    );
}

#[test]
fn cli_restore_previews_then_needs_yes_off_a_terminal_b30() {
    let (_d, root) = lab();
    hpcasim()
        .args(["restore", "C", "--preview-only", "--host"])
        .arg(&root)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            r"Preview report: C:\HPCABackup\HPCABackup\hpca-restore-preview-report.html",
        ))
        .stdout(predicate::str::contains(r"rds\scripts\01-"))
        .stdout(predicate::str::contains("nothing was restored"));
    let host = Host::open(&root).unwrap();
    assert!(!host.exists(&paths::backup_dir('C').child("hpca-restore-report.html")));
    hpcasim()
        .args(["restore", "C", "--host"])
        .arg(&root)
        .write_stdin("y\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "pass --yes to restore, or --preview-only",
        ));
    hpcasim()
        .args(["restore", "C", "--yes", "--host"])
        .arg(&root)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            r"Report: C:\HPCABackup\HPCABackup\hpca-restore-report.html",
        ))
        .stdout(predicate::str::contains("actionrequired"));
    hpcasim()
        .args(["restore", "C", "--yes", "--host"])
        .arg(&root)
        .assert()
        .success()
        .stdout(predicate::str::contains("already restored"));
}

#[test]
fn cli_sync_refuses_a_core_not_yet_790_then_synchronizes_b62_b63() {
    let dir = tempfile::tempdir().unwrap();
    let core_root = dir.path().join("core");
    let sat_root = dir.path().join("sat");
    let core = fabricate(&core_root, Version::V750, Role::Core, 1);
    let core_name = core.state().hostname.clone();
    drop(core);
    let mut sat = fabricate(&sat_root, Version::V750, Role::Satellite, 0);
    sat.state_mut().registry.product.as_mut().unwrap().core_host =
        Some(core_name.to_ascii_lowercase() + ".corp.example.com");
    sat.save().unwrap();
    backup_and_upgrade(&mut sat, 'C');
    hpca_reference::reboot::reboot(&mut sat).unwrap();
    restore(&mut sat, &hpca_reference::fault::Crash::never()).unwrap();
    drop(sat);

    let sync = |expect: i32| {
        let before = snapshot(&sat_root);
        let out = hpcasim()
            .args(["sync", "--host"])
            .arg(&sat_root)
            .arg("--core")
            .arg(&core_root)
            .assert()
            .code(expect);
        if expect != 0 {
            assert_eq!(
                snapshot(&sat_root),
                before,
                "the refusal changed the Satellite"
            );
        }
        out
    };
    sync(1).stderr(predicate::str::contains(format!(
        "the Core {core_name} still runs HPCA 7.50: upgrade and restore the Core"
    )));
    let mut core = Host::open(&core_root).unwrap();
    backup_and_upgrade(&mut core, 'C');
    hpca_reference::reboot::reboot(&mut core).unwrap();
    sync(1).stderr(predicate::str::contains("not rebooted and restored yet"));
    restore(&mut core, &hpca_reference::fault::Crash::never()).unwrap();
    drop(core);
    sync(0).stdout(predicate::str::contains(format!(
        "synchronized with Core {core_name}"
    )));
    let sat = Host::open(&sat_root).unwrap();
    let core = Host::open(&core_root).unwrap();
    let csdb = |h: &Host| {
        h.walk(&paths::csdb_dir())
            .unwrap()
            .iter()
            .map(|f| (f.path.clone(), h.read(&f.path).unwrap()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        csdb(&sat),
        csdb(&core),
        "the Satellite serves the Core's CSDB"
    );
    sync(0).stdout(predicate::str::contains("0 CSDB file(s) written"));
}

#[test]
fn cli_restore_refuses_a_backup_of_another_server() {
    let (_d, root) = lab();
    let mut host = Host::open(&root).unwrap();
    let mut m = manifest::read(&host, 'C').unwrap().unwrap();
    m.host = "HPCA-CORE-OTHER".into();
    host.write(&manifest::manifest_path('C'), m.to_json().as_bytes())
        .unwrap();
    drop(host);
    assert_refused(
        &root,
        "C",
        &[
            "of HPCA 7.50 Core on HPCA-CORE-OTHER",
            "restore the backup taken on this server",
        ],
    );
}
