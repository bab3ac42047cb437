//! Scenarios: TOML files under `scenarios/` that say what world to fabricate, what the
//! operator does, and what must be true at the end; the runner that replays them and the
//! matrix that runs the whole catalogue.

pub mod cell;
pub mod load;
pub mod matrix;
pub mod model;
pub mod outcome;
pub mod publish;
pub mod run;

pub use cell::{Cell, Partition};
pub use load::{load, parse, ScenarioError};
pub use model::{Expect, Outcome, Scenario, Step};
pub use outcome::{CellResult, StepStatus, Verdict};
pub use run::check_file;

/// Every behaviour ID of the guide's catalogue (`spec/BEHAVIOURS.md`), in order.
pub const BEHAVIOURS: &[&str] = &[
    "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B10", "B11", "B12", "B13", "B14", "B15", "B20",
    "B21", "B22", "B23", "B24", "B25", "B26", "B30", "B31", "B32", "B33", "B34", "B35", "B40",
    "B41", "B42", "B43", "B44", "B45", "B50", "B55", "B60", "B61", "B62", "B63",
];
