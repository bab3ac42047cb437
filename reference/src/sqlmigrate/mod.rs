//! `sqlmigrate <drive>` (guide step 4, B40-B45): export the Appendix A tables to
//! `<drive>:\HPCABackup\SQLMigrate`, drop them in Appendix A order, re-create them with the
//! 7.90 keys, import them in reverse order; rows the 7.90 schema refuses go to
//! `errors\<table>.{log,tsv,sql}`. The manual path of Appendix B is [`manual`].
//!
//! Architecture Invariant: once a table is dropped, its rows exist only in the export folder,
//! and nothing here writes that folder's exports again: a rerun resumes from the progress file
//! (see [`state`]) and never exports a half-dropped database.
//! Architecture Invariant: tables stream through (database -> TSV -> database) in batches;
//! no table is held in memory.

pub mod codec;
mod errors;
mod export;
mod hashed;
mod import;
pub mod manual;
pub mod state;

use crate::db::{schema, Database};
use crate::error::{Error, Result};
use crate::fault::Crash;
use crate::host::Host;
use crate::install::CORE_SERVICE;
use crate::product::Version;
use crate::winpath::WinPath;
use state::{Mode, Phase, Progress};

pub use manual::{manual, ManualOutcome, ManualStep, TableOrder};

/// How a run is tuned.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rows per import transaction (and per export crash point).
    pub batch_rows: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { batch_rows: 5000 }
    }
}

/// The step a progress report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Export,
    Drop,
    Recreate,
    Import,
}

/// Progress of one table, for a progress bar (the library never prints).
#[derive(Debug, Clone, Copy)]
pub struct ProgressEvent<'a> {
    pub step: Step,
    pub table: &'a str,
    /// Rows done so far.
    pub done: u64,
    /// Rows in all.
    pub total: u64,
}

/// The callback that receives progress.
pub type OnProgress<'a> = &'a mut dyn FnMut(&ProgressEvent<'_>);

/// What sqlmigrate did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The reporting tables already carry the 7.90 keys (from 7.80): nothing changed (B40).
    NotNeeded,
    /// The tables were migrated.
    Migrated(Summary),
}

/// A finished migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The export folder.
    pub folder: WinPath,
    /// Whether this run finished an interrupted one.
    pub resumed: bool,
    /// Per table, in Appendix A order.
    pub tables: Vec<TableSummary>,
}

/// One table's figures: exported = imported + rejected (nothing lost).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSummary {
    pub table: String,
    pub exported: u64,
    pub imported: u64,
    /// Rows in `errors\<table>.tsv`.
    pub rejected: u64,
}

impl Summary {
    /// The tables that have errors files.
    pub fn tables_with_errors(&self) -> impl Iterator<Item = &TableSummary> {
        self.tables.iter().filter(|t| t.rejected > 0)
    }
}

/// Runs sqlmigrate on `drive` (the drive for the export and the errors files), resuming an
/// interrupted run if there is one.
pub fn sqlmigrate(
    host: &mut Host,
    drive: char,
    options: &Options,
    crash: &Crash,
    on_progress: OnProgress<'_>,
) -> Result<Outcome> {
    let drive = drive.to_ascii_uppercase();
    check_host(host, drive)?;
    let mut db = open_db(host)?;
    let (folder, progress, resumed) = match state::find_unfinished(host, drive, Mode::Script)? {
        Some((folder, progress)) => (folder, progress, true),
        None => {
            if !needs_migration(db.as_mut())? {
                return Ok(Outcome::NotNeeded);
            }
            let folder = state::new_folder(host, drive);
            let progress = begin(host, db.as_mut(), &folder, Mode::Script)?;
            (folder, progress, false)
        }
    };
    let mut run = Run {
        host,
        db,
        folder,
        progress,
        crash,
        options,
        on_progress,
    };
    let result = run.script();
    run.finish(result)?;
    Ok(Outcome::Migrated(run.summary(resumed)))
}

/// Refuses a host where sqlmigrate must not run yet: not at 7.90, reboot pending, Core
/// service running (B41), no reporting database, or a drive it lacks.
pub fn check_host(host: &Host, drive: char) -> Result<()> {
    host.check_drive(drive)?;
    let state = host.state();
    match &state.registry.product {
        Some(p) if p.version == Version::V790 => {}
        Some(p) => {
            return Err(Error::SqlMigrateBeforeUpgrade {
                found: format!("HPCA {} installed", p.version),
            })
        }
        None => {
            return Err(Error::SqlMigrateBeforeUpgrade {
                found: "no HPCA installed".into(),
            })
        }
    }
    if state.registry.reboot_required || !state.registry.pending_file_operations.is_empty() {
        return Err(Error::SqlMigrateRebootPending);
    }
    if let Some((name, _)) = state
        .services
        .iter()
        .find(|(name, s)| name.eq_ignore_ascii_case(CORE_SERVICE) && s.running)
    {
        return Err(Error::ServiceRunning {
            service: name.clone(),
        });
    }
    if state.registry.dsn.is_none() {
        return Err(Error::NoReportingDatabase);
    }
    Ok(())
}

/// The reporting database, held for sqlmigrate alone while it runs (the Core service, its
/// other user, is stopped; B41).
fn open_db(host: &Host) -> Result<Box<dyn Database>> {
    let mut db = crate::db::open(host)?.ok_or(Error::NoReportingDatabase)?;
    db.hold_exclusively()?;
    Ok(db)
}

/// Whether any Appendix A table lacks the 7.90 primary key (7.20/7.50 schema; B40). Read from
/// the database itself, since the restore does not say where the data came from.
pub fn needs_migration(db: &mut dyn Database) -> Result<bool> {
    for name in schema::appendix_a() {
        let Some(wanted) = schema::table(Version::V790, name) else {
            continue;
        };
        if let Some(found) = db.describe(name)? {
            if found.primary_key.len() != wanted.primary_key.len() {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Starts a run in `folder`: checks the drive's free space for the export (B44), records the
/// tables that exist, and saves the first progress file.
fn begin(host: &mut Host, db: &mut dyn Database, folder: &WinPath, mode: Mode) -> Result<Progress> {
    let mut tables = Vec::new();
    for name in schema::appendix_a() {
        if let Some(found) = db.table_name(name)? {
            tables.push(found);
        }
    }
    let needed = export_estimate(host)?;
    let free = host.free(folder.drive())?;
    if needed > free {
        return Err(Error::DriveFull {
            drive: folder.drive(),
            path: folder.clone(),
            needed,
            free,
        });
    }
    if host.exists(folder) {
        // Left by a run killed before its first record (see `state::new_folder`).
        host.remove_dir_all(folder)?;
    }
    // The journal's first record is what makes the folder this run's.
    Progress::begin(host, folder, mode, host.now(), tables)
}

/// The space the export needs: about the size of the database file (the TSV of a row is about
/// as long as its record in the engine's pages).
fn export_estimate(host: &Host) -> Result<u64> {
    let dsn = host
        .state()
        .registry
        .dsn
        .as_ref()
        .ok_or(Error::NoReportingDatabase)?;
    let file = WinPath::parse(&dsn.database)?;
    Ok(if host.exists(&file) {
        host.file_size(&file)?
    } else {
        0
    })
}

/// One run over one export folder: the host, the database, the progress and the fault plan.
pub(crate) struct Run<'a> {
    pub host: &'a mut Host,
    pub db: Box<dyn Database>,
    pub folder: WinPath,
    pub progress: Progress,
    pub crash: &'a Crash,
    pub options: &'a Options,
    pub on_progress: OnProgress<'a>,
}

impl Run<'_> {
    /// The script's steps, each resuming where the progress file says.
    fn script(&mut self) -> Result<()> {
        if self.progress.phase == Phase::Export {
            self.export_all()?;
            self.set_phase(Phase::Drop)?;
        }
        if self.progress.phase == Phase::Drop {
            self.drop_all(TableOrder::Guide)?;
            self.set_phase(Phase::Recreate)?;
        }
        if self.progress.phase == Phase::Recreate {
            self.recreate()?;
            self.set_phase(Phase::Import)?;
        }
        if self.progress.phase == Phase::Import {
            self.import_all(TableOrder::Guide)?;
            self.set_phase(Phase::Done)?;
        }
        Ok(())
    }

    pub(crate) fn set_phase(&mut self, phase: Phase) -> Result<()> {
        self.progress.set_phase(self.host, &self.folder, phase)
    }

    /// Drops the exported tables that still exist, in `order`; crash point
    /// `sqlmigrate:drop:<table>` before each.
    /// One transaction for all the drops: DDL is transactional in the engine, a crash part
    /// way leaves every table in place, and the engine syncs its journal once, not per table.
    pub(crate) fn drop_all(&mut self, order: TableOrder) -> Result<()> {
        self.db.begin()?;
        self.drop_each(order)?;
        self.db.commit()
    }

    fn drop_each(&mut self, order: TableOrder) -> Result<()> {
        let indices = order.drop_indices(self.progress.tables.len());
        let total = indices.len() as u64;
        for (n, i) in indices.into_iter().enumerate() {
            if self.progress.tables[i].dropped {
                continue;
            }
            let name = self.progress.tables[i].name.clone();
            self.crash.point(&format!("sqlmigrate:drop:{name}"))?;
            // No save per table: before the re-create, every listed table that still
            // exists is an old one, so a rerun simply drops what is left.
            if self.db.table_name(&name)?.is_some() {
                self.db.drop_table(&name)?;
            }
            self.progress.tables[i].dropped = true;
            (self.on_progress)(&ProgressEvent {
                step: Step::Drop,
                table: &name,
                done: n as u64 + 1,
                total,
            });
        }
        Ok(())
    }

    /// Re-creates the missing tables with the 7.90 schema, as the Messaging Server does.
    pub(crate) fn recreate(&mut self) -> Result<()> {
        self.db.begin()?;
        let created = crate::service::recreate_missing_tables(self.db.as_mut(), self.crash)?;
        self.db.commit()?;
        let total = created.len() as u64;
        for (n, name) in created.iter().enumerate() {
            (self.on_progress)(&ProgressEvent {
                step: Step::Recreate,
                table: name,
                done: n as u64 + 1,
                total,
            });
        }
        Ok(())
    }

    /// Keeps the host's drive usage true after the engine wrote behind its back, whatever
    /// the result.
    pub(crate) fn finish(&mut self, result: Result<()>) -> Result<()> {
        let refreshed = self.host.refresh_usage();
        result.and(refreshed)
    }

    pub(crate) fn summary(&self, resumed: bool) -> Summary {
        Summary {
            folder: self.folder.clone(),
            resumed,
            tables: self
                .progress
                .tables
                .iter()
                .map(|t| TableSummary {
                    table: t.name.clone(),
                    exported: t.export.as_ref().map_or(0, |e| e.rows),
                    imported: t.import.imported,
                    rejected: t.import.rejected,
                })
                .collect(),
        }
    }
}
