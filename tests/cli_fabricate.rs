//! `hpcasim fabricate` as a user runs it: summaries, usage errors (exit 2), refusals (exit 1).

use assert_cmd::Command;
use predicates::prelude::*;

fn hpcasim() -> Command {
    Command::cargo_bin("hpcasim").unwrap()
}

#[test]
fn fabricate_prints_a_summary_of_the_new_host() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lab");
    hpcasim()
        .args([
            "fabricate",
            "--version",
            "7.50",
            "--role",
            "core",
            "--devices",
            "5",
            "--seed",
            "42",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "fabricated HPCA Enterprise 7.50 Core on HPCA-CORE-",
        ))
        .stdout(predicate::str::contains("installed size:"))
        .stdout(predicate::str::contains("(media, read-only)"));
    assert!(out.join("host.json").is_file());
}

#[test]
fn an_unknown_version_is_a_usage_error_naming_the_supported_ones_b1() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["7.00", "7.90", "seven"] {
        hpcasim()
            .args(["fabricate", "--version", bad, "--role", "core", "--out"])
            .arg(dir.path().join("x"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("7.20, 7.50 and 7.80"));
    }
    assert!(!dir.path().join("x").exists());
}

#[test]
fn an_unknown_role_is_a_usage_error_naming_core_and_satellite() {
    let dir = tempfile::tempdir().unwrap();
    hpcasim()
        .args(["fabricate", "--version", "7.50", "--role", "edge", "--out"])
        .arg(dir.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("core and satellite"));
}

#[test]
fn a_bad_drive_layout_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    hpcasim()
        .args([
            "fabricate",
            "--version",
            "7.50",
            "--role",
            "core",
            "--drives",
            "D=8G",
            "--out",
        ])
        .arg(dir.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a C: drive"));
}

#[test]
fn a_non_empty_out_is_refused_with_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lab");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "precious").unwrap();
    hpcasim()
        .args([
            "fabricate",
            "--version",
            "7.80",
            "--role",
            "satellite",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("exists and is not empty"));
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["keep.txt"]);
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "precious"
    );
}

#[test]
fn a_separate_boot_server_on_750_is_refused_with_a_reason_b22() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lab");
    hpcasim()
        .args([
            "fabricate",
            "--version",
            "7.50",
            "--role",
            "core",
            "--boot-server",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("integrated rbs component"));
    assert!(!out.exists());
    hpcasim()
        .args([
            "fabricate",
            "--version",
            "7.20",
            "--role",
            "core",
            "--boot-server",
            "--devices",
            "3",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn editions_and_sql_servers_the_migration_refuses_can_be_fabricated_b1_b2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lab");
    hpcasim()
        .args([
            "fabricate",
            "--version",
            "7.50",
            "--role",
            "core",
            "--devices",
            "3",
        ])
        .args([
            "--edition",
            "starter",
            "--sql-server",
            "sqlserver2000",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("HPCA Starter 7.50 Core"));
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("host.json")).unwrap()).unwrap();
    assert_eq!(state["database_server"], "SQL Server 2000");
    assert_eq!(state["registry"]["product"]["edition"], "starter");
}

#[test]
fn defects_are_summarised_for_750_and_a_usage_error_for_780() {
    let dir = tempfile::tempdir().unwrap();
    hpcasim()
        .args([
            "fabricate",
            "--version",
            "7.50",
            "--role",
            "core",
            "--devices",
            "5",
        ])
        .args(["--defects", "orphans=0.02", "--out"])
        .arg(dir.path().join("a"))
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(r"defects: +[1-9][0-9]* orphans, 0 duplicates, 0 nulls")
                .unwrap(),
        );
    hpcasim()
        .args([
            "fabricate",
            "--version",
            "7.80",
            "--role",
            "core",
            "--defects",
            "orphans=0.02",
            "--out",
        ])
        .arg(dir.path().join("b"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "fabricate 7.20 or 7.50 for defects",
        ));
    hpcasim()
        .args([
            "fabricate",
            "--version",
            "7.50",
            "--role",
            "core",
            "--defects",
            "typos=0.1",
            "--out",
        ])
        .arg(dir.path().join("c"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("orphans, duplicates and nulls"));
    assert!(!dir.path().join("b").exists() && !dir.path().join("c").exists());
}
