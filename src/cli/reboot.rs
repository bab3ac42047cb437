//! `hpcasim reboot --host DIR`: reboots the server, carrying out pending file operations (B25).

use super::CliError;
use hpca_reference::{reboot, Host};
use std::path::PathBuf;

/// Reboot the server.
#[derive(Debug, clap::Args)]
pub struct RebootArgs {
    /// The host folder (the simulated server).
    #[arg(long)]
    pub host: PathBuf,
}

/// Reboots and prints what the boot did.
pub fn run(args: RebootArgs) -> Result<(), CliError> {
    let mut host = Host::open(&args.host)?;
    let out = reboot::reboot(&mut host)?;
    println!(
        "Rebooted {}: {} pending file operation(s) carried out, {} service(s) started.",
        host.state().hostname,
        out.applied.len(),
        out.started.len()
    );
    Ok(())
}
