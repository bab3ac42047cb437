//! `hpcasim service {stop|start} NAME --host DIR`: stops or starts a Windows service by its
//! name, case aside (B41: stop the Core service before sqlmigrate; B45: restarting the
//! Messaging Server re-creates the reporting tables).

use super::CliError;
use hpca_reference::{service, Host};
use std::path::PathBuf;

/// Stop or start a Windows service.
#[derive(Debug, clap::Args)]
pub struct ServiceArgs {
    /// What to do.
    #[arg(value_enum)]
    pub action: ServiceAction,
    /// The service's name, e.g. "HPCA Core" (case does not matter).
    pub name: String,
    /// The host folder (the simulated server).
    #[arg(long)]
    pub host: PathBuf,
}

/// stop or start.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ServiceAction {
    Stop,
    Start,
}

/// Stops or starts the service and says what changed.
pub fn run(args: ServiceArgs) -> Result<(), CliError> {
    let mut host = Host::open(&args.host)?;
    let change = match args.action {
        ServiceAction::Stop => service::stop(&mut host, &args.name)?,
        ServiceAction::Start => service::start(&mut host, &args.name)?,
    };
    println!("{change}");
    Ok(())
}
