//! `hpca-simulator`: fabricates realistic HPCA 7.20/7.50/7.80 hosts (install tree, CSDB,
//! services, reporting database with its defects) from a seed, and injects faults.
//! It builds worlds; it does not migrate (that is `hpca-reference`).
pub mod reportdb;
