//! "Synchronize satellite now" (B62): a restored 7.90 Satellite takes its Core's CSDB, so it
//! serves what the Core now publishes. Refused unless the Core is already 7.90 and restored
//! (B63: the Core goes first) and the Satellite is restored and belongs to that Core.
//!
//! Architecture Invariant: the Core is only read; every refusal comes before a write to the
//! Satellite.

use crate::error::{Error, Result};
use crate::host::{Host, InstalledProduct};
use crate::install::{self, Settings};
use crate::product::{Role, Version};
use crate::restore;
use crate::winpath::WinPath;

/// Copy speed the Satellite's clock advances by, bytes per second (a WAN link).
const SYNC_BYTES_PER_SECOND: u64 = 2_000_000;

/// What a synchronization did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncOutcome {
    pub satellite: String,
    pub core: String,
    /// CSDB files written on the Satellite (new or changed).
    pub written: usize,
    /// CSDB files the Core no longer has, removed from the Satellite.
    pub removed: usize,
    /// CSDB files already identical.
    pub unchanged: usize,
    /// The Satellite's clock after the sync.
    pub synced_at: u64,
}

fn product(host: &Host, expected: Role) -> Result<InstalledProduct> {
    let name = host.state().hostname.clone();
    let product = host
        .state()
        .registry
        .product
        .clone()
        .ok_or_else(|| Error::NotInstalled { host: name.clone() })?;
    if product.role != expected {
        return Err(Error::SyncWrongRole {
            host: name,
            found: format!("a {}", product.role.title()),
            expected: match expected {
                Role::Core => "a Core",
                Role::Satellite => "a Satellite",
            },
        });
    }
    Ok(product)
}

/// Whether the Satellite's configured Core (a host name or FQDN) names `core`.
fn names(configured: &str, core: &str) -> bool {
    let first = configured.split('.').next().unwrap_or(configured);
    configured.eq_ignore_ascii_case(core) || first.eq_ignore_ascii_case(core)
}

/// Checks both servers, reading only.
pub fn check(satellite: &Host, core: &Host) -> Result<(InstalledProduct, InstalledProduct)> {
    let sat = product(satellite, Role::Satellite)?;
    let core_product = product(core, Role::Core)?;
    let sat_name = satellite.state().hostname.clone();
    let core_name = core.state().hostname.clone();
    crate::preconditions::require_restored_core(core, "synchronizing its Satellites")?;
    let not_ready = |reason: String| Error::SatelliteNotReady {
        host: sat_name.clone(),
        reason,
    };
    if sat.version != Version::V790 {
        return Err(not_ready(format!("it still runs HPCA {}", sat.version)));
    }
    crate::preconditions::require_no_pending_reboot(satellite)?;
    if !restore::finished(satellite, Role::Satellite) {
        return Err(not_ready(
            "no finished restore was found in its backup folder".into(),
        ));
    }
    let configured = sat.core_host.clone().unwrap_or_default();
    if !names(&configured, &core_name) {
        return Err(Error::SyncWrongCore {
            satellite: sat_name,
            configured: if configured.is_empty() {
                "no Core".into()
            } else {
                configured
            },
            core: core_name,
        });
    }
    Ok((sat, core_product))
}

fn csdb_dir(product: &InstalledProduct) -> Result<WinPath> {
    let folder = install::component("rds").expect("rds is catalogued").folder;
    Ok(product.install_dir.join(folder)?)
}

/// Synchronizes the Satellite with its Core: mirrors the Core's CSDB and records the time in
/// the Satellite's settings.
pub fn sync(satellite: &mut Host, core: &Host) -> Result<SyncOutcome> {
    let (sat, core_product) = check(satellite, core)?;
    let from = csdb_dir(&core_product)?;
    let to = csdb_dir(&sat)?;
    let mut outcome = SyncOutcome {
        satellite: satellite.state().hostname.clone(),
        core: core.state().hostname.clone(),
        written: 0,
        removed: 0,
        unchanged: 0,
        synced_at: 0,
    };
    let mut bytes = 0;
    let mut kept = Vec::new();
    let source = if core.is_dir(&from) {
        core.walk(&from)?
    } else {
        Vec::new()
    };
    for file in source {
        let rel = file
            .path
            .strip_prefix(&from)
            .expect("walk stays below its root")
            .join("\\");
        let target = to.join(&rel)?;
        let content = core.read(&file.path)?;
        if satellite.exists(&target) && satellite.read(&target)? == content {
            outcome.unchanged += 1;
        } else {
            satellite.write(&target, &content)?;
            outcome.written += 1;
            bytes += content.len() as u64;
        }
        kept.push(target);
    }
    if satellite.is_dir(&to) {
        for file in satellite.walk(&to)? {
            if !kept.contains(&file.path) {
                satellite.remove_file(&file.path)?;
                outcome.removed += 1;
            }
        }
    }
    satellite.advance_clock(1 + bytes / SYNC_BYTES_PER_SECOND);
    let now = satellite.now();
    let component = install::component("satellite").expect("satellite is catalogued");
    for config in install::config_files("satellite", Version::V790, Role::Satellite) {
        let path = sat.install_dir.join(component.folder)?.join(config.path)?;
        let mut settings: Settings = if satellite.exists(&path) {
            install::parse_settings(&satellite.read_to_string(&path)?).unwrap_or_default()
        } else {
            config.settings.clone()
        };
        let section = settings.entry("sync".into()).or_default();
        section.insert("last_sync".into(), now.to_string());
        section.insert("core_version".into(), Version::V790.to_string());
        satellite.write(&path, install::render_settings(&settings).as_bytes())?;
    }
    satellite.save()?;
    outcome.synced_at = now;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_satellite_names_its_core_by_host_name_or_fqdn_b62() {
        assert!(names("hpca-core-07.corp.example.com", "HPCA-CORE-07"));
        assert!(names("HPCA-CORE-07", "hpca-core-07"));
        assert!(!names("hpca-core-70.corp.example.com", "HPCA-CORE-07"));
        assert!(!names("", "HPCA-CORE-07"));
    }
}
