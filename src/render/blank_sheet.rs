//! The blank answer sheet written by `pmo-vmo init`: every question as a comment with
//! its options, and its key ready to fill. Rubric text only ever appears in
//! comments, each line starting with `#`, with no character that could end the
//! comment (a newline, a carriage return) or that TOML forbids in one (control
//! characters): whatever a rubric says, the sheet parses and holds no answer.

use std::fmt::Write as _;

use crate::render::clean::printable_line;
use crate::rubric::respondent::{RespondentQuestion, RespondentText};
use crate::rubric::{DONT_KNOW, LoadedRubric};

/// Quotes a string for TOML.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Prefixes each line of `text` with `# `, wrapped to about 88 columns. Any white
/// space (a newline, a vertical tab) only separates words; control characters are
/// escaped (`\u{1b}`).
fn comment(out: &mut String, text: &str, indent: &str) {
    let mut line = String::new();
    for word in text.split_whitespace().map(printable_line) {
        if !line.is_empty() && indent.len() + line.len() + word.len() + 3 > 88 {
            let _ = writeln!(out, "# {indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "# {indent}{line}");
    }
}

/// The text of a blank sheet for the rubric. Its comments are what a respondent
/// reads, so they hold the respondent's text only ([`RespondentText`]) and no word
/// about how answers count.
pub fn blank_sheet(rubric: &LoadedRubric) -> String {
    let view = RespondentText::of(rubric);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Answers to \"{}\" ({} {}).",
        printable_line(view.title),
        view.id,
        printable_line(view.version)
    );
    if !view.description.is_empty() {
        comment(&mut out, view.description, "");
    }
    out.push_str(
        "# For each question, put one option id from the list above it between the quotes.\n",
    );
    let _ = writeln!(
        out,
        "# Leave a value empty to skip a question, or write \"{DONT_KNOW}\" if you do not know."
    );
    out.push_str("# When you are done, send this file back to the person who asked you.\n\n");
    let _ = writeln!(out, "rubric = {}", quoted(view.id));
    let _ = writeln!(out, "rubric-version = {}", quoted(view.version));
    out.push_str("# date = YYYY-MM-DD   (when the answers were given, no quotes: 2026-11-25)\n");
    out.push_str("respondent = \"\"\nrole = \"\"\norganisation = \"\"\n\n[answers]\n");
    // Questions about the organisation (no factor) first, as the interview asks.
    let mut context = (view.question.iter())
        .zip(rubric.question_factors())
        .filter(|(_, qf)| qf.is_none())
        .peekable();
    if context.peek().is_some() {
        out.push_str("\n# ── About the organisation ──\n");
    }
    for (q, _) in context {
        blank_question(&mut out, q);
    }
    for (fi, f) in view.factor.iter().enumerate() {
        let _ = writeln!(out, "\n# ── {} ──", printable_line(f.title));
        if !f.description.is_empty() {
            comment(&mut out, f.description, "");
        }
        for (q, _) in view
            .question
            .iter()
            .zip(rubric.question_factors())
            .filter(|(_, qf)| **qf == Some(fi))
        {
            blank_question(&mut out, q);
        }
    }
    out.push_str("\n[notes]\n# Evidence for an answer, by question id, e.g.\n");
    if let Some(q) = view.question.first() {
        let _ = writeln!(out, "# {} = \"Handbook in use since 2021\"", q.id);
    }
    out
}

/// One question: its text and help as comments, its options, its empty key.
fn blank_question(out: &mut String, q: &RespondentQuestion<'_>) {
    out.push('\n');
    comment(out, q.text, "");
    if let Some(help) = q.help {
        comment(out, help, "  ");
    }
    let w = q.option.iter().map(|o| o.id.len()).max().unwrap_or(0);
    for o in &q.option {
        let _ = writeln!(out, "#   {:<w$}  {}", o.id, printable_line(o.label));
    }
    let _ = writeln!(out, "{} = \"\"", q.id);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::sheet::{SheetFormat, load_text};

    #[test]
    fn rubric_text_never_leaves_a_comment() {
        let v2 = crate::testing::v2();
        let inject = "Yes{sep}other = \"yes\"\u{1b}]0;t\u{7}";
        for sep in ["\n", "\r", "\r\n", "\u{b}", "\u{c}", "\u{85}", "\u{2028}"] {
            let hostile = inject.replace("{sep}", sep);
            let r = v2.changed(|rb| {
                rb.title.clone_from(&hostile);
                rb.factor[0].title.clone_from(&hostile);
                rb.factor[0].description.clone_from(&hostile);
                rb.question[0].text.clone_from(&hostile);
                rb.question[0].option[0].label.clone_from(&hostile);
            });
            let text = blank_sheet(&r);
            let doc: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert!(!doc.contains_key("other"), "{sep:?}: {text}");
            let answers = doc["answers"].as_table().unwrap();
            assert_eq!(answers.len(), r.rubric.question.len(), "{sep:?}");
            assert!(answers.values().all(|v| v.as_str() == Some("")), "{sep:?}");
            for line in text.lines().filter(|l| l.contains("other")) {
                assert!(line.starts_with('#'), "{sep:?}: {line}");
            }
            assert!(
                !text.contains(['\r', '\u{b}', '\u{c}', '\u{1b}', '\u{7}']),
                "{sep:?}"
            );
        }
    }

    #[test]
    fn blank_sheet_parses_and_lists_every_question_and_option() {
        let r = crate::testing::v2();
        let text = blank_sheet(&r);
        let s = load_text(&r, "blank.toml", &text, SheetFormat::Toml).unwrap();
        assert!(s.choices.iter().all(Option::is_none));
        // The date line is a comment until filled; filled, it reads as a date.
        assert_eq!(s.sheet.date, None);
        let dated = text.replacen("# date = YYYY-MM-DD ", "date = 2026-11-25 #", 1);
        let d = load_text(&r, "blank.toml", &dated, SheetFormat::Toml).unwrap();
        assert_eq!(
            d.sheet.date.map(|d| d.to_string()).as_deref(),
            Some("2026-11-25")
        );
        for q in &r.rubric.question {
            assert!(text.contains(&format!("\n{} = \"\"\n", q.id)), "{}", q.id);
            for o in &q.option {
                assert!(text.contains(&o.label), "{}", o.label);
            }
        }
    }
}
