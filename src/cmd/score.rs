//! `pmo-vmo score`: score sheets and print the recommendation.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use pmo_vmo::batch::{self, Batch};
use pmo_vmo::render::{self, Format, Style};
use pmo_vmo::sheet::SheetFormat;

use crate::cli::{self, GlobalArgs};

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Answer sheets: .toml or .json files, folders (walked recursively), `-` for stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Format of a sheet read from stdin (`-`)
    #[arg(long, value_enum, default_value_t = InputFormat::Toml, value_name = "FORMAT")]
    pub input_format: InputFormat,
    /// Only the summary table, even for a few sheets
    #[arg(long, conflicts_with = "detail")]
    pub summary: bool,
    /// A detailed table for every sheet, even for many
    #[arg(long)]
    pub detail: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Table => Format::Table,
            OutputFormat::Json => Format::Json,
            OutputFormat::Csv => Format::Csv,
            OutputFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Toml,
    Json,
}

impl From<InputFormat> for SheetFormat {
    fn from(f: InputFormat) -> SheetFormat {
        match f {
            InputFormat::Toml => SheetFormat::Toml,
            InputFormat::Json => SheetFormat::Json,
        }
    }
}

pub fn run(g: &GlobalArgs, args: &ScoreArgs) -> Result<ExitCode> {
    let rubric = cli::load_rubric(g, None)?;
    let inputs = batch::expand(&args.paths, args.input_format.into());
    let batch = Batch::run(&rubric, &inputs);
    for w in &batch.warnings {
        cli::warn(w);
    }
    for e in &batch.errors {
        cli::print_input_error(e);
    }
    let style = Style {
        color: cli::use_color(g, false),
        width: cli::width(),
        detail: if args.summary {
            Some(false)
        } else if args.detail {
            Some(true)
        } else {
            None
        },
    };
    let out = std::io::stdout().lock();
    let mut sink = render::sink(args.format.into(), &rubric, style, out);
    // Errors first so each sink can place them; results keep input order.
    for e in &batch.errors {
        sink.error(e)?;
    }
    for r in &batch.results {
        sink.result(r)?;
    }
    sink.finish()?;
    Ok(if batch.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
