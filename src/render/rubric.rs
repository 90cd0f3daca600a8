//! `rubric show`: the questionnaire as a table, JSON (the file's own keys) or a
//! printable Markdown questionnaire.

use std::fmt::Write as _;

use crate::render::clean::{cut_long_words, printable};
use crate::render::table::{LONGEST_WORD, new_table, text};
use crate::render::{Style, markdown::cell, num};
use crate::rubric::respondent::{RespondentQuestion, RespondentText};
use crate::rubric::{LoadedRubric, Question, QuestionKind};

/// The rubric as JSON with the same keys as the TOML file.
pub fn json(rubric: &LoadedRubric) -> String {
    serde_json::to_string_pretty(&*rubric.rubric).unwrap_or_default() + "\n"
}

/// Rubric text outside a table, cleaned for the terminal.
fn line(s: &str) -> String {
    cut_long_words(&printable(s), LONGEST_WORD).into_owned()
}

/// Who reads `rubric show`: a respondent (the default: the questions, their help
/// and the answers, as every respondent surface shows them) or the consultant
/// (`--consultant`: ids, scores, weights, what each answer means, and the gates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    /// Only [`RespondentText`].
    Respondent,
    /// The respondent's text with the consultant's meaning beside it.
    Consultant,
}

/// The parts in asking order: the questions about the organisation (no factor)
/// first, then factor by factor; each with its question indexes.
fn parts(rubric: &LoadedRubric) -> Vec<(Option<usize>, Vec<usize>)> {
    let of = |part: Option<usize>| -> Vec<usize> {
        (rubric.question_factors().iter().enumerate())
            .filter(|(_, f)| **f == part)
            .map(|(qi, _)| qi)
            .collect()
    };
    std::iter::once(None)
        .chain((0..rubric.rubric.factor.len()).map(Some))
        .map(|p| (p, of(p)))
        .filter(|(_, qs)| !qs.is_empty())
        .collect()
}

/// What the part about the organisation is called, as the interview names it.
pub const CONTEXT_PART: &str = "About the organisation";

/// The questionnaire as a table per part. Every text from the rubric is cleaned
/// for the terminal: rubrics come from other people's repositories.
pub fn table(rubric: &LoadedRubric, width: Option<u16>, voice: Voice) -> String {
    let r = &rubric.rubric;
    let view = RespondentText::of(rubric);
    let consultant = voice == Voice::Consultant;
    let mut out = if consultant {
        format!(
            "{} ({} {})\n",
            line(view.title),
            view.id,
            line(view.version)
        )
    } else {
        format!("{}\n", line(view.title))
    };
    if !view.description.is_empty() {
        let _ = writeln!(out, "{}", line(view.description));
    }
    if consultant {
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
    }
    let mut n = 0;
    for (part, qs) in parts(rubric) {
        let mut t = new_table(Style {
            color: false,
            width,
            detail: None,
        });
        t.set_header(if consultant {
            vec!["Question", "Options (score)"]
        } else {
            vec!["Question", "Options"]
        });
        for qi in qs {
            n += 1;
            let (q, rq) = (&r.question[qi], &view.question[qi]);
            let mut left = format!("{n}. {}", rq.text);
            if let Some(h) = rq.help {
                let _ = write!(left, "\n\n{h}");
            }
            if consultant {
                let _ = write!(left, "\n[{}]", q.id);
                if q.weight != 1.0 {
                    let _ = write!(
                        left,
                        "\nweight {}",
                        crate::render::num::setting_num(q.weight)
                    );
                }
                if let Some(e) = &q.explain {
                    let _ = write!(left, "\nMeaning: {e}");
                }
            }
            let opts = options_cell(q, rq, consultant);
            t.add_row(vec![text(&left), text(&opts)]);
        }
        let head = match part {
            Some(fi) => {
                let f = &view.factor[fi];
                let mut head = line(f.title);
                if consultant {
                    let _ = write!(
                        head,
                        " [{}] · weight {}",
                        f.id,
                        crate::render::num::setting_num(r.factor[fi].weight)
                    );
                }
                if !f.description.is_empty() {
                    let _ = write!(head, "\n{}", line(f.description));
                }
                head
            }
            None => CONTEXT_PART.to_string(),
        };
        let _ = writeln!(out, "\n{head}\n{t}");
    }
    if consultant {
        out.push_str(&gates(rubric));
    }
    out
}

/// A question's options, one a line (with a blank line between them when any has
/// help or a meaning under it).
fn options_cell(q: &Question, rq: &RespondentQuestion<'_>, consultant: bool) -> String {
    let opts: Vec<String> = (q.option.iter().zip(&rq.option))
        .map(|(o, ro)| {
            let label = crate::render::clean::printable_line(ro.label);
            let mut cell = if consultant && q.kind != QuestionKind::Context {
                format!("{label} ({})", num(o.score))
            } else {
                format!("- {label}")
            };
            if let Some(h) = ro.help {
                let _ = write!(cell, "\n  {h}");
            }
            if consultant && let Some(e) = &o.explain {
                let _ = write!(cell, "\n  Meaning: {e}");
            }
            cell
        })
        .collect();
    let gap = if opts.iter().any(|o| o.contains('\n')) {
        "\n"
    } else {
        ""
    };
    opts.join(&format!("\n{gap}"))
}

/// The gates, for the consultant's view.
fn gates(rubric: &LoadedRubric) -> String {
    let r = &rubric.rubric;
    let mut out = String::new();
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

/// A printable questionnaire: every question with boxes to tick, in the
/// respondent's words ([`RespondentText`]). Option help is left out to keep it
/// short on paper; `Voice::Consultant` adds each question's id and what each
/// answer means. Rubric text is escaped like any text in Markdown ([`cell`]):
/// shown as written, never read as markup or HTML.
pub fn markdown(rubric: &LoadedRubric, voice: Voice) -> String {
    let r = &rubric.rubric;
    let view = RespondentText::of(rubric);
    let consultant = voice == Voice::Consultant;
    let mut out = format!("# {}\n\n", cell(view.title));
    if !view.description.is_empty() {
        let _ = writeln!(out, "{}\n", cell(view.description));
    }
    out.push_str("Respondent: ____________________  Role: ____________________\n\n");
    out.push_str("Organisation: ____________________  Date: ____________________\n\n");
    out.push_str("Tick one box per question; leave a question blank if you are not sure.\n\n");
    let mut n = 0;
    for (part, qs) in parts(rubric) {
        match part {
            Some(fi) => {
                let f = &view.factor[fi];
                let _ = writeln!(out, "## {}\n", cell(f.title));
                if !f.description.is_empty() {
                    let _ = writeln!(out, "{}\n", cell(f.description));
                }
            }
            None => {
                let _ = writeln!(out, "## {CONTEXT_PART}\n");
            }
        }
        for qi in qs {
            let (q, rq) = (&r.question[qi], &view.question[qi]);
            n += 1;
            let _ = writeln!(out, "### {n}. {}\n", cell(rq.text));
            if let Some(h) = rq.help {
                let _ = writeln!(out, "_{}_\n", cell(h.trim()));
            }
            for (o, ro) in q.option.iter().zip(&rq.option) {
                let _ = writeln!(out, "- [ ] {}", cell(ro.label));
                if consultant && let Some(e) = &o.explain {
                    let _ = writeln!(out, "  - meaning: {}", cell(e));
                }
            }
            if consultant {
                if let Some(e) = &q.explain {
                    let _ = writeln!(out, "\nMeaning: {}", cell(e));
                }
                let _ = writeln!(out, "\n<sub>`{}`</sub>", cell(&q.id));
            }
            out.push('\n');
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
