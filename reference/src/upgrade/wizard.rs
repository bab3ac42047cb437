//! The First Time Setup Wizard the 7.90 installer leaves open (B24). The guide says to close
//! it unrun; running it writes 7.90 defaults over the settings the restore would bring back,
//! which is what this rehearses.

use super::{log_path, WIZARD_REPORT};
use crate::error::{Error, Result};
use crate::host::{Host, WizardState};
use crate::install;
use crate::preconditions;
use crate::product::Version;
use crate::report::{self, Level, Report};
use crate::winpath::WinPath;

/// What running the wizard returns.
#[derive(Debug, Clone)]
pub struct WizardOutcome {
    pub report: Report,
    pub report_path: WinPath,
    pub json_path: WinPath,
    /// The configuration files the wizard overwrote.
    pub overwritten: Vec<WinPath>,
}

/// Runs the First Time Setup Wizard the installer left open: the mistake of B24. It writes
/// 7.90 defaults over the server and console settings and records that it ran.
pub fn run_wizard(host: &mut Host, from: &WinPath) -> Result<WizardOutcome> {
    preconditions::require_no_pending_reboot(host)?;
    preconditions::require_migrate_copy(host, from)?;
    let state = host.state().registry.first_time_setup;
    let product = host.state().registry.product.clone();
    let product = match (state, product) {
        (WizardState::Offered, Some(p)) if p.version == Version::V790 => p,
        (WizardState::Run, _) => {
            return Err(Error::WizardNotOffered {
                state: "it has already been run",
            })
        }
        _ => {
            return Err(Error::WizardNotOffered {
                state: "no 7.90 installer has opened it",
            })
        }
    };
    let role = product.role;
    let mut report = Report::new(
        format!("HPCA {} First Time Setup Wizard report", role.title()),
        &host.state().hostname,
        product.version,
        role,
        host.now(),
    );
    let now = host.now();
    let mut overwritten = Vec::new();
    for component in install::components(Version::V790, role) {
        if !matches!(component.module, "core" | "satellite" | "console") {
            continue;
        }
        let folder = product.install_dir.join(component.folder)?;
        for config in install::config_files(component.module, Version::V790, role) {
            let mut settings = config.settings.clone();
            settings
                .entry("first_time_setup".to_string())
                .or_default()
                .insert("completed_at".to_string(), now.to_string());
            let path = folder.join(config.path)?;
            host.write(&path, install::render_settings(&settings).as_bytes())?;
            report.push(
                Level::Error,
                Some(component.module),
                format!("{path} was overwritten with the wizard's 7.90 defaults."),
            );
            overwritten.push(path);
        }
    }
    host.state_mut().registry.first_time_setup = WizardState::Run;
    host.advance_clock(60);
    report.finished_at = host.now();
    report.outcome = "The First Time Setup Wizard ran: its defaults replaced settings the restore would have brought back. Review every server and console setting by hand after the restore.".to_string();
    let report_path = log_path(from, WIZARD_REPORT);
    let json_path = report::json_twin(&report_path);
    host.write(&report_path, report::render_html(&report).as_bytes())?;
    host.write(&json_path, report::render_json(&report).as_bytes())?;
    host.save()?;
    Ok(WizardOutcome {
        report,
        report_path,
        json_path,
        overwritten,
    })
}
