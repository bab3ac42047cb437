//! The `hpcasim` package: the scenario model, runner and matrix behind the `hpcasim` CLI.

pub mod scenario;
