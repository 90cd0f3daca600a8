//! The flip: the one answer that, changed, would change the recommendation with the
//! least movement of the index. It tells a reader how firm a result is and which
//! question it hangs on. Pure, built on the functions of [`scoring`].

use serde::Serialize;
use smallvec::SmallVec;

use crate::rubric::{Band, LoadedRubric, Target};
use crate::scoring;

/// A single answer change that changes the recommendation (after gates).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flip {
    /// Question id.
    pub question: String,
    /// Option id answered now; `None` when the question is unanswered.
    pub from: Option<String>,
    /// Option id that would flip the result.
    pub to: String,
    /// The recommendation after the change.
    pub recommendation: Band,
    /// The index after the change.
    pub index: f64,
}

/// Among every single-answer change (another option for an answered question, or an
/// answer for an unanswered one), the one that changes the recommendation with the
/// smallest absolute change of the index; ties go to rubric order (question, then
/// option). Two changes tie when their moves differ by no more than the scoring
/// tolerance ([`crate::rubric::TOLERANCE`]): 25/6 reached through two different
/// sums can differ in the last bit. `None` when nothing is answered or no single
/// change flips it.
///
/// `score` runs this for every sheet, so each candidate it scores recomputes only
/// the factor the changed question belongs to, and allocates nothing. The sums run in the same order as
/// [`scoring::factor_scores`], so the figures are bit-for-bit those of `evaluate`.
/// Most candidates are never scored: [`Room`] works out in O(1) where each answer
/// would take the index and the gates, and rules out the questions and options that
/// cannot change the recommendation or cannot beat the best change found so far.
pub fn find(rubric: &LoadedRubric, choices: &[Option<usize>]) -> Option<Flip> {
    find_at(rubric, choices).map(|f| f.named(rubric))
}

/// A [`Flip`] by index: question `question` moves from option `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlipAt {
    pub question: usize,
    pub from: Option<usize>,
    pub to: usize,
    pub recommendation: Band,
    pub index: f64,
}

impl FlipAt {
    /// The flip with the rubric's ids.
    pub fn named(&self, rubric: &LoadedRubric) -> Flip {
        let q = &rubric.rubric.question[self.question];
        Flip {
            question: q.id.clone(),
            from: self.from.map(|c| q.option[c].id.clone()),
            to: q.option[self.to].id.clone(),
            recommendation: self.recommendation,
            index: self.index,
        }
    }
}

/// [`find`] by index.
pub fn find_at(rubric: &LoadedRubric, choices: &[Option<usize>]) -> Option<FlipAt> {
    let outcome = scoring::outcome(rubric, choices).ok()?;
    find_from(rubric, choices, &outcome)
}

/// [`find_at`] from the sheet's outcome (`score` has it already).
pub fn find_from(
    rubric: &LoadedRubric,
    choices: &[Option<usize>],
    outcome: &scoring::Outcome,
) -> Option<FlipAt> {
    let r = &rubric.rubric;
    let mut work: SmallVec<[Option<usize>; 32]> = (0..r.question.len())
        .map(|i| choices.get(i).copied().flatten())
        .collect();
    let mut scores = outcome.scores.clone();
    let base_index = outcome.index;
    let base_band = outcome.band;
    let base_rec = outcome.recommendation;
    let room = Room::new(rubric, outcome);
    let mut reaches: SmallVec<[Option<Reach>; 32]> = SmallVec::new();
    for (qi, &c) in work.iter().enumerate() {
        reaches.push(room.reach(qi, c));
    }
    let leeway = room.leeway(&reaches, base_rec);
    let mut best: Option<(f64, usize, usize, f64, Band)> = None;
    // Whether a move of at least `least` (give or take rounding) cannot be smaller
    // than the best so far beyond the tolerance, and so cannot replace it.
    let beaten = |best: Option<(f64, usize, usize, f64, Band)>, least: f64| {
        best.is_some_and(|b| least - SLACK >= b.0 - crate::rubric::TOLERANCE)
    };
    for (qi, q) in r.question.iter().enumerate() {
        let fi = rubric.question_factor[qi];
        // A move of the factor's score that keeps the recommendation, for a question
        // without a gate of its own (whose answer then acts through its factor only).
        let Leeway {
            down,
            up,
            held,
            known,
        } = leeway[fi];
        let own_gate = rubric.gate_target.contains(&Target::Question(qi));
        if held && !own_gate {
            continue;
        }
        let current = work[qi];
        let saved = scores[fi];
        let reach = &reaches[qi];
        let keeps = |moved: f64| !own_gate && -down + SLACK < moved && moved < up - SLACK;
        // A move the leeway does not keep changes the recommendation, or is too
        // close to a limit to tell: working out its outcome in O(1) rules nothing
        // out that scoring it in full would not.
        let known = known && !own_gate;
        match reach {
            Some(reach) => {
                let (fall, rise) = reach.span(rubric);
                if (keeps(-fall) && keeps(rise))
                    || best.is_some() && beaten(best, reach.least(q, current))
                    || !known && room.holds(reach, base_rec)
                {
                    continue;
                }
            }
            None => {
                // Its factor has no answer yet: score the two extreme options.
                let steady = Steady {
                    rubric,
                    qi,
                    fi,
                    base_band,
                    base_rec,
                    factor_now: saved,
                    option_now: current.map(|c| q.option[c].score),
                };
                if steady.holds(&mut work, &mut scores) {
                    continue;
                }
            }
        }
        for (oi, o) in q.option.iter().enumerate() {
            if current == Some(oi)
                || reach.as_ref().is_some_and(|reach| {
                    beaten(best, reach.move_to(o.score))
                        || keeps(reach.slope * (o.score - reach.anchor))
                        || !known && room.outcome(reach, o.score) == Some(base_rec)
                })
            {
                continue;
            }
            work[qi] = Some(oi);
            scores[fi] = scoring::factor_score(rubric, fi, &work);
            let Some(index) = scoring::index_of(rubric, &scores) else {
                continue;
            };
            let band = scoring::band_of(&r.scoring, index);
            let rec = scoring::gated(rubric, band, &scores, &work);
            if rec == base_rec {
                continue;
            }
            let delta = (index - base_index).abs();
            // Smaller beyond the tolerance only: the first in rubric order wins a tie.
            if best.is_none_or(|b| delta < b.0 - crate::rubric::TOLERANCE) {
                best = Some((delta, qi, oi, index, rec));
            }
        }
        work[qi] = current;
        scores[fi] = saved;
    }
    best.map(|(_, question, to, index, recommendation)| FlipAt {
        question,
        from: work[question],
        to,
        recommendation,
        index,
    })
}

/// How far [`Room`]'s figures may be from the ones scoring computes: they come from
/// other sums of the same numbers (at most 100 or so), whose rounding differs by
/// far less than this.
const SLACK: f64 = 1e-6;

/// What changing one answer does to a sheet, worked out in O(1) from its running
/// sums. When the question's factor has answers, the change moves only that
/// factor's score, by the question's weight times the change of option score over
/// the factor's answered weight (the question's included), and the index by that
/// times the factor's share of the answered factors' weight. A figure within
/// [`SLACK`] of a threshold it is compared with gives no answer: such candidates,
/// and those the bounds do not rule out, are scored in full, so results are exact.
struct Room<'a> {
    rubric: &'a LoadedRubric,
    sums: &'a [scoring::FactorSum],
    index: f64,
    /// Whether each gate fires now.
    fires: SmallVec<[bool; 8]>,
    /// Per factor, its score now (`None`: no answer yet) and its share of the
    /// answered factors' weight.
    factors: SmallVec<[(Option<f64>, f64); 8]>,
}

/// What answers to one question (its factor answered) do.
struct Reach {
    qi: usize,
    fi: usize,
    /// The factor's score now.
    factor: f64,
    /// An answer with option score `x` moves the factor's score by
    /// `slope` x (`x` - `anchor`) and the index by `share` times that.
    slope: f64,
    anchor: f64,
    share: f64,
}

impl Reach {
    /// How far the factor's score falls with the question's lowest-scoring option
    /// and rises with its highest (each 0 when the answer is already there).
    fn span(&self, rubric: &LoadedRubric) -> (f64, f64) {
        let score = |oi: usize| rubric.rubric.question[self.qi].option[oi].score;
        (
            self.slope * (self.anchor - score(rubric.lowest_option(self.qi))),
            self.slope * (score(rubric.highest_option(self.qi)) - self.anchor),
        )
    }

    /// The smallest move of the index any other answer than `current` makes.
    fn least(&self, q: &crate::rubric::Question, current: Option<usize>) -> f64 {
        let mut least = f64::INFINITY;
        for (oi, o) in q.option.iter().enumerate() {
            if current != Some(oi) {
                least = least.min(self.move_to(o.score));
            }
        }
        least
    }

    /// The move of the index an answer with this option score makes.
    fn move_to(&self, score: f64) -> f64 {
        self.share * self.slope * (score - self.anchor).abs()
    }
}

impl<'a> Room<'a> {
    fn new(rubric: &'a LoadedRubric, outcome: &'a scoring::Outcome) -> Self {
        let r = &rubric.rubric;
        let weight = outcome.factor_weight(rubric);
        let mut fires: SmallVec<[bool; 8]> = SmallVec::from_elem(false, r.gate.len());
        for &(gi, _) in &outcome.gates {
            fires[gi] = true;
        }
        let factors = (r.factor.iter().zip(&outcome.scores))
            .map(|(f, &score)| (score, f.weight / weight))
            .collect();
        Room {
            rubric,
            sums: &outcome.sums,
            index: outcome.index,
            fires,
            factors,
        }
    }

    /// What answers to question `qi` (answered `current` now) do; `None` when its
    /// factor has no answer yet (an answer would add a factor to the index).
    fn reach(&self, qi: usize, current: Option<usize>) -> Option<Reach> {
        let rb = self.rubric;
        let q = &rb.rubric.question[qi];
        let fi = rb.question_factor[qi];
        let sum = self.sums[fi];
        let (score, share) = self.factors[fi];
        let factor = score?;
        // From the current option's score; for an unanswered question, from the
        // factor's score, the question's weight joining the factor's.
        let (anchor, divisor) = match current {
            Some(c) => (q.option[c].score, sum.wsum),
            None => (factor, sum.wsum + q.weight),
        };
        Some(Reach {
            qi,
            fi,
            factor,
            slope: q.weight / divisor,
            anchor,
            share,
        })
    }

    /// The recommendation with question `reach.qi` answered with option score `x`;
    /// `None` when a figure is too close to a threshold to tell.
    fn outcome(&self, reach: &Reach, x: f64) -> Option<Band> {
        self.moved(reach, reach.slope * (x - reach.anchor), Some((reach.qi, x)))
    }

    /// The recommendation with the score of factor `reach.fi` moved by `moved`, and
    /// `answer`'s question answered with that option score (`None`: the gates on
    /// questions as they are); `None` when a figure is too close to a threshold to
    /// tell.
    fn moved(&self, reach: &Reach, moved: f64, answer: Option<(usize, f64)>) -> Option<Band> {
        let r = &self.rubric.rubric;
        let factor = reach.factor + moved;
        let index = self.index + reach.share * moved;
        let band = scoring::band_of(&r.scoring, index - SLACK);
        if scoring::band_of(&r.scoring, index + SLACK) != band {
            return None;
        }
        let mut rec = band;
        for (gi, (g, &t)) in r.gate.iter().zip(&self.rubric.gate_target).enumerate() {
            let fires = match t {
                Target::Factor(f) if f == reach.fi => {
                    let fires = g.fires(factor - SLACK);
                    if g.fires(factor + SLACK) != fires {
                        return None;
                    }
                    fires
                }
                Target::Question(q) if answer.is_some_and(|a| a.0 == q) => {
                    answer.is_some_and(|a| g.fires(a.1))
                }
                _ => self.fires[gi],
            };
            if fires {
                rec = g.apply(rec);
            }
        }
        Some(rec)
    }

    /// Whether no answer to the question can change the recommendation from `now`:
    /// when every gate on the question and its factor pulls the way its score goes,
    /// the recommendation rises with the answer's score (see [`Steady`]), so the two
    /// extreme options bound every other.
    fn holds(&self, reach: &Reach, now: Band) -> bool {
        let rb = self.rubric;
        let monotone = rb
            .gates_on(reach.qi)
            .iter()
            .all(|&gi| rb.rubric.gate[gi].pulls_with_score());
        let q = &rb.rubric.question[reach.qi];
        let extreme = |oi: usize| self.outcome(reach, q.option[oi].score);
        monotone
            && extreme(rb.lowest_option(reach.qi)) == Some(now)
            && extreme(rb.highest_option(reach.qi)) == Some(now)
    }

    /// Per factor, how far its score can fall and rise with the recommendation
    /// staying `now`, the gates on questions as they are: no leeway for a factor
    /// with no answer, and for every factor of a rubric with a gate that pulls
    /// against its score. When every gate pulls the way its score goes, the
    /// recommendation moves one way with a factor's score, so it stays `now` up to
    /// the first threshold (a band boundary the index meets, a gate on the factor)
    /// past which it changes. A few outcomes a factor, and then one comparison an
    /// answer.
    fn leeway(&self, reaches: &[Option<Reach>], now: Band) -> SmallVec<[Leeway; 8]> {
        let r = &self.rubric.rubric;
        let none = Leeway {
            down: 0.0,
            up: 0.0,
            held: false,
            known: false,
        };
        let mut leeway: SmallVec<[Leeway; 8]> = SmallVec::from_elem(none, r.factor.len());
        if !r.gate.iter().all(crate::rubric::Gate::pulls_with_score) {
            return leeway;
        }
        // The largest fall and rise of each factor's score that one answer makes,
        // and a question of it: the limits need not be looked for further.
        let mut largest: SmallVec<[(f64, f64, Option<&Reach>); 8]> =
            SmallVec::from_elem((0.0, 0.0, None), r.factor.len());
        for reach in reaches.iter().flatten() {
            let (fall, rise) = reach.span(self.rubric);
            let e = &mut largest[reach.fi];
            e.0 = e.0.max(fall);
            e.1 = e.1.max(rise);
            e.2 = Some(reach);
        }
        for (fi, &(fall, rise, reach)) in largest.iter().enumerate() {
            if let Some(reach) = reach {
                let down = self.limit(reach, now, -1.0, fall);
                let up = self.limit(reach, now, 1.0, rise);
                leeway[fi] = Leeway {
                    down,
                    up,
                    held: fall < down - SLACK && rise < up - SLACK,
                    known: true,
                };
            }
        }
        leeway
    }

    /// How far factor `reach.fi`'s score can move in direction `dir` (1: up, -1:
    /// down) with the recommendation staying `now` (see [`Self::leeway`]), looked
    /// for no further than past `needed`.
    fn limit(&self, reach: &Reach, now: Band, dir: f64, needed: f64) -> f64 {
        let rb = self.rubric;
        let s = &rb.rubric.scoring;
        let tolerance = crate::rubric::TOLERANCE;
        // The moves at which something changes: the index meets a boundary, or the
        // factor's score a gate's threshold (both read up to the tolerance).
        let mut points: SmallVec<[f64; 8]> = SmallVec::new();
        for t in [s.hybrid_from, s.vmo_from] {
            points.push((t - tolerance - self.index) / (reach.share * dir));
        }
        for (g, &t) in rb.rubric.gate.iter().zip(&rb.gate_target) {
            if t == Target::Factor(reach.fi)
                && let Some(threshold) = g.below.or(g.at_least)
            {
                points.push((threshold - tolerance - reach.factor) * dir);
            }
        }
        points.retain(|p| *p >= 0.0);
        points.sort_by(f64::total_cmp);
        // Between two points nothing changes: test each stretch at its middle.
        for (i, &p) in points.iter().enumerate() {
            if p > needed + SLACK {
                return p;
            }
            let next = points.get(i + 1).map_or(p + 1.0, |&n| n);
            if self.moved(reach, dir * (p + next) / 2.0, None) != Some(now) {
                return p;
            }
        }
        f64::INFINITY
    }
}

/// How far a factor's score can fall (`down`) and rise (`up`) with the
/// recommendation as it is; `held`: no one answer to its questions moves it as far.
#[derive(Clone, Copy)]
struct Leeway {
    down: f64,
    up: f64,
    held: bool,
    /// Whether `down` and `up` were worked out: the recommendation changes past
    /// them (give or take [`SLACK`]). Otherwise both are 0.
    known: bool,
}

/// The bound that lets [`find`] skip a question: every step from an option score to
/// the factor score, the index, the band and a gate's firing is monotone (each
/// rounded operation is), so the options with the lowest and the highest score give
/// the extremes of every candidate of the question. When every gate on the question
/// and on its factor pulls the way its score goes, the recommendation is monotone
/// too, so two extremes that keep it keep it for every option. Otherwise, when both
/// extremes keep the band and leave each such gate as it is now, the recommendation
/// (a function of the band and the gates that fire) cannot change either.
struct Steady<'a> {
    rubric: &'a LoadedRubric,
    qi: usize,
    fi: usize,
    base_band: Band,
    base_rec: Band,
    /// The factor's score and the question's option score now (`None`: unanswered).
    factor_now: Option<f64>,
    option_now: Option<f64>,
}

impl Steady<'_> {
    /// Whether no option of the question can change the recommendation. Leaves
    /// `work` and `scores` as it found them.
    fn holds(&self, work: &mut [Option<usize>], scores: &mut [Option<f64>]) -> bool {
        let r = &self.rubric.rubric;
        let options = &r.question[self.qi].option;
        let (lo, hi) = (
            self.rubric.lowest_option(self.qi),
            self.rubric.highest_option(self.qi),
        );
        let (current, saved) = (work[self.qi], scores[self.fi]);
        let mut extreme = |oi: usize| {
            work[self.qi] = Some(oi);
            let factor = scoring::factor_score(self.rubric, self.fi, work);
            scores[self.fi] = factor;
            let band =
                scoring::index_of(self.rubric, scores).map(|i| scoring::band_of(&r.scoring, i));
            let rec = band.map(|b| scoring::gated(self.rubric, b, scores, work));
            (factor, band, rec)
        };
        let (f_lo, band_lo, rec_lo) = extreme(lo);
        let (f_hi, band_hi, rec_hi) = extreme(hi);
        work[self.qi] = current;
        scores[self.fi] = saved;
        let fires = |g: &crate::rubric::Gate, s: Option<f64>| s.is_some_and(|s| g.fires(s));
        // The gates that read this question or its factor.
        let mut own = (self.rubric.gates_on(self.qi).iter())
            .map(|&gi| (&r.gate[gi], &self.rubric.gate_target[gi]));
        // A cap that fires below a threshold, or a floor that fires from one, pulls
        // the result the way the score goes: then the recommendation itself is
        // monotone, and its value at the two extremes bounds every option's.
        let monotone = own.clone().all(|(g, _)| g.pulls_with_score());
        if monotone {
            return rec_lo == Some(self.base_rec) && rec_hi == Some(self.base_rec);
        }
        if band_lo != Some(self.base_band) || band_hi != Some(self.base_band) {
            return false;
        }
        own.all(|(g, &t)| {
            let (now, a, b) = if t == Target::Factor(self.fi) {
                (self.factor_now, f_lo, f_hi)
            } else {
                (
                    self.option_now,
                    Some(options[lo].score),
                    Some(options[hi].score),
                )
            };
            let now = fires(g, now);
            fires(g, a) == now && fires(g, b) == now
        })
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::scoring::evaluate;

    /// The flip by brute force with the full `evaluate`, written independently of
    /// `find`: every candidate is collected in rubric order, then the first whose
    /// move is within the scoring tolerance of the smallest is taken, so rubric
    /// order breaks ties, rounding included.
    fn brute(rubric: &LoadedRubric, choices: &[Option<usize>]) -> Option<Flip> {
        let base = evaluate(rubric, choices).ok()?;
        let mut cands = Vec::new();
        for (qi, q) in rubric.rubric.question.iter().enumerate() {
            for oi in 0..q.option.len() {
                if choices[qi] == Some(oi) {
                    continue;
                }
                let mut c = choices.to_vec();
                c[qi] = Some(oi);
                let e = evaluate(rubric, &c).unwrap();
                if e.recommendation != base.recommendation {
                    cands.push(((e.index - base.index).abs(), qi, oi, e));
                }
            }
        }
        let least = cands.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
        let first = cands
            .into_iter()
            .find(|c| c.0 <= least + crate::rubric::TOLERANCE);
        first.map(|(_, qi, oi, e)| {
            let q = &rubric.rubric.question[qi];
            Flip {
                question: q.id.clone(),
                from: choices[qi].map(|c| q.option[c].id.clone()),
                to: q.option[oi].id.clone(),
                recommendation: e.recommendation,
                index: e.index,
            }
        })
    }

    /// Every combination of answers (unanswered included) for a small rubric.
    fn all_choices(rubric: &LoadedRubric) -> Vec<Vec<Option<usize>>> {
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

    #[test]
    fn matches_brute_force_on_every_sheet_of_the_small_rubric() {
        let r = crate::scoring::tests::small();
        let all = all_choices(&r);
        assert_eq!(all.len(), 3 * 3 * 4);
        let mut found = 0;
        for c in &all {
            let got = find(&r, c);
            assert_eq!(got, brute(&r, c), "choices {c:?}");
            found += usize::from(got.is_some());
        }
        // Not vacuous: most sheets have a flip, the empty sheet has none.
        assert!(found > 20, "only {found} flips");
        assert_eq!(find(&r, &[None, None, None]), None);
    }

    /// The small rubric with each gate's test turned round (`below` to `at-least`)
    /// and its effect swapped (a cap becomes a floor), under two sets of
    /// boundaries: gates that pull against their scores, and one answer that can
    /// cross two boundaries at once.
    #[test]
    fn matches_brute_force_on_every_sheet_of_variants_of_the_small_rubric() {
        let base = crate::scoring::tests::small();
        let all = all_choices(&base);
        let mut found = 0;
        for variant in 0..32u32 {
            let mut r = base.clone();
            for (i, g) in r.rubric.gate.iter_mut().enumerate() {
                let bits = variant >> (2 * i);
                if bits & 1 == 1 {
                    std::mem::swap(&mut g.below, &mut g.at_least);
                }
                if bits & 2 == 2 {
                    std::mem::swap(&mut g.cap, &mut g.floor);
                }
            }
            if variant & 16 == 16 {
                r.rubric.scoring.hybrid_from = 30.0;
                r.rubric.scoring.vmo_from = 45.0;
            }
            r.reindex();
            for c in &all {
                let got = find(&r, c);
                assert_eq!(got, brute(&r, c), "variant {variant}, choices {c:?}");
                found += usize::from(got.is_some());
            }
        }
        assert!(found > 32 * 20, "only {found} flips");
    }

    #[test]
    fn small_rubric_by_hand() {
        let r = crate::scoring::tests::small();
        // a1 hi (100), a2 lo (20), b1 mid (50): a = 40, b = 50, index 47.5, hybrid.
        // Candidates that flip: b1 lo -> b = 10, index (40 + 30)/4 = 17.5 (pmo, delta 30);
        // b1 hi -> b = 90, index (40+270)/4 = 77.5 (vmo; gate b-strong floors at hybrid, a = 40 no cap) delta 30;
        // a2 hi -> a = (100 + 240)/4 = 85, index (85 + 150)/4 = 58.75 hybrid, no flip;
        // a1 lo -> a = 15 (< 30 caps at hybrid), index (15 + 150)/4 = 41.25 hybrid, no flip.
        // b1 lo and b1 hi tie at 30: rubric order picks lo.
        let f = find(&r, &[Some(1), Some(0), Some(1)]).unwrap();
        assert_eq!(f.question, "b1");
        assert_eq!(f.from.as_deref(), Some("mid"));
        assert_eq!(f.to, "lo");
        assert_eq!(f.recommendation, Band::Pmo);
        assert_eq!(f.index, 17.5);
    }

    #[test]
    fn unanswered_question_can_be_the_flip() {
        let r = crate::scoring::tests::small();
        // Only b1 mid: index 50, hybrid. Answering a1 lo: a = 0 -> index (0 + 150)/4 = 37.5, pmo,
        // delta 12.5; a2 lo: a = 20, index 42.5 (hybrid); a1 hi: a = 100, index 62.5 vmo, delta 12.5;
        // b1 lo/hi: index 10 / 90, delta 40. a1 lo comes first.
        let f = find(&r, &[None, None, Some(1)]).unwrap();
        assert_eq!(f.question, "a1");
        assert_eq!(f.from, None);
        assert_eq!(f.to, "lo");
        assert_eq!(f.index, 37.5);
        assert_eq!(
            crate::render::words::flip_sentence(&r, Some(&f)),
            "Answering \"A1?\" with \"Lo\" would make it PMO (index 37.5)."
        );
    }

    #[test]
    fn matches_brute_force_on_the_example_sheets() {
        let r = LoadedRubric::embedded().unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sheets");
        let mut n = 0;
        let mut flips = 0;
        let mut variants = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let s = crate::input::load_text(&r, path.as_path(), &text, crate::SheetFormat::Toml)
                .unwrap();
            let got = find(&r, &s.choices);
            assert_eq!(got, brute(&r, &s.choices), "{}", path.display());
            // The examples sit more than 5 points from a boundary (one of 20 equally
            // weighted questions moves the index by little more than 100/20), so only
            // a gate on a question can flip one: delivery falling to "rarely" makes
            // the hybrid a PMO, buy-in falling to "mixed" makes the VMO a hybrid.
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let flip = got.as_ref().map(|f| (f.question.as_str(), f.to.as_str()));
            let want = match name.as_str() {
                "in-transition" => Some(("maturity-delivery-track-record", "rarely")),
                "value-focused" => Some(("authority-stakeholder-buy-in", "mixed")),
                _ => None,
            };
            assert_eq!(flip, want, "{name}");
            // Variants with answers removed, so unanswered questions are candidates
            // and the index sits nearer the boundaries.
            for step in 2..=5 {
                for offset in 0..step {
                    for keep in [false, true] {
                        let v: Vec<Option<usize>> = s
                            .choices
                            .iter()
                            .enumerate()
                            .map(|(i, c)| {
                                if (i % step == offset) == keep {
                                    *c
                                } else {
                                    None
                                }
                            })
                            .collect();
                        let got = find(&r, &v);
                        assert_eq!(got, brute(&r, &v), "{} {v:?}", path.display());
                        variants += 1;
                        flips += usize::from(got.is_some());
                    }
                }
            }
            n += 1;
        }
        assert_eq!(n, 3);
        // Not vacuous: many of the partial sheets do have a flip.
        assert_eq!(variants, 3 * 14 * 2);
        assert!(flips > variants / 4, "{flips} flips in {variants} variants");
    }

    /// Two factors of three questions. The sheet sits on the Hybrid boundary (index
    /// 40); lowering a1 (75 to 61) or b1 (14 to 0) moves it by 14/6 either way, but
    /// the two moves come from different sums and differ in the last bits.
    fn tie() -> LoadedRubric {
        let mut text = String::from(
            "id = \"tie\"\nversion = \"1\"\ntitle = \"Tie\"\n\
             [scoring]\nhybrid-from = 40.0\nvmo-from = 60.0\n",
        );
        for f in ["a", "b"] {
            let _ = write!(
                text,
                "[[factor]]\nid = \"{f}\"\ntitle = \"{f}\"\nweight = 1.0\n"
            );
        }
        let scores = [
            (61, 75),
            (53, 100),
            (20, 100),
            (0, 14),
            (57, 100),
            (21, 100),
        ];
        for (i, (lo, hi)) in scores.iter().enumerate() {
            let (f, n) = (["a", "b"][i / 3], i % 3 + 1);
            let _ = write!(
                text,
                "[[question]]\nid = \"{f}{n}\"\nfactor = \"{f}\"\ntext = \"?\"\n\
                 [[question.option]]\nid = \"lo\"\nlabel = \"Lo\"\nscore = {lo}\n\
                 [[question.option]]\nid = \"hi\"\nlabel = \"Hi\"\nscore = {hi}\n"
            );
        }
        for band in ["pmo", "hybrid", "vmo"] {
            let _ = write!(
                text,
                "[recommendation.{band}]\ntitle = \"T\"\nsummary = \"S\"\nnext-steps = [\"N\"]\n"
            );
        }
        LoadedRubric::from_str("tie.toml", &text).unwrap()
    }

    #[test]
    fn a_tie_up_to_rounding_goes_to_rubric_order() {
        let r = tie();
        let sheet = [Some(1), Some(0), Some(0), Some(1), Some(0), Some(0)];
        let base = evaluate(&r, &sheet).unwrap();
        assert_eq!(base.recommendation, Band::Hybrid);
        let moved = |qi: usize| {
            let mut c = sheet;
            c[qi] = Some(0);
            (evaluate(&r, &c).unwrap().index - base.index).abs()
        };
        // Not vacuous: the two moves differ in floating point, by less than the
        // tolerance.
        assert_ne!(moved(0), moved(3));
        assert!((moved(0) - moved(3)).abs() < crate::rubric::TOLERANCE);
        let f = find(&r, &sheet).unwrap();
        assert_eq!((f.question.as_str(), f.to.as_str()), ("a1", "lo"));
        assert_eq!(f.recommendation, Band::Pmo);
        assert_eq!(Some(f), brute(&r, &sheet));
    }

    #[test]
    fn no_flip_when_nothing_can_move_it() {
        let mut r = crate::scoring::tests::small();
        // Bands so wide that every index is hybrid.
        r.rubric.scoring.hybrid_from = 0.0;
        r.rubric.scoring.vmo_from = 100.5;
        assert_eq!(find(&r, &[Some(0), Some(0), Some(0)]), None);
        assert_eq!(
            crate::render::words::flip_sentence(&r, None),
            "No single answer changes the recommendation."
        );
    }

    /// Sheets that lean towards low or high answers by their own amount, so they
    /// span the bands, sit near boundaries and fire gates; some questions and some
    /// whole factors unanswered.
    fn leaning_sheets(r: &LoadedRubric, seed: u64, n: usize) -> Vec<Vec<Option<usize>>> {
        let mut rng = crate::testing::Rng(seed);
        (0..n)
            .map(|_| {
                let lean = rng.below(9);
                let blank_factor = (rng.below(6) == 0).then(|| rng.below(r.rubric.factor.len()));
                r.rubric
                    .question
                    .iter()
                    .enumerate()
                    .map(|(qi, q)| {
                        if rng.below(7) == 0 || blank_factor == Some(r.question_factor[qi]) {
                            return None;
                        }
                        let n = q.option.len();
                        let centre = lean * (n - 1) / 8;
                        Some((centre + rng.below(3)).saturating_sub(1).min(n - 1))
                    })
                    .collect()
            })
            .collect()
    }

    /// The default rubric's gates turned round: each that capped below a threshold
    /// now caps from it, or floors below it (gates that no longer pull the way
    /// their scores go, which the O(1) bounds of a whole factor do not cover).
    fn turned(flip_floor: bool) -> LoadedRubric {
        let mut r = LoadedRubric::embedded().unwrap();
        for (i, g) in r.rubric.gate.iter_mut().enumerate() {
            if i % 2 == 0 {
                g.at_least = g.below.take();
            }
            if flip_floor && i % 3 == 0 {
                g.floor = Some(Band::Vmo);
                g.cap = None;
            }
        }
        r.reindex();
        r
    }

    #[test]
    fn matches_brute_force_on_leaning_sheets() {
        let default = LoadedRubric::embedded().unwrap();
        let mut r_fine = default.clone();
        // Boundaries off the quarter points, and unequal factor weights.
        r_fine.rubric.scoring.hybrid_from = 41.25;
        r_fine.rubric.factor[1].weight = 2.0;
        r_fine.reindex();
        for (name, r) in [
            ("default", default),
            ("fine", r_fine),
            ("turned", turned(false)),
            ("floors", turned(true)),
        ] {
            let mut flips = 0;
            let sheets = leaning_sheets(&r, 0x5eed_f11b, 1500);
            for c in &sheets {
                let got = find(&r, c);
                assert_eq!(got, brute(&r, c), "{name}: {c:?}");
                flips += usize::from(got.is_some());
            }
            assert!(flips > sheets.len() / 2, "{name}: {flips} flips");
        }
    }

    proptest::proptest! {
        #[test]
        fn matches_brute_force_on_random_default_sheets(
            c in proptest::collection::vec(proptest::option::of(0usize..5), 20)
        ) {
            let r = LoadedRubric::embedded().unwrap();
            proptest::prop_assert_eq!(find(&r, &c), brute(&r, &c));
        }
    }
}
