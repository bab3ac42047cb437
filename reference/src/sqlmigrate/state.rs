//! sqlmigrate's progress: an append-only journal in its export folder, one JSON record a
//! line, so a rerun after a crash finishes from the data already exported and never exports a
//! half-dropped database again.
//!
//! Why a journal: a record per table and per import batch, written as a file of its own each
//! time, cost a file creation apiece (hundreds per run, the bulk of a small migration's time);
//! a line appended to one file costs a write. The first record (`begin`) is written as a whole
//! file, atomically, so a folder without a journal is one no run has used yet. A killed run
//! can leave a torn last line: reading stops before it and the next record overwrites it.
//!
//! An import batch is one `batch` record, written before its commit with the rows the database
//! refused; it is *pending* until the next record of its table. A rerun that finds a pending
//! batch asks the database how many rows the table holds to learn whether that commit
//! happened, and a batch done again (same `from`) supersedes the one before. Refused rows stay
//! in the journal until the errors files are written from it, so none is held in memory.
//!
//! Once the run is done the journal is rewritten in its compact form (one record per table),
//! so an interrupted and an uninterrupted run leave the same bytes.

use crate::db::ColumnDef;
use crate::error::{Error, Result};
use crate::host::{AppendFile, Host};
use crate::paths;
use crate::winpath::WinPath;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{BufRead, Seek, SeekFrom};

/// The progress journal's name in the export folder.
pub const STATE_FILE: &str = "sqlmigrate-progress.jsonl";
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
#[derive(Debug)]
pub struct Progress {
    pub mode: Mode,
    /// Host clock when the run began.
    pub started_at: u64,
    pub phase: Phase,
    /// The Appendix A tables that existed when the run began, in Appendix A order.
    pub tables: Vec<TableProgress>,
    /// Bytes of the journal holding complete records: where the next record goes.
    journal_len: u64,
    /// The journal, once open for appending.
    journal: Option<AppendFile>,
}

/// One table's progress.
#[derive(Debug, Clone, PartialEq)]
pub struct TableProgress {
    pub name: String,
    /// Set once the table's export file is complete.
    pub export: Option<ExportRecord>,
    pub dropped: bool,
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
    /// SHA-256 of the file's bytes (what the import checks the file against).
    pub sha256: String,
}

/// How far the import of one table got.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportRecord {
    /// Rows the table held when its import began (zero after a re-create); `None` until then.
    pub base_count: Option<u64>,
    /// Rows of the export file dealt with (imported or rejected) and committed.
    pub rows_read: u64,
    pub imported: u64,
    /// Rows refused by committed batches.
    pub rejected: u64,
    /// Journal offsets of the committed batches that refused rows, in file order; their
    /// records hold the rows for the errors files.
    pub rejections: Vec<u64>,
    /// A batch recorded but perhaps not committed.
    pub pending: Option<Batch>,
    pub done: bool,
}

/// One import batch as the journal records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Rows of the export file dealt with before this batch.
    pub from: u64,
    /// ... and after it.
    pub rows_read: u64,
    /// Rows of the table imported, counting this batch's.
    pub imported: u64,
    /// Rows this batch refused.
    pub rejected: u64,
    /// Where its record starts in the journal.
    pub offset: u64,
}

impl ImportRecord {
    /// Counts a batch as committed.
    pub fn commit(&mut self, batch: Batch) {
        self.rows_read = batch.rows_read;
        self.imported = batch.imported;
        self.rejected += batch.rejected;
        if batch.rejected > 0 {
            self.rejections.push(batch.offset);
        }
    }
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

/// One line of the journal.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
enum Record {
    /// The run began with these tables (the journal's first line).
    Begin {
        mode: Mode,
        started_at: u64,
        tables: Vec<String>,
    },
    /// Every step before `phase` is complete.
    Phase { phase: Phase },
    /// A table's export file is complete.
    Exported { table: String, export: ExportRecord },
    /// A table's import began when it held `base_count` rows.
    ImportStarted { table: String, base_count: u64 },
    /// An import batch, recorded before its commit.
    Batch {
        table: String,
        from: u64,
        rows_read: u64,
        imported: u64,
        rejected: Vec<Rejection>,
    },
    /// A table's import is complete, its errors files written.
    ImportDone { table: String },
    /// The compact form of a complete import.
    Imported {
        table: String,
        imported: u64,
        rejected: u64,
    },
}

fn corrupt(host: &Host, path: &WinPath, reason: String) -> Error {
    Error::StateCorrupt {
        path: host.real_path(path).unwrap_or_default(),
        reason: format!("{reason}; remove {path} to start sqlmigrate over in a new folder"),
    }
}

fn line(record: &Record) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(record).expect("progress serializes");
    bytes.push(b'\n');
    bytes
}

impl Progress {
    /// Starts the journal of a new run in `folder` with its first record, written atomically.
    pub fn begin(
        host: &mut Host,
        folder: &WinPath,
        mode: Mode,
        started_at: u64,
        tables: Vec<String>,
    ) -> Result<Progress> {
        let first = line(&Record::Begin {
            mode,
            started_at,
            tables: tables.clone(),
        });
        host.write(&folder.child(STATE_FILE), &first)?;
        Ok(Progress::fresh(
            mode,
            started_at,
            tables,
            first.len() as u64,
        ))
    }

    /// A run that has done nothing yet but record its first `journal_len` bytes.
    fn fresh(mode: Mode, started_at: u64, tables: Vec<String>, journal_len: u64) -> Progress {
        Progress {
            mode,
            started_at,
            phase: Phase::Export,
            tables: tables
                .into_iter()
                .map(|name| TableProgress {
                    name,
                    export: None,
                    dropped: false,
                    import: ImportRecord::default(),
                })
                .collect(),
            journal_len,
            journal: None,
        }
    }

    /// Reads the progress of `folder`, if it has any, streaming its journal.
    pub fn load(host: &Host, folder: &WinPath) -> Result<Option<Progress>> {
        let path = folder.child(STATE_FILE);
        if !host.exists(&path) {
            return Ok(None);
        }
        let mut reader = host.open_file(&path)?;
        let mut progress: Option<Progress> = None;
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut offset = 0u64;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let n = reader
                .read_until(b'\n', &mut buf)
                .map_err(Error::io("read", host.real_path(&path).unwrap_or_default()))?;
            if n == 0 || buf.last() != Some(&b'\n') {
                break; // the end, or a line a killed run left torn
            }
            let record: Record = serde_json::from_slice(&buf)
                .map_err(|e| corrupt(host, &path, format!("its record at byte {offset}: {e}")))?;
            match (&mut progress, record) {
                (
                    None,
                    Record::Begin {
                        mode,
                        started_at,
                        tables,
                    },
                ) => {
                    index = tables
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (t.clone(), i))
                        .collect();
                    progress = Some(Progress::fresh(mode, started_at, tables, 0));
                }
                (None, _) | (Some(_), Record::Begin { .. }) => {
                    return Err(corrupt(
                        host,
                        &path,
                        format!("the record at byte {offset} is out of place"),
                    ))
                }
                (Some(p), record) => {
                    let table = |name: &str| {
                        index.get(name).copied().ok_or_else(|| {
                            corrupt(
                                host,
                                &path,
                                format!("it names a table '{name}' the run never listed"),
                            )
                        })
                    };
                    match record {
                        Record::Begin { .. } => unreachable!("matched above"),
                        Record::Phase { phase } => p.phase = phase,
                        Record::Exported { table: t, export } => {
                            p.tables[table(&t)?].export = Some(export)
                        }
                        Record::ImportStarted {
                            table: t,
                            base_count,
                        } => p.tables[table(&t)?].import.base_count = Some(base_count),
                        Record::Batch {
                            table: t,
                            from,
                            rows_read,
                            imported,
                            rejected,
                        } => {
                            let import = &mut p.tables[table(&t)?].import;
                            if let Some(before) = import.pending.take() {
                                // A batch from further on proves the one before committed; one
                                // from the same place redid it (it had not).
                                if before.from < from {
                                    import.commit(before);
                                }
                            }
                            import.pending = Some(Batch {
                                from,
                                rows_read,
                                imported,
                                rejected: rejected.len() as u64,
                                offset,
                            });
                        }
                        Record::ImportDone { table: t } => {
                            let import = &mut p.tables[table(&t)?].import;
                            if let Some(last) = import.pending.take() {
                                import.commit(last);
                            }
                            import.done = true;
                        }
                        Record::Imported {
                            table: t,
                            imported,
                            rejected,
                        } => {
                            p.tables[table(&t)?].import = ImportRecord {
                                base_count: Some(0),
                                rows_read: imported + rejected,
                                imported,
                                rejected,
                                rejections: Vec::new(),
                                pending: None,
                                done: true,
                            }
                        }
                    }
                }
            }
            offset += n as u64;
        }
        let Some(mut progress) = progress else {
            return Err(corrupt(host, &path, "it has no first record".into()));
        };
        progress.journal_len = offset;
        if progress.phase > Phase::Drop {
            // The drops commit together, before the phase moves on, and are not recorded one
            // by one: past that phase every table is dropped.
            for table in &mut progress.tables {
                table.dropped = true;
            }
        }
        Ok(Some(progress))
    }

    /// Appends one record; returns the offset it starts at.
    fn append(&mut self, host: &mut Host, folder: &WinPath, record: &Record) -> Result<u64> {
        let at = self.journal_len;
        let bytes = line(record);
        let journal = match &mut self.journal {
            Some(journal) => journal,
            None => self
                .journal
                .insert(host.open_append(&folder.child(STATE_FILE), at)?),
        };
        host.append(journal, &bytes)?;
        self.journal_len += bytes.len() as u64;
        Ok(at)
    }

    /// Records that every step before `phase` is complete. Reaching `Done` rewrites the
    /// journal in its compact form, atomically.
    pub fn set_phase(&mut self, host: &mut Host, folder: &WinPath, phase: Phase) -> Result<()> {
        self.phase = phase;
        if phase != Phase::Done {
            return self
                .append(host, folder, &Record::Phase { phase })
                .map(drop);
        }
        let mut bytes = line(&Record::Begin {
            mode: self.mode,
            started_at: self.started_at,
            tables: self.tables.iter().map(|t| t.name.clone()).collect(),
        });
        for t in &self.tables {
            if let Some(export) = &t.export {
                bytes.extend(line(&Record::Exported {
                    table: t.name.clone(),
                    export: export.clone(),
                }));
            }
        }
        for t in &self.tables {
            if t.import.done {
                bytes.extend(line(&Record::Imported {
                    table: t.name.clone(),
                    imported: t.import.imported,
                    rejected: t.import.rejected,
                }));
            }
        }
        bytes.extend(line(&Record::Phase { phase }));
        // The file renamed into place replaces the one the open handle writes to.
        self.journal = None;
        host.write(&folder.child(STATE_FILE), &bytes)?;
        self.journal_len = bytes.len() as u64;
        for t in &mut self.tables {
            t.import.rejections.clear();
        }
        Ok(())
    }

    /// Records a table's complete export.
    pub fn exported(
        &mut self,
        host: &mut Host,
        folder: &WinPath,
        i: usize,
        export: ExportRecord,
    ) -> Result<()> {
        let record = Record::Exported {
            table: self.tables[i].name.clone(),
            export,
        };
        self.append(host, folder, &record)?;
        let Record::Exported { export, .. } = record else {
            unreachable!("built above")
        };
        self.tables[i].export = Some(export);
        Ok(())
    }

    /// Records the row count a table's import starts from.
    pub fn import_started(
        &mut self,
        host: &mut Host,
        folder: &WinPath,
        i: usize,
        base_count: u64,
    ) -> Result<()> {
        let record = Record::ImportStarted {
            table: self.tables[i].name.clone(),
            base_count,
        };
        self.append(host, folder, &record)?;
        self.tables[i].import.base_count = Some(base_count);
        Ok(())
    }

    /// Records a batch before its commit, with the rows the database refused; it becomes the
    /// table's pending batch.
    pub fn batch(
        &mut self,
        host: &mut Host,
        folder: &WinPath,
        i: usize,
        batch_rows: u64,
        imported: u64,
        rejected: Vec<Rejection>,
    ) -> Result<()> {
        let from = self.tables[i].import.rows_read;
        let count = rejected.len() as u64;
        let record = Record::Batch {
            table: self.tables[i].name.clone(),
            from,
            rows_read: from + batch_rows,
            imported,
            rejected,
        };
        let offset = self.append(host, folder, &record)?;
        self.tables[i].import.pending = Some(Batch {
            from,
            rows_read: from + batch_rows,
            imported,
            rejected: count,
            offset,
        });
        Ok(())
    }

    /// Records that a table's import is complete (its errors files written).
    pub fn import_done(&mut self, host: &mut Host, folder: &WinPath, i: usize) -> Result<()> {
        let record = Record::ImportDone {
            table: self.tables[i].name.clone(),
        };
        self.append(host, folder, &record)?;
        let import = &mut self.tables[i].import;
        if let Some(last) = import.pending.take() {
            import.commit(last);
        }
        import.done = true;
        Ok(())
    }

    /// Streams the rows table `i`'s committed batches refused, in export order, to `visit`,
    /// reading them from `journal` (opened before, so the caller may write meanwhile).
    pub fn each_rejection(
        &self,
        journal: &mut Journal,
        i: usize,
        visit: &mut dyn FnMut(&Rejection) -> Result<()>,
    ) -> Result<()> {
        let mut buf = Vec::new();
        for &offset in &self.tables[i].import.rejections {
            let read = journal
                .reader
                .seek(SeekFrom::Start(offset))
                .and_then(|_| journal.reader.read_until(b'\n', &mut buf));
            read.map_err(Error::io("read", &journal.real))?;
            match serde_json::from_slice(&buf) {
                Ok(Record::Batch { rejected, .. }) => rejected.iter().try_for_each(&mut *visit)?,
                _ => {
                    return Err(Error::StateCorrupt {
                        path: journal.real.clone(),
                        reason: format!(
                            "no batch record at byte {offset}; remove {} to start sqlmigrate over in a new folder",
                            journal.path
                        ),
                    })
                }
            }
            buf.clear();
        }
        Ok(())
    }
}

/// The journal open for reading refused rows back.
pub struct Journal {
    reader: std::io::BufReader<std::fs::File>,
    path: WinPath,
    real: std::path::PathBuf,
}

impl Journal {
    /// Opens the journal of `folder`.
    pub fn open(host: &Host, folder: &WinPath) -> Result<Journal> {
        let path = folder.child(STATE_FILE);
        Ok(Journal {
            reader: host.open_file(&path)?,
            real: host.real_path(&path)?,
            path,
        })
    }
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
