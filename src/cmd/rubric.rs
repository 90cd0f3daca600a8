//! `pmo-vmo rubric check|show`: validate a rubric, print the questionnaire.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use pmo_vmo::show;

use crate::cli::{self, GlobalArgs};

#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// Validate a rubric (default: the one in use)
    Check {
        /// Rubric file (overrides --rubric)
        file: Option<PathBuf>,
    },
    /// Print the questionnaire
    Show {
        /// Rubric file (overrides --rubric)
        file: Option<PathBuf>,
        /// Output format
        #[arg(long, short, value_enum, default_value_t = ShowFormat::Table)]
        format: ShowFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Table,
    Json,
    Markdown,
}

pub fn run(g: &GlobalArgs, c: &RubricCommand) -> Result<ExitCode> {
    match c {
        RubricCommand::Check { file } => {
            let r = cli::load_rubric(g, file.as_ref())?;
            let text = format!(
                "{}: ok ({} {}: {} factors, {} questions, {} gate{})\n",
                r.source,
                r.rubric.id,
                r.rubric.version,
                r.rubric.factor.len(),
                r.rubric.question.len(),
                r.rubric.gate.len(),
                if r.rubric.gate.len() == 1 { "" } else { "s" }
            );
            cli::write_stdout(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        RubricCommand::Show { file, format } => {
            let r = cli::load_rubric(g, file.as_ref())?;
            let text = match format {
                ShowFormat::Table => show::table(&r, cli::width()),
                ShowFormat::Json => show::json(&r),
                ShowFormat::Markdown => show::markdown(&r),
            };
            cli::write_stdout(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
