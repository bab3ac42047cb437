//! `hpcasim restore <drive> --host DIR`: `hpcarestore <drive>` (B13, B30-B35). Writes the
//! preview report, then asks `y` on a terminal unless `--yes` answers it; `--preview-only`
//! stops after the preview.

use super::{drive_letter, print_review, CliError};
use hpca_reference::fault::Crash;
use hpca_reference::restore;
use hpca_reference::{Error, Host, WinPath};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

/// Restore the backup on a drive into the upgraded 7.90 install.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The drive the backup was written to (C, D: ...).
    #[arg(value_parser = drive_letter)]
    pub drive: char,
    /// The host folder (the simulated server).
    #[arg(long)]
    pub host: PathBuf,
    /// Answer the preview's "go on?" with yes.
    #[arg(long, conflicts_with = "preview_only")]
    pub yes: bool,
    /// Stop after writing the preview report (and the rds scripts to review).
    #[arg(long)]
    pub preview_only: bool,
    /// Where the migration scripts run from: the copy of the media's migrate folder.
    #[arg(long, default_value = r"C:\migrate")]
    pub from: WinPath,
}

/// Checks, previews, asks, restores, and prints where the reports are.
pub fn run(args: RestoreArgs) -> Result<(), CliError> {
    let mut host = Host::open(&args.host)?;
    let crash = Crash::never();
    let plan = restore::check(&host, args.drive, &args.from)?;
    let preview = restore::preview(&mut host, &plan, &crash)?;
    println!(
        "Preview report: {} (JSON: {})",
        preview.report_path, preview.json_path
    );
    for script in &preview.scripts {
        println!("rds migration script to review: {script}");
    }
    print_review(&preview.report);
    if args.preview_only {
        println!(
            "Preview only: nothing was restored. Run again with --yes (or answer y) to restore."
        );
        return Ok(());
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(Error::RestoreNotConfirmed {
                how: "there is no terminal to ask on; pass --yes to restore, or --preview-only to stop after the preview",
            }
            .into());
        }
        eprint!(
            "Review the preview report (and edit the rds scripts if needed). Restore now? [y/N] "
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| CliError::failed(format!("cannot read the answer: {e}")))?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES") {
            return Err(Error::RestoreNotConfirmed {
                how: "the answer was not y",
            }
            .into());
        }
    }
    let out = restore::restore(&mut host, &plan, &crash)?;
    if out.already_done {
        println!("This backup was already restored (the HPCA-restore* files say so); delete them from {} to restore afresh.", plan.folder);
    } else if !out.resumed.is_empty() {
        println!(
            "Resumed an interrupted restore: {} already done.",
            out.resumed.join(", ")
        );
    }
    println!("Report: {} (JSON: {})", out.report_path, out.json_path);
    print_review(&out.report);
    println!("{}", out.report.outcome);
    Ok(())
}
