//! `compare` for people and machines: the two assessments side by side with what
//! moved (table and Markdown), or the comparison as JSON.

use std::fmt::Write as _;

use comfy_table::{Cell, CellAlignment, Color};

use super::Style;
use super::clean::printable;
use super::markdown::cell as md;
use super::num::{factor_num, index_num, num};
use super::table::{fitted, new_table};
use crate::compare::{Comparison, Side};
use crate::rubric::LoadedRubric;

/// The comparison as a pretty JSON document.
pub(crate) fn json(c: &Comparison) -> String {
    let mut s = serde_json::to_string_pretty(c).unwrap_or_default();
    s.push('\n');
    s
}

/// A change with its direction: `▲ +6.3`, `▼ -2.0`, `= 0.0`.
pub(crate) fn change(x: f64) -> String {
    let shown = num(x.abs());
    if shown == num(0.0) {
        format!("= {shown}")
    } else if x > 0.0 {
        format!("▲ +{shown}")
    } else {
        format!("▼ -{shown}")
    }
}

/// How a side is named: `2026-05-02, 1 sheet`.
fn side_name(s: &Side) -> String {
    let sheets = if s.sources == 1 {
        "1 sheet".to_string()
    } else {
        format!("{} sheets", s.sources)
    };
    match (&s.from, &s.date) {
        (Some(f), Some(d)) => format!("{f} to {d}, {sheets}"),
        (None, Some(d)) => format!("{d}, {sheets}"),
        _ => format!("undated, {sheets}"),
    }
}

/// A factor's title, cleaned for the terminal.
fn factor_title(rubric: &LoadedRubric, id: &str) -> String {
    let title = rubric
        .rubric
        .factor
        .iter()
        .find(|f| f.id == id)
        .map_or(id, |f| f.title.as_str());
    printable(title).into_owned()
}

/// A question's text and an option's label, for "answers that moved".
fn answer_words(rubric: &LoadedRubric, question: &str, option: Option<&str>) -> (String, String) {
    let q = rubric
        .question(question)
        .map(|qi| &rubric.rubric.question[qi]);
    let text = q.map_or(question, |q| q.text.as_str());
    let label = match (q, option) {
        (_, None) => "(not answered)".to_string(),
        (Some(q), Some(o)) => q
            .option
            .iter()
            .find(|x| x.id == o)
            .map_or(o.to_string(), |x| format!("\"{}\"", x.label)),
        (None, Some(o)) => o.to_string(),
    };
    (printable(text).into_owned(), printable(&label).into_owned())
}

/// Cells of one row: label, before, after, change.
fn row(
    label: String,
    before: String,
    after: String,
    delta: Option<f64>,
    style: Style,
) -> Vec<Cell> {
    let mut change_cell =
        Cell::new(delta.map(change).unwrap_or_default()).set_alignment(CellAlignment::Right);
    if style.color
        && let Some(d) = delta
    {
        if d > 0.0 {
            change_cell = change_cell.fg(Color::Green);
        } else if d < 0.0 {
            change_cell = change_cell.fg(Color::Red);
        }
    }
    // Cleaned again (a date comes from a sheet) and long words cut, as every table.
    vec![
        super::table::text(&label),
        super::table::text(&before).set_alignment(CellAlignment::Right),
        super::table::text(&after).set_alignment(CellAlignment::Right),
        change_cell,
    ]
}

/// The side-by-side table: date, index, recommendation, margin and each factor.
fn main_table(rubric: &LoadedRubric, c: &Comparison, style: Style) -> String {
    let (b, a) = (&c.before, &c.after);
    let mut t = new_table(style);
    t.set_header(vec!["", "Before", "After", "Change"]);
    let date = |s: &Side| match (&s.from, &s.date) {
        (Some(f), Some(d)) => format!("{f} to {d}"),
        (_, Some(d)) => d.clone(),
        _ => "-".into(),
    };
    t.add_row(row("Date".into(), date(b), date(a), None, style));
    t.add_row(row(
        "Sheets".into(),
        b.sources.to_string(),
        a.sources.to_string(),
        None,
        style,
    ));
    t.add_row(row(
        "Index".into(),
        index_num(rubric, b.index),
        index_num(rubric, a.index),
        Some(c.index_change),
        style,
    ));
    t.add_row(row(
        "Recommendation".into(),
        b.recommendation.label().to_string(),
        a.recommendation.label().to_string(),
        None,
        style,
    ));
    t.add_row(row(
        "Margin".into(),
        num(b.margin),
        num(a.margin),
        None,
        style,
    ));
    for (fi, f) in c.factors.iter().enumerate() {
        let shown = |x: Option<f64>| x.map_or_else(|| "-".into(), |x| factor_num(rubric, fi, x));
        t.add_row(row(
            factor_title(rubric, &f.id),
            shown(f.before),
            shown(f.after),
            f.change,
            style,
        ));
    }
    format!("{}\n", fitted(t, style))
}

/// The news first: whether the recommendation changed, and whether the two groups
/// are the same people (who left, who joined, and the change for those in both).
pub(crate) fn headline(c: &Comparison) -> Vec<String> {
    let (b, a) = (c.before.recommendation, c.after.recommendation);
    let mut out = vec![if b == a {
        format!("The recommendation is unchanged: {}.", a.label())
    } else {
        format!("The recommendation changed: {} → {}.", b.label(), a.label())
    }];
    if let Some(p) = &c.people
        && (!p.joined.is_empty() || !p.left.is_empty() || p.unnamed > 0)
    {
        let mut parts = Vec::new();
        let names = |list: &[String]| {
            let list: Vec<&str> = list.iter().map(String::as_str).collect();
            printable(&crate::render::words::and_list(&list)).into_owned()
        };
        if !p.left.is_empty() {
            parts.push(format!("{} left ({})", p.left.len(), names(&p.left)));
        }
        if !p.joined.is_empty() {
            parts.push(format!("{} joined ({})", p.joined.len(), names(&p.joined)));
        }
        if p.unnamed > 0 {
            parts.push(crate::render::words::count(
                p.unnamed,
                "sheet has no name to match",
                "sheets have no name to match",
            ));
        }
        let mut line = format!(
            "The two groups are not the same people: {}.",
            parts.join(", ")
        );
        if !p.matched.is_empty() {
            let mean = p.matched.iter().map(|m| m.change).sum::<f64>() / p.matched.len() as f64;
            let _ = write!(
                line,
                " For the {} in both, the index moved {} on average.",
                crate::render::words::count(p.matched.len(), "person", "people"),
                change(mean)
            );
        }
        out.push(line);
    }
    out
}

/// The lines under the table: gates, answers, roadmap, people, versions. A line
/// that starts with two spaces belongs to the one before it.
pub(crate) fn details(rubric: &LoadedRubric, c: &Comparison) -> Vec<String> {
    let mut out = Vec::new();
    if c.reversed {
        out.push(
            "Note: the baseline is dated after the follow-up; every change below reads backwards (compare BEFORE AFTER, the earlier first)."
                .to_string(),
        );
    }
    let gate = |id: &str| rubric.rubric.gate.iter().find(|g| g.id == id);
    let gate_msg =
        |id: &str| gate(id).map_or(String::new(), |g| format!(": {}", printable(&g.message)));
    // A gate that no longer fires says so in its own words (`clears`), not in
    // the words of the risk it no longer is.
    for g in &c.gates.cleared {
        match gate(g).and_then(|x| x.clears.as_deref()) {
            Some(clears) => out.push(format!("Cleared: {g}: {}", printable(clears))),
            None => out.push(format!("Gate cleared: {g}")),
        }
    }
    for g in &c.gates.new {
        out.push(format!("Gate newly fired: {g}{}", gate_msg(g)));
    }
    if !c.answers.is_empty() {
        out.push(format!("Answers that moved ({}):", c.answers.len()));
        for m in &c.answers {
            let (text, before) = answer_words(rubric, &m.question, m.before.as_deref());
            let (_, after) = answer_words(rubric, &m.question, m.after.as_deref());
            out.push(format!("  {text}: {before} → {after}"));
        }
    }
    if let Some(steps) = &c.roadmap {
        let done = steps.iter().filter(|s| s.done).count();
        if rubric.has_outcomes() {
            let going = (steps.iter()).filter(|s| s.status == "in-progress").count();
            out.push(format!(
                "The baseline's plan: {done} of {} done, {going} in progress",
                crate::render::words::count(steps.len(), "initiative", "initiatives")
            ));
        } else {
            out.push(format!(
                "The baseline's roadmap: {done} of {} steps done",
                steps.len()
            ));
        }
        for s in steps {
            let (text, from) = answer_words(rubric, &s.question, Some(&s.from));
            let (_, to) = answer_words(rubric, &s.question, Some(&s.to));
            let mark = match (rubric.has_outcomes(), s.status) {
                (false, "done") => "done",
                (false, _) => "open",
                (true, "in-progress") => "in progress",
                (true, "not-started") => "not started",
                (true, other) => other,
            };
            out.push(format!("  [{mark}] {text}: {from} → {to}"));
        }
    }
    if let Some(p) = &c.people {
        for m in &p.matched {
            out.push(format!(
                "{}: index {} → {} ({})",
                printable(&m.respondent),
                num(m.before),
                num(m.after),
                change(m.change)
            ));
        }
        if !p.joined.is_empty() {
            out.push(format!("Joined: {}", printable(&p.joined.join(", "))));
        }
        if !p.left.is_empty() {
            out.push(format!("Left: {}", printable(&p.left.join(", "))));
        }
        for same in &p.same_name {
            out.push(format!(
                "Same name on several sheets, not paired: {} (before: {}; after: {})",
                printable(&same.respondent),
                printable(&same.before.join(", ")),
                printable(&same.after.join(", "))
            ));
        }
        if p.unnamed > 0 {
            out.push(format!(
                "{} sheet{} without a respondent name could not be matched.",
                p.unnamed,
                if p.unnamed == 1 { "" } else { "s" }
            ));
        }
    }
    if let Some([b, a]) = &c.versions {
        out.push(format!(
            "Rubric versions differ: before {}, after {}; compared by question and factor id.",
            printable(&b.join(", ")),
            printable(&a.join(", "))
        ));
    }
    out
}

/// The comparison as a table for people.
pub(crate) fn table(rubric: &LoadedRubric, c: &Comparison, style: Style) -> String {
    let mut out = format!(
        "Before ({}) → after ({})\n",
        side_name(&c.before),
        side_name(&c.after)
    );
    for line in headline(c) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&main_table(rubric, c, style));
    for line in details(rubric, c) {
        out.push_str(&line);
        out.push('\n');
    }
    super::table::wrap_prose(&out, style)
}

/// The comparison as Markdown.
pub(crate) fn markdown(rubric: &LoadedRubric, c: &Comparison) -> String {
    let (b, a) = (&c.before, &c.after);
    let mut out = format!(
        "## Before ({}) and after ({})\n\n",
        md(&side_name(b)),
        md(&side_name(a))
    );
    for line in headline(c) {
        let _ = writeln!(out, "**{}**\n", md(&line));
    }
    out.push_str("| | Before | After | Change |\n|---|---:|---:|---:|\n");
    let _ = writeln!(
        out,
        "| Index | {} | {} | {} |",
        index_num(rubric, b.index),
        index_num(rubric, a.index),
        change(c.index_change)
    );
    let _ = writeln!(
        out,
        "| Recommendation | {} | {} | |",
        b.recommendation.label(),
        a.recommendation.label()
    );
    let _ = writeln!(out, "| Margin | {} | {} | |", num(b.margin), num(a.margin));
    for (fi, f) in c.factors.iter().enumerate() {
        let shown = |x: Option<f64>| x.map_or_else(|| "-".into(), |x| factor_num(rubric, fi, x));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            md(&factor_title(rubric, &f.id)),
            shown(f.before),
            shown(f.after),
            f.change.map(change).unwrap_or_default()
        );
    }
    let lines = details(rubric, c);
    if !lines.is_empty() {
        out.push('\n');
        for line in lines {
            let item = line.trim_start();
            let indent = if line.starts_with("  ") { "  " } else { "" };
            let _ = writeln!(out, "{indent}- {}", md(item));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_say_their_direction() {
        assert_eq!(change(6.25), "▲ +6.3");
        assert_eq!(change(-2.0), "▼ -2.0");
        assert_eq!(change(0.01), "= 0.0");
        assert_eq!(change(0.0), "= 0.0");
    }
}
