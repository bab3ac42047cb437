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
    // ---- preconditions (B1-B3, B7, B25) ----
    /// The host has no HPCA product installed.
    #[error("no HPCA product is installed on {host}: there is nothing to migrate; check that --host names the server you mean")]
    NotInstalled { host: String },
    /// An edition the guide does not cover (B1).
    #[error("this is an HPCA {edition} install: the 7.90 Enterprise migration covers Enterprise Edition Core and Satellite only; use the migration guide for that edition instead (nothing was changed)")]
    UnsupportedEdition { edition: &'static str },
    /// A version the guide does not migrate from (B1).
    #[error("HPCA {found} is installed: only Enterprise 7.20, 7.50 and 7.80 can be migrated to 7.90{hint} (nothing was changed)")]
    UnsupportedVersion { found: String, hint: &'static str },
    /// A database server older than SQL Server 2005 (B2).
    #[error("the reporting database runs on {found}: HPCA 7.90 needs SQL Server 2005 or 2008 (or Oracle); upgrade the database server first, then start the migration again (nothing was changed)")]
    UnsupportedSqlServer { found: &'static str },
    /// The migration scripts were started from the read-only media (B3).
    #[error("{from} is on the installation media (drive {drive}:, read-only): the migration scripts cannot run from there; copy the media's migrate folder to a writable drive (for example {suggested}) and run from the copy (nothing was changed)")]
    RunFromMedia {
        from: WinPath,
        drive: char,
        suggested: WinPath,
    },
    /// The migrate folder the scripts should run from is not there (B3).
    #[error("{from} does not exist: copy the migrate folder from the installation media{media} to {from} first, then run from there (nothing was changed)")]
    MigrateFolderMissing { from: WinPath, media: String },
    /// An installer asked for a reboot that has not happened (B25).
    #[error("a reboot is pending on {host} since the 7.90 installer ran ({pending} file operation(s) wait for it): reboot first (`hpcasim reboot --host ...`), then continue (nothing was changed)")]
    RebootPending { host: String, pending: usize },
    // ---- backup (B10-B15) ----
    /// The backup drive has less free space than the backup needs (B10).
    #[error("drive {drive}: has {free} bytes free but the backup needs about {needed} bytes (about the installed size plus the CSDB and proxy cache): free at least {short} bytes on {drive}: or choose a drive with more space (nothing was written)")]
    BackupSpaceShort {
        drive: char,
        needed: u64,
        free: u64,
        short: u64,
    },
    /// The backup drive is the read-only media.
    #[error("drive {drive}: is read-only (the installation media): the backup cannot be written there; name a writable drive such as C (nothing was written)")]
    BackupDriveReadOnly { drive: char },
    /// A backup manifest that cannot be read.
    #[error("the backup manifest {path} is unreadable ({reason}): the backup is not usable; run the backup again")]
    ManifestCorrupt { path: WinPath, reason: String },
    // ---- upgrade (B20-B26) ----
    /// No complete backup of this install on any drive (B7, B20).
    #[error("no complete backup of this HPCA {version} {role} was found on any drive ({looked}): run `hpcasim backup <drive> --host ...` first; upgrading without a backup loses the site's data (pass --without-backup only to rehearse that loss) (nothing was changed)")]
    NoCompleteBackup {
        version: String,
        role: &'static str,
        looked: String,
    },
    /// The operator did not confirm the upgrade prompt (B20).
    #[error("the upgrade was not confirmed: {how} (nothing was changed)")]
    NotConfirmed { how: &'static str },
    /// The installer needs more space than the install drive has.
    #[error("drive {drive}: has {free} bytes free but installing 7.90 needs {needed} bytes: free space on {drive}: and run the installer again (nothing was changed)")]
    InstallSpaceShort { drive: char, needed: u64, free: u64 },
    /// The wizard can only run where the 7.90 installer opened it (B24).
    #[error("the First Time Setup Wizard is not open on this host ({state}): it only appears right after the 7.90 installer; nothing to run (nothing was changed)")]
    WizardNotOffered { state: &'static str },
    /// A separate Boot Server asked for on a version whose install integrates it (B22).
    #[error("a separate OS Manager Boot Server exists only on 7.20; on {version} the Boot Server is the integrated rbs component every install has: drop --boot-server, or fabricate version 7.20")]
    BootServerIntegrated { version: crate::product::Version },
    /// A CSDB file the Configuration Server could not load either.
    #[error("the CSDB file {path} is damaged at line {line}: {reason}; restore it from the backup's rds module or fix the line by hand")]
    CsdbCorrupt {
        path: WinPath,
        line: usize,
        reason: String,
    },
    // ---- restore (B13, B30-B35) and satellite sync (B62, B63) ----
    /// Restore needs the 7.90 install: the host still runs the old version.
    #[error("{host} runs HPCA {found}, not 7.90: the restore brings a backup into a 7.90 install; run the 7.90 installer first (`hpcasim upgrade --host ...`, then `hpcasim reboot --host ...`) (nothing was changed)")]
    NotUpgraded { host: String, found: String },
    /// No backup on the drive the operator named ("wrong drive").
    #[error("there is no backup in {looked}{elsewhere}: name the drive the backup was written to (nothing was changed)")]
    NoBackupOnDrive { looked: WinPath, elsewhere: String },
    /// The backup folder is not where the backup wrote it (B13).
    #[error("the backup in {found_at} was written to {written_at} and moved since: a backup only restores from where it was written; move the HPCABackup folder back to {written_at} and run the restore for that drive (nothing was changed)")]
    BackupMoved {
        written_at: WinPath,
        found_at: WinPath,
    },
    /// A backed-up file is missing or its content changed since the backup.
    #[error("the backup file {path} {problem}: the backup is damaged; restore that file from a copy of the backup, or run the backup again on the old install (nothing was changed)")]
    BackupFileDamaged { path: WinPath, problem: String },
    /// The backup belongs to another server, role or version than the one upgraded here.
    #[error("the backup in {folder} is of {backup}, but this host is {host}: restore the backup taken on this server before its upgrade (nothing was changed)")]
    BackupMismatch {
        folder: WinPath,
        backup: String,
        host: String,
    },
    /// The reporting DSN differs from the one recorded at backup (B21).
    #[error("the reporting DSN changed since the backup (then {before}, now {now}): the rms module cannot be restored; set the DSN back to what it was before the upgrade, then run the restore again (nothing was changed)")]
    DsnChanged { before: String, now: String },
    /// An rds migration script the restore cannot apply (B31).
    #[error("{path}:{line}:{column}: {reason}; fix the script (or delete it to leave that customization behind) and run the restore again (nothing was changed)")]
    RdsScriptInvalid {
        path: WinPath,
        line: usize,
        column: usize,
        reason: String,
    },
    /// A restore state file that cannot be read (B33).
    #[error("the restore state file {path} is unreadable ({reason}): delete the HPCA-restore* files in the backup folder to restore afresh")]
    RestoreStateCorrupt { path: WinPath, reason: String },
    /// The operator did not answer y after the preview (B30).
    #[error("the restore was not confirmed: {how} (nothing was restored; the preview report stays for review)")]
    RestoreNotConfirmed { how: &'static str },
    /// Sync needs a Satellite on one side and a Core on the other (B62).
    #[error("{host} is {found}, not {expected}: `sync --host` names the Satellite and `--core` its Core")]
    SyncWrongRole {
        host: String,
        found: String,
        expected: &'static str,
    },
    /// The Satellite is not ready to synchronize (not upgraded or not restored).
    #[error("the Satellite {host} is not ready to synchronize: {reason}; finish its backup, upgrade, reboot and restore first (nothing was changed)")]
    SatelliteNotReady { host: String, reason: String },
    /// The Core named is not the Satellite's Core.
    #[error("the Satellite {satellite} synchronizes with {configured}, but --core names {core}: name its own Core (nothing was changed)")]
    SyncWrongCore {
        satellite: String,
        configured: String,
        core: String,
    },
    /// The Core is not at 7.90 and restored yet (B63: the Core is upgraded before anything
    /// deployed, and before the steps that follow its migration).
    #[error("the Core {core} {state}: upgrade and restore the Core to 7.90 before {before} (nothing was changed)")]
    CoreNotUpgraded {
        core: String,
        state: String,
        /// The step that has to wait ("synchronizing its Satellites").
        before: &'static str,
    },
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
    // ---- after the Core: console (B50, B5, B6), Live Network (B55), deployed components (B60, B61, B63) ----
    /// A step that only the Core's console does, asked of a Satellite.
    #[error("{host} is a Satellite: {step} is done from the Core's console; name the Core with --host (nothing was changed)")]
    CoreOnly { host: String, step: &'static str },
    /// The 7.90 console does not answer yet (B50).
    #[error(
        "the HPCA console at http://{host}:3466 does not answer: {reason} (nothing was changed)"
    )]
    ConsoleNotReady { host: String, reason: String },
    /// Opening 3466/3464 before the restore is done (B4, B50).
    #[error("ports 3466 and 3464 of {host} stay closed to agents and satellites until the restore is done: a device connecting before then can leave a duplicate device entry{open_now}; finish the restore (`hpcasim restore <drive> --host ...`), then log in and open remote access (nothing was changed)")]
    RemoteAccessBeforeRestore {
        host: String,
        /// What to do about ports already open, if any are.
        open_now: String,
    },
    /// A console login the console refuses (B5, B6).
    #[error("the console refused the login of {user}: {reason} (nothing was changed)")]
    LoginRefused { user: String, reason: String },
    /// The Live Network connection is not configured well enough to update (B55).
    #[error("the HP Live Network configuration is not usable: {problem}; set it in the console (Configuration > Infrastructure Management > Live Network, or `hpcasim live-network configure --host ... --url URL --user USER --password PASSWORD`) and check again (nothing was changed)")]
    LiveNetworkNotConfigured { problem: String },
    /// The configuration names a connector other than the one installed with HPCA (B55).
    #[error("the Live Network configuration uses the connector {configured}, not the one installed with HPCA ({installed}): point it back at the installed connector (`hpcasim live-network configure --host ... --installed-connector`), or, only if a support engineer told you to use this one, pass --connector-by-support (nothing was changed)")]
    LiveNetworkForeignConnector {
        configured: String,
        installed: WinPath,
    },
    /// The configured connector is not on the Core.
    #[error(
        "the Live Network Connector {path} is not on this server: {hint} (nothing was changed)"
    )]
    LiveNetworkConnectorMissing { path: String, hint: &'static str },
    /// The Core's device list cannot be read.
    #[error("the Core's device list {path} is unreadable ({reason}): restore it from the backup's core module, or run the restore again")]
    DeviceListCorrupt { path: WinPath, reason: String },
    /// A device name the Core does not manage.
    #[error("the Core {core} manages no device named '{device}': name devices as `hpcasim devices --host ...` lists them (nothing was changed)")]
    UnknownDevice { core: String, device: String },
    /// The HPCA Administrator runs on Windows only (B61).
    #[error("{device} is a {platform} device: the HPCA Administrator installs on Windows only; name a Windows device (nothing was changed)")]
    AdministratorNeedsWindows {
        device: String,
        platform: &'static str,
    },
    /// Agents cannot reach the Core while the firewall blocks the Configuration Server port.
    #[error("{what} needs the devices' agents to connect to the Core's Configuration Server on port 3464, which the firewall of {core} blocks: log in and open remote access (`hpcasim console --host ... --open-remote-access`), or install from the media instead (nothing was changed)")]
    RemoteAccessClosed { core: String, what: &'static str },
    /// No installation media is mounted where an installer from the media is needed.
    #[error("no HPCA 7.90 media is mounted on {host}: mount the media (or share its Media folder) before installing from it (nothing was changed)")]
    NoMedia { host: String },
    /// The media lacks the installer a device needs.
    #[error("{path} is not on the media: check that the mounted media is the HPCA 7.90 Enterprise media (nothing was changed)")]
    InstallerNotOnMedia { path: WinPath },
    /// A legacy service the guide says not to deploy in 7.90 (B61).
    #[error("{service} is a legacy service and is not to be deployed in a 7.90 environment: deploy {instead} instead (`hpcasim deploy admin --method service`), or install the Administrator from the media's \\Media\\admin\\default\\win32 (nothing was changed)")]
    LegacyService {
        service: String,
        instead: &'static str,
    },
    /// A service name the deploy command does not know.
    #[error("'{service}' is not a service hpcasim deploys (it deploys {known}): name one of those (nothing was changed)")]
    UnknownDeployService { service: String, known: String },
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

    /// A stable, kebab-case code for the error's kind ("reboot-pending", "drive-full"),
    /// derived from the variant's name: what scenario files name in `expect.reason`.
    pub fn code(&self) -> String {
        let debug = format!("{self:?}");
        let variant: String = debug
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut code = String::with_capacity(variant.len() + 4);
        for (i, c) in variant.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                code.push('-');
            }
            code.push(c.to_ascii_lowercase());
        }
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_variant_names_in_kebab_case() {
        let e = Error::RebootPending {
            host: "H".into(),
            pending: 2,
        };
        assert_eq!(e.code(), "reboot-pending");
        let e = Error::Crashed { point: "x".into() };
        assert_eq!(e.code(), "crashed");
        let e = Error::NoSuchDrive {
            drive: 'Q',
            available: "C:".into(),
        };
        assert_eq!(e.code(), "no-such-drive");
    }
}
