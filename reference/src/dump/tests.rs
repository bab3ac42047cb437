use super::*;
use crate::db::{ColumnDef, ColumnType, ForeignKey, RowBatch, RowOutcome, TableDef, Value};
use crate::host::{Drive, Firewall, HostState, Registry};
use std::collections::BTreeMap;

/// A database of in-memory tables, standing in for a backend in these tests.
struct FakeDb {
    tables: BTreeMap<String, (TableDef, Vec<Vec<Value>>)>,
}

impl FakeDb {
    fn new() -> FakeDb {
        let column = |name: &str| ColumnDef {
            name: name.into(),
            ty: ColumnType::Text,
            not_null: true,
        };
        let device = TableDef {
            name: "Device".into(),
            columns: vec![column("DeviceId"), column("Name")],
            primary_key: vec!["DeviceId".into()],
            foreign_keys: vec![],
        };
        let audit = TableDef {
            name: "rWin32_Audit".into(),
            columns: vec![column("DeviceId"), column("Event")],
            primary_key: vec![],
            foreign_keys: vec![ForeignKey {
                columns: vec!["DeviceId".into()],
                parent: "Device".into(),
                parent_columns: vec!["DeviceId".into()],
            }],
        };
        let text = |s: &str| Value::Text(s.into());
        let mut tables = BTreeMap::new();
        tables.insert(
            "rWin32_Audit".into(),
            (
                audit,
                vec![
                    vec![text("d1"), text("boot")],
                    vec![text("d2"), text("login")],
                ],
            ),
        );
        tables.insert(
            "Device".into(),
            (
                device,
                vec![
                    vec![text("d1"), text("PC-1")],
                    vec![text("d2"), text("PC-2")],
                    vec![text("d3"), text("PC-3")],
                ],
            ),
        );
        FakeDb { tables }
    }
}

impl Database for FakeDb {
    fn server_version(&mut self) -> Result<String> {
        Ok("fake 1".into())
    }
    fn table_names(&mut self) -> Result<Vec<String>> {
        Ok(self.tables.keys().cloned().collect())
    }
    fn describe(&mut self, table: &str) -> Result<Option<TableDef>> {
        Ok(self.tables.get(table).map(|t| t.0.clone()))
    }
    fn count_rows(&mut self, table: &str) -> Result<u64> {
        Ok(self.tables[table].1.len() as u64)
    }
    fn stream_rows(
        &mut self,
        table: &str,
        visit: &mut dyn FnMut(&mut [Value]) -> Result<()>,
    ) -> Result<u64> {
        let rows = &self.tables[table].1;
        for row in rows {
            visit(&mut row.clone())?;
        }
        Ok(rows.len() as u64)
    }
    fn drop_table(&mut self, table: &str) -> Result<()> {
        self.tables.remove(table);
        Ok(())
    }
    fn create_table(&mut self, def: &TableDef) -> Result<()> {
        self.tables.insert(def.name.clone(), (def.clone(), vec![]));
        Ok(())
    }
    fn insert_batch(
        &mut self,
        table: &str,
        _columns: &[String],
        rows: &RowBatch,
    ) -> Result<Vec<RowOutcome>> {
        let t = self.tables.get_mut(table).expect("table exists");
        t.1.extend((0..rows.len()).map(|i| rows.to_row(i)));
        Ok(vec![RowOutcome::Imported; rows.len()])
    }
    fn begin(&mut self) -> Result<()> {
        Ok(())
    }
    fn commit(&mut self) -> Result<()> {
        Ok(())
    }
    fn rollback(&mut self) -> Result<()> {
        Ok(())
    }
}

const PASSWORD: &str = "Tr0ub4dor&3-never-shown";

fn host(dir: &std::path::Path) -> Host {
    let registry = Registry {
        dsn: Some(Dsn {
            name: "HPCA".into(),
            driver: "SQLite3 ODBC Driver".into(),
            server: String::new(),
            database: r"C:\SQL\Data\HPCA.sqlite".into(),
            user: "hpca".into(),
            password: PASSWORD.into(),
        }),
        ..Registry::default()
    };
    let drive = |capacity| Drive {
        capacity,
        read_only: false,
        label: "Disk".into(),
    };
    let state = HostState {
        hostname: "HPCA01".into(),
        clock: 1_270_000_000,
        drives: [('C', drive(1 << 30)), ('D', drive(1 << 20))].into(),
        registry,
        services: Default::default(),
        firewall: Firewall::default(),
        users: vec![],
        media: None,
        database_server: DatabaseServer::Sqlite,
    };
    let mut host = Host::create(&dir.join("h"), state).unwrap();
    let p = |s: &str| WinPath::parse(s).unwrap();
    host.write(&p(r"D:\b.txt"), b"bee").unwrap();
    host.write(&p(r"C:\Program Files\a.cfg"), b"[a]\r\n")
        .unwrap();
    host.write(&p(r"C:\SQL\Data\HPCA.sqlite"), b"SQLite format 3\0...")
        .unwrap();
    host.write(&p(r"C:\SQL\Data\HPCA.sqlite-journal"), b"j")
        .unwrap();
    host
}

#[test]
fn tables_show_rows_digest_and_keys_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let host = host(dir.path());
    let mut db = FakeDb::new();
    let dumped = dump_with(&host, Some(&mut db)).unwrap();
    let names: Vec<&String> = dumped.database.tables.keys().collect();
    assert_eq!(names, ["Device", "rWin32_Audit"]);
    let device = &dumped.database.tables["Device"];
    assert_eq!(
        (device.rows, device.primary_key.clone(), device.foreign_keys),
        (3, vec!["DeviceId".to_string()], 0)
    );
    assert_eq!(dumped.database.tables["rWin32_Audit"].foreign_keys, 1);
    let json: serde_json::Value = serde_json::from_str(&dumped.to_json()).unwrap();
    assert_eq!(json["database"]["tables"]["Device"]["rows"], 3);
    assert!(dumped.to_text().contains("Device: rows=3 digest="));
    // A changed row changes the digest, though the count stays.
    db.tables.get_mut("Device").unwrap().1[0][1] = Value::Text("PC-9".into());
    let changed = dump_with(&host, Some(&mut db)).unwrap();
    assert_eq!(changed.database.tables["Device"].rows, 3);
    assert_ne!(changed.database.tables["Device"].digest, device.digest);
}

#[test]
fn files_are_listed_by_path_with_digests_but_not_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let host = host(dir.path());
    let dumped = dump_with(&host, None).unwrap();
    let paths: Vec<String> = dumped.files.iter().map(|f| f.path.to_string()).collect();
    assert_eq!(paths, [r"C:\Program Files\a.cfg", r"D:\b.txt"]);
    assert_eq!(dumped.files[1].size, 3);
    // SHA-256 of "bee" (as `printf bee | sha256sum` prints it).
    assert_eq!(
        dumped.files[1].sha256,
        "62cb81b5904a262ffaeed02abef36bfc540b09f964b8b0b636662f77ffce6714"
    );
    assert_eq!(dumped.drives[&'D'].used, 3);
    assert!(dumped.database.tables.is_empty());
}

#[test]
fn the_dsn_password_never_appears_in_a_dump() {
    let dir = tempfile::tempdir().unwrap();
    let host = host(dir.path());
    let dumped = dump_with(&host, None).unwrap();
    for rendered in [dumped.to_text(), dumped.to_json()] {
        assert!(!rendered.contains(PASSWORD), "password leaked:\n{rendered}");
        assert!(rendered.contains("PWD=********"));
    }
}

#[test]
fn a_host_dumps_the_same_twice() {
    let dir = tempfile::tempdir().unwrap();
    let host = host(dir.path());
    let one = dump_with(&host, Some(&mut FakeDb::new())).unwrap();
    let two = dump_with(&host, Some(&mut FakeDb::new())).unwrap();
    assert_eq!(one.to_text(), two.to_text());
    assert_eq!(one.to_json(), two.to_json());
    // Through the real port the stand-in bytes are no database: the dump says so, it does not
    // skip the section.
    assert!(matches!(dump(&host), Err(Error::Database { .. })));
}
