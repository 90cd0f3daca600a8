//! The facilitator's pages of `pmo-vmo serve`: who joined and how far each is, the
//! reveal of the answers question by question (the most divided first, as
//! `workshop`'s agenda orders them), and the group result as `workshop` words it.
//! Built with maud, like the report, so every text a participant typed is escaped
//! by construction. The pages carry no script and refresh themselves.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::render::{self, Format, Setup, Style};
use crate::rubric::LoadedRubric;
use crate::rubric::respondent::RespondentText;
use crate::workshop::Workshop;

/// A participant as the facilitator sees them before the reveal: who, and how far.
#[derive(Debug, Clone)]
pub(crate) struct Joined {
    /// The server's number for them (their sheet is `participant-N.json`).
    pub(crate) number: usize,
    /// Their name, if they gave one.
    pub(crate) name: Option<String>,
    /// Their role, if they gave one.
    pub(crate) role: Option<String>,
    /// How many questions they answered ("don't know" included).
    pub(crate) answered: usize,
}

/// What the facilitator's first page shows.
#[derive(Debug)]
pub(crate) struct Dashboard<'a> {
    /// The facilitator pages' address, `/f/SECRET`.
    pub(crate) base: &'a str,
    /// The participants' join address.
    pub(crate) join_url: &'a str,
    /// How many questions the rubric asks.
    pub(crate) questions: usize,
    /// The participants, in joining order.
    pub(crate) joined: &'a [Joined],
    /// The group result so far, when a sheet could be scored.
    pub(crate) group: Option<&'a Workshop<'a>>,
    /// The most who may join.
    pub(crate) cap: usize,
}

const STYLE: &str = "body{font:16px/1.45 system-ui,sans-serif;color:#1d2330;max-width:960px;margin:0 auto;padding:1rem}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d5dae3;padding:.3rem .5rem;text-align:left}\
th{font-weight:600}.bar{background:#1f5fa8;height:1rem;display:inline-block;vertical-align:middle}\
nav a{margin-right:1rem}pre{white-space:pre-wrap;background:#f6f7f9;padding:.8rem;border-radius:6px}\
.muted{color:#5b6475}blockquote{border-left:4px solid #d5dae3;margin:.4rem 0;padding:.2rem .8rem;white-space:pre-line}";

fn page(title: &str, refresh: Option<u32>, body: &Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                @if let Some(s) = refresh { meta http-equiv="refresh" content=(s); }
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

fn nav(base: &str) -> Markup {
    html! {
        nav {
            a href=(base) { "Participants" }
            a href={ (base) "/reveal/1" } { "Reveal" }
            a href={ (base) "/result" } { "Group result" }
            a href={ (base) "/report" } { "Report" }
            a href={ (base) "/result.json" } { "JSON" }
        }
    }
}

/// The facilitator's first page: the join address, who joined and how far each is
/// (counts, never answers), and the group's headline.
pub(crate) fn dashboard(d: &Dashboard<'_>) -> String {
    let body = html! {
        (nav(d.base))
        h1 { "Live workshop" }
        p { "Participants join at " code { (d.join_url) } "." }
        p.muted {
            (d.joined.len()) " of at most " (d.cap) " joined; "
            (d.joined.iter().filter(|j| j.answered == d.questions).count()) " answered every question."
        }
        table {
            thead { tr { th { "#" } th { "Name" } th { "Role" } th { "Answered" } } }
            tbody {
                @for j in d.joined {
                    tr {
                        td { (j.number) }
                        td { (j.name.as_deref().unwrap_or("(anonymous)")) }
                        td { (j.role.as_deref().unwrap_or("")) }
                        td {
                            span.bar style={ "width:" (bar_width(j.answered, d.questions)) "px" } {}
                            " " (j.answered) " of " (d.questions)
                        }
                    }
                }
            }
        }
        @if let Some(w) = d.group {
            h2 { "So far" }
            p { (render::words::group_header(w)) }
        }
    };
    page("Live workshop: participants", Some(5), &body)
}

fn bar_width(answered: usize, questions: usize) -> usize {
    (answered * 200).checked_div(questions).unwrap_or(0)
}

/// The reveal of the agenda's item `n` (1-based; the most divided first): how the
/// answers split, with no name, and the notes on the question, with no name.
pub(crate) fn reveal(
    rubric: &LoadedRubric,
    w: &Workshop<'_>,
    n: usize,
    base: &str,
    revote: &Revote,
) -> Option<String> {
    let item = w.agenda.get(n.checked_sub(1)?)?;
    let text = RespondentText::of(rubric);
    let q = text.question.iter().find(|q| q.id == item.question)?;
    let total: usize = item.split.values().sum();
    let notes: Vec<&str> = (w.notes.iter())
        .filter(|note| note.question == item.question)
        .map(|note| note.text.as_str())
        .collect();
    let body = html! {
        (nav(base))
        p.muted { "Question " (n) " of " (w.agenda.len()) " on the agenda, the most divided first" }
        h1 { (q.text) }
        table {
            @for o in &q.option {
                @let count = item.split.get(o.id).copied().unwrap_or(0);
                tr {
                    td { (o.label) }
                    td {
                        span.bar style={ "width:" (bar_width(count, total.max(1)) * 2) "px" } {}
                        " " (count)
                    }
                }
            }
        }
        p.muted { (total) " answered; spread (standard deviation of the scores) " (render::num::fixed(item.stdev, 1)) }
        @if let Some(first) = &revote.first {
            @let before: usize = first.values().sum();
            h2 { "Before the discussion (first round)" }
            table {
                @for o in &q.option {
                    @let count = first.get(o.id).copied().unwrap_or(0);
                    tr {
                        td { (o.label) }
                        td {
                            span.bar style={ "width:" (bar_width(count, before.max(1)) * 2) "px" } {}
                            " " (count)
                        }
                    }
                }
            }
        }
        @if revote.open {
            p { strong { "Participants are asked to answer this question again now." } }
        } @else {
            form method="post" action={ (base) "/revote/" (item.question) } {
                button type="submit" { "Re-vote on this question after the discussion" }
            }
        }
        @if !notes.is_empty() {
            h2 { "Notes" }
            @for note in &notes { blockquote { (note) } }
        }
        p {
            @if n > 1 { a href={ (base) "/reveal/" (n - 1) } { "Previous" } " " }
            @if n < w.agenda.len() { a href={ (base) "/reveal/" (n + 1) } { "Next" } }
        }
    };
    Some(page("Live workshop: reveal", None, &body))
}

/// A question's re-vote, as its reveal shows it.
#[derive(Debug, Default)]
pub(crate) struct Revote {
    /// The first round's answers (option id = how many), when it was re-voted.
    pub(crate) first: Option<std::collections::BTreeMap<String, usize>>,
    /// Whether participants are asked to answer it again now.
    pub(crate) open: bool,
}

/// The group result as `workshop` prints it (the same renderer, without colour).
pub(crate) fn result(rubric: &LoadedRubric, w: &Workshop<'_>, base: &str) -> String {
    let text = workshop_text(rubric, w, Format::Table);
    let body = html! {
        (nav(base))
        h1 { "Group result" }
        pre { (text) }
    };
    page("Live workshop: group result", Some(15), &body)
}

/// The group result in one of `workshop`'s formats.
pub(crate) fn workshop_text(rubric: &LoadedRubric, w: &Workshop<'_>, format: Format) -> String {
    let setup = Setup {
        rubric,
        style: Style::default(),
        single: false,
    };
    let mut out = Vec::new();
    if let Some(mut output) = render::output::<Workshop>(format, setup, &mut out) {
        let _ = output.item(w);
        let _ = output.finish();
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A page that says there is nothing to show yet.
pub(crate) fn nothing_yet(base: &str) -> String {
    let body = html! {
        (nav(base))
        p { "No answer has been given yet: nothing to show." }
    };
    page("Live workshop", Some(5), &body)
}
