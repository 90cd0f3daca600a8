//! The scoring model of contract section 3, written once. A sheet's answers become
//! factor scores and an index ([`Outcome`]); figures become a recommendation in one
//! function, [`decide`]: the band of the index, then the gates in file order, and
//! the margin. Everything derived asks the model rather than restating it: the flip
//! and the roadmap through its fast form ([`Outcome::with_answer`],
//! [`Outcome::change`], bit for bit what [`Outcome::of`] gives for the changed
//! answers), a group ([`crate::workshop`]) through [`decide`] on its means. A new
//! scoring rule or kind of gate changes this file only. Pure: data in, data out,
//! no I/O.

use serde::Serialize;

use crate::rubric::{Band, Cond, Effect, LoadedRubric, OfficeKind, Scoring, Target};

/// A factor's result on one sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorScore<'r> {
    #[serde(serialize_with = "crate::json_text::text")]
    pub(crate) id: &'r str,
    /// Weighted mean of the answered questions' scores; `None` when none is answered.
    pub score: Option<f64>,
    pub(crate) weight: f64,
    pub(crate) answered: usize,
    pub(crate) questions: usize,
    /// The band the score falls in by the rubric's boundaries (how it leans).
    #[serde(skip)]
    pub(crate) leaning: Option<Band>,
}

/// A gate that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiredGate<'r> {
    #[serde(serialize_with = "crate::json_text::text")]
    /// Gate id.
    pub id: &'r str,
    /// Whether it caps, floors or only warns.
    pub effect: Effect,
    /// The band it caps or floors at; `None` for a gate that only warns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Band>,
    /// Whether it changed the result it was applied to (gates apply in file order).
    pub changed: bool,
}

/// A factor with too few answers for a firm result (contract section 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall<'r> {
    /// Factor id.
    #[serde(serialize_with = "crate::json_text::text")]
    pub(crate) factor: &'r str,
    pub(crate) answered: usize,
    /// ceil(min-answered x the factor's questions).
    pub(crate) needed: usize,
}

/// An axis's score on one sheet (format 3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AxisScore<'r> {
    /// The axis's id.
    #[serde(serialize_with = "crate::json_text::text")]
    pub id: &'r str,
    /// `None` when none of its members is answered.
    pub score: Option<f64>,
}

/// What to do with the office that exists today (format 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// No office exists (or one was closed): set one up.
    Build,
    /// An office exists, but its type or remit must change.
    Evolve,
    /// The office that exists is the one recommended.
    Keep,
}

/// The office type recommended, and what to do about the one that exists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficeView<'r> {
    /// The office type's id.
    #[serde(rename = "type", serialize_with = "crate::json_text::text")]
    pub type_: &'r str,
    /// PMO, VMO or a hybrid office.
    pub kind: OfficeKind,
    /// `None` when the sheet does not say which office exists (or recommends no
    /// office).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// For `both`: the second office.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub also: Option<Box<OfficeView<'r>>>,
}

/// A gate that fired without changing the result: a risk to the recommended
/// office, with its message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk<'r> {
    /// The gate's id.
    #[serde(serialize_with = "crate::json_text::text")]
    pub id: &'r str,
    /// The gate's message.
    #[serde(serialize_with = "crate::json_text::text")]
    pub message: &'r str,
}

/// What a format-3 margin is measured on: the axis, factor or question whose
/// score is nearest a threshold that would change the outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarginOn<'r> {
    /// `axis`, `factor` or `question`.
    pub on: &'static str,
    /// Its id.
    #[serde(serialize_with = "crate::json_text::text")]
    pub id: &'r str,
    /// The score at which the outcome would change.
    pub threshold: f64,
}

/// The result of scoring one sheet, with the rubric's ids.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation<'r> {
    /// After gates.
    pub recommendation: Band,
    /// Before gates.
    pub band: Band,
    /// The weighted mean of the answered factors' scores, 0..=100.
    pub index: f64,
    /// Distance in index points from the index to the nearest band boundary.
    pub margin: f64,
    /// How many questions were answered.
    pub answered: usize,
    /// How many questions count towards the coverage (context questions do not).
    pub questions: usize,
    /// Each factor's score, in rubric order.
    pub factors: Vec<FactorScore<'r>>,
    /// Ids of the unanswered questions, in rubric order.
    #[serde(serialize_with = "crate::json_text::list")]
    pub unanswered: Vec<&'r str>,
    /// The gates that fired, in file order.
    pub gates: Vec<FiredGate<'r>>,
    /// Some factor has fewer answers than `min-answered` asks: not a firm result.
    pub provisional: bool,
    /// The factors below `min-answered`, in rubric order; empty when firm.
    pub shortfalls: Vec<Shortfall<'r>>,
    /// Format 3: the outcome rule that decided.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::json_text::option"
    )]
    pub outcome: Option<&'r str>,
    /// Format 3: the office type recommended and the action on the one that exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office: Option<OfficeView<'r>>,
    /// Format 3: the axes' scores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub axes: Vec<AxisScore<'r>>,
    /// Format 3: what the margin is measured on.
    #[serde(rename = "margin-on", skip_serializing_if = "Option::is_none")]
    pub margin_on: Option<MarginOn<'r>>,
    /// The gates that fired without changing the result, with their messages.
    pub risks: Vec<Risk<'r>>,
}

/// Why a sheet could not be scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NothingAnswered;

impl std::fmt::Display for NothingAnswered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no question is answered, so there is nothing to score")
    }
}

impl std::error::Error for NothingAnswered {}

/// A sheet that cannot be scored is an input error of this kind.
impl From<NothingAnswered> for crate::diag::Fault {
    fn from(_: NothingAnswered) -> Self {
        crate::diag::SheetFault::NothingAnswered.into()
    }
}

pub(crate) use crate::rubric::reaches;

/// The band of an index (or of a factor's score: how it leans) under the rubric's
/// boundaries.
#[inline]
pub fn band_of(scoring: &Scoring, index: f64) -> Band {
    if !reaches(index, scoring.hybrid_from) {
        Band::Pmo
    } else if !reaches(index, scoring.vmo_from) {
        Band::Hybrid
    } else {
        Band::Vmo
    }
}

/// Distance from the index to the nearest boundary of its band (before gates).
/// Never negative: an index a rounding error short of a boundary is on it.
#[inline]
pub(crate) fn margin_of(scoring: &Scoring, index: f64) -> f64 {
    let m = match band_of(scoring, index) {
        Band::Pmo => scoring.hybrid_from - index,
        Band::Vmo => index - scoring.vmo_from,
        Band::Hybrid => (index - scoring.hybrid_from).min(scoring.vmo_from - index),
        Band::None | Band::Both | Band::Federated => 0.0,
    };
    m.max(0.0)
}

/// What a set of figures decides: the recommendation and how it was reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// The index (format 2's one line; format 3 reports it beside the axes).
    pub index: f64,
    /// Before gates: the band of the index, or (format 3) the outcome rule's.
    pub band: Band,
    /// After gates.
    pub recommendation: Band,
    /// Format 2: the distance from the index to the nearest boundary of its band.
    /// Format 3: the distance, in points of what it reads, to the nearest
    /// condition that would change the outcome (100 when no score can).
    pub margin: f64,
    /// Format 3: what the margin is measured on, and the threshold.
    pub margin_on: Option<(Target, f64)>,
    /// Format 3: the outcome rule that decided (by index).
    pub rule: Option<usize>,
    /// Format 3: the office type recommended (by index).
    pub office: Option<usize>,
    /// Format 3: the second office type of `both` (by index).
    pub also: Option<usize>,
}

/// What a decision reads on a sheet, a sheet with an answer changed, or a group:
/// the factors' and the answers' scores, and the chosen options (for `is`).
pub trait Figures {
    /// Factor `fi`'s score; `None` when unanswered.
    fn factor(&self, fi: usize) -> Option<f64>;
    /// Question `qi`'s answer score; `None` when unanswered (or a context question).
    fn question(&self, qi: usize) -> Option<f64>;
    /// Question `qi`'s chosen option.
    fn choice(&self, qi: usize) -> Option<usize>;
    /// Whether the condition at `at` among [`LoadedRubric::decision_conds`] holds
    /// on these figures.
    fn decides(&self, rubric: &LoadedRubric, at: usize) -> bool {
        holds(rubric, self, &rubric.decision_conds()[at])
    }
}

/// The score `target` reads on `f`: a factor's, an answer's, or an axis's (the
/// weighted mean of its answered members).
pub fn read<F: Figures + ?Sized>(rubric: &LoadedRubric, f: &F, target: Target) -> Option<f64> {
    match target {
        Target::Factor(fi) => f.factor(fi),
        Target::Question(qi) => f.question(qi),
        Target::Axis(ai) => {
            let mut sums = Sums::default();
            for m in &rubric.axis_members()[ai] {
                let score = match m.target {
                    Target::Factor(fi) => f.factor(fi),
                    Target::Question(qi) => f.question(qi),
                    Target::Axis(_) => None,
                };
                if let Some(s) = score {
                    let s = if m.reverse { 100.0 - s } else { s };
                    sums.add((m.weight * s, m.weight));
                }
            }
            sums.mean()
        }
    }
}

/// Whether a resolved condition holds on `f`.
pub fn holds<F: Figures + ?Sized>(rubric: &LoadedRubric, f: &F, c: &Cond) -> bool {
    let choice = match c.target {
        Target::Question(qi) => f.choice(qi),
        _ => None,
    };
    c.holds(read(rubric, f, c.target), choice)
}

/// Whether all of `when` and (when given) one of `any` hold.
fn all_and_any<F: Figures + ?Sized>(
    rubric: &LoadedRubric,
    f: &F,
    when: &[Cond],
    any: &[Cond],
) -> bool {
    when.iter().all(|c| holds(rubric, f, c))
        && (any.is_empty() || any.iter().any(|c| holds(rubric, f, c)))
}

/// The first half of [`decide`]: the outcome rule (format 3) or the index's band,
/// then the gates; no margin and no office type.
struct Ruled {
    rule: Option<usize>,
    band: Band,
    recommendation: Band,
    /// The first gate that changed the result.
    changing: Option<usize>,
}

fn rule_and_gates<F: Figures + ?Sized>(
    rubric: &LoadedRubric,
    index: f64,
    figures: &F,
    mut fired: impl FnMut(usize, bool),
) -> Ruled {
    let rule = rubric.has_outcomes().then(|| {
        (0..rubric.rules().len())
            .position(|ri| {
                let (mut when, mut any) = rubric.rule_slots(ri);
                when.all(|at| figures.decides(rubric, at))
                    && (any.is_empty() || any.any(|at| figures.decides(rubric, at)))
            })
            .unwrap_or(rubric.rules().len() - 1)
    });
    let band = match rule {
        Some(ri) => rubric.rubric.outcome[rubric.rules()[ri].result]
            .recommendation
            .unwrap_or(Band::Pmo),
        None => band_of(&rubric.rubric.scoring, index),
    };
    let mut recommendation = band;
    let mut changing: Option<usize> = None;
    for (gi, g) in rubric.rubric.gate.iter().enumerate() {
        if (g.for_.is_empty() || g.for_.contains(&band))
            && figures.decides(rubric, rubric.gate_slot(gi))
        {
            let before = recommendation;
            recommendation = g.apply(recommendation);
            if recommendation != before {
                changing.get_or_insert(gi);
            }
            fired(gi, recommendation != before);
        }
    }
    Ruled {
        rule,
        band,
        recommendation,
        changing,
    }
}

/// How figures become a recommendation, for a sheet, a sheet with an answer
/// changed, a group and a group with a mean moved alike. Format 2: the band of
/// `index`. Format 3: the first outcome rule that holds, with its office types.
/// Then every gate in file order that holds (and applies to the band: `for`) caps
/// or floors it, and the margin. `fired` hears of each gate that fired, with
/// whether it changed the result it was applied to.
pub fn decide<F: Figures + ?Sized>(
    rubric: &LoadedRubric,
    index: f64,
    figures: &F,
    fired: impl FnMut(usize, bool),
) -> Decision {
    let scoring = &rubric.rubric.scoring;
    let Ruled {
        rule,
        band,
        recommendation,
        changing,
    } = rule_and_gates(rubric, index, figures, fired);
    let (margin, margin_on) = match rule {
        None => (margin_of(scoring, index), None),
        Some(ri) => match changing {
            Some(gi) => distance_to_leave(
                rubric,
                figures,
                std::slice::from_ref(&rubric.gate_conds()[gi]),
                &[],
            ),
            None => rule_margin(rubric, figures, ri),
        },
    };
    let office_of = |spec| rule.and_then(|_| choose_office(rubric, figures, spec));
    Decision {
        index,
        band,
        recommendation,
        margin,
        margin_on,
        rule,
        office: rule.and_then(|ri| office_of(rubric.rules()[ri].office)),
        also: rule.and_then(|ri| office_of(rubric.rules()[ri].also)),
    }
}

/// The office type an outcome names: that type, or the first of its kind whose
/// conditions hold (else the last of the kind).
fn choose_office<F: Figures + ?Sized>(
    rubric: &LoadedRubric,
    f: &F,
    spec: Option<Result<usize, OfficeKind>>,
) -> Option<usize> {
    match spec? {
        Ok(i) => Some(i),
        Err(kind) => {
            let of_kind =
                || (rubric.rubric.office.iter().enumerate()).filter(move |(_, o)| o.kind == kind);
            of_kind()
                .find(|&(i, _)| {
                    let o = &rubric.offices()[i];
                    all_and_any(rubric, f, &o.when, &o.when_any)
                })
                .or_else(|| of_kind().next_back())
                .map(|(i, _)| i)
        }
    }
}

/// How far the score a numeric condition reads is from changing whether it holds;
/// `None` for an `is` test or something unanswered (no score moves it).
fn distance<F: Figures + ?Sized>(
    rubric: &LoadedRubric,
    f: &F,
    c: &Cond,
) -> Option<(f64, (Target, f64))> {
    let t = c.threshold()?;
    let score = read(rubric, f, c.target)?;
    Some(((score - t).abs(), (c.target, t)))
}

/// The nearest (least) of some distances.
fn nearest(
    a: Option<(f64, (Target, f64))>,
    b: Option<(f64, (Target, f64))>,
) -> Option<(f64, (Target, f64))> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.0 < x.0 { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// How far the figures are from no longer meeting conditions that hold now:
/// any one of `when` failing, or every holding one of `any` failing.
fn distance_to_leave<F: Figures + ?Sized>(
    rubric: &LoadedRubric,
    f: &F,
    when: &[Cond],
    any: &[Cond],
) -> (f64, Option<(Target, f64)>) {
    let mut best = None;
    for c in when {
        best = nearest(best, distance(rubric, f, c));
    }
    // All the holding `any` conditions must fail: the farthest of them, unless
    // one of them cannot move (then the group cannot fail).
    let mut far: Option<(f64, (Target, f64))> = None;
    let mut fixed = false;
    for c in any.iter().filter(|c| holds(rubric, f, c)) {
        match distance(rubric, f, c) {
            Some(d) if far.is_none_or(|x| d.0 > x.0) => far = Some(d),
            Some(_) => {}
            None => fixed = true,
        }
    }
    if !fixed {
        best = nearest(best, far);
    }
    match best {
        Some((d, on)) => (d.min(100.0), Some(on)),
        None => (100.0, None),
    }
}

/// How far the figures are from meeting conditions that do not all hold now:
/// every failing one of `when` must come to hold (the farthest counts), and one of
/// `any` (the nearest); `None` when an `is` test or something unanswered fails.
fn distance_to_meet<F: Figures + ?Sized>(
    rubric: &LoadedRubric,
    f: &F,
    when: &[Cond],
    any: &[Cond],
) -> Option<(f64, (Target, f64))> {
    let mut far: Option<(f64, (Target, f64))> = None;
    for c in when.iter().filter(|c| !holds(rubric, f, c)) {
        let d = distance(rubric, f, c)?;
        if far.is_none_or(|x| d.0 > x.0) {
            far = Some(d);
        }
    }
    if !any.is_empty() && !any.iter().any(|c| holds(rubric, f, c)) {
        let mut near = None;
        for c in any {
            near = nearest(near, distance(rubric, f, c));
        }
        let near = near?;
        if far.is_none_or(|x| near.0 > x.0) {
            far = Some(near);
        }
    }
    far
}

/// The margin of a rule-decided result: the nearer of leaving the rule that
/// decides and meeting an earlier one with another recommendation (which would
/// then decide), in points of what the condition concerned reads.
fn rule_margin<F: Figures + ?Sized>(
    rubric: &LoadedRubric,
    f: &F,
    ri: usize,
) -> (f64, Option<(Target, f64)>) {
    let r = &rubric.rules()[ri];
    let recommendation =
        |rule: &crate::rubric::RuleAt| rubric.rubric.outcome[rule.result].recommendation;
    let (mut margin, mut on) = distance_to_leave(rubric, f, &r.when, &r.when_any);
    let others = rubric.rules()[..ri]
        .iter()
        .filter(|e| recommendation(e) != recommendation(r));
    for earlier in others {
        if let Some((d, at)) = distance_to_meet(rubric, f, &earlier.when, &earlier.when_any)
            && d < margin
        {
            (margin, on) = (d, Some(at));
        }
    }
    (margin, on)
}

/// Whether the recommendation never falls as one answer's score rises, nor rises
/// as it falls: when every gate pulls the way its score goes (a cap that fires
/// below a threshold, a floor from one), since the factor scores, the index and
/// the band all rise with an answer's score. Then the lowest and the highest answer
/// to a question bound the recommendation every other answer to it gives.
pub(crate) fn monotone(rubric: &LoadedRubric) -> bool {
    rubric
        .rubric
        .gate
        .iter()
        .all(crate::rubric::Gate::pulls_with_score)
}

/// The gates that fired (`fired`: by index, with whether each changed the result),
/// with the rubric's ids.
pub(crate) fn named_gates<'r>(
    rubric: &'r LoadedRubric,
    fired: &[(usize, bool)],
) -> Vec<FiredGate<'r>> {
    (fired.iter())
        .map(|&(gi, changed)| {
            let g = &rubric.rubric.gate[gi];
            let (effect, to) = g.effect();
            FiredGate {
                id: &g.id,
                effect,
                to,
                changed,
            }
        })
        .collect()
}

/// Weighted mean of the answered factors' scores; `None` when none is answered.
#[cfg(test)]
pub(crate) fn index_of(rubric: &LoadedRubric, scores: &[Option<f64>]) -> Option<f64> {
    let mut sums = Sums::default();
    for (f, s) in rubric.rubric.factor.iter().zip(scores) {
        if let Some(s) = *s {
            sums.add((f.weight * s, f.weight));
        }
    }
    sums.mean()
}

/// Running sums (a weighted sum and its weight), added up in rubric order: the one
/// way factor scores and the index are summed, so every path gets the same bits.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sums {
    sum: f64,
    weight: f64,
}

/// A weighted score and its weight: an answer's part in its factor's sums, or a
/// factor's in the index's. Something unanswered has the part (0, 0), which
/// changes no bit of a sum (all parts are at least 0, and x + 0 is x), so sums
/// run over every part in rubric order without asking what is answered.
type Part = (f64, f64);

/// The part of nothing answered.
const NO_PART: Part = (0.0, 0.0);

impl Sums {
    #[inline]
    fn add(&mut self, (weighted, weight): Part) {
        self.sum += weighted;
        self.weight += weight;
    }

    /// The weighted mean; `None` when nothing answered was added.
    #[inline]
    fn mean(&self) -> Option<f64> {
        (self.weight > 0.0).then(|| self.sum / self.weight)
    }
}

/// Question `qi`'s part in its factor's sums with option `choice` chosen.
#[inline]
fn answer_part(rubric: &LoadedRubric, qi: usize, choice: Option<usize>) -> Part {
    let q = &rubric.rubric.question[qi];
    choice.map_or(NO_PART, |oi| (q.weight * q.option[oi].score, q.weight))
}

/// Factor `fi`'s part in the index with score `score`.
#[inline]
fn factor_part(rubric: &LoadedRubric, fi: usize, score: Option<f64>) -> Part {
    let w = rubric.rubric.factor[fi].weight;
    score.map_or(NO_PART, |s| (w * s, w))
}

/// One question's place in its factor's sums.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Term {
    /// The factor's running sums over the questions before this one.
    before: Sums,
    part: Part,
    /// The next question of the same factor in rubric order ([`LAST`] for none).
    next: usize,
}

/// The `next` of a factor's last question.
const LAST: usize = usize::MAX;

/// One factor on one sheet.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Tally {
    answered: usize,
    /// The weighted mean of its answers; `None` when no question is answered.
    score: Option<f64>,
    /// The index's running sums over the factors before this one.
    before: Sums,
    /// Its part in the index.
    part: Part,
}

/// A sheet's outcome by index: its answers, each factor's running sums and score,
/// the [`Decision`] and the gates that fired. [`Outcome::named`] gives the
/// [`Evaluation`]; the flip and the roadmap ask [`Outcome::with_answer`] and
/// [`Outcome::change`] what another answer would do.
///
/// The running sums are kept at every question and every factor (what the sums
/// stood at before it, in rubric order), so that one answer changed is worked out
/// by adding up only what comes after it, in the same order: the same additions
/// of the same numbers as scoring the changed sheet from scratch, so the same bits.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    choices: Vec<Option<usize>>,
    /// Every question's term, by question.
    terms: Vec<Term>,
    tallies: Vec<Tally>,
    decision: Decision,
    /// The gates that fired, by index, in file order, each with whether it changed
    /// the result it was applied to.
    gates: Vec<(usize, bool)>,
}

/// A sheet with one answer changed ([`Outcome::with_answer`]): its figures, worked
/// out from the running sums, and its recommendation on demand (the gates cost
/// more than the figures, and the flip needs them only for a change that moves the
/// index less than the best found so far).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Changed<'o> {
    outcome: &'o Outcome,
    question: usize,
    answer: Option<usize>,
    /// The new score of the changed question's factor.
    pub(crate) factor: Option<f64>,
    pub(crate) index: f64,
}

impl Changed<'_> {
    /// The recommendation (after gates) with the answer changed: [`decide`]'s,
    /// without the margin and the office type it does not need. The oracle of
    /// [`Basis::recommendation_with`].
    #[cfg(test)]
    pub(crate) fn recommendation(&self, rubric: &LoadedRubric) -> Band {
        let view = ChangedView {
            changed: self,
            rubric,
            fi: rubric.question_factors()[self.question],
        };
        rule_and_gates(rubric, self.index, &view, |_, _| {}).recommendation
    }

    /// The whole decision with the answer changed.
    #[cfg(test)]
    pub(crate) fn decision(&self, rubric: &LoadedRubric) -> Decision {
        let view = ChangedView {
            changed: self,
            rubric,
            fi: rubric.question_factors()[self.question],
        };
        decide(rubric, self.index, &view, |_, _| {})
    }
}

/// Whether each condition the decision reads ([`LoadedRubric::decision_conds`])
/// holds on a sheet, kept for a search that moves one answer at a time: a moved
/// answer can change the recommendation only by changing one of those conditions
/// (or, format 2, the index's band), so the conditions its figures move are
/// tested again and the gates run again only when one of them changes.
pub(crate) struct Basis<'o> {
    outcome: &'o Outcome,
    /// Per condition, whether it holds on the sheet; then as many places for a
    /// changed sheet's (one allocation for the whole search).
    holds: Vec<bool>,
}

impl Outcome {
    /// The sheet's [`Basis`].
    pub(crate) fn basis(&self, rubric: &LoadedRubric) -> Basis<'_> {
        let view = SheetView {
            outcome: self,
            rubric,
        };
        let conds = rubric.decision_conds();
        let mut holds = Vec::with_capacity(2 * conds.len());
        holds.extend(conds.iter().map(|c| self::holds(rubric, &view, c)));
        holds.resize(2 * conds.len(), false);
        Basis {
            outcome: self,
            holds,
        }
    }
}

impl Basis<'_> {
    /// The recommendation with question `qi` answered `answer` instead: bit for
    /// bit [`Changed::recommendation`] of [`Outcome::with_answer`]. `None` when
    /// that leaves nothing answered.
    pub(crate) fn recommendation_with(
        &mut self,
        rubric: &LoadedRubric,
        qi: usize,
        answer: Option<usize>,
    ) -> Option<Band> {
        let changed = self.outcome.with_answer(rubric, qi, answer)?;
        let now = &self.outcome.decision;
        let view = ChangedView {
            changed: &changed,
            rubric,
            fi: rubric.question_factors()[qi],
        };
        let conds = rubric.decision_conds();
        let (sheet, moved) = self.holds.split_at_mut(conds.len());
        let mut any = false;
        for &at in rubric.question_reads(qi) {
            let h = holds(rubric, &view, &conds[at]);
            if h != sheet[at] {
                if !any {
                    moved.copy_from_slice(sheet);
                    any = true;
                }
                moved[at] = h;
            }
        }
        let same_band =
            rubric.has_outcomes() || band_of(&rubric.rubric.scoring, changed.index) == now.band;
        if !any && same_band {
            return Some(now.recommendation);
        }
        let settled = Settled {
            view,
            holds: if any { moved } else { sheet },
        };
        Some(rule_and_gates(rubric, changed.index, &settled, |_, _| {}).recommendation)
    }
}

/// A sheet's figures with what each of the decision's conditions comes to
/// already known.
struct Settled<'a, F> {
    view: F,
    holds: &'a [bool],
}

impl<F: Figures> Figures for Settled<'_, F> {
    fn factor(&self, fi: usize) -> Option<f64> {
        self.view.factor(fi)
    }

    fn question(&self, qi: usize) -> Option<f64> {
        self.view.question(qi)
    }

    fn choice(&self, qi: usize) -> Option<usize> {
        self.view.choice(qi)
    }

    fn decides(&self, _: &LoadedRubric, at: usize) -> bool {
        self.holds[at]
    }
}

/// The figures of a sheet with one answer changed.
struct ChangedView<'a, 'o> {
    changed: &'a Changed<'o>,
    rubric: &'a LoadedRubric,
    fi: Option<usize>,
}

impl Figures for ChangedView<'_, '_> {
    fn factor(&self, fi: usize) -> Option<f64> {
        if Some(fi) == self.fi {
            self.changed.factor
        } else {
            self.changed.outcome.tallies[fi].score
        }
    }

    fn question(&self, qi: usize) -> Option<f64> {
        option_score(self.rubric, qi, self.choice(qi))
    }

    fn choice(&self, qi: usize) -> Option<usize> {
        if qi == self.changed.question {
            self.changed.answer
        } else {
            self.changed.outcome.choices[qi]
        }
    }
}

/// A sheet's figures as its outcome holds them.
struct SheetView<'a> {
    outcome: &'a Outcome,
    rubric: &'a LoadedRubric,
}

impl Figures for SheetView<'_> {
    fn factor(&self, fi: usize) -> Option<f64> {
        self.outcome.tallies[fi].score
    }

    fn question(&self, qi: usize) -> Option<f64> {
        option_score(self.rubric, qi, self.outcome.choices[qi])
    }

    fn choice(&self, qi: usize) -> Option<usize> {
        self.outcome.choices[qi]
    }
}

/// Scores one sheet. `choices[q]` is the chosen option of question `q`.
pub fn evaluate<'r>(
    rubric: &'r LoadedRubric,
    choices: &[Option<usize>],
) -> Result<Evaluation<'r>, NothingAnswered> {
    Ok(Outcome::of(rubric, choices)?.named(rubric))
}

impl Outcome {
    /// Scores one sheet by index. `choices[q]` is the chosen option of question `q`
    /// (missing ones unanswered).
    pub(crate) fn of(
        rubric: &LoadedRubric,
        choices: &[Option<usize>],
    ) -> Result<Self, NothingAnswered> {
        let r = &rubric.rubric;
        let mut terms = vec![Term::default(); r.question.len()];
        for fi in 0..r.factor.len() {
            let questions = rubric.questions_of(fi);
            for (k, &qi) in questions.iter().enumerate() {
                terms[qi].next = questions.get(k + 1).copied().unwrap_or(LAST);
            }
        }
        let mut outcome = Outcome {
            choices: (0..r.question.len())
                .map(|qi| choices.get(qi).copied().flatten())
                .collect(),
            terms,
            tallies: vec![Tally::default(); r.factor.len()],
            decision: Decision {
                index: 0.0,
                band: Band::Pmo,
                recommendation: Band::Pmo,
                margin: 0.0,
                margin_on: None,
                rule: None,
                office: None,
                also: None,
            },
            gates: Vec::new(),
        };
        for fi in 0..r.factor.len() {
            outcome.sum_factor(rubric, fi);
        }
        outcome.sum_index(rubric)?;
        Ok(outcome)
    }

    /// Adds up factor `fi`'s answers, in rubric order.
    fn sum_factor(&mut self, rubric: &LoadedRubric, fi: usize) {
        let t = &mut self.tallies[fi];
        let mut sums = Sums::default();
        t.answered = 0;
        for &qi in rubric.questions_of(fi) {
            let term = &mut self.terms[qi];
            term.before = sums;
            term.part = answer_part(rubric, qi, self.choices[qi]);
            sums.add(term.part);
            t.answered += usize::from(self.choices[qi].is_some());
        }
        t.score = sums.mean();
    }

    /// Adds up the factors' scores into the index, in rubric order, and decides.
    fn sum_index(&mut self, rubric: &LoadedRubric) -> Result<(), NothingAnswered> {
        let index = self.sum_factors(rubric)?;
        let mut gates = std::mem::take(&mut self.gates);
        gates.clear();
        let view = SheetView {
            outcome: self,
            rubric,
        };
        let decision = decide(rubric, index, &view, |gi, changed| {
            gates.push((gi, changed))
        });
        self.decision = decision;
        self.gates = gates;
        Ok(())
    }

    /// Adds up the factors' scores into the index, in rubric order.
    fn sum_factors(&mut self, rubric: &LoadedRubric) -> Result<f64, NothingAnswered> {
        let mut index = Sums::default();
        for (fi, t) in self.tallies.iter_mut().enumerate() {
            t.before = index;
            t.part = factor_part(rubric, fi, t.score);
            index.add(t.part);
        }
        index.mean().ok_or(NothingAnswered)
    }

    /// The index and the recommendation after each of `changes` in turn (each
    /// answer changed on top of those before it): bit for bit what
    /// [`Self::change`] then [`Self::decision`] give, without the margin and the
    /// office types a plan's projected figures do not show. `None` for a change
    /// that would leave nothing answered, which is then not made.
    pub(crate) fn projected(
        &self,
        rubric: &LoadedRubric,
        changes: impl IntoIterator<Item = (usize, Option<usize>)>,
    ) -> Vec<Option<(f64, Band)>> {
        let mut now = self.clone();
        let settle = |now: &mut Outcome, qi: usize| {
            if let Some(fi) = rubric.question_factors()[qi] {
                now.sum_factor(rubric, fi);
            }
            now.sum_factors(rubric)
        };
        (changes.into_iter())
            .map(|(qi, answer)| {
                let before = std::mem::replace(&mut now.choices[qi], answer);
                let Ok(index) = settle(&mut now, qi) else {
                    now.choices[qi] = before;
                    let _ = settle(&mut now, qi);
                    return None;
                };
                let view = SheetView {
                    outcome: &now,
                    rubric,
                };
                Some((
                    index,
                    rule_and_gates(rubric, index, &view, |_, _| {}).recommendation,
                ))
            })
            .collect()
    }

    /// The score a gate or a condition reads: a factor's, an answer's or an
    /// axis's; `None` when unanswered.
    #[inline]
    pub(crate) fn read(&self, rubric: &LoadedRubric, target: Target) -> Option<f64> {
        read(
            rubric,
            &SheetView {
                outcome: self,
                rubric,
            },
            target,
        )
    }

    /// Whether a resolved condition holds on the sheet.
    pub(crate) fn holds(&self, rubric: &LoadedRubric, c: &Cond) -> bool {
        holds(
            rubric,
            &SheetView {
                outcome: self,
                rubric,
            },
            c,
        )
    }

    /// What the sheet would come to with question `qi` answered `answer` (`None`:
    /// unanswered) instead, from the running sums: bit for bit what
    /// [`Outcome::of`] gives for the changed answers. `None` when that leaves
    /// nothing answered. Allocates nothing: the flip asks it of every other answer
    /// to every question.
    pub(crate) fn with_answer(
        &self,
        rubric: &LoadedRubric,
        qi: usize,
        answer: Option<usize>,
    ) -> Option<Changed<'_>> {
        let Some(fi) = rubric.question_factors()[qi] else {
            // A context question: no figure moves, only what reads its answer.
            return Some(Changed {
                outcome: self,
                question: qi,
                answer,
                factor: None,
                index: self.decision.index,
            });
        };
        let factor = self.factor_with(rubric, qi, answer);
        let index = self.index_with(rubric, fi, factor)?;
        Some(Changed {
            outcome: self,
            question: qi,
            answer,
            factor,
            index,
        })
    }

    /// [`Self::with_answer`] in two halves, for a search that changes answers one at
    /// a time: the score question `qi`'s factor would have with `qi` answered
    /// `answer` (it reads that factor's answers only, so it stays what it is while
    /// no answer of that factor changes), then [`Self::index_if`].
    pub(crate) fn factor_if(
        &self,
        rubric: &LoadedRubric,
        qi: usize,
        answer: Option<usize>,
    ) -> Option<f64> {
        self.factor_with(rubric, qi, answer)
    }

    /// The index the sheet would have with factor `fi` at `score` (`None`:
    /// unanswered), the other factors as they are; `None` when nothing would be
    /// answered.
    pub(crate) fn index_if(
        &self,
        rubric: &LoadedRubric,
        fi: usize,
        score: Option<f64>,
    ) -> Option<f64> {
        self.index_with(rubric, fi, score)
    }

    /// The score of question `qi`'s factor with `qi` answered `answer`: its sums
    /// before `qi`, then `qi`'s answer and the answers after it.
    #[inline]
    fn factor_with(&self, rubric: &LoadedRubric, qi: usize, answer: Option<usize>) -> Option<f64> {
        let term = &self.terms[qi];
        let mut sums = term.before;
        sums.add(answer_part(rubric, qi, answer));
        let mut next = term.next;
        while let Some(t) = self.terms.get(next) {
            sums.add(t.part);
            next = t.next;
        }
        sums.mean()
    }

    /// The index with factor `fi`'s score `score`: the index's sums before `fi`,
    /// then `fi` and the factors after it.
    #[inline]
    fn index_with(&self, rubric: &LoadedRubric, fi: usize, score: Option<f64>) -> Option<f64> {
        let mut sums = self.tallies[fi].before;
        sums.add(factor_part(rubric, fi, score));
        for t in &self.tallies[fi + 1..] {
            sums.add(t.part);
        }
        sums.mean()
    }

    /// Changes question `qi`'s answer to `answer` in place (bit for bit
    /// [`Outcome::of`] of the changed answers). When that would leave nothing
    /// answered, the outcome stays as it was.
    pub(crate) fn change(
        &mut self,
        rubric: &LoadedRubric,
        qi: usize,
        answer: Option<usize>,
    ) -> Result<(), NothingAnswered> {
        let before = self.choices[qi];
        self.choices[qi] = answer;
        let Some(fi) = rubric.question_factors()[qi] else {
            // A context question: only the decision reads it.
            return self.sum_index(rubric);
        };
        self.sum_factor(rubric, fi);
        if self.sum_index(rubric).is_err() {
            // As it was: the same sums of the same answers.
            self.choices[qi] = before;
            self.sum_factor(rubric, fi);
            let _ = self.sum_index(rubric);
            return Err(NothingAnswered);
        }
        Ok(())
    }

    /// The chosen option of each question.
    pub(crate) fn choices(&self) -> &[Option<usize>] {
        &self.choices
    }

    /// The index, the band, the recommendation and the margin.
    pub(crate) fn decision(&self) -> Decision {
        self.decision
    }

    pub(crate) fn index(&self) -> f64 {
        self.decision.index
    }

    /// After gates.
    pub(crate) fn recommendation(&self) -> Band {
        self.decision.recommendation
    }

    /// The score of factor `fi`; `None` when none of its questions is answered.
    pub(crate) fn factor(&self, fi: usize) -> Option<f64> {
        self.tallies[fi].score
    }

    /// The gates that fired, by index, in file order, each with whether it changed
    /// the result it was applied to.
    pub(crate) fn gates(&self) -> &[(usize, bool)] {
        &self.gates
    }

    /// The factors below `min-answered` (`(factor, needed)`), in rubric order.
    pub(crate) fn shortfalls<'a>(
        &'a self,
        rubric: &'a LoadedRubric,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        let scoring = &rubric.rubric.scoring;
        (rubric.questions_per_factor().iter().enumerate()).filter_map(move |(fi, &questions)| {
            let needed = scoring.needed(questions);
            (self.tallies[fi].answered < needed).then_some((fi, needed))
        })
    }

    /// Whether some factor has too few answers for a firm result.
    #[cfg(test)]
    pub(crate) fn provisional(&self, rubric: &LoadedRubric) -> bool {
        self.shortfalls(rubric).next().is_some()
    }

    /// The evaluation, with the rubric's ids.
    pub(crate) fn named<'r>(&self, rubric: &'r LoadedRubric) -> Evaluation<'r> {
        let r = &rubric.rubric;
        let per_factor = rubric.questions_per_factor();
        let factors = (r.factor.iter().zip(&self.tallies).enumerate())
            .map(|(fi, (f, t))| FactorScore {
                id: &f.id,
                score: t.score,
                weight: f.weight,
                answered: t.answered,
                questions: per_factor[fi],
                leaning: t.score.map(|s| band_of(&r.scoring, s)),
            })
            .collect();
        // Context questions are not scored: they count neither as answered nor as
        // unanswered.
        let scored = |q: &&crate::rubric::Question| q.kind != crate::rubric::QuestionKind::Context;
        let questions = r.question.iter().filter(scored).count();
        let unanswered: Vec<&str> = (r.question.iter().zip(&self.choices))
            .filter(|(q, c)| scored(q) && c.is_none())
            .map(|(q, _)| q.id.as_str())
            .collect();
        let shortfalls: Vec<Shortfall<'r>> = self
            .shortfalls(rubric)
            .map(|(fi, needed)| Shortfall {
                factor: &r.factor[fi].id,
                answered: self.tallies[fi].answered,
                needed,
            })
            .collect();
        let d = self.decision;
        let view = SheetView {
            outcome: self,
            rubric,
        };
        Evaluation {
            recommendation: d.recommendation,
            band: d.band,
            index: d.index,
            margin: d.margin,
            answered: questions - unanswered.len(),
            questions,
            factors,
            unanswered,
            gates: named_gates(rubric, &self.gates),
            provisional: !shortfalls.is_empty(),
            shortfalls,
            outcome: d.rule.map(|ri| r.outcome[ri].id.as_str()),
            office: office_view(rubric, &d, &self.choices),
            axes: (r.axis.iter().enumerate())
                .map(|(ai, a)| AxisScore {
                    id: &a.id,
                    score: read(rubric, &view, Target::Axis(ai)),
                })
                .collect(),
            margin_on: margin_on_view(rubric, &d),
            risks: (self.gates.iter())
                .filter(|&&(_, changed)| !changed)
                .map(|&(gi, _)| Risk {
                    id: &r.gate[gi].id,
                    message: &r.gate[gi].message,
                })
                .collect(),
        }
    }
}

/// What a format-3 decision's margin is measured on, by id.
pub(crate) fn margin_on_view<'r>(rubric: &'r LoadedRubric, d: &Decision) -> Option<MarginOn<'r>> {
    let r = &rubric.rubric;
    d.margin_on.map(|(t, threshold)| {
        let (on, id) = match t {
            Target::Axis(i) => ("axis", r.axis[i].id.as_str()),
            Target::Factor(i) => ("factor", r.factor[i].id.as_str()),
            Target::Question(i) => ("question", r.question[i].id.as_str()),
        };
        MarginOn { on, id, threshold }
    })
}

/// The office a decision recommends, with what to do about the one that exists
/// (read from the existing-office question's answer in `choices`).
pub fn office_view<'r>(
    rubric: &'r LoadedRubric,
    d: &Decision,
    choices: &[Option<usize>],
) -> Option<OfficeView<'r>> {
    let existing = rubric.existing().and_then(|(qi, per_option)| {
        choices
            .get(*qi)
            .copied()
            .flatten()
            .map(|oi| &per_option[oi])
    });
    let view = |oi: usize, hybrid: bool| {
        let o = &rubric.rubric.office[oi];
        OfficeView {
            type_: &o.id,
            kind: o.kind,
            action: existing.and_then(|ex| action(rubric, oi, ex, hybrid)),
            also: None,
        }
    };
    let mut main = view(d.office?, d.band == crate::rubric::Band::Hybrid);
    main.also = d.also.map(|a| Box::new(view(a, false)));
    Some(main)
}

/// What to do about the offices that exist (`existing`: their type indexes) when
/// office type `oi` is recommended: build when none exists (or one was closed),
/// keep when that type exists, evolve when an office of its kind exists or a PMO
/// exists where a value office is recommended, else build. A hybrid never keeps:
/// its office takes on value duties. No office (a role) has no action.
fn action(rubric: &LoadedRubric, oi: usize, existing: &[usize], hybrid: bool) -> Option<Action> {
    let offices = &rubric.rubric.office;
    let kind = offices[oi].kind;
    if kind == OfficeKind::None {
        return None;
    }
    let a = if existing.is_empty() {
        Action::Build
    } else if existing.contains(&oi) {
        Action::Keep
    } else if existing.iter().any(|&e| offices[e].kind == kind)
        || (kind == OfficeKind::Value
            && existing.iter().any(|&e| offices[e].kind == OfficeKind::Pmo))
    {
        Action::Evolve
    } else {
        Action::Build
    };
    Some(if hybrid && a == Action::Keep {
        Action::Evolve
    } else {
        a
    })
}

/// The score of question `qi`'s option `choice`; `None` when unanswered, and for a
/// context question (whose options have none).
#[inline]
fn option_score(rubric: &LoadedRubric, qi: usize, choice: Option<usize>) -> Option<f64> {
    let score = rubric.rubric.question[qi].option[choice?].score;
    (!score.is_nan()).then_some(score)
}

/// A group's figures (contract section 3 applied to a workshop): the index is the
/// mean of the members' indexes; a gate on a factor reads the factor's mean, one on
/// a question the mean of its answers' scores, each over the members who answered.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GroupFigures {
    pub(crate) index: f64,
    /// Per factor, its mean (`None`: nobody answered it).
    pub(crate) factors: Vec<Option<f64>>,
    /// Per question, the mean score of its answers (`None`: nobody answered it).
    pub questions: Vec<Option<f64>>,
    /// Per question, the option most members chose (the first in rubric order
    /// among ties): what `is` conditions read, chiefly on context questions.
    pub choices: Vec<Option<usize>>,
    /// Per factor, how far the group index moves per point its mean moves when
    /// every member who answered it moves by that point: the mean, over the
    /// members, of the factor's weight over the weight of the factors each answered.
    pub(crate) shares: Vec<f64>,
}

impl GroupFigures {
    /// The group's decision, `fired` hearing of each gate that fires.
    pub(crate) fn decide(&self, rubric: &LoadedRubric, fired: impl FnMut(usize, bool)) -> Decision {
        decide(rubric, self.index, self, fired)
    }

    /// The means of factor `fi` at which what the decision reads meets a threshold
    /// (the other means held): a gate on the factor, or a band boundary that the
    /// index meets as it moves by the factor's share ([`Self::with_factor`]).
    pub(crate) fn thresholds(&self, rubric: &LoadedRubric, fi: usize) -> Vec<f64> {
        let r = &rubric.rubric;
        let mut at = Vec::new();
        for (g, &t) in r.gate.iter().zip(rubric.gate_targets()) {
            if t == Target::Factor(fi) {
                at.extend(g.below.iter().chain(&g.at_least));
            }
        }
        if let Some(now) = self.factors[fi]
            && self.shares[fi] > 0.0
        {
            for boundary in [r.scoring.hybrid_from, r.scoring.vmo_from] {
                at.push(now + (boundary - self.index) / self.shares[fi]);
            }
        }
        at
    }

    /// The decision with factor `fi`'s mean moved to `to` by every member who
    /// answered it (the index moves by the factor's share of the move), the other
    /// means held where they are; `None` when nobody answered the factor.
    pub(crate) fn with_factor(
        &self,
        rubric: &LoadedRubric,
        fi: usize,
        to: f64,
    ) -> Option<Decision> {
        let now = self.factors[fi]?;
        let index = self.index + self.shares[fi] * (to - now);
        let mut moved = self.clone();
        moved.factors[fi] = Some(to);
        moved.index = index;
        Some(decide(rubric, index, &moved, |_, _| {}))
    }
}

impl Figures for GroupFigures {
    fn factor(&self, fi: usize) -> Option<f64> {
        self.factors[fi]
    }

    fn question(&self, qi: usize) -> Option<f64> {
        self.questions[qi]
    }

    fn choice(&self, qi: usize) -> Option<usize> {
        self.choices[qi]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Two factors (weights 1 and 3), gates on both; small enough to compute by hand.
    pub(crate) const SMALL: &str = r#"
id = "small"
version = "1"
title = "Small"
[scoring]
hybrid-from = 40.0
vmo-from = 60.0
[[factor]]
id = "a"
title = "A"
weight = 1.0
[[factor]]
id = "b"
title = "B"
weight = 3.0
[[question]]
id = "a1"
factor = "a"
text = "A1?"
weight = 1.0
[[question.option]]
id = "lo"
label = "Lo"
score = 0
[[question.option]]
id = "hi"
label = "Hi"
score = 100
[[question]]
id = "a2"
factor = "a"
text = "A2?"
weight = 3.0
[[question.option]]
id = "lo"
label = "Lo"
score = 20
[[question.option]]
id = "hi"
label = "Hi"
score = 80
[[question]]
id = "b1"
factor = "b"
text = "B1?"
[[question.option]]
id = "lo"
label = "Lo"
score = 10
[[question.option]]
id = "mid"
label = "Mid"
score = 50
[[question.option]]
id = "hi"
label = "Hi"
score = 90
[[gate]]
id = "a-weak"
factor = "a"
below = 30.0
cap = "hybrid"
message = "A is weak"
[[gate]]
id = "b-strong"
factor = "b"
at-least = 90.0
floor = "hybrid"
message = "B is strong"
[recommendation.pmo]
title = "P"
summary = "p"
[recommendation.hybrid]
title = "H"
summary = "h"
[recommendation.vmo]
title = "V"
summary = "v"
next-steps = ["go"]
"#;

    pub(crate) fn small() -> LoadedRubric {
        LoadedRubric::from_str("small.toml", SMALL).unwrap()
    }

    #[test]
    fn weighted_factor_and_index() {
        let r = small();
        // a = (1*100 + 3*20)/4 = 40; b = 50; index = (40 + 3*50)/4 = 47.5
        let e = evaluate(&r, &[Some(1), Some(0), Some(1)]).unwrap();
        assert_eq!(e.factors[0].score, Some(40.0));
        assert_eq!(e.factors[1].score, Some(50.0));
        assert_eq!(e.index, 47.5);
        assert_eq!(e.band, Band::Hybrid);
        assert_eq!(e.recommendation, Band::Hybrid);
        assert_eq!(e.margin, 7.5); // min(47.5-40, 60-47.5)
        assert!(e.gates.is_empty());
        assert_eq!(e.answered, 3);
    }

    #[test]
    fn a_mean_a_rounding_error_short_of_a_boundary_is_on_it() {
        // (0.1*60 + 0.2*60) / (0.1 + 0.2) is 59.99999999999999 in f64.
        let r = small().changed(|rb| {
            for (q, w) in rb.question.iter_mut().zip([0.1, 0.2, 1.0]) {
                q.weight = w;
                q.option[1].score = 60.0;
            }
            rb.factor[0].weight = 0.1;
            rb.factor[1].weight = 0.2;
            rb.gate[0].below = Some(60.0);
        });
        let e = evaluate(&r, &[Some(1), Some(1), Some(1)]).unwrap();
        let a = e.factors[0].score.unwrap();
        assert!(a < 60.0, "the premise: the mean falls short, {a}");
        assert_eq!(e.band, Band::Vmo);
        assert_eq!(e.recommendation, Band::Vmo);
        assert!(e.gates.is_empty(), "{:?}", e.gates);
        assert_eq!(e.margin, 0.0);
        // A real shortfall still counts.
        assert_eq!(band_of(&r.rubric.scoring, 60.0 - 1e-6), Band::Hybrid);
        assert!(r.rubric.gate[0].fires(60.0 - 1e-6));
    }

    #[test]
    fn unanswered_question_and_factor_count_nowhere() {
        let r = small();
        // only a2 answered (80): a = 80, b unanswered -> index 80, vmo, margin 20
        let e = evaluate(&r, &[None, Some(1), None]).unwrap();
        assert_eq!(e.factors[0].score, Some(80.0));
        assert_eq!(e.factors[0].answered, 1);
        assert_eq!(e.factors[1].score, None);
        assert_eq!(e.index, 80.0);
        assert_eq!(e.band, Band::Vmo);
        assert_eq!(e.margin, 20.0);
        assert_eq!(e.unanswered, vec!["a1", "b1"]);
        assert_eq!(e.answered, 1);
    }

    #[test]
    fn nothing_answered_is_an_error() {
        assert_eq!(
            evaluate(&small(), &[None, None, None]),
            Err(NothingAnswered)
        );
    }

    #[test]
    fn band_boundaries_are_inclusive_below() {
        let s = Scoring {
            hybrid_from: 40.0,
            vmo_from: 60.0,
            min_answered: None,
            ..Default::default()
        };
        assert_eq!(band_of(&s, 39.999), Band::Pmo);
        assert_eq!(band_of(&s, 40.0), Band::Hybrid);
        assert_eq!(band_of(&s, 59.999), Band::Hybrid);
        assert_eq!(band_of(&s, 60.0), Band::Vmo);
        assert_eq!(margin_of(&s, 40.0), 0.0);
        assert_eq!(margin_of(&s, 60.0), 0.0);
        assert_eq!(margin_of(&s, 25.0), 15.0);
        assert_eq!(margin_of(&s, 55.0), 5.0);
    }

    #[test]
    fn cap_lowers_a_vmo_result() {
        let r = small();
        // a1 lo (0), a2 lo (20): a = (0 + 60)/4 = 15 < 30 -> cap hybrid.
        // b hi (90): index = (15 + 270)/4 = 71.25 -> vmo band, capped to hybrid; b >= 90 floors too.
        let e = evaluate(&r, &[Some(0), Some(0), Some(2)]).unwrap();
        assert_eq!(e.index, 71.25);
        assert_eq!(e.band, Band::Vmo);
        assert_eq!(e.recommendation, Band::Hybrid);
        assert_eq!(e.margin, 11.25);
        let ids: Vec<_> = e
            .gates
            .iter()
            .map(|g| (g.id, g.effect, g.to, g.changed))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("a-weak", Effect::Cap, Some(Band::Hybrid), true),
                ("b-strong", Effect::Floor, Some(Band::Hybrid), false)
            ]
        );
    }

    #[test]
    fn floor_raises_a_pmo_result() {
        let r = small();
        // only b answered, hi (90): index 90 -> vmo; floor does nothing visible.
        // a lo/lo (15) and b unanswered: index 15 -> pmo; cap to hybrid keeps pmo.
        let e = evaluate(&r, &[Some(0), Some(0), None]).unwrap();
        assert_eq!(e.recommendation, Band::Pmo);
        assert_eq!(e.gates.len(), 1);
        // Floor case: a gate that floors on a factor while the index is pmo.
        let r2 = r.changed(|rb| rb.gate[1].at_least = Some(10.0));
        // a = 15, b = 10 (lo): index = (15 + 30)/4 = 11.25 -> pmo, floored to hybrid.
        let e = evaluate(&r2, &[Some(0), Some(0), Some(0)]).unwrap();
        assert_eq!(e.band, Band::Pmo);
        assert_eq!(e.recommendation, Band::Hybrid);
    }

    #[test]
    fn gates_skip_unanswered_factors() {
        let r = small();
        let e = evaluate(&r, &[None, None, Some(0)]).unwrap();
        assert!(e.gates.iter().all(|g| g.id != "a-weak"));
    }

    /// Every combination of answers (unanswered included) for a small rubric.
    pub(crate) fn all_choices(rubric: &LoadedRubric) -> Vec<Vec<Option<usize>>> {
        let mut all = vec![Vec::new()];
        for q in &rubric.rubric.question {
            let mut next = Vec::new();
            for c in &all {
                for o in std::iter::once(None).chain((0..q.option.len()).map(Some)) {
                    let mut c2: Vec<Option<usize>> = c.clone();
                    c2.push(o);
                    next.push(c2);
                }
            }
            all = next;
        }
        all
    }

    /// The fast form against the plain one: every sheet of `r`, every answer to
    /// every question changed in turn.
    fn fast_form_matches(r: &LoadedRubric, sheets: &[Vec<Option<usize>>]) -> usize {
        let mut compared = 0;
        for c in sheets {
            let Ok(base) = Outcome::of(r, c) else {
                continue;
            };
            for (qi, q) in r.rubric.question.iter().enumerate() {
                for answer in std::iter::once(None).chain((0..q.option.len()).map(Some)) {
                    let mut changed = c.clone();
                    changed[qi] = answer;
                    let plain = Outcome::of(r, &changed);
                    let fast = base.with_answer(r, qi, answer);
                    let mut moved = base.clone();
                    let result = moved.change(r, qi, answer);
                    match &plain {
                        Ok(p) => {
                            let fi = r.question_factors()[qi].unwrap();
                            let fast = fast.expect("something is answered");
                            // Bit for bit: no tolerance.
                            assert_eq!(fast.index.to_bits(), p.index().to_bits());
                            assert_eq!(
                                (fast.index, fast.factor, fast.recommendation(r)),
                                (p.index(), p.factor(fi), p.recommendation()),
                                "{c:?}, q{qi} = {answer:?}"
                            );
                            assert_eq!(result, Ok(()));
                            assert_eq!(&moved, p, "{c:?}, q{qi} = {answer:?}");
                            compared += 1;
                        }
                        Err(_) => {
                            assert!(fast.is_none());
                            assert_eq!(result, Err(NothingAnswered));
                            assert_eq!(moved, base, "a refused change leaves it as it was");
                        }
                    }
                }
            }
        }
        compared
    }

    #[test]
    fn one_answer_changed_is_bit_for_bit_the_plain_outcome_on_the_small_rubric() {
        let base = small();
        let all = all_choices(&base);
        // Gates turned round and boundaries moved, as the flip's tests do.
        for variant in 0..32u32 {
            let r = base.changed(|rb| {
                for (i, g) in rb.gate.iter_mut().enumerate() {
                    let bits = variant >> (2 * i);
                    if bits & 1 == 1 {
                        std::mem::swap(&mut g.below, &mut g.at_least);
                    }
                    if bits & 2 == 2 {
                        std::mem::swap(&mut g.cap, &mut g.floor);
                    }
                }
                if variant & 16 == 16 {
                    rb.scoring.hybrid_from = 30.0;
                    rb.scoring.vmo_from = 45.0;
                }
            });
            assert!(fast_form_matches(&r, &all) > 200);
        }
    }

    #[test]
    fn one_answer_changed_is_bit_for_bit_the_plain_outcome_with_uneven_weights() {
        // Weights whose sums round (0.1 + 0.2), so a different order of additions
        // would show in the last bits.
        let r = small().changed(|rb| {
            for (q, w) in rb.question.iter_mut().zip([0.1, 0.2, 0.7]) {
                q.weight = w;
            }
            rb.factor[0].weight = 0.3;
            rb.factor[1].weight = 0.1;
        });
        assert!(fast_form_matches(&r, &all_choices(&r)) > 200);
    }

    #[test]
    fn a_group_decides_as_a_sheet_does_on_its_means() {
        let r = small();
        // Means a = 15 (below 30: a-weak caps at hybrid), b = 90 (b-strong floors
        // at hybrid), index 71.25: VMO band, hybrid after gates.
        let g = GroupFigures {
            index: 71.25,
            factors: vec![Some(15.0), Some(90.0)],
            questions: vec![Some(0.0), Some(20.0), Some(90.0)],
            choices: vec![Some(0), Some(0), Some(2)],
            shares: vec![0.25, 0.75],
        };
        let mut fired = Vec::new();
        let d = g.decide(&r, |gi, changed| fired.push((gi, changed)));
        let sheet = Outcome::of(&r, &[Some(0), Some(0), Some(2)]).unwrap();
        assert_eq!(d, sheet.decision());
        assert_eq!(fired, sheet.gates());
        // Moving a's mean to 30 clears the cap: the index moves by a quarter of it.
        let moved = g.with_factor(&r, 0, 30.0).unwrap();
        assert_eq!(moved.index, 71.25 + 0.25 * 15.0);
        assert_eq!(moved.recommendation, Band::Vmo);
        let unanswered = GroupFigures {
            factors: vec![None, Some(90.0)],
            ..g
        };
        assert_eq!(unanswered.with_factor(&r, 0, 30.0), None);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn choices() -> impl Strategy<Value = Vec<Option<usize>>> {
            (
                proptest::option::of(0usize..2),
                proptest::option::of(0usize..2),
                proptest::option::of(0usize..3),
            )
                .prop_map(|(a, b, c)| vec![a, b, c])
        }

        proptest! {
            #[test]
            fn index_is_within_0_100(c in choices()) {
                let r = small();
                if let Ok(e) = evaluate(&r, &c) {
                    prop_assert!((0.0..=100.0).contains(&e.index));
                    prop_assert!(e.margin >= 0.0);
                }
            }

            #[test]
            fn raising_an_option_score_never_lowers_the_index(
                c in choices(),
                q in 0usize..3,
                bump in 0.0f64..100.0,
            ) {
                let r = small();
                let Some(oi) = c[q] else { return Ok(()) };
                let before = evaluate(&r, &c).unwrap().index;
                let r2 = r.changed(|rb| {
                    let o = &mut rb.question[q].option[oi];
                    o.score = (o.score + bump).min(100.0);
                });
                let after = evaluate(&r2, &c).unwrap().index;
                prop_assert!(after >= before - 1e-9, "{after} < {before}");
            }

            #[test]
            fn one_answer_changed_is_the_plain_outcome_on_the_default_rubric(
                c in proptest::collection::vec(proptest::option::of(0usize..5), 20),
                qi in 0usize..20,
                answer in proptest::option::of(0usize..5),
            ) {
                let r = crate::testing::v2();
                let Ok(base) = Outcome::of(&r, &c) else { return Ok(()) };
                let mut changed = c.clone();
                changed[qi] = answer;
                let plain = Outcome::of(&r, &changed).ok();
                let fast = base.with_answer(&r, qi, answer);
                let fi = r.question_factors()[qi].unwrap();
                prop_assert_eq!(
                    fast.map(|f| (f.index, f.factor, f.recommendation(&r))),
                    plain.as_ref().map(|p| (p.index(), p.factor(fi), p.recommendation()))
                );
                // The flip's way: only the conditions the answer moves, tested again.
                prop_assert_eq!(
                    base.basis(&r).recommendation_with(&r, qi, answer),
                    plain.as_ref().map(|p| p.recommendation())
                );
                let mut moved = base.clone();
                if moved.change(&r, qi, answer).is_ok() {
                    prop_assert_eq!(Some(&moved), plain.as_ref());
                }
            }

            /// The fast form on the format-3 default rubric (context questions,
            /// axes, outcome rules, office types): the whole decision a changed
            /// answer gives is the one scoring the changed sheet gives.
            #[test]
            fn one_answer_changed_decides_as_the_plain_outcome_on_the_format_3_rubric(
                c in proptest::collection::vec(proptest::option::of(0usize..9), 26),
                qi in 0usize..26,
                answer in proptest::option::of(0usize..9),
            ) {
                let r = crate::testing::default3();
                let fit = |qi: usize, o: Option<usize>| o.map(|o| o % r.rubric.question[qi].option.len());
                let c: Vec<Option<usize>> = c.iter().enumerate().map(|(q, &o)| fit(q, o)).collect();
                let answer = fit(qi, answer);
                let Ok(base) = Outcome::of(r, &c) else { return Ok(()) };
                let mut changed = c.clone();
                changed[qi] = answer;
                let plain = Outcome::of(r, &changed).ok();
                let fast = base.with_answer(r, qi, answer);
                prop_assert_eq!(
                    fast.map(|f| f.decision(r)),
                    plain.as_ref().map(|p| p.decision())
                );
                prop_assert_eq!(
                    base.basis(r).recommendation_with(r, qi, answer),
                    plain.as_ref().map(|p| p.recommendation())
                );
                // A plan's projection: this change, then every unanswered
                // question answered with its first option, in turn.
                let mut steps = vec![(qi, answer)];
                steps.extend((0..26).filter(|&q| changed[q].is_none()).map(|q| (q, Some(0))));
                let mut oracle = base.clone();
                let expected: Vec<Option<(f64, Band)>> = (steps.iter())
                    .map(|&(q, a)| {
                        oracle.change(r, q, a).ok()?;
                        Some((oracle.index(), oracle.recommendation()))
                    })
                    .collect();
                prop_assert_eq!(base.projected(r, steps), expected);
                let mut moved = base.clone();
                if moved.change(r, qi, answer).is_ok() {
                    prop_assert_eq!(Some(&moved), plain.as_ref());
                }
            }

            #[test]
            fn random_scores_keep_index_in_range(
                scores in proptest::collection::vec(0.0f64..=100.0, 7),
                c in choices(),
            ) {
                let r = small().changed(|rb| {
                    let mut k = 0;
                    for q in &mut rb.question {
                        for o in &mut q.option {
                            o.score = scores[k];
                            k += 1;
                        }
                    }
                });
                if let Ok(e) = evaluate(&r, &c) {
                    prop_assert!((0.0..=100.0 + 1e-9).contains(&e.index));
                    prop_assert_eq!(e.band, band_of(&r.rubric.scoring, e.index));
                }
            }
        }
    }
}
