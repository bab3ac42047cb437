//! The import: each exported table read back from its TSV file and inserted in batches, one
//! transaction per batch, through the port's prepared insert; a row the 7.90 schema refuses
//! is kept with the engine's reason for the errors files (B43, B45).
//!
//! Rows go in export order, so of two rows with the same key the later one is refused, as
//! the fabricator's ledger records it.

use super::codec::decode_field;
use super::state::{ImportRecord, PendingBatch, Rejection};
use super::{ProgressEvent, Run, Step, TableOrder};
use crate::db::digest::RowDigest;
use crate::db::{RowOutcome, Value};
use crate::error::{Error, Result};

impl Run<'_> {
    /// Imports every exported table whose import is not done, in `order`.
    pub(crate) fn import_all(&mut self, order: TableOrder) -> Result<()> {
        for i in order.import_indices(self.progress.tables.len()) {
            if self.progress.tables[i].export.is_some() && !self.progress.tables[i].import.done {
                self.import_table(i)?;
            }
        }
        Ok(())
    }

    /// Imports one table from where its record says. Crash points:
    /// `sqlmigrate:import:<table>:batch:<n>` (outcome recorded, not committed),
    /// `sqlmigrate:import:<table>:batch:<n>:committed`, `sqlmigrate:errors:<table>`.
    fn import_table(&mut self, i: usize) -> Result<()> {
        let name = self.progress.tables[i].name.clone();
        let export = self.progress.tables[i].export.clone().expect("exported");
        let path = self.folder.child(&export.file);
        let exists = self.db.describe(&name)?.is_some();
        let mut record = std::mem::take(&mut self.progress.tables[i].import);
        if !record.started {
            record.base_count = if exists {
                self.db.count_rows(&name)?
            } else {
                0
            };
            record.started = true;
        }
        if let Some(pending) = record.pending.take() {
            // Did the pending batch's commit happen? The table's row count says.
            let count = if exists {
                self.db.count_rows(&name)?
            } else {
                0
            };
            if count == record.base_count + pending.imported {
                record.rows_read = pending.rows_read;
                record.imported = pending.imported;
                record.rejected.extend(pending.rejected);
            }
        }
        self.progress.tables[i].import = record;

        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .quoting(false)
            .has_headers(true)
            .from_reader(self.host.open_file(&path)?);
        let damaged = |detail: String| Error::ExportDamaged {
            path: path.clone(),
            detail,
        };
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| damaged(e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        let names: Vec<String> = export.columns.iter().map(|c| c.name.clone()).collect();
        if header != names {
            return Err(damaged(format!(
                "its header is {header:?}, expected {names:?}"
            )));
        }
        let batch_rows = self.options.batch_rows.max(1);
        let mut digest = RowDigest::default();
        let mut record_in = csv::StringRecord::new();
        let mut index = 0u64;
        let mut batch: Vec<Vec<Value>> = Vec::with_capacity(batch_rows);
        let mut batch_fields: Vec<Vec<String>> = Vec::with_capacity(batch_rows);
        loop {
            let more = reader
                .read_record(&mut record_in)
                .map_err(|e| damaged(e.to_string()))?;
            if more {
                let row = export
                    .columns
                    .iter()
                    .zip(record_in.iter())
                    .map(|(c, f)| decode_field(f, c.ty))
                    .collect::<std::result::Result<Vec<Value>, String>>()
                    .map_err(|e| damaged(format!("row {}: {e}", index + 1)))?;
                if row.len() != names.len() {
                    return Err(damaged(format!(
                        "row {} has {} fields",
                        index + 1,
                        row.len()
                    )));
                }
                digest.add(&row);
                // Rows a committed batch already dealt with are read only for the digest.
                if index >= self.progress.tables[i].import.rows_read {
                    batch.push(row);
                    batch_fields.push(record_in.iter().map(str::to_string).collect());
                }
                index += 1;
            }
            if batch.len() == batch_rows || (!more && !batch.is_empty()) {
                self.import_batch(i, &name, &names, &batch, &mut batch_fields, export.rows)?;
                batch.clear();
            }
            if !more {
                break;
            }
        }
        let found = digest.finish();
        if found.rows != export.rows || found.digest != export.digest {
            return Err(damaged(format!(
                "{} rows with digest {}, the manifest says {} rows with digest {}",
                found.rows, found.digest, export.rows, export.digest
            )));
        }
        self.crash.point(&format!("sqlmigrate:errors:{name}"))?;
        let rejected = std::mem::take(&mut self.progress.tables[i].import.rejected);
        if !rejected.is_empty() {
            self.write_errors(&name, &export.columns, &rejected)?;
        }
        let record = &mut self.progress.tables[i].import;
        record.rejected_total = rejected.len() as u64;
        record.done = true;
        self.save_table(i)
    }

    fn import_batch(
        &mut self,
        i: usize,
        name: &str,
        columns: &[String],
        rows: &[Vec<Value>],
        fields: &mut Vec<Vec<String>>,
        total: u64,
    ) -> Result<()> {
        let before: ImportRecord = self.progress.tables[i].import.clone();
        let n = before.rows_read / self.options.batch_rows.max(1) as u64 + 1;
        self.db.begin()?;
        let outcomes = match self.insert(name, columns, rows) {
            Ok(outcomes) => outcomes,
            Err(e) => {
                let _ = self.db.rollback();
                return Err(e);
            }
        };
        let mut pending = PendingBatch {
            rows_read: before.rows_read + rows.len() as u64,
            imported: before.imported,
            rejected: Vec::new(),
        };
        for (k, (outcome, row_fields)) in outcomes.into_iter().zip(fields.drain(..)).enumerate() {
            match outcome {
                RowOutcome::Imported => pending.imported += 1,
                RowOutcome::Rejected { reason } => pending.rejected.push(Rejection {
                    index: before.rows_read + k as u64,
                    fields: row_fields,
                    reason,
                }),
            }
        }
        self.progress.tables[i].import.pending = Some(pending.clone());
        self.save_table(i)?;
        self.crash
            .point(&format!("sqlmigrate:import:{name}:batch:{n}"))?;
        self.db.commit()?;
        self.crash
            .point(&format!("sqlmigrate:import:{name}:batch:{n}:committed"))?;
        // Not saved here: the pending record already says what this batch did, and a rerun
        // learns from the row count that the commit happened.
        let record = &mut self.progress.tables[i].import;
        record.pending = None;
        record.rows_read = pending.rows_read;
        record.imported = pending.imported;
        record.rejected.extend(pending.rejected);
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
        rows: &[Vec<Value>],
    ) -> Result<Vec<RowOutcome>> {
        match self.db.insert_batch(name, columns, rows) {
            Err(Error::Database { message, .. }) if self.db.describe(name)?.is_none() => {
                Ok(vec![RowOutcome::Rejected { reason: message }; rows.len()])
            }
            other => other,
        }
    }
}
