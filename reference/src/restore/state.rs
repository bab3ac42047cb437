//! The `HPCA-restore*` state files in the backup folder (B33): one small JSON file per finished
//! step, so a rerun skips what is done and finishes the rest, and deleting them forces a fresh
//! restore.
//!
//! Architecture Invariant: each state file is written in one atomic write (temporary file and
//! rename, see `Host::write`) after every effect of its step is on disk, and a step's effects
//! are idempotent (absolute values, whole-file writes). So a crash at any moment leaves the
//! state files consistent: a step either has its file and is complete, or has none and is
//! redone from the start with the same result.

use crate::error::{Error, Result};
use crate::host::Host;
use crate::report::{Entry, Report};
use crate::winpath::WinPath;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The prefix every state file carries, as the guide names them.
pub const PREFIX: &str = "HPCA-restore";

/// The record of the preview (B30): the report shown, so a rerun shows the same one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRecord {
    pub report: Report,
    /// The rds migration scripts generated, relative to the backup folder.
    pub scripts: Vec<String>,
}

/// Written when the operator confirmed and the restore began: the clock every later step
/// counts from, so a resumed run ends at the same time as an uninterrupted one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartRecord {
    pub started_at: u64,
}

/// The record of one finished step (a module, or the final step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub step: String,
    /// The report entries the step produced, replayed into the report on a resumed run.
    pub entries: Vec<Entry>,
    /// The host clock when the step finished.
    pub clock_after: u64,
    /// The final report, on the last step only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Report>,
}

/// `<backup>\HPCA-restore-preview.json`.
pub fn preview_path(folder: &WinPath) -> WinPath {
    folder.child(&format!("{PREFIX}-preview.json"))
}

/// `<backup>\HPCA-restore-start.json`.
pub fn start_path(folder: &WinPath) -> WinPath {
    folder.child(&format!("{PREFIX}-start.json"))
}

/// `<backup>\HPCA-restore-<NN>-<step>.json`: numbered so the files list in step order.
pub fn step_path(folder: &WinPath, index: usize, step: &str) -> WinPath {
    folder.child(&format!("{PREFIX}-{:02}-{step}.json", index + 1))
}

/// Reads a state file; `None` when it does not exist.
pub fn read<T: DeserializeOwned>(host: &Host, path: &WinPath) -> Result<Option<T>> {
    if !host.exists(path) {
        return Ok(None);
    }
    let text = host.read_to_string(path)?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Error::RestoreStateCorrupt {
            path: path.clone(),
            reason: e.to_string(),
        })
}

/// Writes a state file in one atomic write.
pub fn write<T: Serialize>(host: &mut Host, path: &WinPath, record: &T) -> Result<()> {
    let mut text = serde_json::to_string_pretty(record).expect("state records serialize");
    text.push('\n');
    host.write(path, text.as_bytes())
}

/// The state files in the backup folder: what an operator deletes to restore afresh. The
/// match ignores case as Windows does, and takes only the `.json` state records (the
/// reports are not state).
pub fn state_files(host: &Host, folder: &WinPath) -> Result<Vec<WinPath>> {
    if !host.is_dir(folder) {
        return Ok(Vec::new());
    }
    let prefix = PREFIX.to_ascii_lowercase();
    Ok(host
        .list_dir(folder)?
        .into_iter()
        .filter(|(name, is_dir)| {
            let lower = name.to_ascii_lowercase();
            !is_dir
                && lower.starts_with(&prefix)
                && lower.ends_with(".json")
                && !lower.contains("-report")
        })
        .map(|(name, _)| folder.child(&name))
        .collect())
}

/// Deletes the state files, so the next run restores afresh (the guide's way out, B33).
pub fn forget(host: &mut Host, folder: &WinPath) -> Result<usize> {
    let files = state_files(host, folder)?;
    for file in &files {
        host.remove_file(file)?;
    }
    Ok(files.len())
}
