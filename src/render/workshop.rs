//! The workshop's group result for people (tables, Markdown) and machines (JSON).

use std::fmt::Write as _;

use comfy_table::{Cell, CellAlignment};

use super::Style;
use super::markdown::cell;
use super::num::{index_num, index_words, num, opt_factor_num, opt_num};
use super::table::{bar, fitted, new_table, text};
use crate::rubric::{Band, LoadedRubric};
use crate::workshop::{Tipping, Workshop};

/// The group result as pretty JSON.
pub(crate) fn json(w: &Workshop) -> String {
    serde_json::to_string_pretty(w).unwrap_or_default() + "\n"
}

fn factor_title(rubric: &LoadedRubric, id: &str) -> String {
    rubric
        .rubric
        .factor
        .iter()
        .find(|f| f.id == id)
        .map_or_else(|| id.to_string(), |f| f.title.clone())
}

fn question_text(rubric: &LoadedRubric, id: &str) -> String {
    rubric.question(id).map_or_else(
        || id.to_string(),
        |i| rubric.rubric.question[i].text.clone(),
    )
}

fn option_label(rubric: &LoadedRubric, question: &str, option: &str) -> String {
    rubric
        .question(question)
        .and_then(|i| {
            rubric.rubric.question[i]
                .option
                .iter()
                .find(|o| o.id == option)
        })
        .map_or_else(|| option.to_string(), |o| o.label.clone())
}

/// "PMO 2 · Hybrid 0 · VMO 2", then who is provisional: "; 1 provisional (too
/// few answers): Ann".
pub(crate) fn counts(w: &Workshop) -> String {
    let base = bare_counts(w);
    match provisional_line(w) {
        Some(p) => format!("{base}; {p}"),
        None => base,
    }
}

/// "1 provisional (too few answers): Ann", or `None` when every respondent's result
/// is firm.
pub(crate) fn provisional_line(w: &Workshop) -> Option<String> {
    if w.provisional.is_empty() {
        return None;
    }
    let names: Vec<String> = w
        .provisional
        .iter()
        .map(|n| crate::render::clean::printable_line(n).into_owned())
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Some(format!(
        "{} provisional (too few answers for a firm result): {}",
        w.provisional.len(),
        super::words::and_list(&names)
    ))
}

pub(crate) fn bare_counts(w: &Workshop) -> String {
    let tally = (Band::ALL.iter()).map(|b| (*b, w.recommendations.get(b).copied().unwrap_or(0)));
    super::words::shown_counts(tally)
        .into_iter()
        .map(|(b, n)| format!("{} {n}", b.label()))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The factor closest to changing the group result, as a sentence.
pub(crate) fn tipping_sentence(rubric: &LoadedRubric, t: Option<&Tipping>) -> String {
    match t {
        None => "No move of a single factor's mean changes the group recommendation.".into(),
        Some(t) => {
            // Moving down, the change happens strictly below a boundary (the search
            // lands a hair under it); moving up, at the boundary itself. The shown
            // figure is rounded the safe way, so that the sentence stays true.
            let target = if t.to < t.mean {
                format!("below {}", num(((t.to + 1e-4) * 10.0).floor() / 10.0))
            } else {
                format!("of {} or more", num(((t.to - 1e-4) * 10.0).ceil() / 10.0))
            };
            format!(
                "{} is closest to changing it: a group mean {target} instead of {} would make it {} (index {}), other factors unchanged.",
                factor_title(rubric, &t.factor),
                match rubric.rubric.factor.iter().position(|f| f.id == t.factor) {
                    Some(fi) => super::factor_num(rubric, fi, t.mean),
                    None => num(t.mean),
                },
                t.recommendation.label(),
                index_words(rubric, t.index)
            )
        }
    }
}

/// One line per gate that fired on the group's means, saying what it did.
pub(crate) fn gate_lines(rubric: &LoadedRubric, w: &Workshop) -> Vec<String> {
    super::words::fired_gate_lines(rubric, &w.gates, &w.advice, w.recommendation)
}

/// The gate messages that lead the group result, or its summary.
pub fn lead(rubric: &LoadedRubric, w: &Workshop) -> Vec<String> {
    w.advice
        .lead_texts(rubric)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// "Sponsor 87.5 vs pm 37.5 on Maturity (50.0 apart)" per flagged gap.
pub(crate) fn flag_lines(rubric: &LoadedRubric, w: &Workshop) -> Vec<String> {
    let fi = |id: &str| rubric.rubric.factor.iter().position(|f| f.id == id);
    w.flags
        .iter()
        .map(|g| {
            let mean_of = |role: &str| {
                w.roles
                    .iter()
                    .find(|r| r.role == role)
                    .and_then(|r| fi(&g.factor).and_then(|i| r.factors[i].mean))
            };
            let line = format!(
                "{}: {} {} vs {} {} ({} points apart)",
                factor_title(rubric, &g.factor),
                g.roles[0],
                opt_num(mean_of(&g.roles[0])),
                g.roles[1],
                opt_num(mean_of(&g.roles[1])),
                num(g.difference)
            );
            // Role names come from sheets: no escape sequence reaches the terminal.
            let line = crate::render::clean::printable_line(&line);
            crate::render::clean::cut_long_words(&line, super::table::LONGEST_WORD).into_owned()
        })
        .collect()
}

/// The split of an agenda item as "label: n" lines.
fn split_lines(
    rubric: &LoadedRubric,
    question: &str,
    w: &crate::workshop::AgendaItem,
) -> Vec<String> {
    w.split
        .iter()
        .map(|(o, c)| {
            let label = option_label(rubric, question, o);
            format!("{}: {c}", crate::render::clean::printable_line(&label))
        })
        .collect()
}

/// The group result as tables: factors, verdict, agenda, roles.
pub fn table(rubric: &LoadedRubric, w: &Workshop, style: Style) -> String {
    let mut out = format!("Workshop · {}\n", super::words::group_header(w));
    let _ = writeln!(out, "{}", factor_table(rubric, w, style));
    let _ = writeln!(out, "{}", verdict_table(rubric, w, style));
    if let Some(plan) = &w.plan {
        let view = super::plan::PlanView::of_group(rubric, plan, w.recommendation, &w.advice);
        let _ = write!(out, "\n{}", super::table::plan(rubric, &view, style));
    } else if let Some(view) = super::roadmap::View::of_group(rubric, w) {
        let _ = write!(out, "\n{}", super::table::roadmap(rubric, &view, style));
    }
    if !w.agenda.is_empty() {
        out.push_str(
            "\nAgenda: the questions the room disagrees on most, with the notes left on them\n",
        );
        let _ = writeln!(out, "{}", agenda_table(rubric, w, style));
        if let Some(more) = more_agenda(w) {
            let _ = writeln!(out, "{more}");
        }
    }
    if !w.roles.is_empty() {
        out.push_str("\nRoles: factor means per role\n");
        let _ = writeln!(out, "{}", role_table(rubric, w, style));
        push_role_flags(&mut out, rubric, w);
    }
    super::table::wrap_prose(&out, style)
}

/// The factors' group statistics, one row each, with a bar for the mean.
fn factor_table(rubric: &LoadedRubric, w: &Workshop, style: Style) -> String {
    let rb = &rubric.rubric;
    let mut t = new_table(style);
    t.set_header(vec![
        "Factor",
        "Mean",
        "Median",
        "Stdev",
        "Min",
        "Max",
        "Answered",
        "PMO ◂ mean ▸ VMO",
    ]);
    for (fi, (f, s)) in rb.factor.iter().zip(&w.factors).enumerate() {
        t.add_row(vec![
            text(&f.title),
            Cell::new(opt_factor_num(rubric, fi, s.mean)),
            Cell::new(opt_num(s.median)),
            Cell::new(opt_num(s.stdev)),
            Cell::new(opt_num(s.min)),
            Cell::new(opt_num(s.max)),
            Cell::new(format!("{}/{}", s.answered, w.respondents)),
            Cell::new(s.mean.map(|m| bar(m, 16)).unwrap_or_default()),
        ]);
    }
    for c in t.column_iter_mut().skip(1).take(6) {
        c.set_cell_alignment(CellAlignment::Right);
    }
    fitted(t, style)
}

/// The group's result, one labelled row each: index, recommendation, margin,
/// individual results, gates and the factor closest to changing it.
fn verdict_table(rubric: &LoadedRubric, w: &Workshop, style: Style) -> String {
    let mut v = new_table(style);
    let format3 = w.outcome.is_some();
    if !format3 {
        v.add_row(vec![
            Cell::new("Group index"),
            Cell::new(format!(
                "{} of 100, the mean of the respondents' indexes ({} band)",
                index_num(rubric, w.index),
                w.band.label()
            )),
        ]);
    }
    let changed = if w.band != w.recommendation {
        format!(" (the {} band was changed by a gate)", w.band.label())
    } else {
        String::new()
    };
    v.add_row(vec![
        Cell::new("Recommendation"),
        text(&format!(
            "{} · {}{changed}",
            w.recommendation.label().to_uppercase(),
            w.advice.source.title(rubric)
        )),
    ]);
    if let Some(office) = super::words::office_words(rubric, w.office.as_ref(), w.recommendation) {
        v.add_row(vec![Cell::new("Office"), text(&office)]);
    }
    let lead = lead(rubric, w);
    if !lead.is_empty() {
        let name = match w.advice.lead {
            crate::advice::Lead::Gates(_) => "Why",
            _ => "Summary",
        };
        v.add_row(vec![Cell::new(name), text(&lead.join("\n"))]);
    }
    v.add_row(vec![
        Cell::new(if format3 { "How firm" } else { "Margin" }),
        text(&super::words::margin_words(
            rubric,
            w.margin,
            w.margin_on.as_ref(),
            format3,
        )),
    ]);
    v.add_row(vec![Cell::new("Individual results"), text(&counts(w))]);
    let far = outlier_lines(w);
    if !far.is_empty() {
        v.add_row(vec![Cell::new("Far from the rest"), text(&far.join("\n"))]);
    }
    if format3 {
        // Risks in words, as a client reads them: the messages, no ids.
        let risks = w.advice.risk_messages(rubric);
        if !risks.is_empty() {
            v.add_row(vec![Cell::new("Risks"), text(&risks.join("\n"))]);
        }
    } else {
        let gates = gate_lines(rubric, w);
        if !gates.is_empty() {
            v.add_row(vec![Cell::new("Gates fired"), text(&gates.join("\n"))]);
        }
    }
    v.add_row(vec![
        Cell::new("Closest to changing"),
        text(&tipping_sentence(rubric, w.tipping.as_ref())),
    ]);
    fitted(v, style)
}

/// At most this many questions on a readout's agenda; JSON has them all.
const AGENDA: usize = 5;

/// The agenda of a readout: the most divided questions, those on which the answers
/// differ at all (a context question has no spread), at most [`AGENDA`].
fn top_agenda<'w>(w: &'w Workshop) -> impl Iterator<Item = &'w crate::workshop::AgendaItem> {
    (w.agenda.iter())
        .filter(|item| item.stdev > 0.0)
        .take(AGENDA)
}

/// "8 more questions, less divided or unanimous (the JSON output lists every
/// question).", or `None`.
fn more_agenda(w: &Workshop) -> Option<String> {
    let more = w.agenda.len() - top_agenda(w).count();
    (more > 0).then(|| {
        format!(
            "{} (the JSON output lists every question).",
            super::words::count(
                more,
                "more question, less divided or unanimous",
                "more questions, less divided or unanimous"
            )
        )
    })
}

/// The notes left on a question, each with who left it: "note (Ann)".
fn note_lines(w: &Workshop, question: &str) -> Vec<String> {
    (w.notes.iter())
        .filter(|n| n.question == question)
        .map(|n| {
            crate::render::clean::printable_line(&format!(
                "\u{201c}{}\u{201d} ({})",
                n.text, n.respondent
            ))
            .into_owned()
        })
        .collect()
}

/// The agenda, most divided question first, with how the answers split and the
/// notes left on each.
fn agenda_table(rubric: &LoadedRubric, w: &Workshop, style: Style) -> String {
    let mut a = new_table(style);
    a.set_header(vec!["#", "Question", "Spread", "Answers"]);
    for (i, item) in top_agenda(w).enumerate() {
        let mut question = question_text(rubric, &item.question);
        for n in note_lines(w, &item.question) {
            question.push_str("\n  ");
            question.push_str(&n);
        }
        a.add_row(vec![
            Cell::new(i + 1),
            text(&question),
            Cell::new(num(item.stdev)).set_alignment(CellAlignment::Right),
            text(&split_lines(rubric, &item.question, item).join("\n")),
        ]);
    }
    fitted(a, style)
}

/// The factor means per role, one row per role.
fn role_table(rubric: &LoadedRubric, w: &Workshop, style: Style) -> String {
    let mut r = new_table(style);
    let mut header = vec!["Role".to_string(), "Respondents".to_string()];
    header.extend(rubric.rubric.factor.iter().map(|f| f.id.clone()));
    r.set_header(header);
    for role in &w.roles {
        let mut row = vec![
            text(&crate::render::clean::printable_line(&role.role)),
            Cell::new(role.respondents),
        ];
        row.extend(
            role.factors
                .iter()
                .map(|f| Cell::new(opt_num(f.mean)).set_alignment(CellAlignment::Right)),
        );
        r.add_row(row);
    }
    fitted(r, style)
}

/// Each respondent far from the rest, and the group result without them:
/// "Ann: 18 of 20 answers at the top option; without them: Hybrid (index 52.5)".
pub fn outlier_lines(w: &Workshop) -> Vec<String> {
    (w.outliers.iter())
        .map(|o| {
            let name = crate::render::clean::printable_line(&o.respondent);
            let without = if o.recommendation_without == w.recommendation {
                format!("the result would stay {}", o.recommendation_without.label())
            } else {
                format!("the result would be {}", o.recommendation_without.label())
            };
            format!(
                "{name}: {} of {} answers at the {} option; without them {without} (index {})",
                o.at_extreme,
                o.answered,
                o.side,
                num(o.index_without)
            )
        })
        .collect()
}

/// The roles far apart on a factor (the largest gaps, roles of two or more), or a
/// line saying there are none.
fn push_role_flags(out: &mut String, rubric: &LoadedRubric, w: &Workshop) {
    let flags = flag_lines(rubric, w);
    if flags.is_empty() {
        let _ = writeln!(
            out,
            "No two roles (of two or more respondents each) are {} points or more apart on any factor.",
            crate::workshop::ROLE_GAP
        );
    } else {
        let _ = writeln!(
            out,
            "Roles {} points or more apart (roles of two or more respondents):",
            crate::workshop::ROLE_GAP
        );
        for f in flags {
            let _ = writeln!(out, "  ⚑ {f}");
        }
        if w.more_flags > 0 {
            let _ = writeln!(
                out,
                "  and {} smaller",
                super::words::count(w.more_flags, "gap", "gaps")
            );
        }
    }
}

/// The verdict lines of a workshop's Markdown: in a format-3 rubric's terms (the
/// outcome, the office, how firm, the summary and the risks), else the index's.
fn markdown_verdict(rubric: &LoadedRubric, w: &Workshop, title: &str) -> String {
    let mut out = String::new();
    if w.outcome.is_some() {
        let _ = writeln!(
            out,
            "**Recommendation: {}** ({})  ",
            cell(title),
            w.recommendation.label()
        );
        if let Some(office) =
            super::words::office_words(rubric, w.office.as_ref(), w.recommendation)
        {
            let _ = writeln!(out, "**Office:** {}  ", cell(&office));
        }
        let _ = write!(
            out,
            "**How firm:** {}.  \nIndividual results: {}.\n\n",
            cell(&super::words::margin_words(
                rubric,
                w.margin,
                w.margin_on.as_ref(),
                true
            )),
            cell(&counts(w))
        );
        for l in lead(rubric, w) {
            let _ = writeln!(out, "{}\n", cell(&l));
        }
        let risks = w.advice.risk_messages(rubric);
        if !risks.is_empty() {
            let _ = writeln!(out, "**Risks**\n");
            for r in risks {
                let _ = writeln!(out, "- {}", cell(r));
            }
        }
    } else {
        let _ = write!(
            out,
            "**Recommendation: {}** · {}  \nGroup index {} ({} band), margin {}.  \nIndividual results: {}.\n\n",
            w.recommendation.label(),
            cell(title),
            index_num(rubric, w.index),
            w.band.label(),
            num(w.margin),
            cell(&counts(w))
        );
        for g in gate_lines(rubric, w) {
            let _ = writeln!(out, "- Gate {}", cell(&g));
        }
    }
    out
}

/// The group result as GitHub-flavoured Markdown.
pub fn markdown(rubric: &LoadedRubric, w: &Workshop) -> String {
    let rb = &rubric.rubric;
    let title = w.advice.source.title(rubric);
    let mut out = format!("# Workshop: {}\n\n", cell(&super::words::group_header(w)));
    out.push_str(&markdown_verdict(rubric, w, title));
    let _ = writeln!(
        out,
        "\n{}\n\n## Factors\n\n| factor | mean | median | stdev | min | max | answered |\n|---|---|---|---|---|---|---|",
        cell(&tipping_sentence(rubric, w.tipping.as_ref()))
    );
    for (fi, (f, s)) in rb.factor.iter().zip(&w.factors).enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {}/{} |",
            cell(&f.title),
            opt_factor_num(rubric, fi, s.mean),
            opt_num(s.median),
            opt_num(s.stdev),
            opt_num(s.min),
            opt_num(s.max),
            s.answered,
            w.respondents
        );
    }
    if let Some(plan) = &w.plan {
        let view = super::plan::PlanView::of_group(rubric, plan, w.recommendation, &w.advice);
        let _ = write!(out, "\n{}", super::markdown::plan(rubric, &view, "## Plan"));
    } else if let Some(view) = super::roadmap::View::of_group(rubric, w) {
        let _ = write!(
            out,
            "\n{}",
            super::markdown::roadmap(rubric, &view, "## Roadmap")
        );
    }
    if !w.agenda.is_empty() {
        out.push_str(
            "\n## Agenda\n\nThe most divided questions first, with the notes left on them.\n\n",
        );
        for (i, item) in top_agenda(w).enumerate() {
            let _ = writeln!(
                out,
                "{}. **{}** (spread {}): {}",
                i + 1,
                cell(&question_text(rubric, &item.question)),
                num(item.stdev),
                cell(&split_lines(rubric, &item.question, item).join("; "))
            );
            for n in note_lines(w, &item.question) {
                let _ = writeln!(out, "   - {}", cell(&n));
            }
        }
        if let Some(more) = more_agenda(w) {
            let _ = writeln!(out, "\n{}", cell(&more));
        }
    }
    if !w.roles.is_empty() {
        out.push_str("\n## Roles\n\n| role | respondents |");
        for f in &rb.factor {
            let _ = write!(out, " {} |", cell(&f.id));
        }
        let _ = writeln!(out, "\n|---|---|{}", "---|".repeat(rb.factor.len()));
        for role in &w.roles {
            let _ = write!(out, "| {} | {} |", cell(&role.role), role.respondents);
            for f in &role.factors {
                let _ = write!(out, " {} |", opt_num(f.mean));
            }
            out.push('\n');
        }
        let flags = flag_lines(rubric, w);
        if !flags.is_empty() {
            out.push('\n');
            for f in flags {
                let _ = writeln!(out, "- ⚑ {}", cell(&f));
            }
            if w.more_flags > 0 {
                let more = super::words::count(w.more_flags, "smaller gap", "smaller gaps");
                let _ = writeln!(out, "- and {more}");
            }
        }
    }
    let far = outlier_lines(w);
    if !far.is_empty() {
        out.push_str("\n## Far from the rest\n\n");
        for f in far {
            let _ = writeln!(out, "- {}", cell(&f));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(mean: f64, to: f64) -> String {
        let rubric = crate::testing::v2();
        let t = Tipping {
            factor: "maturity".into(),
            mean,
            to,
            recommendation: Band::Hybrid,
            index: 50.0,
        };
        tipping_sentence(&rubric, Some(&t))
    }

    #[test]
    fn a_group_mean_just_under_a_gate_is_not_shown_on_it() {
        let r = crate::testing::v2();
        let (maturity, authority) = (0, 2);
        // vmo-needs-maturity fires below 50, vmo-needs-leadership below 35.
        assert_eq!(opt_factor_num(&r, maturity, Some(49.96)), "49.96");
        assert_eq!(opt_factor_num(&r, authority, Some(49.96)), "50.0");
        assert_eq!(opt_factor_num(&r, authority, Some(34.98)), "34.98");
        assert_eq!(opt_factor_num(&r, maturity, None), "-");
    }

    #[test]
    fn tipping_figures_are_rounded_so_the_sentence_stays_true() {
        // Down: a hair under the boundary 50 reads "below 50.0"; 47.26 reads 47.2.
        assert!(sentence(86.1, 50.0 - 1e-6).contains("a group mean below 50.0 instead of 86.1"));
        assert!(sentence(86.1, 47.26).contains("below 47.2 "));
        // Up: 92.74 or more needs "92.8 or more", never "92.7".
        assert!(sentence(55.0, 92.74).contains("of 92.8 or more instead of 55.0"));
        assert!(sentence(55.0, 60.0).contains("of 60.0 or more"));
    }
}
