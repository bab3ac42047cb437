use super::*;
use crate::product::DatabaseServer;

/// A host's state with these drives (letter, capacity), for tests across the crate.
pub(crate) fn state(drives: &[(char, u64)]) -> HostState {
    HostState {
        hostname: "HPCA01".into(),
        clock: 1_263_495_101,
        drives: drives
            .iter()
            .map(|(d, c)| {
                (
                    *d,
                    Drive {
                        capacity: *c,
                        read_only: false,
                        label: format!("Disk {d}"),
                    },
                )
            })
            .collect(),
        registry: Registry::default(),
        services: Default::default(),
        firewall: Firewall::default(),
        users: vec![],
        media: None,
        database_server: DatabaseServer::Sqlite,
    }
}

/// A host with these drives in a temporary folder (kept as long as the folder is).
pub(crate) fn host(drives: &[(char, u64)]) -> (tempfile::TempDir, Host) {
    let dir = tempfile::tempdir().unwrap();
    let host = Host::create(&dir.path().join("h"), state(drives)).unwrap();
    (dir, host)
}

fn p(s: &str) -> WinPath {
    WinPath::parse(s).unwrap()
}

#[test]
fn paths_map_onto_drive_folders_case_insensitively() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = Host::create(&dir.path().join("h"), state(&[('C', 1 << 20)])).unwrap();
    host.write(&p(r"C:\HPCABackup\HPCABackup\manifest.json"), b"{}")
        .unwrap();
    assert!(dir
        .path()
        .join("h/drives/C/HPCABackup/HPCABackup/manifest.json")
        .is_file());
    assert_eq!(
        host.read(&p(r"c:\hpcabackup\HPCABACKUP\Manifest.JSON"))
            .unwrap(),
        b"{}"
    );
    // A write through another spelling lands on the same file, as on NTFS.
    host.write(&p(r"C:\hpcabackup\hpcabackup\MANIFEST.json"), b"{1}")
        .unwrap();
    assert_eq!(host.walk_all().unwrap().len(), 1);
}

#[test]
fn free_space_is_capacity_minus_stored_and_a_full_drive_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = Host::create(&dir.path().join("h"), state(&[('C', 100)])).unwrap();
    host.write(&p(r"C:\a.bin"), &[0; 60]).unwrap();
    assert_eq!(host.free('C').unwrap(), 40);
    let err = host.write(&p(r"C:\b.bin"), &[0; 41]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::DriveFull {
                drive: 'C',
                needed: 41,
                free: 40,
                ..
            }
        ),
        "{err}"
    );
    assert!(!host.exists(&p(r"C:\b.bin")));
    // Replacing a file only needs the growth.
    host.write(&p(r"C:\a.bin"), &[1; 100]).unwrap();
    assert_eq!(host.free('C').unwrap(), 0);
    // Usage survives a reopen.
    let reopened = Host::open(host.root()).unwrap();
    assert_eq!(reopened.used('C').unwrap(), 100);
}

#[test]
fn unknown_drives_and_links_out_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = Host::create(&dir.path().join("h"), state(&[('C', 100)])).unwrap();
    let err = host.write(&p(r"Q:\x"), b"x").unwrap_err();
    assert!(err.to_string().contains("drive Q: does not exist"), "{err}");
    std::os::unix::fs::symlink(dir.path(), dir.path().join("h/drives/C/out")).unwrap();
    let err = host.write(&p(r"C:\out\escaped"), b"x").unwrap_err();
    assert!(matches!(err, Error::Escapes { .. }), "{err}");
    assert!(!dir.path().join("escaped").exists());
}

#[test]
fn create_refuses_a_non_empty_folder_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let err = Host::create(dir.path(), state(&[('C', 100)])).unwrap_err();
    assert!(matches!(err, Error::HostFolderNotEmpty { .. }));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec!["keep.txt"]);
}

#[test]
fn open_explains_a_folder_that_is_not_a_host() {
    let dir = tempfile::tempdir().unwrap();
    let err = Host::open(dir.path()).unwrap_err();
    assert!(err.to_string().contains("hpcasim fabricate"), "{err}");
    std::fs::write(dir.path().join(STATE_FILE), "{not json").unwrap();
    let err = Host::open(dir.path()).unwrap_err();
    assert!(matches!(err, Error::StateCorrupt { .. }), "{err}");
}

#[test]
fn read_only_media_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = state(&[('C', 100), ('E', 100)]);
    s.drives.get_mut(&'E').unwrap().read_only = true;
    let mut host = Host::create(&dir.path().join("h"), s).unwrap();
    let err = host.write(&p(r"E:\migrate\x"), b"x").unwrap_err();
    assert!(matches!(err, Error::ReadOnlyDrive { drive: 'E', .. }));
}

#[test]
fn moving_a_folder_to_another_drive_carries_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = Host::create(&dir.path().join("h"), state(&[('C', 1000), ('D', 1000)])).unwrap();
    host.write(&p(r"C:\HPCABackup\HPCABackup\a.txt"), b"aa")
        .unwrap();
    host.write(&p(r"C:\HPCABackup\HPCABackup\sub\b.txt"), b"bbb")
        .unwrap();
    host.move_across_drives(&p(r"C:\HPCABackup"), &p(r"D:\HPCABackup"))
        .unwrap();
    assert!(!host.exists(&p(r"C:\HPCABackup")));
    assert_eq!(
        host.read(&p(r"D:\HPCABackup\HPCABackup\sub\b.txt"))
            .unwrap(),
        b"bbb"
    );
    assert_eq!(host.used('C').unwrap(), 0);
    assert_eq!(host.used('D').unwrap(), 5);
}
