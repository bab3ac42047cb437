//! Defects: rows a 7.20/7.50 database accepts (its Appendix A tables have no keys) that the
//! 7.90 schema rejects, and the ledger that records exactly which rows they are.

use hpca_reference::{Error, Host, Result};
use std::fmt;
use std::str::FromStr;

/// A kind of row the 7.90 schema rejects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefectKind {
    /// A row whose device is not in `Device` (an agent deleted while its inventory stayed);
    /// the 7.90 foreign key rejects it.
    Orphan,
    /// A second row with the key of an earlier one (the duplicate device entries the guide
    /// warns about when agents connect during the upgrade); the 7.90 primary key rejects
    /// the later copy.
    Duplicate,
    /// NULL in a column 7.90 declares NOT NULL.
    Null,
}

impl DefectKind {
    /// Every kind, in ledger order.
    pub const ALL: [DefectKind; 3] = [DefectKind::Orphan, DefectKind::Duplicate, DefectKind::Null];

    /// The kind as `--defects` and the ledger spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            DefectKind::Orphan => "orphans",
            DefectKind::Duplicate => "duplicates",
            DefectKind::Null => "nulls",
        }
    }
}

impl fmt::Display for DefectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DefectKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        DefectKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown defect kind '{}': supported are orphans, duplicates and nulls",
                    s.trim()
                )
            })
    }
}

/// How often each defect occurs: the probability, per generated row, that it is defective
/// in that way.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DefectPlan {
    pub orphans: f64,
    pub duplicates: f64,
    pub nulls: f64,
}

impl DefectPlan {
    /// No defects: every row fits the 7.90 schema.
    pub fn none() -> DefectPlan {
        DefectPlan::default()
    }

    /// Whether any defect has a non-zero rate.
    pub fn any(&self) -> bool {
        self.orphans > 0.0 || self.duplicates > 0.0 || self.nulls > 0.0
    }

    /// The rate of one kind.
    pub fn rate(&self, kind: DefectKind) -> f64 {
        match kind {
            DefectKind::Orphan => self.orphans,
            DefectKind::Duplicate => self.duplicates,
            DefectKind::Null => self.nulls,
        }
    }
}

impl fmt::Display for DefectPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = DefectKind::ALL
            .iter()
            .filter(|k| self.rate(**k) > 0.0)
            .map(|k| format!("{k}={}", self.rate(*k)))
            .collect();
        f.write_str(&parts.join(","))
    }
}

impl FromStr for DefectPlan {
    type Err = String;
    /// Parses `orphans=0.01,duplicates=0.002,nulls=0.001` (any subset; empty = none).
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let mut plan = DefectPlan::none();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (kind, rate) = part.split_once('=').ok_or_else(|| {
                format!("'{part}' is not KIND=RATE: write e.g. orphans=0.01 (kinds: orphans, duplicates, nulls)")
            })?;
            let kind: DefectKind = kind.parse()?;
            let rate: f64 = rate.trim().parse().map_err(|_| {
                format!(
                    "'{}' is not a number: give {kind} a rate between 0 and 1, e.g. {kind}=0.01",
                    rate.trim()
                )
            })?;
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!(
                    "{kind}={rate} is outside 0..1: a rate is the share of rows, e.g. {kind}=0.01"
                ));
            }
            match kind {
                DefectKind::Orphan => plan.orphans = rate,
                DefectKind::Duplicate => plan.duplicates = rate,
                DefectKind::Null => plan.nulls = rate,
            }
        }
        Ok(plan)
    }
}

/// One defective row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Defect {
    pub table: String,
    pub kind: DefectKind,
    /// SHA-256 hex of the row (`db::digest::row_hash` of its values in column order).
    pub row_hash: String,
    /// What is wrong, for a person: the orphan device, the duplicated key, the NULL column.
    pub description: String,
}

/// Every defective row the fabricator put into the database, in insertion order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DefectLedger {
    pub defects: Vec<Defect>,
}

/// The ledger's file name beside the host (see `Host::sidecar_path`).
pub const LEDGER_FILE: &str = "defects.tsv";

impl DefectLedger {
    /// How many defects of `kind` the ledger holds.
    pub fn count(&self, kind: DefectKind) -> usize {
        self.defects.iter().filter(|d| d.kind == kind).count()
    }

    /// Writes the ledger (tab-separated: table, kind, row hash, description) beside the host.
    pub fn write(&self, host: &Host) -> Result<()> {
        let path = host.sidecar_path(LEDGER_FILE);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
        }
        let mut text = String::from("table\tkind\trow_sha256\tdescription\n");
        for d in &self.defects {
            text.push_str(&format!(
                "{}\t{}\t{}\t{}\n",
                d.table,
                d.kind,
                d.row_hash,
                d.description.replace(['\t', '\n'], " ")
            ));
        }
        std::fs::write(&path, text).map_err(Error::io("write", path))
    }

    /// Reads the ledger the fabricator wrote beside the host; an empty ledger when none.
    pub fn read(host: &Host) -> Result<DefectLedger> {
        let path = host.sidecar_path(LEDGER_FILE);
        if !path.exists() {
            return Ok(DefectLedger::default());
        }
        let text = std::fs::read_to_string(&path).map_err(Error::io("read", &path))?;
        let corrupt = |line: usize, why: &str| Error::StateCorrupt {
            path: path.clone(),
            reason: format!("line {line}: {why}"),
        };
        let mut defects = Vec::new();
        for (i, line) in text.lines().enumerate().skip(1) {
            let f: Vec<&str> = line.splitn(4, '\t').collect();
            if f.len() != 4 {
                return Err(corrupt(i + 1, "expected 4 tab-separated fields"));
            }
            defects.push(Defect {
                table: f[0].to_string(),
                kind: f[1].parse().map_err(|e: String| corrupt(i + 1, &e))?,
                row_hash: f[2].to_string(),
                description: f[3].to_string(),
            });
        }
        Ok(DefectLedger { defects })
    }
}
