//! `hpcasim dump` as a user runs it: text snapshots of each version and role, JSON shape,
//! and refusals.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn hpcasim() -> Command {
    Command::cargo_bin("hpcasim").unwrap()
}

fn fabricate(out: &Path, version: &str, role: &str) {
    hpcasim()
        .args([
            "fabricate",
            "--version",
            version,
            "--role",
            role,
            "--devices",
            "3",
            "--seed",
            "7",
            "--out",
        ])
        .arg(out)
        .assert()
        .success();
}

fn dump(host: &Path, json: bool) -> String {
    let mut cmd = hpcasim();
    cmd.args(["dump", "--host"]).arg(host);
    if json {
        cmd.arg("--json");
    }
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn each_version_and_role_dumps_as_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    for version in ["7.20", "7.50", "7.80"] {
        for role in ["core", "satellite"] {
            let host = dir.path().join(format!("{version}-{role}"));
            fabricate(&host, version, role);
            let text = dump(&host, false);
            let name = format!("dump_{}_{role}", version.replace('.', ""));
            insta::with_settings!({snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"), prepend_module_to_snapshot => false}, {
                insta::assert_snapshot!(name, text);
            });
        }
    }
}

#[test]
fn json_has_version_role_and_database_tables() {
    let dir = tempfile::tempdir().unwrap();
    let host = dir.path().join("lab");
    fabricate(&host, "7.80", "core");
    let json: serde_json::Value = serde_json::from_str(&dump(&host, true)).unwrap();
    assert_eq!(json["version"], "7.80");
    assert_eq!(json["role"], "core");
    assert_eq!(json["database"]["tables"]["Device"]["rows"], 3);
    assert!(json["database"]["tables"]["Device"]["digest"].is_string());
    assert_eq!(
        json["database"]["tables"]["Device"]["primary_key"][0],
        "DeviceId"
    );
    assert!(json["files"].as_array().unwrap().len() > 100);
    let password = {
        let state: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(host.join("host.json")).unwrap())
                .unwrap();
        state["registry"]["dsn"]["password"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(!dump(&host, true).contains(&password));
    assert!(!dump(&host, false).contains(&password));
}

#[test]
fn the_same_seed_dumps_byte_identically() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    fabricate(&a, "7.20", "satellite");
    fabricate(&b, "7.20", "satellite");
    assert_eq!(dump(&a, false), dump(&b, false));
    assert_eq!(dump(&a, true), dump(&b, true));
}

#[test]
fn a_folder_that_is_no_host_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    hpcasim()
        .args(["dump", "--host"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not an hpcasim host"));
}

#[cfg(unix)]
#[test]
fn a_link_leading_out_of_the_host_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let host = dir.path().join("lab");
    fabricate(&host, "7.50", "satellite");
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "not the host's").unwrap();
    std::os::unix::fs::symlink(&outside, host.join("drives/C/escape")).unwrap();
    hpcasim()
        .args(["dump", "--host"])
        .arg(&host)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("leads outside the host folder"));
}

#[test]
fn a_dump_piped_into_a_reader_that_stops_early_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let lab = dir.path().join("lab");
    Command::cargo_bin("hpcasim")
        .unwrap()
        .args([
            "fabricate",
            "--version",
            "7.50",
            "--role",
            "core",
            "--devices",
            "3",
            "--out",
        ])
        .arg(&lab)
        .assert()
        .success();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hpcasim"))
        .args(["dump", "--json", "--host"])
        .arg(&lab)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read a few bytes, then close the pipe as `head -c 200` does.
    let mut first = [0u8; 200];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

/// Every command's output, not only dump's: a command whose reader has gone (`hpcasim ... |
/// head`, the pipe closed before the first line) finishes its work and exits 0, no panic.
#[test]
fn a_command_whose_reader_closed_the_pipe_still_finishes_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let lab = dir.path().join("lab");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hpcasim"))
        .args(["fabricate", "--version", "7.50", "--role", "core"])
        .args(["--devices", "3", "--out"])
        .arg(&lab)
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(lab.join("host.json").is_file(), "the host was fabricated");
}
