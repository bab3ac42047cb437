//! Table definitions and (filled in by the database issue) the catalogue of HPCA reporting
//! tables per version.

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
