//! The manual path of the guide's Appendix B (B45), one step per command as an administrator
//! runs it: export, drop (in Appendix A order), restart the Messaging Server (which
//! re-creates the tables), import (in reverse order). Nothing stops an administrator from
//! taking the steps in another order, and neither does this: the database then refuses what
//! it refuses in reality (children imported before their parents, rows imported into tables
//! not re-created yet), and the refused rows land in the same errors files.

use super::state::{self, Mode, Phase};
use super::{begin, check_host, needs_migration, open_db, OnProgress, Options, Run, Summary};
use crate::error::{Error, Result};
use crate::fault::Crash;
use crate::host::Host;
use crate::install::MESSAGING_SERVICE;
use crate::service;
use crate::winpath::WinPath;

/// One step of Appendix B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManualStep {
    /// Export the Appendix A tables.
    Export,
    /// Drop them.
    Drop,
    /// Restart the Messaging Server service, which re-creates the missing tables.
    Recreate,
    /// Import the exported rows.
    Import,
}

/// The order tables are dropped and imported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TableOrder {
    /// As the guide says: drop in Appendix A order, import in reverse.
    #[default]
    Guide,
    /// The opposite of the guide (the mistake it warns about).
    Reversed,
}

impl TableOrder {
    /// Indices of Appendix A-ordered tables in the order to drop them.
    pub(crate) fn drop_indices(self, n: usize) -> Vec<usize> {
        match self {
            TableOrder::Guide => (0..n).collect(),
            TableOrder::Reversed => (0..n).rev().collect(),
        }
    }

    /// Indices of Appendix A-ordered tables in the order to import them.
    pub(crate) fn import_indices(self, n: usize) -> Vec<usize> {
        match self {
            TableOrder::Guide => (0..n).rev().collect(),
            TableOrder::Reversed => (0..n).collect(),
        }
    }
}

/// What a manual step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManualOutcome {
    /// The tables already carry the 7.90 keys: nothing to export (B40).
    NotNeeded,
    /// The tables were exported to `folder`.
    Exported { folder: WinPath, tables: usize },
    /// The exported tables were dropped.
    Dropped { folder: WinPath, tables: usize },
    /// The Messaging Server restarted and created these tables.
    Recreated { created: Vec<String> },
    /// The rows were imported; the summary counts them per table.
    Imported(Summary),
}

/// Runs one manual step on the export folder on `drive`.
pub fn manual(
    host: &mut Host,
    drive: char,
    step: ManualStep,
    order: TableOrder,
    options: &Options,
    crash: &Crash,
    on_progress: OnProgress<'_>,
) -> Result<ManualOutcome> {
    let drive = drive.to_ascii_uppercase();
    check_host(host, drive)?;
    let unfinished = state::find_unfinished(host, drive, Mode::Manual)?;
    if step == ManualStep::Recreate {
        service::stop(host, MESSAGING_SERVICE)?;
        let change = service::start(host, MESSAGING_SERVICE)?;
        if let Some((folder, mut progress)) = unfinished {
            if progress.phase < Phase::Import && progress.phase > Phase::Export {
                progress.set_phase(host, &folder, Phase::Import)?;
            }
        }
        return Ok(ManualOutcome::Recreated {
            created: change.created_tables,
        });
    }
    let mut db = open_db(host)?;
    let (folder, progress) = match (step, unfinished) {
        (ManualStep::Export, Some((folder, progress))) if progress.phase == Phase::Export => {
            (folder, progress)
        }
        (ManualStep::Export, Some(_)) => {
            return Err(Error::ManualStepOutOfOrder {
                step: "a new export",
                missing: "the import of the earlier export (its tables are dropped)",
                missing_step: "import",
                drive,
            })
        }
        (ManualStep::Export, None) => {
            if !needs_migration(db.as_mut())? {
                return Ok(ManualOutcome::NotNeeded);
            }
            let folder = state::new_folder(host, drive);
            let progress = begin(host, db.as_mut(), &folder, Mode::Manual)?;
            (folder, progress)
        }
        (_, Some((folder, progress))) if progress.phase > Phase::Export => (folder, progress),
        (ManualStep::Drop, _) => {
            return Err(Error::ManualStepOutOfOrder {
                step: "drop",
                missing: "a complete export",
                missing_step: "export",
                drive,
            })
        }
        _ => {
            return Err(Error::ManualStepOutOfOrder {
                step: "import",
                missing: "a complete export",
                missing_step: "export",
                drive,
            })
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
    let result = match step {
        ManualStep::Export => run.export_all().and_then(|()| run.set_phase(Phase::Drop)),
        ManualStep::Drop => run.drop_all(order).and_then(|()| {
            if run.progress.phase < Phase::Recreate {
                run.set_phase(Phase::Recreate)?;
            }
            Ok(())
        }),
        ManualStep::Import => run
            .import_all(order)
            .and_then(|()| run.set_phase(Phase::Done)),
        ManualStep::Recreate => unreachable!("handled above"),
    };
    run.finish(result)?;
    let folder = run.folder.clone();
    let tables = run.progress.tables.len();
    Ok(match step {
        ManualStep::Export => ManualOutcome::Exported { folder, tables },
        ManualStep::Drop => ManualOutcome::Dropped { folder, tables },
        _ => ManualOutcome::Imported(run.summary(false)),
    })
}
