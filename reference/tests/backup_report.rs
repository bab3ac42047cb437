//! The backup report, HTML and JSON, as reviewed snapshots (B14), and its escaping.

mod common;

use common::{fabricate, Spec};
use hpca_reference::backup;
use hpca_reference::fault::Crash;
use hpca_reference::report::{render_html, render_json};
use hpca_reference::{paths, Role, Version};

fn report_of(version: Version, role: Role) -> hpca_reference::report::Report {
    let dir = tempfile::tempdir().unwrap();
    let mut host = fabricate(&dir.path().join("h"), &Spec::new(version, role));
    backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never())
        .unwrap()
        .report
}

#[test]
fn backup_report_snapshot_750_core_b14() {
    let report = report_of(Version::V750, Role::Core);
    insta::with_settings!({snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots")}, {
        insta::assert_snapshot!("backup_report_750_core_html", render_html(&report));
        insta::assert_snapshot!("backup_report_750_core_json", render_json(&report));
    });
}

#[test]
fn backup_report_snapshot_720_satellite_b14() {
    let report = report_of(Version::V720, Role::Satellite);
    insta::with_settings!({snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots")}, {
        insta::assert_snapshot!("backup_report_720_satellite_html", render_html(&report));
        insta::assert_snapshot!("backup_report_720_satellite_json", render_json(&report));
    });
}

#[test]
fn backup_report_escapes_customer_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = fabricate(&dir.path().join("h"), &Spec::new(Version::V750, Role::Core));
    // A setting the report will quote: a config file that no longer parses, holding markup.
    let cfg = paths::install_dir()
        .join(r"tomcat\conf\console.cfg")
        .unwrap();
    host.write(&cfg, b"<script>alert('dev&1')</script>\r\n")
        .unwrap();
    let out = backup::backup(&mut host, 'C', &paths::migrate_copy(), &Crash::never()).unwrap();
    let html = host.read_to_string(&out.report_path).unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(&#39;dev&amp;1&#39;)&lt;/script&gt;"));
}
