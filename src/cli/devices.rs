//! `hpcasim devices --host CORE [--json]`: the devices the Core manages, as its console lists
//! them (agent and Administrator versions, how each was upgraded).

use super::CliError;
use hpca_reference::{devices, Host};
use std::path::PathBuf;

/// List the devices a Core manages.
#[derive(Debug, clap::Args)]
pub struct DevicesArgs {
    /// The Core's host folder.
    #[arg(long)]
    pub host: PathBuf,
    /// Print the device list as the Core stores it (JSON).
    #[arg(long)]
    pub json: bool,
}

/// Prints one line a device.
pub fn run(args: DevicesArgs) -> Result<(), CliError> {
    let host = Host::open(&args.host)?;
    let list = devices::read(&host)?;
    if args.json {
        print!("{}", devices::render(&list));
        return Ok(());
    }
    for d in &list {
        let mut line = format!("{} {} agent {}", d.name, d.platform.as_str(), d.agent);
        if let Some(m) = d.agent_upgraded_by {
            line.push_str(&format!(" (upgraded by {})", m.as_str()));
        }
        if let Some(v) = d.administrator {
            line.push_str(&format!(", Administrator {v}"));
            if let Some(m) = d.administrator_installed_by {
                line.push_str(&format!(" (installed by {})", m.as_str()));
            }
        }
        if !d.services.is_empty() {
            line.push_str(&format!(", services {}", d.services.join(", ")));
        }
        println!("{line}");
    }
    println!("{} device(s) on {}.", list.len(), host.state().hostname);
    Ok(())
}
