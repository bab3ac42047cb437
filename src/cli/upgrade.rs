//! `hpcasim upgrade --host DIR`: the 7.90 Core/Satellite installer (B20-B26). It asks the
//! installer's confirmation on a terminal unless `--yes` answers it.

use super::{print_review, CliError};
use hpca_reference::upgrade::{self, BackupPolicy, Confirmation, FirewallOffer, UpgradeOptions};
use hpca_reference::{Error, Host, WinPath};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

/// Run the 7.90 installer over the old install.
#[derive(Debug, clap::Args)]
pub struct UpgradeArgs {
    /// The host folder (the simulated server).
    #[arg(long)]
    pub host: PathBuf,
    /// Answer the installer's "backup done, guide read" prompt with yes.
    #[arg(long)]
    pub yes: bool,
    /// Upgrade even with no complete backup on any drive (rehearses the data loss).
    #[arg(long)]
    pub without_backup: bool,
    /// Accept the installer's offer to open ports 3466 and 3464 (the guide says decline).
    #[arg(long)]
    pub open_firewall: bool,
    /// Where the migration scripts run from: the copy of the media's migrate folder.
    #[arg(long, default_value = r"C:\migrate")]
    pub from: WinPath,
}

/// Plans (refusing before any question), asks, installs, and prints what to do next.
pub fn run(args: UpgradeArgs) -> Result<(), CliError> {
    let mut host = Host::open(&args.host)?;
    let options = UpgradeOptions {
        from: args.from,
        backup: if args.without_backup {
            BackupPolicy::WithoutBackup
        } else {
            BackupPolicy::Require
        },
        firewall: if args.open_firewall {
            FirewallOffer::Accept
        } else {
            FirewallOffer::Decline
        },
    };
    let plan = upgrade::plan(&host, &options)?;
    let confirmation = if args.yes {
        Confirmation::Confirmed
    } else if std::io::stdin().is_terminal() {
        let backup = match &plan.backup {
            Some(at) => format!("a complete backup is in {at}"),
            None => "NO backup was found: upgrading now loses data".to_string(),
        };
        eprint!(
            "The installer found HPCA {} {} to upgrade to 7.90 ({backup}).\n\
             Have you read the migration guide and completed the backup? [y/N] ",
            plan.product.version,
            plan.product.role.title()
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| CliError::failed(format!("cannot read the answer: {e}")))?;
        if matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES") {
            Confirmation::Confirmed
        } else {
            Confirmation::Declined
        }
    } else {
        return Err(Error::NotConfirmed {
            how: "there is no terminal to ask on; pass --yes to confirm that the backup is done",
        }
        .into());
    };
    let out = upgrade::upgrade(&mut host, &options, confirmation)?;
    println!("Report: {} (JSON: {})", out.report_path, out.json_path);
    print_review(&out.report);
    println!("{}", out.report.outcome);
    Ok(())
}
