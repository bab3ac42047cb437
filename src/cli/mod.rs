//! Command-line arguments and dispatch. One file per command; each renders its own output.

use clap::{Parser, Subcommand};
use std::fmt;

mod service;
mod sqlmigrate;

/// Rehearse and verify the HPCA Enterprise 7.20/7.50/7.80 to 7.90 migration on simulated hosts.
#[derive(Debug, Parser)]
#[command(name = "hpcasim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The commands, in the order an operator meets them.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the reporting database to the 7.90 keys (sqlmigrate <drive>, or one manual step).
    Sqlmigrate(sqlmigrate::SqlmigrateArgs),
    /// Stop or start a Windows service by name.
    Service(service::ServiceArgs),
}

/// A failure the CLI reports: its message, and the exit status it maps to.
#[derive(Debug)]
pub struct CliError {
    message: String,
    code: u8,
}

impl CliError {
    /// A migration step refused or failed (exit 1).
    pub fn failed(message: impl fmt::Display) -> CliError {
        CliError {
            message: message.to_string(),
            code: 1,
        }
    }

    /// The command line itself is wrong (exit 2).
    pub fn usage(message: impl fmt::Display) -> CliError {
        CliError {
            message: message.to_string(),
            code: 2,
        }
    }

    /// The process exit status.
    pub fn exit_code(&self) -> u8 {
        self.code
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<hpca_reference::Error> for CliError {
    fn from(e: hpca_reference::Error) -> Self {
        CliError::failed(e)
    }
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Sqlmigrate(args) => sqlmigrate::run(args),
        Command::Service(args) => service::run(args),
    }
}
