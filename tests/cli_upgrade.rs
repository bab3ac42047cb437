//! `hpcasim upgrade`, `reboot` and `wizard` as an operator types them (B7, B20-B26).

#[path = "../reference/tests/common/mod.rs"]
mod common;

use assert_cmd::Command;
use common::{fabricate, snapshot, Spec};
use hpca_reference::host::WizardState;
use hpca_reference::{Host, Role, Version};
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

fn ok(root: &Path, args: &[&str]) -> String {
    let out = hpcasim()
        .args(args)
        .arg("--host")
        .arg(root)
        .assert()
        .success();
    let out = out.get_output();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains(common::DSN_PASSWORD),
        "password printed: {text}"
    );
    text
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
fn cli_backup_upgrade_reboot_reaches_790_with_the_database_intact_b20_b21_b25() {
    for (version, role) in [
        (Version::V750, Role::Core),
        (Version::V720, Role::Satellite),
    ] {
        let (_d, root) = lab(Spec::new(version, role));
        let db_before =
            (role == Role::Core).then(|| common::database_digests(&Host::open(&root).unwrap()));
        ok(&root, &["backup", "C"]);
        let text = ok(&root, &["upgrade", "--yes"]);
        assert!(
            text.contains(r"C:\migrate\logs\hpca-upgrade-report.html"),
            "{text}"
        );
        assert!(text.contains("Reboot now"), "{text}");
        let text = ok(&root, &["reboot"]);
        assert!(
            text.contains("pending file operation(s) carried out"),
            "{text}"
        );
        let host = Host::open(&root).unwrap();
        let product = host.state().registry.product.clone().unwrap();
        assert_eq!((product.version, product.role), (Version::V790, role));
        assert!(!host.state().registry.reboot_required);
        if let Some(before) = db_before {
            assert_eq!(common::database_digests(&host), before);
        }
        let leaks: Vec<_> = common::files_containing(&root, common::DSN_PASSWORD)
            .into_iter()
            .filter(|p| p != Path::new("host.json"))
            .collect();
        assert!(leaks.is_empty(), "{leaks:?}");
    }
}

#[test]
fn cli_upgrade_without_yes_and_no_terminal_refuses_b20() {
    let (_d, root) = lab(Spec::new(Version::V780, Role::Core));
    ok(&root, &["backup", "C"]);
    assert_refused(&root, &["upgrade"], &["not confirmed", "pass --yes"]);
}

#[test]
fn cli_upgrade_without_backup_refuses_b7() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Satellite));
    assert_refused(
        &root,
        &["upgrade", "--yes"],
        &["no complete backup", "hpcasim backup", "--without-backup"],
    );
}

#[test]
fn cli_upgrade_with_without_backup_reports_the_loss_b20() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    let text = ok(&root, &["upgrade", "--yes", "--without-backup"]);
    assert!(text.contains("1 error"), "{text}");
    let report =
        std::fs::read_to_string(root.join("drives/C/migrate/logs/hpca-upgrade-report.json"))
            .unwrap();
    assert!(report.contains("WITHOUT a complete backup"), "{report}");
}

#[test]
fn cli_pending_reboot_blocks_every_later_step_b25() {
    let (_d, root) = lab(Spec::new(Version::V720, Role::Core));
    ok(&root, &["backup", "C"]);
    ok(&root, &["upgrade", "--yes"]);
    for args in [&["backup", "C"][..], &["upgrade", "--yes"], &["wizard"]] {
        assert_refused(&root, args, &["reboot is pending", "reboot first"]);
    }
    ok(&root, &["reboot"]);
    // After the reboot the backup refuses for another reason: 7.90 is no source version.
    assert_refused(&root, &["backup", "C"], &["already runs 7.90"]);
}

#[test]
fn cli_open_firewall_and_wizard_b23_b24() {
    let (_d, root) = lab(Spec::new(Version::V780, Role::Satellite));
    ok(&root, &["backup", "D"]);
    let text = ok(&root, &["upgrade", "--yes", "--open-firewall"]);
    assert!(text.contains("warning"), "{text}");
    ok(&root, &["reboot"]);
    let host = Host::open(&root).unwrap();
    assert!(host.state().firewall.open_ports.contains(&3466));
    assert_eq!(host.state().registry.first_time_setup, WizardState::Offered);
    let text = ok(&root, &["wizard"]);
    assert!(
        text.contains("hpca-wizard-report.html") && text.contains("error"),
        "{text}"
    );
    let host = Host::open(&root).unwrap();
    assert_eq!(host.state().registry.first_time_setup, WizardState::Run);
    hpcasim()
        .args(["wizard", "--host"])
        .arg(&root)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already been run"));
}
