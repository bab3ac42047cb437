//! The `hpcasim` command: a thin layer over `hpca-simulator` and `hpca-reference` that parses
//! arguments, renders results and maps errors to exit codes (0 ok, 1 refused or failed, 2 usage).

use clap::Parser;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hpcasim: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
