//! Order-independent, streaming digests of a table's rows, for the canonical dump.
//!
//! Each row is encoded canonically (a type tag per value, lengths before bytes) and hashed
//! with SHA-256; the table digest is the sum of the row hashes in four wrapping 64-bit lanes.
//! A sum is a multiset hash: it does not depend on the order rows come out in (an import in
//! reverse order may store them differently) and needs no memory beyond one row.

use super::{Database, Value, ValueRef};
use crate::error::Result;
use sha2::{Digest, Sha256};

/// A table's row count and the digest of its rows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableDigest {
    pub rows: u64,
    pub digest: String,
}

/// Accumulates row hashes into a multiset digest.
#[derive(Debug, Default, Clone)]
pub struct RowDigest {
    lanes: [u64; 4],
    rows: u64,
}

impl RowDigest {
    /// Adds one row.
    pub fn add(&mut self, row: &[Value]) {
        self.add_values(row.iter().map(ValueRef::from));
    }

    /// Adds one row, given as its values.
    pub fn add_values<'a>(&mut self, row: impl IntoIterator<Item = ValueRef<'a>>) {
        let hash = hash_values(row);
        for (lane, chunk) in self.lanes.iter_mut().zip(hash.chunks_exact(8)) {
            *lane = lane.wrapping_add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        self.rows += 1;
    }

    /// The row count and the digest as hex.
    pub fn finish(&self) -> TableDigest {
        let digest = self.lanes.iter().map(|l| format!("{l:016x}")).collect();
        TableDigest {
            rows: self.rows,
            digest,
        }
    }
}

/// SHA-256 of one row's canonical encoding.
pub fn row_hash(row: &[Value]) -> [u8; 32] {
    hash_values(row.iter().map(ValueRef::from))
}

/// [`row_hash`] of a row given as its values.
pub fn hash_values<'a>(row: impl IntoIterator<Item = ValueRef<'a>>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for value in row {
        match value {
            ValueRef::Null => hasher.update([0u8]),
            ValueRef::Int(i) => {
                hasher.update([1u8]);
                hasher.update(i.to_le_bytes());
            }
            ValueRef::Real(r) => {
                hasher.update([2u8]);
                hasher.update(r.to_bits().to_le_bytes());
            }
            ValueRef::Text(t) => {
                hasher.update([3u8]);
                hasher.update((t.len() as u64).to_le_bytes());
                hasher.update(t.as_bytes());
            }
            ValueRef::Blob(b) => {
                hasher.update([4u8]);
                hasher.update((b.len() as u64).to_le_bytes());
                hasher.update(b);
            }
        }
    }
    hasher.finalize().into()
}

/// Streams a table and digests its rows.
pub fn table_digest(db: &mut dyn Database, table: &str) -> Result<TableDigest> {
    let mut digest = RowDigest::default();
    db.stream_rows(table, &mut |row| {
        digest.add(row);
        Ok(())
    })?;
    Ok(digest.finish())
}

/// Every table's row count and digest, by table name (the database part of the dump).
pub fn database_digests(
    db: &mut dyn Database,
) -> Result<std::collections::BTreeMap<String, TableDigest>> {
    let mut digests = std::collections::BTreeMap::new();
    for table in db.table_names()? {
        let digest = table_digest(db, &table)?;
        digests.insert(table, digest);
    }
    Ok(digests)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_ignores_row_order_but_not_content() {
        let a = vec![Value::Int(1), Value::Text("x".into())];
        let b = vec![Value::Int(2), Value::Null];
        let mut one = RowDigest::default();
        one.add(&a);
        one.add(&b);
        let mut two = RowDigest::default();
        two.add(&b);
        two.add(&a);
        assert_eq!(one.finish(), two.finish());
        let mut three = RowDigest::default();
        three.add(&a);
        three.add(&[Value::Int(2), Value::Text(String::new())]);
        assert_ne!(one.finish(), three.finish());
    }
}
