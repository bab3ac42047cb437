//! Backup through the public API: modules, manifest, reports, rerun (B10-B15).

mod common;

use common::{fabricate, Spec};
use hpca_reference::backup::{self, manifest};
use hpca_reference::fault::Crash;
use hpca_reference::report::Level;
use hpca_reference::{paths, Host, Role, Version, WinPath};

fn from() -> WinPath {
    paths::migrate_copy()
}

#[test]
fn backup_extracts_every_module_with_a_manifest_last_b11_b15() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = fabricate(&dir.path().join("h"), &Spec::new(Version::V750, Role::Core));
    let out = backup::backup(&mut host, 'D', &from(), &Crash::never()).unwrap();
    let m = &out.manifest;
    let names: Vec<_> = m.modules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        hpca_reference::install::modules(Version::V750, Role::Core)
    );
    assert!(names.contains(&"rds") && names.contains(&"rms"));
    assert_eq!(m.location.drive, 'D');
    assert_eq!(m.location.path, paths::backup_dir('D'));
    assert_eq!(m.host, "HPCA01");
    assert_eq!(m.source.version, Version::V750);
    // The CSDB belongs to rds, not to the Configuration Server folder that holds it.
    assert!(m
        .files
        .iter()
        .any(|f| f.module == "rds" && f.path.starts_with(r"rds\files\PRIMARY")));
    assert!(!m
        .files
        .iter()
        .any(|f| f.module == "rcs" && f.path.contains("PRIMARY")));
    // Every recorded file is there, with the recorded digest, and equals its source.
    for f in &m.files {
        let copy = host
            .read(&paths::backup_dir('D').join(&f.path).unwrap())
            .unwrap();
        assert_eq!(manifest::sha256_hex(&copy), f.sha256, "{}", f.path);
        assert_eq!(copy.len() as u64, f.size);
        assert_eq!(host.read(&f.source).unwrap(), copy);
    }
    // The reporting database stays in place and is not copied; the DSN is recorded redacted.
    assert!(!m.files.iter().any(|f| f.source == common::database_file()));
    let dsn = m.dsn.as_deref().unwrap();
    assert!(dsn.contains("PWD=********") && !dsn.contains(common::DSN_PASSWORD));
    assert_eq!(manifest::read(&host, 'D').unwrap().unwrap(), *m);
    assert_eq!(
        out.success_line,
        r"Backup finished: every HPCA component is now saved in D:\HPCABackup."
    );
    // Settings carried per module, parsed.
    let rms = host
        .read_to_string(&paths::backup_dir('D').join(r"rms\settings.json").unwrap())
        .unwrap();
    assert!(rms.contains("\"debug\""), "{rms}");
}

#[test]
fn backup_report_names_follow_the_guide_per_role_b14() {
    for (role, name) in [
        (Role::Core, "hpca-backup-report.html"),
        (Role::Satellite, "hpcabackup-report.html"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut host = fabricate(&dir.path().join("h"), &Spec::new(Version::V780, role));
        let out = backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
        assert_eq!(out.report_path, paths::backup_dir('C').child(name));
        assert!(host.exists(&out.report_path));
        assert_eq!(
            out.json_path.file_name().unwrap(),
            name.replace(".html", ".json")
        );
        let json: serde_json::Value =
            serde_json::from_str(&host.read_to_string(&out.json_path).unwrap()).unwrap();
        assert_eq!(json["role"], role.as_str());
    }
}

#[test]
fn backup_reminds_to_back_up_the_database_with_its_own_tools_b7() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = fabricate(&dir.path().join("h"), &Spec::new(Version::V720, Role::Core));
    let out = backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
    let e = out
        .report
        .entries
        .iter()
        .find(|e| e.module.as_deref() == Some("rms") && e.level == Level::ActionRequired)
        .expect("a database reminder");
    assert!(e.message.contains("own backup tools") && e.message.contains("PWD=********"));
}

#[test]
fn backup_rerun_renames_the_previous_folder_with_the_host_clock_b12() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = fabricate(
        &dir.path().join("h"),
        &Spec::new(Version::V780, Role::Satellite),
    );
    let first = backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
    let rerun_at = host.now();
    assert!(
        rerun_at > common::CLOCK,
        "the first backup advanced the clock"
    );
    let second = backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
    let renamed = paths::renamed_backup_dir('C', rerun_at);
    assert_eq!(second.renamed_previous.as_ref(), Some(&renamed));
    assert_eq!(
        renamed.to_string(),
        format!(r"C:\HPCABackup\HPCABackup-{rerun_at}")
    );
    // The old backup moved whole (its manifest still names where it was written).
    let old = host
        .read_to_string(&renamed.child(manifest::MANIFEST_FILE))
        .unwrap();
    assert_eq!(old, first.manifest.to_json());
    assert!(host.exists(&manifest::manifest_path('C')));
    assert!(second.manifest.written_at > first.manifest.written_at);
    // A third run gets yet another distinct folder.
    let third_at = host.now();
    backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
    assert!(host.exists(&paths::renamed_backup_dir('C', third_at)));
    assert!(host.exists(&renamed));
}

#[test]
fn backup_warns_that_a_720_boot_server_is_not_migrated_b22() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = Spec::new(Version::V720, Role::Core);
    spec.boot_server = true;
    let mut host = fabricate(&dir.path().join("h"), &spec);
    let out = backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
    assert!(out.report.entries.iter().any(|e| e.level == Level::Warning
        && e.module.as_deref() == Some("rbs")
        && e.message.contains("default.cfg")));
}

#[test]
fn backup_is_byte_identical_for_the_same_fixture() {
    let run = |name: &str| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(name);
        let mut host = fabricate(&root, &Spec::new(Version::V750, Role::Core));
        backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
        let snap = common::snapshot(&root);
        drop(host);
        (dir, snap)
    };
    let (_a, one) = run("a");
    let (_b, two) = run("b");
    assert_eq!(one, two);
}

#[test]
fn backup_writes_no_password_into_any_report_or_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("h");
    let mut host = fabricate(&root, &Spec::new(Version::V750, Role::Core));
    backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
    let leaks: Vec<_> = common::files_containing(&root, common::DSN_PASSWORD)
        .into_iter()
        .filter(|p| p != std::path::Path::new("host.json"))
        .collect();
    assert!(leaks.is_empty(), "{leaks:?}");
    let _ = Host::open(&root).unwrap();
}

#[test]
fn backup_warns_when_agent_ports_are_open_b4() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = fabricate(&dir.path().join("h"), &Spec::new(Version::V750, Role::Core));
    let quiet = backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
    assert!(!quiet
        .report
        .entries
        .iter()
        .any(|e| e.message.contains("3466")));
    host.state_mut().firewall.open_ports.insert(3466);
    let warned = backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
    assert!(warned
        .report
        .entries
        .iter()
        .any(|e| e.level == Level::Warning && e.message.contains("3466")));
}

/// A fresh host for the crash test: fabricated (byte-identical every time for the same spec),
/// and, when `previous`, already backed up once so the run under test renames that backup.
fn crash_lab(root: &std::path::Path, previous: bool) -> Host {
    let mut host = fabricate(root, &Spec::new(Version::V720, Role::Core));
    if previous {
        backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
    }
    host
}

#[test]
fn a_backup_killed_at_any_point_then_run_again_ends_as_an_uninterrupted_one_b11_b12() {
    for previous in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let clean = dir.path().join("clean");
        let recorder = Crash::never();
        let out =
            backup::backup(&mut crash_lab(&clean, previous), 'C', &from(), &recorder).unwrap();
        assert_eq!(out.renamed_previous.is_some(), previous);
        let expected = common::snapshot(&clean);
        let points = recorder.passed();
        for name in [
            "backup:rds",
            "backup:rms",
            "backup:report",
            "backup:manifest",
            "backup:done",
        ] {
            assert!(
                points.iter().any(|p| p == name),
                "{name} not passed: {points:?}"
            );
        }
        for (n, point) in points.iter().enumerate() {
            let lab = dir.path().join(format!("crash-{n}"));
            let err = backup::backup(
                &mut crash_lab(&lab, previous),
                'C',
                &from(),
                &Crash::at(point.clone()),
            )
            .unwrap_err();
            assert!(
                matches!(&err, hpca_reference::Error::Crashed { point: p } if p == point),
                "{err}"
            );
            // What the killed run left is no backup: nothing may take it for one.
            assert!(
                !Host::open(&lab)
                    .unwrap()
                    .exists(&manifest::manifest_path('C'))
                    || point == "backup:done"
            );
            let rerun = backup::backup(
                &mut Host::open(&lab).unwrap(),
                'C',
                &from(),
                &Crash::never(),
            )
            .unwrap();
            assert_eq!(
                rerun.renamed_previous, out.renamed_previous,
                "crash at {point}"
            );
            let got = common::snapshot(&lab);
            let differ: Vec<_> = got
                .keys()
                .chain(expected.keys())
                .filter(|k| got.get(*k) != expected.get(*k))
                .collect();
            assert!(
                differ.is_empty(),
                "crash at {point} (previous backup: {previous}) then a rerun differs from the uninterrupted backup in {differ:?}"
            );
            std::fs::remove_dir_all(&lab).unwrap();
        }
    }
}

#[test]
fn a_folder_without_the_in_progress_mark_is_kept_as_a_previous_backup_b12() {
    // Only what a killed run of ours left (the mark beside it says so) is replaced; a folder
    // of unknown origin, even without a manifest, is renamed as any previous backup is.
    let dir = tempfile::tempdir().unwrap();
    let mut host = fabricate(
        &dir.path().join("h"),
        &Spec::new(Version::V750, Role::Satellite),
    );
    host.write(
        &paths::backup_dir('C').child("notes.txt"),
        b"kept by the operator",
    )
    .unwrap();
    let at = host.now();
    let out = backup::backup(&mut host, 'C', &from(), &Crash::never()).unwrap();
    let renamed = paths::renamed_backup_dir('C', at);
    assert_eq!(out.renamed_previous.as_ref(), Some(&renamed));
    assert_eq!(
        host.read(&renamed.child("notes.txt")).unwrap(),
        b"kept by the operator"
    );
    assert!(!host.exists(&paths::backup_in_progress('C')));
}
