//! `rubric show`: the questionnaire as a table, JSON (the file's own keys) or a
//! printable Markdown questionnaire.

use std::fmt::Write as _;

use crate::render::clean::{cut_long_words, printable};
use crate::render::table::{LONGEST_WORD, new_table, text};
use crate::render::{Style, markdown::cell, num};
use crate::rubric::LoadedRubric;

/// The rubric as JSON with the same keys as the TOML file.
pub fn json(rubric: &LoadedRubric) -> String {
    serde_json::to_string_pretty(&*rubric.rubric).unwrap_or_default() + "\n"
}

/// Rubric text outside a table, cleaned for the terminal.
fn line(s: &str) -> String {
    cut_long_words(&printable(s), LONGEST_WORD).into_owned()
}

/// The questionnaire as a table per factor. Every text from the rubric is cleaned
/// for the terminal: rubrics come from other people's repositories.
pub fn table(rubric: &LoadedRubric, width: Option<u16>) -> String {
    let r = &rubric.rubric;
    let mut out = format!("{} ({} {})\n", line(&r.title), r.id, line(&r.version));
    if !r.description.is_empty() {
        let _ = writeln!(out, "{}", line(&r.description));
    }
    let _ = writeln!(out, "{}", crate::render::words::bands_sentence(rubric));
    if let Some(m) = r.scoring.min_answered {
        let _ = writeln!(
            out,
            "A result is provisional unless each factor has at least {} of its questions \
             answered (min-answered {}).",
            crate::render::words::share_words(m),
            crate::render::num::setting_num(m)
        );
    }
    for (fi, f) in r.factor.iter().enumerate() {
        let mut t = new_table(Style {
            color: false,
            width,
            detail: None,
        });
        t.set_header(vec!["Question", "Options (score)"]);
        for (q, _) in r
            .question
            .iter()
            .zip(rubric.question_factors())
            .filter(|(_, qf)| **qf == Some(fi))
        {
            let opts: Vec<String> = q
                .option
                .iter()
                .map(|o| {
                    format!(
                        "{} ({})",
                        crate::render::clean::printable_line(&o.label),
                        num(o.score)
                    )
                })
                .collect();
            let weight = if q.weight == 1.0 {
                String::new()
            } else {
                format!("\nweight {}", crate::render::num::setting_num(q.weight))
            };
            t.add_row(vec![
                text(&format!("{}\n[{}]{weight}", q.text, q.id)),
                text(&opts.join("\n")),
            ]);
        }
        let _ = writeln!(
            out,
            "\n{} [{}] · weight {}\n{t}",
            line(&f.title),
            f.id,
            crate::render::num::setting_num(f.weight)
        );
    }
    if !r.gate.is_empty() {
        out.push_str("\nGates:\n");
        for g in &r.gate {
            let target = match &g.question {
                Some(q) => format!("answer to {q}"),
                None => g.target_id().to_string(),
            };
            let cond = match (g.below, g.at_least) {
                (Some(b), _) => format!("{target} < {}", crate::render::num::setting_num(b)),
                (_, Some(a)) => format!("{target} >= {}", crate::render::num::setting_num(a)),
                _ => target,
            };
            let what = match g.effect() {
                (effect, Some(band)) => format!("{effect:?} at {}", band.label()),
                (_, None) => "a risk".to_string(),
            };
            out.push_str(
                &format!("  {} : when {cond}, {what} · {}\n", g.id, line(&g.message))
                    .replace("Cap at", "cap at")
                    .replace("Floor at", "floor at"),
            );
        }
    }
    out
}

/// A printable questionnaire: every question with boxes to tick. Option help is
/// left out on purpose: it says which way an answer leans, and on paper that would
/// steer the respondent. Rubric text is escaped like any text in Markdown
/// ([`cell`]): shown as written, never read as markup or HTML.
pub fn markdown(rubric: &LoadedRubric) -> String {
    let r = &rubric.rubric;
    let mut out = format!("# {}\n\n", cell(&r.title));
    if !r.description.is_empty() {
        let _ = writeln!(out, "{}\n", cell(&r.description));
    }
    out.push_str("Respondent: ____________________  Role: ____________________\n\n");
    out.push_str("Organisation: ____________________  Date: ____________________\n\n");
    out.push_str("Tick one box per question; leave a question blank if you are not sure.\n\n");
    let mut n = 0;
    for (fi, f) in r.factor.iter().enumerate() {
        let _ = writeln!(out, "## {}\n", cell(&f.title));
        if !f.description.is_empty() {
            let _ = writeln!(out, "{}\n", cell(&f.description));
        }
        for (q, _) in r
            .question
            .iter()
            .zip(rubric.question_factors())
            .filter(|(_, qf)| **qf == Some(fi))
        {
            n += 1;
            let _ = writeln!(out, "### {n}. {}\n", cell(&q.text));
            if let Some(h) = &q.help {
                let _ = writeln!(out, "_{}_\n", cell(h.trim()));
            }
            for o in &q.option {
                let _ = writeln!(out, "- [ ] {}", cell(&o.label));
            }
            let _ = writeln!(out, "\n<sub>`{}`</sub>\n", cell(&q.id));
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
