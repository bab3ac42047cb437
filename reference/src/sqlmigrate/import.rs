//! The import: each exported table read back from its TSV file and inserted in batches, one
//! transaction per batch, through the port's prepared insert; a row the 7.90 schema refuses
//! is kept with the engine's reason for the errors files (B43, B45).
//!
//! Rows go in export order, so of two rows with the same key the later one is refused, as
//! the fabricator's ledger records it.

use super::codec::push_decoded;
use super::hashed::sha256_of;
use super::state::{ExportRecord, Rejection};
use super::{ProgressEvent, Run, Step, TableOrder};
use crate::db::{RowBatch, RowOutcome};
use crate::error::{Error, Result};
use crate::winpath::WinPath;
use std::io::Seek;
use std::sync::mpsc;

/// One batch's rows as read (the lines, kept for the rows the database refuses) and as
/// values; sent from the reader thread to the importer and back, to be filled again.
#[derive(Default)]
struct Parsed {
    lines: Lines,
    rows: RowBatch,
}

/// The lines of a batch's rows as exported, one after the other in one buffer: a row's
/// fields joined by tabs. One buffer rather than a record a row: filling it allocates
/// nothing once it has grown (a record a row cost the reader thread a realloc for each
/// row of a wider table, and the importer waited on the allocator's lock meanwhile).
#[derive(Default)]
struct Lines {
    text: String,
    /// Where each line ends in `text`.
    ends: Vec<usize>,
}

impl Lines {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    fn push(&mut self, record: &csv::StringRecord) {
        for (k, field) in record.iter().enumerate() {
            if k > 0 {
                self.text.push('\t');
            }
            self.text.push_str(field);
        }
        self.ends.push(self.text.len());
    }

    /// The fields of line `k`.
    fn fields(&self, k: usize) -> std::str::Split<'_, char> {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        self.text[start..self.ends[k]].split('\t')
    }
}

/// What the reader thread sends, table after table in import order: its batches, then an
/// empty batch when the file is read to its end; or the reason it stopped.
type Message = Result<Parsed>;

/// An export file to read, with what the reader checks it against.
struct Job {
    path: WinPath,
    file: std::fs::File,
    export: ExportRecord,
    /// Rows a committed batch already dealt with, read past.
    skip: u64,
}

/// Tables with fewer rows left to import are read by the importing thread itself: handing
/// them over from the reader thread would cost more than it saves.
const INLINE_ROWS: u64 = 4096;
/// Full batches waiting for the importer at most (the reader blocks beyond).
const BATCHES_IN_FLIGHT: usize = 4;

/// The reader thread's channels, as the importing thread holds them.
struct FromReader {
    batches: mpsc::Receiver<Message>,
    give_back: mpsc::Sender<Parsed>,
}

impl Run<'_> {
    /// Imports every exported table whose import is not done, in `order`.
    ///
    /// Two threads share the work on large tables: a reader checks each export file's
    /// SHA-256, parses and decodes its rows ([`read_export`]), running ahead of this thread,
    /// which inserts them and records each batch; batches come back empty to be filled
    /// again, so memory stays a few batches whatever the tables' sizes. Small tables this
    /// thread reads itself.
    pub(crate) fn import_all(&mut self, order: TableOrder) -> Result<()> {
        let todo: Vec<usize> = order
            .import_indices(self.progress.tables.len())
            .into_iter()
            .filter(|&i| {
                let t = &self.progress.tables[i];
                t.export.is_some() && !t.import.done
            })
            .collect();
        // Each table's file, opened now, and where its import resumes, which must be known
        // before the reader starts on it; `None` where the reader thread reads the file.
        let mut inline = Vec::with_capacity(todo.len());
        let mut threaded = Vec::new();
        for &i in &todo {
            self.settle_pending(i)?;
            let table = &self.progress.tables[i];
            let export = table.export.clone().expect("exported");
            let path = self.folder.child(&export.file);
            let job = Job {
                file: self.host.open_file(&path)?.into_inner(),
                path,
                skip: table.import.rows_read,
                export,
            };
            if job.export.rows.saturating_sub(job.skip) < INLINE_ROWS {
                inline.push(Some(job));
            } else {
                inline.push(None);
                threaded.push(job);
            }
        }
        let batch_rows = self.options.batch_rows.max(1);
        let (to_importer, batches) = mpsc::sync_channel::<Message>(BATCHES_IN_FLIGHT);
        let (give_back, take_back) = mpsc::channel::<Parsed>();
        // One batch a place in the channel, one the reader fills, one being imported.
        for _ in 0..BATCHES_IN_FLIGHT + 2 {
            give_back
                .send(Parsed::default())
                .expect("the receiver is here");
        }
        let reader = FromReader { batches, give_back };
        std::thread::scope(|scope| {
            if !threaded.is_empty() {
                scope.spawn(move || read_exports(threaded, batch_rows, to_importer, take_back));
            }
            let mut spare = Parsed::default();
            let result = todo
                .iter()
                .zip(inline)
                .try_for_each(|(&i, job)| self.import_table(i, job, &reader, &mut spare));
            // Hanging up stops a reader still running ahead (after a failure or a crash).
            drop(reader);
            result
        })
    }

    /// Settles a table whose import began in an earlier run: did its last recorded batch
    /// commit? The table's row count says.
    fn settle_pending(&mut self, i: usize) -> Result<()> {
        let Some(base) = self.progress.tables[i].import.base_count else {
            return Ok(());
        };
        if self.progress.tables[i].import.pending.is_none() {
            return Ok(());
        }
        let name = self.progress.tables[i].name.clone();
        let count = match self.db.table_name(&name)? {
            Some(_) => self.db.count_rows(&name)?,
            None => 0,
        };
        let record = &mut self.progress.tables[i].import;
        let pending = record.pending.take().expect("checked above");
        if count == base + pending.imported {
            record.commit(pending);
        }
        Ok(())
    }

    /// Imports one table: its batches as the reader thread sends them, or, given its `job`,
    /// as this thread reads them (into `spare`, kept from table to table). Crash points:
    /// `sqlmigrate:import:<table>:batch:<n>` (outcome recorded, not committed),
    /// `sqlmigrate:import:<table>:batch:<n>:committed`, `sqlmigrate:errors:<table>`.
    fn import_table(
        &mut self,
        i: usize,
        job: Option<Job>,
        reader: &FromReader,
        spare: &mut Parsed,
    ) -> Result<()> {
        let name = self.progress.tables[i].name.clone();
        let export = self.progress.tables[i].export.clone().expect("exported");
        if self.progress.tables[i].import.base_count.is_none() {
            let count = match self.db.table_name(&name)? {
                Some(_) => self.db.count_rows(&name)?,
                None => 0,
            };
            self.progress
                .import_started(self.host, &self.folder, i, count)?;
        }
        let names: Vec<String> = export.columns.iter().map(|c| c.name.clone()).collect();
        let batch_rows = self.options.batch_rows.max(1);
        match job {
            Some(job) => {
                let back = read_export(job, batch_rows, std::mem::take(spare), &mut |parsed| {
                    self.import_parsed(i, &name, &names, &parsed, export.rows)?;
                    Ok(Some(parsed))
                })?;
                *spare = back.expect("this thread never stops taking batches");
            }
            None => loop {
                let parsed = reader
                    .batches
                    .recv()
                    .expect("the reader sends a message for each table or an error")?;
                let end = parsed.rows.is_empty();
                if !end {
                    self.import_parsed(i, &name, &names, &parsed, export.rows)?;
                }
                // The reader may have finished already; the batch is then simply dropped.
                let _ = reader.give_back.send(parsed);
                if end {
                    break;
                }
            },
        }
        self.crash.point(&format!("sqlmigrate:errors:{name}"))?;
        if self.progress.tables[i].import.rejected > 0 {
            self.write_errors(i, &export.columns)?;
        }
        self.progress.import_done(self.host, &self.folder, i)
    }

    fn import_parsed(
        &mut self,
        i: usize,
        name: &str,
        names: &[String],
        parsed: &Parsed,
        total: u64,
    ) -> Result<()> {
        self.import_batch(i, name, names, &parsed.rows, &parsed.lines, total)
    }

    fn import_batch(
        &mut self,
        i: usize,
        name: &str,
        columns: &[String],
        rows: &RowBatch,
        lines: &Lines,
        total: u64,
    ) -> Result<()> {
        let from = self.progress.tables[i].import.rows_read;
        let n = from / self.options.batch_rows.max(1) as u64 + 1;
        self.db.vet_batch(name, columns, rows)?;
        self.db.begin()?;
        let outcomes = match self.insert(name, columns, rows) {
            Ok(outcomes) => outcomes,
            Err(e) => {
                let _ = self.db.rollback();
                return Err(e);
            }
        };
        let mut imported = self.progress.tables[i].import.imported;
        let mut rejected = Vec::new();
        for (k, outcome) in outcomes.into_iter().enumerate() {
            match outcome {
                RowOutcome::Imported => imported += 1,
                RowOutcome::Rejected { reason } => rejected.push(Rejection {
                    index: from + k as u64,
                    fields: lines.fields(k).map(str::to_string).collect(),
                    reason,
                }),
            }
        }
        let recorded = self.progress.batch(
            self.host,
            &self.folder,
            i,
            rows.len() as u64,
            imported,
            rejected,
        );
        if let Err(e) = recorded {
            let _ = self.db.rollback();
            return Err(e);
        }
        self.crash
            .point(&format!("sqlmigrate:import:{name}:batch:{n}"))?;
        self.db.commit()?;
        self.crash
            .point(&format!("sqlmigrate:import:{name}:batch:{n}:committed"))?;
        // Nothing more recorded here: the batch's record says what it did, and a rerun learns
        // from the row count whether the commit happened.
        let record = &mut self.progress.tables[i].import;
        let batch = record.pending.take().expect("recorded above");
        record.commit(batch);
        let done = record.rows_read;
        (self.on_progress)(&ProgressEvent {
            step: Step::Import,
            table: name,
            done,
            total,
        });
        Ok(())
    }

    /// Inserts a batch; into a table that does not exist (imported before the re-create, the
    /// manual path's mistake) every row is refused with the engine's own message.
    fn insert(
        &mut self,
        name: &str,
        columns: &[String],
        rows: &RowBatch,
    ) -> Result<Vec<RowOutcome>> {
        match self.db.insert_batch(name, columns, rows) {
            Err(Error::Database { message, .. }) if self.db.table_name(name)?.is_none() => {
                Ok(vec![RowOutcome::Rejected { reason: message }; rows.len()])
            }
            other => other,
        }
    }
}

/// The reader thread of [`Run::import_all`]: each job's file read ([`read_export`]) and its
/// batches sent in order, each file's followed by an empty batch; the first error is sent
/// and ends the reading. Returns quietly once the importer hangs up.
fn read_exports(
    jobs: Vec<Job>,
    batch_rows: usize,
    to_importer: mpsc::SyncSender<Message>,
    take_back: mpsc::Receiver<Parsed>,
) {
    // The batches go round: the importer hands each back once imported, and the reader
    // waits for one when all are out, so their number (and memory) stays fixed.
    let mut send = |full: Parsed| -> Result<Option<Parsed>> {
        Ok(match to_importer.send(Ok(full)) {
            Ok(()) => take_back.recv().ok(),
            Err(_) => None,
        })
    };
    let Ok(mut spare) = take_back.recv() else {
        return;
    };
    for job in jobs {
        match read_export(job, batch_rows, spare, &mut send) {
            Ok(Some(mut end)) => {
                end.rows.clear(0);
                end.lines.clear();
                match send(end) {
                    Ok(Some(next)) => spare = next,
                    _ => return,
                }
            }
            Ok(None) => return,
            Err(e) => {
                let _ = to_importer.send(Err(e));
                return;
            }
        }
    }
}

/// Reads one export file: it must be the one exported, byte for byte, before any of it is
/// imported; then its rows from `job.skip` on, decoded into batches of `batch_rows` rows
/// (filling `spare` first). Each full batch goes to `sink`, which hands back an empty one to
/// fill next, or `None` when it takes no more (then this stops quietly and returns `None`).
/// Returns the batch left empty at the end, to be used again.
fn read_export(
    job: Job,
    batch_rows: usize,
    spare: Parsed,
    sink: &mut dyn FnMut(Parsed) -> Result<Option<Parsed>>,
) -> Result<Option<Parsed>> {
    let Job {
        path,
        mut file,
        export,
        skip,
    } = job;
    let damaged = |detail: String| Error::ExportDamaged {
        path: path.clone(),
        detail,
    };
    let io = |e| Error::io("read", std::path::PathBuf::from(path.to_string()))(e);
    let sha256 = sha256_of(std::io::BufReader::with_capacity(1 << 16, &mut file)).map_err(io)?;
    if sha256 != export.sha256 {
        return Err(damaged(format!(
            "its SHA-256 is {sha256}, the export recorded {}; restore the file from a copy, or start over from the database backup",
            export.sha256
        )));
    }
    file.rewind().map_err(io)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .has_headers(true)
        .buffer_capacity(1 << 16)
        .from_reader(file);
    let header = reader.headers().map_err(|e| damaged(e.to_string()))?;
    if !header
        .iter()
        .eq(export.columns.iter().map(|c| c.name.as_str()))
    {
        let names: Vec<&str> = export.columns.iter().map(|c| c.name.as_str()).collect();
        return Err(damaged(format!(
            "its header is {:?}, expected {names:?}",
            header.iter().collect::<Vec<_>>()
        )));
    }
    let width = export.columns.len();
    let mut index = 0u64;
    let mut batch = spare;
    batch.rows.clear(width);
    batch.lines.clear();
    let mut record = csv::StringRecord::with_capacity(1024, width);
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| damaged(e.to_string()))?;
        if more {
            if record.len() != width {
                return Err(damaged(format!(
                    "row {} has {} fields",
                    index + 1,
                    record.len()
                )));
            }
            if index >= skip {
                for (c, f) in export.columns.iter().zip(record.iter()) {
                    push_decoded(f, c.ty, &mut batch.rows)
                        .map_err(|e| damaged(format!("row {}: {e}", index + 1)))?;
                }
                batch.lines.push(&record);
            }
            index += 1;
        }
        let n = batch.rows.len();
        if n == batch_rows || (!more && n > 0) {
            match sink(batch)? {
                Some(empty) => batch = empty,
                None => return Ok(None),
            }
            batch.rows.clear(width);
            batch.lines.clear();
        }
        if !more {
            break;
        }
    }
    if index != export.rows {
        return Err(damaged(format!(
            "it holds {index} rows, the export recorded {}",
            export.rows
        )));
    }
    Ok(Some(batch))
}
