//! Resume (B33): a crash at every named restore point (enumerated from an uninterrupted run,
//! not sampled), then a rerun, ends in the same dump as the uninterrupted restore; deleting
//! the HPCA-restore* files forces a fresh restore. And the rds scripts as the operator edits
//! them between preview and `y` (B31).

mod restore_support;

use hpca_reference::csdb;
use hpca_reference::fault::Crash;
use hpca_reference::restore::{self, rds, state};
use hpca_reference::{paths, Error, Host, Role, Version};
use restore_support::*;

fn crash_everywhere_then_resume(version: Version, role: Role) {
    let dir = tempfile::tempdir().unwrap();
    let prepared = dir.path().join("prepared");
    drop(ready_lab(&prepared, version, role, 2));

    let clean = dir.path().join("clean");
    copy_tree(&prepared, &clean);
    let recorder = Crash::never();
    restore(&mut Host::open(&clean).unwrap(), &recorder).unwrap();
    let expected = dump_json(&clean);
    let points = recorder.passed();
    assert!(points.len() > 20, "too few crash points: {points:?}");
    eprintln!("{version} {role}: {} crash points", points.len());
    for name in [
        "restore:preview:done",
        "restore:start",
        "restore:rds:scripts",
        "restore:rms:settings",
        "restore:finish:report",
    ] {
        assert!(points.iter().any(|p| p == name), "{name} not passed");
    }

    for (n, point) in points.iter().enumerate() {
        let lab = dir.path().join(format!("crash-{n}"));
        copy_tree(&prepared, &lab);
        let err = restore(&mut Host::open(&lab).unwrap(), &Crash::at(point.clone())).unwrap_err();
        assert!(
            matches!(&err, Error::Crashed { point: p } if p == point),
            "{err}"
        );
        let out = restore(&mut Host::open(&lab).unwrap(), &Crash::never()).unwrap();
        // Past the last state file there is nothing left to do; anywhere else there is.
        assert_eq!(out.already_done, point == "restore:finish:done", "{point}");
        assert_eq!(
            dump_json(&lab),
            expected,
            "crash at {point} then rerun differs"
        );
        std::fs::remove_dir_all(&lab).unwrap();
    }
}

#[test]
fn restore_resumes_after_a_crash_at_every_point_750_core_b33() {
    crash_everywhere_then_resume(Version::V750, Role::Core);
}

#[test]
fn restore_resumes_after_a_crash_at_every_point_720_satellite_b33() {
    crash_everywhere_then_resume(Version::V720, Role::Satellite);
}

#[test]
fn restore_rerun_skips_finished_work_and_deleting_state_forces_fresh_b33() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    let mut host = ready_lab(&root, Version::V780, Role::Core, 1);
    let crash = Crash::at("restore:rms:begin");
    assert!(restore(&mut host, &crash).is_err());
    let mut host = Host::open(&root).unwrap();
    let out = restore(&mut host, &Crash::never()).unwrap();
    assert_eq!(out.resumed, vec!["core", "rcs", "rds"]);
    let again = restore(&mut host, &Crash::never()).unwrap();
    assert!(again.already_done);
    assert_eq!(again.report, out.report);

    let folder = paths::backup_dir('C');
    let removed = state::forget(&mut host, &folder).unwrap();
    assert!(removed >= 10, "{removed}");
    assert!(
        host.exists(&out.report_path),
        "the report is not a state file"
    );
    let fresh = restore(&mut host, &Crash::never()).unwrap();
    assert!(!fresh.already_done && fresh.resumed.is_empty());
}

#[test]
fn restore_applies_the_rds_scripts_as_the_operator_edited_them_b31() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    let mut host = ready_lab(&root, Version::V750, Role::Core, 2);
    let plan = restore::check(&host, 'C', &from()).unwrap();
    let preview = restore::preview(&mut host, &plan, &Crash::never()).unwrap();
    assert_eq!(preview.scripts.len(), 2);
    let actions = preview
        .report
        .entries
        .iter()
        .filter(|e| e.module.as_deref() == Some("rds") && e.message.contains("review it"))
        .count();
    assert_eq!(actions, 2, "one actionrequired per customization");
    // The operator leaves the first customization behind and renames nothing else.
    let dropped = &preview.scripts[0];
    let text = host.read_to_string(dropped).unwrap();
    host.remove_file(dropped).unwrap();
    let out = restore::restore(&mut host, &plan, &Crash::never()).unwrap();
    let schema = csdb::read_schema(&host, &paths::csdb_dir()).unwrap();
    let found = csdb::customizations(&csdb::stock_schema(Version::V790), &schema);
    assert_eq!(found.len(), 1, "{found:?}");
    let class_line = text.lines().find(|l| l.starts_with("add-")).unwrap();
    let words: Vec<&str> = class_line.split_whitespace().collect();
    assert!(
        found[0].class_path() != format!("{}.{}", words[1], words[2])
            || !class_line.starts_with("add-class"),
        "the deleted script's customization came back"
    );
    assert!(out
        .report
        .entries
        .iter()
        .all(|e| !e.message.contains(&dropped.to_string())));
}

#[test]
fn restore_refuses_an_invalid_edited_script_before_any_change_b31() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    let mut host = ready_lab(&root, Version::V750, Role::Core, 1);
    let plan = restore::check(&host, 'C', &from()).unwrap();
    let preview = restore::preview(&mut host, &plan, &Crash::never()).unwrap();
    let script = &preview.scripts[0];
    let mut text = host.read_to_string(script).unwrap();
    text.push_str("add-attribute SOFTWARE ZSERVICE OWNER X 64\r\n");
    host.write(script, text.as_bytes()).unwrap();
    let before = snapshot(&root);
    let err = restore::restore(&mut host, &plan, &Crash::never()).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::RdsScriptInvalid { .. }), "{msg}");
    assert!(
        msg.contains(&format!("{script}:")) && msg.contains("unknown attribute type 'X'"),
        "{msg}"
    );
    assert_eq!(snapshot(&root), before, "the refusal changed the host");
    assert!(rds::scripts(&host, &plan.folder).unwrap().contains(script));
}
