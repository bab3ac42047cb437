//! `hpcasim backup` as an operator types it: output, exit status, refusals (B1-B3, B10-B14).

#[path = "../reference/tests/common/mod.rs"]
mod common;

use assert_cmd::Command;
use common::{fabricate, snapshot, Spec};
use hpca_reference::{Role, Version};
use predicates::prelude::*;
use std::path::Path;

fn hpcasim() -> Command {
    Command::cargo_bin("hpcasim").unwrap()
}

fn lab(spec: Spec) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    fabricate(&root, &spec);
    (dir, root)
}

/// Runs a command that must refuse: exit 1, the message on stderr, the host unchanged.
fn assert_refused(root: &Path, args: &[&str], says: &[&str]) {
    let before = snapshot(root);
    let out = hpcasim()
        .args(args)
        .arg("--host")
        .arg(root)
        .assert()
        .code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    for s in says {
        assert!(stderr.contains(s), "stderr lacks {s:?}: {stderr}");
    }
    assert_eq!(snapshot(root), before, "refusal changed the host");
}

#[test]
fn cli_backup_prints_the_report_and_success_line_b11_b14() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    hpcasim()
        .args(["backup", "c:", "--host"])
        .arg(&root)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            r"Report: C:\HPCABackup\HPCABackup\hpca-backup-report.html",
        ))
        .stdout(predicate::str::contains("1 actionrequired"))
        .stdout(predicate::str::contains(
            r"every HPCA component is now saved in C:\HPCABackup",
        ));
    assert!(root
        .join("drives/C/HPCABackup/HPCABackup/hpcabackup-manifest.json")
        .is_file());
}

#[test]
fn cli_backup_rerun_names_the_renamed_folder_b12() {
    let (_d, root) = lab(Spec::new(Version::V720, Role::Satellite));
    hpcasim()
        .args(["backup", "D", "--host"])
        .arg(&root)
        .assert()
        .success();
    hpcasim()
        .args(["backup", "D", "--host"])
        .arg(&root)
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"renamed to D:\\HPCABackup\\HPCABackup-\d+").unwrap())
        .stdout(predicate::str::contains("hpcabackup-report.html"));
}

#[test]
fn cli_backup_refuses_a_short_drive_b10() {
    let mut spec = Spec::new(Version::V750, Role::Core);
    spec.capacity_d = 120_000;
    let (_d, root) = lab(spec);
    assert_refused(
        &root,
        &["backup", "D"],
        &["drive D:", "needs about", "nothing was written"],
    );
}

#[test]
fn cli_backup_refuses_from_the_media_and_a_missing_copy_b3() {
    let (_d, root) = lab(Spec::new(Version::V780, Role::Core));
    assert_refused(
        &root,
        &["backup", "C", "--from", r"E:\migrate"],
        &["installation media", r"C:\migrate"],
    );
    assert_refused(
        &root,
        &["backup", "C", "--from", r"D:\tools\migrate"],
        &["does not exist", r"E:\migrate"],
    );
}

#[test]
fn cli_backup_refuses_unsupported_version_and_sql_server_2000_b1_b2() {
    let (_d, root) = lab(Spec::new(Version::V790, Role::Core));
    assert_refused(&root, &["backup", "C"], &["7.90", "7.20, 7.50 and 7.80"]);
    let mut spec = Spec::new(Version::V750, Role::Core);
    spec.database_server = hpca_reference::DatabaseServer::SqlServer2000;
    let (_e, root) = lab(spec);
    assert_refused(
        &root,
        &["backup", "C"],
        &["SQL Server 2000", "upgrade the database server"],
    );
}

#[test]
fn cli_backup_rejects_a_bad_drive_argument_as_usage() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    hpcasim()
        .args(["backup", "CD", "--host"])
        .arg(&root)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a drive letter"));
}
