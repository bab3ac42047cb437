//! The HPCA 7.90 installation media, mounted read-only as the host's next free drive, and the
//! operator's copy of its `migrate` folder at `C:\migrate` (the scripts cannot run from the
//! media, B3).

use crate::install::binary;
use hpca_reference::host::{Drive, Media};
use hpca_reference::{install, paths, Host, Result, Role, Version, WinPath};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Every host gets the same DVD: its bytes come from this seed, not the host's.
const MEDIA_SEED: u64 = 790;
/// A single-layer DVD.
pub const MEDIA_CAPACITY: u64 = 4_700_000_000;
/// The media's volume label.
pub const MEDIA_LABEL: &str = "HPCA_790";

/// The first drive letter after the host's drives (`E` on a C/D host).
pub fn next_free_letter(host_drives: impl IntoIterator<Item = char>) -> Option<char> {
    let last = host_drives.into_iter().max().unwrap_or('C');
    ((last as u8 + 1)..=b'Z').map(char::from).next()
}

/// The drive entry the media is mounted as; writable until [`lay_down`] has filled it.
pub fn drive() -> Drive {
    Drive {
        capacity: MEDIA_CAPACITY,
        read_only: false,
        label: MEDIA_LABEL.into(),
    }
}

fn script(name: &str, body: &str) -> String {
    format!(
        "@echo off\r\nrem {name}: HP Client Automation 7.90 migration\r\nsetlocal\r\nset MIGDIR=%~dp0\r\n{body}\r\nendlocal\r\n"
    )
}

/// Writes the 7.90 media to `drive`, marks the drive read-only and records it as mounted.
pub fn lay_down(host: &mut Host, letter: char) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(MEDIA_SEED);
    let migrate = paths::media_migrate(letter);
    // The scripts write logs beside themselves, which is why they fail on the read-only media.
    let check = "(echo.> \"%MIGDIR%write.tst\") 2>nul || (echo The migrate folder is read-only: copy it to a local drive such as C:\\migrate & exit /b 1)\r\ndel \"%MIGDIR%write.tst\"";
    host.write(
        &migrate.child("hpcabackup.cmd"),
        script(
            "hpcabackup",
            &format!("{check}\r\n\"%MIGDIR%bin\\nvdkit.exe\" \"%MIGDIR%hpcabackup.tcl\" %1"),
        )
        .as_bytes(),
    )?;
    host.write(
        &migrate.child("hpcarestore.cmd"),
        script(
            "hpcarestore",
            &format!("{check}\r\n\"%MIGDIR%bin\\nvdkit.exe\" \"%MIGDIR%hpcarestore.tcl\" %1"),
        )
        .as_bytes(),
    )?;
    host.write(
        &migrate.join(r"sql\sqlmigrate.cmd")?,
        script("sqlmigrate", "net stop \"HPCA Core\"\r\n\"%MIGDIR%..\\bin\\nvdkit.exe\" \"%MIGDIR%sqlmigrate.tcl\" %1\r\nnet start \"HPCA Core\"").as_bytes(),
    )?;
    host.write(&migrate.join(r"bin\nvdkit.exe")?, &binary(&mut rng, 20, 1))?;
    let mut modules: Vec<&str> = Role::ALL
        .iter()
        .flat_map(|r| install::modules(Version::V790, *r))
        .collect();
    modules.sort_unstable();
    modules.dedup();
    for module in modules {
        let text =
            format!("# backup and restore module {module} (7.90)\nnamespace eval {module} {{}}\n");
        host.write(
            &migrate.join(&format!(r"modules\{module}.tcl"))?,
            text.as_bytes(),
        )?;
    }
    let root = WinPath::drive_root(letter);
    for (path, kib) in [
        (r"Media\admin\default\win32\setup.exe", 16),
        (r"Media\admin\default\win32\HPCA-Admin.msi", 48),
        (r"Setup-Core\setup.exe", 16),
        (r"Setup-Core\HPCA-Core.msi", 96),
        (r"Setup-Satellite\setup.exe", 16),
        (r"Setup-Satellite\HPCA-Satellite.msi", 64),
    ] {
        host.write(&root.join(path)?, &binary(&mut rng, kib, 1))?;
    }
    // The agent's installers, one folder per platform (B60); drawn after the files above so
    // their bytes stay what they were.
    for (platform, file, kib) in [
        ("win32", "setup.exe", 16),
        ("win32", "HPCA-Agent.msi", 40),
        ("linux", "install", 24),
        ("solaris", "install", 24),
        ("hpux", "install", 24),
        ("winmobile", "setup.exe", 8),
    ] {
        let folder = paths::media_agent_installer(letter, platform);
        host.write(&folder.child(file), &binary(&mut rng, kib, 1))?;
    }
    host.write(
        &root.child("readme.txt"),
        b"HP Client Automation Enterprise 7.90\r\nSee Documentation\\migration guide.\r\n",
    )?;
    let state = host.state_mut();
    state
        .drives
        .get_mut(&letter)
        .expect("media drive")
        .read_only = true;
    state.media = Some(Media {
        drive: letter,
        version: Version::V790,
    });
    Ok(())
}

/// Copies the media's `migrate` folder to `C:\migrate`, as the guide's first step has it.
pub fn copy_migrate(host: &mut Host, letter: char) -> Result<()> {
    let from = paths::media_migrate(letter);
    let to = paths::migrate_copy();
    for file in host.walk(&from)? {
        let rel = file
            .path
            .strip_prefix(&from)
            .expect("walk stays below")
            .join("\\");
        host.copy_file(&file.path, &to.join(&rel)?)?;
    }
    Ok(())
}
