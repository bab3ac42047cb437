//! The SQLite backend through the port: opening the DSN's file, per-row import outcomes,
//! streaming, and a database that outgrows its drive (B44).

use hpca_reference::db::schema::table;
use hpca_reference::db::{self, RowBatch, RowOutcome, Value};
use hpca_reference::host::{Drive, Dsn, Firewall, HostState, Registry};
use hpca_reference::{DatabaseServer, Error, Host, Version};

fn host_with(dir: &std::path::Path, capacity: u64, driver: Option<&str>) -> Host {
    let state = HostState {
        hostname: "HPCA01".into(),
        clock: 1_290_000_000,
        drives: [(
            'C',
            Drive {
                capacity,
                read_only: false,
                label: "System".into(),
            },
        )]
        .into(),
        registry: Registry {
            dsn: driver.map(|driver| Dsn {
                name: "HPCA".into(),
                driver: driver.into(),
                server: String::new(),
                database: r"C:\Program Files\Microsoft SQL Server\MSSQL.1\MSSQL\Data\HPCA.sqlite"
                    .into(),
                user: "sa".into(),
                password: "secret".into(),
            }),
            ..Registry::default()
        },
        services: Default::default(),
        firewall: Firewall::default(),
        users: vec![],
        media: None,
        database_server: DatabaseServer::Sqlite,
    };
    Host::create(&dir.join("host"), state).unwrap()
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

#[test]
fn open_without_dsn_is_none_and_a_foreign_driver_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let satellite = host_with(&dir.path().join("s"), 1 << 30, None);
    assert!(db::open(&satellite).unwrap().is_none());
    let odd = host_with(&dir.path().join("o"), 1 << 30, Some("SQL Server"));
    let err = db::open(&odd).err().expect("refused");
    assert!(matches!(err, Error::UnsupportedDsnDriver { .. }), "{err}");
}

#[test]
fn the_dsn_file_lives_on_its_drive_and_counts_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host_with(dir.path(), 1 << 30, Some("SQLite3 ODBC Driver"));
    let mut db = db::open(&host).unwrap().unwrap();
    db.create_table(&table(Version::V790, "Device").unwrap())
        .unwrap();
    drop(db);
    host.refresh_usage().unwrap();
    assert!(host.used('C').unwrap() > 0);
    assert!(host.exists(
        &hpca_reference::WinPath::parse(
            r"C:\Program Files\Microsoft SQL Server\MSSQL.1\MSSQL\Data\HPCA.sqlite"
        )
        .unwrap()
    ));
}

#[test]
fn insert_batch_rejects_exactly_the_rows_790_keys_refuse_b43() {
    let dir = tempfile::tempdir().unwrap();
    let host = host_with(dir.path(), 1 << 30, Some("SQLite3 ODBC Driver"));
    let mut db = db::open(&host).unwrap().unwrap();
    let device = table(Version::V790, "Device").unwrap();
    let status = table(Version::V790, "DeviceStatus").unwrap();
    db.create_table(&device).unwrap();
    db.create_table(&status).unwrap();
    let t = "2010-11-17 13:45:00";
    let outcomes = db
        .insert_batch(
            "Device",
            &device.column_names(),
            &RowBatch::from_rows(&[vec![
                Value::Int(1),
                text("WKS00001"),
                text("CORP"),
                text("XP"),
                text(t),
                text(t),
            ]]),
        )
        .unwrap();
    assert_eq!(outcomes, [RowOutcome::Imported]);
    let rows = vec![
        vec![Value::Int(1), text("OK"), Value::Null, text(t)],
        // Orphan: device 7 does not exist.
        vec![Value::Int(7), text("OK"), Value::Null, text(t)],
        // Duplicate key: the later copy is refused.
        vec![Value::Int(1), text("Error"), Value::Null, text(t)],
        // NULL where 7.90 says NOT NULL.
        vec![Value::Int(1), Value::Null, Value::Null, text(t)],
    ];
    db.begin().unwrap();
    let outcomes = db
        .insert_batch(
            "DeviceStatus",
            &status.column_names(),
            &RowBatch::from_rows(&rows),
        )
        .unwrap();
    db.commit().unwrap();
    assert_eq!(outcomes[0], RowOutcome::Imported);
    for (i, outcome) in outcomes.iter().enumerate().skip(1) {
        assert!(
            matches!(outcome, RowOutcome::Rejected { reason } if reason.contains("constraint")),
            "row {i}: {outcome:?}"
        );
    }
    assert_eq!(db.count_rows("DeviceStatus").unwrap(), 1);
    let mut seen = Vec::new();
    let n = db
        .stream_rows("DeviceStatus", &mut |row| {
            seen.push(row.to_vec());
            Ok(())
        })
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(seen, [rows[0].clone()]);
}

/// Rows offered together end as they end offered one by one: the same rows in the table,
/// the same refusals with the same reasons, in batches large enough for the set-based
/// insert, its multi-row fallback and the row-by-row one to all take part.
#[test]
fn a_large_batch_ends_as_its_rows_inserted_one_by_one_b43() {
    let dir = tempfile::tempdir().unwrap();
    let device = table(Version::V790, "Device").unwrap();
    let status = table(Version::V790, "DeviceStatus").unwrap();
    let t = "2010-11-17 13:45:00";
    let devices: Vec<Vec<Value>> = (1..=600)
        .map(|id| {
            let name = format!("WKS{id:05}");
            vec![
                Value::Int(id),
                text(&name),
                text("CORP"),
                text("XP"),
                text(t),
                text(t),
            ]
        })
        .collect();
    // Devices 601..700 do not exist (orphans); ids come round again (duplicates); every
    // 97th row has no status (NOT NULL); long runs of rows break nothing.
    let rows: Vec<Vec<Value>> = (0..1500i64)
        .map(|i| {
            let id = if i < 700 { i + 1 } else { (i * 7) % 700 + 1 };
            let state = if i % 97 == 96 {
                Value::Null
            } else {
                text("OK")
            };
            vec![Value::Int(id), state, text(&format!("row {i}")), text(t)]
        })
        .collect();
    let mut tables = Vec::new();
    for (name, together) in [("together", true), ("alone", false)] {
        let host = host_with(&dir.path().join(name), 1 << 30, Some("SQLite3 ODBC Driver"));
        let mut db = db::open(&host).unwrap().unwrap();
        db.create_table(&device).unwrap();
        db.create_table(&status).unwrap();
        db.begin().unwrap();
        db.insert_batch(
            "Device",
            &device.column_names(),
            &RowBatch::from_rows(&devices),
        )
        .unwrap();
        let columns = status.column_names();
        let outcomes: Vec<RowOutcome> = if together {
            db.insert_batch("DeviceStatus", &columns, &RowBatch::from_rows(&rows))
                .unwrap()
        } else {
            rows.iter()
                .flat_map(|row| {
                    db.insert_batch(
                        "DeviceStatus",
                        &columns,
                        &RowBatch::from_rows(std::slice::from_ref(row)),
                    )
                    .unwrap()
                })
                .collect()
        };
        db.commit().unwrap();
        let mut kept = Vec::new();
        db.stream_rows("DeviceStatus", &mut |row| {
            kept.push(row.to_vec());
            Ok(())
        })
        .unwrap();
        tables.push((outcomes, kept));
    }
    // Kept: a row of an existing device, with a status, whose device has none yet.
    let mut has_status = std::collections::HashSet::new();
    let expected: Vec<bool> = rows
        .iter()
        .map(|row| {
            let (Value::Int(id), state) = (&row[0], &row[1]) else {
                unreachable!()
            };
            *id <= 600 && *state != Value::Null && has_status.insert(*id)
        })
        .collect();
    let (together, alone) = (&tables[0], &tables[1]);
    let imported: Vec<bool> = together
        .0
        .iter()
        .map(|o| *o == RowOutcome::Imported)
        .collect();
    assert_eq!(imported, expected);
    assert_eq!(together.0, alone.0);
    assert_eq!(together.1, alone.1);
    assert_eq!(together.1.len(), has_status.len());
}

#[test]
fn a_database_outgrowing_its_drive_fails_as_drive_full_b44() {
    let dir = tempfile::tempdir().unwrap();
    let capacity = 256 * 1024;
    let mut host = host_with(dir.path(), capacity, Some("SQLite3 ODBC Driver"));
    let mut db = db::open(&host).unwrap().unwrap();
    let def = table(Version::V750, "rWin32_Product").unwrap();
    db.create_table(&def).unwrap();
    let columns = def.column_names();
    let mut failure = None;
    db.begin().unwrap();
    for batch in 0..1000 {
        let rows: Vec<Vec<Value>> = (0..50)
            .map(|i| {
                let mut row = vec![Value::Int(batch)];
                row.extend((1..columns.len()).map(|c| text(&format!("value {c} of {i}"))));
                row
            })
            .collect();
        if let Err(e) = db.insert_batch(&def.name, &columns, &RowBatch::from_rows(&rows)) {
            failure = Some(e);
            break;
        }
    }
    let err = failure.expect("a 256 KiB drive cannot hold 50,000 products");
    db.rollback().unwrap();
    assert!(matches!(err, Error::DriveFull { drive: 'C', .. }), "{err}");
    drop(db);
    host.refresh_usage().unwrap();
    assert!(host.used('C').unwrap() <= capacity);
}

/// The export reads tables in chunks straight from the engine: every kind of value comes
/// out as the row-by-row stream gives it (empty text and blobs, text that is not UTF-8 with
/// its bad bytes replaced), the chunks are `per_batch` rows but the last, a visitor may swap
/// the chunk it gets, and its error (or a table that is not there) stops the stream.
#[test]
fn chunks_read_straight_from_the_engine_hold_what_rows_read_one_by_one_hold_b42() {
    use hpca_reference::db::sqlite::SqliteDb;
    use hpca_reference::db::Database;
    let dir = tempfile::tempdir().unwrap();
    let mut db = SqliteDb::open_file(&dir.path().join("t.sqlite"), None).unwrap();
    db.connection()
        .unwrap()
        .execute_batch(
            "CREATE TABLE t (a INTEGER, b TEXT, c REAL, d BLOB);
             INSERT INTO t VALUES (1, 'C:\\Program Files', 1.5, X'00FF');
             INSERT INTO t VALUES (NULL, '', -0.25, X'');
             INSERT INTO t VALUES (-9223372036854775808, CAST(X'41FF42' AS TEXT), NULL, NULL);
             INSERT INTO t VALUES ('text in an integer column', 7, X'01', 2.0);
             INSERT INTO t VALUES (5, 'é', 0.0, X'DEADBEEF');
             INSERT INTO t VALUES (6, NULL, 1e300, X'61');
             INSERT INTO t VALUES (7, 'last', 3.0, X'62');",
        )
        .unwrap();
    let mut one_by_one = Vec::new();
    db.stream_rows("t", &mut |row| {
        one_by_one.push(row.to_vec());
        Ok(())
    })
    .unwrap();
    assert_eq!(one_by_one[2][1], text("A\u{FFFD}B"));
    assert_eq!(one_by_one[1][3], Value::Blob(vec![]));
    let mut chunked = Vec::new();
    let mut sizes = Vec::new();
    let count = db
        .stream_batches("t", 3, &mut |chunk| {
            sizes.push(chunk.len());
            chunked.extend((0..chunk.len()).map(|r| chunk.to_row(r)));
            // A visitor may keep the chunk and hand back another, even an unshaped one.
            let _kept = std::mem::take(chunk);
            Ok(())
        })
        .unwrap();
    assert_eq!(count, 7);
    assert_eq!(sizes, [3, 3, 1]);
    assert_eq!(chunked, one_by_one);

    let err = db
        .stream_batches("t", 2, &mut |_| Err(Error::NoReportingDatabase))
        .unwrap_err();
    assert!(matches!(err, Error::NoReportingDatabase), "{err}");
    let err = db
        .stream_batches("missing", 2, &mut |_| Ok(()))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Database { context, message } if context == "reading missing" && message.contains("no such table")),
        "{err}"
    );
}
