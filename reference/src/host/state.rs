//! What a Windows server holds besides files: registry, services, firewall, users, media, clock.
//! Serialized as the host's state file; every map is ordered so the file is byte-stable.

use crate::product::{DatabaseServer, Edition, Role, Version};
use crate::winpath::WinPath;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The whole non-file state of one host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostState {
    /// The server's host name (what `http://<host>:3466` names).
    pub hostname: String,
    /// The host's clock, in unix seconds. Nothing below the CLI reads the real time.
    pub clock: u64,
    /// Drives by letter ("C", "D", ...).
    pub drives: BTreeMap<char, Drive>,
    /// The parts of the Windows registry that the migration reads and writes.
    pub registry: Registry,
    /// Windows services by name.
    pub services: BTreeMap<String, Service>,
    /// The Windows Firewall.
    pub firewall: Firewall,
    /// Console users of the HPCA web console.
    pub users: Vec<ConsoleUser>,
    /// The HPCA installation media, when mounted.
    pub media: Option<Media>,
    /// The database server the reporting DSN points at.
    pub database_server: DatabaseServer,
}

/// One drive: a folder under `drives/` with a capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drive {
    /// Capacity in bytes; free space is this minus what the drive stores.
    pub capacity: u64,
    /// True for the installation media (a DVD).
    #[serde(default)]
    pub read_only: bool,
    /// The volume label.
    pub label: String,
}

/// The registry keys of the installed product.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// The installed HPCA product, if any.
    pub product: Option<InstalledProduct>,
    /// The ODBC DSN of the reporting database.
    pub dsn: Option<Dsn>,
    /// Files to delete or replace at the next boot (`PendingFileRenameOperations`).
    #[serde(default)]
    pub pending_file_operations: Vec<PendingFileOperation>,
    /// An installer asked for a reboot that has not happened yet (B25).
    #[serde(default)]
    pub reboot_required: bool,
    /// The state of the 7.90 First Time Setup Wizard (B24).
    #[serde(default)]
    pub first_time_setup: WizardState,
    /// An OS Manager Boot Server installed beside a 7.20 Core (not integrated in 7.20, B22).
    #[serde(default)]
    pub boot_server: Option<BootServer>,
    /// The HPCA Administrator installed on this server, by version (B26).
    #[serde(default)]
    pub administrator: Option<Version>,
}

/// `HKLM\SOFTWARE\Hewlett-Packard\HPCA`: what is installed, where, in which role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstalledProduct {
    /// "HP Client Automation".
    pub name: String,
    pub edition: Edition,
    pub version: Version,
    pub role: Role,
    /// `C:\Program Files\Hewlett-Packard\HPCA`.
    pub install_dir: WinPath,
    /// Installed size in bytes as Add/Remove Programs reports it (the backup estimate reads it).
    pub installed_size: u64,
    /// For a Satellite: the host name of its Core.
    #[serde(default)]
    pub core_host: Option<String>,
}

/// The ODBC data source of the reporting database (B21: must stay the same).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dsn {
    /// The DSN's name.
    pub name: String,
    /// The ODBC driver.
    pub driver: String,
    /// Server name (`HOST\INSTANCE`) for SQL Server; empty for SQLite.
    pub server: String,
    /// Database name, or for SQLite the database file on one of the host's drives.
    pub database: String,
    /// The SQL login.
    pub user: String,
    /// The SQL password. Never printed in a report or a log.
    pub password: String,
}

impl Dsn {
    /// The DSN without its password, as reports show it.
    pub fn redacted(&self) -> String {
        if self.server.is_empty() {
            format!(
                "DSN={};DRIVER={};DATABASE={};UID={};PWD=********",
                self.name, self.driver, self.database, self.user
            )
        } else {
            format!(
                "DSN={};DRIVER={};SERVER={};DATABASE={};UID={};PWD=********",
                self.name, self.driver, self.server, self.database, self.user
            )
        }
    }
}

/// One entry of `PendingFileRenameOperations`: delete `path`, or replace it by `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PendingFileOperation {
    pub path: WinPath,
    /// `None` deletes `path` at boot.
    pub replacement: Option<WinPath>,
}

/// Where the First Time Setup Wizard stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WizardState {
    /// No wizard is pending (before the 7.90 install).
    #[default]
    NotOffered,
    /// The installer opened it; the operator should close it without running it.
    Offered,
    /// Someone ran it: its defaults replaced the settings the restore would bring back.
    Run,
}

/// A 7.20 OS Manager Boot Server, installed on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootServer {
    pub install_dir: WinPath,
    /// Customized files an operator must reapply by hand after the upgrade (B22).
    pub customizations: Vec<String>,
}

/// A Windows service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub running: bool,
    /// The executable, under the install folder.
    pub image: WinPath,
}

/// The Windows Firewall: the inbound ports open to other machines.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Firewall {
    pub open_ports: BTreeSet<u16>,
}

/// A user of the HPCA console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleUser {
    pub name: String,
    /// The version the user was created on (7.20 users lose their roles, B6).
    pub created_in: Version,
    /// Roles granted to the user; empty means the user cannot log in.
    pub roles: Vec<String>,
    /// A salted digest standing for the stored credential; never the password itself.
    pub credential_digest: String,
}

/// The HPCA installation media mounted in a drive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Media {
    /// The read-only drive it is mounted as.
    pub drive: char,
    /// The version on the media (7.90).
    pub version: Version,
}
