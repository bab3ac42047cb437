//! Rebooting the server: the file operations the installer left pending are carried out, the
//! reboot flag is cleared and the services start again (B25).

use crate::error::Result;
use crate::host::{Host, PendingFileOperation};
use crate::winpath::WinPath;

/// Seconds a reboot takes on the host clock.
const REBOOT_SECONDS: u64 = 90;

/// What a reboot did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebootOutcome {
    /// The operations carried out, in order.
    pub applied: Vec<PendingFileOperation>,
    /// Operations whose file was already gone (nothing to do; Windows skips them too).
    pub skipped: Vec<WinPath>,
    /// Services the boot started (all of them), by name.
    pub started: Vec<String>,
    /// Host clock after the boot.
    pub booted_at: u64,
}

/// Reboots: deletes or replaces each pending file in order, clears the reboot flag, advances
/// the clock and starts every service.
pub fn reboot(host: &mut Host) -> Result<RebootOutcome> {
    let ops = host.state().registry.pending_file_operations.clone();
    let mut applied = Vec::new();
    let mut skipped = Vec::new();
    for op in ops {
        match &op.replacement {
            None if host.exists(&op.path) => host.remove_file(&op.path)?,
            Some(staged) if host.exists(staged) => {
                if host.exists(&op.path) {
                    host.remove_file(&op.path)?;
                }
                if staged.drive() == op.path.drive() {
                    host.rename(staged, &op.path)?;
                } else {
                    host.copy_file(staged, &op.path)?;
                    host.remove_file(staged)?;
                }
            }
            _ => {
                skipped.push(op.path.clone());
                continue;
            }
        }
        applied.push(op);
    }
    let state = host.state_mut();
    state.registry.pending_file_operations.clear();
    state.registry.reboot_required = false;
    // A boot starts every service, whether it ran before or not.
    let mut started = Vec::new();
    for (name, service) in state.services.iter_mut() {
        service.running = true;
        started.push(name.clone());
    }
    host.advance_clock(REBOOT_SECONDS);
    host.save()?;
    Ok(RebootOutcome {
        applied,
        skipped,
        started,
        booted_at: host.now(),
    })
}
