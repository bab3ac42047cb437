//! `hpcasim wizard --host DIR`: runs the First Time Setup Wizard the installer opened, the
//! mistake the guide warns against (B24).

use super::{print_review, CliError};
use hpca_reference::{upgrade, Host, WinPath};
use std::path::PathBuf;

/// Run the First Time Setup Wizard (the guide says: do not).
#[derive(Debug, clap::Args)]
pub struct WizardArgs {
    /// The host folder (the simulated server).
    #[arg(long)]
    pub host: PathBuf,
    /// The copy of the media's migrate folder; the report goes to its logs folder.
    #[arg(long, default_value = r"C:\migrate")]
    pub from: WinPath,
}

/// Runs the wizard and prints the damage.
pub fn run(args: WizardArgs) -> Result<(), CliError> {
    let mut host = Host::open(&args.host)?;
    let out = upgrade::run_wizard(&mut host, &args.from)?;
    println!("Report: {} (JSON: {})", out.report_path, out.json_path);
    print_review(&out.report);
    println!("{}", out.report.outcome);
    Ok(())
}
