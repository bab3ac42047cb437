//! What running a cell produced: each step's result and the verdict against `expect`.

use super::cell::Cell;

/// How one step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepStatus {
    /// The step did what it does.
    Ok,
    /// The step refused or failed; `code` is the error's stable code, `message` its text.
    Error { code: String, message: String },
}

/// One step's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    /// The step as an operator would type it.
    pub command: String,
    pub status: StepStatus,
    /// One line of what happened ("backed up 14 modules to C:\HPCABackup").
    pub summary: String,
    /// Report files the step wrote, captured when the run keeps reports (the host is a
    /// temporary folder that is gone when the cell ends).
    pub reports: Vec<ReportFile>,
}

/// A report a step wrote: its file name and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The cell's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Everything `expect` says held.
    Pass,
    /// The run ended otherwise than `expect` says; each line is one difference.
    Mismatch(Vec<String>),
    /// The cell could not be run at all (bad scenario, fabricate failed, I/O).
    Broken(String),
}

/// The whole result of one cell.
#[derive(Debug, Clone)]
pub struct CellResult {
    pub cell: Cell,
    pub steps: Vec<StepRecord>,
    pub verdict: Verdict,
    /// Wall time, for the summary only (never compared).
    pub millis: u128,
}

impl CellResult {
    /// Whether the cell ended as expected.
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Pass
    }

    /// One word for tables: pass, MISMATCH or BROKEN.
    pub fn word(&self) -> &'static str {
        match self.verdict {
            Verdict::Pass => "pass",
            Verdict::Mismatch(_) => "MISMATCH",
            Verdict::Broken(_) => "BROKEN",
        }
    }

    /// The lines explaining a non-pass, empty for a pass.
    pub fn problems(&self) -> Vec<String> {
        match &self.verdict {
            Verdict::Pass => vec![],
            Verdict::Mismatch(lines) => lines.clone(),
            Verdict::Broken(why) => vec![why.clone()],
        }
    }
}
