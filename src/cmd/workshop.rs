//! `pmo-vmo workshop`: one group result from many respondents, with their disagreement.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use pmo_vmo::batch::{self, SheetResult};
use pmo_vmo::render::{self, Style};
use pmo_vmo::rubric::LoadedRubric;
use pmo_vmo::sheet::{ResolvedSheet, SheetFormat};

use crate::cli::{self, GlobalArgs};
use crate::cmd::score::InputFormat;

#[derive(Debug, Args)]
pub struct WorkshopArgs {
    /// Answer sheets, one per respondent: .toml or .json files, .csv survey exports
    /// (one sheet per row), folders, `-` for stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = WorkshopFormat::Table)]
    pub format: WorkshopFormat,
    /// Format of a sheet read from stdin (`-`)
    #[arg(long, value_enum, default_value_t = InputFormat::Toml, value_name = "FORMAT")]
    pub input_format: InputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WorkshopFormat {
    Table,
    Json,
    Markdown,
}

/// Loads and scores every sheet; bad ones are reported on stderr and left out.
/// Returns the scored sheets and whether any input failed.
pub fn load_members(
    rubric: &LoadedRubric,
    paths: &[PathBuf],
    stdin_format: SheetFormat,
) -> (Vec<(ResolvedSheet, SheetResult)>, bool) {
    let inputs = batch::expand(paths, stdin_format);
    // The same loading as `check`: survey exports give one member per row.
    let (outcomes, warnings) = batch::run_keeping_sheets(rubric, &inputs);
    for w in &warnings {
        cli::warn(w);
    }
    let mut members = Vec::with_capacity(outcomes.len());
    let mut failed = false;
    for outcome in outcomes {
        match outcome {
            Ok(m) => members.push(m),
            Err(e) => {
                cli::print_input_error(&e);
                failed = true;
            }
        }
    }
    (members, failed)
}

pub fn run(g: &GlobalArgs, args: &WorkshopArgs) -> Result<ExitCode> {
    let rubric = cli::load_rubric(g, None)?;
    let (members, failed) = load_members(&rubric, &args.paths, args.input_format.into());
    let Some(w) = pmo_vmo::workshop::aggregate(&rubric, &members) else {
        bail!("no sheet could be scored, so there is no group result");
    };
    let text = match args.format {
        WorkshopFormat::Json => render::workshop::json(&w),
        WorkshopFormat::Markdown => render::workshop::markdown(&rubric, &w),
        WorkshopFormat::Table => render::workshop::table(
            &rubric,
            &w,
            Style {
                color: cli::use_color(g, false),
                width: cli::width(),
                detail: None,
            },
        ),
    };
    let code = if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    };
    cli::emit(text.as_bytes(), code)
}
