//! sqlmigrate's progress, written atomically into its export folder after every table and
//! every import batch, so a rerun after a crash finishes from the data already exported and
//! never exports a half-dropped database again.
//!
//! An import batch is recorded twice: its outcome (which rows the database refused) as
//! *pending* before the commit, then as done after it. A rerun that finds a pending batch asks
//! the database how many rows the table holds to learn whether that commit happened.

use crate::db::ColumnDef;
use crate::error::{Error, Result};
use crate::host::Host;
use crate::paths;
use crate::winpath::WinPath;
use serde::{Deserialize, Serialize};

/// The progress file's name in the export folder.
pub const STATE_FILE: &str = "sqlmigrate-state.json";
/// The manifest of the export (row counts and digests per table), for people and checks.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The folder of the errors files in the export folder (B43).
pub const ERRORS_DIR: &str = "errors";

/// Who drives the steps: the `sqlmigrate` script, or an administrator step by step (B45).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Script,
    Manual,
}

/// The step a run has reached (steps before it are complete).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Export,
    Drop,
    Recreate,
    Import,
    Done,
}

/// The whole progress of one sqlmigrate run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub mode: Mode,
    /// Host clock when the run began.
    pub started_at: u64,
    pub phase: Phase,
    /// The Appendix A tables that existed when the run began, in Appendix A order.
    pub tables: Vec<TableProgress>,
}

/// One table's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableProgress {
    pub name: String,
    /// Set once the table's export file is complete.
    pub export: Option<ExportRecord>,
    pub dropped: bool,
    #[serde(default)]
    pub import: ImportRecord,
}

/// A complete export of one table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRecord {
    /// The file's name in the export folder.
    pub file: String,
    /// The columns as the old table had them (the file's header names them).
    pub columns: Vec<ColumnDef>,
    pub rows: u64,
    /// `db::digest` multiset digest of the rows.
    pub digest: String,
    pub bytes: u64,
}

/// How far the import of one table got.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportRecord {
    /// Rows the table held when its import began (zero after a re-create).
    pub base_count: u64,
    /// Rows of the export file dealt with (imported or rejected) and committed.
    pub rows_read: u64,
    pub imported: u64,
    /// Rejected rows not yet written to the errors files.
    pub rejected: Vec<Rejection>,
    /// Rejected rows in total, once the errors files are written.
    pub rejected_total: u64,
    /// A batch whose outcome is known but whose commit may not have happened.
    pub pending: Option<PendingBatch>,
    pub started: bool,
    pub done: bool,
}

/// One row the database refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// The row's position in the export file (0 = first row).
    pub index: u64,
    /// The row's fields as exported.
    pub fields: Vec<String>,
    /// The database's error message.
    pub reason: String,
}

/// The outcome of a batch, recorded before its commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingBatch {
    pub rows_read: u64,
    pub imported: u64,
    pub rejected: Vec<Rejection>,
}

/// The progress folder (one small file per table, so a batch's save writes little).
pub const PROGRESS_DIR: &str = "progress";

/// The main progress file: everything but the tables' own records.
#[derive(Serialize, Deserialize)]
struct MainFile {
    mode: Mode,
    started_at: u64,
    phase: Phase,
    tables: Vec<String>,
}

impl Progress {
    /// Reads the progress of `folder`, if it has any.
    pub fn load(host: &Host, folder: &WinPath) -> Result<Option<Progress>> {
        let path = folder.child(STATE_FILE);
        if !host.exists(&path) {
            return Ok(None);
        }
        let main: MainFile = read_json(host, &path)?;
        let mut tables = Vec::with_capacity(main.tables.len());
        for name in main.tables {
            let file = table_file(folder, &name);
            tables.push(if host.exists(&file) {
                read_json(host, &file)?
            } else {
                TableProgress {
                    name,
                    export: None,
                    dropped: false,
                    import: ImportRecord::default(),
                }
            });
        }
        if main.phase > Phase::Drop {
            // The drops commit together, before the phase moves on, and table files are not
            // saved per drop: past that phase every table is dropped, whatever its file says.
            for table in &mut tables {
                table.dropped = true;
            }
        }
        Ok(Some(Progress {
            mode: main.mode,
            started_at: main.started_at,
            phase: main.phase,
            tables,
        }))
    }

    /// Writes the whole progress of `folder` (each file atomically).
    pub fn save(&self, host: &mut Host, folder: &WinPath) -> Result<()> {
        for i in 0..self.tables.len() {
            self.save_table(host, folder, i)?;
        }
        self.save_main(host, folder)
    }

    /// Writes the main progress file (phase and table list) atomically.
    pub fn save_main(&self, host: &mut Host, folder: &WinPath) -> Result<()> {
        let main = MainFile {
            mode: self.mode,
            started_at: self.started_at,
            phase: self.phase,
            tables: self.tables.iter().map(|t| t.name.clone()).collect(),
        };
        let text = serde_json::to_string(&main).expect("progress serializes");
        host.write(&folder.child(STATE_FILE), text.as_bytes())
    }

    /// Writes one table's progress file atomically.
    pub fn save_table(&self, host: &mut Host, folder: &WinPath, i: usize) -> Result<()> {
        let table = &self.tables[i];
        let text = serde_json::to_string(table).expect("progress serializes");
        host.write(&table_file(folder, &table.name), text.as_bytes())
    }
}

fn table_file(folder: &WinPath, table: &str) -> WinPath {
    folder.child(PROGRESS_DIR).child(&format!("{table}.json"))
}

fn read_json<T: serde::de::DeserializeOwned>(host: &Host, path: &WinPath) -> Result<T> {
    let text = host.read_to_string(path)?;
    serde_json::from_str(&text).map_err(|e| Error::StateCorrupt {
        path: host.real_path(path).unwrap_or_default(),
        reason: format!("{e}; remove {path} to start sqlmigrate over in a new folder"),
    })
}

/// The export folders on `drive`: `SQLMigrate` first, then `SQLMigrate-<timestamp>` oldest
/// first.
pub fn folders(host: &Host, drive: char) -> Result<Vec<WinPath>> {
    let root = paths::backup_root(drive);
    if !host.is_dir(&root) {
        return Ok(Vec::new());
    }
    let mut found: Vec<(u64, WinPath)> = Vec::new();
    for (name, is_dir) in host.list_dir(&root)? {
        if !is_dir {
            continue;
        }
        if name.eq_ignore_ascii_case("SQLMigrate") {
            found.push((0, root.child(&name)));
        } else if let Some(stamp) = name
            .get(..11)
            .filter(|p| p.eq_ignore_ascii_case("SQLMigrate-"))
            .and_then(|_| name[11..].parse::<u64>().ok())
        {
            found.push((stamp, root.child(&name)));
        }
    }
    found.sort();
    Ok(found.into_iter().map(|(_, p)| p).collect())
}

/// The newest export folder of `mode` whose run is not done, with its progress.
pub fn find_unfinished(
    host: &Host,
    drive: char,
    mode: Mode,
) -> Result<Option<(WinPath, Progress)>> {
    let mut last = None;
    for folder in folders(host, drive)? {
        if let Some(progress) = Progress::load(host, &folder)? {
            if progress.mode == mode && progress.phase != Phase::Done {
                last = Some((folder, progress));
            }
        }
    }
    Ok(last)
}

/// The folder a new run exports to: `SQLMigrate`, or when that exists
/// `SQLMigrate-<timestamp>` from the host clock (B42).
/// A folder holding no progress file is one a run was killed in before its first save:
/// nothing was exported into it yet, so the next run takes it over.
pub fn new_folder(host: &Host, drive: char) -> WinPath {
    let free = |folder: &WinPath| !host.exists(folder) || !host.exists(&folder.child(STATE_FILE));
    let first = paths::sqlmigrate_dir(drive);
    if free(&first) {
        return first;
    }
    let mut stamp = host.now();
    // Two runs within one second of host time: the next free second names the folder.
    while !free(&paths::sqlmigrate_rerun_dir(drive, stamp)) {
        stamp += 1;
    }
    paths::sqlmigrate_rerun_dir(drive, stamp)
}
