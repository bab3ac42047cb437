//! `hpcasim fabricate`: lays down an HPCA 7.20/7.50/7.80 install in a new host folder.

use super::CliError;
use clap::Args;
use hpca_reference::{db, DatabaseServer, Edition, Host, Role, Version};
use hpca_simulator::reportdb::{DefectKind, DefectLedger, DefectPlan};
use hpca_simulator::{DriveLayout, Fabricate, MigrateCopy};
use std::path::PathBuf;

/// Fabricate a realistic HPCA Enterprise install (Core or Satellite) from a seed.
#[derive(Debug, Args)]
pub struct FabricateArgs {
    /// The installed version: 7.20, 7.50 or 7.80.
    #[arg(long = "version", value_parser = source_version)]
    pub version: Version,
    /// The server role: core or satellite.
    #[arg(long, value_parser = role)]
    pub role: Role,
    /// Every random choice follows from this seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The new host folder (must not exist, or be empty).
    #[arg(long)]
    pub out: PathBuf,
    /// Managed devices: the Core's device list and the rows of its reporting database.
    #[arg(long, default_value_t = 50)]
    pub devices: u32,
    /// Drives and capacities, binary K/M/G suffixes; C is required.
    #[arg(long, default_value = "C=40G,D=80G", value_parser = drive_layout)]
    pub drives: DriveLayout,
    /// Class-schema customizations of the CSDB (restore must find them, B31).
    #[arg(long, default_value_t = 0)]
    pub csdb_customizations: usize,
    /// A separate OS Manager Boot Server (7.20 only; later versions integrate it, B22).
    #[arg(long)]
    pub boot_server: bool,
    /// Console users besides admin (7.20 users lose their roles, B6).
    #[arg(long, default_value_t = 2)]
    pub users: u32,
    /// Multiplies the bytes of product files (1 = small, KB-sized).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub scale: u64,
    /// The edition (only enterprise is migratable, B1).
    #[arg(long, default_value = "enterprise", value_parser = edition)]
    pub edition: Edition,
    /// The database server behind the DSN (SQL Server 2000 is refused by the migration, B2).
    #[arg(long, default_value = "sqlite", value_parser = sql_server)]
    pub sql_server: DatabaseServer,
    /// Rows the 7.90 keys reject, as rates per row: orphans=0.01,duplicates=0.002,nulls=0.001
    /// (7.20 and 7.50 only; their tables have no keys yet, B43).
    #[arg(long, default_value = "", value_parser = defect_plan)]
    pub defects: DefectPlan,
    /// Leave the media's migrate folder uncopied (no C:\migrate, B3).
    #[arg(long)]
    pub no_migrate_copy: bool,
}

fn source_version(text: &str) -> Result<Version, String> {
    match text.parse::<Version>() {
        Ok(v) if Version::SOURCES.contains(&v) => Ok(v),
        Ok(v) => Err(format!(
            "{v} is the version the migration goes to; fabricate one it comes from; supported are 7.20, 7.50 and 7.80"
        )),
        Err(e) => Err(e.to_string()),
    }
}

fn role(text: &str) -> Result<Role, String> {
    text.parse()
        .map_err(|e: hpca_reference::product::UnknownRole| e.to_string())
}

fn edition(text: &str) -> Result<Edition, String> {
    text.parse()
}

fn sql_server(text: &str) -> Result<DatabaseServer, String> {
    match text.parse()? {
        DatabaseServer::Oracle => {
            Err("oracle cannot be fabricated (no Oracle backend): use sqlite, sqlserver2000, sqlserver2005 or sqlserver2008".into())
        }
        server => Ok(server),
    }
}

fn defect_plan(text: &str) -> Result<DefectPlan, String> {
    text.parse()
}

fn drive_layout(text: &str) -> Result<DriveLayout, String> {
    text.parse()
}

/// Runs `hpcasim fabricate` and prints a short summary.
pub fn run(args: FabricateArgs) -> Result<(), CliError> {
    let spec = Fabricate {
        version: args.version,
        role: args.role,
        seed: args.seed,
        devices: args.devices,
        drives: args.drives,
        csdb_customizations: args.csdb_customizations,
        boot_server: args.boot_server,
        users: args.users,
        scale: args.scale,
        edition: args.edition,
        database_server: args.sql_server,
        migrate_copy: if args.no_migrate_copy {
            MigrateCopy::NotCopied
        } else {
            MigrateCopy::Copied
        },
        defects: args.defects,
    };
    if let Err(e) = spec.check() {
        return Err(CliError::usage(e));
    }
    let host = spec.run(&args.out)?;
    print!("{}", summary(&host, &spec)?);
    Ok(())
}

fn summary(host: &Host, spec: &Fabricate) -> Result<String, CliError> {
    let state = host.state();
    let product = state
        .registry
        .product
        .as_ref()
        .expect("fabricate installs a product");
    let mut out = format!(
        "fabricated HPCA {} {} {} on {} in {}\n",
        product.edition.as_str(),
        product.version,
        product.role.title(),
        state.hostname,
        host.root().display()
    );
    out.push_str(&format!("  seed:           {}\n", spec.seed));
    out.push_str(&format!(
        "  installed size: {} bytes under {}\n",
        product.installed_size, product.install_dir
    ));
    match db::open(host)? {
        Some(mut database) => {
            let mut rows = 0;
            let tables = database.table_names()?;
            for table in &tables {
                rows += database.count_rows(table)?;
            }
            out.push_str(&format!(
                "  reporting db:   {} devices, {} tables, {rows} rows\n",
                spec.devices,
                tables.len()
            ));
            let ledger = DefectLedger::read(host)?;
            if !ledger.defects.is_empty() {
                let counts: Vec<String> = DefectKind::ALL
                    .iter()
                    .map(|k| format!("{} {k}", ledger.count(*k)))
                    .collect();
                out.push_str(&format!("  defects:        {}\n", counts.join(", ")));
            }
        }
        None => out.push_str(&format!(
            "  core:           {} (a Satellite has no reporting database)\n",
            product.core_host.as_deref().unwrap_or("?")
        )),
    }
    let managed = hpca_reference::devices::read(host)?;
    if !managed.is_empty() {
        let admins = managed.iter().filter(|d| d.administrator.is_some()).count();
        out.push_str(&format!(
            "  managed:        {} devices ({} with an HPCA Administrator)\n",
            managed.len(),
            admins
        ));
    }
    out.push_str(&format!(
        "  console users:  {} (created in {})\n",
        state.users.len(),
        product.version
    ));
    out.push_str(&format!(
        "  CSDB:           {} class-schema customizations\n",
        hpca_simulator::csdb::recorded(host)?.len()
    ));
    if let Some(boot) = &state.registry.boot_server {
        out.push_str(&format!(
            "  boot server:    {} ({} customized files)\n",
            boot.install_dir,
            boot.customizations.len()
        ));
    }
    for (letter, drive) in &state.drives {
        let kind = if drive.read_only {
            " (media, read-only)"
        } else {
            ""
        };
        out.push_str(&format!(
            "  drive {letter}:       {} bytes, {} used{kind}\n",
            drive.capacity,
            host.used(*letter)?
        ));
    }
    Ok(out)
}
