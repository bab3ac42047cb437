//! The matrix: every cell of the catalogue, run in parallel on the available cores, with a
//! progress bar, then a summary table; optional JUnit XML and an HTML page.

use super::cell::{cells, scenario_name, Cell, Partition};
use super::load::{load, ScenarioError};
use super::outcome::CellResult;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Every scenario file below `root`, sorted by path.
pub fn scenario_files(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The catalogue's cells, sorted by id, or every scenario error found (all of them, so one
/// run shows every broken file).
pub fn catalogue(root: &Path) -> Result<Vec<Cell>, Vec<ScenarioError>> {
    let files = scenario_files(root).map_err(|e| {
        vec![ScenarioError {
            file: root.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("cannot list scenarios: {e}"),
        }]
    })?;
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        match load(&file) {
            Ok(scenario) => all.extend(cells(&scenario_name(root, &file), &file, &scenario, None)),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    all.sort_by_key(|c| c.id());
    Ok(all)
}

/// The cells of one partition, keeping the catalogue's order.
pub fn partition(cells: Vec<Cell>, part: Option<Partition>) -> Vec<Cell> {
    match part {
        None => cells,
        Some(p) => cells
            .into_iter()
            .enumerate()
            .filter(|(i, _)| p.contains(*i))
            .map(|(_, c)| c)
            .collect(),
    }
}

/// Runs `cells` on `jobs` threads; results come back in the cells' order.
pub fn run_all<F>(cells: &[Cell], jobs: usize, progress: bool, run: F) -> Vec<CellResult>
where
    F: Fn(&Cell) -> CellResult + Sync,
{
    let bar = if progress {
        ProgressBar::new(cells.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} cells {elapsed} {msg}")
            .expect("a valid progress template"),
    );
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<CellResult>>> = Mutex::new(vec![None; cells.len()]);
    let failed = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(cells.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(cell) = cells.get(i) else { break };
                let result = run(cell);
                if !result.passed() {
                    let n = failed.fetch_add(1, Ordering::SeqCst) + 1;
                    bar.set_message(format!("{n} unexpected"));
                }
                results
                    .lock()
                    .expect("no worker panics while holding the lock")[i] = Some(result);
                bar.inc(1);
            });
        }
    });
    bar.finish_and_clear();
    results
        .into_inner()
        .expect("workers are done")
        .into_iter()
        .map(|r| r.expect("every cell ran"))
        .collect()
}

/// The summary table a person reads after a run.
pub fn summary(results: &[CellResult]) -> String {
    let width = results
        .iter()
        .map(|r| r.cell.id().len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!("{:<width$}  {:<8}  {:>7}\n", "cell", "result", "ms");
    for r in results {
        out.push_str(&format!(
            "{:<width$}  {:<8}  {:>7}\n",
            r.cell.id(),
            r.word(),
            r.millis
        ));
    }
    let passed = results.iter().filter(|r| r.passed()).count();
    out.push_str(&format!(
        "\n{} passed, {} failed\n",
        passed,
        results.len() - passed
    ));
    for r in results.iter().filter(|r| !r.passed()) {
        out.push_str(&format!("\n{}:\n", r.cell.id()));
        for line in r.problems() {
            out.push_str(&format!("  {line}\n"));
        }
        out.push_str(&format!("  replay: {}\n", r.cell.replay_command()));
    }
    out
}
