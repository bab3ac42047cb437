//! Reviewed snapshots of the preview (B30, B31) and restore (B34, B35, B5, B6) reports, HTML
//! and JSON, for a 7.50 Core with two CSDB customizations and a 7.20 Satellite. Nothing is
//! redacted: every value comes from the seed and the host clock.

mod restore_support;

use hpca_reference::fault::Crash;
use hpca_reference::{restore, Host, Role, Version};
use restore_support::*;

fn reports(version: Version, role: Role, customizations: usize) -> [(String, String); 4] {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    let mut host = ready_lab(&root, version, role, customizations);
    let plan = restore::check(&host, 'C', &from()).unwrap();
    let preview = restore::preview(&mut host, &plan, &Crash::never()).unwrap();
    let out = restore::restore(&mut host, &plan, &Crash::never()).unwrap();
    let host = Host::open(&root).unwrap();
    let read = |p| host.read_to_string(p).unwrap();
    [
        ("preview_html".into(), read(&preview.report_path)),
        ("preview_json".into(), read(&preview.json_path)),
        ("restore_html".into(), read(&out.report_path)),
        ("restore_json".into(), read(&out.json_path)),
    ]
}

#[test]
fn restore_reports_750_core_with_two_customizations_b30_b31_b34_b35() {
    for (kind, text) in reports(Version::V750, Role::Core, 2) {
        insta::with_settings!({snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots")}, {
            insta::assert_snapshot!(format!("restore_750_core_{kind}"), text);
        });
    }
}

#[test]
fn restore_reports_720_satellite_b30_b34_b5_b6_b62() {
    for (kind, text) in reports(Version::V720, Role::Satellite, 0) {
        insta::with_settings!({snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots")}, {
            insta::assert_snapshot!(format!("restore_720_satellite_{kind}"), text);
        });
    }
}
