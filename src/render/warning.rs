//! Warnings in words, one line each, naming where they come from.

use crate::input::warning::{
    Heading, MissingQuestion, NameColumn, PassedSheet, Skip, Special, Undated, Warning,
};
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

/// What an encoding `--encoding` takes is known as, where the words help.
fn encoding_note(name: &str) -> &'static str {
    match name {
        "windows-1252" => " (Excel's \"CSV (Comma delimited)\" on Windows)",
        "macintosh" => " (Mac Roman: Excel for Mac's \"CSV (Macintosh)\")",
        _ => "",
    }
}

/// The values that marked responses unfinished: `"Partial" or "Disqualified"`, an
/// empty cell said so.
fn marks_text(marks: &[String]) -> String {
    let words: Vec<String> = marks
        .iter()
        .map(|m| {
            if m.is_empty() {
                "an empty cell".to_string()
            } else {
                shown(m)
            }
        })
        .collect();
    words.join(" or ")
}

fn other_worksheet_text(
    file: &crate::origin::Origin,
    read: &str,
    passed: &[(String, PassedSheet)],
) -> String {
    let passed: Vec<String> = passed
        .iter()
        .map(|(name, why)| {
            format!(
                "{} ({})",
                shown(name),
                match why {
                    PassedSheet::Hidden => "hidden",
                    PassedSheet::NoQuestion => "names no question of the rubric",
                }
            )
        })
        .collect();
    format!(
        "{file}: read worksheet {}, passing over {}; --sheet NAME reads another",
        shown(read),
        passed.join(", ")
    )
}

fn name_columns_text(file: &crate::origin::Origin, columns: &[NameColumn]) -> String {
    let each: Vec<String> = columns
        .iter()
        .map(|c| {
            format!(
                "column {} {} for {} row{}",
                c.column,
                shown(&c.header),
                c.rows,
                if c.rows == 1 { "" } else { "s" }
            )
        })
        .collect();
    format!(
        "{file}: {} columns name the respondent; each row's name is taken from the first \
         that holds one (\"anonymous\" is passed over): {}",
        columns.len(),
        each.join(", ")
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
        Warning::Encoding {
            file,
            encoding,
            other,
        } => format!(
            "{file}: not UTF-8 and no byte-order mark; read as {encoding}{}; if the text looks \
             wrong, choose another with --encoding, such as {other}{}",
            encoding_note(encoding),
            encoding_note(other)
        ),
        Warning::PartialSkipped {
            file,
            count,
            column,
            marks,
        } => format!(
            "{file}: left out {count} unfinished response{} (marked so in column {}: {}); \
             --include-partial scores {}",
            if *count == 1 { "" } else { "s" },
            shown(column),
            marks_text(marks),
            if *count == 1 { "it" } else { "them" }
        ),
        Warning::UndatedRows {
            file,
            count,
            column,
            why,
        } => format!(
            "{file}: {count} row{} left without a date: column {} {}",
            if *count == 1 { " is" } else { "s are" },
            shown(column),
            match why {
                Undated::Unreadable =>
                    "does not write dates in a form that reads the same \
                                        everywhere (such as 2026-11-25)",
                Undated::Ambiguous =>
                    "writes day and month as numbers that read either \
                                       way round (such as 11/4/26); --date-order mdy (month \
                                       first, as in the United States) or --date-order dmy \
                                       (day first) reads them",
                Undated::Mixed => "writes some dates day first and others month first",
            }
        ),
        Warning::NameColumns { file, columns } => name_columns_text(file, columns),
        Warning::OtherWorksheet { file, read, passed } => other_worksheet_text(file, read, passed),
        Warning::NotSheets { folder, files } => format!(
            "{folder}: not read, not sheets or survey exports: {}",
            some_of(files.iter().map(|f| shown(&f.display().to_string())))
        ),
    }
}
