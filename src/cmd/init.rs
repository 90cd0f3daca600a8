//! `pmo-vmo init`: write a blank answer sheet, never over an existing file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use pmo_vmo::init::blank_sheet;

use crate::cli::{self, GlobalArgs};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the sheet, a .toml file (default, or `-`: stdout); an existing file is never overwritten
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(g: &GlobalArgs, args: &InitArgs) -> Result<ExitCode> {
    let path = match &args.output {
        Some(p) if p.as_os_str() != "-" => p,
        _ => {
            let rubric = cli::load_rubric(g, None)?;
            return cli::emit(blank_sheet(&rubric).as_bytes(), ExitCode::SUCCESS);
        }
    };
    // The blank sheet is TOML, its questions and options in comments: a name that
    // says otherwise would make `score` read it as something else, or not at all.
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if !is_toml {
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        bail!(
            "{}: init writes a TOML sheet, so the name must end in .toml{}",
            path.display(),
            if json {
                "; for a JSON sheet, answer it with `pmo-vmo interview -o FILE.json`"
            } else {
                ""
            }
        );
    }
    if path.is_dir() {
        bail!(
            "{} is a folder; name the sheet file to write",
            path.display()
        );
    }
    if path.exists() {
        bail!(
            "{} already exists; not overwriting it (choose another -o path)",
            path.display()
        );
    }
    let rubric = cli::load_rubric(g, None)?;
    let text = blank_sheet(&rubric);
    // The sheet appears whole or not at all, and a file that appeared meanwhile is
    // still not overwritten.
    cli::write_whole(path, text.as_bytes(), false, "choose another -o path")?;
    eprintln!(
        "wrote {} ({} questions); fill it in, then run: pmo-vmo score {}",
        path.display(),
        rubric.rubric.question.len(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
