//! The roadmap as people read it (contract section 6): a headline that says the
//! target and whether it is reached, then the steps by phase. Every output draws
//! the same [`View`]: the terminal table (`table::roadmap`), Markdown
//! (`markdown::roadmap`) and the HTML report.

use super::num::index_num;
use super::words;
use crate::result::SheetResult;
use crate::roadmap::Step;
use crate::rubric::LoadedRubric;
use crate::workshop::Workshop;

/// A step with its number in the plan and (for a group) who already stands there.
pub(crate) type Numbered<'a> = (usize, &'a Step<'a>, Option<(usize, usize)>);

/// A roadmap ready to draw.
pub(crate) struct View<'a> {
    /// "Target: VMO, reached in 4 steps." or why not.
    pub(crate) headline: String,
    /// Each step, with (for a group) how many respondents already answer at or
    /// above its `to`, out of those who answered the question.
    pub(crate) rows: Vec<(&'a Step<'a>, Option<(usize, usize)>)>,
    /// Steps start from a group's typical answers.
    pub(crate) group: bool,
}

impl<'a> View<'a> {
    /// A sheet's roadmap; `None` where the result carries none.
    pub(crate) fn of_sheet(rubric: &LoadedRubric, r: &'a SheetResult) -> Option<Self> {
        let m = r.roadmap.as_ref()?;
        let e = &r.evaluation;
        if e.provisional {
            return Some(View {
                headline: words::PROVISIONAL_ROADMAP.to_string(),
                rows: Vec::new(),
                group: false,
            });
        }
        Some(View {
            headline: words::roadmap_headline(
                rubric,
                m.target,
                m.steps.len(),
                m.blocked.as_ref(),
                e.unanswered.len(),
                false,
                e.recommendation,
            ),
            rows: m.steps.iter().map(|s| (s, None)).collect(),
            group: false,
        })
    }

    /// A group's roadmap, from its typical answers; `None` where it has none.
    pub(crate) fn of_group(rubric: &LoadedRubric, w: &'a Workshop) -> Option<Self> {
        Self::of_workshop(rubric, w, true)
    }

    /// The roadmap of a workshop's result: a group's (`group`), or that of its one
    /// sheet, whose typical answers are its own (then without the counts).
    pub(crate) fn of_workshop(rubric: &LoadedRubric, w: &'a Workshop, group: bool) -> Option<Self> {
        let m = w.roadmap.as_ref()?;
        let unanswered = rubric.rubric.question.len() - m.start.len();
        Some(View {
            headline: words::roadmap_headline(
                rubric,
                m.target,
                m.steps.len(),
                m.blocked.as_ref(),
                unanswered,
                group,
                w.recommendation,
            ),
            rows: m
                .steps
                .iter()
                .map(|s| (&s.step, group.then_some((s.already, s.answered))))
                .collect(),
            group,
        })
    }

    /// The phases in order, each with its steps (numbered through the plan).
    pub(crate) fn phases(&self) -> Vec<(u8, Vec<Numbered<'_>>)> {
        let mut out: Vec<(u8, Vec<_>)> = Vec::new();
        for (i, &(s, already)) in self.rows.iter().enumerate() {
            match out.last_mut() {
                Some((p, steps)) if *p == s.phase => steps.push((i + 1, s, already)),
                _ => out.push((s.phase, vec![(i + 1, s, already)])),
            }
        }
        out
    }
}

/// "2 of 5".
pub(crate) fn already_words(already: usize, answered: usize) -> String {
    format!("{already} of {answered}")
}

/// "47.5 · Hybrid": where the sheet stands after a step.
pub(crate) fn after_words(rubric: &LoadedRubric, s: &Step) -> String {
    format!(
        "{} · {}",
        index_num(rubric, s.index),
        s.recommendation.label()
    )
}
