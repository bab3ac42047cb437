//! The import: each exported table read back from its TSV file and inserted in batches, one
//! transaction per batch, through the port's prepared insert; a row the 7.90 schema refuses
//! is kept with the engine's reason for the errors files (B43, B45).
//!
//! Rows go in export order, so of two rows with the same key the later one is refused, as
//! the fabricator's ledger records it.

use super::codec::decode_field_into;
use super::hashed::sha256_of;
use super::state::Rejection;
use super::{ProgressEvent, Run, Step, TableOrder};
use crate::db::{RowOutcome, Value};
use crate::error::{Error, Result};
use std::io::Seek;

/// One batch's rows as read (the fields, kept for the rows the database refuses) and as
/// values; allocated once per import and reused batch after batch, table after table.
#[derive(Default)]
struct Scratch {
    records: Vec<csv::StringRecord>,
    rows: Vec<Vec<Value>>,
}

impl Run<'_> {
    /// Imports every exported table whose import is not done, in `order`.
    pub(crate) fn import_all(&mut self, order: TableOrder) -> Result<()> {
        let mut scratch = Scratch::default();
        for i in order.import_indices(self.progress.tables.len()) {
            if self.progress.tables[i].export.is_some() && !self.progress.tables[i].import.done {
                self.import_table(i, &mut scratch)?;
            }
        }
        Ok(())
    }

    /// Imports one table from where its record says. Crash points:
    /// `sqlmigrate:import:<table>:batch:<n>` (outcome recorded, not committed),
    /// `sqlmigrate:import:<table>:batch:<n>:committed`, `sqlmigrate:errors:<table>`.
    fn import_table(&mut self, i: usize, scratch: &mut Scratch) -> Result<()> {
        let name = self.progress.tables[i].name.clone();
        let export = self.progress.tables[i].export.clone().expect("exported");
        let path = self.folder.child(&export.file);
        let exists = self.db.table_name(&name)?.is_some();
        let count = if exists {
            self.db.count_rows(&name)?
        } else {
            0
        };
        let base = match self.progress.tables[i].import.base_count {
            Some(base) => base,
            None => {
                self.progress
                    .import_started(self.host, &self.folder, i, count)?;
                count
            }
        };
        let record = &mut self.progress.tables[i].import;
        if let Some(pending) = record.pending.take() {
            // Did the pending batch's commit happen? The table's row count says.
            if count == base + pending.imported {
                record.commit(pending);
            }
        }

        // The file must be the one exported, byte for byte, before any of it is imported.
        let mut file = self.host.open_file(&path)?;
        let sha256 = match sha256_of(&mut file).and_then(|sha| file.rewind().map(|()| sha)) {
            Ok(sha256) => sha256,
            Err(e) => return Err(Error::io("read", self.host.real_path(&path)?)(e)),
        };
        if sha256 != export.sha256 {
            return Err(Error::ExportDamaged {
                path: path.clone(),
                detail: format!(
                    "its SHA-256 is {sha256}, the export recorded {}; restore the file from a copy, or start over from the database backup",
                    export.sha256
                ),
            });
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .quoting(false)
            .has_headers(true)
            .from_reader(file);
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
        let done_before = self.progress.tables[i].import.rows_read;
        let mut index = 0u64;
        let Scratch { records, rows } = scratch;
        for row in rows.iter_mut() {
            row.resize(names.len(), Value::Null);
        }
        let mut filled = 0;
        loop {
            if filled == records.len() {
                records.push(csv::StringRecord::new());
                rows.push(vec![Value::Null; names.len()]);
            }
            let record = &mut records[filled];
            let more = reader
                .read_record(record)
                .map_err(|e| damaged(e.to_string()))?;
            if more {
                if record.len() != names.len() {
                    return Err(damaged(format!(
                        "row {} has {} fields",
                        index + 1,
                        record.len()
                    )));
                }
                // Rows a committed batch already dealt with are read past.
                if index >= done_before {
                    let row = &mut rows[filled];
                    for ((slot, c), f) in row.iter_mut().zip(&export.columns).zip(record.iter()) {
                        decode_field_into(f, c.ty, slot)
                            .map_err(|e| damaged(format!("row {}: {e}", index + 1)))?;
                    }
                    filled += 1;
                }
                index += 1;
            }
            if filled == batch_rows || (!more && filled > 0) {
                self.import_batch(i, &name, &names, &rows[..filled], records, export.rows)?;
                filled = 0;
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
        self.crash.point(&format!("sqlmigrate:errors:{name}"))?;
        if self.progress.tables[i].import.rejected > 0 {
            self.write_errors(i, &export.columns)?;
        }
        self.progress.import_done(self.host, &self.folder, i)
    }

    fn import_batch(
        &mut self,
        i: usize,
        name: &str,
        columns: &[String],
        rows: &[Vec<Value>],
        records: &[csv::StringRecord],
        total: u64,
    ) -> Result<()> {
        let from = self.progress.tables[i].import.rows_read;
        let n = from / self.options.batch_rows.max(1) as u64 + 1;
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
        for (k, (outcome, fields)) in outcomes.into_iter().zip(records).enumerate() {
            match outcome {
                RowOutcome::Imported => imported += 1,
                RowOutcome::Rejected { reason } => rejected.push(Rejection {
                    index: from + k as u64,
                    fields: fields.iter().map(str::to_string).collect(),
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
        rows: &[Vec<Value>],
    ) -> Result<Vec<RowOutcome>> {
        match self.db.insert_batch(name, columns, rows) {
            Err(Error::Database { message, .. }) if self.db.table_name(name)?.is_none() => {
                Ok(vec![RowOutcome::Rejected { reason: message }; rows.len()])
            }
            other => other,
        }
    }
}
