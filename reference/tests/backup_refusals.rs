//! Every refusal before a backup writes: it names what is wrong and what to do, and the host
//! stays byte-identical (B1-B3, B10, B25).

mod common;

use common::{fabricate, snapshot, Spec};
use hpca_reference::backup;
use hpca_reference::fault::Crash;
use hpca_reference::host::PendingFileOperation;
use hpca_reference::{paths, DatabaseServer, Edition, Error, Host, Role, Version, WinPath};
use std::path::Path;

/// Runs a backup that must refuse, and checks that nothing changed.
fn refused(root: &Path, drive: char, from: &WinPath) -> Error {
    let before = snapshot(root);
    let mut host = Host::open(root).unwrap();
    let err = backup::backup(&mut host, drive, from, &Crash::never()).unwrap_err();
    assert_eq!(snapshot(root), before, "a refusal changed the host: {err}");
    err
}

fn lab(spec: Spec) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("h");
    fabricate(&root, &spec);
    (dir, root)
}

#[test]
fn backup_refuses_short_drive_writing_nothing_b10() {
    let mut spec = Spec::new(Version::V750, Role::Core);
    spec.capacity_d = 150_000;
    let (_d, root) = lab(spec);
    let host = Host::open(&root).unwrap();
    let free = host.free('D').unwrap();
    let plan_needed = {
        let mut roomy = Spec::new(Version::V750, Role::Core);
        roomy.capacity_d = 1 << 30;
        let (_e, other) = lab(roomy);
        backup::plan(&Host::open(&other).unwrap(), 'D', &paths::migrate_copy())
            .unwrap()
            .needed
    };
    assert!(plan_needed > free);
    let err = refused(&root, 'D', &paths::migrate_copy());
    match &err {
        Error::BackupSpaceShort {
            drive,
            needed,
            free: f,
            ..
        } => {
            assert_eq!((*drive, *needed, *f), ('D', plan_needed, free));
        }
        other => panic!("unexpected {other}"),
    }
    let text = err.to_string();
    assert!(text.contains(&free.to_string()) && text.contains(&plan_needed.to_string()));
    assert!(text.contains("choose a drive") && text.contains("nothing was written"));
}

#[test]
fn backup_estimate_is_about_the_installed_size_plus_data_b10() {
    let (_d, root) = lab(Spec::new(Version::V780, Role::Satellite));
    let host = Host::open(&root).unwrap();
    let plan = backup::plan(&host, 'C', &paths::migrate_copy()).unwrap();
    let installed = host
        .state()
        .registry
        .product
        .as_ref()
        .unwrap()
        .installed_size;
    assert!(plan.needed >= installed);
    let copied: u64 = plan.modules.iter().map(|m| m.bytes()).sum();
    assert!(plan.needed >= copied);
    // About the installed size: on top of it only the CSDB, the proxy cache and room for
    // the manifest and reports (a few KiB per file and module).
    let data: u64 = plan
        .modules
        .iter()
        .filter(|m| matches!(m.component.module, "rds" | "rproxy"))
        .map(|m| m.bytes())
        .sum();
    let files: u64 = plan.modules.iter().map(|m| m.files.len() as u64).sum();
    let room = 64 * 1024 + 1024 * files + 4096 * plan.modules.len() as u64;
    assert!(
        plan.needed <= installed + data + room,
        "{} vs {installed}",
        plan.needed
    );
    assert!(data > 0, "a Satellite carries its CSDB and proxy cache");
}

#[test]
fn backup_refuses_to_run_from_the_media_b3() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    let err = refused(&root, 'C', &paths::media_migrate('E'));
    assert!(
        matches!(err, Error::RunFromMedia { drive: 'E', .. }),
        "{err}"
    );
    assert!(err.to_string().contains(r"C:\migrate"));
}

#[test]
fn backup_refuses_when_the_migrate_copy_is_missing_b3() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    let err = refused(&root, 'C', &WinPath::parse(r"D:\migrate").unwrap());
    assert!(matches!(err, Error::MigrateFolderMissing { .. }), "{err}");
    assert!(err.to_string().contains(r"E:\migrate"), "{err}");
}

#[test]
fn backup_refuses_unsupported_version_b1() {
    let (_d, root) = lab(Spec::new(Version::V790, Role::Core));
    let err = refused(&root, 'C', &paths::migrate_copy());
    assert!(matches!(err, Error::UnsupportedVersion { .. }), "{err}");
    assert!(err.to_string().contains("7.20, 7.50 and 7.80"));
}

#[test]
fn backup_refuses_starter_standard_and_classic_editions_b1() {
    for edition in [Edition::Starter, Edition::Standard, Edition::Classic] {
        let mut spec = Spec::new(Version::V750, Role::Core);
        spec.edition = edition;
        let (_d, root) = lab(spec);
        let err = refused(&root, 'C', &paths::migrate_copy());
        assert!(err.to_string().contains(edition.as_str()), "{err}");
    }
}

#[test]
fn backup_refuses_sql_server_2000_b2() {
    let mut spec = Spec::new(Version::V720, Role::Core);
    spec.database_server = DatabaseServer::SqlServer2000;
    let (_d, root) = lab(spec);
    let err = refused(&root, 'C', &paths::migrate_copy());
    assert!(matches!(err, Error::UnsupportedSqlServer { .. }), "{err}");
    assert!(err.to_string().contains("SQL Server 2000") && err.to_string().contains("2005"));
}

#[test]
fn backup_refuses_with_a_reboot_pending_b25() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    {
        let mut host = Host::open(&root).unwrap();
        host.state_mut().registry.reboot_required = true;
        host.state_mut()
            .registry
            .pending_file_operations
            .push(PendingFileOperation {
                path: WinPath::parse(r"C:\x.dll").unwrap(),
                replacement: None,
            });
        host.save().unwrap();
    }
    let err = refused(&root, 'C', &paths::migrate_copy());
    assert!(
        matches!(err, Error::RebootPending { pending: 1, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("reboot first"));
}

#[test]
fn backup_refuses_unknown_and_read_only_drives() {
    let (_d, root) = lab(Spec::new(Version::V750, Role::Core));
    let err = refused(&root, 'Q', &paths::migrate_copy());
    assert!(matches!(err, Error::NoSuchDrive { .. }), "{err}");
    let err = refused(&root, 'E', &paths::migrate_copy());
    assert!(
        matches!(err, Error::BackupDriveReadOnly { drive: 'E' }),
        "{err}"
    );
}
