//! The backup manifest: what restore verifies before it trusts a backup. It lists every file
//! (relative path, size, SHA-256, module, where it came from), where the backup was written
//! (drive and folder, so a moved backup is recognised, B13), the host, and what was installed.
//!
//! Architecture Invariant: the manifest is the last file a backup writes, in one atomic
//! write; a backup folder without one is incomplete.

use crate::error::{Error, Result};
use crate::host::Host;
use crate::paths;
use crate::product::{Edition, Role, Version};
use crate::winpath::WinPath;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest's file name inside `<drive>:\HPCABackup\HPCABackup`.
pub const MANIFEST_FILE: &str = "hpcabackup-manifest.json";
/// The manifest format this code writes and reads.
pub const FORMAT: u32 = 1;

/// Where a backup was written (B13: it only restores from there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub drive: char,
    /// `<drive>:\HPCABackup\HPCABackup`.
    pub path: WinPath,
}

/// The install a backup was taken from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub version: Version,
    pub role: Role,
    pub edition: Edition,
    pub install_dir: WinPath,
    pub installed_size: u64,
}

/// One backed-up module (B15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleRecord {
    /// `rds`, `rms`, ...
    pub name: String,
    /// The component's name as HP writes it.
    pub component: String,
    /// The component folder it was extracted from.
    pub source: WinPath,
    /// Its parsed settings, relative to the backup folder (`rcs\settings.json`).
    pub settings: String,
    pub files: u64,
    pub bytes: u64,
}

/// One backed-up file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Relative to the backup folder, `\`-separated (`rcs\files\bin\edmprof.dat`).
    pub path: String,
    pub module: String,
    /// The file it is a copy of.
    pub source: WinPath,
    pub size: u64,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
}

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub host: String,
    pub location: Location,
    /// Host clock when the backup finished, unix seconds.
    pub written_at: u64,
    pub source: Source,
    /// The reporting DSN without its password; the database itself stays in place (B21).
    pub dsn: Option<String>,
    pub modules: Vec<ModuleRecord>,
    pub files: Vec<FileRecord>,
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest: [u8; 32] = Sha256::digest(bytes).into();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `<drive>:\HPCABackup\HPCABackup\hpcabackup-manifest.json`.
pub fn manifest_path(drive: char) -> WinPath {
    paths::backup_dir(drive).child(MANIFEST_FILE)
}

impl Manifest {
    /// The manifest as written to disk (pretty JSON, newline-terminated).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a manifest serializes");
        text.push('\n');
        text
    }

    /// Whether this backup still sits where it was written (B13).
    pub fn is_at(&self, folder: &WinPath) -> bool {
        self.location.path == *folder
    }
}

/// Reads the manifest of the backup on `drive`: `None` when there is no complete backup
/// there (no folder or no manifest), an error when the manifest is unreadable.
pub fn read(host: &Host, drive: char) -> Result<Option<Manifest>> {
    let path = manifest_path(drive);
    if !host.exists(&path) {
        return Ok(None);
    }
    let text = host.read_to_string(&path)?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| Error::ManifestCorrupt {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    if manifest.format != FORMAT {
        return Err(Error::ManifestCorrupt {
            path,
            reason: format!("format {} (this tool reads {FORMAT})", manifest.format),
        });
    }
    Ok(Some(manifest))
}

/// The complete backups of the installed `version`/`role` on any drive, still where they were
/// written: what the installer looks for before it removes anything (B7, B20).
pub fn complete_backups(host: &Host, version: Version, role: Role) -> Vec<Manifest> {
    host.state()
        .drives
        .keys()
        .filter_map(|d| read(host, *d).ok().flatten().map(|m| (*d, m)))
        .filter(|(d, m)| {
            m.source.version == version
                && m.source.role == role
                && m.host == host.state().hostname
                && m.is_at(&paths::backup_dir(*d))
        })
        .map(|(_, m)| m)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_hex_matches_the_known_digest_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
