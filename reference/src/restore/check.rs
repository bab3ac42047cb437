//! Everything restore checks before it changes anything: the host is a rebooted 7.90 install,
//! the drive holds a backup, the backup is where it was written (B13), it belongs to this
//! server, role and version, its manifest and every file's digest are intact, the DSN is the
//! one it recorded (B21), and the rds scripts (as the operator may have edited them) parse.

use super::{rds, RestorePlan};
use crate::backup::manifest::{self, sha256_hex, Manifest};
use crate::error::{Error, Result};
use crate::host::Host;
use crate::paths;
use crate::preconditions;
use crate::product::Version;
use crate::report::Report;
use crate::upgrade;
use crate::winpath::WinPath;

/// The old version the 7.90 installer replaced on this host, from its report in the
/// `migrate` copy's `logs` folder (absent when the installer ran from elsewhere).
fn upgraded_from(host: &Host, from: &WinPath) -> Option<Version> {
    let path = upgrade::log_path(from, upgrade::UPGRADE_REPORT);
    let name = path.file_name()?.strip_suffix(".html")?.to_string();
    let json = path.parent()?.child(&format!("{name}.json"));
    let text = host.read_to_string(&json).ok()?;
    serde_json::from_str::<Report>(&text)
        .ok()
        .map(|r| r.version)
}

/// The drives other than `drive` that hold a backup folder, for the "wrong drive" refusal.
fn backups_elsewhere(host: &Host, drive: char) -> String {
    let found: Vec<String> = host
        .state()
        .drives
        .keys()
        .filter(|d| **d != drive && host.exists(&manifest::manifest_path(**d)))
        .map(|d| paths::backup_dir(*d).to_string())
        .collect();
    if found.is_empty() {
        " (and no other drive of this host holds one)".to_string()
    } else {
        format!(" (a backup is in {})", found.join(", "))
    }
}

/// Checks that every file the manifest lists is in the backup with its recorded digest.
fn verify_files(host: &Host, folder: &WinPath, manifest: &Manifest) -> Result<()> {
    for file in &manifest.files {
        let path = folder.join(&file.path)?;
        if !host.exists(&path) {
            return Err(Error::BackupFileDamaged {
                path,
                problem: "is missing".into(),
            });
        }
        let bytes = host.read(&path)?;
        let digest = sha256_hex(&bytes);
        if digest != file.sha256 || bytes.len() as u64 != file.size {
            return Err(Error::BackupFileDamaged {
                path,
                problem: format!(
                    "no longer matches the manifest (SHA-256 {digest}, {} bytes; recorded {}, {} bytes)",
                    bytes.len(),
                    file.sha256,
                    file.size
                ),
            });
        }
    }
    for module in &manifest.modules {
        super::modules::backup_settings(host, folder, module)?;
    }
    Ok(())
}

/// Checks everything and returns the restore's plan; reads only, so a refusal changes nothing.
pub fn check(host: &Host, drive: char, from: &WinPath) -> Result<RestorePlan> {
    let drive = drive.to_ascii_uppercase();
    let hostname = host.state().hostname.clone();
    let product = host
        .state()
        .registry
        .product
        .clone()
        .ok_or_else(|| Error::NotInstalled {
            host: hostname.clone(),
        })?;
    preconditions::require_no_pending_reboot(host)?;
    preconditions::require_migrate_copy(host, from)?;
    if product.version != Version::V790 {
        return Err(Error::NotUpgraded {
            host: hostname,
            found: product.version.to_string(),
        });
    }
    host.check_drive(drive)?;
    let folder = paths::backup_dir(drive);
    // The backup's own advice (run the backup again) is no way out once the old install is
    // gone, so a damaged manifest is reported as the damaged backup file it is.
    let read = manifest::read(host, drive).map_err(|e| match e {
        Error::ManifestCorrupt { path, reason } => Error::BackupFileDamaged {
            path,
            problem: format!("is unreadable ({reason})"),
        },
        other => other,
    });
    let manifest = match read? {
        Some(m) => m,
        None => {
            return Err(Error::NoBackupOnDrive {
                looked: folder,
                elsewhere: backups_elsewhere(host, drive),
            })
        }
    };
    if !manifest.is_at(&folder) {
        return Err(Error::BackupMoved {
            written_at: manifest.location.path.clone(),
            found_at: folder,
        });
    }
    let source = &manifest.source;
    let previous = upgraded_from(host, from).unwrap_or(source.version);
    if manifest.host != hostname || source.role != product.role || source.version != previous {
        return Err(Error::BackupMismatch {
            folder,
            backup: format!(
                "HPCA {} {} on {}",
                source.version,
                source.role.title(),
                manifest.host
            ),
            host: format!(
                "the {} {} upgraded from {previous}",
                product.role.title(),
                hostname
            ),
        });
    }
    let now = host.state().registry.dsn.as_ref().map(|d| d.redacted());
    if manifest.dsn != now {
        let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "no DSN".to_string());
        return Err(Error::DsnChanged {
            before: show(&manifest.dsn),
            now: show(&now),
        });
    }
    verify_files(host, &folder, &manifest)?;
    rds::target_schema(host, &folder)?;
    Ok(RestorePlan {
        drive,
        folder,
        manifest,
        product,
    })
}
