//! A scored sheet as every output shows it, and the one function that makes it:
//! the evaluation, the sheet's names and origin, and (where an output shows it)
//! how firm it is.

use indexmap::IndexMap;
use serde::Serialize;

use crate::advice::Advice;
use crate::diag::InputError;
use crate::input::sheet::ResolvedSheet;
use crate::origin::Origin;
use crate::plan::Plan;
use crate::roadmap::Roadmap;
use crate::rubric::{Band, LoadedRubric};
use crate::scoring::{Evaluation, Outcome};
use crate::sensitivity::Sensitivity;

/// A scored sheet as every output shows it: the one result type of `score`,
/// `check` and the commands built on them. Ids and texts are borrowed from the
/// rubric (`'r`); JSON is serde over it (`score --format json` writes each row
/// with `serde_json::to_writer`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetResult<'r> {
    /// Where the sheet came from.
    pub source: Origin,
    pub(crate) respondent: Option<String>,
    pub(crate) role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) organisation: Option<String>,
    #[serde(flatten)]
    /// Its figures and recommendation.
    pub evaluation: Evaluation<'r>,
    /// How firm it is: the answers one option up or down that would change the
    /// recommendation (empty where the output does not show it, or none would).
    pub sensitivity: Vec<Sensitivity<'r>>,
    /// The questions answered "don't know", in rubric order.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "crate::json_text::list"
    )]
    pub unknown: Vec<&'r str>,
    /// The context answers (format 3): question id -> option id.
    #[serde(skip_serializing_if = "Answers::is_empty")]
    pub context: Answers<'r>,
    /// The evidence: question id -> chosen option id, in rubric order (empty when
    /// scored without [`Extras::answers`]).
    pub answers: Answers<'r>,
    /// Question id -> the sheet's note on it, as written.
    pub(crate) notes: IndexMap<String, String>,
    /// The chosen option of each rubric question, by index (`answers` as the
    /// scoring saw it).
    #[serde(skip)]
    pub(crate) choices: Vec<Option<usize>>,
    /// The steps towards a target recommendation (contract section 6); `None` where
    /// the output does not show it (csv).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) roadmap: Option<Roadmap<'r>>,
    /// Format 3: the plan of initiatives (contract section 6), in the same JSON
    /// key; `None` where the output does not show it or the result is provisional.
    #[serde(rename = "roadmap", skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan<'r>>,
    /// Which texts of the rubric apply (a choice of texts, not a finding: kept out of
    /// the JSON, whose consumers have the rubric).
    #[serde(skip)]
    pub advice: Advice,
    /// The chosen texts themselves, for JSON consumers without the rubric
    /// ([`Extras::texts`]); `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub texts: Option<Texts<'r>>,
}

/// The rubric's texts that go with a result, beside its ids (`score --texts`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Texts<'r> {
    /// The outcome's (or band's) title, its variant applied.
    #[serde(serialize_with = "crate::json_text::text")]
    pub title: &'r str,
    /// What the result opens with: the summary, or the messages of the gates that
    /// changed the result; empty for a provisional result.
    #[serde(serialize_with = "crate::json_text::list")]
    pub lead: Vec<&'r str>,
    /// The recommended office type's title.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::json_text::option"
    )]
    pub office: Option<&'r str>,
    /// For `both`: the second office type's title.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::json_text::option"
    )]
    pub also: Option<&'r str>,
    /// The next steps shown, in the rubric's order.
    #[serde(serialize_with = "crate::json_text::list")]
    pub next_steps: Vec<&'r str>,
}

impl<'r> Texts<'r> {
    fn of(rubric: &'r LoadedRubric, e: &Evaluation<'r>, advice: &Advice) -> Self {
        let r = &rubric.rubric;
        let title_of = |id: &str| {
            (r.office.iter())
                .find(|o| o.id == id)
                .map(|o| o.title.as_str())
        };
        Texts {
            title: advice.source.title(rubric),
            lead: advice.lead_texts(rubric),
            office: e.office.as_ref().and_then(|o| title_of(o.type_)),
            also: (e.office.as_ref())
                .and_then(|o| o.also.as_ref())
                .and_then(|a| title_of(a.type_)),
            next_steps: advice.shown_steps(rubric),
        }
    }
}

/// A sheet's answers as question id -> option id, in rubric order: a list of
/// pairs (no map to build for every row), written as a JSON object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers<'r>(pub(crate) Vec<(&'r str, &'r str)>);

impl SheetResult<'_> {
    /// The respondent's name, where the sheet gives one.
    pub fn respondent(&self) -> Option<&str> {
        self.respondent.as_deref()
    }
}

impl<'r> Answers<'r> {
    /// The answers of `choices`, with the rubric's ids.
    pub(crate) fn of(rubric: &'r LoadedRubric, choices: &[Option<usize>]) -> Self {
        let r = &rubric.rubric;
        Answers(
            (r.question.iter().zip(choices))
                .filter_map(|(q, c)| c.map(|oi| (q.id.as_str(), q.option[oi].id.as_str())))
                .collect(),
        )
    }

    /// The option id answered to a question id.
    pub fn get(&self, question: &str) -> Option<&'r str> {
        self.0.iter().find(|(q, _)| *q == question).map(|(_, o)| *o)
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// No answers.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Answers<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map((self.0.iter()).map(|&(q, o)| (q, crate::json_text::Text(o))))
    }
}

/// What a result carries beyond its evaluation, for the outputs that show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Extras {
    /// Work out how firm the result is (each answer one option up and down).
    pub sensitivity: bool,
    /// Work out the roadmap (a few scorings per step).
    pub roadmap: bool,
    /// The roadmap's target; `None`: the band above the result.
    pub target: Option<Band>,
    /// Fill `answers` (question id -> option id).
    pub answers: bool,
    /// Choose the rubric's texts that go with the result (`advice`: the table,
    /// the interview and the report show them). Without, `advice` is empty.
    pub advice: bool,
    /// Write those texts beside the ids in the JSON (`score --texts`): the
    /// outcome's title, its summary (or the messages of the gates that changed it),
    /// the office types' titles and the next steps shown.
    pub texts: bool,
}

impl Extras {
    /// Everything: the sensitivity (when `sensitivity`), the roadmap towards the
    /// band above the result, the answers and the advice.
    pub fn all(sensitivity: bool) -> Self {
        Extras {
            sensitivity,
            roadmap: true,
            target: None,
            answers: true,
            advice: true,
            texts: false,
        }
    }
}

/// Scores a resolved sheet with its sensitivity (when `sensitivity`) and its
/// roadmap towards the band above its result (always): [`score_with`] chooses each.
pub fn score(
    rubric: &LoadedRubric,
    sheet: ResolvedSheet,
    sensitivity: bool,
) -> Result<SheetResult<'_>, InputError> {
    score_with(rubric, sheet, Extras::all(sensitivity))
}

/// Scores a resolved sheet; a sheet with no answer is an error. Its origin and names
/// move into the result; ids and texts are the rubric's, borrowed.
///
/// Outputs that never show how firm it is (csv, markdown) leave it out, and csv leaves
/// out the roadmap: each is then `None` in the result.
pub fn score_with(
    rubric: &LoadedRubric,
    sheet: ResolvedSheet,
    extras: Extras,
) -> Result<SheetResult<'_>, InputError> {
    let outcome =
        Outcome::of(rubric, &sheet.choices).map_err(|e| InputError::new(&sheet.source, e))?;
    let mut evaluation = outcome.named(rubric);
    let r = &rubric.rubric;
    let unknown: Vec<&str> = (sheet.unknown.iter())
        .map(|&qi| r.question[qi].id.as_str())
        .collect();
    // "Don't know" is an answer, reported apart: not among the skipped questions.
    evaluation.unanswered.retain(|q| !unknown.contains(q));
    let sensitivity = if extras.sensitivity {
        crate::sensitivity::of(rubric, &outcome)
    } else {
        Vec::new()
    };
    let context = Answers(
        (r.question.iter().zip(&sheet.choices))
            .filter(|(q, _)| q.kind == crate::rubric::QuestionKind::Context)
            .filter_map(|(q, c)| c.map(|oi| (q.id.as_str(), q.option[oi].id.as_str())))
            .collect(),
    );
    // Where outcome rules decide (format 3), the roadmap of the index's bands
    // does not apply.
    let roadmap = (extras.roadmap && !rubric.has_outcomes())
        .then(|| crate::roadmap::plan(rubric, &outcome, extras.target));
    // Format 3: the plan of initiatives, once there are answers enough to aim.
    let plan = (extras.roadmap && rubric.has_outcomes() && !evaluation.provisional)
        .then(|| crate::plan::for_sheet(rubric, &outcome, extras.target));
    let advice = if extras.advice {
        crate::advice::for_sheet(rubric, &outcome, evaluation.provisional)
    } else {
        Advice::none()
    };
    let texts = extras
        .texts
        .then(|| Texts::of(rubric, &evaluation, &advice));
    let answers = if extras.answers {
        Answers::of(rubric, &sheet.choices)
    } else {
        Answers::default()
    };
    Ok(SheetResult {
        source: sheet.source,
        respondent: sheet.sheet.respondent,
        role: sheet.sheet.role,
        organisation: sheet.sheet.organisation,
        evaluation,
        sensitivity,
        unknown,
        context,
        answers,
        notes: sheet.sheet.notes,
        choices: sheet.choices,
        roadmap,
        plan,
        texts,
        advice,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaving_the_sensitivity_out_changes_nothing_else() {
        // Index 47.5 (hybrid); answering b1 "hi" instead would make it VMO.
        let rubric = crate::scoring::tests::small();
        let sheet = ResolvedSheet {
            source: "s.toml".into(),
            sheet: crate::input::Sheet::default(),
            choices: vec![Some(1), Some(0), Some(1)],
            unknown: Vec::new(),
            warnings: Vec::new(),
            format: crate::input::SheetFormat::Toml,
            text: None,
        };
        let with = score(&rubric, sheet.clone(), true).unwrap();
        let without = score(&rubric, sheet, false).unwrap();
        assert!(!with.sensitivity.is_empty(), "{:?}", with.evaluation);
        assert!(without.sensitivity.is_empty());
        assert_eq!(with.evaluation, without.evaluation);
    }
}
