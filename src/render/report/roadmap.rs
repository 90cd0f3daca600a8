//! The report's roadmap: the phased plan from the answers (or a group's typical
//! answers) to the target, one numbered step a card, laid out to print.

use maud::{Markup, html};

use super::Report;
use crate::render::roadmap::{View, after_words, already_words};
use crate::render::words;

impl Report<'_> {
    /// The roadmap section: the headline, then each phase's steps; a provisional
    /// single sheet gets only the sentence saying why there is none.
    pub(super) fn roadmap(&self) -> Markup {
        let view = match self.sheet() {
            Some(r) if r.evaluation.provisional => View::of_sheet(self.rubric, r),
            _ => View::of_workshop(self.rubric, self.w, !self.single),
        };
        let Some(view) = view else {
            return html! {};
        };
        html! {
            section id="roadmap" {
                h2 { "Roadmap" }
                p.headline { (view.headline) }
                @if view.group && !view.rows.is_empty() {
                    p.muted { (words::GROUP_START) }
                }
                @for (phase, steps) in view.phases() {
                    h3 { "Phase " (phase) ": " (words::phase_title(phase)) }
                    ol.steps start=(steps[0].0) {
                        @for (_, s, already) in &steps {
                            @let (q, from, to) = words::step_move(self.rubric, s);
                            li.step {
                                p.move {
                                    strong { (q) } br;
                                    span.from { (from) } " → " span.to { (to) }
                                }
                                p { (words::step_action(s)) }
                                p.muted {
                                    "Then: index " (after_words(self.rubric, s)) "."
                                    @if let Some((a, of)) = already {
                                        " Already there: " (already_words(*a, *of)) " respondents."
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
