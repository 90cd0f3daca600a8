//! `pmo-vmo init`: write a blank answer sheet, never over an existing file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use pmo_vmo::init::blank_sheet;

use crate::cli::{self, GlobalArgs};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the sheet (default: stdout); an existing file is never overwritten
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(g: &GlobalArgs, args: &InitArgs) -> Result<ExitCode> {
    let rubric = cli::load_rubric(g, None)?;
    let text = blank_sheet(&rubric);
    let Some(path) = &args.output else {
        cli::write_stdout(text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    };
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!(
                "{} already exists; not overwriting it (choose another -o path)",
                path.display()
            )
        }
        Err(e) => {
            return Err(e).with_context(|| format!("could not create {}", path.display()));
        }
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("could not write {}", path.display()))?;
    eprintln!(
        "wrote {} ({} questions); fill it in, then run: pmo-vmo score {}",
        path.display(),
        rubric.rubric.question.len(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
