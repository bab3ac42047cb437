//! The devices a fabricated Core manages: the estate of its reporting database (same names,
//! same platforms), each with an HPCA agent (mostly at the Core's version, some a release
//! behind, as sites upgrade agents late), and on a few Windows devices, the operators'
//! workstations, an HPCA Administrator at the Core's version (B60, B61).

use crate::reportdb;
use crate::site::{self, Stream};
use hpca_reference::devices::{self, ManagedDevice, Platform};
use hpca_reference::{Host, Result, Version};
use rand::seq::SliceRandom;
use rand::Rng;

/// At most this many devices have an Administrator, however large the estate.
const MAX_ADMINISTRATORS: usize = 4;
/// One device in this many has an agent a release older than the Core.
const LAGGING_AGENTS: u32 = 5;

/// The device list of a `version` Core with `count` devices, drawn from `seed`.
pub fn draw(version: Version, seed: u64, count: u32, now: u64) -> Vec<ManagedDevice> {
    let mut rng = site::rng(seed, Stream::Devices);
    let older = Version::SOURCES
        .iter()
        .copied()
        .take_while(|v| *v < version)
        .last();
    let mut list: Vec<ManagedDevice> = reportdb::estate(seed, count, now)
        .into_iter()
        .map(|(name, platform)| {
            let lagging = rng.gen_ratio(1, LAGGING_AGENTS);
            ManagedDevice {
                name,
                platform,
                agent: older.filter(|_| lagging).unwrap_or(version),
                agent_upgraded_by: None,
                administrator: None,
                administrator_installed_by: None,
                services: Vec::new(),
            }
        })
        .collect();
    let windows: Vec<usize> = (0..list.len())
        .filter(|i| list[*i].platform == Platform::Windows)
        .collect();
    let wanted = (1 + count as usize / 25).min(MAX_ADMINISTRATORS);
    for i in windows.choose_multiple(&mut rng, wanted.min(windows.len())) {
        list[*i].administrator = Some(version);
    }
    list
}

/// Writes the device list of a fabricated Core (`Core\data\devices.json`).
pub fn fabricate(host: &mut Host, version: Version, seed: u64, count: u32) -> Result<()> {
    let list = draw(version, seed, count, host.now());
    devices::write(host, &list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_are_never_newer_than_the_core_and_administrators_run_on_windows_b60_b61() {
        let list = draw(Version::V750, 3, 60, 1_270_000_000);
        assert_eq!(list.len(), 60);
        assert!(list
            .iter()
            .all(|d| d.agent == Version::V750 || d.agent == Version::V720));
        let admins: Vec<_> = list.iter().filter(|d| d.administrator.is_some()).collect();
        assert_eq!(admins.len(), 3);
        assert!(admins.iter().all(|d| d.platform == Platform::Windows));
        assert!(draw(Version::V720, 3, 60, 0)
            .iter()
            .all(|d| d.agent == Version::V720));
        assert_eq!(draw(Version::V750, 3, 60, 1_270_000_000), list);
    }
}
