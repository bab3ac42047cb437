//! Command-line arguments and dispatch. One file per command; each renders its own output.

use clap::{Parser, Subcommand};
use std::fmt;

/// Writes command output to stdout as std's `println!` does, except that a reader who closed
/// the pipe (`hpcasim ... | head`) is no failure: it has what it wanted, and the command
/// finishes its work and exits as it would have. Any other write error still panics, as with
/// std's macro. Every command module below uses this one (textual macro scope).
macro_rules! println {
    () => {
        $crate::cli::write_out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// [`println!`] without the line break.
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!($($arg)*))
    };
}

/// What [`println!`] and [`print!`] do.
pub(crate) fn write_out(text: fmt::Arguments<'_>) {
    use std::io::Write;
    match std::io::stdout().lock().write_fmt(text) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            panic!("failed printing to stdout: {e}")
        }
        _ => {}
    }
}

mod backup;
mod console;
mod deploy;
mod devices;
mod dump;
mod fabricate;
mod live_network;
mod matrix;
mod reboot;
mod replay;
mod restore;
mod service;
mod sqlmigrate;
mod sync;
mod upgrade;
mod wizard;

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
    /// Fabricate an HPCA 7.20/7.50/7.80 Core or Satellite install in a new host folder.
    Fabricate(fabricate::FabricateArgs),
    /// Print a host's canonical state (files, registry, services, database), text or JSON.
    Dump(dump::DumpArgs),
    /// Back up the installed Core or Satellite (hpcabackup <drive>).
    Backup(backup::BackupArgs),
    /// Run the 7.90 installer over the old install.
    Upgrade(upgrade::UpgradeArgs),
    /// Reboot the server: carry out pending file operations.
    Reboot(reboot::RebootArgs),
    /// Run the First Time Setup Wizard (the guide says not to).
    Wizard(wizard::WizardArgs),
    /// Restore the backup into the 7.90 install (hpcarestore <drive>): preview, then y.
    Restore(restore::RestoreArgs),
    /// Synchronize a restored Satellite with its Core ("Synchronize satellite now").
    Sync(sync::SyncArgs),
    /// Migrate the reporting database to the 7.90 keys (sqlmigrate <drive>, or one manual step).
    Sqlmigrate(sqlmigrate::SqlmigrateArgs),
    /// Stop or start a Windows service by name.
    Service(service::ServiceArgs),
    /// Log in to the 7.90 console (http://<host>:3466); then open remote access again.
    Console(console::ConsoleArgs),
    /// Check the HP Live Network configuration, update all content, or configure it.
    LiveNetwork(live_network::LiveNetworkArgs),
    /// Upgrade deployed agents or Administrators, or deploy a service, from the Core.
    Deploy(deploy::DeployArgs),
    /// List the devices the Core manages, with their agent and Administrator versions.
    Devices(devices::DevicesArgs),
    /// Replay one scenario file in a temporary host and check its outcome.
    Replay(replay::ReplayArgs),
    /// Run the whole scenario catalogue in parallel (the main job).
    Matrix(matrix::MatrixArgs),
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
        Command::Fabricate(args) => fabricate::run(args),
        Command::Dump(args) => dump::run(args),
        Command::Backup(args) => backup::run(args),
        Command::Upgrade(args) => upgrade::run(args),
        Command::Reboot(args) => reboot::run(args),
        Command::Wizard(args) => wizard::run(args),
        Command::Restore(args) => restore::run(args),
        Command::Sync(args) => sync::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Matrix(args) => matrix::run(args),
        Command::Sqlmigrate(args) => sqlmigrate::run(args),
        Command::Service(args) => service::run(args),
        Command::Console(args) => console::run(args),
        Command::LiveNetwork(args) => live_network::run(args),
        Command::Deploy(args) => deploy::run(args),
        Command::Devices(args) => devices::run(args),
    }
}

/// Parses a drive letter as an operator types it: `C`, `c`, `C:` or `C:\`.
pub fn drive_letter(text: &str) -> Result<char, String> {
    let trimmed = text
        .trim()
        .trim_end_matches(['\\', '/'])
        .trim_end_matches(':');
    let mut chars = trimmed.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Ok(c.to_ascii_uppercase()),
        _ => Err(format!(
            "'{text}' is not a drive letter: write one letter, as in C or D:"
        )),
    }
}

/// Prints how many report entries need reading, when any do.
pub fn print_review(report: &hpca_reference::report::Report) {
    let review = report
        .counts()
        .iter()
        .filter(|(l, n)| *l != hpca_reference::report::Level::Info && *n > 0)
        .map(|(l, n)| format!("{n} {}", l.as_str()))
        .collect::<Vec<_>>();
    if !review.is_empty() {
        println!("Review the report: {}.", review.join(", "));
    }
}
