//! `hpca-reference`: the HPCA 7.90 migration procedure (backup, installer upgrade, reboot,
//! restore, sqlmigrate, satellite sync, then console login, Live Network update and the
//! upgrade of deployed agents and Administrators) as a library, plus the pieces it stands on:
//! the host model, Windows paths, the database port and its backends, and the canonical dump.
//!
//! It does not fabricate installs (that is `hpca-simulator`), and it never prints, prompts or
//! exits: it returns results and report models for the CLI to render.

pub mod backup;
pub mod calendar;
pub mod console;
pub mod csdb;
pub mod db;
pub mod deploy;
pub mod devices;
pub mod dump;
pub mod error;
pub mod fault;
pub mod host;
pub mod install;
pub mod livenetwork;
pub mod paths;
pub mod preconditions;
pub mod product;
pub mod reboot;
pub mod report;
pub mod restore;
pub mod service;
pub mod sqlmigrate;
pub mod sync;
pub mod upgrade;
pub mod winpath;

pub use error::{Error, Result};
pub use host::Host;
pub use product::{DatabaseServer, Edition, Role, Version};
pub use winpath::WinPath;
