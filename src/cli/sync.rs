//! `hpcasim sync --host SAT --core CORE`: "Synchronize satellite now" (B62, B63).

use super::CliError;
use hpca_reference::{sync, Host};
use std::path::PathBuf;

/// Synchronize a restored 7.90 Satellite with its (already upgraded) Core.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// The Satellite's host folder.
    #[arg(long)]
    pub host: PathBuf,
    /// Its Core's host folder.
    #[arg(long)]
    pub core: PathBuf,
}

/// Synchronizes and prints what changed.
pub fn run(args: SyncArgs) -> Result<(), CliError> {
    let mut satellite = Host::open(&args.host)?;
    let core = Host::open(&args.core)?;
    let out = sync::sync(&mut satellite, &core)?;
    println!(
        "Satellite {} synchronized with Core {}: {} CSDB file(s) written, {} removed, {} unchanged.",
        out.satellite, out.core, out.written, out.removed, out.unchanged
    );
    Ok(())
}
