//! How firm a result is: the answers one option up or down (by score) that would
//! change the recommendation, in both directions. Adjacent moves only: a client
//! reads "if this answer were one step better (or worse), the result would be X",
//! not a jump across several levels. It asks the scoring model what each move
//! would do ([`Basis::recommendation_with`](crate::scoring::Basis)) and holds no
//! arithmetic of its own.

use serde::Serialize;

use crate::rubric::{Band, LoadedRubric, QuestionKind};
use crate::scoring::Outcome;

/// Which way an answer moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// To the option with the next higher score.
    Up,
    /// To the option with the next lower score.
    Down,
}

/// One answer that, moved one option up or down, would change the recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity<'r> {
    /// Question id.
    #[serde(serialize_with = "crate::json_text::text")]
    pub question: &'r str,
    /// Option id answered now.
    #[serde(serialize_with = "crate::json_text::text")]
    pub from: &'r str,
    /// The option one step up or down.
    #[serde(serialize_with = "crate::json_text::text")]
    pub to: &'r str,
    /// Up or down the question's options.
    pub direction: Direction,
    /// The recommendation after the move.
    pub recommendation: Band,
}

/// Every answered, scored question of the sheet scored as `outcome`, moved one
/// option down and one up: the moves that change the recommendation, in rubric
/// order (down before up). Empty when the result holds against every such move.
pub(crate) fn of<'r>(rubric: &'r LoadedRubric, outcome: &Outcome) -> Vec<Sensitivity<'r>> {
    let now = outcome.recommendation();
    let mut basis = outcome.basis(rubric);
    let mut out = Vec::new();
    for (qi, q) in rubric.rubric.question.iter().enumerate() {
        if q.kind == QuestionKind::Context {
            continue;
        }
        let Some(current) = outcome.choices()[qi] else {
            continue;
        };
        let moves = [
            (Direction::Down, rubric.next_down(qi, current)),
            (Direction::Up, rubric.next_up(qi, current)),
        ];
        for (direction, to) in moves {
            let Some(to) = to else { continue };
            let Some(recommendation) = basis.recommendation_with(rubric, qi, Some(to)) else {
                continue;
            };
            if recommendation != now {
                out.push(Sensitivity {
                    question: &q.id,
                    from: &q.option[current].id,
                    to: &q.option[to].id,
                    direction,
                    recommendation,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::tests::{all_choices, small};

    /// The moves, worked out by scoring every changed sheet from scratch.
    fn brute(r: &LoadedRubric, c: &[Option<usize>]) -> Vec<(usize, usize, Band)> {
        let now = Outcome::of(r, c).unwrap().recommendation();
        let mut out = Vec::new();
        for (qi, q) in r.rubric.question.iter().enumerate() {
            let Some(cur) = c[qi] else { continue };
            let score = q.option[cur].score;
            let below = (q.option.iter().enumerate())
                .filter(|(_, o)| o.score < score)
                .max_by(|a, b| a.1.score.total_cmp(&b.1.score).then(b.0.cmp(&a.0)));
            let above = (q.option.iter().enumerate())
                .filter(|(_, o)| o.score > score)
                .min_by(|a, b| a.1.score.total_cmp(&b.1.score).then(a.0.cmp(&b.0)));
            for (to, _) in [below, above].into_iter().flatten() {
                let mut moved = c.to_vec();
                moved[qi] = Some(to);
                let rec = Outcome::of(r, &moved).unwrap().recommendation();
                if rec != now {
                    out.push((qi, to, rec));
                }
            }
        }
        out
    }

    #[test]
    fn matches_rescoring_every_adjacent_move_on_every_sheet_of_the_small_rubric() {
        let r = small();
        for c in all_choices(&r) {
            let Ok(o) = Outcome::of(&r, &c) else { continue };
            let got: Vec<(usize, usize, Band)> = of(&r, &o)
                .iter()
                .map(|s| {
                    let qi = r.question(s.question).unwrap();
                    let q = &r.rubric.question[qi];
                    let to = q.option.iter().position(|x| x.id == s.to).unwrap();
                    (qi, to, s.recommendation)
                })
                .collect();
            assert_eq!(got, brute(&r, &c), "{c:?}");
        }
    }

    #[test]
    fn a_move_up_and_a_move_down_are_told_apart() {
        let r = small();
        // a = 40, b = 50: index 47.5, hybrid. b1 up to hi (90): b = 90, index 77.5,
        // vmo (the floor at hybrid does nothing, a-weak does not fire). b1 down to
        // lo: b = 10, index 17.5: pmo.
        let o = Outcome::of(&r, &[Some(1), Some(0), Some(1)]).unwrap();
        let s = of(&r, &o);
        let b1: Vec<(Direction, Band)> = (s.iter())
            .filter(|x| x.question == "b1")
            .map(|x| (x.direction, x.recommendation))
            .collect();
        assert_eq!(
            b1,
            vec![(Direction::Down, Band::Pmo), (Direction::Up, Band::Vmo)]
        );
    }
}
