//! The `pmo-vmo` binary: parse arguments, call the library, render, and map the
//! outcome to the contract's exit codes (0 ok, 1 check failed, 2 error, 130 interrupted).

use std::process::ExitCode;

mod cli;
mod cmd;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            if cli::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            cli::print_error(&err);
            ExitCode::from(2)
        }
    }
}
