//! The errors files of a table with refused rows (B43), in `<folder>\errors`:
//! `<table>.log` (each insert statement and the database's error), `<table>.tsv` (the rows as
//! exported, same header and encoding as the export) and `<table>.sql` (the insert
//! statements, to run again once the data is corrected).

use super::codec::{decode_field, insert_statement};
use super::export::{csv_error, finish_tsv, tsv_writer};
use super::state::{Rejection, ERRORS_DIR};
use super::Run;
use crate::db::{ColumnDef, Value};
use crate::error::{Error, Result};

impl Run<'_> {
    /// Writes the three errors files of `table` (each replaced whole, so a rerun after a
    /// crash writes the same bytes).
    pub(crate) fn write_errors(
        &mut self,
        table: &str,
        columns: &[ColumnDef],
        rejected: &[Rejection],
    ) -> Result<()> {
        let dir = self.folder.child(ERRORS_DIR);
        let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();

        let tsv = dir.child(&format!("{table}.tsv"));
        let mut writer = tsv_writer(self.host.create_file(&tsv)?);
        writer
            .write_record(&names)
            .map_err(|e| csv_error(&tsv, e))?;
        for r in rejected {
            writer
                .write_record(&r.fields)
                .map_err(|e| csv_error(&tsv, e))?;
        }
        finish_tsv(writer, &tsv)?;

        let statements: Vec<String> = rejected
            .iter()
            .map(|r| {
                let row = columns
                    .iter()
                    .zip(&r.fields)
                    .map(|(c, f)| decode_field(f, c.ty))
                    .collect::<std::result::Result<Vec<Value>, String>>()
                    .map_err(|detail| Error::ExportDamaged {
                        path: tsv.clone(),
                        detail,
                    })?;
                Ok(insert_statement(table, &names, &row))
            })
            .collect::<Result<_>>()?;

        let sql = dir.child(&format!("{table}.sql"));
        let mut file = self.host.create_file(&sql)?;
        for statement in &statements {
            file.write_bytes(statement.as_bytes())?;
            file.write_bytes(b"\n")?;
        }
        file.finish()?;

        let log = dir.child(&format!("{table}.log"));
        let mut file = self.host.create_file(&log)?;
        file.write_bytes(
            format!(
                "-- {table}: {} row(s) refused by the 7.90 schema; they are in {table}.tsv\n",
                rejected.len()
            )
            .as_bytes(),
        )?;
        for (statement, r) in statements.iter().zip(rejected) {
            let entry = format!("row {}: {statement}\n  error: {}\n", r.index + 1, r.reason);
            file.write_bytes(entry.as_bytes())?;
        }
        file.finish()?;
        Ok(())
    }
}
