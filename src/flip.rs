//! The flip: the one answer that, changed, would change the recommendation with the
//! least movement of the index. It tells a reader how firm a result is and which
//! question it hangs on. Pure, built on the functions of [`scoring`].

use serde::Serialize;
use smallvec::SmallVec;

use crate::rubric::{Band, Effect, LoadedRubric, Target};
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
/// `score` runs this for every sheet, so it does what [`scoring::quick`] does per
/// candidate, but recomputes only the factor the changed question belongs to and
/// allocates nothing per candidate. The sums run in the same order as
/// [`scoring::factor_scores`], so the figures are bit-for-bit those of `evaluate`.
pub fn find(rubric: &LoadedRubric, choices: &[Option<usize>]) -> Option<Flip> {
    let r = &rubric.rubric;
    let mut work: SmallVec<[Option<usize>; 32]> = (0..r.question.len())
        .map(|i| choices.get(i).copied().flatten())
        .collect();
    let mut scores = scoring::scores_of(rubric, &work);
    let base_index = scoring::index_of(rubric, &scores)?;
    let base_band = scoring::band_of(&r.scoring, base_index);
    let base_rec = scoring::gated(rubric, base_band, &scores, &work);
    let mut best: Option<(f64, usize, usize, f64, Band)> = None;
    for (qi, q) in r.question.iter().enumerate() {
        let fi = rubric.question_factor[qi];
        let current = work[qi];
        let saved = scores[fi];
        // Most questions cannot change the result whatever the answer: skip them
        // after scoring only their two extreme options.
        let steady = Steady {
            rubric,
            qi,
            fi,
            base_band,
            base_rec,
            factor_now: saved,
            option_now: current.map(|c| q.option[c].score),
        };
        if steady.holds(rubric.questions_of(fi), &mut work, &mut scores) {
            continue;
        }
        for oi in 0..q.option.len() {
            if current == Some(oi) {
                continue;
            }
            work[qi] = Some(oi);
            scores[fi] = factor_score(rubric, rubric.questions_of(fi), &work);
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
    best.map(|(_, qi, oi, index, recommendation)| {
        let q = &r.question[qi];
        Flip {
            question: q.id.clone(),
            from: work[qi].map(|c| q.option[c].id.clone()),
            to: q.option[oi].id.clone(),
            recommendation,
            index,
        }
    })
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
    fn holds(
        &self,
        questions: &[usize],
        work: &mut [Option<usize>],
        scores: &mut [Option<f64>],
    ) -> bool {
        let r = &self.rubric.rubric;
        let options = &r.question[self.qi].option;
        let (mut lo, mut hi) = (0, 0);
        for (oi, o) in options.iter().enumerate() {
            if o.score < options[lo].score {
                lo = oi;
            }
            if o.score > options[hi].score {
                hi = oi;
            }
        }
        let (current, saved) = (work[self.qi], scores[self.fi]);
        let mut extreme = |oi: usize| {
            work[self.qi] = Some(oi);
            let factor = factor_score(self.rubric, questions, work);
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
        let mut own = r
            .gate
            .iter()
            .zip(&self.rubric.gate_target)
            .filter(|&(_, &t)| t == Target::Factor(self.fi) || t == Target::Question(self.qi));
        // A cap that fires below a threshold, or a floor that fires from one, pulls
        // the result the way the score goes: then the recommendation itself is
        // monotone, and its value at the two extremes bounds every option's.
        let monotone = own.clone().all(|(g, _)| match g.effect().0 {
            Effect::Cap => g.below.is_some(),
            Effect::Floor => g.below.is_none() && g.at_least.is_some(),
        });
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

/// One factor's weighted mean over `questions` (its questions, in rubric order).
fn factor_score(
    rubric: &LoadedRubric,
    questions: &[usize],
    choices: &[Option<usize>],
) -> Option<f64> {
    let mut sum = 0.0;
    let mut wsum = 0.0;
    for &qi in questions {
        if let Some(oi) = choices[qi] {
            let q = &rubric.rubric.question[qi];
            sum += q.weight * q.option[oi].score;
            wsum += q.weight;
        }
    }
    (wsum > 0.0).then(|| sum / wsum)
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
