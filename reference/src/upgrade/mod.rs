//! The 7.90 Core/Satellite installer run over an old install (B20-B26), and the First Time
//! Setup Wizard it leaves open (B24).
//!
//! The installer detects the upgrade and needs the operator's confirmation (B20); it removes
//! the old install, lays down 7.90 with STOCK settings (the restore brings the site's back),
//! keeps the reporting database and its DSN (B21), upgrades the Administrator (B26), leaves
//! in-use files as pending file operations with a reboot required (B25), and opens the wizard
//! (B24). Unless told to, it declines the firewall offer (B23).
//!
//! Architecture Invariant: [`plan`] only reads; every refusal comes from it, before a write.

mod wizard;

pub use wizard::{run_wizard, WizardOutcome};

use crate::backup::{self, manifest};
use crate::error::{Error, Result};
use crate::host::{Host, InstalledProduct, PendingFileOperation, Service, WizardState};
use crate::install;
use crate::preconditions;
use crate::product::{Role, Version};
use crate::report::{self, Level, Report};
use crate::winpath::WinPath;
use std::collections::BTreeSet;

/// The operator's answer to the installer's "backup done, guide read?" prompt (B20).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed,
    Declined,
}

/// Whether the installer insists on a complete backup first (B7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupPolicy {
    /// Refuse without a complete backup of this install on some drive.
    Require,
    /// Go on regardless: rehearses the data loss the guide warns of.
    WithoutBackup,
}

/// The operator's answer to the installer's offer to open 3466/3464 in the firewall (B23).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirewallOffer {
    /// What the guide says to do until the restore is done.
    Decline,
    Accept,
}

/// How the installer is run.
#[derive(Debug, Clone)]
pub struct UpgradeOptions {
    /// The copy of the media's `migrate` folder the operator works from (B3); reports go to
    /// its `logs` folder.
    pub from: WinPath,
    pub backup: BackupPolicy,
    pub firewall: FirewallOffer,
}

/// Name of the installer's report in `<from>\logs`.
pub const UPGRADE_REPORT: &str = "hpca-upgrade-report.html";
/// Name of the wizard's report in `<from>\logs`.
pub const WIZARD_REPORT: &str = "hpca-wizard-report.html";
/// Suffix of a 7.90 file staged beside an in-use old one, swapped in at reboot.
const STAGED_SUFFIX: &str = ".hpca790";
/// Seconds the installer takes besides copying.
const INSTALL_SECONDS: u64 = 240;

/// `<from>\logs\<name>`.
pub fn log_path(from: &WinPath, name: &str) -> WinPath {
    from.child("logs").child(name)
}

/// What the installer will do, computed before anything is written.
#[derive(Debug, Clone)]
pub struct UpgradePlan {
    /// The install found (B20: the upgrade it detects).
    pub product: InstalledProduct,
    /// The complete backup found, if any (where it lies).
    pub backup: Option<WinPath>,
    /// Old component folders to remove.
    pub remove: Vec<WinPath>,
    /// Old files that are in use (loaded libraries): left, deleted or replaced at reboot (B25).
    pub in_use: Vec<WinPath>,
    /// Files kept whatever lies around them: the reporting database (B21), a 7.20 Boot Server (B22).
    pub protected: Vec<WinPath>,
    /// The 7.90 files, with their content.
    pub install: Vec<(WinPath, Vec<u8>)>,
}

/// The 7.90 tree for a role: stock configuration files, one library per component, one
/// image per service. Contents are fixed text, so two installs are byte-identical.
pub fn install_tree(install_dir: &WinPath, role: Role) -> Result<Vec<(WinPath, Vec<u8>)>> {
    let mut files = Vec::new();
    for component in install::components(Version::V790, role) {
        let folder = install_dir.join(component.folder)?;
        for config in install::config_files(component.module, Version::V790, role) {
            let text = install::render_settings(&config.settings);
            files.push((folder.join(config.path)?, text.into_bytes()));
        }
        let library = format!("HPCA 7.90 {} library\r\n", component.name);
        files.push((
            folder.join(&format!(r"bin\{}.dll", component.module))?,
            library.into_bytes(),
        ));
        if component.module == "core" && role == Role::Core {
            // The Live Network Connector installed with HPCA (B55).
            files.extend(crate::livenetwork::connector_files(Version::V790));
        }
        for service in component.services {
            let image = format!("HPCA 7.90 {service} service image\r\n");
            files.push((
                service_image(install_dir, component.folder, service)?,
                image.into_bytes(),
            ));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The executable of a 7.90 service: `<component folder>\bin\<service-name>.exe`.
pub fn service_image(install_dir: &WinPath, folder: &str, service: &str) -> Result<WinPath> {
    let exe = service.to_ascii_lowercase().replace(' ', "-");
    Ok(install_dir.join(folder)?.join(&format!(r"bin\{exe}.exe"))?)
}

/// Checks everything and computes the upgrade, writing nothing.
pub fn plan(host: &Host, options: &UpgradeOptions) -> Result<UpgradePlan> {
    let product = preconditions::check(host, &options.from)?;
    let backups = manifest::complete_backups(host, product.version, product.role);
    let backup = backups.first().map(|m| m.location.path.clone());
    if backup.is_none() && options.backup == BackupPolicy::Require {
        let looked = host
            .state()
            .drives
            .iter()
            .filter(|(_, d)| !d.read_only)
            .map(|(l, _)| crate::paths::backup_dir(*l).to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(Error::NoCompleteBackup {
            version: product.version.to_string(),
            role: product.role.as_str(),
            looked,
        });
    }
    let mut protected = Vec::new();
    protected.extend(backup::reporting_database_file(host));
    if let Some(boot) = &host.state().registry.boot_server {
        protected.push(boot.install_dir.clone());
    }
    let mut remove: Vec<WinPath> = Vec::new();
    for component in install::components(product.version, product.role) {
        let folder = product.install_dir.join(component.folder)?;
        if host.is_dir(&folder) && !remove.iter().any(|r| folder.starts_with(r)) {
            remove.push(folder);
        }
    }
    let mut in_use = Vec::new();
    let mut freed = 0;
    for folder in &remove {
        for file in host.walk(folder)? {
            // Loaded libraries cannot be deleted while the old services hold them (B25).
            if protected.iter().any(|p| file.path.starts_with(p)) {
                continue;
            }
            if is_library(&file.path) {
                in_use.push(file.path);
            } else if file.path.drive() == product.install_dir.drive() {
                freed += file.size;
            }
        }
    }
    let install = install_tree(&product.install_dir, product.role)?;
    let needed: u64 = install.iter().map(|(_, b)| b.len() as u64).sum();
    let drive = product.install_dir.drive();
    let free = host.free(drive)?;
    if needed > free + freed {
        return Err(Error::InstallSpaceShort {
            drive,
            needed,
            free: free + freed,
        });
    }
    Ok(UpgradePlan {
        product,
        backup,
        remove,
        in_use,
        protected,
        install,
    })
}

fn is_library(path: &WinPath) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".dll"))
}

/// What the installer returns.
#[derive(Debug, Clone)]
pub struct UpgradeOutcome {
    pub report: Report,
    pub report_path: WinPath,
    pub json_path: WinPath,
    /// The version the installer replaced.
    pub from_version: Version,
    /// File operations left for the reboot (B25).
    pub pending: usize,
}

/// Runs the 7.90 installer: plans (refusing before any write), then needs `confirmation`.
pub fn upgrade(
    host: &mut Host,
    options: &UpgradeOptions,
    confirmation: Confirmation,
) -> Result<UpgradeOutcome> {
    let plan = plan(host, options)?;
    if confirmation == Confirmation::Declined {
        return Err(Error::NotConfirmed {
            how: "the installer's prompt was answered no; confirm once the backup is done and the guide is read",
        });
    }
    let product = plan.product.clone();
    let role = product.role;
    let mut report = Report::new(
        format!("HPCA {} 7.90 installer report", role.title()),
        &host.state().hostname,
        product.version,
        role,
        host.now(),
    );
    report.push(
        Level::Info,
        None,
        format!(
            "Detected an upgrade of HPCA {} Enterprise {}; the operator confirmed that the backup is done.",
            product.version,
            role.title()
        ),
    );
    match &plan.backup {
        Some(at) => report.push(Level::Info, None, format!("A complete backup of this install is in {at}.")),
        None => report.push(
            Level::Error,
            None,
            "Upgraded WITHOUT a complete backup: the old install's settings and CSDB are removed and cannot be restored. Recover them from another backup of this server, or re-enter them by hand.",
        ),
    }
    remove_old_install(host, &plan)?;
    let pending = install_new(host, &plan, &mut report)?;
    register(host, &plan, options, &mut report);

    host.advance_clock(INSTALL_SECONDS + plan.install.len() as u64 / 50);
    report.finished_at = host.now();
    report.outcome = format!(
        "HPCA 7.90 is installed; {pending} file operation(s) wait for a reboot. Reboot now, close the First Time Setup Wizard without running it, then restore the backup."
    );
    let report_path = log_path(&options.from, UPGRADE_REPORT);
    let json_path = report::json_twin(&report_path);
    host.write(&report_path, report::render_html(&report).as_bytes())?;
    host.write(&json_path, report::render_json(&report).as_bytes())?;
    host.save()?;
    Ok(UpgradeOutcome {
        report,
        report_path,
        json_path,
        from_version: product.version,
        pending,
    })
}

/// Stops and removes the old services and component folders, leaving in-use and protected files.
fn remove_old_install(host: &mut Host, plan: &UpgradePlan) -> Result<()> {
    let old_services = install::services(plan.product.version, plan.product.role);
    for name in old_services {
        host.state_mut().services.remove(name);
    }
    let keep: Vec<WinPath> = plan.in_use.iter().chain(&plan.protected).cloned().collect();
    for folder in &plan.remove {
        if !keep
            .iter()
            .any(|k| k.starts_with(folder) || folder.starts_with(k))
        {
            host.remove_dir_all(folder)?;
            continue;
        }
        for file in host.walk(folder)? {
            if !keep.iter().any(|k| file.path.starts_with(k)) {
                host.remove_file(&file.path)?;
            }
        }
        prune_empty_dirs(host, folder)?;
    }
    Ok(())
}

/// Removes the folders below `dir` (and `dir` itself) that hold nothing any more, as the
/// uninstaller does once their files are gone.
fn prune_empty_dirs(host: &mut Host, dir: &WinPath) -> Result<()> {
    for (name, is_dir) in host.list_dir(dir)? {
        if is_dir {
            prune_empty_dirs(host, &dir.child(&name))?;
        }
    }
    if host.list_dir(dir)?.is_empty() {
        host.remove_dir_all(dir)?;
    }
    Ok(())
}

/// Lays the 7.90 tree down; a file whose old version is in use is staged beside it and
/// swapped at reboot. Returns the number of pending file operations.
fn install_new(host: &mut Host, plan: &UpgradePlan, report: &mut Report) -> Result<usize> {
    let in_use: BTreeSet<&WinPath> = plan.in_use.iter().collect();
    let mut ops = Vec::new();
    let mut replaced = BTreeSet::new();
    for (path, bytes) in &plan.install {
        if in_use.contains(path) {
            let name = path.file_name().expect("a file");
            let staged = path
                .parent()
                .expect("inside the install folder")
                .child(&format!("{name}{STAGED_SUFFIX}"));
            host.write(&staged, bytes)?;
            ops.push(PendingFileOperation {
                path: path.clone(),
                replacement: Some(staged),
            });
            replaced.insert(path.clone());
        } else {
            host.write(path, bytes)?;
        }
    }
    for path in &plan.in_use {
        if !replaced.contains(path) {
            ops.push(PendingFileOperation {
                path: path.clone(),
                replacement: None,
            });
        }
    }
    report.push(
        Level::Info,
        None,
        format!(
            "Removed the old {} install ({} component folder(s)) and installed 7.90 ({} files, stock settings: the restore brings the site's settings back).",
            plan.product.version,
            plan.remove.len(),
            plan.install.len()
        ),
    );
    if !ops.is_empty() {
        report.push(
            Level::ActionRequired,
            None,
            format!(
                "{} file(s) were in use and are marked for deletion or replacement at the next boot: reboot before any other step.",
                ops.len()
            ),
        );
    }
    let count = ops.len();
    host.state_mut()
        .registry
        .pending_file_operations
        .extend(ops);
    Ok(count)
}

/// Registry, services, firewall, Administrator, wizard and Boot Server after the install.
fn register(host: &mut Host, plan: &UpgradePlan, options: &UpgradeOptions, report: &mut Report) {
    let role = plan.product.role;
    let installed_size = plan.install.iter().map(|(_, b)| b.len() as u64).sum();
    for component in install::components(Version::V790, role) {
        for service in component.services {
            let image = service_image(&plan.product.install_dir, component.folder, service)
                .expect("catalogue folders are valid paths");
            host.state_mut().services.insert(
                service.to_string(),
                Service {
                    running: true,
                    image,
                },
            );
        }
    }
    let state = host.state_mut();
    let product = state
        .registry
        .product
        .as_mut()
        .expect("planned on an install");
    product.version = Version::V790;
    product.installed_size = installed_size;
    state.registry.reboot_required = true;
    state.registry.first_time_setup = WizardState::Offered;
    match &state.registry.dsn {
        Some(dsn) => report.push(
            Level::Info,
            Some("rms"),
            format!(
                "The reporting database was kept in place for the 7.90 schema, with the same DSN ({}).",
                dsn.redacted()
            ),
        ),
        None => report.push(Level::Info, Some("rms"), "No reporting DSN on this server."),
    }
    if role == Role::Core {
        let message = match state.registry.administrator {
            Some(old) => format!("The HPCA Administrator {old} was upgraded to 7.90."),
            None => "The HPCA Administrator 7.90 was installed with the Core.".to_string(),
        };
        state.registry.administrator = Some(Version::V790);
        report.push(Level::Info, Some("admin"), message);
    }
    let ports = [install::WEB_PORT, install::CONFIGURATION_SERVER_PORT];
    match options.firewall {
        FirewallOffer::Accept => {
            state.firewall.open_ports.extend(ports);
            report.push(
                Level::Warning,
                None,
                format!("The firewall offer was accepted: ports {} and {} are open. Close them until the restore is done, or agents and satellites connecting now may leave duplicate devices.", ports[0], ports[1]),
            );
        }
        FirewallOffer::Decline => {
            let open: Vec<String> = ports
                .iter()
                .filter(|p| state.firewall.open_ports.contains(p))
                .map(u16::to_string)
                .collect();
            if open.is_empty() {
                report.push(
                    Level::Info,
                    None,
                    format!("The firewall offer was declined: ports {} and {} stay closed until the restore is done.", ports[0], ports[1]),
                );
            } else {
                report.push(
                    Level::Warning,
                    None,
                    format!("The firewall offer was declined, but port(s) {} were already open: block them until the restore is done, or agents and satellites connecting now may leave duplicate devices.", open.join(" and ")),
                );
            }
        }
    }
    if let Some(boot) = &state.registry.boot_server {
        let custom = if boot.customizations.is_empty() {
            "none recorded".to_string()
        } else {
            boot.customizations.join(", ")
        };
        report.push(
            Level::ActionRequired,
            Some("rbs"),
            format!("The 7.20 OS Manager Boot Server in {} was not migrated. Reapply its customizations to the 7.90 Boot Server by hand: {custom}.", boot.install_dir),
        );
    }
    report.push(
        Level::Warning,
        None,
        "The First Time Setup Wizard has opened: close it without running it; the restore applies the site's settings.",
    );
}
