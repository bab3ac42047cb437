//! A small fixture host for the migration tests until `hpcasim fabricate` lands: an old
//! Enterprise install laid down from `install.rs` (component folders with their configuration
//! files carrying site settings, libraries, service images, a CSDB, a proxy cache), the
//! registry, services, a DSN with a password on a Core, the media on a read-only drive and
//! the operator's copy of `migrate` on C:. Contents derive from a seed, so runs are identical.
//! Shared by `reference/tests` and the root package's CLI tests (through `#[path]`).
#![allow(dead_code)]

use hpca_reference::backup::manifest::sha256_hex;
use hpca_reference::db::digest::{RowDigest, TableDigest};
use hpca_reference::db::Value;
use hpca_reference::host::{
    BootServer, ConsoleUser, Drive, Dsn, Firewall, Host, HostState, InstalledProduct, Media,
    Registry, Service,
};
use hpca_reference::install;
use hpca_reference::{paths, DatabaseServer, Edition, Role, Version, WinPath};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The DSN password every fixture Core carries; no report or log may contain it.
pub const DSN_PASSWORD: &str = "Pa55w0rd-HPCA!";
/// A site setting with characters HTML must escape.
pub const LDAP_HOST: &str = "ldap://dc01.corp<&>\"x\"";
/// The host clock the fixture starts at.
pub const CLOCK: u64 = 1_263_495_101;

/// What to lay down.
#[derive(Debug, Clone)]
pub struct Spec {
    pub version: Version,
    pub role: Role,
    pub edition: Edition,
    pub database_server: DatabaseServer,
    /// A 7.20 OS Manager Boot Server beside the install (B22).
    pub boot_server: bool,
    pub capacity_c: u64,
    pub capacity_d: u64,
    pub seed: u64,
}

impl Spec {
    /// A standard fixture for a version and role.
    pub fn new(version: Version, role: Role) -> Spec {
        Spec {
            version,
            role,
            edition: Edition::Enterprise,
            database_server: DatabaseServer::Sqlite,
            boot_server: false,
            capacity_c: 64 << 20,
            capacity_d: 64 << 20,
            seed: 42,
        }
    }
}

fn p(text: &str) -> WinPath {
    WinPath::parse(text).unwrap()
}

/// Deterministic pseudo-random bytes for a file.
fn content(seed: u64, path: &WinPath, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 64);
    let mut block = sha256_hex(format!("{seed}:{path}").as_bytes());
    while out.len() < len {
        out.extend_from_slice(block.as_bytes());
        block = sha256_hex(block.as_bytes());
    }
    out.truncate(len);
    out
}

/// The reporting database file of a fixture Core (SQLite stands in for SQL Server).
pub fn database_file() -> WinPath {
    p(r"C:\Program Files\Hewlett-Packard\HPCA\Data\hpca-reporting.db")
}

/// The 7.20 Boot Server's folder.
pub fn boot_server_dir() -> WinPath {
    p(r"C:\Program Files\Hewlett-Packard\BootServer")
}

/// Creates the fixture host in `root` (which must not exist yet).
pub fn fabricate(root: &Path, spec: &Spec) -> Host {
    let install_dir = paths::install_dir();
    let mut drives = BTreeMap::new();
    for (letter, capacity, label) in [
        ('C', spec.capacity_c, "System"),
        ('D', spec.capacity_d, "Data"),
        ('E', 8 << 20, "HPCA_790"),
    ] {
        drives.insert(
            letter,
            Drive {
                capacity,
                read_only: false,
                label: label.to_string(),
            },
        );
    }
    let state = HostState {
        hostname: "HPCA01".into(),
        clock: CLOCK,
        drives,
        registry: Registry::default(),
        services: BTreeMap::new(),
        firewall: Firewall::default(),
        users: vec![ConsoleUser {
            name: "ops<admin>".into(),
            created_in: spec.version,
            roles: vec!["Administrators".into()],
            credential_digest: sha256_hex(b"salt:ops"),
        }],
        media: None,
        database_server: spec.database_server,
    };
    let mut host = Host::create(root, state).unwrap();
    let mut services = BTreeMap::new();
    for component in install::components(spec.version, spec.role) {
        let folder = install_dir.join(component.folder).unwrap();
        for config in install::config_files(component.module, spec.version, spec.role) {
            let mut settings = config.settings.clone();
            site_settings(component.module, spec.role, &mut settings);
            let text = install::render_settings(&settings);
            host.write(&folder.join(config.path).unwrap(), text.as_bytes())
                .unwrap();
        }
        let lib = folder
            .join(&format!(r"bin\{}.dll", component.module))
            .unwrap();
        host.write(&lib, &content(spec.seed, &lib, 3000)).unwrap();
        for service in component.services {
            let exe = folder
                .join(&format!(
                    r"bin\{}.exe",
                    service.to_ascii_lowercase().replace(' ', "-")
                ))
                .unwrap();
            host.write(&exe, &content(spec.seed, &exe, 5000)).unwrap();
            services.insert(
                service.to_string(),
                Service {
                    running: true,
                    image: exe,
                },
            );
        }
        match component.module {
            "rds" => {
                for name in [
                    "PRIMARY\\PRIMARY.edm",
                    "PRIMARY\\SOFTWARE.edm",
                    "PATCH\\PATCH.edm",
                ] {
                    let f = folder.join(name).unwrap();
                    host.write(&f, &content(spec.seed, &f, 20_000)).unwrap();
                }
            }
            "rproxy" => {
                for i in 0..3 {
                    let f = folder.join(&format!(r"data\cache\obj{i}.bin")).unwrap();
                    host.write(&f, &content(spec.seed, &f, 15_000)).unwrap();
                }
            }
            _ => {}
        }
    }
    let media_files = ["hpcabackup.cmd", "hpcarestore.cmd", r"sql\sqlmigrate.cmd"];
    for name in media_files {
        let text = format!("@echo HPCA 7.90 {name}\r\n");
        host.write(&p(r"E:\migrate").join(name).unwrap(), text.as_bytes())
            .unwrap();
        host.write(&paths::migrate_copy().join(name).unwrap(), text.as_bytes())
            .unwrap();
    }
    let mut dsn = None;
    if spec.role == Role::Core {
        create_database(&mut host, spec.seed);
        dsn = Some(Dsn {
            name: "HPCA".into(),
            driver: "SQLite3 ODBC Driver".into(),
            server: String::new(),
            database: database_file().to_string(),
            user: "hpcauser".into(),
            password: DSN_PASSWORD.into(),
        });
    }
    let mut boot_server = None;
    if spec.boot_server {
        let f = boot_server_dir()
            .join(r"X86PC\UNDI\linux-boot\default.cfg")
            .unwrap();
        host.write(&f, b"label site-custom\r\n").unwrap();
        boot_server = Some(BootServer {
            install_dir: boot_server_dir(),
            customizations: vec![r"X86PC\UNDI\linux-boot\default.cfg".into()],
        });
    }
    let installed_size = host
        .walk(&install_dir)
        .unwrap()
        .iter()
        .map(|f| f.size)
        .sum();
    let state = host.state_mut();
    state.services = services;
    state.registry = Registry {
        product: Some(InstalledProduct {
            name: "HP Client Automation".into(),
            edition: spec.edition,
            version: spec.version,
            role: spec.role,
            install_dir,
            installed_size,
            core_host: (spec.role == Role::Satellite).then(|| "HPCACORE".to_string()),
        }),
        dsn,
        administrator: (spec.role == Role::Core).then_some(spec.version),
        boot_server,
        ..Registry::default()
    };
    state.media = Some(Media {
        drive: 'E',
        version: Version::V790,
    });
    state.drives.get_mut(&'E').unwrap().read_only = true;
    host.save().unwrap();
    Host::open(root).unwrap()
}

/// A real SQLite reporting database with a few tables of rows (customer text included).
fn create_database(host: &mut Host, seed: u64) {
    let real = host.real_path(&database_file()).unwrap();
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    let conn = rusqlite::Connection::open(&real).unwrap();
    conn.execute_batch(
        "CREATE TABLE device (device_id TEXT, name TEXT, os TEXT, last_seen INTEGER);
         CREATE TABLE rWin32_DMACHannel (device_id TEXT, channel INTEGER, status TEXT);",
    )
    .unwrap();
    for i in 0..40u64 {
        let id = format!("DEV{seed}-{i:04}");
        conn.execute(
            "INSERT INTO device VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![
                id,
                format!("PC<{i}>&\"lab\""),
                "Windows XP",
                (CLOCK - i * 60) as i64
            ],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO rWin32_DMACHannel VALUES (?1, ?2, 'OK')",
            rusqlite::params![id, (i % 8) as i64],
        )
        .unwrap();
    }
    drop(conn);
    host.refresh_usage().unwrap();
}

/// Every table of the fixture's reporting database with its row digest, read directly.
pub fn database_digests(host: &Host) -> BTreeMap<String, TableDigest> {
    let real = host.real_path(&database_file()).unwrap();
    let conn =
        rusqlite::Connection::open_with_flags(&real, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = BTreeMap::new();
    for name in names {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
        let width = stmt.column_count();
        let mut digest = RowDigest::default();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let values: Vec<Value> = (0..width)
                .map(|i| match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(v) => Value::Int(v),
                    rusqlite::types::ValueRef::Real(v) => Value::Real(v),
                    rusqlite::types::ValueRef::Text(t) => {
                        Value::Text(String::from_utf8_lossy(t).into_owned())
                    }
                    rusqlite::types::ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                })
                .collect();
            digest.add(&values);
        }
        out.insert(name, digest.finish());
    }
    out
}

/// Site values that differ from stock, as a real server's would.
fn site_settings(module: &str, role: Role, settings: &mut install::Settings) {
    let mut set = |section: &str, key: &str, value: &str| {
        settings
            .entry(section.to_string())
            .or_default()
            .insert(key.to_string(), value.to_string());
    };
    match module {
        "console" => set("console", "ldap_host", LDAP_HOST),
        "satellite" if role == Role::Satellite => set("sync", "core_host", "HPCACORE"),
        "rpm" => set("patch", "gateway", "proxy.corp:8080"),
        "rms" => set("msgsrv", "log_level", "debug"),
        _ => {}
    }
}

/// Every file and folder below the host folder with its bytes: equal before and after means
/// nothing changed (host.json included).
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if path.is_dir() {
                out.insert(rel, None);
                stack.push(path);
            } else {
                out.insert(rel, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

/// Every file below the host folder whose bytes contain `needle`.
pub fn files_containing(root: &Path, needle: &str) -> Vec<PathBuf> {
    snapshot(root)
        .into_iter()
        .filter_map(|(path, bytes)| {
            let bytes = bytes?;
            bytes
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
                .then_some(path)
        })
        .collect()
}
