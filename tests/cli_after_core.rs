//! What follows the Core's migration, as an operator types it: `console` (B50, B5, B6, B4),
//! `live-network` (B55), `deploy` and `devices` (B60, B61, B63). Every refusal exits 1 with
//! a message naming the problem and the way out, and leaves `dump --json` as it was.

use assert_cmd::Command;
use hpca_reference::{console, Host};
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A seed whose site configured Live Network, and one whose site did not.
const CONFIGURED: &str = "90";
const UNCONFIGURED: &str = "91";

fn hpcasim() -> Command {
    Command::cargo_bin("hpcasim").unwrap()
}

fn ok(root: &Path, args: &[&str]) -> String {
    let out = hpcasim()
        .args(args)
        .arg("--host")
        .arg(root)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn dump(root: &Path) -> Value {
    let out = hpcasim()
        .args(["dump", "--json", "--host"])
        .arg(root)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

/// Runs a command that must refuse: exit 1, each of `says` in its message, the same dump.
fn refused(root: &Path, args: &[&str], says: &[&str]) {
    let before = dump(root);
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
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(
        dump(root),
        before,
        "`{}` refused but changed the host",
        args.join(" ")
    );
}

/// Fabricates a Core with the guide's ports blocked, then backup, upgrade, reboot (and the
/// restore unless `restore` is false), all through the CLI.
fn core(dir: &Path, version: &str, seed: &str, restore: bool) -> PathBuf {
    let root = dir.join("core");
    hpcasim()
        .args([
            "fabricate",
            "--role",
            "core",
            "--devices",
            "6",
            "--users",
            "2",
        ])
        .args(["--version", version, "--seed", seed, "--out"])
        .arg(&root)
        .assert()
        .success();
    let mut host = Host::open(&root).unwrap();
    for port in console::REMOTE_ACCESS_PORTS {
        host.state_mut().firewall.open_ports.remove(&port);
    }
    host.save().unwrap();
    ok(&root, &["backup", "C"]);
    ok(&root, &["upgrade", "--yes"]);
    ok(&root, &["reboot"]);
    if restore {
        ok(&root, &["restore", "C", "--yes"]);
    }
    root
}

#[test]
fn cli_console_logs_admin_in_and_opens_remote_access_again_b50_b5() {
    let dir = tempfile::tempdir().unwrap();
    let root = core(dir.path(), "7.80", CONFIGURED, true);
    assert_eq!(dump(&root)["firewall"], serde_json::json!([]));
    let out = ok(
        &root,
        &["console", "--password", "secret", "--open-remote-access"],
    );
    assert!(out.contains("Logged in to http://HPCA-CORE-"), "{out}");
    assert!(out.contains(":3466 as admin"), "{out}");
    assert!(
        out.contains("Remote access opened: port(s) 3466 and 3464"),
        "{out}"
    );
    assert!(out.contains("change it now"), "{out}");
    assert_eq!(dump(&root)["firewall"], serde_json::json!([3464, 3466]));
}

#[test]
fn cli_console_refuses_a_720_user_wrong_password_and_early_ports_b6_b4_b50() {
    let dir = tempfile::tempdir().unwrap();
    let root = core(dir.path(), "7.20", CONFIGURED, false);
    refused(
        &root,
        &["console", "--password", "secret", "--open-remote-access"],
        &["stay closed to agents and satellites until the restore is done"],
    );
    refused(
        &root,
        &["console", "--password", "secret"],
        &["does not answer", "restore has not finished"],
    );
    ok(&root, &["restore", "C", "--yes"]);
    let user = Host::open(&root).unwrap().state().users[1].name.clone();
    refused(
        &root,
        &["console", "--user", &user, "--password", "x"],
        &[&user, "created in HPCA 7.20", "grant it roles again"],
    );
    refused(
        &root,
        &["console", "--password", "7.20-password"],
        &["wrong password", "'secret'"],
    );
}

#[test]
fn cli_live_network_checks_then_replaces_every_item_b55() {
    let dir = tempfile::tempdir().unwrap();
    let root = core(dir.path(), "7.50", CONFIGURED, true);
    let before = dump(&root);
    let out = ok(&root, &["live-network", "check"]);
    assert!(
        out.contains("configuration is usable") && out.contains("(version 7.90)"),
        "{out}"
    );
    assert_eq!(dump(&root), before, "check wrote something");
    let out = ok(&root, &["live-network", "update"]);
    assert!(out.contains("Compliance benchmarks (SCAP): "), "{out}");
    assert!(
        out.contains(
            r"Report: C:\Program Files\Hewlett-Packard\HPCA\Core\logs\hpln-update-report.html"
        ),
        "{out}"
    );
    assert!(out.contains("replaced all 3 content item(s)"), "{out}");
}

#[test]
fn cli_live_network_refuses_a_missing_configuration_and_a_foreign_connector_b55() {
    let dir = tempfile::tempdir().unwrap();
    let root = core(dir.path(), "7.80", UNCONFIGURED, true);
    refused(
        &root,
        &["live-network", "update"],
        &["no Live Network URL is set", "live-network configure"],
    );
    hpcasim()
        .args(["live-network", "configure", "--host"])
        .arg(&root)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("configure needs at least one of"));
    let out = ok(
        &root,
        &[
            "live-network",
            "configure",
            "--url",
            "https://hpln.hp.com/content",
            "--user",
            "ops@corp.example.com",
            "--password",
            "Hpln-2010",
            "--connector",
            r"D:\HPLN\hpln-connector.jar",
        ],
    );
    assert!(
        out.contains("password set") && !out.contains("Hpln-2010"),
        "{out}"
    );
    refused(
        &root,
        &["live-network", "update"],
        &[
            r"D:\HPLN\hpln-connector.jar",
            "--installed-connector",
            "--connector-by-support",
        ],
    );
    ok(
        &root,
        &["live-network", "configure", "--installed-connector"],
    );
    ok(&root, &["live-network", "update"]);
}

#[test]
fn cli_deploys_agents_and_administrators_after_the_core_and_refuses_ccm_publisher_b60_b61() {
    let dir = tempfile::tempdir().unwrap();
    let root = core(dir.path(), "7.50", CONFIGURED, true);
    refused(
        &root,
        &["deploy", "agent", "--method", "console"],
        &["port 3464", "--open-remote-access"],
    );
    ok(
        &root,
        &["console", "--password", "secret", "--open-remote-access"],
    );
    ok(&root, &["live-network", "update"]);
    let out = ok(&root, &["deploy", "agent", "--method", "console"]);
    assert!(
        out.contains("6 agent(s) upgraded in place to 7.90 by console"),
        "{out}"
    );
    let out = ok(&root, &["deploy", "admin", "--method", "media"]);
    assert!(
        out.contains("Administrator 7.50 removed, 7.90 installed (media)"),
        "{out}"
    );
    let out = ok(&root, &["devices"]);
    assert!(out.contains("agent 7.90 (upgraded by console)"), "{out}");
    assert!(
        out.contains("Administrator 7.90 (installed by media)"),
        "{out}"
    );
    assert!(!out.contains("agent 7.50"), "{out}");
    refused(
        &root,
        &["deploy", "service", "CCM_PUBLISHER"],
        &["legacy service", "HPCA_ADMINTOOLS"],
    );
    refused(
        &root,
        &[
            "deploy", "admin", "--method", "service", "--device", "NOPE01",
        ],
        &["manages no device named 'NOPE01'"],
    );
}

#[test]
fn cli_deploy_before_the_core_is_restored_is_refused_b63() {
    let dir = tempfile::tempdir().unwrap();
    let root = core(dir.path(), "7.80", CONFIGURED, false);
    refused(
        &root,
        &["deploy", "agent", "--method", "media"],
        &[
            "runs 7.90 but is not rebooted and restored yet",
            "before upgrading the agents",
        ],
    );
    refused(
        &root,
        &["deploy", "service", "HPCA_ADMINTOOLS"],
        &["upgrade and restore the Core to 7.90 before"],
    );
}

#[test]
fn cli_help_describes_the_after_core_commands() {
    for (args, says) in [
        (vec!["console", "--help"], "--open-remote-access"),
        (vec!["live-network", "--help"], "--connector-by-support"),
        (vec!["deploy", "agent", "--help"], "decks"),
        (vec!["deploy", "admin", "--help"], "HPCA_ADMINTOOLS"),
        (vec!["deploy", "service", "--help"], "CCM_PUBLISHER"),
        (vec!["devices", "--help"], "--json"),
    ] {
        hpcasim()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains(says));
    }
}
