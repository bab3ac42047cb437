//! `hpcasim sqlmigrate <drive> --host DIR` (guide step 4, B40-B45) and its manual steps
//! (`--manual export|drop|recreate|import`, Appendix B). Progress bars on a terminal only.

use super::CliError;
use hpca_reference::fault::Crash;
use hpca_reference::sqlmigrate::{
    self, ManualOutcome, ManualStep, Options, Outcome, ProgressEvent, Step, Summary, TableOrder,
};
use hpca_reference::Host;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Migrate the reporting database's Appendix A tables to the 7.90 keys.
#[derive(Debug, clap::Args)]
pub struct SqlmigrateArgs {
    /// The drive for the exported data and the errors files (`<drive>:\HPCABackup\SQLMigrate`).
    pub drive: String,
    /// The host folder (the simulated server).
    #[arg(long)]
    pub host: PathBuf,
    /// Run one step of the manual procedure (Appendix B) instead of the whole script.
    #[arg(long, value_enum)]
    pub manual: Option<ManualArg>,
    /// With --manual drop or import: take the tables in the opposite of the guide's order.
    #[arg(long)]
    pub reversed: bool,
    /// Rows per import transaction.
    #[arg(long, default_value_t = 5000)]
    pub batch_rows: usize,
}

/// The manual steps.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ManualArg {
    Export,
    Drop,
    Recreate,
    Import,
}

/// Runs sqlmigrate (or one manual step) and prints the outcome.
pub fn run(args: SqlmigrateArgs) -> Result<(), CliError> {
    let drive = parse_drive(&args.drive)?;
    if args.batch_rows == 0 {
        return Err(CliError::usage("--batch-rows must be at least 1"));
    }
    let mut host = Host::open(&args.host)?;
    let options = Options {
        batch_rows: args.batch_rows,
    };
    let mut bars = Bars::new();
    let mut on_progress = |e: &ProgressEvent<'_>| bars.update(e);
    let order = if args.reversed {
        TableOrder::Reversed
    } else {
        TableOrder::Guide
    };
    let Some(step) = args.manual else {
        let outcome = sqlmigrate::sqlmigrate(
            &mut host,
            drive,
            &options,
            &Crash::never(),
            &mut on_progress,
        );
        bars.clear();
        match outcome? {
            Outcome::NotNeeded => println!("{}", not_needed()),
            Outcome::Migrated(summary) => print_summary(&summary),
        }
        return Ok(());
    };
    let step = match step {
        ManualArg::Export => ManualStep::Export,
        ManualArg::Drop => ManualStep::Drop,
        ManualArg::Recreate => ManualStep::Recreate,
        ManualArg::Import => ManualStep::Import,
    };
    let outcome = sqlmigrate::manual(
        &mut host,
        drive,
        step,
        order,
        &options,
        &Crash::never(),
        &mut on_progress,
    );
    bars.clear();
    match outcome? {
        ManualOutcome::NotNeeded => println!("{}", not_needed()),
        ManualOutcome::Exported { folder, tables } => println!(
            "Exported {tables} table(s) to {folder}. Next: --manual drop (in Appendix A order)."
        ),
        ManualOutcome::Dropped { tables, .. } => println!(
            "Dropped {tables} table(s). Next: --manual recreate (restarts the HPCA Messaging Server service)."
        ),
        ManualOutcome::Recreated { created } => println!(
            "Restarted the HPCA Messaging Server service; it created {} table(s) with the 7.90 keys. Next: --manual import (in reverse Appendix A order).",
            created.len()
        ),
        ManualOutcome::Imported(summary) => print_summary(&summary),
    }
    Ok(())
}

fn not_needed() -> &'static str {
    "The reporting tables already have the 7.90 keys (a 7.80 database): sqlmigrate is not needed; nothing was changed."
}

fn parse_drive(text: &str) -> Result<char, CliError> {
    let t = text
        .trim()
        .trim_end_matches(['\\', '/'])
        .trim_end_matches(':');
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Ok(c.to_ascii_uppercase()),
        _ => Err(CliError::usage(format!(
            "'{text}' is not a drive: give a letter such as C or D:"
        ))),
    }
}

fn print_summary(summary: &Summary) {
    let exported: u64 = summary.tables.iter().map(|t| t.exported).sum();
    let imported: u64 = summary.tables.iter().map(|t| t.imported).sum();
    let rejected: u64 = summary.tables.iter().map(|t| t.rejected).sum();
    if summary.resumed {
        println!(
            "Resumed the interrupted sqlmigrate run in {}.",
            summary.folder
        );
    }
    println!(
        "Migrated {} table(s): {exported} row(s) exported to {}, {imported} imported, {rejected} refused by the 7.90 schema.",
        summary.tables.len(),
        summary.folder
    );
    let with_errors: Vec<_> = summary.tables_with_errors().collect();
    if with_errors.is_empty() {
        println!("No errors.");
    } else {
        println!(
            "Review {}\\errors: the refused rows of these tables are in <table>.tsv (with <table>.log and <table>.sql):",
            summary.folder
        );
        for t in with_errors {
            println!("  {}: {} row(s)", t.table, t.rejected);
        }
    }
    println!("Start the HPCA Core service again: hpcasim service start \"HPCA Core\" --host DIR");
}

/// One progress bar per table while a table streams, on a terminal only.
struct Bars {
    bar: Option<ProgressBar>,
    table: String,
    enabled: bool,
}

impl Bars {
    fn new() -> Bars {
        Bars {
            bar: None,
            table: String::new(),
            enabled: std::io::stderr().is_terminal(),
        }
    }

    fn update(&mut self, e: &ProgressEvent<'_>) {
        if !self.enabled || matches!(e.step, Step::Drop | Step::Recreate) {
            return;
        }
        let key = format!("{:?} {}", e.step, e.table);
        if self.table != key {
            self.clear();
            let bar = ProgressBar::new(e.total);
            bar.set_style(
                ProgressStyle::with_template("{msg:40} {bar:30} {pos}/{len} rows ({per_sec})")
                    .expect("valid template"),
            );
            bar.set_message(format!("{:?} {}", e.step, e.table));
            self.bar = Some(bar);
            self.table = key;
        }
        if let Some(bar) = &self.bar {
            bar.set_length(e.total.max(e.done));
            bar.set_position(e.done);
        }
    }

    fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
