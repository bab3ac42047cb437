//! The canonical dump of a host: everything a migration can change (files by digest,
//! registry, services, firewall, users, media, clock, drives, and each reporting table's
//! rows by digest), in a stable order, so two hosts compare by comparing two dumps.
//!
//! Architecture Invariant: a dump never holds a whole file or table in memory, and never
//! shows the DSN password ([`Dsn::redacted`]).

use crate::db::{self, digest::table_digest, Database};
use crate::error::{Error, Result};
use crate::host::{
    BootServer, ConsoleUser, Dsn, Host, InstalledProduct, Media, PendingFileOperation, Service,
    WizardState,
};
use crate::product::{DatabaseServer, Role, Version};
use crate::winpath::WinPath;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Read;

/// The canonical state of one host.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dump {
    /// The installed HPCA version, if a product is installed.
    pub version: Option<Version>,
    /// The installed role, if a product is installed.
    pub role: Option<Role>,
    pub hostname: String,
    /// The host clock, unix seconds.
    pub clock: u64,
    /// Drives by letter.
    pub drives: BTreeMap<char, DriveDump>,
    pub registry: RegistryDump,
    pub services: BTreeMap<String, Service>,
    /// The inbound ports open in the firewall.
    pub firewall: Vec<u16>,
    pub users: Vec<ConsoleUser>,
    pub media: Option<Media>,
    pub database: DatabaseDump,
    /// Every file on every drive but the reporting database's own, in path order.
    pub files: Vec<FileDump>,
}

/// A drive's capacity and use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DriveDump {
    pub capacity: u64,
    pub used: u64,
    pub read_only: bool,
    pub label: String,
}

/// The registry, with the DSN password removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegistryDump {
    pub product: Option<InstalledProduct>,
    /// The DSN as [`Dsn::redacted`] shows it.
    pub dsn: Option<String>,
    pub pending_file_operations: Vec<PendingFileOperation>,
    pub reboot_required: bool,
    pub first_time_setup: WizardState,
    pub boot_server: Option<BootServer>,
    pub administrator: Option<Version>,
}

/// The reporting database: its server and each table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatabaseDump {
    pub server: DatabaseServer,
    /// Tables by name; empty when the host has no reporting database.
    pub tables: BTreeMap<String, TableDump>,
}

/// One table: row count, order-independent digest of its rows, and its keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableDump {
    pub rows: u64,
    pub digest: String,
    pub primary_key: Vec<String>,
    pub foreign_keys: usize,
}

/// One file: path, size and SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDump {
    pub path: WinPath,
    pub size: u64,
    pub sha256: String,
}

/// Dumps a host, reading its reporting database through [`db::open`].
pub fn dump(host: &Host) -> Result<Dump> {
    let mut database = db::open(host)?;
    // Shorten the trait object's lifetime explicitly: coercion does not reach inside Option.
    dump_with(
        host,
        database.as_mut().map(|d| d.as_mut() as &mut dyn Database),
    )
}

/// Dumps a host, reading its reporting database (if any) through `database`.
pub fn dump_with(host: &Host, database: Option<&mut dyn Database>) -> Result<Dump> {
    let state = host.state();
    let registry = &state.registry;
    let product = registry.product.as_ref();
    let mut drives = BTreeMap::new();
    for (letter, drive) in &state.drives {
        drives.insert(
            *letter,
            DriveDump {
                capacity: drive.capacity,
                used: host.used(*letter)?,
                read_only: drive.read_only,
                label: drive.label.clone(),
            },
        );
    }
    let excluded = registry.dsn.as_ref().and_then(database_file);
    let mut files = Vec::new();
    for entry in host.walk_all()? {
        if excluded
            .as_ref()
            .is_some_and(|db| is_database_file(&entry.path, db))
        {
            continue;
        }
        files.push(FileDump {
            sha256: file_sha256(host, &entry.path)?,
            path: entry.path,
            size: entry.size,
        });
    }
    let mut tables = BTreeMap::new();
    if let Some(db) = database {
        for name in db.table_names()? {
            let def = db.describe(&name)?;
            let digest = table_digest(db, &name)?;
            tables.insert(
                name,
                TableDump {
                    rows: digest.rows,
                    digest: digest.digest,
                    primary_key: def
                        .as_ref()
                        .map(|d| d.primary_key.clone())
                        .unwrap_or_default(),
                    foreign_keys: def.as_ref().map_or(0, |d| d.foreign_keys.len()),
                },
            );
        }
    }
    Ok(Dump {
        version: product.map(|p| p.version),
        role: product.map(|p| p.role),
        hostname: state.hostname.clone(),
        clock: state.clock,
        drives,
        registry: RegistryDump {
            product: product.cloned(),
            dsn: registry.dsn.as_ref().map(Dsn::redacted),
            pending_file_operations: registry.pending_file_operations.clone(),
            reboot_required: registry.reboot_required,
            first_time_setup: registry.first_time_setup,
            boot_server: registry.boot_server.clone(),
            administrator: registry.administrator,
        },
        services: state.services.clone(),
        firewall: state.firewall.open_ports.iter().copied().collect(),
        users: state.users.clone(),
        media: state.media.clone(),
        database: DatabaseDump {
            server: state.database_server,
            tables,
        },
        files,
    })
}

/// The SQLite file a DSN names, when the DSN is the SQLite stand-in (no server).
fn database_file(dsn: &Dsn) -> Option<WinPath> {
    if !dsn.server.is_empty() {
        return None;
    }
    WinPath::parse(&dsn.database).ok()
}

/// The database file itself or the journal files SQLite keeps beside it: their bytes depend
/// on page layout, and the rows they hold are in the dump's `database` section.
fn is_database_file(path: &WinPath, db: &WinPath) -> bool {
    if path == db {
        return true;
    }
    let (Some(name), Some(db_name)) = (path.file_name(), db.file_name()) else {
        return false;
    };
    path.parent() == db.parent()
        && ["-journal", "-wal", "-shm"]
            .iter()
            .any(|suffix| name.eq_ignore_ascii_case(&format!("{db_name}{suffix}")))
}

fn file_sha256(host: &Host, path: &WinPath) -> Result<String> {
    let real = host.real_path(path)?;
    let mut file = std::fs::File::open(&real).map_err(Error::io("read", &real))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(Error::io("read", &real))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn or_none<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "none".to_string(), |v| v.to_string())
}

impl Dump {
    /// One JSON object (pretty-printed, keys in a fixed order).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a dump serializes")
    }

    /// The text form: one fact a line, sections in a fixed order, so `diff` shows changes.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let o = &mut out;
        let _ = writeln!(o, "host {}", self.hostname);
        let _ = writeln!(o, "clock {}", self.clock);
        let _ = writeln!(o, "version {}", or_none(self.version));
        let _ = writeln!(o, "role {}", or_none(self.role));
        let _ = writeln!(o, "\n[drives]");
        for (letter, d) in &self.drives {
            let ro = if d.read_only { " read-only" } else { "" };
            let _ = writeln!(
                o,
                "{letter}: capacity={} used={} label={}{ro}",
                d.capacity, d.used, d.label
            );
        }
        self.registry_text(o);
        let _ = writeln!(o, "\n[services]");
        for (name, s) in &self.services {
            let state = if s.running { "running" } else { "stopped" };
            let _ = writeln!(o, "{name}: {state} {}", s.image);
        }
        let _ = writeln!(o, "\n[firewall]");
        let ports: Vec<String> = self.firewall.iter().map(u16::to_string).collect();
        let _ = writeln!(
            o,
            "open ports: {}",
            if ports.is_empty() {
                "none".into()
            } else {
                ports.join(", ")
            }
        );
        let _ = writeln!(o, "\n[users]");
        for u in &self.users {
            let _ = writeln!(
                o,
                "{}: created_in={} roles=[{}] credential={}",
                u.name,
                u.created_in,
                u.roles.join(", "),
                u.credential_digest
            );
        }
        let _ = writeln!(o, "\n[media]");
        match &self.media {
            Some(m) => {
                let _ = writeln!(o, "{}: HPCA {}", m.drive, m.version);
            }
            None => {
                let _ = writeln!(o, "none");
            }
        }
        let _ = writeln!(o, "\n[database]");
        let _ = writeln!(o, "server {}", self.database.server.as_str());
        for (name, t) in &self.database.tables {
            let _ = writeln!(
                o,
                "{name}: rows={} digest={} primary_key=[{}] foreign_keys={}",
                t.rows,
                t.digest,
                t.primary_key.join(", "),
                t.foreign_keys
            );
        }
        let _ = writeln!(o, "\n[files]");
        for f in &self.files {
            let _ = writeln!(o, "{} {:>10} {}", f.sha256, f.size, f.path);
        }
        out
    }

    /// The text lines only `self` has (`- ...`) and only `other` has (`+ ...`), for a test or
    /// a scenario to say what changed between two dumps; empty when they are the same.
    pub fn differences(&self, other: &Dump) -> Vec<String> {
        let (a, b) = (self.to_text(), other.to_text());
        let before: BTreeSet<&str> = a.lines().collect();
        let after: BTreeSet<&str> = b.lines().collect();
        let gone = before.difference(&after).map(|l| format!("- {l}"));
        let new = after.difference(&before).map(|l| format!("+ {l}"));
        gone.chain(new).collect()
    }

    fn registry_text(&self, o: &mut String) {
        let r = &self.registry;
        let _ = writeln!(o, "\n[registry]");
        match &r.product {
            Some(p) => {
                let _ = writeln!(
                    o,
                    "product: {} {} {} {} at {}",
                    p.name,
                    p.edition.as_str(),
                    p.version,
                    p.role,
                    p.install_dir
                );
                let _ = writeln!(o, "installed_size: {}", p.installed_size);
                let _ = writeln!(o, "core_host: {}", or_none(p.core_host.as_ref()));
            }
            None => {
                let _ = writeln!(o, "product: none");
            }
        }
        let _ = writeln!(o, "dsn: {}", or_none(r.dsn.as_ref()));
        let _ = writeln!(o, "administrator: {}", or_none(r.administrator));
        match &r.boot_server {
            Some(b) => {
                let _ = writeln!(
                    o,
                    "boot_server: {} customizations=[{}]",
                    b.install_dir,
                    b.customizations.join(", ")
                );
            }
            None => {
                let _ = writeln!(o, "boot_server: none");
            }
        }
        let _ = writeln!(o, "reboot_required: {}", r.reboot_required);
        let wizard = serde_json::to_value(r.first_time_setup).expect("serializes");
        let _ = writeln!(o, "first_time_setup: {}", wizard.as_str().unwrap_or("?"));
        let _ = writeln!(
            o,
            "pending_file_operations: {}",
            r.pending_file_operations.len()
        );
        for op in &r.pending_file_operations {
            match &op.replacement {
                Some(with) => {
                    let _ = writeln!(o, "  replace {} with {with}", op.path);
                }
                None => {
                    let _ = writeln!(o, "  delete {}", op.path);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
