//! Warnings in words, one line each, naming where they come from.

use crate::input::warning::{Heading, MissingQuestion, Skip, Special, Warning};
use crate::render::diag::shown;

/// At most this many ignored columns (or unread files) are named; the rest are
/// counted.
const NAMED_COLUMNS: usize = 8;

/// The first few of `names`, then how many more there are.
fn some_of(names: impl ExactSizeIterator<Item = String>) -> String {
    let total = names.len();
    let mut shown: Vec<String> = names.take(NAMED_COLUMNS).collect();
    if total > NAMED_COLUMNS {
        shown.push(format!("and {} more", total - NAMED_COLUMNS));
    }
    shown.join(", ")
}

fn missing_text(file: &crate::origin::Origin, questions: &[MissingQuestion]) -> String {
    let named = questions.iter().map(|q| match &q.closest {
        Some(h) => format!(
            "`{}` (did you mean {} for column {}?)",
            q.id,
            shown(&q.text),
            shown(h)
        ),
        None => format!("`{}`", q.id),
    });
    let n = questions.len();
    format!(
        "{file}: no column answers {n} question{} of the rubric, left unanswered: {}",
        if n == 1 { "" } else { "s" },
        some_of(named)
    )
}

/// One warning as a line for people (without the `warning: ` prefix).
pub fn warning_text(w: &Warning) -> String {
    match w {
        Warning::Version {
            origin,
            sheet,
            rubric,
        } => format!(
            "{origin}: sheet was filled against rubric version {sheet}, the rubric in use is {rubric}"
        ),
        Warning::Skipped {
            why: Skip::StdinAgain,
            ..
        } => "-: skipped, standard input is read once".to_string(),
        Warning::Skipped {
            origin,
            why: Skip::SecondWay { real },
        } => format!(
            "{origin}: skipped, it leads to {}, which is already being read (each sheet counts once)",
            real.display()
        ),
        Warning::Skipped {
            origin,
            why: Skip::NotAFile(kind),
        } => format!(
            "{origin}: skipped, it is {}, not a file; a folder walk reads regular files only",
            match kind {
                Special::Fifo => "a named pipe (FIFO)",
                Special::Device => "a device",
                Special::Socket => "a socket",
                Special::Other => "something else",
            }
        ),
        Warning::IgnoredColumns { file, columns } => {
            let (column, answer) = if columns.len() == 1 {
                ("column", "answers")
            } else {
                ("columns", "answer")
            };
            format!(
                "{file}: ignoring {} {column} that {answer} no question: {}",
                columns.len(),
                some_of(columns.iter().map(|h| match h {
                    Heading::Text(h) => shown(h),
                    Heading::Blank { column } => shown(&format!("column {column}")),
                }))
            )
        }
        Warning::MissingQuestions { file, questions } => missing_text(file, questions),
        Warning::Encoding { file, encoding } => format!(
            "{file}: not UTF-8 and no byte-order mark; read as {encoding} (choose another with --encoding)"
        ),
        Warning::PartialSkipped {
            file,
            count,
            column,
        } => format!(
            "{file}: left out {count} unfinished response{} (marked so in column {}); --include-partial scores {}",
            if *count == 1 { "" } else { "s" },
            shown(column),
            if *count == 1 { "it" } else { "them" }
        ),
        Warning::UndatedRows {
            file,
            count,
            column,
        } => format!(
            "{file}: {count} row{} left without a date: column {} does not write dates in a form that reads the same everywhere (such as 2026-11-25)",
            if *count == 1 { " is" } else { "s are" },
            shown(column)
        ),
        Warning::NotSheets { folder, files } => format!(
            "{folder}: not read, not sheets or survey exports: {}",
            some_of(files.iter().map(|f| shown(&f.display().to_string())))
        ),
    }
}
