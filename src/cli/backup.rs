//! `hpcasim backup <drive> --host DIR`: `hpcabackup <drive>` (B10-B15).

use super::{drive_letter, print_review, CliError};
use hpca_reference::fault::Crash;
use hpca_reference::{backup, Host, WinPath};
use std::path::PathBuf;

/// Back up the installed Core or Satellite to `<drive>:\HPCABackup\HPCABackup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The drive to write the backup to (C, D: ...).
    #[arg(value_parser = drive_letter)]
    pub drive: char,
    /// The host folder (the simulated server).
    #[arg(long)]
    pub host: PathBuf,
    /// Where the migration scripts run from: the copy of the media's migrate folder.
    #[arg(long, default_value = r"C:\migrate")]
    pub from: WinPath,
}

/// Runs the backup and prints where the report is and the closing line.
pub fn run(args: BackupArgs) -> Result<(), CliError> {
    let mut host = Host::open(&args.host)?;
    let out = backup::backup(&mut host, args.drive, &args.from, &Crash::never())?;
    if out.replaced_interrupted {
        println!(
            "An interrupted backup was found in {}: it was no complete backup, and was written again.",
            hpca_reference::paths::backup_dir(args.drive.to_ascii_uppercase())
        );
    }
    if let Some(previous) = &out.renamed_previous {
        println!("The previous backup was renamed to {previous}.");
    }
    println!("Report: {} (JSON: {})", out.report_path, out.json_path);
    print_review(&out.report);
    println!("{}", out.success_line);
    Ok(())
}
