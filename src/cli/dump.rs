//! `hpcasim dump`: the canonical state of a host, as text or one JSON object.

use super::CliError;
use clap::Args;
use hpca_reference::{dump, Host};
use std::io::Write;
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
    let text = if args.json {
        format!("{}\n", dumped.to_json())
    } else {
        dumped.to_text()
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // `dump | head` closes the pipe early: the reader has what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::failed(format!("cannot write the dump: {e}"))),
        Ok(()) => Ok(()),
    }
}
