//! `hpcasim deploy agent|admin|service ... --host CORE`: upgrading what the Core deployed to
//! its devices (B60, B61), after the Core itself (B63).

use super::CliError;
use hpca_reference::deploy::{self, AdminOutcome, Targets};
use hpca_reference::devices::{AdminMethod, AgentMethod};
use hpca_reference::Host;
use std::path::PathBuf;

/// Upgrade the agents or Administrators of the Core's devices, or deploy a service to them.
#[derive(Debug, clap::Args)]
pub struct DeployArgs {
    #[command(subcommand)]
    pub what: DeployCommand,
}

/// What to deploy.
#[derive(Debug, clap::Subcommand)]
pub enum DeployCommand {
    /// Upgrade agents to 7.90 in place (no uninstall first).
    #[command(
        after_help = "console and decks reach an agent when it connects to port 3464, so remote access must be open; media runs the installer in the media's Media\\client\\default\\<platform> on each device. Refused until the Core is upgraded and restored."
    )]
    Agent {
        /// console (deploy from the Core console), media (the installer on the media) or
        /// decks (the upgrade decks: agents upgrade at their next connect).
        #[arg(long, value_enum)]
        method: AgentMethodArg,
        #[command(flatten)]
        target: Target,
    },
    /// Remove the Administrator from a device, then install the 7.90 one.
    #[command(
        after_help = "By default every device with an Administrator older than 7.90. media runs Media\\admin\\default\\win32 on the device; service deploys HPCA_ADMINTOOLS from the console (needs remote access open). Refused until the Core is upgraded and restored."
    )]
    Admin {
        /// media (the media's Media\admin\default\win32) or service (deploy HPCA_ADMINTOOLS).
        #[arg(long, value_enum)]
        method: AdminMethodArg,
        #[command(flatten)]
        target: Target,
    },
    /// Deploy a service from the console: HPCA_ADMINTOOLS (the 7.90 Administrator);
    /// CCM_PUBLISHER is refused in 7.90.
    Service {
        /// The service's name.
        name: String,
        #[command(flatten)]
        target: Target,
    },
}

/// The Core and the devices a deployment targets.
#[derive(Debug, clap::Args)]
pub struct Target {
    /// The Core's host folder.
    #[arg(long)]
    pub host: PathBuf,
    /// Only this device (repeatable); by default every device not yet at 7.90.
    #[arg(long = "device", value_name = "NAME")]
    pub devices: Vec<String>,
}

impl Target {
    fn targets(&self) -> Targets {
        if self.devices.is_empty() {
            Targets::Outdated
        } else {
            Targets::Named(self.devices.clone())
        }
    }
}

/// How to upgrade an agent.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum AgentMethodArg {
    Console,
    Media,
    Decks,
}

/// How to install the 7.90 Administrator.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum AdminMethodArg {
    Media,
    Service,
}

/// Deploys and prints what changed.
pub fn run(args: DeployArgs) -> Result<(), CliError> {
    match args.what {
        DeployCommand::Agent { method, target } => {
            let method = match method {
                AgentMethodArg::Console => AgentMethod::Console,
                AgentMethodArg::Media => AgentMethod::Media,
                AgentMethodArg::Decks => AgentMethod::Decks,
            };
            let mut core = Host::open(&target.host)?;
            let out = deploy::upgrade_agents(&mut core, &target.targets(), method)?;
            for u in &out.upgraded {
                println!(
                    "  {}: agent {} -> 7.90 ({})",
                    u.device,
                    u.from,
                    method.as_str()
                );
            }
            println!(
                "{} agent(s) upgraded in place to 7.90 by {} on {}; {} already at 7.90.",
                out.upgraded.len(),
                method.as_str(),
                out.core,
                out.already.len()
            );
            for note in &out.notes {
                println!("Note: {note}");
            }
        }
        DeployCommand::Admin { method, target } => {
            let method = match method {
                AdminMethodArg::Media => AdminMethod::Media,
                AdminMethodArg::Service => AdminMethod::Service,
            };
            let mut core = Host::open(&target.host)?;
            let out = deploy::upgrade_administrators(&mut core, &target.targets(), method)?;
            print_admin(&out);
        }
        DeployCommand::Service { name, target } => {
            let mut core = Host::open(&target.host)?;
            let out = deploy::deploy_service(&mut core, &name, &target.targets())?;
            print_admin(&out);
        }
    }
    Ok(())
}

fn print_admin(out: &AdminOutcome) {
    for u in &out.upgraded {
        match u.removed {
            Some(old) => println!(
                "  {}: Administrator {old} removed, 7.90 installed ({})",
                u.device,
                out.method.as_str()
            ),
            None => println!(
                "  {}: Administrator 7.90 installed ({})",
                u.device,
                out.method.as_str()
            ),
        }
    }
    println!(
        "{} Administrator(s) upgraded to 7.90 by {} on {}; {} already at 7.90.",
        out.upgraded.len(),
        out.method.as_str(),
        out.core,
        out.already.len()
    );
    for note in &out.notes {
        println!("Note: {note}");
    }
}
