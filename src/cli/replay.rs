//! `hpcasim replay FILE`: one scenario, step by step, in a temporary host.

use super::CliError;
use clap::Args;
use hpca_reference::{Role, Version};
use hpcasim::scenario::{cell, load, run, StepStatus};
use std::path::PathBuf;

/// Replays one scenario file and checks its outcome against `expect`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// Override the scenario's seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Run only this version of the scenario's versions.
    #[arg(long)]
    pub version: Option<Version>,
    /// Run only this role of the scenario's roles.
    #[arg(long)]
    pub role: Option<Role>,
    /// Keep the host folder here for inspection (one cell: name --version and --role when the
    /// scenario has several).
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

/// Runs the scenario's cells in order; exit 1 when any ends otherwise than expected.
pub fn run(args: ReplayArgs) -> Result<(), CliError> {
    let scenario = load(&args.file).map_err(CliError::usage)?;
    let name = args
        .file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let cells: Vec<_> = cell::cells(&name, &args.file, &scenario, args.seed)
        .into_iter()
        .filter(|c| {
            args.version.is_none_or(|v| v == c.version) && args.role.is_none_or(|r| r == c.role)
        })
        .collect();
    if cells.is_empty() {
        return Err(CliError::usage(
            "no cell of this scenario matches --version/--role",
        ));
    }
    if args.keep.is_some() && cells.len() > 1 {
        return Err(CliError::usage(format!(
            "--keep needs one cell but this selects {}: add --version and --role",
            cells.len()
        )));
    }
    let mut failed = 0;
    for cell in &cells {
        println!("== {}", cell.id());
        let options = run::RunOptions {
            keep_reports: false,
            keep_host: args.keep.clone(),
        };
        let result = run::run_cell_with(cell, &options);
        for (i, step) in result.steps.iter().enumerate() {
            match &step.status {
                StepStatus::Ok => println!("  {}. {}: ok: {}", i + 1, step.command, step.summary),
                StepStatus::Error { code, message } => {
                    println!("  {}. {}: {code}: {message}", i + 1, step.command)
                }
            }
        }
        if result.passed() {
            println!("  outcome: as expected");
        } else {
            failed += 1;
            println!("  outcome: {}", result.word());
            for line in result.problems() {
                println!("    {line}");
            }
            println!("  replay: {}", cell.replay_command());
        }
        if let Some(dir) = &args.keep {
            println!("  host kept in {}", dir.display());
        }
    }
    if failed == 0 {
        Ok(())
    } else {
        Err(CliError::failed(format!(
            "{failed} of {} cells did not end as expected",
            cells.len()
        )))
    }
}
