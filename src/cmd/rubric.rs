//! `pmo-vmo rubric check|show|schema`: validate and lint a rubric, print the
//! questionnaire, print the JSON Schema of rubric and sheet files.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use pmo_vmo::{lint, schema, show};

use crate::cli::{self, GlobalArgs};

#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// Validate and lint a rubric (default: the one in use); exit 1 on a lint finding
    Check {
        /// Rubric file (overrides --rubric)
        file: Option<PathBuf>,
        /// Output format
        #[arg(long, short, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Print the JSON Schema (draft-07) of rubric files, or of answer sheets with --sheet
    Schema {
        /// The schema of answer sheets instead of rubrics
        #[arg(long)]
        sheet: bool,
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
pub enum CheckFormat {
    /// `file:line: code: message`, one finding per line
    Text,
    /// `{"source", "findings": [{"line", "code", "message"}]}`
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Table,
    Json,
    Markdown,
}

pub fn run(g: &GlobalArgs, c: &RubricCommand) -> Result<ExitCode> {
    match c {
        RubricCommand::Check { file, format } => {
            let r = cli::load_rubric(g, file.as_ref())?;
            let findings = lint::lint(&r);
            let text = match format {
                CheckFormat::Json => {
                    #[derive(serde::Serialize)]
                    struct Doc<'a> {
                        source: &'a str,
                        rubric: serde_json::Value,
                        findings: &'a [lint::Finding],
                    }
                    let doc = Doc {
                        source: &r.source,
                        rubric: serde_json::json!({"id": r.rubric.id, "version": r.rubric.version}),
                        findings: &findings,
                    };
                    serde_json::to_string_pretty(&doc)? + "\n"
                }
                CheckFormat::Text if findings.is_empty() => format!(
                    "{}: ok ({} {}: {} factors, {} questions, {} gate{})\n",
                    r.source,
                    r.rubric.id,
                    r.rubric.version,
                    r.rubric.factor.len(),
                    r.rubric.question.len(),
                    r.rubric.gate.len(),
                    if r.rubric.gate.len() == 1 { "" } else { "s" }
                ),
                CheckFormat::Text => {
                    let mut t: String = findings.iter().map(|f| format!("{f}\n")).collect();
                    let n = findings.len();
                    let _ = writeln!(t, "{n} lint finding{}", if n == 1 { "" } else { "s" });
                    t
                }
            };
            let code = if findings.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            };
            cli::emit(text.as_bytes(), code)
        }
        RubricCommand::Schema { sheet } => {
            let text = if *sheet {
                schema::sheet()
            } else {
                schema::rubric()
            };
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
