//! The flip: the one answer that, changed, would change the recommendation with the
//! least movement of the index. It tells a reader how firm a result is and which
//! question it hangs on. It asks the scoring model what each other answer would do
//! ([`Outcome::with_answer`]) and holds no arithmetic of its own.

use serde::Serialize;

use crate::rubric::{Band, LoadedRubric, TOLERANCE};
use crate::scoring::{self, Outcome};

/// A single answer change that changes the recommendation (after gates).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Flip<'r> {
    /// Question id.
    #[serde(serialize_with = "crate::json_text::text")]
    pub(crate) question: &'r str,
    /// Option id answered now; `None` when the question is unanswered.
    #[serde(serialize_with = "crate::json_text::option")]
    pub(crate) from: Option<&'r str>,
    /// Option id that would flip the result.
    #[serde(serialize_with = "crate::json_text::text")]
    pub(crate) to: &'r str,
    /// The recommendation after the change.
    pub(crate) recommendation: Band,
    /// The index after the change.
    pub(crate) index: f64,
}

/// Among every single-answer change to the sheet scored as `outcome` (another
/// option for an answered question, or an answer for an unanswered one), the one
/// that changes the recommendation with the smallest absolute change of the index;
/// ties go to rubric order (question, then option). Two changes tie when their
/// moves differ by no more than the scoring tolerance ([`TOLERANCE`]): 25/6
/// reached through two different sums can differ in the last bit. `None` when no
/// single change flips it.
pub(crate) fn find<'r>(rubric: &'r LoadedRubric, outcome: &Outcome) -> Option<Flip<'r>> {
    let now = outcome.recommendation();
    let monotone = scoring::monotone(rubric);
    // (move of the index, question, option, index after, recommendation after)
    let mut best: Option<(f64, usize, usize, f64, Band)> = None;
    for (qi, q) in rubric.rubric.question.iter().enumerate() {
        let current = outcome.choices()[qi];
        let score_now = current.map(|c| q.option[c].score);
        // When the recommendation moves one way with an answer's score, an answer
        // below (above) the current one can change it only if the lowest (highest)
        // answer does.
        let changes = |oi: usize| {
            (outcome.with_answer(rubric, qi, Some(oi)))
                .is_some_and(|c| c.recommendation(rubric) != now)
        };
        let (below, above) = if monotone {
            (
                changes(rubric.lowest_option(qi)),
                changes(rubric.highest_option(qi)),
            )
        } else {
            (true, true)
        };
        for (oi, o) in q.option.iter().enumerate() {
            let side = match score_now {
                Some(now) if o.score == now => continue,
                Some(now) if o.score < now => below,
                Some(_) => above,
                None => below || above,
            };
            if !side {
                continue;
            }
            let Some(c) = outcome.with_answer(rubric, qi, Some(oi)) else {
                continue;
            };
            let delta = (c.index - outcome.index()).abs();
            // Smaller beyond the tolerance only: the first in rubric order wins a
            // tie. A change that cannot be the best need not be decided.
            if best.is_some_and(|b| delta >= b.0 - TOLERANCE) {
                continue;
            }
            let recommendation = c.recommendation(rubric);
            if recommendation != now {
                best = Some((delta, qi, oi, c.index, recommendation));
            }
        }
    }
    best.map(|(_, qi, oi, index, recommendation)| {
        let q = &rubric.rubric.question[qi];
        Flip {
            question: &q.id,
            from: outcome.choices()[qi].map(|c| q.option[c].id.as_str()),
            to: &q.option[oi].id,
            recommendation,
            index,
        }
    })
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::scoring::evaluate;
    use crate::scoring::tests::all_choices;

    /// [`find`] of a sheet's answers.
    fn find_in<'r>(rubric: &'r LoadedRubric, choices: &[Option<usize>]) -> Option<Flip<'r>> {
        Outcome::of(rubric, choices)
            .ok()
            .and_then(|o| find(rubric, &o))
    }

    /// The flip by brute force with the full `evaluate`, written independently of
    /// `find`: every candidate is collected in rubric order, then the first whose
    /// move is within the scoring tolerance of the smallest is taken, so rubric
    /// order breaks ties, rounding included.
    fn brute<'r>(rubric: &'r LoadedRubric, choices: &[Option<usize>]) -> Option<Flip<'r>> {
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
                question: &q.id,
                from: choices[qi].map(|c| q.option[c].id.as_str()),
                to: &q.option[oi].id,
                recommendation: e.recommendation,
                index: e.index,
            }
        })
    }

    #[test]
    fn matches_brute_force_on_every_sheet_of_the_small_rubric() {
        let r = crate::scoring::tests::small();
        let all = all_choices(&r);
        assert_eq!(all.len(), 3 * 3 * 4);
        let mut found = 0;
        for c in &all {
            let got = find_in(&r, c);
            assert_eq!(got, brute(&r, c), "choices {c:?}");
            found += usize::from(got.is_some());
        }
        // Not vacuous: most sheets have a flip, the empty sheet has none.
        assert!(found > 20, "only {found} flips");
        assert_eq!(find_in(&r, &[None, None, None]), None);
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
            for c in &all {
                let got = find_in(&r, c);
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
        let f = find_in(&r, &[Some(1), Some(0), Some(1)]).unwrap();
        assert_eq!(f.question, "b1");
        assert_eq!(f.from, Some("mid"));
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
        let f = find_in(&r, &[None, None, Some(1)]).unwrap();
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
            let got = find_in(&r, &s.choices);
            assert_eq!(got, brute(&r, &s.choices), "{}", path.display());
            // The examples sit more than 5 points from a boundary (one of 20 equally
            // weighted questions moves the index by little more than 100/20), so only
            // a gate on a question can flip one: delivery falling to "rarely" makes
            // the hybrid a PMO, buy-in falling to "mixed" makes the VMO a hybrid.
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let flip = got.as_ref().map(|f| (f.question, f.to));
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
                        let got = find_in(&r, &v);
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
        let f = find_in(&r, &sheet).unwrap();
        assert_eq!((f.question, f.to), ("a1", "lo"));
        assert_eq!(f.recommendation, Band::Pmo);
        assert_eq!(Some(f), brute(&r, &sheet));
    }

    #[test]
    fn no_flip_when_nothing_can_move_it() {
        // Bands so wide that every index is hybrid.
        let r = crate::scoring::tests::small().changed(|rb| {
            rb.scoring.hybrid_from = 0.0;
            rb.scoring.vmo_from = 100.5;
        });
        assert_eq!(find_in(&r, &[Some(0), Some(0), Some(0)]), None);
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
                        if rng.below(7) == 0 || blank_factor == Some(r.question_factors()[qi]) {
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
        LoadedRubric::embedded().unwrap().changed(|rb| {
            for (i, g) in rb.gate.iter_mut().enumerate() {
                if i % 2 == 0 {
                    g.at_least = g.below.take();
                }
                if flip_floor && i % 3 == 0 {
                    g.floor = Some(Band::Vmo);
                    g.cap = None;
                }
            }
        })
    }

    #[test]
    fn matches_brute_force_on_leaning_sheets() {
        let default = LoadedRubric::embedded().unwrap();
        // Boundaries off the quarter points, and unequal factor weights.
        let r_fine = default.changed(|rb| {
            rb.scoring.hybrid_from = 41.25;
            rb.factor[1].weight = 2.0;
        });
        for (name, r) in [
            ("default", default),
            ("fine", r_fine),
            ("turned", turned(false)),
            ("floors", turned(true)),
        ] {
            let mut flips = 0;
            let sheets = leaning_sheets(&r, 0x5eed_f11b, 1500);
            for c in &sheets {
                let got = find_in(&r, c);
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
            proptest::prop_assert_eq!(find_in(&r, &c), brute(&r, &c));
        }
    }
}
