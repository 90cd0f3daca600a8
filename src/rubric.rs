//! The rubric: factors, questions, options, gates and recommendations, loaded from
//! TOML and checked before any sheet is scored against it.
//!
//! The structs mirror the file one to one (so `rubric show --format json` has the
//! file's keys); the checks that serde cannot make live in [`Rubric::validate`] and
//! point back into the file through [`crate::diag::TomlMap`].

use std::collections::HashMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::{
    InputError, InputErrors, Item, ParseNote, RubricFault, Rule, Seg, TomlMap, from_toml_error,
    path_string,
};
use crate::origin::Origin;

/// The rubric built into the binary, used when no `--rubric` is given.
pub const DEFAULT_RUBRIC: &str = include_str!("../questionnaires/pmo-vmo.toml");
/// How the embedded rubric is named in messages.
pub const DEFAULT_RUBRIC_NAME: &str = "<embedded>/questionnaires/pmo-vmo.toml";

/// How far below a boundary a weighted mean may fall and still count as on it.
///
/// Weighted means are not exact in floating point: weights 0.1 and 0.2 over scores of
/// 60 give 59.99999999999999. Every comparison against a boundary or a gate threshold
/// goes through [`reaches`], so such a mean lands where the exact arithmetic puts it.
/// Scores live in 0..=100, so a billionth of a point is far below anything a rubric
/// can mean and far above the rounding error of a few hundred additions.
pub const TOLERANCE: f64 = 1e-9;

/// `value >= threshold`, up to [`TOLERANCE`]: how a rubric's thresholds are read
/// wherever they are compared (scoring, gates, lints, shown figures).
pub fn reaches(value: f64, threshold: f64) -> bool {
    value >= threshold - TOLERANCE
}

/// The three outcomes, ordered from delivery-centred to value-centred.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    Pmo,
    Hybrid,
    Vmo,
}

impl Band {
    pub const ALL: [Band; 3] = [Band::Pmo, Band::Hybrid, Band::Vmo];

    /// The lowercase id used in files and JSON.
    pub fn id(self) -> &'static str {
        match self {
            Band::Pmo => "pmo",
            Band::Hybrid => "hybrid",
            Band::Vmo => "vmo",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Band::Pmo => "PMO",
            Band::Hybrid => "Hybrid",
            Band::Vmo => "VMO",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A recommendation named by no band (worded by `render::diag`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownBand {
    /// What was given, trimmed and in lower case.
    pub given: String,
}

impl std::error::Error for UnknownBand {}

impl std::str::FromStr for Band {
    type Err = UnknownBand;
    fn from_str(s: &str) -> Result<Self, UnknownBand> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pmo" => Ok(Band::Pmo),
            "hybrid" => Ok(Band::Hybrid),
            "vmo" => Ok(Band::Vmo),
            other => Err(UnknownBand {
                given: other.to_string(),
            }),
        }
    }
}

fn default_weight() -> f64 {
    1.0
}

/// A questionnaire and the rules that turn its answers into a recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rubric {
    /// Rubric id, kebab-case; answer sheets name it in `rubric`.
    #[schemars(regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))]
    pub id: String,
    /// Version of the rubric; sheets may name it in `rubric-version`.
    pub version: String,
    /// Title shown at the top of the interview and reports.
    pub title: String,
    /// What the questionnaire is for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where the bands start.
    pub scoring: Scoring,
    /// The factors, each a weighted part of the index.
    #[schemars(length(min = 1))]
    pub factor: Vec<Factor>,
    /// The questions, each belonging to one factor.
    #[schemars(length(min = 1))]
    pub question: Vec<Question>,
    /// Rules that cap or floor the recommendation on one factor's score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gate: Vec<Gate>,
    /// What to say for each outcome.
    pub recommendation: Recommendations,
}

/// Band boundaries on the 0..=100 index.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scoring {
    /// An index below this is `pmo`.
    #[schemars(range(min = 0.0, max = 100.0))]
    pub hybrid_from: f64,
    /// An index at or above this is `vmo`; between the two, `hybrid`.
    #[schemars(range(min = 0.0, max = 100.0))]
    pub vmo_from: f64,
    /// Share (0..=1) of each factor's questions a firm result needs answered; a
    /// factor below it makes the result provisional. Unset: no result is provisional.
    #[schemars(range(min = 0.0, max = 1.0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_answered: Option<f64>,
}

impl Scoring {
    /// How many answers a factor of `questions` questions needs for a firm result:
    /// ceil(min-answered x questions), 0 without `min-answered`.
    pub fn needed(&self, questions: usize) -> usize {
        self.min_answered.map_or(0, |m| {
            // A rounding error above a whole number (0.3 x 10) is that number.
            let x = m * questions as f64 - TOLERANCE;
            (x.ceil().max(0.0) as usize).min(questions)
        })
    }
}

/// One of the decision factors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Factor {
    /// Factor id, unique in the rubric.
    #[schemars(regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))]
    pub id: String,
    /// Name shown to people.
    pub title: String,
    /// What the factor is about.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Relative weight of the factor in the index (0.000001..=1000000, default 1).
    #[schemars(range(min = 0.000001, max = 1000000.0))]
    #[serde(default = "default_weight")]
    pub weight: f64,
}

/// One question with its options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Question {
    /// Question id, unique across the rubric; the key in a sheet's `[answers]`.
    #[schemars(regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))]
    pub id: String,
    /// Id of the factor the question belongs to.
    pub factor: String,
    /// The question as asked.
    pub text: String,
    /// What the question probes and why it matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Relative weight of the question in its factor (0.000001..=1000000, default 1).
    #[schemars(range(min = 0.000001, max = 1000000.0))]
    #[serde(default = "default_weight")]
    pub weight: f64,
    /// The possible answers, from PMO-leaning to VMO-leaning.
    #[schemars(length(min = 2))]
    pub option: Vec<AnswerOption>,
}

/// One possible answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AnswerOption {
    /// Option id, unique within its question; the value in a sheet's `[answers]`.
    #[schemars(regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))]
    pub id: String,
    /// The answer as shown.
    pub label: String,
    /// 0 = fully PMO-leaning ... 100 = fully VMO-leaning.
    #[schemars(range(min = 0.0, max = 100.0))]
    pub score: f64,
    /// Why this answer leans the way it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// What it takes to move from this answer to the next one up (the roadmap's
    /// action for that step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub improve: Option<String>,
}

/// A rule on one factor's score, or one question's answer, that limits the
/// recommendation: exactly one target (`factor` or `question`), one condition
/// (`below` or `at-least`) and one effect (`cap` or `floor`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(extend("allOf" = [
    {"oneOf": [{"required": ["factor"]}, {"required": ["question"]}]},
    {"oneOf": [{"required": ["below"]}, {"required": ["at-least"]}]},
    {"oneOf": [{"required": ["cap"]}, {"required": ["floor"]}]}
]))]
pub struct Gate {
    /// Gate id, unique in the rubric.
    #[schemars(regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))]
    pub id: String,
    /// The factor whose score is tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<String>,
    /// The question whose answer's score is tested (an unanswered question never
    /// fires the gate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// Fires when the score is below this.
    #[schemars(range(min = 0.0, max = 100.0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// Fires when the score is at least this.
    #[schemars(range(min = 0.0, max = 100.0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// When fired, the recommendation is at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Band>,
    /// When fired, the recommendation is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Band>,
    /// Why, shown when the gate fires.
    pub message: String,
}

/// What a gate does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Cap,
    Floor,
}

/// `below` or `at-least` a threshold: whether a score meets it.
fn meets(below: Option<f64>, at_least: Option<f64>, score: f64) -> bool {
    match (below, at_least) {
        (Some(b), _) => !reaches(score, b),
        (None, Some(a)) => reaches(score, a),
        (None, None) => false,
    }
}

impl Gate {
    /// Whether the gate fires for a score of its factor or question.
    pub fn fires(&self, score: f64) -> bool {
        meets(self.below, self.at_least, score)
    }

    /// The id of what the gate reads (a factor or a question).
    pub fn target_id(&self) -> &str {
        self.factor
            .as_deref()
            .or(self.question.as_deref())
            .unwrap_or_default()
    }

    /// The gate's effect and target band (validated rubrics have exactly one).
    pub fn effect(&self) -> (Effect, Band) {
        match (self.cap, self.floor) {
            (Some(c), _) => (Effect::Cap, c),
            (None, Some(f)) => (Effect::Floor, f),
            (None, None) => (Effect::Cap, Band::Vmo),
        }
    }

    /// `rec` with this gate applied (it has fired): held at most at its cap, or at
    /// least at its floor.
    pub fn apply(&self, rec: Band) -> Band {
        match self.effect() {
            (Effect::Cap, to) => rec.min(to),
            (Effect::Floor, to) => rec.max(to),
        }
    }

    /// A cap that fires below a threshold, or a floor that fires from one: a gate
    /// that pulls the result the way its score goes (a higher score never lowers
    /// the recommendation through it).
    pub fn pulls_with_score(&self) -> bool {
        match self.effect().0 {
            Effect::Cap => self.below.is_some(),
            Effect::Floor => self.below.is_none() && self.at_least.is_some(),
        }
    }
}

/// The text for each outcome (all three are required).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Recommendations {
    /// Advice when the result is a PMO.
    pub pmo: RecommendationText,
    /// Advice when the result is a hybrid.
    pub hybrid: RecommendationText,
    /// Advice when the result is a VMO.
    pub vmo: RecommendationText,
}

impl Recommendations {
    pub fn get(&self, band: Band) -> &RecommendationText {
        match band {
            Band::Pmo => &self.pmo,
            Band::Hybrid => &self.hybrid,
            Band::Vmo => &self.vmo,
        }
    }
}

/// The title, summary and next steps of one outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RecommendationText {
    /// Headline of the recommendation.
    pub title: String,
    /// Why this outcome, in a few sentences.
    pub summary: String,
    /// What to do next, in order.
    #[serde(default)]
    pub next_steps: Vec<NextStep>,
}

/// One next step: a plain string, or `{ text, unless }`, hidden for a sheet on
/// which its `unless` condition holds (the answers show it is already done).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum NextStep {
    Always(String),
    Unless(ConditionalStep),
}

impl NextStep {
    /// The words of the step.
    pub fn text(&self) -> &str {
        match self {
            NextStep::Always(t) => t,
            NextStep::Unless(c) => &c.text,
        }
    }

    /// The condition under which the step is hidden, if any.
    pub fn unless(&self) -> Option<&Condition> {
        match self {
            NextStep::Always(_) => None,
            NextStep::Unless(c) => Some(&c.unless),
        }
    }
}

impl<'de> Deserialize<'de> for NextStep {
    /// A string or a table, with the table's own errors (an unknown key, a missing
    /// `text`) rather than serde's "did not match any variant".
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = NextStep;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "{}", ParseNote::NextStep)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NextStep, E> {
                Ok(NextStep::Always(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<NextStep, A::Error> {
                ConditionalStep::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(NextStep::Unless)
            }
        }
        d.deserialize_any(Visit)
    }
}

/// A next step with the condition that hides it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConditionalStep {
    /// The words of the step.
    pub text: String,
    /// When this holds for a sheet, the step is not shown.
    pub unless: Condition,
}

/// A test on one question's answer or one factor's score: exactly one of
/// `question`/`factor` and one of `below`/`at-least`. An unanswered question or
/// factor never meets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(extend("allOf" = [
    {"oneOf": [{"required": ["factor"]}, {"required": ["question"]}]},
    {"oneOf": [{"required": ["below"]}, {"required": ["at-least"]}]}
]))]
pub struct Condition {
    /// The question whose answer's score is tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The factor whose score is tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<String>,
    /// Holds when the score is below this.
    #[schemars(range(min = 0.0, max = 100.0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// Holds when the score is at least this.
    #[schemars(range(min = 0.0, max = 100.0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
}

impl Condition {
    /// Whether a score meets the condition.
    pub fn holds(&self, score: f64) -> bool {
        meets(self.below, self.at_least, score)
    }
}

/// What a gate or a condition reads, resolved to an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A factor's score.
    Factor(usize),
    /// The score of a question's chosen option.
    Question(usize),
}

/// A value to read, never to change: a [`LoadedRubric`]'s rubric, from which its
/// look-ups were worked out once. It reads as the value itself (`Deref`); a changed
/// rubric is a new [`LoadedRubric`] ([`LoadedRubric::from_rubric`]).
#[derive(Clone)]
pub struct ReadOnly<T>(T);

impl<T> std::ops::Deref for ReadOnly<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for ReadOnly<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A rubric that passed validation, with the look-ups scoring needs. The rubric
/// is read-only and the look-ups private, so they cannot go stale: a variant is
/// made with [`LoadedRubric::from_rubric`], which validates and indexes it anew.
#[derive(Debug, Clone)]
pub struct LoadedRubric {
    /// The rubric, as its file says.
    pub rubric: ReadOnly<Rubric>,
    /// Where it came from (a path or [`DEFAULT_RUBRIC_NAME`]).
    source: Origin,
    /// The file's text, for lints that point into it.
    text: String,
    /// For each question, the index of its factor.
    question_factor: Vec<usize>,
    /// For each gate, what it reads.
    gate_target: Vec<Target>,
    question_index: HashMap<String, usize>,
    factor_index: HashMap<String, usize>,
    /// Questions per factor, counted once (scoring reports it for every sheet).
    per_factor: Vec<usize>,
    /// Each factor's questions, in rubric order (the flip rescores one factor).
    factor_questions: Vec<Vec<usize>>,
    /// Per band (in [`Band::ALL`] order), what each next step's `unless` reads,
    /// resolved once here rather than by id for every sheet.
    step_target: [Vec<Option<Target>>; 3],
    /// Each question's options ranked by score (the flip and the roadmap look them
    /// up for every sheet).
    ladders: Vec<Ladder>,
    /// Per question, the gates that read it or its factor, in file order.
    question_gates: Vec<Vec<usize>>,
}

/// One question's options ranked by score.
#[derive(Debug, Clone)]
struct Ladder {
    /// The first option with the lowest score.
    lowest: usize,
    /// The first option with the highest score.
    highest: usize,
    /// Per option, the option with the next higher score (the first in file order
    /// among equals); `None` for the top ones.
    up: Vec<Option<usize>>,
}

impl Ladder {
    fn of(q: &Question) -> Ladder {
        let o = &q.option;
        let (mut lowest, mut highest) = (0, 0);
        for (i, x) in o.iter().enumerate() {
            if x.score < o[lowest].score {
                lowest = i;
            }
            if x.score > o[highest].score {
                highest = i;
            }
        }
        let up = o
            .iter()
            .map(|now| {
                o.iter()
                    .enumerate()
                    .filter(|(_, x)| x.score > now.score)
                    .min_by(|a, b| a.1.score.total_cmp(&b.1.score))
                    .map(|(i, _)| i)
            })
            .collect();
        Ladder {
            lowest,
            highest,
            up,
        }
    }
}

impl LoadedRubric {
    /// The embedded default rubric.
    pub fn embedded() -> Result<Self, InputErrors> {
        Self::from_str(DEFAULT_RUBRIC_NAME, DEFAULT_RUBRIC)
    }

    /// Parses and validates rubric text; `source` names it in errors.
    pub fn from_str(source: impl Into<Origin>, text: &str) -> Result<Self, InputErrors> {
        let source = &source.into();
        if text.trim().is_empty() {
            return Err(InputErrors(vec![InputError::new(
                source,
                RubricFault::Empty,
            )]));
        }
        let rubric: Rubric = toml::from_str(text)
            .map_err(|e| InputErrors(vec![from_toml_error(source, text, &e)]))?;
        Self::validated(rubric, source, text.to_string())
    }

    /// A rubric made in code (a variant of another, in a test), validated and
    /// indexed as a file's would be; `source` names it in errors. Its text, for
    /// lints, is the rubric written as TOML.
    pub fn from_rubric(source: impl Into<Origin>, rubric: Rubric) -> Result<Self, InputErrors> {
        let text = toml::to_string(&rubric).unwrap_or_default();
        Self::validated(rubric, &source.into(), text)
    }

    /// `rubric` with its look-ups once it passes validation; the errors point into
    /// `text` where they can.
    fn validated(rubric: Rubric, source: &Origin, text: String) -> Result<Self, InputErrors> {
        let errors = rubric.validate();
        if !errors.is_empty() {
            let map = TomlMap::parse(&text);
            let errs = errors
                .into_iter()
                .map(|(path, key, fault)| {
                    let mut e = InputError::new(source, fault).with_key(path_string(&path));
                    if let Some(span) = map.as_ref().and_then(|m| m.span(&path, key)) {
                        e = e.at(&text, span);
                    }
                    e
                })
                .collect();
            return Err(InputErrors(errs));
        }
        Ok(Self::index(rubric, source.clone(), text))
    }

    /// A validated rubric with its look-ups.
    fn index(rubric: Rubric, source: Origin, text: String) -> Self {
        let factor_index: HashMap<&str, usize> = rubric
            .factor
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.as_str(), i))
            .collect();
        let question_factor: Vec<usize> = rubric
            .question
            .iter()
            .map(|q| factor_index[q.factor.as_str()])
            .collect();
        let question_index: HashMap<String, usize> = rubric
            .question
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        let gate_target = rubric
            .gate
            .iter()
            .map(|g| match (&g.factor, &g.question) {
                (Some(f), _) => Target::Factor(factor_index[f.as_str()]),
                (None, q) => Target::Question(question_index[q.as_deref().unwrap_or_default()]),
            })
            .collect();
        let factor_index = factor_index
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let mut per_factor = vec![0; rubric.factor.len()];
        let mut factor_questions = vec![Vec::new(); rubric.factor.len()];
        for (qi, &f) in question_factor.iter().enumerate() {
            per_factor[f] += 1;
            factor_questions[f].push(qi);
        }
        let mut loaded = LoadedRubric {
            rubric: ReadOnly(rubric),
            source,
            text,
            question_factor,
            gate_target,
            question_index,
            factor_index,
            per_factor,
            factor_questions,
            step_target: Default::default(),
            ladders: Vec::new(),
            question_gates: Vec::new(),
        };
        loaded.step_target = Band::ALL.map(|band| {
            let steps = &loaded.rubric.recommendation.get(band).next_steps;
            steps
                .iter()
                .map(|s| s.unless().and_then(|c| loaded.condition_target(c)))
                .collect()
        });
        loaded.ladders = loaded.rubric.question.iter().map(Ladder::of).collect();
        loaded.question_gates = (0..loaded.rubric.question.len())
            .map(|qi| {
                let fi = loaded.question_factor[qi];
                (loaded.gate_target.iter().enumerate())
                    .filter(|&(_, &t)| t == Target::Question(qi) || t == Target::Factor(fi))
                    .map(|(gi, _)| gi)
                    .collect()
            })
            .collect();
        loaded
    }

    /// This rubric with `change` made to a copy, indexed anew but not validated
    /// (a unit test may want a rubric no file could give). The source and the
    /// text stay this one's.
    #[cfg(test)]
    pub(crate) fn changed(&self, change: impl FnOnce(&mut Rubric)) -> Self {
        let mut rubric = self.rubric.0.clone();
        change(&mut rubric);
        Self::index(rubric, self.source.clone(), self.text.clone())
    }

    /// Where it came from (a path or [`DEFAULT_RUBRIC_NAME`]).
    pub fn source(&self) -> &Origin {
        &self.source
    }

    /// The text it was read from, for findings that point at a line.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// For each question, the index of its factor.
    pub fn question_factors(&self) -> &[usize] {
        &self.question_factor
    }

    /// For each gate, what it reads.
    pub fn gate_targets(&self) -> &[Target] {
        &self.gate_target
    }

    /// The index of a question by id.
    pub fn question(&self, id: &str) -> Option<usize> {
        self.question_index.get(id).copied()
    }

    /// The index of a factor by id.
    pub fn factor(&self, id: &str) -> Option<usize> {
        self.factor_index.get(id).copied()
    }

    /// What a validated condition reads.
    pub fn condition_target(&self, c: &Condition) -> Option<Target> {
        match (&c.question, &c.factor) {
            (Some(q), _) => self.question(q).map(Target::Question),
            (None, Some(f)) => self.factor(f).map(Target::Factor),
            (None, None) => None,
        }
    }

    /// The number of questions of each factor.
    pub fn questions_per_factor(&self) -> &[usize] {
        &self.per_factor
    }

    /// The option of question `qi` with the lowest score (the first among equals).
    pub fn lowest_option(&self, qi: usize) -> usize {
        self.ladders[qi].lowest
    }

    /// The option of question `qi` with the highest score (the first among equals).
    pub fn highest_option(&self, qi: usize) -> usize {
        self.ladders[qi].highest
    }

    /// The option of question `qi` with the next higher score than option `oi` (the
    /// first in file order among equals), if any.
    pub fn next_up(&self, qi: usize, oi: usize) -> Option<usize> {
        self.ladders[qi].up[oi]
    }

    /// The gates that read question `qi` or its factor, in file order.
    pub fn gates_on(&self, qi: usize) -> &[usize] {
        &self.question_gates[qi]
    }

    /// The questions of factor `fi`, in rubric order.
    pub fn questions_of(&self, fi: usize) -> &[usize] {
        &self.factor_questions[fi]
    }

    /// What the `unless` of next step `i` of `band`'s recommendation reads, as
    /// [`Self::condition_target`] resolves it (resolved when the rubric is loaded);
    /// `None` for a step without one.
    pub fn step_target(&self, band: Band, i: usize) -> Option<Target> {
        self.step_target[band as usize].get(i).copied().flatten()
    }
}

/// A problem the validation found: the key path, whether to point at the key
/// rather than its value, and what is wrong.
type Problem = (Vec<Seg>, bool, RubricFault);

fn key(path: &[Seg], name: &str) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(Seg::Key(name.to_string()));
    p
}

fn at(name: &str, i: usize) -> Vec<Seg> {
    vec![Seg::Key(name.to_string()), Seg::Index(i)]
}

fn check_id(out: &mut Vec<Problem>, path: Vec<Seg>, id: &str, item: Item) {
    let kebab = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if !kebab {
        let id = id.to_string();
        out.push((path, false, RubricFault::NotKebab { item, id }));
    }
}

fn check_unique<'a>(
    out: &mut Vec<Problem>,
    seen: &mut HashMap<&'a str, usize>,
    id: &'a str,
    i: usize,
    path: Vec<Seg>,
    item: Item,
) {
    if let Some(first) = seen.insert(id, i) {
        seen.insert(id, first);
        let (id, first) = (id.to_string(), first + 1);
        out.push((path, false, RubricFault::DuplicateId { item, id, first }));
    }
}

/// The range a weight must fall in. The contract asks for `> 0`; the bounds keep
/// the weighted sums exact enough (no overflow to infinity, no subnormal quotients).
pub const MIN_WEIGHT: f64 = 1e-6;
pub const MAX_WEIGHT: f64 = 1e6;

fn check_weight(out: &mut Vec<Problem>, path: Vec<Seg>, w: f64) {
    if !(w.is_finite() && w > 0.0) {
        out.push((path, false, RubricFault::WeightNotPositive { found: w }));
    } else if !(MIN_WEIGHT..=MAX_WEIGHT).contains(&w) {
        out.push((path, false, RubricFault::WeightOutOfRange { found: w }));
    }
}

/// A score, threshold or boundary (`key` names it) within 0..=100.
fn check_score(out: &mut Vec<Problem>, path: Vec<Seg>, s: f64, key: &'static str) {
    if !(0.0..=100.0).contains(&s) {
        out.push((path, false, RubricFault::ScoreOutOfRange { key, found: s }));
    }
}

impl Rubric {
    /// The checks serde cannot make. Each problem is (key path, point at the key
    /// rather than the value, message); empty when the rubric is sound.
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        check_id(
            &mut out,
            vec![Seg::Key("id".into())],
            &self.id,
            Item::Rubric,
        );
        self.validate_scoring(&mut out);
        if self.factor.is_empty() {
            out.push((vec![], false, RubricFault::NoFactor));
        }
        if self.question.is_empty() {
            out.push((vec![], false, RubricFault::NoQuestion));
        }
        let factors = self.validate_factors(&mut out);
        let per_factor = self.validate_questions(&mut out, &factors);
        for (i, f) in self.factor.iter().enumerate() {
            if per_factor[i] == 0 {
                out.push((
                    key(&at("factor", i), "id"),
                    false,
                    RubricFault::FactorWithoutQuestion {
                        factor: f.id.clone(),
                    },
                ));
            }
        }
        let questions: HashMap<&str, usize> = self
            .question
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i))
            .collect();
        self.validate_gates(&mut out, &factors, &questions);
        self.validate_next_steps(&mut out, &factors, &questions);
        out
    }

    /// `next-steps`: each `unless` names one known question or factor and one
    /// threshold.
    fn validate_next_steps(
        &self,
        out: &mut Vec<Problem>,
        factors: &HashMap<&str, usize>,
        questions: &HashMap<&str, usize>,
    ) {
        for band in Band::ALL {
            let steps = &self.recommendation.get(band).next_steps;
            for (i, step) in steps.iter().enumerate() {
                let Some(c) = step.unless() else { continue };
                let mut p = vec![
                    Seg::Key("recommendation".into()),
                    Seg::Key(band.id().into()),
                    Seg::Key("next-steps".into()),
                    Seg::Index(i),
                ];
                let rule = Rule::NextStep {
                    band: band.id(),
                    n: i + 1,
                };
                p.push(Seg::Key("unless".into()));
                check_target(out, &p, &rule, (&c.factor, &c.question), factors, questions);
                check_condition(out, &p, &rule, c.below, c.at_least);
            }
        }
    }

    /// `[scoring]`: both thresholds are scores, and the bands are in order.
    fn validate_scoring(&self, out: &mut Vec<Problem>) {
        let s = self.scoring;
        let sp = vec![Seg::Key("scoring".into())];
        check_score(out, key(&sp, "hybrid-from"), s.hybrid_from, "hybrid-from");
        check_score(out, key(&sp, "vmo-from"), s.vmo_from, "vmo-from");
        if let Some(m) = s.min_answered
            && !(0.0..=1.0).contains(&m)
        {
            out.push((
                key(&sp, "min-answered"),
                false,
                RubricFault::MinAnsweredOutOfRange { found: m },
            ));
        }
        if s.hybrid_from > s.vmo_from {
            out.push((
                key(&sp, "vmo-from"),
                false,
                RubricFault::BandsOutOfOrder {
                    hybrid_from: s.hybrid_from,
                    vmo_from: s.vmo_from,
                },
            ));
        }
    }

    /// `[[factor]]`: ids and weights. Returns each factor id's index, for the
    /// questions and gates that name a factor.
    fn validate_factors(&self, out: &mut Vec<Problem>) -> HashMap<&str, usize> {
        let mut factors = HashMap::new();
        for (i, f) in self.factor.iter().enumerate() {
            let p = at("factor", i);
            check_id(out, key(&p, "id"), &f.id, Item::Factor);
            check_unique(out, &mut factors, &f.id, i, key(&p, "id"), Item::Factor);
            check_weight(out, key(&p, "weight"), f.weight);
        }
        factors
    }

    /// `[[question]]`: ids, factor, weight and options. Returns how many
    /// questions each factor has, so that a factor with none can be reported.
    fn validate_questions(
        &self,
        out: &mut Vec<Problem>,
        factors: &HashMap<&str, usize>,
    ) -> Vec<usize> {
        let mut questions = HashMap::new();
        let mut per_factor = vec![0usize; self.factor.len()];
        for (i, q) in self.question.iter().enumerate() {
            let p = at("question", i);
            check_id(out, key(&p, "id"), &q.id, Item::Question);
            check_unique(out, &mut questions, &q.id, i, key(&p, "id"), Item::Question);
            match factors.get(q.factor.as_str()) {
                Some(&f) => per_factor[f] += 1,
                None => out.push((
                    key(&p, "factor"),
                    false,
                    RubricFault::UnknownFactor {
                        question: q.id.clone(),
                        factor: q.factor.clone(),
                    },
                )),
            }
            check_weight(out, key(&p, "weight"), q.weight);
            validate_options(out, q, &p);
        }
        per_factor
    }

    /// `[[gate]]`: ids, exactly one target (a known factor or question), exactly
    /// one condition and exactly one effect.
    fn validate_gates(
        &self,
        out: &mut Vec<Problem>,
        factors: &HashMap<&str, usize>,
        questions: &HashMap<&str, usize>,
    ) {
        let mut gates = HashMap::new();
        for (i, g) in self.gate.iter().enumerate() {
            let p = at("gate", i);
            check_id(out, key(&p, "id"), &g.id, Item::Gate);
            check_unique(out, &mut gates, &g.id, i, key(&p, "id"), Item::Gate);
            let rule = Rule::Gate { id: g.id.clone() };
            check_target(out, &p, &rule, (&g.factor, &g.question), factors, questions);
            check_condition(out, &p, &rule, g.below, g.at_least);
            let gate = g.id.clone();
            match (g.cap, g.floor) {
                (Some(_), Some(_)) => {
                    out.push((key(&p, "floor"), true, RubricFault::CapAndFloor { gate }));
                }
                (None, None) => out.push((key(&p, "id"), false, RubricFault::NoEffect { gate })),
                _ => {}
            }
        }
    }
}

/// Where a missing key of the table at `p` is reported: a gate's `id`, or an
/// `unless` table itself.
fn anchor(p: &[Seg]) -> Vec<Seg> {
    if matches!(p.first(), Some(Seg::Key(k)) if k == "gate") {
        key(p, "id")
    } else {
        p.to_vec()
    }
}

/// What a gate or an `unless` at `p` reads: exactly one of `factor` and
/// `question`, naming one that exists.
fn check_target(
    out: &mut Vec<Problem>,
    p: &[Seg],
    rule: &Rule,
    (factor, question): (&Option<String>, &Option<String>),
    factors: &HashMap<&str, usize>,
    questions: &HashMap<&str, usize>,
) {
    let rule = rule.clone();
    match (factor, question) {
        (Some(_), Some(_)) => {
            out.push((key(p, "question"), true, RubricFault::BothTargets { rule }))
        }
        (None, None) => out.push((anchor(p), false, RubricFault::NoTarget { rule })),
        (Some(f), None) if !factors.contains_key(f.as_str()) => out.push((
            key(p, "factor"),
            false,
            RubricFault::UnknownTargetFactor {
                rule,
                factor: f.clone(),
            },
        )),
        (None, Some(q)) if !questions.contains_key(q.as_str()) => out.push((
            key(p, "question"),
            false,
            RubricFault::UnknownTargetQuestion {
                rule,
                question: q.clone(),
            },
        )),
        _ => {}
    }
}

/// The threshold of a gate or an `unless` at `p`: exactly one of `below` and
/// `at-least`, within 0..=100.
fn check_condition(
    out: &mut Vec<Problem>,
    p: &[Seg],
    rule: &Rule,
    below: Option<f64>,
    at_least: Option<f64>,
) {
    let rule = rule.clone();
    match (below, at_least) {
        (Some(_), Some(_)) => out.push((
            key(p, "at-least"),
            true,
            RubricFault::BothConditions { rule },
        )),
        (None, None) => out.push((anchor(p), false, RubricFault::NoCondition { rule })),
        (Some(v), None) => check_score(out, key(p, "below"), v, "below"),
        (None, Some(v)) => check_score(out, key(p, "at-least"), v, "at-least"),
    }
}

/// One question's `[[question.option]]`s (`p` is the question's path): at least
/// two, each with a unique id and a score in range.
fn validate_options(out: &mut Vec<Problem>, q: &Question, p: &[Seg]) {
    if q.option.len() < 2 {
        let path = if q.option.is_empty() {
            key(p, "id")
        } else {
            key(p, "option")
        };
        out.push((
            path,
            false,
            RubricFault::TooFewOptions {
                question: q.id.clone(),
                found: q.option.len(),
            },
        ));
    }
    let mut options = HashMap::new();
    for (j, o) in q.option.iter().enumerate() {
        let op = {
            let mut v = key(p, "option");
            v.push(Seg::Index(j));
            v
        };
        check_id(out, key(&op, "id"), &o.id, Item::Option);
        check_unique(out, &mut options, &o.id, j, key(&op, "id"), Item::Option);
        check_score(out, key(&op, "score"), o.score, "score");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rubric_is_valid() {
        let r = LoadedRubric::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.rubric.id, "pmo-vmo");
        assert_eq!(r.rubric.factor.len(), 4);
    }

    #[test]
    fn a_rubric_made_in_code_is_validated_and_indexed_like_a_file() {
        let embedded = LoadedRubric::embedded().unwrap();
        let mut rubric = Rubric::clone(&embedded.rubric);
        rubric.question.swap(0, 1);
        let r = LoadedRubric::from_rubric("variant", rubric.clone()).unwrap();
        assert_eq!(r.question(&rubric.question[0].id), Some(0));
        assert_eq!(r.source().to_string(), "variant");
        // Its text is the rubric as TOML, which reads back as the same rubric.
        let again = LoadedRubric::from_str("again", r.text()).unwrap();
        assert_eq!(*again.rubric, rubric);
        rubric.factor[0].weight = 0.0;
        let errors = LoadedRubric::from_rubric("variant", rubric).unwrap_err();
        assert_eq!(errors.0.len(), 1);
        assert_eq!(errors.0[0].key.as_deref(), Some("factor[0].weight"));
    }

    #[test]
    fn min_answered_rounds_up_but_not_past_a_whole_number() {
        let mut s = Scoring {
            hybrid_from: 40.0,
            vmo_from: 60.0,
            min_answered: None,
        };
        assert_eq!(s.needed(5), 0, "no min-answered: nothing needed");
        s.min_answered = Some(0.5);
        assert_eq!(s.needed(5), 3);
        assert_eq!(s.needed(4), 2);
        s.min_answered = Some(0.3);
        assert_eq!(s.needed(10), 3, "0.3 x 10 is 3.0000000000000004 in f64");
        s.min_answered = Some(1.0);
        assert_eq!(s.needed(7), 7);
        s.min_answered = Some(0.0);
        assert_eq!(s.needed(7), 0);
    }

    #[test]
    fn next_steps_are_strings_or_tables_with_a_condition() {
        let r = LoadedRubric::embedded().unwrap();
        let steps = &r.rubric.recommendation.pmo.next_steps;
        assert!(matches!(steps[0], NextStep::Always(_)));
        let c = steps.iter().find_map(NextStep::unless).unwrap();
        assert!(r.condition_target(c).is_some());
        assert!(c.holds(100.0) && !c.holds(0.0));
        // The JSON of `rubric show` keeps both shapes.
        let json = serde_json::to_string_pretty(&*r.rubric).unwrap();
        assert!(json.contains("\"unless\": {"), "{json}");
    }

    #[test]
    fn band_order_and_parse() {
        assert!(Band::Pmo < Band::Hybrid && Band::Hybrid < Band::Vmo);
        assert_eq!("VMO".parse::<Band>(), Ok(Band::Vmo));
        assert!("pm".parse::<Band>().is_err());
    }
}
