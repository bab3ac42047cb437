//! Named crash points. Long steps (backup, restore, sqlmigrate) call [`Crash::point`] at each
//! place where a real run could die (per module, per table, per batch). A plan that names a
//! point makes the run stop there as a killed process would: no clean-up, no rollback beyond
//! what the database does itself. A recorder lists every point a run passes, so tests can
//! crash at each one in turn (enumerated, not sampled).

use crate::error::{Error, Result};
use std::cell::RefCell;

/// Where (if anywhere) to crash, and the points passed so far.
#[derive(Debug, Default)]
pub struct Crash {
    at: Option<String>,
    passed: RefCell<Vec<String>>,
}

impl Crash {
    /// A run that never crashes.
    pub fn never() -> Crash {
        Crash::default()
    }

    /// A run that crashes when it reaches the point named `point`.
    pub fn at(point: impl Into<String>) -> Crash {
        Crash {
            at: Some(point.into()),
            passed: RefCell::new(Vec::new()),
        }
    }

    /// Marks a named point; fails with [`Error::Crashed`] when the plan names it.
    pub fn point(&self, name: &str) -> Result<()> {
        self.passed.borrow_mut().push(name.to_string());
        if self.at.as_deref() == Some(name) {
            return Err(Error::Crashed {
                point: name.to_string(),
            });
        }
        Ok(())
    }

    /// Every point passed so far, in order.
    pub fn passed(&self) -> Vec<String> {
        self.passed.borrow().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crashes_only_at_the_named_point_and_records_the_path() {
        let plan = Crash::at("b");
        assert!(plan.point("a").is_ok());
        assert!(matches!(plan.point("b"), Err(Error::Crashed { point }) if point == "b"));
        assert_eq!(plan.passed(), vec!["a", "b"]);
        assert!(Crash::never().point("b").is_ok());
    }
}
