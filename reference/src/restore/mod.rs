//! `hpcarestore <drive>` (B13, B30-B35): brings a backup into the rebooted 7.90 install.
//!
//! Flow: [`check`] refuses before any change (wrong drive, moved backup, damaged manifest or
//! file, not upgraded, reboot pending, other server/role/version, changed DSN, invalid rds
//! script); [`preview`] writes the preview report and the rds scripts (B30, B31); after the
//! operator's `y`, [`restore`] restores the modules in a fixed order (the catalogue's, as the
//! backup wrote them) and settles users and next steps, recording each finished step in an
//! `HPCA-restore*` file so a rerun resumes (B33).
//!
//! Crash points, in order: `restore:preview:begin`, `restore:rds:script-NN`,
//! `restore:preview:report`, `restore:preview:done`, `restore:start`, then per module
//! `restore:<module>:begin`, `:settings`, `:data` (rds: `restore:rds:scripts` before its
//! data), `:done`; then `restore:finish:users`, `restore:finish:report`, `restore:finish:done`.
//!
//! Architecture Invariant: the host clock is set, never advanced, by each step, to the start
//! time recorded in `HPCA-restore-start.json` plus the durations of the steps so far; so a
//! resumed restore ends in the same state, clock included, as one that never crashed.

pub mod after;
pub mod check;
pub mod modules;
pub mod preview;
pub mod rds;
pub mod state;

pub use check::check;
pub use preview::{preview, PreviewOutcome};

use crate::backup::manifest::Manifest;
use crate::error::Result;
use crate::fault::Crash;
use crate::host::{Host, InstalledProduct};
use crate::install;
use crate::product::Role;
use crate::report::{self, Entry, Level, Report};
use crate::winpath::WinPath;

/// The Core's restore report, as the guide names it (B34).
pub const CORE_REPORT: &str = "hpca-restore-report.html";
/// The Satellite's restore report, as the guide names it (B34).
pub const SATELLITE_REPORT: &str = "hpcarestore-report.html";
/// The Core's preview report (B30).
pub const CORE_PREVIEW: &str = "hpca-restore-preview-report.html";
/// The Satellite's preview report (B30).
pub const SATELLITE_PREVIEW: &str = "hpcarestore-preview-report.html";
/// Seconds the last step (users, report) takes on the host clock.
const FINISH_SECONDS: u64 = 30;

/// What a checked restore will work from.
#[derive(Debug, Clone)]
pub struct RestorePlan {
    pub drive: char,
    /// `<drive>:\HPCABackup\HPCABackup`.
    pub folder: WinPath,
    pub manifest: Manifest,
    /// The 7.90 install restored into.
    pub product: InstalledProduct,
}

/// Which of the two reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Preview,
    Restore,
}

/// The HTML report of a role and kind in the backup folder, and its JSON twin.
pub fn report_paths(folder: &WinPath, role: Role, kind: Kind) -> (WinPath, WinPath) {
    let name = match (kind, role) {
        (Kind::Preview, Role::Core) => CORE_PREVIEW,
        (Kind::Preview, Role::Satellite) => SATELLITE_PREVIEW,
        (Kind::Restore, Role::Core) => CORE_REPORT,
        (Kind::Restore, Role::Satellite) => SATELLITE_REPORT,
    };
    let stem = name
        .strip_suffix(".html")
        .expect("report names end in .html");
    (folder.child(name), folder.child(&format!("{stem}.json")))
}

/// Whether a restore finished on this host: its last state file is there, or (once the
/// operator has cleaned the state files away) its restore report is and no state file is.
pub fn finished(host: &Host, role: Role) -> bool {
    host.state().drives.keys().any(|d| {
        let folder = crate::paths::backup_dir(*d);
        let files = state::state_files(host, &folder).unwrap_or_default();
        let done = files.iter().any(|f| {
            f.file_name()
                .is_some_and(|n| n.to_ascii_lowercase().ends_with("-finish.json"))
        });
        let (_, report) = report_paths(&folder, role, Kind::Restore);
        done || (files.is_empty() && host.exists(&report))
    })
}

/// What a restore returns.
#[derive(Debug, Clone)]
pub struct RestoreOutcome {
    pub report: Report,
    pub report_path: WinPath,
    pub json_path: WinPath,
    /// Steps skipped because an earlier run had finished them (B33).
    pub resumed: Vec<String>,
    /// The restore had already finished: nothing was done this time.
    pub already_done: bool,
}

const FINISH: &str = "finish";

/// Restores the checked backup (the operator has answered y to the preview); resumes from
/// the state files of an earlier run.
pub fn restore(host: &mut Host, plan: &RestorePlan, crash: &Crash) -> Result<RestoreOutcome> {
    let role = plan.manifest.source.role;
    let (report_path, json_path) = report_paths(&plan.folder, role, Kind::Restore);
    let modules = &plan.manifest.modules;
    let finish_path = state::step_path(&plan.folder, modules.len(), FINISH);
    if let Some(done) = state::read::<state::StepRecord>(host, &finish_path)? {
        if let Some(report) = done.report {
            return Ok(RestoreOutcome {
                report,
                report_path,
                json_path,
                resumed: Vec::new(),
                already_done: true,
            });
        }
    }
    // Edited scripts are checked again now, before the first change.
    rds::target_schema(host, &plan.folder)?;
    let start_path = state::start_path(&plan.folder);
    let started_at = match state::read::<state::StartRecord>(host, &start_path)? {
        Some(s) => s.started_at,
        None => {
            let record = state::StartRecord {
                started_at: host.now(),
            };
            state::write(host, &start_path, &record)?;
            record.started_at
        }
    };
    crash.point("restore:start")?;
    let mut report = Report::new(
        format!("HPCA {} restore report", role.title()),
        &host.state().hostname,
        plan.product.version,
        role,
        started_at,
    );
    report.push(
        Level::Info,
        None,
        format!(
            "Restoring the backup in {} (HPCA {} {} of {}) into HPCA 7.90.",
            plan.folder,
            plan.manifest.source.version,
            role.title(),
            plan.manifest.host
        ),
    );
    let mut clock = started_at;
    let mut resumed = Vec::new();
    for (index, record) in modules.iter().enumerate() {
        let path = state::step_path(&plan.folder, index, &record.name);
        if let Some(done) = state::read::<state::StepRecord>(host, &path)? {
            report.entries.extend(done.entries);
            clock = done.clock_after;
            resumed.push(record.name.clone());
            continue;
        }
        let name = record.name.as_str();
        crash.point(&format!("restore:{name}:begin"))?;
        let work = modules::plan_module(host, plan, record)?;
        let mut entries = work.entries.clone();
        if name == rds::MODULE {
            let db = plan.product.install_dir.join(
                install::component(rds::MODULE)
                    .expect("rds is catalogued")
                    .folder,
            )?;
            entries.extend(rds::rebuild(host, &plan.folder, &db, crash)?);
        }
        modules::apply_module(host, &work, crash)?;
        if name == "rms" {
            entries.extend(after::rms_entries(
                host,
                plan.manifest.source.version,
                plan.drive,
            ));
        }
        clock += work.seconds;
        set_clock(host, clock)?;
        let step = state::StepRecord {
            step: name.to_string(),
            entries: entries.clone(),
            clock_after: clock,
            report: None,
        };
        state::write(host, &path, &step)?;
        crash.point(&format!("restore:{name}:done"))?;
        report.entries.extend(entries);
    }
    let mut entries = after::settle_users(host);
    entries.extend(after::next_steps(
        host,
        role,
        plan.manifest.source.version,
        plan.drive,
    ));
    clock += FINISH_SECONDS;
    set_clock(host, clock)?;
    crash.point("restore:finish:users")?;
    report.entries.extend(entries.clone());
    report.finished_at = clock;
    report.outcome = outcome_line(&report, &plan.folder);
    host.write(&report_path, report::render_html(&report).as_bytes())?;
    host.write(&json_path, report::render_json(&report).as_bytes())?;
    crash.point("restore:finish:report")?;
    let step = state::StepRecord {
        step: FINISH.to_string(),
        entries,
        clock_after: clock,
        report: Some(report.clone()),
    };
    state::write(host, &finish_path, &step)?;
    crash.point("restore:finish:done")?;
    Ok(RestoreOutcome {
        report,
        report_path,
        json_path,
        resumed,
        already_done: false,
    })
}

/// Sets the clock to an absolute time and saves the host (idempotent on a rerun).
fn set_clock(host: &mut Host, at: u64) -> Result<()> {
    host.state_mut().clock = at;
    host.save()
}

fn outcome_line(report: &Report, folder: &WinPath) -> String {
    let review = report
        .entries
        .iter()
        .filter(|e: &&Entry| e.level != Level::Info)
        .count();
    let needs = if review == 1 {
        "1 entry above needs".to_string()
    } else {
        format!("{review} entries above need")
    };
    format!("The data in {folder} was restored into HPCA 7.90; {needs} review.")
}

/// Checks, previews, then restores: the whole `hpcarestore <drive>` for callers that have
/// already had the operator's `y` (tests, `--yes`).
pub fn run(host: &mut Host, drive: char, from: &WinPath, crash: &Crash) -> Result<RestoreOutcome> {
    let plan = check(host, drive, from)?;
    preview(host, &plan, crash)?;
    restore(host, &plan, crash)
}
