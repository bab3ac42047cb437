//! What restoring one module does to the 7.90 install (B32): its settings from the backup
//! replace the 7.90 stock values where the site had changed them, and its data files (not its
//! programs: 7.90 brings its own) are copied into the 7.90 component folder.
//!
//! [`plan_module`] only reads, so the preview shows exactly what the restore will do;
//! [`apply_module`] performs the plan with whole-file writes, so a rerun after a crash writes
//! the same bytes again.

use super::RestorePlan;
use crate::backup::manifest::ModuleRecord;
use crate::error::{Error, Result};
use crate::fault::Crash;
use crate::host::{Host, WizardState};
use crate::install::{self, Settings};
use crate::product::Version;
use crate::report::{Entry, Level};
use crate::winpath::WinPath;
use std::collections::BTreeMap;

/// Copy speed the host clock advances by, bytes per second (as the backup's).
const COPY_BYTES_PER_SECOND: u64 = 25_000_000;
/// Top folders of a component that hold programs, which the 7.90 installer replaced.
const PROGRAM_FOLDERS: &[&str] = &["bin", "lib", "modules", "webapps"];
/// Extensions of program files.
const PROGRAM_EXTENSIONS: &[&str] = &["exe", "dll", "jar", "tkd", "war", "so"];
/// The section the First Time Setup Wizard leaves in the files it overwrote (B24).
const WIZARD_SECTION: &str = "first_time_setup";

/// One module's restore, computed before anything is written.
#[derive(Debug, Clone)]
pub struct ModuleWork {
    pub module: String,
    /// What the report says about it.
    pub entries: Vec<Entry>,
    /// Configuration files to write, with their merged text.
    pub settings: Vec<(WinPath, String)>,
    /// Data files to copy: backup copy, then 7.90 target.
    pub copies: Vec<(WinPath, WinPath)>,
    /// Seconds the host clock advances for it.
    pub seconds: u64,
}

fn entry(level: Level, module: &str, message: String) -> Entry {
    Entry {
        level,
        module: Some(module.to_string()),
        message,
    }
}

/// Whether a file below a component folder is a program the 7.90 install replaced.
pub fn is_program(rel: &[&str]) -> bool {
    let top = rel
        .first()
        .map(|t| t.to_ascii_lowercase())
        .unwrap_or_default();
    let ext = rel
        .last()
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    rel.len() > 1 && PROGRAM_FOLDERS.contains(&top.as_str())
        || PROGRAM_EXTENSIONS.contains(&ext.as_str())
}

/// A setting's value as a report may show it: passwords (even stored encrypted) never.
fn shown_value<'a>(key: &str, value: &'a str) -> &'a str {
    if key.to_ascii_lowercase().contains("password") {
        "********"
    } else {
        value
    }
}

/// The settings the backup saved for a module, by configuration file.
pub fn backup_settings(
    host: &Host,
    folder: &WinPath,
    record: &ModuleRecord,
) -> Result<BTreeMap<String, Settings>> {
    let path = folder.join(&record.settings)?;
    if !host.exists(&path) {
        return Err(Error::BackupFileDamaged {
            path,
            problem: "is missing".into(),
        });
    }
    serde_json::from_str(&host.read_to_string(&path)?).map_err(|e| Error::BackupFileDamaged {
        path,
        problem: format!("is not a settings file ({e})"),
    })
}

/// Computes a module's restore (settings and data), reading only.
pub fn plan_module(host: &Host, plan: &RestorePlan, record: &ModuleRecord) -> Result<ModuleWork> {
    let name = record.name.as_str();
    let role = plan.manifest.source.role;
    let source = plan.manifest.source.version;
    let mut work = ModuleWork {
        module: name.to_string(),
        entries: Vec::new(),
        settings: Vec::new(),
        copies: Vec::new(),
        seconds: 1 + record.bytes / COPY_BYTES_PER_SECOND,
    };
    let Some(component) =
        install::component(name).filter(|c| install::components(Version::V790, role).contains(c))
    else {
        work.entries.push(entry(
            Level::Warning,
            name,
            format!("Module {name} has no place in a 7.90 {}: it was not restored; carry its settings over by hand if they still matter.", role.title()),
        ));
        return Ok(work);
    };
    let dir = plan.product.install_dir.join(component.folder)?;
    let saved = backup_settings(host, &plan.folder, record)?;
    let wizard_run = host.state().registry.first_time_setup == WizardState::Run;
    let mut config_paths = Vec::new();
    for config in install::config_files(name, Version::V790, role) {
        config_paths.push(config.path.to_ascii_lowercase());
        let target = dir.join(config.path)?;
        let Some(site) = saved.get(config.path) else {
            work.entries.push(entry(Level::Warning, name, format!("The backup holds no settings for {target}: its 7.90 defaults stay; re-enter the site's values by hand if it had any.")));
            continue;
        };
        let old_stock = install::config_files(name, source, role)
            .into_iter()
            .find(|c| c.path == config.path)
            .map(|c| c.settings)
            .unwrap_or_default();
        let mut merged = config.settings.clone();
        let mut applied = Vec::new();
        let mut dropped = Vec::new();
        for (section, keys) in site {
            for (key, value) in keys {
                let stock_value = old_stock.get(section).and_then(|s| s.get(key));
                if stock_value == Some(value) {
                    continue; // the site kept HP's value: 7.90's own default applies
                }
                let shown = shown_value(key, value);
                match merged.get_mut(section).and_then(|s| s.get_mut(key)) {
                    Some(slot) => {
                        *slot = value.clone();
                        applied.push(format!("[{section}] {key} = {shown}"));
                    }
                    None => dropped.push(format!("[{section}] {key} = {shown}")),
                }
            }
        }
        for lost in &dropped {
            work.entries.push(entry(Level::Warning, name, format!("The site's setting {lost} has no counterpart in 7.90 ({target}): it was not carried over; check whether 7.90 needs it configured another way.")));
        }
        let current = if host.exists(&target) {
            install::parse_settings(&host.read_to_string(&target)?).unwrap_or_default()
        } else {
            Settings::new()
        };
        if wizard_run && current.contains_key(WIZARD_SECTION) {
            // The wizard's values win (B24): writing over them silently would hide that the
            // operator ran it, so the loss is reported and left for the operator to settle.
            let lost = if applied.is_empty() {
                "none".to_string()
            } else {
                applied.join("; ")
            };
            work.entries.push(entry(Level::Error, name, format!("The First Time Setup Wizard was run and wrote {target}: its values were kept and the site's settings from the backup were NOT restored there. Re-enter them by hand: {lost}.")));
            continue;
        }
        let message = if applied.is_empty() {
            format!(
                "Settings of {target}: the site had kept HP's values, so the 7.90 defaults apply."
            )
        } else {
            format!(
                "Settings of {target}: {} site value(s) from the backup replace the 7.90 defaults ({}).",
                applied.len(),
                applied.join("; ")
            )
        };
        work.entries.push(entry(Level::Info, name, message));
        work.settings
            .push((target, install::render_settings(&merged)));
    }
    if name != super::rds::MODULE {
        let prefix = format!("{name}\\files\\").to_ascii_lowercase();
        let mut bytes = 0;
        for file in plan.manifest.files.iter().filter(|f| f.module == name) {
            let lower = file.path.to_ascii_lowercase();
            let Some(rel) = lower
                .strip_prefix(&prefix)
                .map(|_| &file.path[prefix.len()..])
            else {
                continue;
            };
            let parts: Vec<&str> = rel.split('\\').collect();
            if config_paths.contains(&rel.to_ascii_lowercase()) || is_program(&parts) {
                continue;
            }
            work.copies
                .push((plan.folder.join(&file.path)?, dir.join(rel)?));
            bytes += file.size;
        }
        if !work.copies.is_empty() {
            work.entries.push(entry(
                Level::Info,
                name,
                format!(
                    "Data: {} file(s), {bytes} bytes, from the backup into {dir}.",
                    work.copies.len()
                ),
            ));
        }
    }
    Ok(work)
}

/// Performs a module's restore: settings first, then data, with a crash point after each.
pub fn apply_module(host: &mut Host, work: &ModuleWork, crash: &Crash) -> Result<()> {
    for (path, text) in &work.settings {
        host.write(path, text.as_bytes())?;
    }
    crash.point(&format!("restore:{}:settings", work.module))?;
    for (from, to) in &work.copies {
        host.copy_file(from, to)?;
    }
    crash.point(&format!("restore:{}:data", work.module))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_are_left_to_the_installer_and_data_is_carried() {
        assert!(is_program(&["bin", "nvdkit.exe"]));
        assert!(is_program(&["modules", "rms.tkd"]));
        assert!(is_program(&["ZUTILDLL.DLL"]));
        assert!(!is_program(&["data", "cache", "0A1B2C3D.rzp"]));
        assert!(!is_program(&["logs", "rms.log"]));
        assert!(!is_program(&["X86PC", "UNDI", "linux-boot", "linux.0"]));
    }

    #[test]
    fn reports_never_show_a_password_setting() {
        assert_eq!(shown_value("password", "{AES}00ff"), "********");
        assert_eq!(shown_value("SQL_Password", "x"), "********");
        assert_eq!(shown_value("user", "ops@corp"), "ops@corp");
    }
}
