//! The export: every Appendix A table that exists, streamed to `<table>.tsv` in the export
//! folder (header: the column names), then a manifest of row counts and digests (B42).

use super::codec::encode_field;
use super::hashed::HashingWriter;
use super::state::{ExportRecord, MANIFEST_FILE};
use super::{ProgressEvent, Run, Step};
use crate::db::digest::RowDigest;
use crate::error::{Error, Result};
use crate::host::HostFile;
use crate::winpath::WinPath;

/// A TSV writer: tab-separated, never quoted (the field encoding escapes tabs and line
/// breaks, so the file is plain `cut`-able TSV).
pub(crate) fn tsv_writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Never)
        .from_writer(out)
}

/// Flushes a TSV writer and renames its file into place; returns the file's size.
pub(crate) fn finish_tsv(writer: csv::Writer<HostFile<'_>>, path: &WinPath) -> Result<u64> {
    let file = writer
        .into_inner()
        .map_err(|e| Error::from_stream("write", path, e.into_error()))?;
    file.finish()
}

/// Maps a csv error, bringing a `DriveFull` back out of it.
pub(crate) fn csv_error(path: &WinPath, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::from_stream("write", path, io),
        other => Error::Io {
            action: "write",
            path: path.to_string().into(),
            source: std::io::Error::other(format!("{other:?}")),
        },
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
        let batch = self.options.batch_rows.max(1) as u64;
        let crash = self.crash;
        let on_progress = &mut *self.on_progress;
        let mut writer = tsv_writer(HashingWriter::new(self.host.create_file(&path)?));
        writer
            .write_record(def.columns.iter().map(|c| c.name.as_str()))
            .map_err(|e| csv_error(&path, e))?;
        let mut digest = RowDigest::default();
        let mut fields: Vec<String> = vec![String::new(); def.columns.len()];
        let mut rows = 0u64;
        let mut until_point = batch;
        self.db.stream_rows(&name, &mut |row| {
            for ((field, value), column) in fields.iter_mut().zip(row).zip(&def.columns) {
                encode_field(value, column.ty, field);
            }
            writer
                .write_record(&fields)
                .map_err(|e| csv_error(&path, e))?;
            digest.add(row);
            rows += 1;
            until_point -= 1;
            if until_point == 0 {
                until_point = batch;
                crash.point(&format!("sqlmigrate:export:{name}:batch:{}", rows / batch))?;
                on_progress(&ProgressEvent {
                    step: Step::Export,
                    table: &name,
                    done: rows,
                    total,
                });
            }
            Ok(())
        })?;
        let (file, sha256) = writer
            .into_inner()
            .map_err(|e| Error::from_stream("write", &path, e.into_error()))?
            .finish();
        let bytes = file.finish()?;
        (self.on_progress)(&ProgressEvent {
            step: Step::Export,
            table: &name,
            done: rows,
            total: rows,
        });
        let digest = digest.finish();
        Ok(ExportRecord {
            file: file_name,
            columns: def.columns,
            rows: digest.rows,
            digest: digest.digest,
            bytes,
            sha256,
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
