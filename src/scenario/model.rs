//! The scenario file model: what QA writes in `scenarios/**/*.toml`.
//!
//! ```toml
//! covers = ["B10", "B11"]
//! [given]
//! versions = ["7.20", "7.50"]   # or version = "7.50"
//! roles = ["core"]              # or role = "core"
//! devices = 20
//! [[steps]]
//! do = "backup"
//! drive = "C"
//! [expect]
//! outcome = "success"
//! ```

use hpca_reference::devices::{AdminMethod, AgentMethod};
use hpca_reference::{DatabaseServer, Edition, Role, Version};
use serde::Deserialize;
use toml::Spanned;

/// One scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A one-line description shown in reports; defaults to the file's name.
    #[serde(default)]
    pub title: Option<String>,
    /// The behaviour IDs (B1..B63) this scenario demonstrates.
    pub covers: Vec<Spanned<String>>,
    /// The world the scenario starts from.
    pub given: Given,
    /// What the operator (or a fault) does, in order.
    pub steps: Vec<Step>,
    /// What must be true at the end.
    pub expect: Expect,
}

/// The fabricated starting host(s).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Given {
    /// One source version...
    #[serde(default)]
    pub version: Option<Version>,
    /// ...or several: the scenario runs once per version (and per role).
    #[serde(default)]
    pub versions: Vec<Version>,
    /// One role...
    #[serde(default)]
    pub role: Option<Role>,
    /// ...or several.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// The database backend the run uses ("sqlite", the embedded default).
    #[serde(default = "default_backend")]
    pub database: Backend,
    /// The database server the host reports (to exercise B2).
    #[serde(default)]
    pub sql_server: Option<DatabaseServer>,
    /// The edition installed (to exercise B1).
    #[serde(default)]
    pub edition: Option<Edition>,
    /// Managed devices in the reporting database.
    #[serde(default = "default_devices")]
    pub devices: u32,
    /// The seed every random choice flows from (`replay --seed` overrides it).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Defects in a 7.20/7.50 database, as `fabricate --defects` takes them.
    #[serde(default)]
    pub defects: Option<Spanned<String>>,
    /// CSDB class-schema customizations.
    #[serde(default)]
    pub csdb_customizations: u32,
    /// Drive layout, as `fabricate --drives` takes it.
    #[serde(default)]
    pub drives: Option<Spanned<String>>,
    /// A separately installed 7.20 OS Manager Boot Server.
    #[serde(default)]
    pub boot_server: bool,
    /// Console users besides admin.
    #[serde(default)]
    pub users: u32,
}

fn default_backend() -> Backend {
    Backend::Sqlite
}
fn default_devices() -> u32 {
    5
}
fn default_seed() -> u64 {
    1
}

/// Where the reporting database lives during the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// SQLite files in the temp host: no server, no Docker.
    Sqlite,
}

/// One thing done to the host, in the CLI's words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Step {
    /// `hpcasim backup <drive>`.
    Backup {
        drive: char,
        /// Where the scripts run from (default `C:\migrate`; the media's folder is the B3 mistake).
        #[serde(default)]
        from: Option<String>,
        /// Kill the run at this named crash point ("backup:rds"); the next backup replaces
        /// what it left.
        #[serde(default)]
        crash_at: Option<String>,
    },
    /// `hpcasim upgrade`: the 7.90 installer.
    Upgrade {
        /// Answer the installer's confirmation.
        #[serde(default = "yes")]
        yes: bool,
        /// Go on although no complete backup exists (the data-loss mistake, B20).
        #[serde(default)]
        without_backup: bool,
        /// Accept the firewall offer (the mistake of B23).
        #[serde(default)]
        open_firewall: bool,
    },
    /// `hpcasim wizard`: run the First Time Setup Wizard (the mistake of B24).
    Wizard,
    /// `hpcasim reboot`.
    Reboot,
    /// `hpcasim restore <drive>`: preview, then (unless `preview_only`) the restore.
    Restore {
        drive: char,
        /// Stop after the preview report, as an operator who answers no.
        #[serde(default)]
        preview_only: bool,
        /// Kill the run at this named crash point ("restore:rms:settings"); the next step
        /// is usually the same command again, which resumes (B33).
        #[serde(default)]
        crash_at: Option<String>,
    },
    /// Delete the `HPCA-restore*` state files, forcing a fresh restore (B33).
    DeleteRestoreState { drive: char },
    /// `hpcasim sync`: synchronize this Satellite with a Core of the same version and seed,
    /// fabricated beside it and taken through the whole migration first (`core = "restored"`)
    /// or left on its old version (`core = "old"`, the mistake of B63).
    Sync { core: CoreState },
    /// `hpcasim sqlmigrate <drive>`, or one `--manual` step of Appendix B.
    Sqlmigrate {
        drive: char,
        /// One manual step (export, drop, recreate, import) instead of the whole run.
        #[serde(default)]
        manual: Option<ManualStep>,
        /// Drop or import in the reverse of the guide's order (the mistake B45 warns of).
        #[serde(default)]
        reversed: bool,
        /// Kill the run at this named crash point ("sqlmigrate:drop:rWin32_Product").
        #[serde(default)]
        crash_at: Option<String>,
    },
    /// `hpcasim service stop|start NAME`.
    Service { name: String, action: ServiceAction },
    /// Fill a drive until only `leave` bytes are free (e.g. "1M").
    FillDrive { drive: char, leave: String },
    /// Move the whole `HPCABackup` folder to another drive (the mistake of B13).
    MoveBackup { from: char, to: char },
    /// Point the DSN at another database name (the mistake of B21).
    ChangeDsn { database: String },
    /// (operator) Block ports 3466 and 3464 in the Windows Firewall, as B4 asks before the
    /// upgrade.
    BlockPorts,
    /// `hpcasim console`: log in (as admin unless told otherwise) and, when asked, open
    /// remote access (B50).
    Console {
        /// The user (default admin).
        #[serde(default)]
        user: Option<String>,
        /// Log in as the site's first console user besides admin (a 7.20 user on a 7.20 host, B6).
        #[serde(default)]
        site_user: bool,
        /// The password (default the one the migration sets, B5).
        #[serde(default = "migration_password")]
        password: String,
        #[serde(default)]
        open_remote_access: bool,
    },
    /// `hpcasim live-network check|update|configure` (B55).
    LiveNetwork {
        action: LiveNetworkAction,
        /// Accept a connector other than the one installed with HPCA.
        #[serde(default)]
        connector_by_support: bool,
        /// configure: the URL.
        #[serde(default)]
        url: Option<String>,
        /// configure: the HP Passport user.
        #[serde(default)]
        user: Option<String>,
        /// configure: the HP Passport password.
        #[serde(default)]
        password: Option<String>,
        /// configure: "installed" (the connector installed with HPCA) or a Windows path.
        #[serde(default)]
        connector: Option<String>,
    },
    /// `hpcasim deploy agent --method console|media|decks` (B60).
    DeployAgent {
        method: AgentMethod,
        /// Only these devices (default: every device not at 7.90).
        #[serde(default)]
        devices: Vec<String>,
    },
    /// `hpcasim deploy admin --method media|service` (B61).
    DeployAdmin {
        method: AdminMethod,
        #[serde(default)]
        devices: Vec<String>,
    },
    /// `hpcasim deploy service NAME` (B61: CCM_PUBLISHER is refused).
    DeployService {
        service: String,
        #[serde(default)]
        devices: Vec<String>,
    },
}

/// What `live-network` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LiveNetworkAction {
    Check,
    Update,
    Configure,
}

fn migration_password() -> String {
    hpca_reference::restore::after::ADMIN_PASSWORD.to_string()
}

/// ` --device A --device B`, for the command lines.
fn device_flags(devices: &[String]) -> String {
    devices.iter().map(|d| format!(" --device {d}")).collect()
}

/// A manual step of Appendix B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ManualStep {
    Export,
    Drop,
    Recreate,
    Import,
}

/// Stop or start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceAction {
    Stop,
    Start,
}

/// Where the Core stands when a Satellite synchronizes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CoreState {
    /// Backed up, upgraded, rebooted and restored: ready.
    Restored,
    /// Still on its old version.
    Old,
}

fn yes() -> bool {
    true
}

impl Step {
    /// The step as an operator would type it, for step-by-step output.
    pub fn command_line(&self) -> String {
        match self {
            Step::Backup {
                drive,
                from,
                crash_at,
            } => {
                let mut s = format!("backup {drive}");
                if let Some(f) = from {
                    s.push_str(&format!(" --from {f}"));
                }
                if let Some(point) = crash_at {
                    s.push_str(&format!(" (killed at {point})"));
                }
                s
            }
            Step::Upgrade {
                yes,
                without_backup,
                open_firewall,
            } => {
                let mut s = String::from("upgrade");
                if *yes {
                    s.push_str(" --yes");
                }
                if *without_backup {
                    s.push_str(" --without-backup");
                }
                if *open_firewall {
                    s.push_str(" --open-firewall");
                }
                s
            }
            Step::Restore {
                drive,
                preview_only,
                crash_at,
            } => {
                let mut s = format!("restore {drive}");
                s.push_str(if *preview_only {
                    " --preview-only"
                } else {
                    " --yes"
                });
                if let Some(point) = crash_at {
                    s.push_str(&format!(" (killed at {point})"));
                }
                s
            }
            Step::DeleteRestoreState { drive } => {
                format!("(operator) delete {drive}:\\HPCABackup\\HPCABackup\\HPCA-restore*")
            }
            Step::Sync {
                core: CoreState::Restored,
            } => "sync --core <its restored 7.90 Core>".into(),
            Step::Sync {
                core: CoreState::Old,
            } => "sync --core <its Core, not yet upgraded>".into(),
            Step::Sqlmigrate {
                drive,
                manual,
                reversed,
                crash_at,
            } => {
                let mut s = format!("sqlmigrate {drive}");
                if let Some(step) = manual {
                    s.push_str(&format!(" --manual {}", format!("{step:?}").to_lowercase()));
                }
                if *reversed {
                    s.push_str(" --reversed");
                }
                if let Some(point) = crash_at {
                    s.push_str(&format!(" (killed at {point})"));
                }
                s
            }
            Step::Service { name, action } => format!(
                "service {} \"{name}\"",
                format!("{action:?}").to_lowercase()
            ),
            Step::Wizard => "wizard".into(),
            Step::Reboot => "reboot".into(),
            Step::FillDrive { drive, leave } => {
                format!("(fault) fill drive {drive}: leaving {leave} free")
            }
            Step::MoveBackup { from, to } => {
                format!("(mistake) move {from}:\\HPCABackup to {to}:\\HPCABackup")
            }
            Step::ChangeDsn { database } => {
                format!("(mistake) point the DSN at database {database}")
            }
            Step::BlockPorts => {
                "(operator) block ports 3466 and 3464 in the Windows Firewall".into()
            }
            Step::Console {
                user,
                site_user,
                password,
                open_remote_access,
            } => {
                let who = match (site_user, user) {
                    (true, _) => "<the site's first console user>",
                    (false, Some(u)) => u.as_str(),
                    (false, None) => "admin",
                };
                let mut s = format!("console --user {who} --password {password}");
                if *open_remote_access {
                    s.push_str(" --open-remote-access");
                }
                s
            }
            Step::LiveNetwork {
                action,
                connector_by_support,
                url,
                user,
                password,
                connector,
            } => {
                let mut s = format!("live-network {}", format!("{action:?}").to_lowercase());
                for (flag, value) in [("url", url), ("user", user), ("password", password)] {
                    if let Some(v) = value {
                        s.push_str(&format!(" --{flag} {v}"));
                    }
                }
                match connector.as_deref() {
                    Some("installed") => s.push_str(" --installed-connector"),
                    Some(path) => s.push_str(&format!(" --connector {path}")),
                    None => {}
                }
                if *connector_by_support {
                    s.push_str(" --connector-by-support");
                }
                s
            }
            Step::DeployAgent { method, devices } => format!(
                "deploy agent --method {}{}",
                method.as_str(),
                device_flags(devices)
            ),
            Step::DeployAdmin { method, devices } => format!(
                "deploy admin --method {}{}",
                method.as_str(),
                device_flags(devices)
            ),
            Step::DeployService { service, devices } => {
                format!("deploy service {service}{}", device_flags(devices))
            }
        }
    }
}

/// The expected end of the scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// success, refused or failed.
    pub outcome: Outcome,
    /// For refused/failed: the 1-based step that stops the run.
    #[serde(default)]
    pub step: Option<usize>,
    /// For refused/failed: the error's code (e.g. "reboot-pending").
    #[serde(default)]
    pub reason: Option<String>,
    /// The reporting data at the end compared with the fabricated data.
    #[serde(default)]
    pub data: Option<DataExpectation>,
    /// The version the host reports at the end.
    #[serde(default)]
    pub version: Option<Version>,
    /// Windows paths that must exist at the end.
    #[serde(default)]
    pub files_exist: Vec<String>,
    /// Windows paths that must not exist at the end.
    #[serde(default)]
    pub files_absent: Vec<String>,
    /// Text that must appear in some report the steps wrote (HTML or JSON).
    #[serde(default)]
    pub report_contains: Vec<String>,
    /// Text that must appear in the failing step's message.
    #[serde(default)]
    pub message_contains: Vec<String>,
    /// Exactly the ports open in the firewall at the end (B4, B50).
    #[serde(default)]
    pub open_ports: Option<Vec<u16>>,
    /// The version every managed device's agent has at the end (B60).
    #[serde(default)]
    pub agents_at: Option<Version>,
    /// The version every Administrator on a managed device has at the end (B61).
    #[serde(default)]
    pub administrators_at: Option<Version>,
}

/// success, refused or failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Every step succeeds.
    Success,
    /// A step refuses before changing anything (exit 1, host unchanged by that step).
    Refused,
    /// A step fails part-way (exit 1, the host may have changed).
    Failed,
}

/// What must hold of the reporting data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataExpectation {
    /// Every table has the same rows (by digest) as fabricated.
    Preserved,
    /// Nothing lost: every table's fabricated rows = its rows now + its rows in the
    /// `errors\<table>.tsv` files of the `HPCABackup\SQLMigrate*` folders (B43).
    Accounted,
}
