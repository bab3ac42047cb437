//! Upgrading what the Core has deployed to its devices (B60, B61), once the Core itself is
//! upgraded and restored (B63).
//!
//! - Agents upgrade in place to 7.90, with no uninstall first, by one of the guide's three
//!   ways ([`AgentMethod`]): deployed from the console, the installer on the media, or the
//!   upgrade decks. The way is recorded on each device.
//! - An Administrator on a device other than the Core is removed, then the 7.90 one installed
//!   from the media's `Media\admin\default\win32` or by deploying the `HPCA_ADMINTOOLS`
//!   service ([`AdminMethod`]). The legacy `CCM_PUBLISHER` service is refused.
//!
//! Where the guide is silent: the console and the upgrade decks reach an agent only when it
//! connects to the Core's Configuration Server, so both need port 3464 open (remote access,
//! B50); installing from the media does not. A Live Network update not yet done (Step 6
//! comes before this) is noted, not refused.
//!
//! Architecture Invariant: every check (Core, method, media, device names) comes before the
//! one write of the device list, so a refusal leaves the host byte-identical.

use crate::devices::{self, AdminMethod, AgentMethod, ManagedDevice, Platform};
use crate::error::{Error, Result};
use crate::host::Host;
use crate::install::CONFIGURATION_SERVER_PORT;
use crate::livenetwork;
use crate::paths;
use crate::preconditions;
use crate::product::{Role, Version};

/// The 7.90 Administrator's service in the CSDB (B61).
pub const ADMIN_TOOLS_SERVICE: &str = "HPCA_ADMINTOOLS";
/// The legacy Publisher service, not to be deployed in 7.90 (B61).
pub const LEGACY_PUBLISHER_SERVICE: &str = "CCM_PUBLISHER";
/// Seconds a deployment job takes on the Core's clock, and per device.
const JOB_SECONDS: u64 = 60;
const DEVICE_SECONDS: u64 = 20;

/// Which devices a deployment targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Targets {
    /// Every device whose component is older than 7.90.
    Outdated,
    /// These devices, by name.
    Named(Vec<String>),
}

/// One agent upgraded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentUpgrade {
    pub device: String,
    pub from: Version,
}

/// What an agent upgrade did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentOutcome {
    pub core: String,
    pub method: AgentMethod,
    pub upgraded: Vec<AgentUpgrade>,
    /// Targeted devices whose agent was 7.90 already.
    pub already: Vec<String>,
    /// What the operator should know (a step skipped before this one, ...).
    pub notes: Vec<String>,
}

/// One Administrator upgraded: the old one removed (if there was one), then 7.90 installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminUpgrade {
    pub device: String,
    pub removed: Option<Version>,
}

/// What an Administrator upgrade did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminOutcome {
    pub core: String,
    pub method: AdminMethod,
    pub upgraded: Vec<AdminUpgrade>,
    /// Targeted devices whose Administrator was 7.90 already.
    pub already: Vec<String>,
    pub notes: Vec<String>,
}

/// The restored 7.90 Core and its devices, checked before anything else (B63).
fn require_core(core: &Host, step: &'static str) -> Result<Vec<ManagedDevice>> {
    if let Some(product) = &core.state().registry.product {
        if product.role == Role::Satellite {
            return Err(Error::CoreOnly {
                host: core.state().hostname.clone(),
                step,
            });
        }
    }
    preconditions::require_restored_core(core, step)?;
    devices::read(core)
}

/// Agents reach the console's jobs and the upgrade decks by connecting to port 3464.
fn require_agents_can_connect(core: &Host, what: &'static str) -> Result<()> {
    if core
        .state()
        .firewall
        .open_ports
        .contains(&CONFIGURATION_SERVER_PORT)
    {
        Ok(())
    } else {
        Err(Error::RemoteAccessClosed {
            core: core.state().hostname.clone(),
            what,
        })
    }
}

/// The mounted media's drive.
fn media_drive(core: &Host) -> Result<char> {
    core.state()
        .media
        .as_ref()
        .map(|m| m.drive)
        .ok_or_else(|| Error::NoMedia {
            host: core.state().hostname.clone(),
        })
}

/// The indexes of the targeted devices; `outdated` says which a default run takes.
fn select(
    core: &Host,
    list: &[ManagedDevice],
    targets: &Targets,
    outdated: impl Fn(&ManagedDevice) -> bool,
) -> Result<Vec<usize>> {
    match targets {
        Targets::Outdated => Ok((0..list.len()).filter(|i| outdated(&list[*i])).collect()),
        Targets::Named(names) => {
            let mut out: Vec<usize> = Vec::new();
            for name in names {
                let index = list
                    .iter()
                    .position(|d| d.name.eq_ignore_ascii_case(name.trim()))
                    .ok_or_else(|| Error::UnknownDevice {
                        core: core.state().hostname.clone(),
                        device: name.clone(),
                    })?;
                if !out.contains(&index) {
                    out.push(index);
                }
            }
            Ok(out)
        }
    }
}

fn notes(core: &Host) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    if !livenetwork::content_current(core)? {
        notes.push("The Live Network content was not updated since the upgrade: the guide has the full update (Step 6) done before the deployed components (`hpcasim live-network update --host ...`).".into());
    }
    Ok(notes)
}

/// Upgrades agents to 7.90 in place by `method` (B60), on the restored Core only (B63).
pub fn upgrade_agents(
    core: &mut Host,
    targets: &Targets,
    method: AgentMethod,
) -> Result<AgentOutcome> {
    let mut list = require_core(core, "upgrading the agents of its devices")?;
    match method {
        AgentMethod::Console => {
            require_agents_can_connect(core, "upgrading agents from the console")?
        }
        AgentMethod::Decks => {
            require_agents_can_connect(core, "upgrading agents by upgrade decks")?
        }
        AgentMethod::Media => {}
    }
    let chosen = select(core, &list, targets, |d| d.agent < Version::V790)?;
    if method == AgentMethod::Media {
        let drive = media_drive(core)?;
        for i in &chosen {
            let folder = paths::media_agent_installer(drive, list[*i].platform.media_folder());
            if !core.is_dir(&folder) {
                return Err(Error::InstallerNotOnMedia { path: folder });
            }
        }
    }
    let notes = notes(core)?;
    let mut upgraded = Vec::new();
    let mut already = Vec::new();
    for i in chosen {
        let device = &mut list[i];
        if device.agent == Version::V790 {
            already.push(device.name.clone());
            continue;
        }
        // In place: the old agent's settings and objects stay; no uninstall first.
        upgraded.push(AgentUpgrade {
            device: device.name.clone(),
            from: device.agent,
        });
        device.agent = Version::V790;
        device.agent_upgraded_by = Some(method);
    }
    finish(core, &list, upgraded.len())?;
    Ok(AgentOutcome {
        core: core.state().hostname.clone(),
        method,
        upgraded,
        already,
        notes,
    })
}

/// Removes the Administrator from each targeted device, then installs the 7.90 one by
/// `method` (B61), on the restored Core only (B63). By default the targets are the devices
/// with an Administrator older than 7.90; a named Windows device without one gets a fresh
/// install.
pub fn upgrade_administrators(
    core: &mut Host,
    targets: &Targets,
    method: AdminMethod,
) -> Result<AdminOutcome> {
    let mut list = require_core(core, "upgrading the Administrators on its devices")?;
    match method {
        AdminMethod::Service => {
            require_agents_can_connect(core, "deploying the HPCA_ADMINTOOLS service")?
        }
        AdminMethod::Media => {
            let folder = paths::media_admin_installer(media_drive(core)?);
            if !core.is_dir(&folder) {
                return Err(Error::InstallerNotOnMedia { path: folder });
            }
        }
    }
    let chosen = select(core, &list, targets, |d| {
        d.administrator.is_some_and(|v| v < Version::V790)
    })?;
    for i in &chosen {
        let device = &list[*i];
        if device.platform != Platform::Windows {
            return Err(Error::AdministratorNeedsWindows {
                device: device.name.clone(),
                platform: device.platform.as_str(),
            });
        }
    }
    let notes = notes(core)?;
    let mut upgraded = Vec::new();
    let mut already = Vec::new();
    for i in chosen {
        let device = &mut list[i];
        if device.administrator == Some(Version::V790) {
            already.push(device.name.clone());
            continue;
        }
        // First the old Administrator goes, then the 7.90 one is installed.
        let removed = device.administrator.take();
        device.administrator = Some(Version::V790);
        device.administrator_installed_by = Some(method);
        if method == AdminMethod::Service
            && !device.services.iter().any(|s| s == ADMIN_TOOLS_SERVICE)
        {
            device.services.push(ADMIN_TOOLS_SERVICE.to_string());
        }
        upgraded.push(AdminUpgrade {
            device: device.name.clone(),
            removed,
        });
    }
    finish(core, &list, upgraded.len())?;
    Ok(AdminOutcome {
        core: core.state().hostname.clone(),
        method,
        upgraded,
        already,
        notes,
    })
}

/// Deploys a service from the console: `HPCA_ADMINTOOLS` upgrades the Administrators as
/// [`upgrade_administrators`] with [`AdminMethod::Service`]; `CCM_PUBLISHER` is refused in a
/// 7.90 environment (B61).
pub fn deploy_service(core: &mut Host, service: &str, targets: &Targets) -> Result<AdminOutcome> {
    require_core(core, "deploying services to its devices")?;
    let name = service.trim();
    if name.eq_ignore_ascii_case(LEGACY_PUBLISHER_SERVICE) {
        return Err(Error::LegacyService {
            service: LEGACY_PUBLISHER_SERVICE.into(),
            instead: ADMIN_TOOLS_SERVICE,
        });
    }
    if !name.eq_ignore_ascii_case(ADMIN_TOOLS_SERVICE) {
        return Err(Error::UnknownDeployService {
            service: service.to_string(),
            known: ADMIN_TOOLS_SERVICE.into(),
        });
    }
    upgrade_administrators(core, targets, AdminMethod::Service)
}

/// Writes the device list (only when something changed) and advances the Core's clock.
fn finish(core: &mut Host, list: &[ManagedDevice], changed: usize) -> Result<()> {
    if changed == 0 {
        return Ok(());
    }
    devices::write(core, list)?;
    core.advance_clock(JOB_SECONDS + DEVICE_SECONDS * changed as u64);
    core.save()
}
