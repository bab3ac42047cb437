//! The devices a Core manages, as its console lists them: each device's platform and HPCA
//! agent, and on some (the operators' workstations) an HPCA Administrator.
//!
//! The list is a data file of the Core (`Core\data\devices.json`, see
//! [`paths::managed_devices`]): backup carries it, the 7.90 installer removes it with the old
//! install, and the restore brings it back like the rest of the Core's data. Deploying to the
//! devices (`deploy.rs`) rewrites it.

use crate::error::{Error, Result};
use crate::host::Host;
use crate::paths;
use crate::product::Version;
use serde::{Deserialize, Serialize};

/// A managed device's operating-system family, as the agent reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Windows,
    Linux,
    Solaris,
    Hpux,
    /// A handheld running the Windows Mobile agent.
    Winmobile,
}

impl Platform {
    /// The agent installer's folder for this platform under `Media\client\default` (B60).
    pub fn media_folder(self) -> &'static str {
        match self {
            Platform::Windows => "win32",
            Platform::Linux => "linux",
            Platform::Solaris => "solaris",
            Platform::Hpux => "hpux",
            Platform::Winmobile => "winmobile",
        }
    }

    /// The platform as the console lists it.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Windows => "windows",
            Platform::Linux => "linux",
            Platform::Solaris => "solaris",
            Platform::Hpux => "hpux",
            Platform::Winmobile => "winmobile",
        }
    }
}

/// How an agent was upgraded to 7.90 (B60): the guide's three ways, none of which uninstalls
/// the old agent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgentMethod {
    /// Deployed from the Core console.
    Console,
    /// The installer on the 7.90 media run on the device (locally or from a network share).
    Media,
    /// The upgrade decks: the agent upgrades itself at its next connect.
    Decks,
}

impl AgentMethod {
    /// The method as the CLI names it.
    pub fn as_str(self) -> &'static str {
        match self {
            AgentMethod::Console => "console",
            AgentMethod::Media => "media",
            AgentMethod::Decks => "decks",
        }
    }
}

/// How a 7.90 Administrator was installed on a device after the old one was removed (B61).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AdminMethod {
    /// The installer in the media's `Media\admin\default\win32`.
    Media,
    /// The `HPCA_ADMINTOOLS` service deployed from the Core console.
    Service,
}

impl AdminMethod {
    /// The method as the CLI names it.
    pub fn as_str(self) -> &'static str {
        match self {
            AdminMethod::Media => "media",
            AdminMethod::Service => "service",
        }
    }
}

/// One device in the Core's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedDevice {
    /// The device's host name, as the reporting database's `Device` table names it too.
    pub name: String,
    pub platform: Platform,
    /// The installed HPCA agent's version.
    pub agent: Version,
    /// How the agent reached 7.90, once it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_upgraded_by: Option<AgentMethod>,
    /// The HPCA Administrator installed on the device, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub administrator: Option<Version>,
    /// How the 7.90 Administrator was installed, once it has been.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub administrator_installed_by: Option<AdminMethod>,
    /// Services deployed to the device from the console since the migration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
}

/// The file's layout: one object, so later fields can join without breaking old files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeviceFile {
    devices: Vec<ManagedDevice>,
}

/// The devices the Core lists; none when the host has no device list (a Satellite, or a Core
/// between the installer and the restore).
pub fn read(host: &Host) -> Result<Vec<ManagedDevice>> {
    let path = paths::managed_devices();
    if !host.exists(&path) {
        return Ok(Vec::new());
    }
    let file: DeviceFile = serde_json::from_str(&host.read_to_string(&path)?).map_err(|e| {
        Error::DeviceListCorrupt {
            path: path.clone(),
            reason: e.to_string(),
        }
    })?;
    Ok(file.devices)
}

/// The device list as the Core stores it (pretty JSON ending in a newline).
pub fn render(devices: &[ManagedDevice]) -> String {
    let file = DeviceFile {
        devices: devices.to_vec(),
    };
    let mut text = serde_json::to_string_pretty(&file).expect("a device list serializes");
    text.push('\n');
    text
}

/// Writes the Core's device list in one whole-file write.
pub fn write(host: &mut Host, devices: &[ManagedDevice]) -> Result<()> {
    host.write(&paths::managed_devices(), render(devices).as_bytes())
}

/// The device named `name`, case aside (Windows host names are).
pub fn find<'a>(devices: &'a [ManagedDevice], name: &str) -> Option<&'a ManagedDevice> {
    devices.iter().find(|d| d.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_list_round_trips_and_leaves_unset_fields_out() {
        let devices = vec![ManagedDevice {
            name: "WKS00001".into(),
            platform: Platform::Windows,
            agent: Version::V750,
            agent_upgraded_by: None,
            administrator: Some(Version::V750),
            administrator_installed_by: None,
            services: vec![],
        }];
        let text = render(&devices);
        assert!(!text.contains("agent_upgraded_by") && !text.contains("services"));
        let back: DeviceFile = serde_json::from_str(&text).unwrap();
        assert_eq!(back.devices, devices);
        assert_eq!(find(&devices, "wks00001").unwrap().name, "WKS00001");
    }
}
