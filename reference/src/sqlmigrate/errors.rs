//! The errors files of a table with refused rows (B43), in `<folder>\errors`:
//! `<table>.log` (each insert statement and the database's error), `<table>.tsv` (the rows as
//! exported, same header and encoding as the export) and `<table>.sql` (the insert
//! statements, to run again once the data is corrected).

use super::codec::{decode_field, insert_statement};
use super::state::{Journal, Rejection, ERRORS_DIR};
use super::Run;
use crate::db::{ColumnDef, Value};
use crate::error::{Error, Result};
use crate::host::HostFile;
use crate::winpath::WinPath;

/// A TSV writer: tab-separated, never quoted (the field encoding escapes tabs and line
/// breaks, so the file is plain `cut`-able TSV, as the export writes it).
fn tsv_writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Never)
        .from_writer(out)
}

/// Flushes a TSV writer and renames its file into place; returns the file's size.
fn finish_tsv(writer: csv::Writer<HostFile<'_>>, path: &WinPath) -> Result<u64> {
    let file = writer
        .into_inner()
        .map_err(|e| Error::from_stream("write", path, e.into_error()))?;
    file.finish()
}

/// Maps a csv error, bringing a `DriveFull` back out of it.
fn csv_error(path: &WinPath, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::from_stream("write", path, io),
        other => Error::Io {
            action: "write",
            path: path.to_string().into(),
            source: std::io::Error::other(format!("{other:?}")),
        },
    }
}

/// The insert statement of a refused row, from its exported fields.
fn statement(
    table: &str,
    names: &[String],
    columns: &[ColumnDef],
    r: &Rejection,
    tsv: &WinPath,
) -> Result<String> {
    let row = columns
        .iter()
        .zip(&r.fields)
        .map(|(c, f)| decode_field(f, c.ty))
        .collect::<std::result::Result<Vec<Value>, String>>()
        .map_err(|detail| Error::ExportDamaged {
            path: tsv.clone(),
            detail,
        })?;
    Ok(insert_statement(table, names, &row))
}

impl Run<'_> {
    /// Writes the three errors files of table `i` (each replaced whole, so a rerun after a
    /// crash writes the same bytes), streaming the refused rows from the progress journal.
    pub(crate) fn write_errors(&mut self, i: usize, columns: &[ColumnDef]) -> Result<()> {
        let table = self.progress.tables[i].name.clone();
        let refused = self.progress.tables[i].import.rejected;
        let dir = self.folder.child(ERRORS_DIR);
        let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        let progress = &self.progress;
        let tsv = dir.child(&format!("{table}.tsv"));

        let mut journal = Journal::open(self.host, &self.folder)?;
        let mut writer = tsv_writer(self.host.create_file(&tsv)?);
        writer
            .write_record(&names)
            .map_err(|e| csv_error(&tsv, e))?;
        progress.each_rejection(&mut journal, i, &mut |r| {
            writer
                .write_record(&r.fields)
                .map_err(|e| csv_error(&tsv, e))
        })?;
        finish_tsv(writer, &tsv)?;

        let sql = dir.child(&format!("{table}.sql"));
        let mut journal = Journal::open(self.host, &self.folder)?;
        let mut file = self.host.create_file(&sql)?;
        progress.each_rejection(&mut journal, i, &mut |r| {
            let mut line = statement(&table, &names, columns, r, &tsv)?;
            line.push('\n');
            file.write_bytes(line.as_bytes())
        })?;
        file.finish()?;

        let log = dir.child(&format!("{table}.log"));
        let mut journal = Journal::open(self.host, &self.folder)?;
        let mut file = self.host.create_file(&log)?;
        file.write_bytes(
            format!(
                "-- {table}: {refused} row(s) refused by the 7.90 schema; they are in {table}.tsv\n"
            )
            .as_bytes(),
        )?;
        progress.each_rejection(&mut journal, i, &mut |r| {
            let statement = statement(&table, &names, columns, r, &tsv)?;
            let entry = format!("row {}: {statement}\n  error: {}\n", r.index + 1, r.reason);
            file.write_bytes(entry.as_bytes())
        })?;
        file.finish()?;
        Ok(())
    }
}
