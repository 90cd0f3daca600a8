//! The plan as people read it (contract section 6): a headline that names the
//! office it builds, then the initiatives by horizon, the recommendation's next
//! steps opening the first. No index figure: the projected figures are JSON's.
//! The terminal table, Markdown and the HTML report draw the same [`PlanView`].

use std::fmt::Write as _;

use super::words;
use crate::plan::{Initiative, Plan};
use crate::result::SheetResult;
use crate::rubric::{Band, LoadedRubric};

/// A plan ready to draw.
pub(crate) struct PlanView<'a> {
    /// What the plan builds, in one sentence.
    pub(crate) headline: String,
    /// The recommendation's next steps: they open the first horizon.
    pub(crate) first_steps: Vec<&'a str>,
    /// The plan.
    pub(crate) plan: &'a Plan<'a>,
}

impl<'a> PlanView<'a> {
    /// A sheet's plan; `None` where the result carries none (format 2, csv, or
    /// a provisional result).
    pub(crate) fn of_sheet(rubric: &'a LoadedRubric, r: &'a SheetResult<'a>) -> Option<Self> {
        let plan = r.plan.as_ref()?;
        Some(PlanView {
            headline: headline(rubric, plan, r.evaluation.recommendation),
            first_steps: r.advice.shown_steps(rubric),
            plan,
        })
    }

    /// A group's plan, with the group's next steps.
    pub(crate) fn of_group(
        rubric: &'a LoadedRubric,
        plan: &'a Plan<'a>,
        recommendation: Band,
        advice: &crate::advice::Advice,
    ) -> Self {
        PlanView {
            headline: headline(rubric, plan, recommendation),
            first_steps: advice.shown_steps(rubric),
            plan,
        }
    }

    /// The horizons in order, each with its initiatives numbered through the plan
    /// (horizon 1 is there whenever there are first steps).
    pub(crate) fn horizons(&self) -> Vec<(u8, Vec<(usize, &'a Initiative<'a>)>)> {
        let mut out: Vec<(u8, Vec<_>)> = Vec::new();
        if !self.first_steps.is_empty() {
            out.push((1, Vec::new()));
        }
        for (i, x) in self.plan.initiatives.iter().enumerate() {
            match out.last_mut() {
                Some((h, list)) if *h == x.horizon => list.push((i + 1, x)),
                _ => out.push((x.horizon, vec![(i + 1, x)])),
            }
        }
        out
    }
}

/// A horizon's title.
pub(crate) fn horizon_title(h: u8) -> &'static str {
    match h {
        1 => "First 90 days",
        2 => "3 to 12 months",
        _ => "12 to 24 months",
    }
}

/// An office type's title by id.
fn office_title<'a>(rubric: &'a LoadedRubric, id: &'a str) -> &'a str {
    (rubric.rubric.office.iter())
        .find(|o| o.id == id)
        .map_or(id, |o| o.title.as_str())
}

/// "The plan builds a Controlling PMO: 4 initiatives over the next 12 months." and
/// where it aims elsewhere, or stops short, says so.
pub(crate) fn headline(rubric: &LoadedRubric, plan: &Plan, recommendation: Band) -> String {
    let office = match (plan.office, plan.also) {
        (Some(a), Some(b)) => format!(
            "{} and a {}",
            office_title(rubric, a),
            office_title(rubric, b)
        ),
        (Some(a), None) => office_title(rubric, a).to_string(),
        _ => plan.target.label().to_string(),
    };
    let what = if plan.target == recommendation {
        format!("The plan builds what the result recommends ({office})")
    } else {
        format!("The plan aims at {} ({office})", plan.target.label())
    };
    let n = plan.initiatives.len();
    let mut s = if n == 0 {
        format!("{what}: the answers already meet what it needs; keep them there.")
    } else {
        let last = plan
            .initiatives
            .iter()
            .map(|i| i.horizon)
            .max()
            .unwrap_or(1);
        let over = match last {
            1 => "the first 90 days",
            2 => "the next 12 months",
            _ => "the next 24 months",
        };
        format!(
            "{what}: {} over {over}.",
            words::count(n, "initiative", "initiatives")
        )
    };
    if !plan.later.is_empty() {
        let _ = write!(
            s,
            " {} more can follow once these are done.",
            words::count(plan.later.len(), "initiative", "initiatives")
        );
    }
    if !plan.reached {
        let _ = write!(
            s,
            " Once it is done the answers would not yet give {}: the rest depends on answers the plan does not move.",
            plan.target.label()
        );
    }
    if plan.group {
        s.push_str(
            " It starts from the group's typical answers, towards the result its headline shows.",
        );
    }
    s
}

/// The labels an initiative moves between.
pub(crate) fn move_labels<'a>(rubric: &'a LoadedRubric, i: &Initiative) -> (&'a str, &'a str) {
    let Some(qi) = rubric.question(i.question) else {
        return ("", "");
    };
    let q = &rubric.rubric.question[qi];
    let label = |id: &str| {
        (q.option.iter())
            .find(|o| o.id == id)
            .map_or("", |o| o.label.as_str())
    };
    (label(i.from), label(i.to))
}

/// The role that leads an initiative, as the rubric names it.
pub(crate) fn owner_title<'a>(rubric: &'a LoadedRubric, i: &Initiative<'a>) -> Option<&'a str> {
    let id = i.owner?;
    Some(rubric.rubric.roles.get(id).map_or(id, String::as_str))
}

/// "After 1 and 3": the numbers of the shown initiatives it needs.
pub(crate) fn needs_words(plan: &Plan, i: &Initiative) -> Option<String> {
    let numbers: Vec<String> = (plan.initiatives.iter().enumerate())
        .filter(|(_, x)| i.requires.contains(&x.question) && x.question != i.question)
        .map(|(k, _)| (k + 1).to_string())
        .collect();
    match numbers.as_slice() {
        [] => None,
        [one] => Some(format!("After {one}")),
        [rest @ .., last] => Some(format!("After {} and {last}", rest.join(", "))),
    }
}

/// "Done when ...": a rubric's text as written when it says so itself.
pub(crate) fn done_words(done: &str) -> String {
    if done.to_lowercase().starts_with("done when") {
        done.to_string()
    } else {
        format!("Done when: {done}")
    }
}

/// "2 of 5 respondents already there".
pub(crate) fn already_words(i: &Initiative) -> Option<String> {
    let a = i.already?;
    Some(format!("{} of {} already there", a.count, a.of))
}

/// One initiative as a tracker imports it (`pmo-vmo plan`): Jira, Azure DevOps
/// and GitHub issues each map these columns to a summary, a description, an
/// assignee or label, and links.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct TrackerRow {
    /// The sheet (or `group`) whose plan it is.
    pub plan: String,
    /// The respondent, where the sheet names one.
    pub respondent: String,
    /// Its number in the plan, from 1 (later ones continue the count).
    pub number: usize,
    /// 1, 2 or 3.
    pub horizon: u8,
    /// "First 90 days"...
    pub when: &'static str,
    /// The title.
    pub summary: String,
    /// The body: where the practice stands, where it should be, what to do.
    pub description: String,
    /// The role that leads it.
    pub owner: String,
    /// The numbers of the initiatives it needs first, separated by `;`.
    pub depends_on: String,
    /// How to tell it is done.
    pub done_when: String,
    /// weeks, months or quarters.
    pub effort: &'static str,
    /// After the first seven: to start once those are done.
    pub later: bool,
    /// The practice question, and the options it moves between (ids).
    pub question: String,
    /// The option answered now.
    pub from: String,
    /// The option aimed at.
    pub to: String,
}

/// A plan's initiatives (shown, then later) as tracker rows.
pub fn tracker_rows(
    rubric: &LoadedRubric,
    plan: &Plan,
    name: &str,
    respondent: Option<&str>,
) -> Vec<TrackerRow> {
    let all: Vec<&Initiative> = plan.all().collect();
    (all.iter().enumerate())
        .map(|(k, i)| {
            let (from, to) = move_labels(rubric, i);
            let depends: Vec<String> = (all.iter().enumerate())
                .filter(|(_, x)| i.requires.contains(&x.question) && x.question != i.question)
                .map(|(j, _)| (j + 1).to_string())
                .collect();
            TrackerRow {
                plan: name.to_string(),
                respondent: respondent.unwrap_or("").to_string(),
                number: k + 1,
                horizon: i.horizon,
                when: horizon_title(i.horizon),
                summary: format!("{}: {}", i.title, to),
                description: format!("Now: {from}\nAim: {to}\n\n{}", i.action),
                owner: owner_title(rubric, i).unwrap_or("").to_string(),
                depends_on: depends.join(";"),
                done_when: i.done_when.unwrap_or("").to_string(),
                effort: i.effort.id(),
                later: k >= plan.initiatives.len(),
                question: i.question.to_string(),
                from: i.from.to_string(),
                to: i.to.to_string(),
            }
        })
        .collect()
}
