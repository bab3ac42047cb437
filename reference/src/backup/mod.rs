//! `hpcabackup <drive>` (B10-B15): a personality extraction, module by module, of the installed
//! Core or Satellite into `<drive>:\HPCABackup\HPCABackup`, with an HTML report and its JSON
//! twin, and a manifest written last.
//!
//! The reporting database is not copied: the 7.90 installer upgrades it in place (B21), and the
//! guide has the operator back it up with the database's own tools; the report says so.
//!
//! Architecture Invariant: [`plan`] only reads the host; every refusal (preconditions, short
//! drive) happens there, before [`backup`] writes anything.
//!
//! A backup killed part-way is no backup (its manifest, written last, is missing), and the
//! next run replaces it rather than keeping it as a previous backup (B12 keeps complete
//! ones). What marks it as interrupted is `HPCABackup\hpcabackup-in-progress.json`, written
//! before anything else and removed last, which also records where a previous backup was
//! renamed to, so the rerun writes the same backup and report an uninterrupted run would.
//! Crash points: `backup:<module>` before each module, `backup:report`, `backup:manifest`,
//! `backup:done` (complete, the mark not yet removed).

pub mod manifest;

use crate::error::{Error, Result};
use crate::fault::Crash;
use crate::host::{FileEntry, Host, InstalledProduct};
use crate::install::{self, Component};
use crate::paths;
use crate::preconditions;
use crate::product::Role;
use crate::report::{self, Level, Report};
use crate::winpath::WinPath;
use manifest::{FileRecord, Location, Manifest, ModuleRecord, Source};
use std::collections::BTreeMap;

/// The Core's backup report name as the guide gives it (B14).
pub const CORE_REPORT: &str = "hpca-backup-report.html";
/// The Satellite's backup report name as the guide gives it (B14).
pub const SATELLITE_REPORT: &str = "hpcabackup-report.html";
/// Space the manifest, settings and reports take besides the copies: a fixed part ...
const OVERHEAD_FIXED: u64 = 64 * 1024;
/// ... plus this much per file (its manifest line) ...
const OVERHEAD_PER_FILE: u64 = 1024;
/// ... plus this much per module (its settings file and report lines).
const OVERHEAD_PER_MODULE: u64 = 4 * 1024;
/// Copy speed the host clock advances by, bytes per second (a plain server disk).
const COPY_BYTES_PER_SECOND: u64 = 25_000_000;

/// The backup report's file name for a role (B14).
pub fn report_name(role: Role) -> &'static str {
    match role {
        Role::Core => CORE_REPORT,
        Role::Satellite => SATELLITE_REPORT,
    }
}

/// `<drive>:\HPCABackup\HPCABackup\<report name>`: where the HTML report goes (the JSON
/// twin is beside it, `.json` instead of `.html`).
pub fn report_path(drive: char, role: Role) -> WinPath {
    paths::backup_dir(drive).child(report_name(role))
}

/// One module to extract: its component, its folder and the files that belong to it.
#[derive(Debug, Clone)]
pub struct ModulePlan {
    pub component: &'static Component,
    pub source: WinPath,
    /// Files under `source`, minus those of components nested in it and the reporting
    /// database file.
    pub files: Vec<FileEntry>,
}

impl ModulePlan {
    /// Bytes of the module's files.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// What a backup will do, computed before anything is written.
#[derive(Debug, Clone)]
pub struct BackupPlan {
    pub drive: char,
    /// `<drive>:\HPCABackup\HPCABackup`.
    pub folder: WinPath,
    pub product: InstalledProduct,
    pub modules: Vec<ModulePlan>,
    /// Estimated bytes the backup needs (B10).
    pub needed: u64,
    /// Free bytes on the drive now.
    pub free: u64,
    /// What happens to what sits in `folder` now.
    pub previous: Previous,
}

/// What a backup finds where it is to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previous {
    /// Nothing.
    None,
    /// A backup, to be renamed to `HPCABackup-<unix seconds>` (B12).
    Backup,
    /// What an interrupted run left: removed, the run done again. A previous backup that run
    /// had renamed, it names (`renamed_to`); one it was about to rename is still in place
    /// (`still_in_place`) and is renamed now.
    Interrupted {
        renamed_to: Option<WinPath>,
        still_in_place: bool,
    },
}

/// The in-progress mark's contents.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct InProgress {
    /// Where the run renamed (or is renaming) the previous backup to.
    renamed_previous: Option<WinPath>,
}

/// What a finished backup returns.
#[derive(Debug, Clone)]
pub struct BackupOutcome {
    pub report: Report,
    /// The HTML report, and its JSON twin beside it.
    pub report_path: WinPath,
    pub json_path: WinPath,
    pub manifest: Manifest,
    /// Where the previous backup was moved to, on a rerun (B12).
    pub renamed_previous: Option<WinPath>,
    /// Whether this run replaced what an interrupted one left.
    pub replaced_interrupted: bool,
    /// The closing line to show the operator (B11).
    pub success_line: String,
}

/// The reporting database's own file when it lives on one of the host's drives (SQLite):
/// never copied by backup nor removed by the installer (B21).
pub fn reporting_database_file(host: &Host) -> Option<WinPath> {
    let dsn = host.state().registry.dsn.as_ref()?;
    WinPath::parse(&dsn.database).ok()
}

/// The files of one component: its folder, minus nested component folders (the CSDB lies
/// inside the Configuration Server's) and the reporting database file.
fn module_files(host: &Host, source: &WinPath, install_dir: &WinPath) -> Result<Vec<FileEntry>> {
    if !host.is_dir(source) {
        return Ok(Vec::new());
    }
    let nested: Vec<WinPath> = install::COMPONENTS
        .iter()
        .filter_map(|c| install_dir.join(c.folder).ok())
        .filter(|f| f != source && f.starts_with(source))
        .collect();
    let database = reporting_database_file(host);
    Ok(host
        .walk(source)?
        .into_iter()
        .filter(|f| !nested.iter().any(|n| f.path.starts_with(n)))
        .filter(|f| database.as_ref() != Some(&f.path))
        .collect())
}

/// Checks everything and computes the backup, writing nothing: the preconditions (B1-B3,
/// B25), the drive, and the space estimate (B10).
pub fn plan(host: &Host, drive: char, from: &WinPath) -> Result<BackupPlan> {
    let drive = drive.to_ascii_uppercase();
    let product = preconditions::check(host, from)?;
    host.check_drive(drive)?;
    if host.state().drives[&drive].read_only {
        return Err(Error::BackupDriveReadOnly { drive });
    }
    let mut modules = Vec::new();
    for name in install::modules(product.version, product.role) {
        let component = install::component(name).expect("modules() names known components");
        let source = product.install_dir.join(component.folder)?;
        let files = module_files(host, &source, &product.install_dir)?;
        modules.push(ModulePlan {
            component,
            source,
            files,
        });
    }
    // The guide's estimate is "about the installed size"; the CSDB and the proxy cache grow
    // after installation, so they are added on top. Never less than what will be copied,
    // so a backup that passed the check cannot run the drive full half-way.
    let data: u64 = modules
        .iter()
        .filter(|m| matches!(m.component.module, "rds" | "rproxy"))
        .map(ModulePlan::bytes)
        .sum();
    let program: u64 = modules.iter().map(ModulePlan::bytes).sum::<u64>() - data;
    let file_count: u64 = modules.iter().map(|m| m.files.len() as u64).sum();
    let overhead = OVERHEAD_FIXED
        + OVERHEAD_PER_FILE * file_count
        + OVERHEAD_PER_MODULE * modules.len() as u64;
    let needed = product.installed_size.max(program) + data + overhead;
    let folder = paths::backup_dir(drive);
    let previous = previous(host, drive, &folder)?;
    // What an interrupted run left is removed before anything is written: its room is free.
    let free = host.free(drive)? + leftover_bytes(host, drive, &folder, &previous)?;
    if needed > free {
        return Err(Error::BackupSpaceShort {
            drive,
            needed,
            free,
            short: needed - free,
        });
    }
    Ok(BackupPlan {
        drive,
        previous,
        folder,
        product,
        modules,
        needed,
        free,
    })
}

/// The bytes an interrupted run left that the next run removes (its mark, and what it wrote).
fn leftover_bytes(host: &Host, drive: char, folder: &WinPath, previous: &Previous) -> Result<u64> {
    let Previous::Interrupted { still_in_place, .. } = previous else {
        return Ok(0);
    };
    let mut bytes = host.file_size(&paths::backup_in_progress(drive))?;
    if !still_in_place && host.exists(folder) {
        bytes += host.walk(folder)?.iter().map(|f| f.size).sum::<u64>();
    }
    Ok(bytes)
}

/// What sits where the backup goes: nothing, a backup, or an interrupted run's remains.
fn previous(host: &Host, drive: char, folder: &WinPath) -> Result<Previous> {
    let mark = paths::backup_in_progress(drive);
    if !host.exists(&mark) {
        return Ok(if host.exists(folder) {
            Previous::Backup
        } else {
            Previous::None
        });
    }
    let text = host.read_to_string(&mark)?;
    let in_progress: InProgress =
        serde_json::from_str(&text).map_err(|e| Error::ManifestCorrupt {
            path: mark.clone(),
            reason: format!("{e}; delete it to back up afresh (a backup beside it is then kept as a previous one)"),
        })?;
    let still_in_place = match &in_progress.renamed_previous {
        Some(target) => !host.exists(target) && host.exists(folder),
        None => false,
    };
    Ok(Previous::Interrupted {
        renamed_to: in_progress.renamed_previous,
        still_in_place,
    })
}

/// Runs `hpcabackup <drive>`: plans (refusing before any write), renames a previous backup
/// (B12), extracts each module (B15), writes the report and its twin (B14), then the manifest.
pub fn backup(
    host: &mut Host,
    drive: char,
    from: &WinPath,
    crash: &Crash,
) -> Result<BackupOutcome> {
    let plan = plan(host, drive, from)?;
    let product = &plan.product;
    let role = product.role;
    let mut report = Report::new(
        format!("HPCA {} backup report", role.title()),
        &host.state().hostname,
        product.version,
        role,
        host.now(),
    );
    report.push(
        Level::Info,
        None,
        format!(
            "Found HPCA {} Enterprise {} installed in {} (installed size {} bytes).",
            product.version,
            role.title(),
            product.install_dir,
            product.installed_size
        ),
    );
    report.push(
        Level::Info,
        None,
        format!(
            "Drive {}: has {} bytes free; this backup needs about {} bytes.",
            plan.drive, plan.free, plan.needed
        ),
    );
    let renamed_previous = match &plan.previous {
        Previous::None => None,
        Previous::Backup => {
            let mut seconds = host.now();
            // Two backups within one host-clock second would collide; the later name wins a
            // second.
            while host.exists(&paths::renamed_backup_dir(plan.drive, seconds)) {
                seconds += 1;
            }
            Some(paths::renamed_backup_dir(plan.drive, seconds))
        }
        Previous::Interrupted { renamed_to, .. } => renamed_to.clone(),
    };
    let mark = paths::backup_in_progress(plan.drive);
    let in_progress = InProgress {
        renamed_previous: renamed_previous.clone(),
    };
    host.write(
        &mark,
        serde_json::to_string(&in_progress)
            .expect("the mark serializes")
            .as_bytes(),
    )?;
    match (&plan.previous, &renamed_previous) {
        (Previous::Backup, Some(target))
        | (
            Previous::Interrupted {
                still_in_place: true,
                ..
            },
            Some(target),
        ) => host.rename(&plan.folder, target)?,
        // What the interrupted run wrote is no backup: it goes.
        (Previous::Interrupted { .. }, _) if host.exists(&plan.folder) => {
            host.remove_dir_all(&plan.folder)?
        }
        _ => {}
    }
    if let Some(target) = &renamed_previous {
        report.push(
            Level::Info,
            None,
            format!("The previous backup was renamed to {target}."),
        );
    }
    host.create_dir_all(&plan.folder)?;
    warn_about_open_ports(host, &mut report);

    let mut modules = Vec::new();
    let mut files = Vec::new();
    for module in &plan.modules {
        crash.point(&format!("backup:{}", module.component.module))?;
        let (record, copied) = extract_module(host, &plan, module, &mut report)?;
        modules.push(record);
        files.extend(copied);
        host.advance_clock(1 + module.bytes() / COPY_BYTES_PER_SECOND);
    }
    note_what_stays_in_place(host, product, &mut report);

    let success_line = format!(
        "Backup finished: every HPCA component is now saved in {}.",
        paths::backup_root(plan.drive)
    );
    report.outcome = success_line.clone();
    report.finished_at = host.now();
    let report_path = report_path(plan.drive, role);
    let json_path = report::json_twin(&report_path);
    crash.point("backup:report")?;
    host.write(&report_path, report::render_html(&report).as_bytes())?;
    host.write(&json_path, report::render_json(&report).as_bytes())?;

    let manifest = Manifest {
        format: manifest::FORMAT,
        host: host.state().hostname.clone(),
        location: Location {
            drive: plan.drive,
            path: plan.folder.clone(),
        },
        written_at: host.now(),
        source: Source {
            version: product.version,
            role,
            edition: product.edition,
            install_dir: product.install_dir.clone(),
            installed_size: product.installed_size,
        },
        dsn: host.state().registry.dsn.as_ref().map(|d| d.redacted()),
        modules,
        files,
    };
    // Written last and atomically: its presence is what makes the backup complete.
    crash.point("backup:manifest")?;
    host.write(
        &manifest::manifest_path(plan.drive),
        manifest.to_json().as_bytes(),
    )?;
    crash.point("backup:done")?;
    host.remove_file(&mark)?;
    host.save()?;
    Ok(BackupOutcome {
        report,
        report_path,
        json_path,
        manifest,
        renamed_previous,
        replaced_interrupted: matches!(plan.previous, Previous::Interrupted { .. }),
        success_line,
    })
}

/// Copies one module's files and saves its parsed settings; reports what it did.
fn extract_module(
    host: &mut Host,
    plan: &BackupPlan,
    module: &ModulePlan,
    report: &mut Report,
) -> Result<(ModuleRecord, Vec<FileRecord>)> {
    let name = module.component.module;
    let module_dir = plan.folder.child(name);
    let mut records = Vec::new();
    for file in &module.files {
        let rel = file
            .path
            .strip_prefix(&module.source)
            .expect("module files lie below the module folder")
            .join("\\");
        let bytes = host.read(&file.path)?;
        let target = module_dir.child("files").join(&rel)?;
        host.write(&target, &bytes)?;
        records.push(FileRecord {
            path: format!("{name}\\files\\{rel}"),
            module: name.to_string(),
            source: file.path.clone(),
            size: bytes.len() as u64,
            sha256: manifest::sha256_hex(&bytes),
        });
    }
    let mut settings: BTreeMap<String, install::Settings> = BTreeMap::new();
    for config in install::config_files(name, plan.product.version, plan.product.role) {
        let path = module.source.join(config.path)?;
        if !host.exists(&path) {
            report.push(
                Level::Warning,
                Some(name),
                format!("{path} is missing: the 7.90 defaults will apply for it after the restore; re-enter its settings by hand if the site had changed them."),
            );
            continue;
        }
        match install::parse_settings(&host.read_to_string(&path)?) {
            Ok(parsed) => {
                settings.insert(config.path.to_string(), parsed);
            }
            Err(reason) => report.push(
                Level::Warning,
                Some(name),
                format!("{path} could not be read as settings ({reason}): the file is copied as it is, but its settings will not be migrated; check them by hand after the restore."),
            ),
        }
    }
    let settings_file = format!("{name}\\settings.json");
    let mut text = serde_json::to_string_pretty(&settings).expect("settings serialize");
    text.push('\n');
    host.write(&module_dir.child("settings.json"), text.as_bytes())?;
    let bytes = module.bytes();
    if module.files.is_empty() {
        report.push(
            Level::Warning,
            Some(name),
            format!(
                "{} ({}): its folder {} holds no files; nothing to back up for it.",
                name, module.component.name, module.source
            ),
        );
    } else {
        report.push(
            Level::Info,
            Some(name),
            format!(
                "{} backed up: {} file(s), {} bytes from {}; {} configuration file(s) of settings saved.",
                module.component.name,
                module.files.len(),
                bytes,
                module.source,
                settings.len()
            ),
        );
    }
    if name == "rms" {
        note_reporting_database(host, report);
    }
    Ok((
        ModuleRecord {
            name: name.to_string(),
            component: module.component.name.to_string(),
            source: module.source.clone(),
            settings: settings_file,
            files: module.files.len() as u64,
            bytes,
        },
        records,
    ))
}

/// The reporting database stays where it is (B21); the guide asks for a backup of it with the
/// database's own tools (B7). The DSN is shown without its password.
fn note_reporting_database(host: &Host, report: &mut Report) {
    match &host.state().registry.dsn {
        Some(dsn) => report.push(
            Level::ActionRequired,
            Some("rms"),
            format!(
                "The reporting database is not copied into this backup: the 7.90 installer upgrades it in place. Back it up now with the database server's own backup tools ({}) before upgrading. Keep the DSN exactly as it is ({}).",
                host.state().database_server.as_str(),
                dsn.redacted()
            ),
        ),
        None => report.push(
            Level::Info,
            Some("rms"),
            "No reporting DSN is configured on this server; there is no reporting database to back up here.",
        ),
    }
}

/// What backup leaves alone, and why: the Administrator (upgraded in place, B26) and a 7.20
/// Boot Server (not migrated at all, B22).
fn note_what_stays_in_place(host: &Host, product: &InstalledProduct, report: &mut Report) {
    let registry = &host.state().registry;
    if let (Role::Core, Some(version)) = (product.role, registry.administrator) {
        report.push(
            Level::Info,
            Some("admin"),
            format!("The HPCA Administrator {version} is not backed up: the 7.90 Core installer upgrades it in place."),
        );
    }
    if let Some(boot) = &registry.boot_server {
        let custom = if boot.customizations.is_empty() {
            "none recorded".to_string()
        } else {
            boot.customizations.join(", ")
        };
        report.push(
            Level::Warning,
            Some("rbs"),
            format!(
                "The OS Manager Boot Server in {} was installed apart from the {} {} and will not be migrated. Note its customizations now and reapply them by hand after the 7.90 install: {}.",
                boot.install_dir, product.version, product.role.title(), custom
            ),
        );
    }
}

/// Agents and satellites must not reach the server during the upgrade (B4).
fn warn_about_open_ports(host: &Host, report: &mut Report) {
    let open: Vec<String> = [install::WEB_PORT, install::CONFIGURATION_SERVER_PORT]
        .iter()
        .filter(|p| host.state().firewall.open_ports.contains(p))
        .map(u16::to_string)
        .collect();
    if !open.is_empty() {
        report.push(
            Level::Warning,
            None,
            format!(
                "Port(s) {} are open in the firewall: block them for agents and satellites until the restore is done, or devices connecting meanwhile may appear twice.",
                open.join(" and ")
            ),
        );
    }
}
