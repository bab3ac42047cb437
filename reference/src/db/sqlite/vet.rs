//! Vetting a batch's foreign keys before the transaction that inserts it.
//!
//! With foreign keys enforced, the engine checks every inserted row's keys on its own: it
//! opens a cursor on the parent table, looks the key up and closes the cursor again, row after
//! row, and for each row of a multi-row insert into a parent table it looks for children
//! waiting on it. Measured on sqlmigrate's import, that is a sixth of the import's time. Yet
//! the rows of a batch point at few parents, in runs (a device's rows are exported together):
//! one query, before the transaction, looks up each run's key once, through the feed table
//! (`feed.rs`), and counts the keys no parent holds. When there are none, the batch goes in
//! with enforcement off, in a transaction of its own: the engine would have refused none of
//! its rows for a key, so each row's outcome is the same. Otherwise the batch goes in with
//! enforcement on, as it would without the vetting, and the engine names each row it refuses.
//!
//! The query may only be stricter than the engine. A row passes a key when one of the
//! key's values is NULL (the engine does not check such a key) or when a parent row holds each
//! value with the same type and compares equal with the parent column's collation, the
//! comparison the engine's look-up makes. The engine looks up a value as it stands after
//! the child column's affinity, then the parent column's, has converted it; so a value passes
//! only when its type is one that neither affinity changes (an integer in an `INTEGER`
//! column, text in a `TEXT` one): text `'007'` bound for an `INTEGER` child column is
//! stored as 7 and finds no parent `'007'`. A parent table or key the engine could not use
//! (missing, or a key without a unique index, which the engine reports as a mismatch), or a
//! table whose key points at itself (whose parents may be in the batch itself), leaves every
//! batch of the table to the engine, which then says so itself.

use super::feed::{self, Feed};
use super::quote;
use crate::db::{RowBatch, ValueRef};
use rusqlite::Connection;

/// How the batches of one table (and column list) are vetted.
pub(super) struct Vet {
    table: String,
    columns: Vec<String>,
    check: Check,
    /// A batch's keys, one row for each run of rows that share them (kept for its buffers).
    values: RowBatch,
}

enum Check {
    /// The table's keys (none: no row can break one).
    Keys(Vec<Key>),
    /// Left to the engine (see the module doc).
    Never,
}

/// A column's type affinity, from its declared type, by the engine's rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Affinity {
    Integer,
    Text,
    Blob,
    Real,
    Numeric,
}

impl Affinity {
    fn of(declared: &str) -> Affinity {
        let t = declared.to_ascii_uppercase();
        if t.contains("INT") {
            Affinity::Integer
        } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
            Affinity::Text
        } else if t.contains("BLOB") || t.is_empty() {
            Affinity::Blob
        } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
            Affinity::Real
        } else {
            Affinity::Numeric
        }
    }

    /// Whether the affinity leaves a value of type `ty` (as `typeof` names it) as it is.
    fn keeps(self, ty: &str) -> bool {
        match self {
            Affinity::Integer | Affinity::Numeric => matches!(ty, "integer" | "blob"),
            Affinity::Real => matches!(ty, "real" | "blob"),
            Affinity::Text => matches!(ty, "text" | "blob"),
            Affinity::Blob => true,
        }
    }
}

/// The types of values (as `typeof` names them) that both affinities leave as they are.
fn kept_by(child: Affinity, parent: Affinity) -> Vec<&'static str> {
    ["integer", "real", "text", "blob"]
        .into_iter()
        .filter(|ty| child.keeps(ty) && parent.keeps(ty))
        .collect()
}

/// A value's type as `typeof` names it (`None` for NULL).
fn type_of(value: ValueRef<'_>) -> Option<&'static str> {
    match value {
        ValueRef::Null => None,
        ValueRef::Int(_) => Some("integer"),
        ValueRef::Real(_) => Some("real"),
        ValueRef::Text(_) => Some("text"),
        ValueRef::Blob(_) => Some("blob"),
    }
}

/// One foreign key of the table: where its values lie in a batch, the types they may have,
/// and the query that finds their parents.
struct Key {
    /// (the column in the batch, the types that no affinity changes)
    parts: Vec<(usize, Vec<&'static str>)>,
    /// `SELECT count(*)` of the feed's rows (the key's values) that no parent row holds with
    /// the same types, equal.
    orphans: String,
}

impl Vet {
    /// Whether this vets batches of `columns` into `table`.
    pub(super) fn serves(&self, table: &str, columns: &[String]) -> bool {
        self.table == table && self.columns == columns
    }

    /// How batches of `columns` into `table` are vetted. `conn` enforces foreign keys: an
    /// insert the engine cannot prepare (a key that is no key of its parent) leaves the table
    /// to the engine.
    pub(super) fn plan(conn: &Connection, table: &str, columns: &[String]) -> Vet {
        // A multi-row insert, for which the engine also looks up the keys that point at
        // the table: one of them that is no key of the table is a mismatch too.
        let insert = super::insert::insert_rows_sql(table, columns, 2);
        let check = match (conn.prepare(&insert), keys(conn, table, columns)) {
            (Ok(_), Ok(Some(keys))) => Check::Keys(keys),
            _ => Check::Never,
        };
        Vet {
            table: table.to_string(),
            columns: columns.to_vec(),
            check,
            values: RowBatch::default(),
        }
    }

    /// Whether no row of `rows` can break a foreign key. Each key's values go to the
    /// engine once for each run of rows that share them, through the feed table, in one
    /// query that counts the values no parent holds.
    pub(super) fn clean(
        &mut self,
        conn: &Connection,
        feed: &mut Feed,
        rows: &RowBatch,
    ) -> rusqlite::Result<bool> {
        let keys = match &self.check {
            Check::Never => return Ok(false),
            Check::Keys(keys) => keys,
        };
        for key in keys {
            let values = &mut self.values;
            values.clear(key.parts.len());
            let mut last: Option<usize> = None;
            for row in 0..rows.len() {
                let mut types = key
                    .parts
                    .iter()
                    .map(|(at, kept)| (type_of(rows.get(row, *at)), kept));
                // A key with a NULL value is not checked.
                if types.clone().any(|(ty, _)| ty.is_none()) {
                    continue;
                }
                if !types.all(|(ty, kept)| ty.is_some_and(|ty| kept.contains(&ty))) {
                    return Ok(false);
                }
                let same = |prior: usize| {
                    key.parts
                        .iter()
                        .all(|(at, _)| identical(rows.get(row, *at), rows.get(prior, *at)))
                };
                if last.is_some_and(same) {
                    continue;
                }
                key.parts
                    .iter()
                    .for_each(|(at, _)| values.push(rows.get(row, *at)));
                last = Some(row);
            }
            if values.is_empty() {
                continue;
            }
            let mut orphans = conn.prepare_cached(&key.orphans)?;
            let count = feed.rows(values, 0..values.len(), || {
                orphans.query_row([], |r| r.get::<_, i64>(0))
            })?;
            if count > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Whether two values are the same type and the same bits.
fn identical(a: ValueRef<'_>, b: ValueRef<'_>) -> bool {
    match (a, b) {
        (ValueRef::Int(a), ValueRef::Int(b)) => a == b,
        (ValueRef::Real(a), ValueRef::Real(b)) => a.to_bits() == b.to_bits(),
        (ValueRef::Text(a), ValueRef::Text(b)) => a == b,
        (ValueRef::Blob(a), ValueRef::Blob(b)) => a == b,
        _ => false,
    }
}

/// The table's foreign keys, or `None` when they cannot be vetted (the table or a parent
/// missing, a key pointing at the table itself, a key column not among `columns`).
fn keys(conn: &Connection, table: &str, columns: &[String]) -> rusqlite::Result<Option<Vec<Key>>> {
    let declared = declared_types(conn, table)?;
    if declared.is_empty() {
        return Ok(None);
    }
    let mut stmt = conn.prepare(&format!("PRAGMA foreign_key_list({})", quote(table)))?;
    // (key id, parent, child column, parent column or NULL for the parent's primary key)
    let listed = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Each key's parent, and its columns: (in the batch, in the parent, the kept types).
    type Parts = Vec<(usize, String, Vec<&'static str>)>;
    let mut drafts: Vec<(i64, String, Parts)> = Vec::new();
    for (id, parent, from, to) in listed {
        let parent_declared = declared_types(conn, &parent)?;
        let at = columns.iter().position(|c| c.eq_ignore_ascii_case(&from));
        let (Some(at), Some(child), false, false) = (
            at,
            affinity(&declared, &from),
            parent_declared.is_empty(),
            parent.eq_ignore_ascii_case(table),
        ) else {
            return Ok(None);
        };
        let i = match drafts.iter().position(|(k, _, _)| *k == id) {
            Some(i) => i,
            None => {
                drafts.push((id, parent.clone(), Vec::new()));
                drafts.len() - 1
            }
        };
        let to = match to {
            Some(to) => to,
            // Unnamed: the parent's primary key, column by column.
            None => match primary_key(conn, &parent)?.get(drafts[i].2.len()) {
                Some(column) => column.clone(),
                None => return Ok(None),
            },
        };
        let Some(parent_affinity) = affinity(&parent_declared, &to) else {
            return Ok(None);
        };
        if drafts[i].2.len() == feed::COLUMNS {
            return Ok(None);
        }
        drafts[i].2.push((at, to, kept_by(child, parent_affinity)));
    }
    let keys = drafts
        .into_iter()
        .map(|(_, parent, parts)| {
            let matches: Vec<String> = parts
                .iter()
                .enumerate()
                .map(|(n, (_, to, _))| {
                    let p = format!("p.{}", quote(to));
                    format!("{p} = f.c{n} AND typeof({p}) = typeof(f.c{n})")
                })
                .collect();
            Key {
                orphans: format!(
                    "SELECT count(*) FROM {} AS f LEFT JOIN {} AS p ON {} WHERE p.{} IS NULL",
                    feed::TABLE,
                    quote(&parent),
                    matches.join(" AND "),
                    quote(&parts[0].1)
                ),
                parts: parts.into_iter().map(|(at, _, kept)| (at, kept)).collect(),
            }
        })
        .collect();
    Ok(Some(keys))
}

/// The declared type of each column of `table` (empty when there is no such table).
fn declared_types(conn: &Connection, table: &str) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({})", quote(table)))?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    rows.collect()
}

fn affinity(declared: &[(String, String)], column: &str) -> Option<Affinity> {
    declared
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(column))
        .map(|(_, ty)| Affinity::of(ty))
}

/// The primary-key columns of `table`, in key order.
fn primary_key(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({})", quote(table)))?;
    let mut keyed = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(5)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    keyed.retain(|(pk, _)| *pk > 0);
    keyed.sort();
    Ok(keyed.into_iter().map(|(_, name)| name).collect())
}

#[cfg(test)]
mod tests {
    use super::super::SqliteDb;
    use crate::db::{Database, RowBatch, RowOutcome, Value};
    use proptest::prelude::*;

    fn db(dir: &tempfile::TempDir, schema: &str) -> SqliteDb {
        let mut db = SqliteDb::open_file(&dir.path().join("t.sqlite"), None).unwrap();
        db.connection().unwrap().execute_batch(schema).unwrap();
        db
    }

    fn names(columns: &[&str]) -> Vec<String> {
        columns.iter().map(|c| c.to_string()).collect()
    }

    /// Vets `rows`, inserts them in one transaction and commits; the outcomes, and whether
    /// the transaction went without the engine's key checks.
    fn import(
        db: &mut SqliteDb,
        table: &str,
        columns: &[&str],
        rows: &[Vec<Value>],
    ) -> (Vec<RowOutcome>, bool) {
        let batch = RowBatch::from_rows(rows);
        db.vet_batch(table, &names(columns), &batch).unwrap();
        db.begin().unwrap();
        let unchecked = !db.keys_enforced;
        let outcomes = db.insert_batch(table, &names(columns), &batch).unwrap();
        db.commit().unwrap();
        (outcomes, unchecked)
    }

    const DEVICES: &str = "CREATE TABLE Device (DeviceId INTEGER NOT NULL, PRIMARY KEY (DeviceId));
         INSERT INTO Device VALUES (1), (2), (3);
         CREATE TABLE rWin32_Service (MachineId INTEGER NOT NULL, Name TEXT NOT NULL,
             PRIMARY KEY (MachineId, Name), FOREIGN KEY (MachineId) REFERENCES Device (DeviceId));";

    fn service(machine: i64, name: &str) -> Vec<Value> {
        vec![Value::Int(machine), Value::Text(name.into())]
    }

    #[test]
    fn rows_whose_parents_all_exist_go_in_without_the_engines_checks_b43() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = db(&dir, DEVICES);
        let rows = [
            service(1, "W32Time"),
            service(1, "Dhcp"),
            service(3, "W32Time"),
        ];
        let (outcomes, unchecked) =
            import(&mut db, "rWin32_Service", &["MachineId", "Name"], &rows);
        assert!(unchecked);
        assert_eq!(outcomes, vec![RowOutcome::Imported; 3]);
        // The next change outside such a transaction has the keys enforced again.
        db.drop_table("Device").unwrap_err();
        assert!(db.keys_enforced);
    }

    #[test]
    fn an_orphan_leaves_its_batch_to_the_engine_which_refuses_it_b43() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = db(&dir, DEVICES);
        let rows = [
            service(1, "W32Time"),
            service(9, "Dhcp"),
            service(3, "W32Time"),
        ];
        let (outcomes, unchecked) =
            import(&mut db, "rWin32_Service", &["MachineId", "Name"], &rows);
        assert!(!unchecked);
        assert_eq!(outcomes[0], RowOutcome::Imported);
        assert_eq!(
            outcomes[1],
            RowOutcome::Rejected {
                reason: "FOREIGN KEY constraint failed".into()
            }
        );
        assert_eq!(outcomes[2], RowOutcome::Imported);
    }

    #[test]
    fn text_an_integer_column_would_convert_is_left_to_the_engine_b43() {
        // '007' goes into an INTEGER column as 7, which no parent '007' matches.
        let dir = tempfile::tempdir().unwrap();
        let mut db = db(
            &dir,
            "CREATE TABLE P (k TEXT NOT NULL, PRIMARY KEY (k));
             INSERT INTO P VALUES ('007'), ('abc');
             CREATE TABLE C (x INTEGER, FOREIGN KEY (x) REFERENCES P (k));
             CREATE TABLE T (x TEXT, FOREIGN KEY (x) REFERENCES P (k));",
        );
        let (outcomes, unchecked) =
            import(&mut db, "C", &["x"], &[vec![Value::Text("007".into())]]);
        assert!(!unchecked);
        assert!(
            matches!(&outcomes[0], RowOutcome::Rejected { reason } if reason.contains("FOREIGN KEY"))
        );
        let (outcomes, unchecked) =
            import(&mut db, "T", &["x"], &[vec![Value::Text("007".into())]]);
        assert!(unchecked);
        assert_eq!(outcomes, vec![RowOutcome::Imported]);
    }

    #[test]
    fn a_key_that_is_no_key_of_its_parent_is_the_engines_error_b43() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = db(
            &dir,
            "CREATE TABLE P (k INTEGER);
             CREATE TABLE C (x INTEGER, FOREIGN KEY (x) REFERENCES P (k));",
        );
        let batch = RowBatch::from_rows(&[vec![Value::Int(1)]]);
        db.vet_batch("C", &names(&["x"]), &batch).unwrap();
        db.begin().unwrap();
        assert!(db.keys_enforced);
        let err = db.insert_batch("C", &names(&["x"]), &batch).unwrap_err();
        assert!(err.to_string().contains("foreign key mismatch"), "{err}");
    }

    #[test]
    fn nothing_else_changes_in_a_transaction_without_key_checks_b43() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = db(&dir, DEVICES);
        let columns = names(&["MachineId", "Name"]);
        let vetted = RowBatch::from_rows(&[service(1, "W32Time")]);
        let other = RowBatch::from_rows(&[service(9, "Dhcp")]);
        db.vet_batch("rWin32_Service", &columns, &vetted).unwrap();
        db.begin().unwrap();
        assert!(!db.keys_enforced);
        let err = db
            .insert_batch("rWin32_Service", &columns, &other)
            .unwrap_err();
        assert!(
            err.to_string().contains("commit or roll it back first"),
            "{err}"
        );
        assert!(db.drop_table("Device").is_err());
        db.rollback().unwrap();
        // Outside the transaction, the other batch goes in with the keys checked.
        db.begin().unwrap();
        let outcomes = db.insert_batch("rWin32_Service", &columns, &other).unwrap();
        assert!(
            matches!(&outcomes[0], RowOutcome::Rejected { reason } if reason.contains("FOREIGN KEY"))
        );
        db.commit().unwrap();
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            (0i64..5).prop_map(Value::Int),
            prop::sample::select(vec![0.0, 1.0, 1.5, 2.0, -0.0]).prop_map(Value::Real),
            prop::sample::select(vec!["1", "2", "007", "1.0", "a", "A", " 1"])
                .prop_map(|t| Value::Text(t.into())),
            Just(Value::Blob(vec![b'1'])),
        ]
    }

    /// A child's key: most often a value some parent was given, or any value.
    #[derive(Debug, Clone)]
    enum Pick {
        Parent(prop::sample::Index),
        Value(Value),
    }

    fn pick() -> impl Strategy<Value = Pick> {
        prop_oneof![
            4 => any::<prop::sample::Index>().prop_map(Pick::Parent),
            1 => value().prop_map(Pick::Value),
        ]
    }

    fn declared() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "INTEGER",
            "TEXT",
            "REAL",
            "NUMERIC",
            "BLOB",
            "",
            "VARCHAR(8)",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever the columns' types and the values, a vetted batch's rows fare as they
        /// do with the engine checking every key, and the tables end up the same.
        #[test]
        fn vetting_changes_no_rows_outcome_b43(
            parent_type in declared(),
            child_type in declared(),
            nocase in any::<bool>(),
            parents in prop::collection::vec(value(), 0..6),
            rows in prop::collection::vec((0i64..6, pick(), value()), 1..24),
        ) {
            let collate = if nocase { " COLLATE NOCASE" } else { "" };
            let schema = format!(
                "CREATE TABLE P (k {parent_type}{collate}, j INTEGER, UNIQUE (k, j));
                 CREATE TABLE C (id INTEGER NOT NULL, x {child_type}, y INTEGER, PRIMARY KEY (id),
                     FOREIGN KEY (x, y) REFERENCES P (k, j));"
            );
            let rows: Vec<Vec<Value>> = rows
                .into_iter()
                .map(|(id, x, y)| {
                    let x = match x {
                        Pick::Parent(i) if !parents.is_empty() => parents[i.index(parents.len())].clone(),
                        Pick::Parent(_) => Value::Null,
                        Pick::Value(v) => v,
                    };
                    let y = match y {
                        Value::Null => Value::Null,
                        _ => Value::Int(1),
                    };
                    vec![Value::Int(id), x, y]
                })
                .collect();
            let columns = ["id", "x", "y"];
            let mut outcomes = Vec::new();
            let mut contents = Vec::new();
            for vetted in [false, true] {
                let dir = tempfile::tempdir().unwrap();
                let mut db = db(&dir, &schema);
                for k in &parents {
                    let batch = RowBatch::from_rows(&[vec![k.clone(), Value::Int(1)]]);
                    db.begin().unwrap();
                    db.insert_batch("P", &names(&["k", "j"]), &batch).unwrap();
                    db.commit().unwrap();
                }
                let batch = RowBatch::from_rows(&rows);
                if vetted {
                    db.vet_batch("C", &names(&columns), &batch).unwrap();
                }
                db.begin().unwrap();
                outcomes.push(db.insert_batch("C", &names(&columns), &batch).unwrap());
                db.commit().unwrap();
                let mut stored = Vec::new();
                db.stream_rows("C", &mut |row| {
                    stored.push(format!("{row:?}"));
                    Ok(())
                })
                .unwrap();
                contents.push(stored);
            }
            prop_assert_eq!(&outcomes[0], &outcomes[1]);
            prop_assert_eq!(&contents[0], &contents[1]);
        }
    }
}
