//! `hpcasim live-network check|update|configure --host CORE`: the HP Live Network connection
//! of a restored 7.90 Core, checked before a full content update (B55).

use super::CliError;
use hpca_reference::livenetwork::{self, ConnectorChoice, ConnectorPolicy};
use hpca_reference::{Host, WinPath};
use std::path::PathBuf;

/// Check the Live Network configuration, update all content, or change the configuration.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "update checks the configuration first (URL, HP Passport user and password, the connector installed with HPCA) and refuses before fetching anything if it is not usable; then it replaces every content item and writes Core\\logs\\hpln-update-report.html. check does the same checks and writes nothing."
)]
pub struct LiveNetworkArgs {
    /// What to do.
    #[arg(value_enum)]
    pub action: LiveNetworkAction,
    /// The Core's host folder.
    #[arg(long)]
    pub host: PathBuf,
    /// Accept a connector other than the one installed with HPCA (only when a support
    /// engineer said to use it).
    #[arg(long)]
    pub connector_by_support: bool,
    /// configure: the Live Network URL.
    #[arg(long)]
    pub url: Option<String>,
    /// configure: the HP Passport user.
    #[arg(long)]
    pub user: Option<String>,
    /// configure: the HP Passport password.
    #[arg(long)]
    pub password: Option<String>,
    /// configure: use the connector installed with HPCA.
    #[arg(long, conflicts_with = "connector")]
    pub installed_connector: bool,
    /// configure: use the connector at this Windows path.
    #[arg(long)]
    pub connector: Option<WinPath>,
}

/// check, update or configure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LiveNetworkAction {
    /// Check the configuration; write nothing.
    Check,
    /// Check, then update every content item.
    Update,
    /// Change the configuration (--url, --user, --password, --installed-connector, --connector).
    Configure,
}

/// Runs the action and prints its result.
pub fn run(args: LiveNetworkArgs) -> Result<(), CliError> {
    let mut host = Host::open(&args.host)?;
    let policy = if args.connector_by_support {
        ConnectorPolicy::DirectedBySupport
    } else {
        ConnectorPolicy::InstalledWithHpca
    };
    let configures = args.url.is_some()
        || args.user.is_some()
        || args.password.is_some()
        || args.installed_connector
        || args.connector.is_some();
    match args.action {
        LiveNetworkAction::Configure => {
            if !configures {
                return Err(CliError::usage("configure needs at least one of --url, --user, --password, --installed-connector, --connector"));
            }
            let changes = livenetwork::Changes {
                url: args.url,
                user: args.user,
                password: args.password,
                connector: match (args.installed_connector, args.connector) {
                    (true, _) => Some(ConnectorChoice::InstalledWithHpca),
                    (false, Some(path)) => Some(ConnectorChoice::At(path)),
                    (false, None) => None,
                },
            };
            let c = livenetwork::configure(&mut host, &changes)?;
            println!(
                "Live Network configuration: URL {}, user {}, password {}, connector {}.",
                or_unset(&c.url),
                or_unset(&c.user),
                if c.password_set { "set" } else { "not set" },
                or_unset(&c.connector)
            );
            println!("Check it with `hpcasim live-network check --host ...` before updating.");
        }
        _ if configures => {
            return Err(CliError::usage(
                "--url, --user, --password, --installed-connector and --connector go with configure",
            ));
        }
        LiveNetworkAction::Check => {
            let checked = livenetwork::check(&host, policy)?;
            println!(
                "The Live Network configuration is usable: {} as {}, connector {} (version {}).",
                checked.configuration.url,
                checked.configuration.user,
                checked.connector,
                checked.connector_version
            );
            for item in &checked.content {
                println!(
                    "  {}: {}",
                    item.title,
                    item.version.as_deref().unwrap_or("not on this Core yet")
                );
            }
            println!("Nothing was changed; `update` fetches every item anew.");
        }
        LiveNetworkAction::Update => {
            let out = livenetwork::update(&mut host, policy)?;
            for item in &out.updated {
                println!(
                    "  {}: {} -> {}",
                    item.title,
                    item.from.as_deref().unwrap_or("(new)"),
                    item.to
                );
            }
            println!("Report: {} (JSON: {})", out.report_path, out.json_path);
            super::print_review(&out.report);
            println!("{}", out.report.outcome);
        }
    }
    Ok(())
}

fn or_unset(text: &str) -> &str {
    if text.is_empty() {
        "(not set)"
    } else {
        text
    }
}
