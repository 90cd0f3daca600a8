//! The report's roadmap: the phased plan from the answers (or a group's typical
//! answers) to the target, one numbered step a card, laid out to print.

use maud::{Markup, html};

use super::Report;
use crate::render::plan::{self as plans, PlanView};
use crate::render::roadmap::{View, after_words, already_words};
use crate::render::words;

impl Report<'_> {
    /// The roadmap section: the headline, then each phase's steps; a provisional
    /// single sheet gets only the sentence saying why there is none.
    pub(super) fn roadmap(&self) -> Markup {
        if let Some(plan) = self.plan_view() {
            return self.plan(&plan);
        }
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

impl Report<'_> {
    /// The plan of a format-3 result: the single sheet's, else the group's.
    pub(super) fn plan_view(&self) -> Option<PlanView<'_>> {
        match self.sheet() {
            Some(r) => PlanView::of_sheet(self.rubric, r),
            None => (self.w.plan.as_ref())
                .map(|p| PlanView::of_group(self.rubric, p, self.w.recommendation, &self.w.advice)),
        }
    }

    /// The plan section: the headline, then each horizon's initiatives as cards;
    /// the first horizon opens with the next steps.
    fn plan(&self, view: &PlanView) -> Markup {
        html! {
            section id="roadmap" {
                h2 { "Plan" }
                p.headline { (view.headline) }
                @for (h, list) in view.horizons() {
                    h3 { (plans::horizon_title(h)) }
                    @if h == 1 && !view.first_steps.is_empty() {
                        ul.first-steps { @for s in &view.first_steps { li { (s) } } }
                    }
                    @if !list.is_empty() {
                        ol.steps start=(list[0].0) {
                            @for (_, i) in &list {
                                @let (from, to) = plans::move_labels(self.rubric, i);
                                li.step {
                                    p.move {
                                        strong { (i.title) } br;
                                        span.from { (from) } " → " span.to { (to) }
                                    }
                                    p { (i.action) }
                                    @if let Some(done) = i.done_when {
                                        p { em { (plans::done_words(done)) } }
                                    }
                                    p.muted {
                                        @if let Some(lead) = plans::owner_title(self.rubric, i) {
                                            "Lead: " (lead) ". "
                                        }
                                        @if let Some(after) = plans::needs_words(view.plan, i) {
                                            (after) ". "
                                        }
                                        @if let Some(a) = plans::already_words(i) {
                                            (a) "."
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
}
