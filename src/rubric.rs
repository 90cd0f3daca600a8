//! The rubric: factors, questions, options, gates and recommendations, loaded from
//! TOML and checked before any sheet is scored against it.
//!
//! The structs mirror the file one to one (so `rubric show --format json` has the
//! file's keys); the checks that serde cannot make live in [`Rubric::validate`] and
//! point back into the file through [`crate::diag::TomlMap`].

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::{
    InputError, InputErrors, Item, ParseNote, RubricFault, Rule, Seg, TomlMap, from_toml_error,
    path_string,
};
use crate::origin::Origin;

pub mod judgement;
pub mod respondent;

pub use judgement::{
    Axis, AxisMember, Effort, OfficeKind, OfficeType, OptionVariant, OutcomeRule, QuestionKind,
    Requirement, TextVariant, Unless,
};

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

/// The recommendations. `Pmo < Hybrid < Vmo` is the ladder format 2 scores on
/// (bands of the index, caps and floors); format 3's outcome rules may also give
/// `None` (no central office: a role), `Both` (a value office with a delivery
/// office beside it) and `Federated` (offices in the divisions, a thin centre),
/// which stand off that ladder: a cap or a floor does not move them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    Pmo,
    Hybrid,
    Vmo,
    None,
    Both,
    Federated,
}

impl Band {
    /// Every recommendation, the ladder first.
    pub const ALL: [Band; 6] = [
        Band::Pmo,
        Band::Hybrid,
        Band::Vmo,
        Band::None,
        Band::Both,
        Band::Federated,
    ];
    /// The bands of the index, in order.
    pub const LADDER: [Band; 3] = [Band::Pmo, Band::Hybrid, Band::Vmo];

    /// The lowercase id used in files and JSON.
    pub fn id(self) -> &'static str {
        match self {
            Band::Pmo => "pmo",
            Band::Hybrid => "hybrid",
            Band::Vmo => "vmo",
            Band::None => "none",
            Band::Both => "both",
            Band::Federated => "federated",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Band::Pmo => "PMO",
            Band::Hybrid => "Hybrid",
            Band::Vmo => "VMO",
            Band::None => "No central office",
            Band::Both => "Both offices",
            Band::Federated => "Federated offices",
        }
    }

    /// Whether it is on the ladder a cap or a floor moves along.
    pub fn on_ladder(self) -> bool {
        matches!(self, Band::Pmo | Band::Hybrid | Band::Vmo)
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
        let given = s.trim().to_ascii_lowercase();
        (Band::ALL.into_iter())
            .find(|b| b.id() == given)
            .ok_or(UnknownBand { given })
    }
}

fn default_weight() -> f64 {
    1.0
}

/// A context option carries no score: NaN until validation says otherwise.
fn no_score() -> f64 {
    f64::NAN
}

fn no_score_given(x: &f64) -> bool {
    x.is_nan()
}

/// The option id a sheet may give to any question for "don't know".
pub const DONT_KNOW: &str = "dont-know";

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
    /// Rules that cap or floor the recommendation on one factor's score (format
    /// 3: or only warn, as a risk).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gate: Vec<Gate>,
    /// What to say for each band (format 2; not needed with `outcome`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<Recommendations>,
    /// Format 3: weighted groups of factors or questions, scored like factors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub axis: Vec<Axis>,
    /// Format 3: the rules that decide the recommendation (first match wins).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcome: Vec<OutcomeRule>,
    /// Format 3: the office types outcomes name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub office: Vec<OfficeType>,
    /// Format 3: role id -> title (who leads an initiative, who should answer).
    #[serde(default, skip_serializing_if = "indexmap::IndexMap::is_empty")]
    pub roles: indexmap::IndexMap<String, String>,
}

/// Band boundaries on the 0..=100 index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// Format 3: the context question that says which office exists today (its
    /// options carry `office`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_office: Option<String>,
    /// Format 3: the question that names the most pressing problem (its option ids
    /// are what initiatives `address`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pressing_problem: Option<String>,
    /// Words respondent text must not contain (`rubric check`); unset: the built-in
    /// list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leading_words: Option<Vec<String>>,
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
    /// What a score of 0 means on this factor (format 3; shown in tables).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<String>,
    /// What a score of 100 means on this factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<String>,
}

/// One question with its options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Question {
    /// Question id, unique across the rubric; the key in a sheet's `[answers]`.
    #[schemars(regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))]
    pub id: String,
    /// What the question is for (format 3; default `practice`).
    #[serde(default, skip_serializing_if = "QuestionKind::is_default")]
    pub kind: QuestionKind,
    /// Id of the factor the question belongs to (none for a context question).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub factor: String,
    /// The question as asked (respondent voice: neutral).
    pub text: String,
    /// The practice the question measures, in a few words (consultant voice): the
    /// title of the plan's initiative on it. Default: the question's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practice: Option<String>,
    /// What to consider when answering (respondent voice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// What the answer means for the decision (consultant voice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<String>,
    /// Role ids of the people best placed to answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ask: Vec<String>,
    /// Option ids of the pressing-problem question that moves of this question
    /// address (options may say otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
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
    /// The answer as shown (respondent voice).
    pub label: String,
    /// 0 = fully PMO-leaning ... 100 = fully VMO-leaning (format 3: 0 = least, 100
    /// = most of what the question measures). None on a context question.
    #[schemars(range(min = 0.0, max = 100.0))]
    #[serde(default = "no_score", skip_serializing_if = "no_score_given")]
    pub score: f64,
    /// An example that tells this answer from its neighbours (respondent voice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// What this answer means for the decision (consultant voice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<String>,
    /// What it takes to move from this answer to the next one up (the roadmap's
    /// action for that step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub improve: Option<String>,
    /// How to tell the next level is reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_when: Option<String>,
    /// What the move up from this answer needs first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Requirement>,
    /// The role that leads the move up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// How long the move up takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<Effort>,
    /// Pressing problems the move up addresses (else the question's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<String>>,
    /// On the existing-office question: the office types this answer says exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<Vec<String>>,
    /// Plan texts for a context.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variant: Vec<OptionVariant>,
}

/// A rule on one factor's score, or one question's answer, that limits the
/// recommendation: exactly one target (`factor` or `question`), one condition
/// (`below` or `at-least`) and one effect (`cap` or `floor`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(extend("allOf" = [
    {"oneOf": [{"required": ["factor"]}, {"required": ["question"]}, {"required": ["axis"]}]},
    {"oneOf": [{"required": ["below"]}, {"required": ["at-least"]}, {"required": ["is"]}]},
    {"not": {"required": ["cap", "floor"]}}
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
    /// The axis whose score is tested (format 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub axis: Option<String>,
    /// Fires when the score is below this.
    #[schemars(range(min = 0.0, max = 100.0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// Fires when the score is at least this.
    #[schemars(range(min = 0.0, max = 100.0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Fires when the question's answer is one of these option ids (format 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<Vec<String>>,
    /// Only for these recommendations (format 3); unset: for all.
    #[serde(default, rename = "for", skip_serializing_if = "Vec::is_empty")]
    pub for_: Vec<Band>,
    /// When fired, the recommendation is at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Band>,
    /// When fired, the recommendation is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Band>,
    /// Why, shown when the gate fires.
    pub message: String,
    /// What a later assessment says when the gate no longer fires (format 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clears: Option<String>,
}

/// What a gate does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Cap,
    Floor,
    /// Neither: the gate only warns (a risk, format 3).
    Risk,
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

    /// The gate's effect and target band; `None` for a gate that only warns.
    pub fn effect(&self) -> (Effect, Option<Band>) {
        match (self.cap, self.floor) {
            (Some(c), _) => (Effect::Cap, Some(c)),
            (None, Some(f)) => (Effect::Floor, Some(f)),
            (None, None) => (Effect::Risk, None),
        }
    }

    /// `rec` with this gate applied (it has fired): held at most at its cap, or at
    /// least at its floor. A recommendation off the ladder, and a gate that only
    /// warns, leave it as it is.
    pub fn apply(&self, rec: Band) -> Band {
        if !rec.on_ladder() {
            return rec;
        }
        match (self.cap, self.floor) {
            (Some(to), _) if to.on_ladder() => rec.min(to),
            (None, Some(to)) if to.on_ladder() => rec.max(to),
            _ => rec,
        }
    }

    /// The gate's test as a condition.
    pub fn condition(&self) -> Condition {
        Condition {
            question: self.question.clone(),
            factor: self.factor.clone(),
            axis: self.axis.clone(),
            below: self.below,
            at_least: self.at_least,
            is: self.is.clone(),
        }
    }

    /// A cap that fires below a threshold, or a floor that fires from one: a gate
    /// that pulls the result the way its score goes (a higher score never lowers
    /// the recommendation through it).
    pub fn pulls_with_score(&self) -> bool {
        match self.effect().0 {
            Effect::Cap => self.below.is_some(),
            Effect::Floor => self.below.is_none() && self.at_least.is_some(),
            Effect::Risk => true,
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
            Band::Pmo | Band::None => &self.pmo,
            Band::Hybrid | Band::Both | Band::Federated => &self.hybrid,
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

    /// The conditions under which the step is hidden (any of them); empty when
    /// it is always shown.
    pub fn unless(&self) -> &[Condition] {
        match self {
            NextStep::Always(_) => &[],
            NextStep::Unless(c) => c.unless.conditions(),
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
    /// When this holds for a sheet (or any of a list), the step is not shown.
    pub unless: Unless,
}

/// A test on one question's answer or one factor's score: exactly one of
/// `question`/`factor` and one of `below`/`at-least`. An unanswered question or
/// factor never meets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(extend("allOf" = [
    {"oneOf": [{"required": ["factor"]}, {"required": ["question"]}, {"required": ["axis"]}]},
    {"oneOf": [{"required": ["below"]}, {"required": ["at-least"]}, {"required": ["is"]}]}
]))]
pub struct Condition {
    /// The question whose answer's score (or, with `is`, its option) is tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The factor whose score is tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<String>,
    /// The axis whose score is tested (format 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub axis: Option<String>,
    /// Holds when the score is below this.
    #[schemars(range(min = 0.0, max = 100.0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// Holds when the score is at least this.
    #[schemars(range(min = 0.0, max = 100.0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Holds when the question is answered with one of these option ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<Vec<String>>,
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
    /// The score of a question's chosen option (or, for `is`, the option).
    Question(usize),
    /// An axis's score.
    Axis(usize),
}

/// What a resolved condition tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Below(f64),
    AtLeast(f64),
    /// The chosen option is one of these.
    Is(Vec<usize>),
}

/// A condition of a gate, an `unless`, an outcome rule, an office type or a
/// variant, resolved to indexes. Something unanswered never meets it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cond {
    pub target: Target,
    pub test: Test,
}

impl Cond {
    /// Whether it holds for the score of its target and (for `is`) the chosen
    /// option of its question.
    pub fn holds(&self, score: Option<f64>, choice: Option<usize>) -> bool {
        match &self.test {
            Test::Below(b) => score.is_some_and(|s| !reaches(s, *b)),
            Test::AtLeast(a) => score.is_some_and(|s| reaches(s, *a)),
            Test::Is(list) => choice.is_some_and(|c| list.contains(&c)),
        }
    }

    /// Its threshold, when it tests a score.
    pub fn threshold(&self) -> Option<f64> {
        match self.test {
            Test::Below(t) | Test::AtLeast(t) => Some(t),
            Test::Is(_) => None,
        }
    }
}

/// One member of an axis, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Member {
    /// A factor or a question.
    pub target: Target,
    pub weight: f64,
    pub reverse: bool,
}

/// An outcome rule, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleAt {
    pub when: Vec<Cond>,
    pub when_any: Vec<Cond>,
    /// The rule whose result and texts apply (itself, or its `same-as`).
    pub result: usize,
    /// The office it names: a type (`Ok`) or a kind to choose among (`Err`).
    pub office: Option<Result<usize, OfficeKind>>,
    pub also: Option<Result<usize, OfficeKind>>,
}

/// An office type's conditions, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficeAt {
    pub when: Vec<Cond>,
    pub when_any: Vec<Cond>,
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
    /// For each question, the index of its factor (`None`: a context question).
    question_factor: Vec<Option<usize>>,
    /// For each gate, what it reads.
    gate_target: Vec<Target>,
    /// For each gate, its test.
    gate_cond: Vec<Cond>,
    /// Each axis's members.
    axes: Vec<Vec<Member>>,
    /// Each outcome rule, resolved (format 3).
    rules: Vec<RuleAt>,
    /// Each office type's conditions.
    offices: Vec<OfficeAt>,
    /// The question that says which office exists, and per option the office
    /// types it says exist.
    existing: Option<(usize, Vec<Vec<usize>>)>,
    question_index: HashMap<String, usize>,
    factor_index: HashMap<String, usize>,
    axis_index: HashMap<String, usize>,
    /// Questions per factor, counted once (scoring reports it for every sheet).
    per_factor: Vec<usize>,
    /// Each factor's questions, in rubric order (the flip rescores one factor).
    factor_questions: Vec<Vec<usize>>,
    /// Per band of the ladder, each next step's `unless` conditions, resolved once
    /// here rather than by id for every sheet.
    step_conds: [Vec<Vec<Cond>>; 3],
    /// Each question's options ranked by score (the flip and the roadmap look them
    /// up for every sheet).
    ladders: Vec<Ladder>,
    /// Every condition the decision reads, in the order it reads them: each
    /// outcome rule's `when` then `when-any`, then each gate's.
    decision_conds: Vec<Cond>,
    /// Per outcome rule, the places of its `when` and its `when-any` in
    /// `decision_conds`; the gates' follow from `gates_from`.
    rule_slots: Vec<(Range<usize>, Range<usize>)>,
    gates_from: usize,
    /// Per question and rank, the levels (question, rank) the move up from that
    /// rank requires; unknown ids left out.
    level_needs: Vec<Vec<Vec<(usize, usize)>>>,
    /// Per office type and per outcome, the levels (question, rank) it needs.
    office_needs: Vec<Vec<(usize, usize)>>,
    outcome_needs: Vec<Vec<(usize, usize)>>,
    /// Per question, the places in `decision_conds` of the conditions whose
    /// figure moves with its answer: on the question, its factor, or an axis
    /// with either as a member.
    question_reads: Vec<Vec<usize>>,
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
    /// Per option, the option with the next lower score (the first in file order
    /// among equals); `None` for the bottom ones.
    down: Vec<Option<usize>>,
    /// The options by score, lowest first (file order among equals): the levels
    /// a plan climbs.
    ranked: Vec<usize>,
    /// Per option, its place in `ranked`.
    rank: Vec<usize>,
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
        let down = o
            .iter()
            .map(|now| {
                (o.iter().enumerate())
                    .filter(|(_, x)| x.score < now.score)
                    .max_by(|a, b| a.1.score.total_cmp(&b.1.score).then(b.0.cmp(&a.0)))
                    .map(|(i, _)| i)
            })
            .collect();
        let ranked = judgement::rank(q);
        let mut rank = vec![0; o.len()];
        for (k, &oi) in ranked.iter().enumerate() {
            rank[oi] = k;
        }
        Ladder {
            lowest,
            highest,
            up,
            down,
            ranked,
            rank,
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
        let factor_index: HashMap<String, usize> = (rubric.factor.iter().enumerate())
            .map(|(i, f)| (f.id.clone(), i))
            .collect();
        let question_factor: Vec<Option<usize>> = (rubric.question.iter())
            .map(|q| factor_index.get(q.factor.as_str()).copied())
            .collect();
        let question_index: HashMap<String, usize> = (rubric.question.iter().enumerate())
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        let axis_index: HashMap<String, usize> = (rubric.axis.iter().enumerate())
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let mut per_factor = vec![0; rubric.factor.len()];
        let mut factor_questions = vec![Vec::new(); rubric.factor.len()];
        for (qi, f) in question_factor.iter().enumerate() {
            if let Some(f) = *f {
                per_factor[f] += 1;
                factor_questions[f].push(qi);
            }
        }
        let mut loaded = LoadedRubric {
            rubric: ReadOnly(rubric),
            source,
            text,
            question_factor,
            gate_target: Vec::new(),
            gate_cond: Vec::new(),
            axes: Vec::new(),
            rules: Vec::new(),
            offices: Vec::new(),
            existing: None,
            question_index,
            factor_index,
            axis_index,
            per_factor,
            factor_questions,
            step_conds: Default::default(),
            ladders: Vec::new(),
            decision_conds: Vec::new(),
            rule_slots: Vec::new(),
            gates_from: 0,
            level_needs: Vec::new(),
            office_needs: Vec::new(),
            outcome_needs: Vec::new(),
            question_reads: Vec::new(),
        };
        let r = &loaded.rubric;
        loaded.gate_cond = r.gate.iter().map(|g| loaded.cond(&g.condition())).collect();
        loaded.gate_target = loaded.gate_cond.iter().map(|c| c.target).collect();
        loaded.axes = (r.axis.iter())
            .map(|a| {
                (a.member.iter())
                    .map(|m| Member {
                        target: match (&m.factor, &m.question) {
                            (Some(f), _) => Target::Factor(loaded.factor_index[f.as_str()]),
                            (None, q) => Target::Question(
                                loaded.question_index[q.as_deref().unwrap_or_default()],
                            ),
                        },
                        weight: m.weight,
                        reverse: m.reverse,
                    })
                    .collect()
            })
            .collect();
        loaded.index_judgement();
        let r = &loaded.rubric;
        if let Some(recs) = &r.recommendation {
            loaded.step_conds = Band::LADDER.map(|band| {
                (recs.get(band).next_steps.iter())
                    .map(|s| loaded.conds(s.unless()))
                    .collect()
            });
        }
        loaded.ladders = r.question.iter().map(Ladder::of).collect();
        loaded.index_decision();
        loaded.index_needs();
        loaded
    }

    /// The conditions the decision reads, in one list, with the places of each
    /// rule's and gate's and of those each question's answer moves.
    fn index_decision(&mut self) {
        let mut at = 0;
        self.rule_slots = (self.rules.iter())
            .map(|rule| {
                let when = at..at + rule.when.len();
                let any = when.end..when.end + rule.when_any.len();
                at = any.end;
                (when, any)
            })
            .collect();
        self.gates_from = at;
        self.decision_conds = (self.rules.iter())
            .flat_map(|rule| rule.when.iter().chain(&rule.when_any))
            .chain(&self.gate_cond)
            .cloned()
            .collect();
        self.question_reads = (0..self.rubric.question.len())
            .map(|qi| {
                let moves = |t: Target| {
                    t == Target::Question(qi)
                        || self.question_factor[qi].is_some_and(|f| t == Target::Factor(f))
                };
                (self.decision_conds.iter().enumerate())
                    .filter(|(_, c)| match c.target {
                        Target::Axis(ai) => self.axes[ai].iter().any(|m| moves(m.target)),
                        t => moves(t),
                    })
                    .map(|(slot, _)| slot)
                    .collect()
            })
            .collect();
    }

    /// The plan's requirements, each resolved to a question and the rank of the
    /// level it names.
    fn index_needs(&mut self) {
        let resolve = |reqs: &[Requirement]| -> Vec<(usize, usize)> {
            reqs.iter().filter_map(|req| self.reach(req)).collect()
        };
        let r = &self.rubric;
        let level_needs = (r.question.iter().enumerate())
            .map(|(qi, q)| {
                (self.ladders[qi].ranked.iter())
                    .map(|&oi| resolve(&q.option[oi].requires))
                    .collect()
            })
            .collect();
        let office_needs = r.office.iter().map(|o| resolve(&o.needs)).collect();
        let outcome_needs = r.outcome.iter().map(|o| resolve(&o.needs)).collect();
        self.level_needs = level_needs;
        self.office_needs = office_needs;
        self.outcome_needs = outcome_needs;
    }

    /// The question and the rank of the level a requirement names; `None` for an
    /// unknown id.
    pub(crate) fn reach(&self, req: &Requirement) -> Option<(usize, usize)> {
        let qi = self.question(&req.question)?;
        let oi = (self.rubric.question[qi].option.iter()).position(|o| o.id == req.reaches)?;
        Some((qi, self.rank(qi, oi)?))
    }

    /// The levels (question, rank) the move up from rank `k` of question `qi`
    /// requires.
    pub(crate) fn level_needs(&self, qi: usize, k: usize) -> &[(usize, usize)] {
        &self.level_needs[qi][k]
    }

    /// The levels (question, rank) office type `oi` needs.
    pub(crate) fn office_needs(&self, oi: usize) -> &[(usize, usize)] {
        &self.office_needs[oi]
    }

    /// The levels (question, rank) outcome `i` needs.
    pub(crate) fn outcome_needs(&self, i: usize) -> &[(usize, usize)] {
        &self.outcome_needs[i]
    }

    /// The look-ups of format 3: office types' conditions, outcome rules and which
    /// offices each answer to the existing-office question says exist.
    fn index_judgement(&mut self) {
        let loaded = &*self;
        let r = &loaded.rubric;
        let offices = (r.office.iter())
            .map(|o| OfficeAt {
                when: loaded.conds(&o.when),
                when_any: loaded.conds(&o.when_any),
            })
            .collect();
        let office_ref = |x: &Option<String>| {
            x.as_deref()
                .map(|x| match r.office.iter().position(|o| o.id == x) {
                    Some(i) => Ok(i),
                    None => Err(OfficeKind::parse(x).unwrap_or(OfficeKind::Pmo)),
                })
        };
        let rules = (r.outcome.iter())
            .map(|o| {
                let result = (o.same_as.as_deref())
                    .and_then(|id| r.outcome.iter().position(|x| x.id == id))
                    .unwrap_or_else(|| r.outcome.iter().position(|x| x.id == o.id).unwrap_or(0));
                let base = &r.outcome[result];
                RuleAt {
                    when: loaded.conds(&o.when),
                    when_any: loaded.conds(&o.when_any),
                    result,
                    office: office_ref(&base.office),
                    also: office_ref(&base.also),
                }
            })
            .collect();
        let existing = (r.scoring.existing_office.as_deref())
            .and_then(|q| loaded.question(q))
            .map(|qi| {
                let per_option = (r.question[qi].option.iter())
                    .map(|o| {
                        (o.office.iter().flatten())
                            .filter_map(|id| r.office.iter().position(|x| &x.id == id))
                            .collect()
                    })
                    .collect();
                (qi, per_option)
            });
        self.offices = offices;
        self.rules = rules;
        self.existing = existing;
    }

    /// A validated condition, resolved.
    pub fn cond(&self, c: &Condition) -> Cond {
        let target = if let Some(f) = &c.factor {
            Target::Factor(self.factor_index.get(f.as_str()).copied().unwrap_or(0))
        } else if let Some(a) = &c.axis {
            Target::Axis(self.axis_index.get(a.as_str()).copied().unwrap_or(0))
        } else {
            Target::Question(
                self.question(c.question.as_deref().unwrap_or_default())
                    .unwrap_or(0),
            )
        };
        let test = match (c.below, c.at_least, &c.is) {
            (Some(b), ..) => Test::Below(b),
            (None, Some(a), _) => Test::AtLeast(a),
            (None, None, is) => Test::Is(match target {
                Target::Question(qi) => (is.iter().flatten())
                    .filter_map(|id| {
                        self.rubric.question[qi]
                            .option
                            .iter()
                            .position(|o| &o.id == id)
                    })
                    .collect(),
                _ => Vec::new(),
            }),
        };
        Cond { target, test }
    }

    /// Validated conditions, resolved.
    pub fn conds(&self, list: &[Condition]) -> Vec<Cond> {
        list.iter().map(|c| self.cond(c)).collect()
    }

    /// Whether outcome rules decide (format 3), rather than the index's band.
    pub fn has_outcomes(&self) -> bool {
        !self.rules.is_empty()
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

    /// For each question, the index of its factor (`None`: a context question).
    pub fn question_factors(&self) -> &[Option<usize>] {
        &self.question_factor
    }

    /// For each gate, what it reads.
    pub fn gate_targets(&self) -> &[Target] {
        &self.gate_target
    }

    /// For each gate, its condition, resolved.
    pub(crate) fn gate_conds(&self) -> &[Cond] {
        &self.gate_cond
    }

    /// Each axis's members, resolved.
    pub(crate) fn axis_members(&self) -> &[Vec<Member>] {
        &self.axes
    }

    /// Each outcome rule, resolved (format 3; empty before).
    pub(crate) fn rules(&self) -> &[RuleAt] {
        &self.rules
    }

    /// Each office type's conditions, resolved.
    pub(crate) fn offices(&self) -> &[OfficeAt] {
        &self.offices
    }

    /// The question that says which office exists, and per option the office
    /// types it says exist (format 3, where the rubric names one).
    pub(crate) fn existing(&self) -> Option<&(usize, Vec<Vec<usize>>)> {
        self.existing.as_ref()
    }

    /// The index of a question by id.
    pub fn question(&self, id: &str) -> Option<usize> {
        self.question_index.get(id).copied()
    }

    /// The index of a factor by id.
    pub fn factor(&self, id: &str) -> Option<usize> {
        self.factor_index.get(id).copied()
    }

    /// The index of an axis by id.
    pub fn axis(&self, id: &str) -> Option<usize> {
        self.axis_index.get(id).copied()
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

    /// The option of question `qi` with the next lower score than option `oi` (the
    /// first in file order among equals), if any.
    pub fn next_down(&self, qi: usize, oi: usize) -> Option<usize> {
        self.ladders[qi].down[oi]
    }

    /// Question `qi`'s options by score, lowest first (file order among equals).
    pub(crate) fn ranked(&self, qi: usize) -> &[usize] {
        &self.ladders[qi].ranked
    }

    /// The place of option `oi` in [`Self::ranked`] of question `qi`.
    pub(crate) fn rank(&self, qi: usize, oi: usize) -> Option<usize> {
        self.ladders[qi].rank.get(oi).copied()
    }

    /// Every condition the decision reads: each outcome rule's `when` then
    /// `when-any`, in rule order, then each gate's.
    pub(crate) fn decision_conds(&self) -> &[Cond] {
        &self.decision_conds
    }

    /// The places in [`Self::decision_conds`] of outcome rule `ri`'s `when` and
    /// `when-any`.
    pub(crate) fn rule_slots(&self, ri: usize) -> (Range<usize>, Range<usize>) {
        self.rule_slots[ri].clone()
    }

    /// The place in [`Self::decision_conds`] of gate `gi`'s condition.
    pub(crate) fn gate_slot(&self, gi: usize) -> usize {
        self.gates_from + gi
    }

    /// The places in [`Self::decision_conds`] of the conditions whose figure
    /// moves with question `qi`'s answer.
    pub(crate) fn question_reads(&self, qi: usize) -> &[usize] {
        &self.question_reads[qi]
    }

    /// The questions of factor `fi`, in rubric order.
    pub fn questions_of(&self, fi: usize) -> &[usize] {
        &self.factor_questions[fi]
    }

    /// The `unless` conditions of next step `i` of `band`'s recommendation
    /// (format 2; resolved when the rubric is loaded); empty for a step without.
    pub fn step_conds(&self, band: Band, i: usize) -> &[Cond] {
        (Band::LADDER.iter().position(|&b| b == band))
            .and_then(|k| self.step_conds[k].get(i))
            .map_or(&[], |v| v.as_slice())
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

/// The ids a rubric declares, by kind, for the checks that follow references.
pub(crate) struct Names<'a> {
    pub(crate) factors: HashMap<&'a str, usize>,
    pub(crate) questions: HashMap<&'a str, usize>,
    pub(crate) axes: HashMap<&'a str, usize>,
    pub(crate) rubric: &'a Rubric,
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
        let axes = self
            .axis
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let names = Names {
            factors,
            questions,
            axes,
            rubric: self,
        };
        self.validate_gates(&mut out, &names);
        self.validate_next_steps(&mut out, &names);
        judgement::validate(self, &names, &mut out);
        out
    }

    /// `next-steps` of `[recommendation]`: each `unless` names one known question or
    /// factor and one threshold.
    fn validate_next_steps(&self, out: &mut Vec<Problem>, names: &Names) {
        let Some(recs) = &self.recommendation else {
            if self.outcome.is_empty() {
                out.push((vec![], false, RubricFault::NoRecommendations));
            }
            return;
        };
        for band in Band::LADDER {
            let steps = &recs.get(band).next_steps;
            let p = vec![
                Seg::Key("recommendation".into()),
                Seg::Key(band.id().into()),
                Seg::Key("next-steps".into()),
            ];
            check_steps(out, &p, steps, names, |n| Rule::NextStep {
                band: band.id(),
                n,
            });
        }
    }

    /// `[scoring]`: both thresholds are scores, and the bands are in order.
    fn validate_scoring(&self, out: &mut Vec<Problem>) {
        let s = &self.scoring;
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

    /// `[[question]]`: ids, factor (none for a context question), weight and
    /// options. Returns how many questions each factor has, so that a factor with
    /// none can be reported.
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
            let question = q.id.clone();
            if q.kind == QuestionKind::Context {
                if !q.factor.is_empty() {
                    out.push((
                        key(&p, "factor"),
                        true,
                        RubricFault::ContextWithFactor { question },
                    ));
                }
            } else if q.factor.is_empty() {
                out.push((
                    key(&p, "id"),
                    false,
                    RubricFault::NoFactorNamed { question },
                ));
            } else {
                match factors.get(q.factor.as_str()) {
                    Some(&f) => per_factor[f] += 1,
                    None => out.push((
                        key(&p, "factor"),
                        false,
                        RubricFault::UnknownFactor {
                            question,
                            factor: q.factor.clone(),
                        },
                    )),
                }
            }
            check_weight(out, key(&p, "weight"), q.weight);
            validate_options(out, q, &p);
        }
        per_factor
    }

    /// `[[gate]]`: ids, exactly one target (a known factor, question or axis),
    /// exactly one test and at most one effect (none only where outcome rules
    /// decide: a gate that only warns).
    fn validate_gates(&self, out: &mut Vec<Problem>, names: &Names) {
        let mut gates = HashMap::new();
        for (i, g) in self.gate.iter().enumerate() {
            let p = at("gate", i);
            check_id(out, key(&p, "id"), &g.id, Item::Gate);
            check_unique(out, &mut gates, &g.id, i, key(&p, "id"), Item::Gate);
            let rule = Rule::Gate { id: g.id.clone() };
            check_cond(out, &p, &rule, &g.condition(), names);
            let gate = g.id.clone();
            match (g.cap, g.floor) {
                (Some(_), Some(_)) => {
                    out.push((key(&p, "floor"), true, RubricFault::CapAndFloor { gate }));
                }
                (None, None) if self.outcome.is_empty() => {
                    out.push((key(&p, "id"), false, RubricFault::NoEffect { gate }))
                }
                _ => {}
            }
        }
    }
}

/// The `next-steps` at `p`: each `unless` condition sound.
pub(crate) fn check_steps(
    out: &mut Vec<Problem>,
    p: &[Seg],
    steps: &[NextStep],
    names: &Names,
    rule: impl Fn(usize) -> Rule,
) {
    for (i, step) in steps.iter().enumerate() {
        let NextStep::Unless(c) = step else { continue };
        let mut sp = p.to_vec();
        sp.push(Seg::Index(i));
        sp.push(Seg::Key("unless".into()));
        match &c.unless {
            Unless::One(cond) => check_cond(out, &sp, &rule(i + 1), cond, names),
            Unless::Any(list) => {
                for (j, cond) in list.iter().enumerate() {
                    let mut cp = sp.clone();
                    cp.push(Seg::Index(j));
                    check_cond(out, &cp, &rule(i + 1), cond, names);
                }
            }
        }
    }
}

/// Where a missing key of the table at `p` is reported: a gate's `id`, or the
/// table itself.
fn anchor(p: &[Seg]) -> Vec<Seg> {
    if matches!(p.first(), Some(Seg::Key(k)) if k == "gate") {
        key(p, "id")
    } else {
        p.to_vec()
    }
}

/// One condition at `p` (of a gate, an `unless`, an outcome, an office or a
/// variant): exactly one target (`factor`, `question` or `axis`, naming one that
/// exists) and exactly one test (`below` or `at-least` within 0..=100, or `is`
/// with option ids of its question).
pub(crate) fn check_cond(
    out: &mut Vec<Problem>,
    p: &[Seg],
    rule: &Rule,
    c: &Condition,
    names: &Names,
) {
    let r = rule.clone();
    let targets = [c.factor.is_some(), c.question.is_some(), c.axis.is_some()];
    match targets.iter().filter(|&&t| t).count() {
        0 => out.push((anchor(p), false, RubricFault::NoTarget { rule: r.clone() })),
        1 => {
            if let Some(f) = &c.factor
                && !names.factors.contains_key(f.as_str())
            {
                out.push((
                    key(p, "factor"),
                    false,
                    RubricFault::UnknownTargetFactor {
                        rule: r.clone(),
                        factor: f.clone(),
                    },
                ));
            }
            if let Some(q) = &c.question
                && !names.questions.contains_key(q.as_str())
            {
                out.push((
                    key(p, "question"),
                    false,
                    RubricFault::UnknownTargetQuestion {
                        rule: r.clone(),
                        question: q.clone(),
                    },
                ));
            }
            if let Some(a) = &c.axis
                && !names.axes.contains_key(a.as_str())
            {
                out.push((
                    key(p, "axis"),
                    false,
                    RubricFault::UnknownTargetAxis {
                        rule: r.clone(),
                        axis: a.clone(),
                    },
                ));
            }
        }
        _ => {
            let second = if c.question.is_some() && c.factor.is_some() {
                "question"
            } else {
                "axis"
            };
            out.push((
                key(p, second),
                true,
                RubricFault::BothTargets { rule: r.clone() },
            ))
        }
    }
    let tests = [c.below.is_some(), c.at_least.is_some(), c.is.is_some()];
    match (tests.iter().filter(|&&t| t).count(), c.below, c.at_least) {
        (0, ..) => out.push((
            anchor(p),
            false,
            RubricFault::NoCondition { rule: rule.clone() },
        )),
        (1, Some(v), _) => check_score(out, key(p, "below"), v, "below"),
        (1, _, Some(v)) => check_score(out, key(p, "at-least"), v, "at-least"),
        (1, None, None) => check_is(out, p, rule, c, names),
        _ => out.push((
            key(p, if c.is.is_some() { "is" } else { "at-least" }),
            true,
            RubricFault::BothConditions { rule: rule.clone() },
        )),
    }
}

/// An `is` test: on a question, naming its options.
fn check_is(out: &mut Vec<Problem>, p: &[Seg], rule: &Rule, c: &Condition, names: &Names) {
    let Some(q) = &c.question else {
        if c.factor.is_some() || c.axis.is_some() {
            let rule = rule.clone();
            out.push((key(p, "is"), true, RubricFault::IsWithoutQuestion { rule }));
        }
        return;
    };
    let Some(&qi) = names.questions.get(q.as_str()) else {
        return;
    };
    let question = &names.rubric.question[qi];
    for o in c.is.iter().flatten() {
        if !question.option.iter().any(|x| &x.id == o) {
            out.push((
                key(p, "is"),
                false,
                RubricFault::UnknownIsOption {
                    rule: rule.clone(),
                    question: q.clone(),
                    option: o.clone(),
                },
            ));
        }
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
        if o.id == DONT_KNOW {
            let question = q.id.clone();
            out.push((
                key(&op, "id"),
                false,
                RubricFault::ReservedOptionId { question },
            ));
        }
        let (question, option) = (q.id.clone(), o.id.clone());
        match (q.kind == QuestionKind::Context, o.score.is_nan()) {
            (true, true) => {}
            (true, false) => out.push((
                key(&op, "score"),
                true,
                RubricFault::ContextScore { question, option },
            )),
            (false, true) => out.push((
                key(&op, "id"),
                false,
                RubricFault::NoScore { question, option },
            )),
            (false, false) => check_score(out, key(&op, "score"), o.score, "score"),
        }
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
        // Compared as written out: a context question's options have no score
        // (NaN), which equals nothing, itself included.
        assert_eq!(format!("{:?}", *again.rubric), format!("{rubric:?}"));
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
            ..Default::default()
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
        let r = crate::testing::v2();
        let steps = &r.rubric.recommendation.as_ref().unwrap().pmo.next_steps;
        assert!(matches!(steps[0], NextStep::Always(_)));
        let c = (steps.iter()).find_map(|s| s.unless().first()).unwrap();
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
