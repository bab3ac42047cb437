//! Table definitions and the catalogue of HPCA reporting tables per version (Appendix A
//! of the guide and the parents its tables reference).

use serde::{Deserialize, Serialize};

/// The column types the reporting database uses, mapped per backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnType {
    Integer,
    Real,
    Text,
    /// A date and time, stored as ISO-8601 text.
    Timestamp,
    Blob,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnDef {
    pub name: String,
    pub ty: ColumnType,
    pub not_null: bool,
}

/// A foreign key: `columns` of this table reference `parent_columns` of `parent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub parent: String,
    pub parent_columns: Vec<String>,
}

/// A table: columns, primary key (empty when the table has none), foreign keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDef {
    pub name: String,
    pub columns: Vec<ColumnDef>,
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKey>,
}

use super::catalogue::{Spec, DEVICE, TABLES};
use crate::product::Version;
use std::sync::OnceLock;

/// The column of every per-device table that references `Device`.
pub const MACHINE_ID: &str = "MachineId";
/// The parent of every per-device table; not in Appendix A, so never dropped by sqlmigrate.
pub const DEVICE_TABLE: &str = "Device";

impl TableDef {
    /// The column named `name` (case-insensitively, as SQL compares names), with its index.
    pub fn column(&self, name: &str) -> Option<(usize, &ColumnDef)> {
        self.columns
            .iter()
            .enumerate()
            .find(|(_, c)| c.name.eq_ignore_ascii_case(name))
    }

    /// The column names, in order.
    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }
}

/// The 151 tables of the guide's Appendix A, in its order (the order to drop them in;
/// import in reverse), spelled exactly as the guide spells them.
pub fn appendix_a() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        include_str!("appendix_a.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    })
}

/// Whether `name` is an Appendix A table (the tables sqlmigrate re-creates).
pub fn in_appendix_a(name: &str) -> bool {
    appendix_a().iter().any(|t| t.eq_ignore_ascii_case(name))
}

/// Every table of `version`'s reporting schema, parents before the tables that reference
/// them (so creating them in this order always works): `Device`, then Appendix A reversed.
pub fn catalogue(version: Version) -> Vec<TableDef> {
    std::iter::once(&DEVICE)
        .chain(TABLES.iter().rev())
        .filter(|spec| spec.since <= version)
        .map(|spec| expand(spec, version))
        .collect()
}

/// One table of `version`'s schema, or `None` when that version has no such table.
pub fn table(version: Version, name: &str) -> Option<TableDef> {
    std::iter::once(&DEVICE)
        .chain(TABLES.iter())
        .find(|spec| spec.name.eq_ignore_ascii_case(name))
        .filter(|spec| spec.since <= version)
        .map(|spec| expand(spec, version))
}

/// Whether `version`'s schema carries the 7.90 keys on the Appendix A tables (7.80 on; B40).
pub fn has_790_keys(version: Version) -> bool {
    version >= Version::V780
}

fn expand(spec: &Spec, version: Version) -> TableDef {
    // `Device` is keyed in every version: sqlmigrate never re-creates it.
    let keyed = has_790_keys(version) || spec.name == DEVICE_TABLE;
    let mut columns = Vec::new();
    let mut primary_key = Vec::new();
    let mut foreign_keys = Vec::new();
    if spec.per_device {
        columns.push(ColumnDef {
            name: MACHINE_ID.to_string(),
            ty: ColumnType::Integer,
            not_null: keyed,
        });
        primary_key.push(MACHINE_ID.to_string());
        foreign_keys.push(ForeignKey {
            columns: vec![MACHINE_ID.to_string()],
            parent: DEVICE_TABLE.to_string(),
            parent_columns: vec!["DeviceId".to_string()],
        });
    }
    for token in spec.columns.split_whitespace() {
        let (body, key, tightened) = match token.as_bytes()[token.len() - 1] {
            b'*' => (&token[..token.len() - 1], true, false),
            b'!' => (&token[..token.len() - 1], false, true),
            _ => (token, false, false),
        };
        let (name, ty) = match body.split_once(':') {
            Some((name, "I")) => (name, ColumnType::Integer),
            Some((name, "R")) => (name, ColumnType::Real),
            Some((name, "D")) => (name, ColumnType::Timestamp),
            Some((name, "B")) => (name, ColumnType::Blob),
            Some((_, other)) => panic!("catalogue: unknown type {other} in {}", spec.name),
            None => (body, ColumnType::Text),
        };
        if key {
            primary_key.push(name.to_string());
        }
        columns.push(ColumnDef {
            name: name.to_string(),
            ty,
            not_null: keyed && (key || tightened),
        });
    }
    foreign_keys.extend(
        spec.foreign_keys
            .iter()
            .map(|(col, parent, parent_col)| ForeignKey {
                columns: vec![col.to_string()],
                parent: parent.to_string(),
                parent_columns: vec![parent_col.to_string()],
            }),
    );
    if !keyed {
        primary_key.clear();
        foreign_keys.clear();
    }
    TableDef {
        name: spec.name.to_string(),
        columns,
        primary_key,
        foreign_keys,
    }
}
