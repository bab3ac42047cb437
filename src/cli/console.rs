//! `hpcasim console --host DIR --user USER --password PASSWORD [--open-remote-access]`: logs
//! in to the 7.90 console at `http://<host>:3466` (B50, B5, B6) and, after the login, opens
//! remote access (ports 3466 and 3464) again (B4).

use super::CliError;
use hpca_reference::console::{self, PortsChange, RemoteAccess};
use hpca_reference::Host;
use std::path::PathBuf;

/// Log in to the console of a restored 7.90 Core or Satellite.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The console answers once the server is upgraded, rebooted and restored and its HPCA Core (or Satellite) service runs. After the migration admin's password is 'secret' until changed; users created in 7.20 are refused until admin grants them roles. --open-remote-access is refused before the restore is done."
)]
pub struct ConsoleArgs {
    /// The host folder (the simulated server).
    #[arg(long)]
    pub host: PathBuf,
    /// The console user.
    #[arg(long, default_value = "admin")]
    pub user: String,
    /// The user's password ('secret' for admin after the migration).
    #[arg(long)]
    pub password: String,
    /// After the login, open ports 3466 and 3464 in the firewall to agents and satellites.
    #[arg(long)]
    pub open_remote_access: bool,
}

/// Logs in and prints the session, the firewall change and what to do next.
pub fn run(args: ConsoleArgs) -> Result<(), CliError> {
    let mut host = Host::open(&args.host)?;
    let remote = if args.open_remote_access {
        RemoteAccess::Open
    } else {
        RemoteAccess::Leave
    };
    let out = console::login(&mut host, &args.user, &args.password, remote)?;
    println!(
        "Logged in to {} as {} (roles: {}).",
        out.url,
        out.user,
        out.roles.join(", ")
    );
    let ports = |p: &[u16]| {
        p.iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(" and ")
    };
    match &out.remote_access {
        PortsChange::Opened(opened) => println!(
            "Remote access opened: port(s) {} now open to agents and satellites.",
            ports(opened)
        ),
        PortsChange::AlreadyOpen => println!(
            "Remote access was already open (ports {}).",
            ports(&console::REMOTE_ACCESS_PORTS)
        ),
        PortsChange::Left => {}
    }
    for note in &out.notes {
        println!("Note: {note}");
    }
    Ok(())
}
