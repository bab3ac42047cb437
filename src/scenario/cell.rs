//! Cells: one scenario at one version and role. The matrix runs cells; `--partition K/N`
//! splits them deterministically across machines.

use super::model::Scenario;
use hpca_reference::{Role, Version};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One run of one scenario: a version and a role out of its `given`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cell {
    /// The scenario's name: its path below `scenarios/`, without `.toml` ("backup/rerun").
    pub name: String,
    pub file: PathBuf,
    pub version: Version,
    pub role: Role,
    pub seed: u64,
}

impl Cell {
    /// A stable id, e.g. `backup/rerun[7.50-core]`.
    pub fn id(&self) -> String {
        format!("{}[{}-{}]", self.name, self.version, self.role)
    }

    /// The one command that replays this cell.
    pub fn replay_command(&self) -> String {
        format!(
            "hpcasim replay {} --version {} --role {} --seed {}",
            self.file.display(),
            self.version,
            self.role,
            self.seed
        )
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

/// The scenario's name from its path below the catalogue root.
pub fn scenario_name(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    rel.with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The cells of one scenario: every listed version times every listed role.
pub fn cells(name: &str, file: &Path, scenario: &Scenario, seed: Option<u64>) -> Vec<Cell> {
    let g = &scenario.given;
    let versions: Vec<Version> = g
        .version
        .map(|v| vec![v])
        .unwrap_or_else(|| g.versions.clone());
    let roles: Vec<Role> = g.role.map(|r| vec![r]).unwrap_or_else(|| g.roles.clone());
    let mut out = Vec::new();
    for version in &versions {
        for role in &roles {
            out.push(Cell {
                name: name.to_string(),
                file: file.to_path_buf(),
                version: *version,
                role: *role,
                seed: seed.unwrap_or(g.seed),
            });
        }
    }
    out
}

/// `K/N`: the K-th of N deterministic slices of the catalogue (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub index: usize,
    pub count: usize,
}

impl Partition {
    /// Whether the cell at `position` (in the catalogue's sorted order) belongs to this slice.
    /// Round-robin over the sorted cells: every cell lands in exactly one slice, and slices
    /// differ in size by at most one.
    pub fn contains(&self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

impl FromStr for Partition {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{s}' is not a partition: write K/N with 1 <= K <= N, e.g. 2/3");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = k.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Partition { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_cover_every_position_exactly_once() {
        for n in 1..6 {
            let parts: Vec<Partition> = (1..=n)
                .map(|k| format!("{k}/{n}").parse().unwrap())
                .collect();
            for pos in 0..50 {
                assert_eq!(parts.iter().filter(|p| p.contains(pos)).count(), 1);
            }
        }
        for bad in ["0/3", "4/3", "1/0", "x", "1-3"] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }
}
