//! `pmo-vmo rubric check|show|schema`: validate and lint a rubric, print the
//! questionnaire, print the JSON Schema of rubric and sheet files.

use std::fmt::Write as _;

use anyhow::Result;
use pmo_vmo::render::clean::printable_line;
use pmo_vmo::render::rubric as show;
use pmo_vmo::render::words::count;
use pmo_vmo::{lint, schema};

use crate::args::{LintFormat, RubricCommand, ShowFormat};
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

pub fn run(settings: &Settings, c: &RubricCommand) -> Result<ExitStatus> {
    match c {
        RubricCommand::Check { file, format } => {
            let r = settings.load_rubric(file.as_deref())?;
            let findings = lint::lint(&r);
            let text = match format {
                LintFormat::Json => {
                    #[derive(serde::Serialize)]
                    struct Doc<'a> {
                        source: String,
                        rubric: serde_json::Value,
                        findings: &'a [lint::Finding],
                    }
                    let doc = Doc {
                        source: r.source().to_string(),
                        rubric: serde_json::json!({"id": r.rubric.id, "version": r.rubric.version}),
                        findings: &findings,
                    };
                    serde_json::to_string_pretty(&doc)? + "\n"
                }
                LintFormat::Text if findings.is_empty() => format!(
                    "{}: ok ({} {}: {}, {}, {})\n",
                    printable_line(&r.source().to_string()),
                    printable_line(&r.rubric.id),
                    printable_line(&r.rubric.version),
                    count(r.rubric.factor.len(), "factor", "factors"),
                    count(r.rubric.question.len(), "question", "questions"),
                    count(r.rubric.gate.len(), "gate", "gates")
                ),
                LintFormat::Text => {
                    let mut t: String = findings.iter().map(|f| format!("{f}\n")).collect();
                    let n = findings.len();
                    let _ = writeln!(t, "{n} lint finding{}", if n == 1 { "" } else { "s" });
                    t
                }
            };
            let status = if findings.is_empty() {
                ExitStatus::Success
            } else {
                ExitStatus::Failed
            };
            term::emit(text.as_bytes(), status)
        }
        RubricCommand::Schema { sheet } => {
            let text = if *sheet {
                schema::sheet()
            } else {
                schema::rubric()
            };
            term::write_stdout(text.as_bytes())?;
            Ok(ExitStatus::Success)
        }
        RubricCommand::Show {
            file,
            format,
            consultant,
        } => {
            let r = settings.load_rubric(file.as_deref())?;
            let voice = if *consultant {
                show::Voice::Consultant
            } else {
                show::Voice::Respondent
            };
            let text = match format {
                ShowFormat::Table => show::table(&r, settings.width, voice),
                ShowFormat::Json => show::json(&r),
                ShowFormat::Markdown => show::markdown(&r, voice),
            };
            term::write_stdout(text.as_bytes())?;
            Ok(ExitStatus::Success)
        }
    }
}
