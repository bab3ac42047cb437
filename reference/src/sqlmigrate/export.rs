//! The export: every Appendix A table that exists, streamed to `<table>.tsv` in the export
//! folder (header: the column names), then a manifest of row counts and digests (B42).

use super::codec::encode_field;
use super::hashed::HashingWriter;
use super::state::{ExportRecord, MANIFEST_FILE};
use super::{ProgressEvent, Run, Step};
use crate::db::digest::{RowDigest, TableDigest};
use crate::db::{ColumnDef, Database, RowBatch};
use crate::error::{Error, Result};
use crate::fault::Crash;
use crate::host::HostFile;
use crate::winpath::WinPath;
use std::io::{BufWriter, Write};
use std::sync::mpsc;

/// Tables of fewer rows are written by the thread that reads them: handing them to a writer
/// thread would cost more than it saves.
const INLINE_ROWS: u64 = 4096;
/// Rows per chunk read out of the database and handed from the reading thread to the writer.
const CHUNK_ROWS: usize = 1024;
/// Full chunks waiting for the writer at most (the reader blocks beyond): enough to ride
/// out either thread's hiccups, each of which would otherwise stall the other.
const CHUNKS_IN_FLIGHT: usize = 4;

/// One table's export file as it is written: TSV rows, the SHA-256 of its bytes and the
/// digest of its rows.
///
/// Rows are written as lines, their encoded fields joined by tabs, straight into a buffer:
/// [`encode_field`] leaves no tab or line break in a field, so there is nothing to quote,
/// and the csv writer's bookkeeping for each field (a sixth of this thread's work, measured
/// at 2000 devices) bought nothing. The files read back through the csv reader.
struct TsvExport<'h, 'p> {
    out: BufWriter<HashingWriter<HostFile<'h>>>,
    path: &'p WinPath,
    columns: &'p [ColumnDef],
    digest: RowDigest,
    /// The line being written, and one field of it; reused row after row.
    line: String,
    field: String,
}

/// What a finished export file holds.
struct Written {
    digest: TableDigest,
    bytes: u64,
    sha256: String,
}

impl<'h, 'p> TsvExport<'h, 'p> {
    /// Starts the file with its header: the column names.
    fn new(file: HostFile<'h>, path: &'p WinPath, columns: &'p [ColumnDef]) -> Result<Self> {
        let mut export = TsvExport {
            out: BufWriter::with_capacity(1 << 16, HashingWriter::new(file)),
            path,
            columns,
            digest: RowDigest::default(),
            line: String::new(),
            field: String::new(),
        };
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        export.line = names.join("\t");
        export.line.push('\n');
        export.write_line()?;
        Ok(export)
    }

    /// Writes the rows of `chunk`.
    fn rows(&mut self, chunk: &RowBatch) -> Result<()> {
        for row in 0..chunk.len() {
            self.line.clear();
            for (k, (value, column)) in chunk.row(row).zip(self.columns).enumerate() {
                if k > 0 {
                    self.line.push('\t');
                }
                encode_field(value, column.ty, &mut self.field);
                self.line.push_str(&self.field);
            }
            self.line.push('\n');
            self.write_line()?;
            self.digest.add_values(chunk.row(row));
        }
        Ok(())
    }

    fn write_line(&mut self) -> Result<()> {
        self.out
            .write_all(self.line.as_bytes())
            .map_err(|e| Error::from_stream("write", self.path, e))
    }

    /// Flushes the file and renames it into place.
    fn finish(self) -> Result<Written> {
        let (file, sha256) = self
            .out
            .into_inner()
            .map_err(|e| Error::from_stream("write", self.path, e.into_error()))?
            .finish();
        Ok(Written {
            bytes: file.finish()?,
            digest: self.digest.finish(),
            sha256,
        })
    }
}

/// The writer thread of a large table: writes the chunks it receives; an empty chunk ends the
/// table and finishes the file. A stream that stops without one (the reader failed or
/// crashed) leaves the file unfinished, invisible under its name (`Ok(None)`).
fn write_chunks(
    mut out: TsvExport<'_, '_>,
    chunks: mpsc::Receiver<RowBatch>,
    give_back: mpsc::Sender<RowBatch>,
) -> Result<Option<Written>> {
    for chunk in chunks {
        if chunk.is_empty() {
            return out.finish().map(Some);
        }
        out.rows(&chunk)?;
        // The reader may have finished already; the chunk is then simply dropped.
        let _ = give_back.send(chunk);
    }
    Ok(None)
}

/// The reader's error when the writer hung up; the writer's own error, which says why, is the
/// one reported.
fn writer_stopped(path: &WinPath) -> Error {
    Error::Io {
        action: "write",
        path: path.to_string().into(),
        source: std::io::Error::other("the export's writer stopped"),
    }
}

/// The crash points and progress events of one table's export, every `batch` rows.
struct Points<'a, 'b> {
    crash: &'a Crash,
    on_progress: &'a mut dyn FnMut(&ProgressEvent<'_>),
    table: &'b str,
    total: u64,
    batch: u64,
    rows: u64,
}

impl Points<'_, '_> {
    /// Counts `rows` rows read; at every `batch`-th row: crash point
    /// `sqlmigrate:export:<table>:batch:<n>`.
    fn rows(&mut self, rows: usize) -> Result<()> {
        for _ in 0..rows {
            self.rows += 1;
            if self.rows.is_multiple_of(self.batch) {
                let n = self.rows / self.batch;
                self.crash
                    .point(&format!("sqlmigrate:export:{}:batch:{n}", self.table))?;
                (self.on_progress)(&ProgressEvent {
                    step: Step::Export,
                    table: self.table,
                    done: self.rows,
                    total: self.total,
                });
            }
        }
        Ok(())
    }
}

impl Run<'_> {
    /// Exports every table not exported yet, then writes the manifest.
    pub(crate) fn export_all(&mut self) -> Result<()> {
        for i in 0..self.progress.tables.len() {
            if self.progress.tables[i].export.is_some() {
                continue;
            }
            let record = self.export_table(i)?;
            self.progress.exported(self.host, &self.folder, i, record)?;
        }
        self.write_manifest()
    }

    /// Streams one table to its TSV file. Crash points: `sqlmigrate:export:<table>` before,
    /// `sqlmigrate:export:<table>:batch:<n>` after every `batch_rows` rows.
    fn export_table(&mut self, i: usize) -> Result<ExportRecord> {
        let name = self.progress.tables[i].name.clone();
        self.crash.point(&format!("sqlmigrate:export:{name}"))?;
        let def = self.db.describe(&name)?.ok_or_else(|| Error::Database {
            context: format!("exporting {name}"),
            message: "the table disappeared since sqlmigrate began; restore the database from its backup and run sqlmigrate again".into(),
        })?;
        let total = self.db.count_rows(&name)?;
        let file_name = format!("{name}.tsv");
        let path = self.folder.child(&file_name);
        let mut points = Points {
            crash: self.crash,
            on_progress: &mut *self.on_progress,
            table: &name,
            total,
            batch: self.options.batch_rows.max(1) as u64,
            rows: 0,
        };
        let out = TsvExport::new(self.host.create_file(&path)?, &path, &def.columns)?;
        let written = if total < INLINE_ROWS {
            export_inline(self.db.as_mut(), &name, out, &mut points)?
        } else {
            export_threaded(self.db.as_mut(), &name, out, &mut points)?
        };
        (self.on_progress)(&ProgressEvent {
            step: Step::Export,
            table: &name,
            done: written.digest.rows,
            total: written.digest.rows,
        });
        Ok(ExportRecord {
            file: file_name,
            columns: def.columns,
            rows: written.digest.rows,
            digest: written.digest.digest,
            bytes: written.bytes,
            sha256: written.sha256,
        })
    }
    fn write_manifest(&mut self) -> Result<()> {
        let tables: Vec<serde_json::Value> = self
            .progress
            .tables
            .iter()
            .filter_map(|t| {
                t.export.as_ref().map(|e| {
                    serde_json::json!({
                        "table": t.name,
                        "file": e.file,
                        "rows": e.rows,
                        "digest": e.digest,
                        "bytes": e.bytes,
                        "sha256": e.sha256,
                    })
                })
            })
            .collect();
        let manifest =
            serde_json::json!({ "started_at": self.progress.started_at, "tables": tables });
        let mut text = serde_json::to_string_pretty(&manifest).expect("manifest serializes");
        text.push('\n');
        self.host
            .write(&self.folder.child(MANIFEST_FILE), text.as_bytes())
    }
}

/// A small table: read and written by this thread.
fn export_inline(
    db: &mut dyn Database,
    table: &str,
    mut out: TsvExport<'_, '_>,
    points: &mut Points<'_, '_>,
) -> Result<Written> {
    db.stream_batches(table, CHUNK_ROWS, &mut |chunk| {
        out.rows(chunk)?;
        points.rows(chunk.len())
    })?;
    out.finish()
}

/// A large table: this thread reads the rows out of the database while a writer thread
/// encodes, digests, hashes and writes them ([`write_chunks`]); chunks of rows go between
/// them through a bounded channel and come back empty to be filled again, so memory stays a
/// few chunks whatever the table's size.
fn export_threaded(
    db: &mut dyn Database,
    table: &str,
    out: TsvExport<'_, '_>,
    points: &mut Points<'_, '_>,
) -> Result<Written> {
    let path = out.path;
    let (to_writer, from_reader) = mpsc::sync_channel::<RowBatch>(CHUNKS_IN_FLIGHT);
    let (give_back, take_back) = mpsc::channel::<RowBatch>();
    // The chunks go round: besides the one being filled, one a place in the channel and one
    // being written; the reader waits for one to come back when all are out, so there are
    // never more (nor new ones to allocate).
    for _ in 0..=CHUNKS_IN_FLIGHT {
        give_back
            .send(RowBatch::default())
            .expect("the receiver is here");
    }
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || write_chunks(out, from_reader, give_back));
        let streamed = db.stream_batches(table, CHUNK_ROWS, &mut |chunk| {
            points.rows(chunk.len())?;
            let spare = take_back.recv().map_err(|_| writer_stopped(path))?;
            let full = std::mem::replace(chunk, spare);
            to_writer.send(full).map_err(|_| writer_stopped(path))
        });
        // Then an empty chunk: the end of the table (the writer abandons a file whose stream
        // stops without it).
        let sent = streamed.and_then(|_| {
            to_writer
                .send(RowBatch::default())
                .map_err(|_| writer_stopped(path))
        });
        drop(to_writer);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match (sent, written) {
            (Ok(()), Ok(Some(written))) => Ok(written),
            // The writer's own error (a full drive) is why the stream stopped.
            (_, Err(e)) | (Err(e), Ok(_)) => Err(e),
            (Ok(()), Ok(None)) => unreachable!("the end was sent"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{ColumnType, ValueRef};
    use crate::host::Host;

    fn host(capacity: u64) -> (tempfile::TempDir, Host) {
        crate::host::tests::host(&[('D', capacity)])
    }

    fn columns() -> Vec<ColumnDef> {
        [("Id", ColumnType::Integer), ("Path", ColumnType::Text)]
            .into_iter()
            .map(|(name, ty)| ColumnDef {
                name: name.into(),
                ty,
                not_null: false,
            })
            .collect()
    }

    fn chunk(rows: i64) -> RowBatch {
        let mut chunk = RowBatch::new(2);
        for i in 0..rows {
            chunk.push(ValueRef::Int(i));
            chunk.push(ValueRef::Text("C:\\Program Files\ttab"));
        }
        chunk
    }

    #[test]
    fn an_export_file_is_tab_separated_lines_hashed_as_written() {
        let (_dir, mut host) = host(1 << 20);
        let path = WinPath::parse(r"D:\HPCABackup\SQLMigrate\t.tsv").unwrap();
        let columns = columns();
        let mut out = TsvExport::new(host.create_file(&path).unwrap(), &path, &columns).unwrap();
        out.rows(&chunk(2)).unwrap();
        out.rows(&RowBatch::new(2)).unwrap();
        let written = out.finish().unwrap();
        let text = "Id\tPath\n0\tC:\\\\Program Files\\ttab\n1\tC:\\\\Program Files\\ttab\n";
        assert_eq!(host.read(&path).unwrap(), text.as_bytes());
        assert_eq!(written.bytes, text.len() as u64);
        assert_eq!(
            written.sha256,
            super::super::hashed::sha256_of(text.as_bytes()).unwrap()
        );
        assert_eq!(written.digest.rows, 2);
    }

    #[test]
    fn a_drive_that_fills_mid_export_fails_as_drive_full_leaving_no_file_b44() {
        let (_dir, mut host) = host(50_000);
        let before = host.used('D').unwrap();
        let path = WinPath::parse(r"D:\HPCABackup\SQLMigrate\t.tsv").unwrap();
        let columns = columns();
        let mut out = TsvExport::new(host.create_file(&path).unwrap(), &path, &columns).unwrap();
        // About 30 bytes a row: the rows fill the drive, whether the buffer spills while the
        // rows are written or when the file is finished.
        let err = out
            .rows(&chunk(5000))
            .and_then(|_| out.finish().map(|_| ()))
            .unwrap_err();
        assert!(matches!(err, Error::DriveFull { drive: 'D', .. }), "{err}");
        assert!(!host.exists(&path));
        assert_eq!(host.used('D').unwrap(), before);
    }
}
