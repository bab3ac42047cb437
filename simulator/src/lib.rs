//! `hpca-simulator`: fabricates realistic HPCA 7.20/7.50/7.80 hosts (install tree, CSDB,
//! services, reporting database with its defects, the Core's managed devices and Live Network
//! content) from a seed, and injects faults.
//! It builds worlds; it does not migrate (that is `hpca-reference`).
//!
//! The entry point is [`Fabricate`]: options in, a [`hpca_reference::Host`] out.

pub mod csdb;
pub mod devices;
pub mod fabricate;
pub mod install;
pub mod livenetwork;
pub mod media;
pub mod reportdb;
pub mod site;
pub mod users;

pub use fabricate::{parse_size, DriveLayout, Fabricate, MigrateCopy};
