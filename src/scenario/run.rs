//! Running one cell: fabricate the `given` world in a temporary host, do each step through
//! the same library calls the CLI makes, and check the end against `expect`.

use super::cell::Cell;
use super::load::load;
use super::model::{
    CoreState, DataExpectation, Expect, LiveNetworkAction, ManualStep, Outcome, Scenario,
    ServiceAction, Step,
};
use super::outcome::{CellResult, ReportFile, StepRecord, StepStatus, Verdict};
use hpca_reference::console::{self, RemoteAccess};
use hpca_reference::deploy::{self, Targets};
use hpca_reference::dump::{dump, Dump};
use hpca_reference::fault::Crash;
use hpca_reference::livenetwork::{self, ConnectorChoice, ConnectorPolicy};
use hpca_reference::sqlmigrate::{self, TableOrder};
use hpca_reference::upgrade::{self, BackupPolicy, Confirmation, FirewallOffer, UpgradeOptions};
use hpca_reference::{backup, devices, paths, reboot, restore, service, sync, Host, Role, WinPath};
use hpca_simulator::Fabricate;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How a cell is run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Capture the reports each step writes (for the matrix's HTML page).
    pub keep_reports: bool,
    /// Build the host in this folder and leave it there (it must not exist or be empty).
    pub keep_host: Option<PathBuf>,
}

/// Runs a cell in a temporary host; `keep_reports` captures the steps' reports.
pub fn run_cell(cell: &Cell, keep_reports: Option<()>) -> CellResult {
    run_cell_with(
        cell,
        &RunOptions {
            keep_reports: keep_reports.is_some(),
            keep_host: None,
        },
    )
}

/// A temporary folder for a cell's hosts: in `HPCASIM_SCRATCH` when set, else on the RAM disk
/// (`/dev/shm`) where there is one, else in the system's temporary folder. A cell creates and
/// deletes thousands of small files; on a RAM disk that costs nothing, while on some disks
/// (this project's CI machines among them) each file creation costs a third of a millisecond.
fn scratch_host_dir() -> std::io::Result<tempfile::TempDir> {
    let builder = || {
        let mut b = tempfile::Builder::new();
        b.prefix("hpcasim-cell-");
        b
    };
    if let Some(dir) = std::env::var_os("HPCASIM_SCRATCH") {
        return builder().tempdir_in(dir);
    }
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = builder().tempdir_in(shm) {
            return Ok(dir);
        }
    }
    builder().tempdir()
}

/// Runs a cell with explicit options.
pub fn run_cell_with(cell: &Cell, options: &RunOptions) -> CellResult {
    let started = Instant::now();
    let (steps, verdict) = match load(&cell.file) {
        Ok(scenario) => match options.keep_host.as_deref() {
            Some(dir) => execute(cell, &scenario, dir, options),
            None => match scratch_host_dir() {
                Ok(tmp) => execute(cell, &scenario, &tmp.path().join("host"), options),
                Err(e) => (
                    vec![],
                    Verdict::Broken(format!("cannot make a temporary folder: {e}")),
                ),
            },
        },
        Err(e) => (vec![], Verdict::Broken(e.to_string())),
    };
    CellResult {
        cell: cell.clone(),
        steps,
        verdict,
        millis: started.elapsed().as_millis(),
    }
}

/// What one step did when it succeeded.
struct Done {
    summary: String,
    reports: Vec<WinPath>,
}

fn execute(
    cell: &Cell,
    scenario: &Scenario,
    dir: &Path,
    options: &RunOptions,
) -> (Vec<StepRecord>, Verdict) {
    let mut host = match fabricate(cell, scenario, dir) {
        Ok(host) => host,
        Err(e) => {
            return (
                vec![],
                Verdict::Broken(format!("fabricating the given host failed: {e}")),
            )
        }
    };
    let baseline = match dump(&host) {
        Ok(d) => d,
        Err(e) => {
            return (
                vec![],
                Verdict::Broken(format!("dumping the fabricated host failed: {e}")),
            )
        }
    };
    let mut records = Vec::new();
    let mut stopped: Option<(usize, String, String, bool)> = None; // step, code, message, host unchanged
    for (i, step) in scenario.steps.iter().enumerate() {
        let before = dump(&host).ok();
        match perform(&mut host, cell, step) {
            Ok(_) if crash_point(step).is_some() => {
                let point = crash_point(step).unwrap_or_default();
                return (
                    records,
                    Verdict::Mismatch(vec![format!(
                        "step {}: the run never reached the crash point {point}",
                        i + 1
                    )]),
                );
            }
            Ok(done) => {
                let keep = options.keep_reports || !scenario.expect.report_contains.is_empty();
                let reports = if keep {
                    capture(&host, &done.reports)
                } else {
                    vec![]
                };
                records.push(StepRecord {
                    command: step.command_line(),
                    status: StepStatus::Ok,
                    summary: done.summary,
                    reports,
                });
            }
            Err(hpca_reference::Error::Crashed { point }) if crash_point(step).is_some() => {
                // The planned kill: the process is gone; the operator runs the next step.
                host = match Host::open(host.root()) {
                    Ok(reopened) => reopened,
                    Err(e) => {
                        return (
                            records,
                            Verdict::Broken(format!("cannot reopen the host after the crash: {e}")),
                        )
                    }
                };
                records.push(StepRecord {
                    command: step.command_line(),
                    status: StepStatus::Error {
                        code: "crashed".into(),
                        message: format!("killed at {point}"),
                    },
                    summary: String::new(),
                    reports: vec![],
                });
            }
            Err(e) => {
                // Reopen: a refusing step must have left the host as it was, on disk.
                let unchanged = match Host::open(host.root()) {
                    Ok(reopened) => {
                        host = reopened;
                        before.is_some() && dump(&host).ok() == before
                    }
                    Err(_) => false,
                };
                let code = e.code().to_string();
                let message = e.to_string();
                records.push(StepRecord {
                    command: step.command_line(),
                    status: StepStatus::Error {
                        code: code.clone(),
                        message: message.clone(),
                    },
                    summary: String::new(),
                    reports: vec![],
                });
                stopped = Some((i + 1, code, message, unchanged));
                break;
            }
        }
    }
    let mut verdict = judge(&scenario.expect, &host, &baseline, stopped.as_ref());
    let missing = missing_report_text(&scenario.expect, &records);
    if !missing.is_empty() {
        verdict = match verdict {
            Verdict::Pass => Verdict::Mismatch(missing),
            Verdict::Mismatch(mut lines) => {
                lines.extend(missing);
                Verdict::Mismatch(lines)
            }
            broken => broken,
        };
    }
    (records, verdict)
}

/// The `report_contains` texts no report of the run shows.
fn missing_report_text(expect: &Expect, records: &[StepRecord]) -> Vec<String> {
    expect
        .report_contains
        .iter()
        .filter(|text| {
            !records
                .iter()
                .flat_map(|r| &r.reports)
                .any(|f| String::from_utf8_lossy(&f.bytes).contains(text.as_str()))
        })
        .map(|text| format!("no report written by the steps says '{text}'"))
        .collect()
}

fn crash_point(step: &Step) -> Option<String> {
    match step {
        Step::Backup { crash_at, .. }
        | Step::Restore { crash_at, .. }
        | Step::Sqlmigrate { crash_at, .. } => crash_at.clone(),
        _ => None,
    }
}

fn capture(host: &Host, reports: &[WinPath]) -> Vec<ReportFile> {
    reports
        .iter()
        .filter_map(|p| {
            let bytes = host.read(p).ok()?;
            Some(ReportFile {
                name: p.file_name()?.to_string(),
                bytes,
            })
        })
        .collect()
}

fn judge(
    expect: &Expect,
    host: &Host,
    baseline: &Dump,
    stopped: Option<&(usize, String, String, bool)>,
) -> Verdict {
    let mut problems = Vec::new();
    match (expect.outcome, stopped) {
        (Outcome::Success, None) => {}
        (Outcome::Success, Some((step, code, message, _))) => problems.push(format!(
            "expected success, but step {step} stopped with {code}: {message}"
        )),
        (wanted, None) => problems.push(format!(
            "expected {} at step {}, but every step succeeded",
            outcome_word(wanted),
            expect.step.unwrap_or(0)
        )),
        (wanted, Some((step, code, message, unchanged))) => {
            if expect.step != Some(*step) {
                problems.push(format!(
                    "expected {} at step {}, but step {step} stopped the run ({code}: {message})",
                    outcome_word(wanted),
                    expect.step.unwrap_or(0)
                ));
            }
            if let Some(reason) = &expect.reason {
                if reason != code {
                    problems.push(format!("expected reason {reason}, got {code}: {message}"));
                }
            }
            if wanted == Outcome::Refused && !unchanged {
                problems.push(format!(
                    "step {step} refused but changed the host (a refusal must change nothing)"
                ));
            }
            for text in &expect.message_contains {
                if !message.contains(text.as_str()) {
                    problems.push(format!("the message does not say '{text}': {message}"));
                }
            }
        }
    }
    if let Some(version) = expect.version {
        let found = host.state().registry.product.as_ref().map(|p| p.version);
        if found != Some(version) {
            let found = found.map_or("no HPCA installed".to_string(), |v| v.to_string());
            problems.push(format!(
                "expected the host at version {version}, found {found}"
            ));
        }
    }
    match expect.data {
        Some(DataExpectation::Preserved) => match dump(host) {
            Ok(end) => problems.extend(data_differences(baseline, &end)),
            Err(e) => problems.push(format!("cannot dump the host at the end: {e}")),
        },
        Some(DataExpectation::Accounted) => match dump(host) {
            Ok(end) => problems.extend(unaccounted_rows(host, baseline, &end)),
            Err(e) => problems.push(format!("cannot dump the host at the end: {e}")),
        },
        None => {}
    }
    problems.extend(after_core_problems(expect, host));
    for path in &expect.files_exist {
        match matches(host, path) {
            Ok(0) => problems.push(format!("expected {path} to exist; it does not")),
            Ok(_) => {}
            Err(e) => problems.push(e),
        }
    }
    for path in &expect.files_absent {
        match matches(host, path) {
            Ok(0) => {}
            Ok(n) => problems.push(format!("expected {path} not to exist; {n} such paths do")),
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Mismatch(problems)
    }
}

/// The firewall, agents and Administrators at the end against `open_ports`, `agents_at` and
/// `administrators_at`.
fn after_core_problems(expect: &Expect, host: &Host) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(wanted) = &expect.open_ports {
        let mut wanted = wanted.clone();
        wanted.sort_unstable();
        let open: Vec<u16> = host.state().firewall.open_ports.iter().copied().collect();
        if open != wanted {
            problems.push(format!(
                "expected exactly ports {wanted:?} open in the firewall, found {open:?}"
            ));
        }
    }
    if expect.agents_at.is_none() && expect.administrators_at.is_none() {
        return problems;
    }
    let list = match devices::read(host) {
        Ok(list) => list,
        Err(e) => return vec![format!("cannot read the Core's device list: {e}")],
    };
    if let Some(version) = expect.agents_at {
        let behind: Vec<String> = list
            .iter()
            .filter(|d| d.agent != version)
            .map(|d| format!("{} ({})", d.name, d.agent))
            .collect();
        if list.is_empty() {
            problems.push("expected managed devices, the Core lists none".into());
        } else if !behind.is_empty() {
            problems.push(format!(
                "expected every agent at {version}; {} are not: {}",
                behind.len(),
                behind.join(", ")
            ));
        }
    }
    if let Some(version) = expect.administrators_at {
        let admins: Vec<_> = list
            .iter()
            .filter_map(|d| d.administrator.map(|v| (d, v)))
            .collect();
        let behind: Vec<String> = admins
            .iter()
            .filter(|(_, v)| *v != version)
            .map(|(d, v)| format!("{} ({v})", d.name))
            .collect();
        if admins.is_empty() {
            problems.push("expected Administrators on managed devices, there are none".into());
        } else if !behind.is_empty() {
            problems.push(format!(
                "expected every Administrator at {version}; not: {}",
                behind.join(", ")
            ));
        }
    }
    problems
}

/// How many paths on the host match `pattern`: a Windows path whose last component may hold
/// `*` wildcards (`C:\\HPCABackup\\HPCABackup-*`: names that vary with the host clock).
fn matches(host: &Host, pattern: &str) -> Result<usize, String> {
    let path = WinPath::parse(&pattern.replace('*', "_")).map_err(|e| e.to_string())?;
    let name = pattern.rsplit(['\\', '/']).next().unwrap_or_default();
    if !name.contains('*') {
        return Ok(usize::from(
            host.exists(&WinPath::parse(pattern).map_err(|e| e.to_string())?),
        ));
    }
    let Some(parent) = path.parent() else {
        return Ok(0);
    };
    let Ok(entries) = host.list_dir(&parent) else {
        return Ok(0);
    };
    Ok(entries
        .iter()
        .filter(|(entry, _)| wildcard(&name.to_lowercase(), &entry.to_lowercase()))
        .count())
}

/// `*` matches any run of characters; everything else matches itself.
fn wildcard(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            text.starts_with(head)
                && (0..=text.len() - head.len()).any(|i| {
                    text.is_char_boundary(head.len() + i) && wildcard(rest, &text[head.len() + i..])
                })
        }
    }
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Success => "success",
        Outcome::Refused => "a refusal",
        Outcome::Failed => "a failure",
    }
}

/// Tables whose rows differ between two dumps, one line each.
fn data_differences(before: &Dump, after: &Dump) -> Vec<String> {
    let mut out = Vec::new();
    for (name, table) in &before.database.tables {
        match after.database.tables.get(name) {
            None => out.push(format!("table {name} ({} rows) is gone", table.rows)),
            Some(t) if t.rows != table.rows => out.push(format!(
                "table {name}: {} rows before, {} after",
                table.rows, t.rows
            )),
            Some(t) if t.digest != table.digest => {
                out.push(format!("table {name}: same row count, different rows"))
            }
            Some(_) => {}
        }
    }
    out
}

/// Tables whose fabricated rows are not all either in the table or in an errors file.
fn unaccounted_rows(host: &Host, before: &Dump, after: &Dump) -> Vec<String> {
    let mut out = Vec::new();
    for (name, table) in &before.database.tables {
        let now = after.database.tables.get(name).map_or(0, |t| t.rows);
        let in_errors = error_rows(host, name);
        if table.rows != now + in_errors {
            out.push(format!(
                "table {name}: {} rows fabricated, {now} in the table and {in_errors} in errors files: {} lost",
                table.rows,
                table.rows as i64 - now as i64 - in_errors as i64
            ));
        }
    }
    out
}

/// Data lines of `errors\<table>.tsv` in every `HPCABackup\SQLMigrate*` folder of the host.
fn error_rows(host: &Host, table: &str) -> u64 {
    let mut rows = 0;
    for letter in host.state().drives.keys() {
        let root = paths::backup_root(*letter);
        let Ok(entries) = host.list_dir(&root) else {
            continue;
        };
        for (name, is_dir) in entries {
            if !is_dir || !name.to_lowercase().starts_with("sqlmigrate") {
                continue;
            }
            let file = root
                .child(&name)
                .child("errors")
                .child(&format!("{table}.tsv"));
            if let Ok(bytes) = host.read(&file) {
                // The export's encoding escapes tabs and line breaks inside values, so each
                // line after the header is one row.
                let lines = bytes
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .count() as u64;
                rows += lines.saturating_sub(1);
            }
        }
    }
    rows
}

/// Loads a scenario file, runs every cell and panics with the summary (and each failing
/// cell's replay command) unless all end as expected: the body of the generated tests.
pub fn check_file(file: &Path) {
    let scenario = load(file).unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let name = super::cell::scenario_name(&root, file);
    let cells = super::cell::cells(&name, file, &scenario, None);
    let results: Vec<CellResult> = cells.iter().map(|c| run_cell(c, None)).collect();
    if results.iter().any(|r| !r.passed()) {
        panic!("{}", super::matrix::summary(&results));
    }
}

// ---- the bridge to the simulator and the reference migrator ----

/// The Satellite's Core: fabricated beside the Satellite's host folder from the same version
/// and seed (a Satellite of seed N belongs to the Core of seed N), and migrated when asked.
fn core_beside(satellite: &Host, cell: &Cell, state: CoreState) -> hpca_reference::Result<Host> {
    let dir = satellite.root().with_file_name(format!(
        "{}-core",
        satellite
            .root()
            .file_name()
            .map_or_else(|| "host".into(), |n| n.to_string_lossy().into_owned())
    ));
    if dir.join(hpca_reference::host::STATE_FILE).is_file() {
        return Host::open(&dir);
    }
    let mut core = Fabricate::new(cell.version, Role::Core)
        .seed(cell.seed)
        .devices(2)
        .run(&dir)?;
    if state == CoreState::Restored {
        let from = paths::migrate_copy();
        backup::backup(&mut core, 'C', &from, &Crash::never())?;
        let options = UpgradeOptions {
            from: from.clone(),
            backup: BackupPolicy::Require,
            firewall: FirewallOffer::Decline,
        };
        upgrade::upgrade(&mut core, &options, Confirmation::Confirmed)?;
        reboot::reboot(&mut core)?;
        restore::run(&mut core, 'C', &from, &Crash::never())?;
    }
    Ok(core)
}

fn fabricate(cell: &Cell, scenario: &Scenario, dir: &Path) -> Result<Host, String> {
    let g = &scenario.given;
    let mut f = Fabricate::new(cell.version, cell.role)
        .seed(cell.seed)
        .devices(g.devices);
    if let Some(drives) = &g.drives {
        f.drives = drives.get_ref().parse()?;
    }
    if let Some(defects) = &g.defects {
        f.defects = defects.get_ref().parse()?;
    }
    f.csdb_customizations = g.csdb_customizations as usize;
    f.boot_server = g.boot_server;
    f.users = g.users;
    if let Some(edition) = g.edition {
        f.edition = edition;
    }
    if let Some(server) = g.sql_server {
        f.database_server = server;
    }
    f.run(dir).map_err(|e| e.to_string())
}

fn perform(host: &mut Host, cell: &Cell, step: &Step) -> hpca_reference::Result<Done> {
    match step {
        Step::Backup {
            drive,
            from,
            crash_at,
        } => {
            let from = match from {
                Some(text) => WinPath::parse(text)?,
                None => paths::migrate_copy(),
            };
            let crash = crash_at.as_ref().map_or_else(Crash::never, Crash::at);
            let out = backup::backup(host, *drive, &from, &crash)?;
            Ok(Done {
                summary: out.success_line,
                reports: vec![out.report_path, out.json_path],
            })
        }
        Step::Upgrade {
            yes,
            without_backup,
            open_firewall,
        } => {
            let options = UpgradeOptions {
                from: paths::migrate_copy(),
                backup: if *without_backup {
                    BackupPolicy::WithoutBackup
                } else {
                    BackupPolicy::Require
                },
                firewall: if *open_firewall {
                    FirewallOffer::Accept
                } else {
                    FirewallOffer::Decline
                },
            };
            let answer = if *yes {
                Confirmation::Confirmed
            } else {
                Confirmation::Declined
            };
            let out = upgrade::upgrade(host, &options, answer)?;
            Ok(Done {
                summary: format!(
                    "{} -> 7.90; {} file operations pending a reboot",
                    out.from_version, out.pending
                ),
                reports: vec![out.report_path, out.json_path],
            })
        }
        Step::Wizard => {
            let out = upgrade::run_wizard(host, &paths::migrate_copy())?;
            Ok(Done {
                summary: format!(
                    "the wizard overwrote {} configuration files",
                    out.overwritten.len()
                ),
                reports: vec![out.report_path, out.json_path],
            })
        }
        Step::Reboot => {
            let out = reboot::reboot(host)?;
            Ok(Done {
                summary: format!(
                    "{} pending operations carried out, {} services started",
                    out.applied.len(),
                    out.started.len()
                ),
                reports: vec![],
            })
        }
        Step::Restore {
            drive,
            preview_only,
            crash_at,
        } => {
            let crash = crash_at.as_ref().map_or_else(Crash::never, Crash::at);
            let plan = restore::check(host, *drive, &paths::migrate_copy())?;
            let preview = restore::preview(host, &plan, &crash)?;
            if *preview_only {
                return Ok(Done {
                    summary: format!(
                        "preview written, {} rds scripts to review",
                        preview.scripts.len()
                    ),
                    reports: vec![preview.report_path, preview.json_path],
                });
            }
            let out = restore::restore(host, &plan, &crash)?;
            let summary = if out.already_done {
                "already restored: nothing to do".to_string()
            } else {
                format!(
                    "restored; {} steps resumed from an earlier run",
                    out.resumed.len()
                )
            };
            Ok(Done {
                summary,
                reports: vec![
                    preview.report_path,
                    preview.json_path,
                    out.report_path,
                    out.json_path,
                ],
            })
        }
        Step::DeleteRestoreState { drive } => {
            let removed = restore::state::forget(host, &paths::backup_dir(*drive))?;
            Ok(Done {
                summary: format!("deleted {removed} HPCA-restore* files"),
                reports: vec![],
            })
        }
        Step::Sync { core } => {
            let core = core_beside(host, cell, *core)?;
            let out = sync::sync(host, &core)?;
            Ok(Done {
                summary: format!(
                    "synchronized with {}: {} CSDB files written, {} removed",
                    out.core, out.written, out.removed
                ),
                reports: vec![],
            })
        }
        Step::Sqlmigrate {
            drive,
            manual,
            reversed,
            crash_at,
        } => {
            let crash = crash_at.as_ref().map_or_else(Crash::never, Crash::at);
            let options = sqlmigrate::Options::default();
            let order = if *reversed {
                TableOrder::Reversed
            } else {
                TableOrder::Guide
            };
            let mut quiet = |_: &sqlmigrate::ProgressEvent<'_>| {};
            let Some(step) = manual else {
                let summary =
                    match sqlmigrate::sqlmigrate(host, *drive, &options, &crash, &mut quiet)? {
                        sqlmigrate::Outcome::NotNeeded => {
                            "not needed: the tables already have the 7.90 keys".to_string()
                        }
                        sqlmigrate::Outcome::Migrated(s) => format!(
                            "{} tables migrated into {}; {} with errors files",
                            s.tables.len(),
                            s.folder,
                            s.tables_with_errors().count()
                        ),
                    };
                return Ok(Done {
                    summary,
                    reports: vec![],
                });
            };
            let step = match step {
                ManualStep::Export => sqlmigrate::ManualStep::Export,
                ManualStep::Drop => sqlmigrate::ManualStep::Drop,
                ManualStep::Recreate => sqlmigrate::ManualStep::Recreate,
                ManualStep::Import => sqlmigrate::ManualStep::Import,
            };
            sqlmigrate::manual(host, *drive, step, order, &options, &crash, &mut quiet)?;
            Ok(Done {
                summary: format!("manual step {step:?} done"),
                reports: vec![],
            })
        }
        Step::Service { name, action } => {
            let change = match action {
                ServiceAction::Stop => service::stop(host, name)?,
                ServiceAction::Start => service::start(host, name)?,
            };
            Ok(Done {
                summary: change.to_string(),
                reports: vec![],
            })
        }
        Step::FillDrive { drive, leave } => {
            let leave = hpca_simulator::parse_size(leave).map_err(|reason| {
                hpca_reference::Error::Database {
                    context: "the scenario".into(),
                    message: reason,
                }
            })?;
            host.check_drive(*drive)?;
            let used = host.used(*drive)?;
            // Other programs filled the drive: what is left free is `leave`.
            host.state_mut()
                .drives
                .get_mut(drive)
                .expect("checked above")
                .capacity = used + leave;
            host.save()?;
            Ok(Done {
                summary: format!("drive {drive}: now has {leave} bytes free"),
                reports: vec![],
            })
        }
        Step::MoveBackup { from, to } => {
            host.move_across_drives(&paths::backup_root(*from), &paths::backup_root(*to))?;
            Ok(Done {
                summary: format!("moved {from}:\\HPCABackup to {to}:\\HPCABackup"),
                reports: vec![],
            })
        }
        Step::ChangeDsn { database } => {
            let dsn = host.state_mut().registry.dsn.as_mut().ok_or_else(|| {
                hpca_reference::Error::Database {
                    context: "the scenario".into(),
                    message: "this host has no DSN to change (a Satellite has none)".into(),
                }
            })?;
            dsn.database = database.clone();
            host.save()?;
            Ok(Done {
                summary: format!("the DSN now names database {database}"),
                reports: vec![],
            })
        }
        Step::BlockPorts => {
            let firewall = &mut host.state_mut().firewall;
            for port in console::REMOTE_ACCESS_PORTS {
                firewall.open_ports.remove(&port);
            }
            host.save()?;
            Ok(Done {
                summary: "ports 3466 and 3464 blocked".into(),
                reports: vec![],
            })
        }
        Step::Console {
            user,
            site_user,
            password,
            open_remote_access,
        } => {
            let user = match (site_user, user) {
                (true, _) => site_console_user(host)?,
                (false, Some(u)) => u.clone(),
                (false, None) => "admin".to_string(),
            };
            let remote = if *open_remote_access {
                RemoteAccess::Open
            } else {
                RemoteAccess::Leave
            };
            let out = console::login(host, &user, password, remote)?;
            Ok(Done {
                summary: format!(
                    "logged in to {} as {}; {:?}; open ports {:?}",
                    out.url, out.user, out.remote_access, out.open_ports
                ),
                reports: vec![],
            })
        }
        Step::LiveNetwork {
            action,
            connector_by_support,
            url,
            user,
            password,
            connector,
        } => {
            let policy = if *connector_by_support {
                ConnectorPolicy::DirectedBySupport
            } else {
                ConnectorPolicy::InstalledWithHpca
            };
            match action {
                LiveNetworkAction::Check => {
                    let checked = livenetwork::check(host, policy)?;
                    Ok(Done {
                        summary: format!("configuration usable: connector {}", checked.connector),
                        reports: vec![],
                    })
                }
                LiveNetworkAction::Update => {
                    let out = livenetwork::update(host, policy)?;
                    Ok(Done {
                        summary: format!("{} content items replaced", out.updated.len()),
                        reports: vec![out.report_path, out.json_path],
                    })
                }
                LiveNetworkAction::Configure => {
                    let connector = match connector.as_deref() {
                        None => None,
                        Some("installed") => Some(ConnectorChoice::InstalledWithHpca),
                        Some(path) => Some(ConnectorChoice::At(WinPath::parse(path)?)),
                    };
                    let changes = livenetwork::Changes {
                        url: url.clone(),
                        user: user.clone(),
                        password: password.clone(),
                        connector,
                    };
                    let c = livenetwork::configure(host, &changes)?;
                    Ok(Done {
                        summary: format!(
                            "configured {} as {}, connector {}",
                            c.url, c.user, c.connector
                        ),
                        reports: vec![],
                    })
                }
            }
        }
        Step::DeployAgent { method, devices } => {
            let out = deploy::upgrade_agents(host, &targets(devices), *method)?;
            Ok(Done {
                summary: format!(
                    "{} agents upgraded by {}, {} already at 7.90",
                    out.upgraded.len(),
                    method.as_str(),
                    out.already.len()
                ),
                reports: vec![],
            })
        }
        Step::DeployAdmin { method, devices } => {
            let out = deploy::upgrade_administrators(host, &targets(devices), *method)?;
            Ok(Done {
                summary: format!(
                    "{} Administrators removed and reinstalled by {}",
                    out.upgraded.len(),
                    method.as_str()
                ),
                reports: vec![],
            })
        }
        Step::DeployService { service, devices } => {
            let out = deploy::deploy_service(host, service, &targets(devices))?;
            Ok(Done {
                summary: format!("{service} deployed to {} devices", out.upgraded.len()),
                reports: vec![],
            })
        }
    }
}

fn targets(devices: &[String]) -> Targets {
    if devices.is_empty() {
        Targets::Outdated
    } else {
        Targets::Named(devices.to_vec())
    }
}

/// The site's first console user besides admin (on a 7.20 host, a user B6 is about).
fn site_console_user(host: &Host) -> hpca_reference::Result<String> {
    host.state()
        .users
        .iter()
        .find(|u| u.name != "admin")
        .map(|u| u.name.clone())
        .ok_or_else(|| hpca_reference::Error::Database {
            context: "the scenario".into(),
            message:
                "site_user needs a console user besides admin: set users = 1 or more in [given]"
                    .into(),
        })
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn wildcards_match_runs_of_characters() {
        assert!(wildcard("hpcabackup-*", "hpcabackup-1273000000"));
        assert!(!wildcard("hpcabackup-*", "hpcabackup"));
        assert!(wildcard("*.log", "rwin32_product.log"));
        assert!(wildcard("a*b*c", "axxbyyc"));
        assert!(!wildcard("a*b*c", "axxbyy"));
    }
}
