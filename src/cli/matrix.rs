//! `hpcasim matrix`: the whole catalogue, in parallel, with a summary; the README's main job.

use super::CliError;
use clap::Args;
use hpcasim::scenario::{matrix, publish, run, Partition};
use std::path::PathBuf;

/// Runs every scenario of the catalogue (x its versions and roles) on the embedded default.
#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// The catalogue folder.
    #[arg(long, default_value = "scenarios")]
    pub scenarios: PathBuf,
    /// Run only the K-th of N deterministic slices (for sharding over CI machines).
    #[arg(long, value_name = "K/N")]
    pub partition: Option<Partition>,
    /// Write JUnit XML here.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write an HTML summary (index.html, with each cell's reports) into this folder.
    #[arg(long, value_name = "DIR")]
    pub html: Option<PathBuf>,
    /// Parallel jobs (default: the available cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// List the cells this run would execute, and stop.
    #[arg(long)]
    pub list: bool,
}

/// Runs the matrix; exit 1 on any unexpected outcome.
pub fn run(args: MatrixArgs) -> Result<(), CliError> {
    let cells = matrix::catalogue(&args.scenarios).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        CliError::usage(format!(
            "the catalogue has malformed scenarios:\n{}",
            lines.join("\n")
        ))
    })?;
    let total = cells.len();
    let cells = matrix::partition(cells, args.partition);
    if args.list {
        for cell in &cells {
            println!("{}", cell.id());
        }
        return Ok(());
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let started = std::time::Instant::now();
    let keep_reports = args.html.is_some();
    let results = matrix::run_all(&cells, jobs, true, |cell| {
        run::run_cell(cell, keep_reports.then_some(()))
    });
    print!("{}", matrix::summary(&results));
    let part = args.partition.map_or(String::new(), |p| {
        format!(" (partition {}/{} of {total})", p.index, p.count)
    });
    println!(
        "{} cells{part} in {:.1} s on {jobs} jobs",
        results.len(),
        started.elapsed().as_secs_f64()
    );
    if let Some(path) = &args.junit {
        std::fs::write(path, publish::junit(&results))
            .map_err(|e| CliError::failed(format!("cannot write {}: {e}", path.display())))?;
    }
    if let Some(dir) = &args.html {
        publish::html(&results, dir).map_err(|e| {
            CliError::failed(format!(
                "cannot write the HTML summary to {}: {e}",
                dir.display()
            ))
        })?;
        println!("summary page: {}", dir.join("index.html").display());
    }
    if results.iter().all(|r| r.passed()) {
        Ok(())
    } else {
        Err(CliError::failed(
            "some cells did not end as their scenario expects (see above)",
        ))
    }
}
