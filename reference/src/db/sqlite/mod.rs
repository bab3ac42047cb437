//! SQLite backend (rusqlite, bundled): the embedded stand-in for the customer's SQL Server.
//!
//! The database file lives on one of the host's drives and its size counts against that
//! drive: on open, `PRAGMA max_page_count` caps the file at what the drive can still hold,
//! so a write past the drive's capacity fails with SQLITE_FULL, reported as
//! [`Error::DriveFull`]. Foreign keys are enforced, but in the transaction of a batch that
//! [`Database::vet_batch`] found clean, where no row could break one (`vet.rs`).
//!
//! Whoever writes through this backend must call [`Host::refresh_usage`] afterwards: the
//! engine writes the file behind the host's back. The cap is taken when the database is
//! opened and covers the database file only; a rollback journal beside it is not counted.

mod feed;
mod insert;
mod scan;
mod vet;

use super::schema::{ColumnDef, ColumnType, ForeignKey, TableDef};
use super::{Database, RowBatch, RowOutcome, Value};
use crate::error::{Error, Result};
use crate::host::Host;
use crate::winpath::WinPath;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode};
use std::path::Path;

/// The ODBC driver name a DSN carries when the reporting database is SQLite.
pub const SQLITE_DRIVER: &str = "SQLite3 ODBC Driver";

/// A reporting database in a SQLite file.
pub struct SqliteDb {
    /// The prepared inserts of the table last inserted into (see `insert.rs`). Declared
    /// before the connection so they are finalized before it closes.
    inserts: Option<insert::Prepared>,
    /// The feed table set-based inserts read from, once registered on the connection.
    feed: Option<feed::Feed>,
    /// How the batches of the table last vetted are vetted (see `vet.rs`).
    vet: Option<vet::Vet>,
    /// Whether the engine enforces foreign keys now: always, but in the transaction of a
    /// batch vetted clean.
    keys_enforced: bool,
    /// The batch found clean (its table and where its rows lie), for the next transaction.
    vetted: Option<(String, usize)>,
    /// The batch the open transaction may insert with foreign keys unenforced.
    unenforced_for: Option<(String, usize)>,
    conn: Connection,
    /// The tables' names by their lowercase, once listed: sqlmigrate asks after each of its
    /// 151 tables several times, and `sqlite_master` has no index to find one by. Kept in
    /// step with the drops and creates made here; forgotten after a rollback, a failed
    /// change, or when the connection is lent out.
    tables: Option<std::collections::HashMap<String, String>>,
    /// The database file as the host names it, for `DriveFull` (`None` outside a host).
    file: Option<WinPath>,
    /// The most bytes the file may grow to (its drive's capacity), if capped.
    limit: Option<u64>,
    /// The real file, to tell how much room was left when the drive filled.
    real: std::path::PathBuf,
}

impl std::fmt::Debug for SqliteDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteDb")
            .field("file", &self.file)
            .field("limit", &self.limit)
            .finish()
    }
}

/// Opens the SQLite database the host's DSN names, or `None` when the host has no DSN.
/// A DSN of another driver is refused: only the SQLite backend is built in.
pub fn open_host(host: &Host) -> Result<Option<SqliteDb>> {
    let Some(dsn) = &host.state().registry.dsn else {
        return Ok(None);
    };
    if !dsn.driver.eq_ignore_ascii_case(SQLITE_DRIVER) {
        return Err(Error::UnsupportedDsnDriver {
            dsn: dsn.name.clone(),
            driver: dsn.driver.clone(),
        });
    }
    let file = WinPath::parse(&dsn.database)?;
    SqliteDb::open_on_host(host, &file).map(Some)
}

/// Quotes an SQL identifier (table and column names such as `Default` are keywords).
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl SqliteDb {
    /// Opens (creating if needed) the database file `file` of `host`, capped at the free
    /// space of its drive.
    pub fn open_on_host(host: &Host, file: &WinPath) -> Result<SqliteDb> {
        let real = host.real_path(file)?;
        if let Some(parent) = real.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
        }
        let existing = std::fs::metadata(&real).map(|m| m.len()).unwrap_or(0);
        // The host counted the file already (if it refreshed its usage after the last
        // write), so the file may grow to its size plus the drive's free space.
        let limit = existing + host.free(file.drive())?;
        let mut db = SqliteDb::open_file(&real, Some(limit))?;
        db.file = Some(file.clone());
        Ok(db)
    }

    /// Opens (creating if needed) a database file outside any host, optionally capped at
    /// `limit` bytes.
    pub fn open_file(path: &Path, limit: Option<u64>) -> Result<SqliteDb> {
        let conn = Connection::open(path).map_err(|e| Error::Database {
            context: format!("opening {}", path.display()),
            message: format!("{e}; check that the DSN's database file is a SQLite database"),
        })?;
        let db = SqliteDb {
            conn,
            file: None,
            limit,
            real: path.to_path_buf(),
            inserts: None,
            feed: None,
            vet: None,
            keys_enforced: true,
            vetted: None,
            unenforced_for: None,
            tables: None,
        };
        // synchronous = OFF: the rollback journal still makes every transaction atomic against
        // a killed process (the fault hpcasim models, as the host's own writes do); what it
        // skips is the fsync that only a power cut would need, and which would otherwise
        // dominate a migration of 151 tables committed batch by batch. journal_mode =
        // TRUNCATE keeps the journal file between transactions (empty) instead of creating and
        // deleting it for each one; a hot journal left by a kill is rolled back all the same.
        // cache_size: 64 MiB of pages (the default is 2 MiB): a large table's primary-key and
        // foreign-key look-ups stay in memory as its import proceeds; memory stays bounded.
        // temp_store = MEMORY: the statement journal a multi-row insert keeps (the pages it
        // changed, to undo it if a row is refused) stays in memory instead of a temporary
        // file, which the engine would create outside the host folder and which cost a
        // tenth of an import in writes; it holds one statement's pages at most, and nothing
        // here sorts (tables stream in rowid order) or creates temporary tables.
        db.conn
            .execute_batch(
                "PRAGMA foreign_keys = ON; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536; \
                 PRAGMA temp_store = MEMORY;",
            )
            .map_err(|e| db.error("enabling foreign keys", e))?;
        db.conn
            .query_row("PRAGMA journal_mode = TRUNCATE", [], |_| Ok(()))
            .map_err(|e| db.error("choosing the journal mode", e))?;
        if let Some(limit) = limit {
            let page_size = db
                .conn
                .query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0))
                .map_err(|e| db.error("reading the page size", e))?
                .max(512) as u64;
            let pages = (limit / page_size).max(1);
            db.conn
                .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
                .map_err(|e| db.error("capping the file at the drive's size", e))?;
        }
        Ok(db)
    }

    /// The connection, for the fabricator's bulk loading (prepared statements in one
    /// transaction); map its errors with [`SqliteDb::error`].
    pub fn connection(&mut self) -> Result<&mut Connection> {
        self.keys_enforced_for(|| "lending the connection".into(), None)?;
        // Whatever is done through it, the list of tables is read again afterwards.
        self.tables = None;
        self.vet = None;
        Ok(&mut self.conn)
    }

    /// Turns the engine's enforcement of foreign keys on or off, outside a transaction
    /// (inside one, the engine would silently keep it as it is).
    fn enforce_keys(&mut self, enforced: bool) -> Result<()> {
        if self.keys_enforced == enforced {
            return Ok(());
        }
        if !self.conn.is_autocommit() {
            return Err(Error::Database {
                context: "switching foreign-key checks".into(),
                message:
                    "a transaction is open; foreign-key checks change between transactions only"
                        .into(),
            });
        }
        let sql = match enforced {
            true => "PRAGMA foreign_keys = ON",
            false => "PRAGMA foreign_keys = OFF",
        };
        self.run(|| "switching foreign-key checks".into(), sql)?;
        self.keys_enforced = enforced;
        Ok(())
    }

    /// Enforces foreign keys again before a change, but for the batch vetted clean in its
    /// transaction; refuses the change inside that transaction.
    fn keys_enforced_for(
        &mut self,
        what: impl FnOnce() -> String,
        batch: Option<(&str, usize)>,
    ) -> Result<()> {
        let vetted = self
            .unenforced_for
            .as_ref()
            .map(|(t, at)| (t.as_str(), *at));
        if self.keys_enforced || (batch.is_some() && vetted == batch) {
            return Ok(());
        }
        if self.conn.is_autocommit() {
            return self.enforce_keys(true);
        }
        Err(Error::Database {
            context: what(),
            message: "foreign keys go unenforced in this transaction, for a batch vetted clean; \
                      commit or roll it back first"
                .into(),
        })
    }

    /// Keeps the known table names in step with a change that went through (`update`), or
    /// forgets them after one that failed, which may have rolled back the transaction.
    fn track_tables<T>(
        &mut self,
        result: &Result<T>,
        update: impl FnOnce(&mut std::collections::HashMap<String, String>),
    ) {
        match (result, &mut self.tables) {
            (Ok(_), Some(tables)) => update(tables),
            (Ok(_), None) => {}
            (Err(_), tables) => *tables = None,
        }
    }

    /// Maps an engine error: SQLITE_FULL becomes [`Error::DriveFull`] on the file's drive.
    pub fn error(&self, context: &str, e: rusqlite::Error) -> Error {
        if e.sqlite_error_code() == Some(ErrorCode::DiskFull) {
            if let Some(file) = &self.file {
                let size = std::fs::metadata(&self.real).map(|m| m.len()).unwrap_or(0);
                return Error::DriveFull {
                    drive: file.drive(),
                    path: file.clone(),
                    // At least one more page; the engine does not say how many it wanted.
                    needed: 4096,
                    free: self.limit.unwrap_or(0).saturating_sub(size),
                };
            }
        }
        Error::Database {
            context: context.to_string(),
            message: e.to_string(),
        }
    }

    /// Registers the feed table (`feed.rs`) on the connection, once.
    fn register_feed(&mut self, context: &str) -> Result<()> {
        if self.feed.is_none() {
            let feed = feed::Feed::register(&self.conn).map_err(|e| self.error(context, e))?;
            self.feed = Some(feed);
        }
        Ok(())
    }

    /// Ends what a transaction that went without enforcing foreign keys allowed. Enforcement
    /// comes back before anything else changes the database (see `keys_enforced_for`), not
    /// here: the next batch is most likely clean too, and each switch makes the engine
    /// prepare its statements again.
    fn end_transaction(&mut self) {
        self.unenforced_for = None;
    }

    /// Runs a statement without parameters that is run again and again (a transaction's
    /// begin and commit), parsed once.
    fn run_cached(&self, context: &str, sql: &str) -> Result<()> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut stmt| stmt.execute([]))
            .map(drop)
            .map_err(|e| self.error(context, e))
    }

    fn run(&self, context: impl FnOnce() -> String, sql: &str) -> Result<()> {
        self.conn
            .execute_batch(sql)
            .map_err(|e| self.error(&context(), e))
    }
}

/// The declared SQL type of a column type.
fn sql_type(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Integer => "INTEGER",
        ColumnType::Real => "REAL",
        ColumnType::Text => "TEXT",
        ColumnType::Timestamp => "TIMESTAMP",
        ColumnType::Blob => "BLOB",
    }
}

fn column_type(declared: &str) -> ColumnType {
    match declared.to_ascii_uppercase().as_str() {
        "INTEGER" | "INT" | "BIGINT" => ColumnType::Integer,
        "REAL" | "FLOAT" | "DOUBLE" => ColumnType::Real,
        "TIMESTAMP" | "DATETIME" => ColumnType::Timestamp,
        "BLOB" => ColumnType::Blob,
        _ => ColumnType::Text,
    }
}

/// The `CREATE TABLE` statement of a definition.
pub fn create_sql(def: &TableDef) -> String {
    let mut parts: Vec<String> = def
        .columns
        .iter()
        .map(|c| {
            let not_null = if c.not_null { " NOT NULL" } else { "" };
            format!("{} {}{not_null}", quote(&c.name), sql_type(c.ty))
        })
        .collect();
    let list = |cols: &[String]| cols.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ");
    if !def.primary_key.is_empty() {
        parts.push(format!("PRIMARY KEY ({})", list(&def.primary_key)));
    }
    for fk in &def.foreign_keys {
        parts.push(format!(
            "FOREIGN KEY ({}) REFERENCES {} ({})",
            list(&fk.columns),
            quote(&fk.parent),
            list(&fk.parent_columns)
        ));
    }
    format!("CREATE TABLE {} ({})", quote(&def.name), parts.join(", "))
}

/// The `INSERT` statement for `columns` of `table`, one `?` per column.
pub fn insert_sql(table: &str, columns: &[String]) -> String {
    insert::insert_rows_sql(table, columns, 1)
}

fn to_value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// [`to_value`] into `slot`, reusing the text buffer it holds.
fn set_value(slot: &mut Value, v: ValueRef<'_>) {
    match (slot, v) {
        (Value::Text(text), ValueRef::Text(t)) => {
            text.clear();
            // The fast check first: text the engine holds is UTF-8 unless a writer broke it.
            match std::str::from_utf8(t) {
                Ok(t) => text.push_str(t),
                Err(_) => text.push_str(&String::from_utf8_lossy(t)),
            }
        }
        (slot, v) => *slot = to_value(v),
    }
}

impl SqliteDb {
    /// Runs `visit` on every row of `table`, in the stable order [`Database::stream_rows`]
    /// promises: insertion order (rowid), the order sqlmigrate exports in. Returns the count.
    fn each_row(
        &self,
        table: &str,
        visit: &mut dyn FnMut(&rusqlite::Row<'_>) -> Result<()>,
    ) -> Result<u64> {
        let context = || format!("reading {table}");
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT * FROM {} ORDER BY rowid", quote(table)))
            .map_err(|e| self.error(&context(), e))?;
        let mut rows = stmt.query([]).map_err(|e| self.error(&context(), e))?;
        let mut count = 0;
        loop {
            match rows.next() {
                Ok(Some(row)) => visit(row)?,
                Ok(None) => return Ok(count),
                Err(e) => return Err(self.error(&context(), e)),
            }
            count += 1;
        }
    }

    /// Value `i` of a row of `table` that [`SqliteDb::each_row`] visits.
    fn value<'r>(&self, table: &str, row: &'r rusqlite::Row<'_>, i: usize) -> Result<ValueRef<'r>> {
        row.get_ref(i)
            .map_err(|e| self.error(&format!("reading {table}"), e))
    }
}

impl Database for SqliteDb {
    fn server_version(&mut self) -> Result<String> {
        Ok(format!("SQLite {}", rusqlite::version()))
    }

    fn table_names(&mut self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .map_err(|e| self.error("listing tables", e))?;
        let names = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>());
        drop(stmt);
        names.map_err(|e| self.error("listing tables", e))
    }

    fn table_name(&mut self, table: &str) -> Result<Option<String>> {
        if self.tables.is_none() {
            let names = self.table_names()?;
            self.tables = Some(names.into_iter().map(|n| (n.to_lowercase(), n)).collect());
        }
        let tables = self.tables.as_ref().expect("listed above");
        Ok(tables.get(&table.to_lowercase()).cloned())
    }

    fn describe(&mut self, table: &str) -> Result<Option<TableDef>> {
        let context = || format!("describing {table}");
        let Some(name) = self.table_name(table)? else {
            return Ok(None);
        };
        let mut columns = Vec::new();
        let mut keyed: Vec<(i64, String)> = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare(&format!("PRAGMA table_info({})", quote(&name)))
                .map_err(|e| self.error(&context(), e))?;
            let mut rows = stmt.query([]).map_err(|e| self.error(&context(), e))?;
            while let Some(r) = rows.next().map_err(|e| self.error(&context(), e))? {
                let col: String = r.get(1).map_err(|e| self.error(&context(), e))?;
                let ty: String = r.get(2).map_err(|e| self.error(&context(), e))?;
                let not_null: bool = r.get(3).map_err(|e| self.error(&context(), e))?;
                let pk: i64 = r.get(5).map_err(|e| self.error(&context(), e))?;
                if pk > 0 {
                    keyed.push((pk, col.clone()));
                }
                columns.push(ColumnDef {
                    name: col,
                    ty: column_type(&ty),
                    not_null,
                });
            }
        }
        keyed.sort();
        // SQLite numbers foreign keys from the last declared; sort back to declaration order.
        let mut fks: Vec<(i64, i64, ForeignKey)> = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare(&format!("PRAGMA foreign_key_list({})", quote(&name)))
                .map_err(|e| self.error(&context(), e))?;
            let mut rows = stmt.query([]).map_err(|e| self.error(&context(), e))?;
            while let Some(r) = rows.next().map_err(|e| self.error(&context(), e))? {
                let get = |i| r.get::<_, String>(i);
                let id: i64 = r.get(0).map_err(|e| self.error(&context(), e))?;
                let seq: i64 = r.get(1).map_err(|e| self.error(&context(), e))?;
                let (parent, from, to) = (get(2), get(3), get(4));
                let (parent, from, to) = match (parent, from, to) {
                    (Ok(p), Ok(f), Ok(t)) => (p, f, t),
                    (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                        return Err(self.error(&context(), e))
                    }
                };
                match fks.iter_mut().find(|(i, _, _)| *i == id) {
                    Some((_, _, fk)) => {
                        fk.columns.push(from);
                        fk.parent_columns.push(to);
                    }
                    None => fks.push((
                        id,
                        seq,
                        ForeignKey {
                            columns: vec![from],
                            parent,
                            parent_columns: vec![to],
                        },
                    )),
                }
            }
        }
        fks.sort_by_key(|(id, _, _)| std::cmp::Reverse(*id));
        Ok(Some(TableDef {
            name,
            columns,
            primary_key: keyed.into_iter().map(|(_, c)| c).collect(),
            foreign_keys: fks.into_iter().map(|(_, _, fk)| fk).collect(),
        }))
    }

    fn count_rows(&mut self, table: &str) -> Result<u64> {
        self.conn
            .query_row(&format!("SELECT COUNT(*) FROM {}", quote(table)), [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.error(&format!("counting the rows of {table}"), e))
    }

    fn stream_rows(
        &mut self,
        table: &str,
        visit: &mut dyn FnMut(&mut [Value]) -> Result<()>,
    ) -> Result<u64> {
        // One slot per column, reused row after row (text buffers included).
        let mut values = Vec::new();
        self.each_row(table, &mut |row| {
            values.resize(row.as_ref().column_count(), Value::Null);
            for (i, slot) in values.iter_mut().enumerate() {
                set_value(slot, self.value(table, row, i)?);
            }
            visit(&mut values)
        })
    }

    fn stream_batches(
        &mut self,
        table: &str,
        per_batch: usize,
        visit: &mut dyn FnMut(&mut RowBatch) -> Result<()>,
    ) -> Result<u64> {
        let sql = format!("SELECT * FROM {} ORDER BY rowid", quote(table));
        scan::scan(&self.conn, &sql, per_batch, visit).map_err(|stop| match stop {
            scan::Stop::Engine(e) => self.error(&format!("reading {table}"), e),
            scan::Stop::Visitor(e) => e,
        })
    }

    fn drop_table(&mut self, table: &str) -> Result<()> {
        self.keys_enforced_for(|| format!("dropping {table}"), None)?;
        self.inserts = None;
        self.vet = None;
        let dropped = self.run(
            || format!("dropping {table}"),
            &format!("DROP TABLE {}", quote(table)),
        );
        self.track_tables(&dropped, |tables| {
            tables.remove(&table.to_lowercase());
        });
        dropped
    }

    fn create_table(&mut self, def: &TableDef) -> Result<()> {
        self.keys_enforced_for(|| format!("creating {}", def.name), None)?;
        self.inserts = None;
        self.vet = None;
        let created = self.run(|| format!("creating {}", def.name), &create_sql(def));
        self.track_tables(&created, |tables| {
            tables.insert(def.name.to_lowercase(), def.name.clone());
        });
        created
    }

    fn insert_batch(
        &mut self,
        table: &str,
        columns: &[String],
        rows: &RowBatch,
    ) -> Result<Vec<RowOutcome>> {
        let batch = (table, rows as *const RowBatch as usize);
        self.keys_enforced_for(|| format!("inserting into {table}"), Some(batch))?;
        let inserted = insert::insert_batch(self, table, columns, rows);
        // An error may have rolled the transaction back, and with it a table made in it.
        self.track_tables(&inserted, |_| {});
        inserted
    }

    fn hold_exclusively(&mut self) -> Result<()> {
        self.conn
            .query_row("PRAGMA locking_mode = EXCLUSIVE", [], |_| Ok(()))
            .map_err(|e| self.error("taking the database for sqlmigrate alone", e))
    }

    fn vet_batch(&mut self, table: &str, columns: &[String], rows: &RowBatch) -> Result<()> {
        self.vetted = None;
        if !self.conn.is_autocommit() {
            return Ok(());
        }
        let context = || format!("checking the foreign keys of rows for {table}");
        self.register_feed(&context())?;
        if !self.vet.as_ref().is_some_and(|v| v.serves(table, columns)) {
            // The plan prepares the insert as the engine would run it: keys enforced.
            self.enforce_keys(true)?;
            self.vet = Some(vet::Vet::plan(&self.conn, table, columns));
        }
        let vet = self.vet.as_mut().expect("planned above");
        let feed = self.feed.as_mut().expect("registered above");
        let clean = vet
            .clean(&self.conn, feed, rows)
            .map_err(|e| self.error(&context(), e))?;
        if clean {
            self.vetted = Some((table.to_string(), rows as *const RowBatch as usize));
        }
        Ok(())
    }

    fn begin(&mut self) -> Result<()> {
        let vetted = self.vetted.take();
        self.enforce_keys(vetted.is_none())?;
        self.run_cached("starting a transaction", "BEGIN")?;
        self.unenforced_for = vetted;
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        let committed = self.run_cached("committing", "COMMIT");
        self.track_tables(&committed, |_| {});
        // A failed commit may have ended the transaction all the same (rolled back).
        if !self.conn.is_autocommit() {
            return committed;
        }
        self.end_transaction();
        committed
    }

    fn rollback(&mut self) -> Result<()> {
        // Tables made or dropped in the transaction are back as they were.
        self.tables = None;
        // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL among
        // them); the caller's rollback then has nothing left to do.
        if !self.conn.is_autocommit() {
            self.run(|| "rolling back".into(), "ROLLBACK")?;
        }
        self.end_transaction();
        Ok(())
    }
}
