//! `hpcasim dump`: the canonical state of a host, as text or one JSON object.

use super::CliError;
use clap::Args;
use hpca_reference::{dump, Host};
use std::path::PathBuf;

/// Print a host's canonical state: files, registry, services, firewall, users, database.
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// The host folder.
    #[arg(long)]
    pub host: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `hpcasim dump`.
pub fn run(args: DumpArgs) -> Result<(), CliError> {
    let host = Host::open(&args.host)?;
    let dumped = dump::dump(&host)?;
    if args.json {
        println!("{}", dumped.to_json());
    } else {
        print!("{}", dumped.to_text());
    }
    Ok(())
}
