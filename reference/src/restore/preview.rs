//! The preview report (B30): what the restore will do, module by module, with the rds
//! customizations found and their generated scripts as `actionrequired` entries (B31).
//! Written once per restore and recorded in `HPCA-restore-preview.json`, so a rerun shows
//! the same preview and leaves any edited script alone.

use super::{after, modules, rds, report_paths, state, RestorePlan};
use crate::error::Result;
use crate::fault::Crash;
use crate::host::{Host, WizardState};
use crate::report::{self, Level, Report};
use crate::winpath::WinPath;

/// What the preview returns.
#[derive(Debug, Clone)]
pub struct PreviewOutcome {
    pub report: Report,
    /// The HTML preview and its JSON twin.
    pub report_path: WinPath,
    pub json_path: WinPath,
    /// The rds migration scripts to review.
    pub scripts: Vec<WinPath>,
}

/// Writes (or, on a rerun, finds) the preview report and the rds scripts.
pub fn preview(host: &mut Host, plan: &RestorePlan, crash: &Crash) -> Result<PreviewOutcome> {
    let role = plan.manifest.source.role;
    let (report_path, json_path) = report_paths(&plan.folder, role, super::Kind::Preview);
    if let Some(record) =
        state::read::<state::PreviewRecord>(host, &state::preview_path(&plan.folder))?
    {
        let scripts = record
            .scripts
            .iter()
            .map(|s| plan.folder.join(s))
            .collect::<std::result::Result<_, _>>()?;
        return Ok(PreviewOutcome {
            report: record.report,
            report_path,
            json_path,
            scripts,
        });
    }
    crash.point("restore:preview:begin")?;
    let source = plan.manifest.source.version;
    let found = rds::detect(host, &plan.folder, source)?;
    let scripts = rds::generate(host, &plan.folder, &found, crash)?;
    let mut report = Report::new(
        format!("HPCA {} restore preview", role.title()),
        &host.state().hostname,
        plan.product.version,
        role,
        host.now(),
    );
    report.push(
        Level::Info,
        None,
        format!(
            "Backup found in {}: HPCA {source} {} of {}, written at {} (unix seconds); manifest and every file's digest verified.",
            plan.folder,
            role.title(),
            plan.manifest.host,
            plan.manifest.written_at
        ),
    );
    if host.state().registry.first_time_setup == WizardState::Run {
        report.push(Level::Error, None, "The First Time Setup Wizard was run after the upgrade: the settings it wrote are kept and the site's values for them are NOT restored; they are listed per file below for re-entry by hand.");
    }
    for record in &plan.manifest.modules {
        let work = modules::plan_module(host, plan, record)?;
        report.entries.extend(work.entries);
        if record.name == rds::MODULE {
            for (c, path) in found.iter().zip(&scripts) {
                report.push(
                    Level::ActionRequired,
                    Some(rds::MODULE),
                    format!("CSDB class-schema customization found: {c}. The script {path} was generated to carry it into 7.90: review it, edit it if needed, then answer y."),
                );
            }
            if found.is_empty() {
                report.push(Level::Info, Some(rds::MODULE), "No customization of the CSDB class schema was found: the 7.90 schema is used as shipped.");
            }
        }
        if record.name == "rms" {
            report
                .entries
                .extend(after::rms_entries(host, source, plan.drive));
        }
    }
    report.push(Level::Info, None, format!("After the restore the admin password is '{}' and console users created in 7.20 have no roles; the restore report lists them.", after::ADMIN_PASSWORD));
    report.outcome = format!(
        "Preview only: nothing is restored yet. Review the actionrequired entries, then answer y to restore {} into this 7.90 {}.",
        plan.folder,
        role.title()
    );
    host.write(&report_path, report::render_html(&report).as_bytes())?;
    crash.point("restore:preview:report")?;
    host.write(&json_path, report::render_json(&report).as_bytes())?;
    let record = state::PreviewRecord {
        report: report.clone(),
        scripts: scripts
            .iter()
            .map(|p| {
                p.strip_prefix(&plan.folder)
                    .expect("scripts lie in the backup folder")
                    .join("\\")
            })
            .collect(),
    };
    state::write(host, &state::preview_path(&plan.folder), &record)?;
    crash.point("restore:preview:done")?;
    Ok(PreviewOutcome {
        report,
        report_path,
        json_path,
        scripts,
    })
}
