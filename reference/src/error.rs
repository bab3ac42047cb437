//! The one error type of `hpca-reference`: each variant names the problem in the guide's
//! words and carries what the operator needs to act on it.

use crate::winpath::{BadWinPath, WinPath};
use std::path::PathBuf;

/// Result of every fallible operation in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can refuse or fail. `Display` says what is wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    // ---- the host folder ----
    /// The folder holds no host state file.
    #[error("{root} is not an hpcasim host (no {state_file} in it): create one with `hpcasim fabricate ... --out {root}`")]
    NotAHost {
        root: PathBuf,
        state_file: &'static str,
    },
    /// A new host would overwrite an existing folder's content.
    #[error("{root} exists and is not empty: choose a new folder for --out, or remove this one first (nothing was changed)")]
    HostFolderNotEmpty { root: PathBuf },
    /// The host state file cannot be read.
    #[error("the host state file {path} is unreadable ({reason}): restore it from a copy, or fabricate the host again")]
    StateCorrupt { path: PathBuf, reason: String },
    /// A path that is not a Windows path on this host.
    #[error(transparent)]
    BadPath(#[from] BadWinPath),
    /// A drive letter the host does not have.
    #[error("drive {drive}: does not exist on this host (its drives are {available}): name one of those")]
    NoSuchDrive { drive: char, available: String },
    /// A write that would pass the drive's capacity; nothing was written.
    #[error("drive {drive}: is full: writing {path} needs {needed} bytes but only {free} are free; free space on {drive}: or choose another drive (nothing was written)")]
    DriveFull {
        drive: char,
        path: WinPath,
        needed: u64,
        free: u64,
    },
    /// A write to a read-only drive (the mounted media).
    #[error("{path} is on read-only drive {drive}: (the installation media): copy what you need to a writable drive first")]
    ReadOnlyDrive { drive: char, path: WinPath },
    /// A path that does not exist.
    #[error("{path} does not exist on this host")]
    NotFound { path: WinPath },
    /// A path component resolving outside the host folder (a link planted in the tree).
    #[error("{path} leads outside the host folder (through a link); remove the link")]
    Escapes { path: WinPath },
    /// An operating-system error on the host folder.
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A crash injected at a named point (see `fault::Crash`): the run stopped there as a
    /// killed process would.
    #[error("the run crashed at {point} (injected fault): run the same command again to resume")]
    Crashed { point: String },
    /// An error from the database engine.
    #[error("database error on {context}: {message}")]
    Database { context: String, message: String },
    /// Defects asked of a database whose schema would refuse them (7.80 and 7.90 have keys).
    #[error("cannot put defects ({defects}) into a {version} database: its schema already has the 7.90 keys and would refuse them; fabricate 7.20 or 7.50 for defects, or drop --defects")]
    DefectsNeedUnkeyedSchema {
        version: crate::product::Version,
        defects: String,
    },
    /// A DSN whose ODBC driver has no backend here.
    #[error("the DSN {dsn} uses the driver '{driver}', which hpcasim cannot open: point the DSN at a SQLite database (driver 'SQLite3 ODBC Driver')")]
    UnsupportedDsnDriver { dsn: String, driver: String },
    // ---- services and sqlmigrate (B40-B45) ----
    /// A service name the host does not have.
    #[error("there is no service named '{name}' on this host (its services are {available}): use one of those names")]
    NoSuchService { name: String, available: String },
    /// A service that must be stopped for this step is running.
    #[error("the {service} service is running: stop it first with `hpcasim service stop \"{service}\" --host DIR`, then run sqlmigrate again (nothing was changed)")]
    ServiceRunning { service: String },
    /// sqlmigrate on a host that is not at 7.90 yet.
    #[error("sqlmigrate runs after the upgrade to 7.90, but this host has {found}: run the 7.90 installer, reboot and restore first (nothing was changed)")]
    SqlMigrateBeforeUpgrade { found: String },
    /// sqlmigrate while the installer's reboot is still pending.
    #[error("a reboot is pending after the 7.90 installer: reboot the host (`hpcasim reboot --host DIR`) before sqlmigrate (nothing was changed)")]
    SqlMigrateRebootPending,
    /// A host without a reporting database (no DSN: a Satellite).
    #[error("this host has no reporting database (no DSN): sqlmigrate runs on the Core that holds the database")]
    NoReportingDatabase,
    /// A manual step whose earlier step has not been done.
    #[error("{step} needs {missing} first: run `hpcasim sqlmigrate {drive} --manual {missing_step} --host DIR` (nothing was changed)")]
    ManualStepOutOfOrder {
        step: &'static str,
        missing: &'static str,
        missing_step: &'static str,
        drive: char,
    },
    /// An export file that no longer matches its manifest (edited or damaged after export).
    #[error("the export {path} does not match its manifest ({detail}): restore that file from a copy before importing; the rows are not lost while it exists")]
    ExportDamaged {
        path: crate::winpath::WinPath,
        detail: String,
    },
}

impl Error {
    /// Wraps an I/O error with what was being done and to which real path.
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }
}
