//! The report's Progress section: the follow-up against its baseline, as
//! `compare` shows it, for a client to read and print.

use maud::{Markup, html};

use crate::compare::Comparison;
use crate::render::compare::{change, details};
use crate::render::num::{factor_num, index_num, num};
use crate::rubric::LoadedRubric;

/// A figure that may be missing.
fn shown(x: Option<f64>, f: impl Fn(f64) -> String) -> String {
    x.map_or_else(|| "–".into(), f)
}

/// The class of a change: up, down or none.
fn direction(x: Option<f64>) -> &'static str {
    match x {
        Some(x) if num(x.abs()) != num(0.0) && x > 0.0 => "n up",
        Some(x) if num(x.abs()) != num(0.0) => "n down",
        _ => "n",
    }
}

/// The section.
pub(super) fn section(rubric: &LoadedRubric, c: &Comparison) -> Markup {
    let (b, a) = (&c.before, &c.after);
    let date = |d: &Option<String>| d.clone().unwrap_or_else(|| "undated".into());
    let lines = details(rubric, c);
    html! {
        section id="progress" {
            h2 { "Progress since the baseline" }
            p.muted {
                "Baseline: " (date(&b.date)) ", " (b.sources) " sheet" @if b.sources != 1 { "s" }
                ". Now: " (date(&a.date)) ", " (a.sources) " sheet" @if a.sources != 1 { "s" } "."
            }
            table {
                thead { tr { th { "" } th.n { "Baseline" } th.n { "Now" } th.n { "Change" } } }
                tbody {
                    tr {
                        th { "Index" }
                        td.n { (index_num(rubric, b.index)) }
                        td.n { (index_num(rubric, a.index)) }
                        td class=(direction(Some(c.index_change))) { (change(c.index_change)) }
                    }
                    tr {
                        th { "Recommendation" }
                        td.n { (b.recommendation.label()) }
                        td.n { (a.recommendation.label()) }
                        td {}
                    }
                    tr { th { "Margin" } td.n { (num(b.margin)) } td.n { (num(a.margin)) } td {} }
                    @for (fi, f) in c.factors.iter().enumerate() {
                        tr {
                            th {
                                (rubric.rubric.factor.get(fi).map_or(f.id.as_str(), |x| x.title.as_str()))
                            }
                            td.n { (shown(f.before, |x| factor_num(rubric, fi, x))) }
                            td.n { (shown(f.after, |x| factor_num(rubric, fi, x))) }
                            td class=(direction(f.change)) { (f.change.map(change).unwrap_or_default()) }
                        }
                    }
                }
            }
            @if !lines.is_empty() {
                ul.progress {
                    @for line in &lines {
                        @if let Some(sub) = line.strip_prefix("  ") {
                            li.sub { (sub) }
                        } @else {
                            li { (line) }
                        }
                    }
                }
            }
        }
    }
}
