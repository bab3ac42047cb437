//! The database port: the one interface through which the reference migrator reads and
//! writes the HPCA reporting database, whatever engine holds it.
//!
//! Codemap: `schema` (table definitions; `catalogue(version)`, `appendix_a()`), `catalogue`
//! (the 151 Appendix A tables and their parents, as data), `sqlite` (the SQLite backend and
//! [`open`]'s DSN resolution), `digest` (order-independent table digests for the dump),
//! `batch` (the compact batch of rows an insert takes).
//!
//! Architecture Invariant: no operation here holds a whole table in memory. Rows leave the
//! database through a visitor, one at a time, and enter it in caller-sized batches.

mod batch;
mod catalogue;
pub mod digest;
pub mod schema;
pub mod sqlite;

use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::fmt;

pub use batch::{RowBatch, ValueRef};
pub use schema::{ColumnDef, ColumnType, ForeignKey, TableDef};

/// One value of a row, in the types every backend shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Real(r) => write!(f, "{r:?}"),
            Value::Text(t) => f.write_str(t),
            Value::Blob(b) => {
                f.write_str("0x")?;
                b.iter().try_for_each(|byte| write!(f, "{byte:02X}"))
            }
        }
    }
}

/// What became of one row offered to [`Database::insert_batch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// The row is in the table.
    Imported,
    /// The database refused the row; `reason` is the engine's own message.
    Rejected { reason: String },
}

/// The reporting database, as the migration needs it.
pub trait Database {
    /// The engine and its version, for reports ("SQLite 3.46.0").
    fn server_version(&mut self) -> Result<String>;
    /// The user tables, sorted by name.
    fn table_names(&mut self) -> Result<Vec<String>>;
    /// A table's columns, primary key and foreign keys as the database has them, or `None`
    /// when the table does not exist.
    fn describe(&mut self, table: &str) -> Result<Option<TableDef>>;
    /// The table's name as the database spells it, or `None` when it does not exist (names
    /// compare case aside). Cheaper than [`Database::describe`] where only existence matters.
    fn table_name(&mut self, table: &str) -> Result<Option<String>> {
        Ok(self.describe(table)?.map(|def| def.name))
    }
    /// The number of rows in a table.
    fn count_rows(&mut self, table: &str) -> Result<u64>;
    /// Streams every row of `table`, in a stable order, to `visit`; returns the row count.
    /// `visit` gets the values in the order of [`Database::describe`]'s columns, in slots it
    /// may take the values out of (swapping in others, whose buffers the next row reuses).
    fn stream_rows(
        &mut self,
        table: &str,
        visit: &mut dyn FnMut(&mut [Value]) -> Result<()>,
    ) -> Result<u64>;
    /// [`Database::stream_rows`], `per_batch` rows at a time: `visit` gets a batch of that
    /// many rows, fewer only at the end, never none. It may swap the batch for another, which
    /// is cleared and filled next. Returns the row count.
    fn stream_batches(
        &mut self,
        table: &str,
        per_batch: usize,
        visit: &mut dyn FnMut(&mut RowBatch) -> Result<()>,
    ) -> Result<u64> {
        let mut batch = RowBatch::default();
        let count = self.stream_rows(table, &mut |row| {
            if batch.is_empty() {
                batch.clear(row.len());
            }
            row.iter().for_each(|v| batch.push(v.into()));
            if batch.len() >= per_batch {
                visit(&mut batch)?;
                batch.clear(0);
            }
            Ok(())
        })?;
        if !batch.is_empty() {
            visit(&mut batch)?;
        }
        Ok(count)
    }
    /// Drops a table.
    fn drop_table(&mut self, table: &str) -> Result<()>;
    /// Creates a table from its definition (columns, keys, constraints).
    fn create_table(&mut self, def: &TableDef) -> Result<()>;
    /// Inserts rows (values in `columns` order); each row is imported or rejected with the
    /// engine's reason, and a rejected row changes nothing.
    fn insert_batch(
        &mut self,
        table: &str,
        columns: &[String],
        rows: &RowBatch,
    ) -> Result<Vec<RowOutcome>>;
    /// Keeps the engine's lock on the database between transactions, for a long job that is
    /// its only user (sqlmigrate runs with the Core service stopped): each of its thousands of
    /// transactions then skips taking the lock and re-validating its cache. Until the handle
    /// is dropped, no other connection can use the database. A no-op where the engine has no
    /// such mode.
    fn hold_exclusively(&mut self) -> Result<()> {
        Ok(())
    }
    /// Looks at a batch before the transaction that inserts it (called outside a
    /// transaction, right before [`Database::begin`]), so that the engine may insert it
    /// faster with the same outcome for every row: the SQLite backend leaves foreign keys
    /// unchecked in that transaction when one query shows that every row has its parents.
    /// Does nothing where the engine has no such shortcut.
    fn vet_batch(&mut self, _table: &str, _columns: &[String], _rows: &RowBatch) -> Result<()> {
        Ok(())
    }
    /// Starts a transaction.
    fn begin(&mut self) -> Result<()>;
    /// Commits the open transaction.
    fn commit(&mut self) -> Result<()>;
    /// Rolls the open transaction back.
    fn rollback(&mut self) -> Result<()>;
}

/// Opens the reporting database the host's DSN names, or `None` when the host has no DSN
/// (a Satellite). Foreign keys are enforced. Whoever writes through it must call
/// [`crate::Host::refresh_usage`] afterwards, since the engine writes the file itself.
pub fn open(host: &crate::host::Host) -> Result<Option<Box<dyn Database>>> {
    Ok(sqlite::open_host(host)?.map(|db| Box::new(db) as Box<dyn Database>))
}
