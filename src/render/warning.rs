//! Warnings in words, one line each, naming where they come from.

use crate::diag::shown;
use crate::input::warning::{Skip, Special, Warning};

/// At most this many ignored columns are named; the rest are counted.
const NAMED_COLUMNS: usize = 8;

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
            let mut names: Vec<String> = columns
                .iter()
                .take(NAMED_COLUMNS)
                .map(|h| shown(h))
                .collect();
            if columns.len() > NAMED_COLUMNS {
                names.push(format!("and {} more", columns.len() - NAMED_COLUMNS));
            }
            let (column, answer) = if columns.len() == 1 {
                ("column", "answers")
            } else {
                ("columns", "answer")
            };
            format!(
                "{file}: ignoring {} {column} that {answer} no question: {}",
                columns.len(),
                names.join(", ")
            )
        }
    }
}
