//! What must hold before any migration step writes anything: the install is an Enterprise
//! 7.20/7.50/7.80 Core or Satellite (B1) on a supported database server (B2), the scripts run
//! from a copy of the media's `migrate` folder (B3), and no reboot is pending (B25); and what
//! every step after the Core's migration needs: a Core upgraded to 7.90 and restored (B63).
//!
//! Architecture Invariant: these functions only read the host; a refusal here means nothing
//! was changed.

use crate::error::{Error, Result};
use crate::host::{Host, InstalledProduct};
use crate::paths;
use crate::product::{Edition, Role, Version};
use crate::winpath::WinPath;

/// Refuses when an installer's reboot has not happened yet (B25). Every step after the
/// installer (backup, upgrade, wizard, restore, sqlmigrate) calls this first.
pub fn require_no_pending_reboot(host: &Host) -> Result<()> {
    let registry = &host.state().registry;
    if registry.reboot_required || !registry.pending_file_operations.is_empty() {
        return Err(Error::RebootPending {
            host: host.state().hostname.clone(),
            pending: registry.pending_file_operations.len(),
        });
    }
    Ok(())
}

/// Refuses to run from the media's own `migrate` folder or from a folder that does not exist
/// (B3): the guide has the operator copy it to a writable drive first.
pub fn require_migrate_copy(host: &Host, from: &WinPath) -> Result<()> {
    let media_drive = host.state().media.as_ref().map(|m| m.drive);
    let read_only = host
        .state()
        .drives
        .get(&from.drive())
        .is_some_and(|d| d.read_only);
    if read_only || media_drive == Some(from.drive()) {
        return Err(Error::RunFromMedia {
            from: from.clone(),
            drive: from.drive(),
            suggested: paths::migrate_copy(),
        });
    }
    if !host.is_dir(from) {
        let media = match media_drive {
            Some(d) => format!(" ({})", paths::media_migrate(d)),
            None => String::new(),
        };
        return Err(Error::MigrateFolderMissing {
            from: from.clone(),
            media,
        });
    }
    Ok(())
}

/// The installed product, if it is one the guide migrates (B1) on a database server it
/// supports (B2).
pub fn require_migratable(host: &Host) -> Result<InstalledProduct> {
    let product = host
        .state()
        .registry
        .product
        .clone()
        .ok_or_else(|| Error::NotInstalled {
            host: host.state().hostname.clone(),
        })?;
    if product.edition != Edition::Enterprise {
        return Err(Error::UnsupportedEdition {
            edition: product.edition.as_str(),
        });
    }
    if !Version::SOURCES.contains(&product.version) {
        return Err(Error::UnsupportedVersion {
            found: product.version.to_string(),
            hint: if product.version == Version::V790 {
                "; this host already runs 7.90, so continue with the restore"
            } else {
                ""
            },
        });
    }
    if !host.state().database_server.supported() {
        return Err(Error::UnsupportedSqlServer {
            found: host.state().database_server.as_str(),
        });
    }
    Ok(product)
}

/// Every check a step before the installer makes, in the order an operator meets them:
/// pending reboot, where the scripts run from, then the install itself.
pub fn check(host: &Host, from: &WinPath) -> Result<InstalledProduct> {
    require_no_pending_reboot(host)?;
    require_migrate_copy(host, from)?;
    require_migratable(host)
}

/// The installed 7.90 Core, once it is rebooted and restored: what every step after the Core's
/// migration needs (Live Network, deploying to devices, Satellite sync; B63). `before`
/// names the step for the message ("synchronizing its Satellites").
pub fn require_restored_core(core: &Host, before: &'static str) -> Result<InstalledProduct> {
    let name = core.state().hostname.clone();
    let product = core
        .state()
        .registry
        .product
        .clone()
        .ok_or_else(|| Error::NotInstalled { host: name.clone() })?;
    let not_yet = |state: String| Error::CoreNotUpgraded {
        core: name.clone(),
        state,
        before,
    };
    if product.version != Version::V790 {
        return Err(not_yet(format!("still runs HPCA {}", product.version)));
    }
    if require_no_pending_reboot(core).is_err() || !crate::restore::finished(core, Role::Core) {
        return Err(not_yet(
            "runs 7.90 but is not rebooted and restored yet".into(),
        ));
    }
    Ok(product)
}
