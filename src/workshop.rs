//! Workshop mode: many respondents' scored sheets become one group result, with the
//! spread between them laid out so the room discusses where it disagrees rather than
//! an average that hides it. Pure aggregation: data in, data out.

use indexmap::IndexMap;
use serde::Serialize;

use crate::input::date::SheetDate;
use crate::input::sheet::ResolvedSheet;
use crate::result::SheetResult;
use crate::roadmap::{self, Blocked, Step};
use crate::rubric::{Band, LoadedRubric};
use crate::scoring::{self, FiredGate, GroupFigures, Outcome};
use crate::text::normalise;

/// Two roles whose factor means are at least this many points apart are flagged.
pub(crate) const ROLE_GAP: f64 = 20.0;

/// At most this many role gaps are reported (the largest): a room of free-text
/// roles must not bury the headline under every pair of them.
pub const MAX_ROLE_GAPS: usize = 5;

/// A respondent is flagged as far from the rest when at least this share of the
/// scored questions they answered sit at the top option, or at the bottom one.
pub const EXTREME_SHARE: f64 = 0.8;

/// At most this many such respondents are kept (each with their answers, to work
/// the group out without them).
const MAX_OUTLIERS: usize = 20;

/// Summary statistics of one factor over the respondents who answered it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorStats {
    /// Factor id.
    pub id: String,
    /// The band the mean falls in by the rubric's boundaries (how it leans).
    #[serde(skip)]
    pub(crate) leaning: Option<Band>,
    /// `None` (JSON null) for the statistics when no respondent answered the factor.
    pub mean: Option<f64>,
    /// Median of the respondents' factor scores.
    pub median: Option<f64>,
    /// Population standard deviation.
    pub stdev: Option<f64>,
    /// Lowest factor score.
    pub min: Option<f64>,
    /// Highest factor score.
    pub max: Option<f64>,
    /// How many respondents answered at least one question of the factor.
    pub answered: usize,
}

/// One question on the agenda, with how the answers split.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaItem {
    /// Question id.
    pub question: String,
    /// Population standard deviation of the chosen options' scores.
    pub stdev: f64,
    /// Option id = how many chose it, in the rubric's option order; options nobody
    /// chose are left out.
    pub split: IndexMap<String, usize>,
}

/// A role's factor mean.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleFactor {
    pub(crate) id: String,
    /// Mean of the role's respondents' scores on the factor; `None` when none answered it.
    pub mean: Option<f64>,
}

/// The respondents who gave one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleStats {
    /// The role, as the first respondent who gave it wrote it.
    pub role: String,
    /// How many respondents gave it.
    pub respondents: usize,
    /// The role's mean on each factor, in rubric order.
    pub factors: Vec<RoleFactor>,
}

/// A respondent whose answers sit nearly all at one extreme, and the group result
/// without them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Outlier {
    /// Who.
    pub respondent: String,
    /// `top` or `bottom`: where their answers sit.
    pub side: &'static str,
    /// Scored questions they answered, and how many of them at that extreme.
    pub answered: usize,
    /// How many of those sit at the extreme.
    pub at_extreme: usize,
    /// The group's recommendation without them.
    pub recommendation_without: Band,
    /// The group's index without them.
    pub index_without: f64,
}

/// What a flagged member added to the group, kept to take it out again.
#[derive(Debug, Clone)]
struct Member {
    who: String,
    side: &'static str,
    answered: usize,
    at_extreme: usize,
    index: f64,
    factors: Vec<Option<f64>>,
    choices: Vec<Option<usize>>,
    shares: Vec<f64>,
}

/// Two roles far apart on a factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleGap {
    /// Factor id.
    pub factor: String,
    /// The two roles, in order of first appearance.
    pub(crate) roles: [String; 2],
    /// Absolute difference of their means.
    pub difference: f64,
}

/// For a group: the factor whose mean needs the smallest move to change the group
/// recommendation, other factor means held where they are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tipping {
    /// Factor id.
    pub factor: String,
    /// The factor mean now.
    pub(crate) mean: f64,
    /// The factor mean that would change the recommendation.
    pub to: f64,
    /// The group recommendation the factor would then give.
    pub recommendation: Band,
    /// The group index it would give.
    pub index: f64,
}

/// A note from a sheet's `[notes]`, with who wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    /// The respondent's name, or the sheet's source when the name is missing.
    pub respondent: String,
    /// Question id.
    pub question: String,
    pub(crate) text: String,
    /// The sheet it came from: two respondents of one name are told apart by it.
    pub source: String,
}

/// An organisation the sheets name, and how many of them name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    /// As the first sheet that names it writes it (trimmed).
    pub name: String,
    /// How many sheets name it.
    pub sheets: usize,
}

/// The group result of a workshop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workshop<'r> {
    /// How many scored sheets the group has.
    pub respondents: usize,
    /// The organisations the sheets name (compared as answers are), in order of
    /// first appearance; more than one is a mixed group, which `workshop` and
    /// `report` refuse unless told it is intended.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<Organisation>,
    /// How many sheets name no organisation.
    #[serde(skip)]
    pub unnamed: usize,
    /// The earliest and the latest `date` of the sheets that give one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dates: Option<Dates>,
    /// Mean of the respondents' indexes.
    pub index: f64,
    /// After the gates, applied to the factor means.
    pub recommendation: Band,
    /// The band of the group index, before gates.
    pub band: Band,
    /// Distance in index points from the group index to the nearest band boundary.
    pub margin: f64,
    /// Each factor's statistics, in rubric order.
    pub factors: Vec<FactorStats>,
    /// Gates that fired on the factor means.
    pub gates: Vec<FiredGate<'r>>,
    /// Every question someone answered, the widest split first: what to discuss.
    pub agenda: Vec<AgendaItem>,
    /// Each role's factor means, in order of first appearance.
    pub roles: Vec<RoleStats>,
    /// The largest gaps (at most [`MAX_ROLE_GAPS`]) of [`ROLE_GAP`] points or more
    /// between the means of two roles on a factor, each role answered by more than
    /// one respondent.
    pub flags: Vec<RoleGap>,
    /// How many more such gaps there are beyond those listed.
    #[serde(rename = "more-flags")]
    pub more_flags: usize,
    /// Respondents far from the rest (nearly every answer at one extreme), with
    /// what the group result would be without each.
    pub outliers: Vec<Outlier>,
    /// How many respondents got each recommendation.
    pub recommendations: IndexMap<Band, usize>,
    /// The factor closest to changing the group recommendation, if any.
    pub tipping: Option<Tipping>,
    /// Format 3: the outcome rule the group's figures meet (by id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<&'r str>,
    /// Format 3: the office type recommended to the group, with what to do about
    /// the office its typical answer says exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office: Option<crate::scoring::OfficeView<'r>>,
    /// Format 3: what the margin is measured on.
    #[serde(rename = "margin-on", skip_serializing_if = "Option::is_none")]
    pub margin_on: Option<crate::scoring::MarginOn<'r>>,
    /// The sheets' notes, in input order.
    pub notes: Vec<Note>,
    /// The respondents whose own result is provisional (too few answers in some
    /// factor), by name, or by source when the name is missing.
    pub(crate) provisional: Vec<String>,
    /// The steps from the group's typical answers to a target (contract section 6,
    /// with the starting answers and how many already stand at each step).
    pub(crate) roadmap: Option<GroupRoadmap<'r>>,
    /// Format 3: the group's plan of initiatives (contract section 6), from its
    /// typical answers towards the decision its headline shows, in the same JSON key.
    #[serde(rename = "roadmap", skip_serializing_if = "Option::is_none")]
    pub plan: Option<crate::plan::Plan<'r>>,
    /// Which texts of the rubric apply to the group result (gates and next-step
    /// conditions read the group's means).
    #[serde(skip)]
    pub(crate) advice: crate::advice::Advice,
}

/// The span of the sheets' dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dates {
    /// The earliest.
    pub from: SheetDate,
    /// The latest.
    pub to: SheetDate,
}

/// How many respondents chose each option of each question (`counts[q][o]`): all a
/// group roadmap needs, small whatever the number of sheets, and built one sheet at
/// a time ([`OptionCounts::add`]) so a streamed run can keep it instead of the sheets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct OptionCounts {
    pub(crate) counts: Vec<Vec<usize>>,
}

impl OptionCounts {
    /// No answer counted yet.
    pub(crate) fn new(rubric: &LoadedRubric) -> Self {
        OptionCounts {
            counts: rubric
                .rubric
                .question
                .iter()
                .map(|q| vec![0; q.option.len()])
                .collect(),
        }
    }

    /// Counts one sheet's answers.
    pub(crate) fn add(&mut self, choices: &[Option<usize>]) {
        for (row, c) in self.counts.iter_mut().zip(choices) {
            if let Some(n) = c.and_then(|oi| row.get_mut(oi)) {
                *n += 1;
            }
        }
    }

    /// Merges the counts of another part of the run.
    #[cfg(test)]
    pub(crate) fn merge(&mut self, other: &OptionCounts) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }

    /// The answer most respondents chose to each question (the first in file order
    /// among ties); `None` when nobody answered it. What a group's `is` conditions
    /// read, chiefly on context questions.
    pub(crate) fn modal(&self) -> Vec<Option<usize>> {
        (self.counts.iter())
            .map(|counts| {
                let (best, &n) = counts
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))?;
                (n > 0).then_some(best)
            })
            .collect()
    }

    /// The group's typical answer to each question: the median option by score
    /// among the respondents who answered it (the lower of the two middle answers
    /// when their number is even, so no step is skipped); `None` when nobody did.
    pub(crate) fn typical(&self, rubric: &LoadedRubric) -> Vec<Option<usize>> {
        rubric
            .rubric
            .question
            .iter()
            .zip(&self.counts)
            .map(|(q, row)| {
                let n: usize = row.iter().sum();
                if n == 0 {
                    return None;
                }
                let mut order: Vec<usize> = (0..row.len()).collect();
                // Stable: options of equal score keep file order.
                order.sort_by(|&a, &b| q.option[a].score.total_cmp(&q.option[b].score));
                let rank = (n - 1) / 2;
                let mut seen = 0;
                order.into_iter().find(|&oi| {
                    seen += row[oi];
                    seen > rank
                })
            })
            .collect()
    }

    /// How many respondents answered question `qi` with an option scoring at least
    /// as much as option `oi`, and how many answered it at all.
    pub(crate) fn at_or_above(
        &self,
        rubric: &LoadedRubric,
        qi: usize,
        oi: usize,
    ) -> (usize, usize) {
        let q = &rubric.rubric.question[qi];
        let floor = q.option[oi].score;
        let row = &self.counts[qi];
        let at = row
            .iter()
            .zip(&q.option)
            .filter(|(_, o)| crate::rubric::reaches(o.score, floor))
            .map(|(n, _)| n)
            .sum();
        (at, row.iter().sum())
    }
}

/// A roadmap step for a group: how many respondents already answer at or above its
/// `to`, out of those who answered the question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct GroupStep<'r> {
    #[serde(flatten)]
    pub(crate) step: Step<'r>,
    pub(crate) already: usize,
    pub(crate) answered: usize,
}

/// The roadmap of a group (contract section 6), from its typical answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct GroupRoadmap<'r> {
    pub(crate) target: Option<Band>,
    pub(crate) reached: bool,
    pub(crate) steps: Vec<GroupStep<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) blocked: Option<Blocked<'r>>,
    /// Where the steps start: each question's median answer by score
    /// ([`OptionCounts::typical`]), question id -> option id.
    pub(crate) start: crate::result::Answers<'r>,
}

/// The group's roadmap towards `target` (else the band above `recommendation`, the
/// group's result), starting from its typical answers; `None` when nothing was
/// answered.
pub(crate) fn group_roadmap<'r>(
    rubric: &'r LoadedRubric,
    counts: &OptionCounts,
    recommendation: Band,
    target: Option<Band>,
) -> Option<GroupRoadmap<'r>> {
    let typical = counts.typical(rubric);
    let target = target.or_else(|| roadmap::default_target(recommendation));
    let mut plan = roadmap::plan(rubric, &Outcome::of(rubric, &typical).ok()?, target);
    // A group at VMO with no target asked for has none, whatever its typical sheet.
    if target.is_none() {
        plan.target = None;
        plan.steps.clear();
        plan.blocked = None;
        plan.reached = true;
    }
    let steps = plan
        .steps
        .into_iter()
        .map(|step| {
            let qi = rubric.question(step.question).unwrap_or(0);
            let to = rubric.rubric.question[qi]
                .option
                .iter()
                .position(|o| o.id == step.to)
                .unwrap_or(0);
            let (already, answered) = counts.at_or_above(rubric, qi, to);
            GroupStep {
                step,
                already,
                answered,
            }
        })
        .collect();
    let start = crate::result::Answers::of(rubric, &typical);
    Some(GroupRoadmap {
        target: plan.target,
        reached: plan.reached,
        steps,
        blocked: plan.blocked,
        start,
    })
}

/// Population statistics: mean, median, standard deviation, min, max.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stats {
    pub(crate) mean: f64,
    pub(crate) median: f64,
    pub(crate) stdev: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
}

/// Statistics of a non-empty list; `None` when empty.
#[cfg(test)]
pub(crate) fn stats(values: &[f64]) -> Option<Stats> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    };
    Some(Stats {
        mean,
        median,
        stdev: var.sqrt(),
        min: sorted[0],
        max: sorted[sorted.len() - 1],
    })
}

/// Aggregates scored sheets into one group result; `None` when there is none.
pub fn aggregate<'r>(
    rubric: &'r LoadedRubric,
    members: &[(ResolvedSheet, SheetResult<'_>)],
) -> Option<Workshop<'r>> {
    let mut group = Group::new(rubric);
    for (sheet, result) in members {
        group.add(sheet, result);
    }
    group.finish(None)
}

/// The scores one factor took over the members who answered it, as a count per
/// distinct score: enough for the mean, median, spread and extremes without keeping
/// a value per member. A factor score is a weighted mean of its questions' option
/// scores, so it takes at most the product, over the factor's questions, of their
/// options plus one (unanswered) distinct values, however many members there are
/// (7,776 for a factor of five questions of five options; far fewer in practice,
/// as different answers give equal means).
#[derive(Debug, Clone, Default)]
struct Values {
    /// The sum in member order (the mean is exactly that of a list).
    sum: f64,
    count: usize,
    /// Distinct value (by its bits, all finite and at least 0) -> how many.
    counts: std::collections::BTreeMap<u64, usize>,
}

impl Values {
    fn add(&mut self, v: f64) {
        self.sum += v;
        self.count += 1;
        // Scores are 0 to 100: their bits sort as the numbers do (-0.0 as 0.0).
        *self.counts.entry((v + 0.0).to_bits()).or_default() += 1;
    }

    fn stats(&self) -> Option<Stats> {
        if self.count == 0 {
            return None;
        }
        let n = self.count as f64;
        let mean = self.sum / n;
        let values = || self.counts.iter().map(|(&b, &c)| (f64::from_bits(b), c));
        let var = values()
            .map(|(v, c)| c as f64 * (v - mean) * (v - mean))
            .sum::<f64>()
            / n;
        // The value at a 0-based rank in sorted order.
        let at = |rank: usize| {
            let mut seen = 0;
            values()
                .find(|&(_, c)| {
                    seen += c;
                    seen > rank
                })
                .map_or(0.0, |(v, _)| v)
        };
        let mid = self.count / 2;
        let median = if self.count % 2 == 1 {
            at(mid)
        } else {
            (at(mid - 1) + at(mid)) / 2.0
        };
        Some(Stats {
            mean,
            median,
            stdev: var.sqrt(),
            min: values().next().map_or(0.0, |(v, _)| v),
            max: values().next_back().map_or(0.0, |(v, _)| v),
        })
    }
}

/// One role's members so far: its first spelling, and each factor's sum and count.
#[derive(Debug, Clone)]
struct RoleTally {
    role: String,
    respondents: usize,
    factors: Vec<(f64, usize)>,
}

/// A workshop being aggregated one member at a time, in flat memory: what it keeps
/// grows with the rubric (a count per distinct factor score, a count per option of
/// each question), the roles and what the result lists by name (notes, provisional
/// respondents), never with a member's sheet.
#[derive(Debug, Clone)]
pub struct Group<'r> {
    rubric: &'r LoadedRubric,
    respondents: usize,
    index_sum: f64,
    factors: Vec<Values>,
    /// Per question: the sum of the chosen options' scores in member order, and how
    /// many members chose each option (the split, and a group's typical answer).
    question_sums: Vec<f64>,
    options: OptionCounts,
    roles: IndexMap<String, RoleTally>,
    recommendations: [usize; 6],
    share_sums: Vec<f64>,
    notes: Vec<Note>,
    provisional: Vec<String>,
    /// Per factor, the sum of the members' scores (to take one out).
    factor_sums: Vec<(f64, usize)>,
    /// Members far from the rest, kept whole (at most [`MAX_OUTLIERS`]).
    outliers: Vec<Member>,
    /// Organisation (normalised) -> its first spelling and how many sheets.
    organisations: IndexMap<String, Organisation>,
    unnamed: usize,
    dates: Option<Dates>,
}

impl<'r> Group<'r> {
    /// A group with no member yet.
    pub fn new(rubric: &'r LoadedRubric) -> Self {
        let r = &rubric.rubric;
        Group {
            rubric,
            respondents: 0,
            index_sum: 0.0,
            factors: vec![Values::default(); r.factor.len()],
            question_sums: vec![0.0; r.question.len()],
            options: OptionCounts::new(rubric),
            roles: IndexMap::new(),
            recommendations: [0; 6],
            share_sums: vec![0.0; r.factor.len()],
            notes: Vec::new(),
            provisional: Vec::new(),
            factor_sums: vec![(0.0, 0); r.factor.len()],
            outliers: Vec::new(),
            organisations: IndexMap::new(),
            unnamed: 0,
            dates: None,
        }
    }

    /// The organisations named so far, in order of first appearance.
    pub fn organisations(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.values()
    }

    /// Counts the sheet's organisation, compared as answers are ([`normalise`]),
    /// and its date.
    fn add_origin(&mut self, sheet: &ResolvedSheet, m: &SheetResult<'_>) {
        let named = m.organisation.as_deref().map(|o| (normalise(o), o.trim()));
        match named {
            Some((key, name)) if !key.is_empty() => {
                (self.organisations.entry(key))
                    .or_insert_with(|| Organisation {
                        name: name.to_string(),
                        sheets: 0,
                    })
                    .sheets += 1;
            }
            _ => self.unnamed += 1,
        }
        if let Some(d) = sheet.sheet.date {
            self.dates = Some(match self.dates {
                None => Dates { from: d, to: d },
                Some(x) => Dates {
                    from: x.from.min(d),
                    to: x.to.max(d),
                },
            });
        }
    }

    /// Adds one scored sheet.
    pub fn add(&mut self, sheet: &ResolvedSheet, m: &SheetResult<'_>) {
        let r = &self.rubric.rubric;
        self.respondents += 1;
        self.add_origin(sheet, m);
        self.index_sum += m.evaluation.index;
        for (fi, values) in self.factors.iter_mut().enumerate() {
            if let Some(v) = m.evaluation.factors.get(fi).and_then(|f| f.score) {
                values.add(v);
                self.factor_sums[fi].0 += v;
                self.factor_sums[fi].1 += 1;
            }
        }
        self.note_extreme(sheet, m);
        for (qi, q) in r.question.iter().enumerate() {
            if let Some(oi) = sheet.choices.get(qi).copied().flatten() {
                self.question_sums[qi] += q.option[oi].score;
            }
        }
        self.options.add(&sheet.choices);
        self.add_role(m);
        if let Some(i) = Band::ALL
            .iter()
            .position(|&b| b == m.evaluation.recommendation)
        {
            self.recommendations[i] += 1;
        }
        self.add_share(m);
        let who = who(m);
        self.notes
            .extend(sheet.sheet.notes.iter().map(|(q, text)| Note {
                respondent: who.clone(),
                question: q.clone(),
                text: text.clone(),
                source: m.source.to_string(),
            }));
        if m.evaluation.provisional {
            self.provisional.push(who);
        }
    }

    /// Keeps a member whose answers sit nearly all at one extreme (at least
    /// [`EXTREME_SHARE`] of four or more scored answers at the top option, or at
    /// the bottom one), to report them and the group without them.
    fn note_extreme(&mut self, sheet: &ResolvedSheet, m: &SheetResult<'_>) {
        if self.outliers.len() >= MAX_OUTLIERS {
            return;
        }
        let rubric = self.rubric;
        let (mut answered, mut top, mut bottom) = (0, 0, 0);
        for (qi, q) in rubric.rubric.question.iter().enumerate() {
            let Some(oi) = sheet.choices.get(qi).copied().flatten() else {
                continue;
            };
            if q.kind == crate::rubric::QuestionKind::Context {
                continue;
            }
            answered += 1;
            top += usize::from(oi == rubric.highest_option(qi));
            bottom += usize::from(oi == rubric.lowest_option(qi));
        }
        let (side, at) = if top >= bottom {
            ("top", top)
        } else {
            ("bottom", bottom)
        };
        if answered < 4 || (at as f64) < EXTREME_SHARE * answered as f64 {
            return;
        }
        let r = &rubric.rubric;
        let factors: Vec<Option<f64>> = m.evaluation.factors.iter().map(|f| f.score).collect();
        let weight: f64 = (r.factor.iter().zip(&factors))
            .filter(|(_, s)| s.is_some())
            .map(|(f, _)| f.weight)
            .sum();
        let shares = (r.factor.iter().zip(&factors))
            .map(|(f, s)| {
                if s.is_some() && weight > 0.0 {
                    f.weight / weight
                } else {
                    0.0
                }
            })
            .collect();
        self.outliers.push(Member {
            who: who(m),
            side,
            answered,
            at_extreme: at,
            index: m.evaluation.index,
            factors,
            choices: sheet.choices.clone(),
            shares,
        });
    }

    /// The group's figures without one member (kept by [`Self::note_extreme`]).
    fn figures_without(&self, m: &Member) -> Option<GroupFigures> {
        let n = self.respondents.checked_sub(1).filter(|&n| n > 0)? as f64;
        let r = &self.rubric.rubric;
        let factors = (self.factor_sums.iter().zip(&m.factors))
            .map(|(&(sum, count), own)| {
                let (sum, count) = match own {
                    Some(v) => (sum - v, count - 1),
                    None => (sum, count),
                };
                (count > 0).then(|| sum / count as f64)
            })
            .collect();
        let mut counts = self.options.clone();
        let mut questions = Vec::with_capacity(r.question.len());
        for (qi, q) in r.question.iter().enumerate() {
            let mut sum = self.question_sums[qi];
            if let Some(oi) = m.choices.get(qi).copied().flatten() {
                sum -= q.option[oi].score;
                counts.counts[qi][oi] -= 1;
            }
            let answered: usize = counts.counts[qi].iter().sum();
            questions.push((answered > 0).then(|| sum / answered as f64));
        }
        Some(GroupFigures {
            index: (self.index_sum - m.index) / n,
            factors,
            questions,
            choices: counts.modal(),
            shares: (self.share_sums.iter().zip(&m.shares))
                .map(|(s, own)| (s - own) / n)
                .collect(),
        })
    }

    /// Counts the member under its role, compared as answers are ([`normalise`]).
    fn add_role(&mut self, m: &SheetResult<'_>) {
        let Some(role) = m.role.as_deref() else {
            return;
        };
        let key = normalise(role);
        if key.is_empty() {
            return;
        }
        let n = self.rubric.rubric.factor.len();
        let tally = self.roles.entry(key).or_insert_with(|| RoleTally {
            role: role.trim().to_string(),
            respondents: 0,
            factors: vec![(0.0, 0); n],
        });
        tally.respondents += 1;
        for (fi, (sum, count)) in tally.factors.iter_mut().enumerate() {
            if let Some(v) = m.evaluation.factors.get(fi).and_then(|f| f.score) {
                *sum += v;
                *count += 1;
            }
        }
    }

    /// Adds the member's part of each factor's [`shares`].
    fn add_share(&mut self, m: &SheetResult<'_>) {
        let r = &self.rubric.rubric;
        let factors = &m.evaluation.factors;
        let answered: f64 = r
            .factor
            .iter()
            .zip(factors)
            .filter(|(_, fs)| fs.score.is_some())
            .map(|(f, _)| f.weight)
            .sum();
        if answered <= 0.0 {
            return;
        }
        for ((share, f), fs) in self.share_sums.iter_mut().zip(&r.factor).zip(factors) {
            if fs.score.is_some() {
                *share += f.weight / answered;
            }
        }
    }

    /// How far the group index moves per point that a factor's group mean moves,
    /// when every respondent who answered the factor moves by that point: the mean,
    /// over all respondents, of the factor's weight over the weight of the factors
    /// each answered (0 for one who did not answer it). With every factor answered
    /// by everyone, that is the factor's share of the total weight.
    pub(crate) fn shares(&self) -> Vec<f64> {
        let n = self.respondents.max(1) as f64;
        self.share_sums.iter().map(|s| s / n).collect()
    }

    /// The group result, with the roadmap of its typical answers towards `target`
    /// (else the band above its result); `None` when no member was added.
    pub fn finish(self, target: Option<Band>) -> Option<Workshop<'r>> {
        if self.respondents == 0 {
            return None;
        }
        let rubric = self.rubric;
        let n = self.respondents as f64;
        let factors = self.factor_stats();
        let figures = GroupFigures {
            index: self.index_sum / n,
            factors: factors.iter().map(|f| f.mean).collect(),
            questions: self.question_means(),
            choices: self.options.modal(),
            shares: self.shares(),
        };
        let mut fired = Vec::new();
        let d = figures.decide(rubric, |gi, changed| fired.push((gi, changed)));
        let gates = scoring::named_gates(rubric, &fired);
        let advice = crate::advice::advise(rubric, &d, &fired, false, |c| {
            scoring::holds(rubric, &figures, c)
        });
        let roles = self.role_stats();
        let (flags, more_flags) = role_gaps(rubric, &roles);
        let outliers = (self.outliers.iter())
            .filter_map(|m| {
                let without = self.figures_without(m)?.decide(rubric, |_, _| {});
                Some(Outlier {
                    respondent: m.who.clone(),
                    side: m.side,
                    answered: m.answered,
                    at_extreme: m.at_extreme,
                    recommendation_without: without.recommendation,
                    index_without: without.index,
                })
            })
            .collect();
        let (roadmap, plan) = if rubric.has_outcomes() {
            let typical = self.options.typical(rubric);
            let holds = |c: &crate::rubric::Cond| scoring::holds(rubric, &figures, c);
            let already = |qi: usize, oi: usize| {
                let (count, of) = self.options.at_or_above(rubric, qi, oi);
                crate::plan::Already { count, of }
            };
            let gates = fired.iter().map(|&(gi, _)| gi).collect();
            let start = crate::plan::GroupStart {
                typical: &typical,
                modal: &figures.choices,
                decision: d,
                gates,
            };
            let plan = crate::plan::for_group(rubric, start, target, &holds, &already);
            (None, Some(plan))
        } else {
            let roadmap = group_roadmap(rubric, &self.options, d.recommendation, target);
            (roadmap, None)
        };
        Some(Workshop {
            roadmap,
            plan,
            respondents: self.respondents,
            unnamed: self.unnamed,
            dates: self.dates,
            index: d.index,
            recommendation: d.recommendation,
            band: d.band,
            margin: d.margin,
            tipping: tipping(rubric, &figures, d.recommendation),
            outcome: d.rule.map(|ri| rubric.rubric.outcome[ri].id.as_str()),
            office: scoring::office_view(rubric, &d, &figures.choices),
            margin_on: scoring::margin_on_view(rubric, &d),
            advice,
            agenda: self.agenda(),
            factors,
            gates,
            roles,
            flags,
            more_flags,
            outliers,
            // The outcomes off the index's ladder only where someone has them.
            recommendations: Band::ALL
                .iter()
                .zip(self.recommendations)
                .filter(|&(b, c)| b.on_ladder() || c > 0)
                .map(|(&b, c)| (b, c))
                .collect(),
            notes: self.notes,
            provisional: self.provisional,
            organisations: self.organisations.into_values().collect(),
        })
    }

    /// Each question's mean score over the members who answered it (`None`: nobody
    /// did), for the gates on a question.
    fn question_means(&self) -> Vec<Option<f64>> {
        self.question_sums
            .iter()
            .zip(&self.options.counts)
            .map(|(sum, counts)| {
                let n: usize = counts.iter().sum();
                (n > 0).then(|| sum / n as f64)
            })
            .collect()
    }

    /// Each factor's statistics over the members who answered it, in rubric order.
    fn factor_stats(&self) -> Vec<FactorStats> {
        self.rubric
            .rubric
            .factor
            .iter()
            .zip(&self.factors)
            .map(|(f, vals)| {
                let s = vals.stats();
                FactorStats {
                    id: f.id.clone(),
                    leaning: s.map(|s| scoring::band_of(&self.rubric.rubric.scoring, s.mean)),
                    mean: s.map(|s| s.mean),
                    median: s.map(|s| s.median),
                    stdev: s.map(|s| s.stdev),
                    min: s.map(|s| s.min),
                    max: s.map(|s| s.max),
                    answered: vals.count,
                }
            })
            .collect()
    }

    /// The answered questions with how the answers split, most disputed first.
    fn agenda(&self) -> Vec<AgendaItem> {
        let questions = &self.rubric.rubric.question;
        let mut agenda: Vec<AgendaItem> = questions
            .iter()
            .zip(self.question_sums.iter().zip(&self.options.counts))
            .filter_map(|(q, (sum, counts))| {
                let n: usize = counts.iter().sum();
                // A context question has no scores to spread over (its split is in
                // the JSON's context answers, not on the agenda).
                if n == 0 || q.kind == crate::rubric::QuestionKind::Context {
                    return None;
                }
                let mean = sum / n as f64;
                let var = q
                    .option
                    .iter()
                    .zip(counts)
                    .map(|(o, &c)| c as f64 * (o.score - mean) * (o.score - mean))
                    .sum::<f64>()
                    / n as f64;
                let split = q
                    .option
                    .iter()
                    .zip(counts)
                    .filter(|&(_, &c)| c > 0)
                    .map(|(o, &c)| (o.id.clone(), c))
                    .collect();
                Some(AgendaItem {
                    question: q.id.clone(),
                    stdev: var.sqrt(),
                    split,
                })
            })
            .collect();
        // Stable: equal spreads keep rubric order.
        agenda.sort_by(|a, b| b.stdev.total_cmp(&a.stdev));
        agenda
    }

    /// Factor means per role, roles in order of first appearance, shown as first
    /// written (trimmed); members without a role (or with one of white space only)
    /// are left out.
    fn role_stats(&self) -> Vec<RoleStats> {
        self.roles
            .values()
            .map(|t| RoleStats {
                role: t.role.clone(),
                respondents: t.respondents,
                factors: self
                    .rubric
                    .rubric
                    .factor
                    .iter()
                    .zip(&t.factors)
                    .map(|(f, &(sum, count))| RoleFactor {
                        id: f.id.clone(),
                        mean: (count > 0).then(|| sum / count as f64),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// A respondent's name, or the sheet's source when the name is missing.
fn who(m: &SheetResult<'_>) -> String {
    m.respondent.clone().unwrap_or_else(|| m.source.to_string())
}

/// The largest gaps between two roles' means on a factor: [`ROLE_GAP`] points or
/// more, between roles each answered by more than one respondent (one person is
/// no role's view), largest first (then factor and role order), at most
/// [`MAX_ROLE_GAPS`]; and how many more there are.
fn role_gaps(rubric: &LoadedRubric, roles: &[RoleStats]) -> (Vec<RoleGap>, usize) {
    // The largest gaps so far, as (difference, factor, role, role): no text is
    // copied for a pair that is not kept, however many roles there are.
    let mut top: Vec<(f64, usize, usize, usize)> = Vec::with_capacity(MAX_ROLE_GAPS + 1);
    let mut found = 0usize;
    let backed: Vec<usize> = (0..roles.len())
        .filter(|&i| roles[i].respondents > 1)
        .collect();
    for fi in 0..rubric.rubric.factor.len() {
        for (k, &i) in backed.iter().enumerate() {
            for &j in &backed[k + 1..] {
                let (Some(x), Some(y)) = (roles[i].factors[fi].mean, roles[j].factors[fi].mean)
                else {
                    continue;
                };
                let difference = (x - y).abs();
                if !scoring::reaches(difference, ROLE_GAP) {
                    continue;
                }
                found += 1;
                // Kept in order, largest first; an equal gap goes after the ones
                // found before it (factor, then role order).
                let at = top.partition_point(|t| t.0 >= difference);
                if at < MAX_ROLE_GAPS {
                    top.insert(at, (difference, fi, i, j));
                    top.truncate(MAX_ROLE_GAPS);
                }
            }
        }
    }
    let flags = (top.into_iter())
        .map(|(difference, fi, i, j)| RoleGap {
            factor: rubric.rubric.factor[fi].id.clone(),
            roles: [roles[i].role.clone(), roles[j].role.clone()],
            difference,
        })
        .collect::<Vec<_>>();
    let more = found - flags.len();
    (flags, more)
}

/// The smallest move of one factor mean that changes the group recommendation.
///
/// Each candidate mean is scored by the model ([`GroupFigures::with_factor`]: the
/// group index moves by the factor's share of the move, exact for a move made by
/// every respondent who answered the factor; the question means that gates on a
/// question read are held where they are). Candidates are every tenth of a point
/// from 0 to 100 plus either side of the exact points where a gate or a band
/// boundary is crossed; the nearest one that changes the result wins, ties going to
/// rubric order.
pub(crate) fn tipping(
    rubric: &LoadedRubric,
    figures: &GroupFigures,
    recommendation: Band,
) -> Option<Tipping> {
    let r = &rubric.rubric;
    let mut best: Option<(f64, Tipping)> = None;
    for (fi, f) in r.factor.iter().enumerate() {
        let Some(m) = figures.factors[fi] else {
            continue;
        };
        let share = figures.shares[fi];
        if share <= 0.0 {
            continue;
        }
        let mut cands: Vec<f64> = (0..=1000).map(|k| k as f64 / 10.0).collect();
        // Either side of each point where the decision may change, far enough out
        // that the comparisons' tolerance (scoring::TOLERANCE) cannot hide the
        // crossing.
        for c in figures.thresholds(rubric, fi) {
            cands.extend([c - 1e-6, c, c + 1e-6]);
        }
        cands.sort_by(f64::total_cmp);
        for to in cands {
            if !(0.0..=100.0).contains(&to) || to == m {
                continue;
            }
            let Some(d) = figures.with_factor(rubric, fi, to) else {
                continue;
            };
            if d.recommendation == recommendation {
                continue;
            }
            let dist = (to - m).abs();
            // Equal moves (up to rounding) go to the earlier factor.
            if best.as_ref().is_none_or(|(bd, _)| dist < *bd - 1e-6) {
                best = Some((
                    dist,
                    Tipping {
                        factor: f.id.clone(),
                        mean: m,
                        to,
                        recommendation: d.recommendation,
                        index: d.index,
                    },
                ));
            }
        }
    }
    best.map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typical_answer_is_the_lower_median_by_score_among_those_who_answered() {
        let r = crate::scoring::tests::small();
        let mut c = OptionCounts::new(&r);
        // b1 (10 | 50 | 90): answers lo, hi, hi, mid -> by score lo, mid, hi, hi:
        // the lower middle one is mid. a1 unanswered by all; a2 once.
        for choices in [
            [None, Some(0), Some(0)],
            [None, None, Some(2)],
            [None, None, Some(2)],
            [None, None, Some(1)],
        ] {
            c.add(&choices);
        }
        assert_eq!(c.typical(&r), vec![None, Some(0), Some(1)]);
        // At or above "mid": mid and two his, of four.
        assert_eq!(c.at_or_above(&r, 2, 1), (3, 4));
        // Counting in two parts and merging gives the same counts.
        let (mut x, mut y) = (OptionCounts::new(&r), OptionCounts::new(&r));
        x.add(&[None, Some(0), Some(0)]);
        y.add(&[None, None, Some(2)]);
        y.add(&[None, None, Some(2)]);
        y.add(&[None, None, Some(1)]);
        x.merge(&y);
        assert_eq!(x, c);
    }

    #[test]
    fn stats_by_hand() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, median (4+5)/2 = 4.5, variance 32/8 = 4, stdev 2.
        let s = stats(&[9.0, 2.0, 4.0, 4.0, 5.0, 4.0, 5.0, 7.0]).unwrap();
        assert_eq!(s.mean, 5.0);
        assert_eq!(s.median, 4.5);
        assert_eq!(s.stdev, 2.0);
        assert_eq!((s.min, s.max), (2.0, 9.0));
        // Odd count: the middle value; one value: stdev 0.
        assert_eq!(stats(&[3.0, 1.0, 2.0]).unwrap().median, 2.0);
        assert_eq!(stats(&[7.0]).unwrap().stdev, 0.0);
        assert_eq!(stats(&[]), None);
    }

    fn member<'r>(
        rubric: &'r LoadedRubric,
        role: Option<&str>,
        choices: Vec<Option<usize>>,
    ) -> (ResolvedSheet, SheetResult<'r>) {
        let sheet = ResolvedSheet {
            source: "x.toml".into(),
            sheet: crate::input::sheet::Sheet {
                rubric: rubric.rubric.id.clone(),
                role: role.map(str::to_string),
                ..Default::default()
            },
            choices,
            unknown: Vec::new(),
            warnings: Vec::new(),
            format: crate::input::SheetFormat::Toml,
            text: None,
        };
        let result = crate::result::score(rubric, sheet.clone(), true).unwrap();
        (sheet, result)
    }

    #[test]
    fn role_gap_of_exactly_twenty_is_flagged_and_less_is_not() {
        // b1's options scored 10 / 30 / 50 so the role means differ by exactly 20.
        let r = crate::scoring::tests::small().changed(|rb| {
            rb.question[2].option[0].score = 10.0;
            rb.question[2].option[1].score = 30.0;
            rb.question[2].option[2].score = 29.0;
        });
        // Two of each role: a role of one respondent is nobody's view but theirs.
        let ms = vec![
            member(&r, Some("x"), vec![None, None, Some(0)]), // b = 10
            member(&r, Some("x"), vec![None, None, Some(0)]),
            member(&r, Some("y"), vec![None, None, Some(1)]), // b = 30: gap 20, flagged
            member(&r, Some("y"), vec![None, None, Some(1)]),
            member(&r, Some("z"), vec![None, None, Some(2)]), // b = 29: gap 19 with x, 1 with y
            member(&r, Some("z"), vec![None, None, Some(2)]),
            member(&r, Some("alone"), vec![None, None, Some(1)]), // 20 from x, but alone
            member(&r, None, vec![None, None, Some(2)]),          // no role: not in roles
        ];
        let w = aggregate(&r, &ms).unwrap();
        assert_eq!(w.roles.len(), 4);
        assert_eq!(w.flags.len(), 1);
        assert_eq!(w.flags[0].factor, "b");
        assert_eq!(w.flags[0].roles, ["x".to_string(), "y".to_string()]);
        assert_eq!(w.flags[0].difference, 20.0);
        // Factor a is answered by nobody: statistics are null, count 0.
        assert_eq!(w.factors[0].answered, 0);
        assert_eq!(w.factors[0].mean, None);
    }

    #[test]
    fn roles_are_grouped_trimmed_and_case_and_space_folded() {
        let r = crate::scoring::tests::small();
        let one = |role: Option<&str>, o: usize| member(&r, role, vec![None, None, Some(o)]);
        let ms = vec![
            one(Some("Project  Manager"), 0),
            one(Some(" project manager "), 2),
            one(Some("PROJECT\tMANAGER"), 2),
            one(Some("Sponsor"), 0),
            one(Some("sponsor"), 0),
            one(Some("   "), 2),
            one(None, 2),
        ];
        let w = aggregate(&r, &ms).unwrap();
        let roles: Vec<(&str, usize)> = w
            .roles
            .iter()
            .map(|x| (x.role.as_str(), x.respondents))
            .collect();
        assert_eq!(roles, [("Project  Manager", 3), ("Sponsor", 2)]);
        // One role, so no gap between its spellings; the gap to Sponsor is real.
        assert!(!w.flags.is_empty());
        assert!(
            w.flags.iter().all(|f| f.roles[1] == "Sponsor"),
            "{:?}",
            w.flags
        );
    }

    #[test]
    fn at_most_five_role_gaps_are_listed_the_largest_and_the_rest_counted() {
        let r = crate::scoring::tests::small();
        // Seven roles of two, b answered lo (10) by four and hi (90) by three: 12
        // pairs 80 apart; five are listed, the other seven counted.
        let mut ms = Vec::new();
        for (k, role) in ["a", "b", "c", "d", "e", "f", "g"].iter().enumerate() {
            let o = if k < 4 { 0 } else { 2 };
            ms.push(member(&r, Some(role), vec![None, None, Some(o)]));
            ms.push(member(&r, Some(role), vec![None, None, Some(o)]));
        }
        let w = aggregate(&r, &ms).unwrap();
        assert_eq!(w.flags.len(), MAX_ROLE_GAPS);
        assert_eq!(w.more_flags, 12 - MAX_ROLE_GAPS);
        assert!(w.flags.iter().all(|f| f.difference == 80.0));
    }

    #[test]
    fn a_respondent_at_the_top_everywhere_is_flagged_with_the_group_result_without_them() {
        let r = crate::scoring::tests::small();
        // Three in the middle (a1 lo, a2 hi, b1 mid: a = 60, b = 50, index 52.5,
        // hybrid) and one at the top everywhere (a = 85, b = 90: 88.75): the group
        // index is 61.56, vmo; without the fourth it is 52.5, hybrid.
        let mut ms: Vec<_> = (0..3)
            .map(|_| member(&r, Some("pm"), vec![Some(0), Some(1), Some(1)]))
            .collect();
        ms.push(member(&r, Some("sponsor"), vec![Some(1), Some(1), Some(2)]));
        let w = aggregate(&r, &ms).unwrap();
        assert_eq!(w.recommendation, Band::Vmo, "{}", w.index);
        assert_eq!(w.outliers.len(), 0, "three answers: too few to tell");
        // The small rubric has three questions: a four-question variant is needed.
        let r4 = crate::scoring::tests::small().changed(|rb| {
            let mut extra = rb.question[2].clone();
            extra.id = "b2".into();
            rb.question.push(extra);
        });
        let mut ms: Vec<_> = (0..3)
            .map(|_| member(&r4, Some("pm"), vec![Some(0), Some(1), Some(1), Some(1)]))
            .collect();
        ms.push(member(
            &r4,
            Some("sponsor"),
            vec![Some(1), Some(1), Some(2), Some(2)],
        ));
        let w = aggregate(&r4, &ms).unwrap();
        assert_eq!(w.outliers.len(), 1);
        let o = &w.outliers[0];
        assert_eq!((o.side, o.answered, o.at_extreme), ("top", 4, 4));
        assert_eq!(o.index_without, 52.5);
        assert_eq!(o.recommendation_without, Band::Hybrid);
        assert_eq!(w.recommendation, Band::Vmo);
    }

    #[test]
    fn a_role_gap_of_twenty_up_to_rounding_is_flagged() {
        // Means of (0, 10, 100) and (0, 0, 50): 36.67 and 16.67, whose difference
        // is 19.999999999999996 in f64.
        let r = crate::scoring::tests::small().changed(|rb| {
            let q = &mut rb.question[2];
            let mut fourth = q.option[0].clone();
            fourth.id = "four".into();
            q.option.push(fourth);
            for (o, score) in q.option.iter_mut().zip([0.0, 10.0, 100.0, 50.0]) {
                o.score = score;
            }
        });
        let one = |role: &str, o: usize| member(&r, Some(role), vec![None, None, Some(o)]);
        let ms = vec![
            one("sponsor", 0),
            one("sponsor", 1),
            one("sponsor", 2),
            one("pm", 0),
            one("pm", 0),
            one("pm", 3),
        ];
        let w = aggregate(&r, &ms).unwrap();
        assert_eq!(w.flags.len(), 1, "{:?}", w.roles);
        assert!((w.flags[0].difference - 20.0).abs() < 1e-9);
    }

    #[test]
    fn tipping_is_exact_when_a_respondent_skipped_the_factor() {
        // small: a (weight 1) and b (weight 3); the third respondent skipped b, so
        // its index does not move with b at all.
        let r = crate::scoring::tests::small();
        let ms = vec![
            member(&r, None, vec![Some(1), Some(1), Some(1)]),
            member(&r, None, vec![Some(0), Some(1), Some(0)]),
            member(&r, None, vec![Some(1), Some(0), None]),
        ];
        let w = aggregate(&r, &ms).unwrap();
        let t = w.tipping.clone().expect("some factor can change it");
        let fi = r
            .rubric
            .factor
            .iter()
            .position(|f| f.id == t.factor)
            .unwrap();
        let delta = t.to - t.mean;
        // Move every respondent who answered the factor by the same amount, and
        // score the group again from scratch.
        let weights: Vec<f64> = r.rubric.factor.iter().map(|f| f.weight).collect();
        let index: f64 = ms
            .iter()
            .map(|(_, m)| {
                let (mut sum, mut wsum) = (0.0, 0.0);
                for (k, f) in m.evaluation.factors.iter().enumerate() {
                    if let Some(sc) = f.score {
                        sum += weights[k] * (sc + if k == fi { delta } else { 0.0 });
                        wsum += weights[k];
                    }
                }
                sum / wsum
            })
            .sum::<f64>()
            / ms.len() as f64;
        assert!((index - t.index).abs() < 1e-9, "{index} vs {}", t.index);
        let mut means: Vec<Option<f64>> = w.factors.iter().map(|f| f.mean).collect();
        means[fi] = Some(t.to);
        let mut g = Group::new(&r);
        for (s, m) in &ms {
            g.add(s, m);
        }
        let moved = GroupFigures {
            index,
            factors: means,
            questions: g.question_means(),
            choices: g.options.modal(),
            shares: g.shares(),
        };
        let rec = moved.decide(&r, |_, _| {}).recommendation;
        assert_eq!(rec, t.recommendation);
        assert_ne!(rec, w.recommendation);
        // The respondent who skipped b gives b a smaller share than its weight's.
        let shares = g.shares();
        assert!(shares[1] < 0.75 && shares[1] > 0.0, "{shares:?}");
    }

    #[test]
    fn tipping_matches_a_direct_search_on_the_small_rubric() {
        let r = crate::scoring::tests::small();
        // Two respondents: a1 hi, a2 lo, b1 mid (a 40, b 50, index 47.5) and
        // a1 hi, a2 hi, b1 mid (a 85, b 50, index 58.75). Means a 62.5, b 50; group
        // index 53.125, hybrid. Weights 1 and 3: a's share is 1/4.
        // To reach vmo (60) a would need +27.5 to 90: 6.875/0.25 = 27.5.
        // b's share is 3/4: +6.875/0.75 = 9.1666.. to 59.1666.. -> vmo; down to pmo
        // needs -13.125/0.75 = -17.5. So b up by 9.17 wins.
        let ms = vec![
            member(&r, None, vec![Some(1), Some(0), Some(1)]),
            member(&r, None, vec![Some(1), Some(1), Some(1)]),
        ];
        let w = aggregate(&r, &ms).unwrap();
        assert_eq!(w.index, 53.125);
        assert_eq!(w.recommendation, Band::Hybrid);
        let t = w.tipping.unwrap();
        assert_eq!(t.factor, "b");
        assert!((t.to - (50.0 + 6.875 / 0.75)).abs() < 1e-6, "{t:?}");
        assert_eq!(t.recommendation, Band::Vmo);
        assert!((t.index - 60.0).abs() < 1e-6);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn stats_are_ordered(v in proptest::collection::vec(0.0f64..=100.0, 1..30)) {
                let s = stats(&v).unwrap();
                prop_assert!(s.min <= s.median && s.median <= s.max);
                prop_assert!(s.min - 1e-9 <= s.mean && s.mean <= s.max + 1e-9);
                prop_assert!(s.stdev >= 0.0 && s.stdev <= (s.max - s.min) / 2.0 + 1e-9);
            }

            /// The counts per distinct value give the statistics of the list, the
            /// median and extremes exactly, the spread up to rounding.
            #[test]
            fn counted_values_match_the_list(
                v in proptest::collection::vec((0usize..7).prop_map(|k| k as f64 * 100.0 / 6.0), 1..40)
            ) {
                let mut counted = Values::default();
                for x in &v {
                    counted.add(*x);
                }
                let (a, b) = (stats(&v).unwrap(), counted.stats().unwrap());
                prop_assert_eq!((a.mean, a.median, a.min, a.max), (b.mean, b.median, b.min, b.max));
                prop_assert!((a.stdev - b.stdev).abs() < 1e-9);
            }

            /// With every factor answered by everyone, the mean of the indexes equals
            /// the index of the factor means (the index is linear), which is what
            /// makes the tipping factor's figures exact.
            #[test]
            fn group_index_is_the_index_of_the_means_when_all_answer(
                sheets in proptest::collection::vec(
                    (0usize..2, proptest::option::of(0usize..2), 0usize..3), 1..8)
            ) {
                let r = crate::scoring::tests::small();
                let ms: Vec<_> = sheets
                    .iter()
                    .map(|&(a1, a2, b1)| member(&r, None, vec![Some(a1), a2, Some(b1)]))
                    .collect();
                let w = aggregate(&r, &ms).unwrap();
                let means: Vec<Option<f64>> = w.factors.iter().map(|f| f.mean).collect();
                let direct = crate::scoring::index_of(&r, &means).unwrap();
                prop_assert!((w.index - direct).abs() < 1e-9, "{} vs {}", w.index, direct);
                let total: usize = w.recommendations.values().sum();
                prop_assert_eq!(total, ms.len());
                for item in &w.agenda {
                    let n: usize = item.split.values().sum();
                    prop_assert!(n >= 1 && n <= ms.len());
                }
                if let Some(t) = &w.tipping {
                    prop_assert!(t.recommendation != w.recommendation);
                    prop_assert!((0.0..=100.0).contains(&t.to));
                }
            }
        }
    }
}
