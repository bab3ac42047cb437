//! A virtual table through which the engine reads a batch of rows straight from the
//! caller's values, so that a batch enters its table in one set-based statement,
//! `INSERT INTO t (...) SELECT c0, c1, ... FROM hpcasim_feed`: the engine's own copy loop
//! (the one `INSERT ... SELECT` between two tables runs), with no statement to bind, step
//! and reset for every few rows.
//!
//! The table is eponymous (it exists on every connection the module is registered on,
//! without `CREATE VIRTUAL TABLE`) and has [`COLUMNS`] untyped columns, of which a
//! statement selects as many as its table has; a row shorter than that reads NULL beyond
//! its end. What it holds is whatever [`Feed::rows`] lent it for the length of one
//! statement: nothing otherwise.
//!
//! Text and blobs are handed to the engine in place (`SQLITE_STATIC`), as the bound inserts
//! of `insert.rs` do; they are read while the statement runs, during which the batch they
//! lie in is borrowed unchanged.

use crate::db::{RowBatch, ValueRef};
use rusqlite::{ffi, Connection};
use std::cell::Cell;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr::NonNull;

/// The module's (and the table's) name.
pub(super) const TABLE: &str = "hpcasim_feed";
const TABLE_C: &CStr = c"hpcasim_feed";
/// The columns the table offers: more than any table of the reporting database has (the
/// widest has 17); a wider table is inserted into by bound statements instead.
pub(super) const COLUMNS: usize = 64;

/// The rows lent to the table for one statement (rows `from..from + len` of `batch`), shared
/// by the module's tables and cursors (the module's client data, freed by the engine when the
/// connection closes).
struct Shared {
    batch: Cell<*const RowBatch>,
    from: Cell<usize>,
    len: Cell<usize>,
}

/// The connection's feed: registered once, then lent rows statement by statement.
pub(super) struct Feed {
    shared: NonNull<Shared>,
}

// SAFETY: the shared cells are only touched by the connection's engine while one of its
// statements runs and by `Feed::rows`, both on the thread that holds the `SqliteDb` (through
// `&mut`); they move between threads together with the connection, as `Insert` does.
unsafe impl Send for Feed {}

impl Feed {
    /// Registers the module on `conn`. The feed is valid for as long as the connection is
    /// open (the connection frees its shared state when it closes).
    pub(super) fn register(conn: &Connection) -> rusqlite::Result<Feed> {
        let shared = Box::into_raw(Box::new(Shared {
            batch: Cell::new(std::ptr::null()),
            from: Cell::new(0),
            len: Cell::new(0),
        }));
        // SAFETY: `MODULE` is static; the client data is a leaked box that the engine hands
        // to `free_shared` exactly once, when the module is dropped (also on failure here).
        let rc = unsafe {
            ffi::sqlite3_create_module_v2(
                conn.handle(),
                TABLE_C.as_ptr(),
                &MODULE,
                shared.cast(),
                Some(free_shared),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(rusqlite::Error::SqliteFailure(
                ffi::Error::new(rc),
                Some(format!("registering the {TABLE} virtual table")),
            ));
        }
        Ok(Feed {
            shared: NonNull::new(shared).expect("a box is never null"),
        })
    }

    /// Lends rows `range` of `batch` to the table while `run` executes a statement that
    /// reads it; the table is empty again when this returns.
    pub(super) fn rows<T>(
        &mut self,
        batch: &RowBatch,
        range: std::ops::Range<usize>,
        run: impl FnOnce() -> T,
    ) -> T {
        assert!(range.end <= batch.len(), "rows of the batch");
        // SAFETY: the shared state lives as long as the connection, which outlives `self`.
        let shared = unsafe { self.shared.as_ref() };
        shared.batch.set(batch);
        shared.from.set(range.start);
        shared.len.set(range.len());
        let result = run();
        shared.batch.set(std::ptr::null());
        shared.len.set(0);
        result
    }
}

unsafe extern "C" fn free_shared(data: *mut c_void) {
    // SAFETY: `data` is the box leaked in `register`, freed once, here.
    drop(unsafe { Box::from_raw(data.cast::<Shared>()) });
}

#[repr(C)]
struct Table {
    base: ffi::sqlite3_vtab,
    shared: *const Shared,
}

#[repr(C)]
struct Cursor {
    base: ffi::sqlite3_vtab_cursor,
    shared: *const Shared,
    row: usize,
}

static MODULE: ffi::sqlite3_module = ffi::sqlite3_module {
    iVersion: 1,
    // No xCreate: the table is eponymous only.
    xCreate: None,
    xConnect: Some(connect),
    xBestIndex: Some(best_index),
    xDisconnect: Some(disconnect),
    xDestroy: Some(disconnect),
    xOpen: Some(open),
    xClose: Some(close),
    xFilter: Some(filter),
    xNext: Some(next),
    xEof: Some(eof),
    xColumn: Some(column),
    xRowid: Some(rowid),
    xUpdate: None,
    xBegin: None,
    xSync: None,
    xCommit: None,
    xRollback: None,
    xFindFunction: None,
    xRename: None,
    xSavepoint: None,
    xRelease: None,
    xRollbackTo: None,
    xShadowName: None,
    xIntegrity: None,
};

unsafe extern "C" fn connect(
    db: *mut ffi::sqlite3,
    aux: *mut c_void,
    _argc: c_int,
    _argv: *const *const c_char,
    table: *mut *mut ffi::sqlite3_vtab,
    _err: *mut *mut c_char,
) -> c_int {
    let columns: Vec<String> = (0..COLUMNS).map(|i| format!("c{i}")).collect();
    let sql = std::ffi::CString::new(format!("CREATE TABLE x({})", columns.join(", ")))
        .expect("no NUL in column names");
    // SAFETY: called by the engine with its connection and our client data.
    unsafe {
        let rc = ffi::sqlite3_declare_vtab(db, sql.as_ptr());
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        *table = Box::into_raw(Box::new(Table {
            base: std::mem::zeroed(),
            shared: aux.cast(),
        }))
        .cast();
    }
    ffi::SQLITE_OK
}

unsafe extern "C" fn best_index(
    table: *mut ffi::sqlite3_vtab,
    info: *mut ffi::sqlite3_index_info,
) -> c_int {
    // SAFETY: the engine passes our table and a valid index info; a full scan is the only
    // plan, and its cost is the rows lent (or some, when planned before any are).
    unsafe {
        let shared = &*(*table.cast::<Table>()).shared;
        let rows = shared.len.get().max(1) as f64;
        (*info).estimatedCost = rows;
        (*info).estimatedRows = rows as i64;
    }
    ffi::SQLITE_OK
}

unsafe extern "C" fn disconnect(table: *mut ffi::sqlite3_vtab) -> c_int {
    // SAFETY: the box leaked in `connect`, freed once, here.
    drop(unsafe { Box::from_raw(table.cast::<Table>()) });
    ffi::SQLITE_OK
}

unsafe extern "C" fn open(
    table: *mut ffi::sqlite3_vtab,
    cursor: *mut *mut ffi::sqlite3_vtab_cursor,
) -> c_int {
    // SAFETY: the engine passes our table and somewhere to put the cursor.
    unsafe {
        *cursor = Box::into_raw(Box::new(Cursor {
            base: std::mem::zeroed(),
            shared: (*table.cast::<Table>()).shared,
            row: 0,
        }))
        .cast();
    }
    ffi::SQLITE_OK
}

unsafe extern "C" fn close(cursor: *mut ffi::sqlite3_vtab_cursor) -> c_int {
    // SAFETY: the box leaked in `open`, freed once, here.
    drop(unsafe { Box::from_raw(cursor.cast::<Cursor>()) });
    ffi::SQLITE_OK
}

unsafe extern "C" fn filter(
    cursor: *mut ffi::sqlite3_vtab_cursor,
    _idx_num: c_int,
    _idx_str: *const c_char,
    _argc: c_int,
    _argv: *mut *mut ffi::sqlite3_value,
) -> c_int {
    // SAFETY: our cursor.
    unsafe { (*cursor.cast::<Cursor>()).row = 0 };
    ffi::SQLITE_OK
}

unsafe extern "C" fn next(cursor: *mut ffi::sqlite3_vtab_cursor) -> c_int {
    // SAFETY: our cursor.
    unsafe { (*cursor.cast::<Cursor>()).row += 1 };
    ffi::SQLITE_OK
}

unsafe extern "C" fn eof(cursor: *mut ffi::sqlite3_vtab_cursor) -> c_int {
    // SAFETY: our cursor and the shared state it points at.
    unsafe {
        let cursor = &*cursor.cast::<Cursor>();
        c_int::from(cursor.row >= (*cursor.shared).len.get())
    }
}

unsafe extern "C" fn column(
    cursor: *mut ffi::sqlite3_vtab_cursor,
    ctx: *mut ffi::sqlite3_context,
    n: c_int,
) -> c_int {
    // SAFETY: the cursor is ours and not at its end (the engine asked `eof` first), so the
    // row it is on lies in the rows `Feed::rows` lent, whose batch stays borrowed and
    // unchanged until the statement reading it has been stepped to its end; the engine copies
    // what it keeps before then.
    unsafe {
        let cursor = &*cursor.cast::<Cursor>();
        let shared = &*cursor.shared;
        let batch = &*shared.batch.get();
        let n = n as usize;
        let value = if n < batch.width() {
            batch.get(shared.from.get() + cursor.row, n)
        } else {
            ValueRef::Null
        };
        match value {
            ValueRef::Null => ffi::sqlite3_result_null(ctx),
            ValueRef::Int(v) => ffi::sqlite3_result_int64(ctx, v),
            ValueRef::Real(v) => ffi::sqlite3_result_double(ctx, v),
            ValueRef::Text(t) => ffi::sqlite3_result_text64(
                ctx,
                t.as_ptr().cast(),
                t.len() as ffi::sqlite3_uint64,
                ffi::SQLITE_STATIC(),
                ffi::SQLITE_UTF8 as u8,
            ),
            ValueRef::Blob(b) => ffi::sqlite3_result_blob64(
                ctx,
                b.as_ptr().cast(),
                b.len() as ffi::sqlite3_uint64,
                ffi::SQLITE_STATIC(),
            ),
        }
    }
    ffi::SQLITE_OK
}

unsafe extern "C" fn rowid(cursor: *mut ffi::sqlite3_vtab_cursor, id: *mut i64) -> c_int {
    // SAFETY: our cursor.
    unsafe { *id = (*cursor.cast::<Cursor>()).row as i64 };
    ffi::SQLITE_OK
}
