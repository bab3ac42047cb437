//! The first half of the guide on fabricated hosts, as an operator types it: fabricate,
//! backup, upgrade --yes, reboot; and the refusals, each compared by `dump --json` before and
//! after (B1-B3, B7, B10-B15, B20-B26).

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn hpcasim() -> Command {
    Command::cargo_bin("hpcasim").unwrap()
}

fn fabricate(root: &Path, version: &str, role: &str, extra: &[&str]) {
    hpcasim()
        .args([
            "fabricate",
            "--version",
            version,
            "--role",
            role,
            "--seed",
            "7",
        ])
        .args(extra)
        .arg("--out")
        .arg(root)
        .assert()
        .success();
}

fn dump(root: &Path) -> Value {
    let out = hpcasim()
        .args(["dump", "--json", "--host"])
        .arg(root)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

fn run(root: &Path, args: &[&str]) -> (i32, String) {
    let out = hpcasim()
        .args(args)
        .arg("--host")
        .arg(root)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap(), text)
}

/// The DSN password the fabricator chose, read from the registry (host.json).
fn dsn_password(root: &Path) -> Option<String> {
    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("host.json")).unwrap()).unwrap();
    state["registry"]["dsn"]["password"]
        .as_str()
        .map(str::to_string)
}

/// Files below the host folder, other than the registry, holding `needle`.
fn files_holding(root: &Path, needle: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("drives")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
            {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn fabricated_hosts_of_every_version_and_role_reach_790_with_their_database_b20_b21_b25() {
    for version in ["7.20", "7.50", "7.80"] {
        for role in ["core", "satellite"] {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("lab");
            fabricate(&root, version, role, &[]);
            let before = dump(&root);
            for step in [&["backup", "C"][..], &["upgrade", "--yes"], &["reboot"]] {
                let (code, text) = run(&root, step);
                assert_eq!(code, 0, "{version} {role} {step:?}: {text}");
            }
            let after = dump(&root);
            assert_eq!(after["version"], "7.90", "{version} {role}");
            assert_eq!(after["role"], role);
            assert_eq!(after["database"], before["database"], "{version} {role}");
            assert_eq!(after["registry"]["dsn"], before["registry"]["dsn"]);
            assert_eq!(after["registry"]["reboot_required"], false);
            if let Some(password) = dsn_password(&root) {
                let leaks = files_holding(&root, &password);
                assert!(leaks.is_empty(), "{version} {role}: {leaks:?}");
            }
        }
    }
}

/// A refused command: exit 1, says `says`, and the dump is unchanged.
fn assert_refused(root: &Path, args: &[&str], says: &[&str]) {
    let before = dump(root);
    let (code, text) = run(root, args);
    assert_eq!(code, 1, "{args:?}: {text}");
    for s in says {
        assert!(text.contains(s), "{args:?} lacks {s:?}: {text}");
    }
    assert_eq!(dump(root), before, "{args:?} changed the host");
}

#[test]
fn fabricated_refusals_change_nothing_b1_b2_b3_b7_b10() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("nocopy");
    fabricate(&root, "7.50", "core", &["--no-migrate-copy"]);
    assert_refused(
        &root,
        &["backup", "C"],
        &[r"C:\migrate does not exist", r"E:\migrate"],
    );
    assert_refused(
        &root,
        &["backup", "C", "--from", r"E:\migrate"],
        &["installation media"],
    );

    let root = dir.path().join("sql2000");
    fabricate(&root, "7.20", "core", &["--sql-server", "sqlserver2000"]);
    assert_refused(&root, &["backup", "C"], &["SQL Server 2000"]);

    let root = dir.path().join("standard");
    fabricate(&root, "7.80", "satellite", &["--edition", "standard"]);
    assert_refused(&root, &["backup", "C"], &["Standard", "Enterprise"]);

    let root = dir.path().join("short");
    fabricate(&root, "7.50", "satellite", &["--drives", "C=40G,D=64K"]);
    assert_refused(
        &root,
        &["backup", "D"],
        &["drive D:", "needs about", "bytes free"],
    );
    assert_refused(&root, &["upgrade", "--yes"], &["no complete backup"]);
}

#[test]
fn fabricated_720_boot_server_is_left_and_reported_b22() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("boot");
    fabricate(&root, "7.20", "core", &["--boot-server"]);
    let before = dump(&root);
    let (code, text) = run(&root, &["backup", "C"]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = run(&root, &["upgrade", "--yes"]);
    assert_eq!(code, 0, "{text}");
    run(&root, &["reboot"]);
    let after = dump(&root);
    assert_eq!(
        after["registry"]["boot_server"],
        before["registry"]["boot_server"]
    );
    let report =
        std::fs::read_to_string(root.join("drives/C/migrate/logs/hpca-upgrade-report.json"))
            .unwrap();
    assert!(report.contains("was not migrated"), "{report}");
}
