//! The plan (contract section 6): from a scored sheet or a group, the initiatives
//! that build the recommended office, in the order practices depend on each other,
//! in three horizons. An initiative takes one practice question to the level the
//! target needs in one move (several options up at once), with the improve texts of
//! the levels it crosses as one action and the last level's "done when". Outcome,
//! preference and context questions never become initiatives.
//!
//! How the plan is built, by index (the words are in `render`):
//! 1. The target: the levels the recommended office type needs (`[[office]] needs`,
//!    both offices of `both`) and the outcome's own `needs`; `--target` names a
//!    recommendation, whose office is the one the outcome rules would give this
//!    organisation.
//! 2. Every level a crossed move `requires` is added, until nothing more is needed.
//! 3. The pressing problem the sheet names gets an initiative when none addresses
//!    it yet (the lowest practice that addresses it, one level up).
//! 4. One initiative per question; where two would need each other, the one that
//!    is needed is split in two at the level the other needs.
//! 5. Order: nothing before what it needs; among what is ready, foundations (what
//!    others need) first, then what clears a fired gate, then what addresses the
//!    pressing problem, then the rest, each in rubric order.
//! 6. Horizons from effort and depth: each crossed level takes its effort (weeks 1
//!    month, months 3, quarters 6), an initiative starts when what it needs ends,
//!    and its midpoint falls in its horizon: within 3 months is horizon 1, within
//!    12 horizon 2, else 3. At most three run at once: one that is ready waits for
//!    a lane to free. A move never comes before one it needs (it starts
//!    after that one ends).
//!
//! It asks the scoring model what the plan's answers would give (projected figures
//! per initiative) and holds no arithmetic of its own.

use serde::Serialize;
use std::borrow::Cow;

use crate::rubric::{Band, Effort, LoadedRubric, OfficeKind, QuestionKind};
use crate::scoring::{Decision, Outcome};

/// The most initiatives a plan shows; the rest are `later`.
pub(crate) const SHOWN: usize = 7;

/// The most initiatives under way at once.
pub(crate) const AT_ONCE: usize = 3;

/// One initiative by index: question `question` from option `from` to option `to`
/// (by score rank, several levels at once).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Move {
    pub question: usize,
    /// Ranks (position in the question's options by score).
    pub from: usize,
    pub to: usize,
    /// The initiatives (by position in the plan) it needs first.
    pub needs: Vec<usize>,
    pub horizon: u8,
    /// Months from the start of the plan to its end.
    pub ends: u32,
    /// Why it comes where it does.
    pub reason: Reason,
}

/// Why an initiative is where it is in the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Others need it.
    Foundation,
    /// It works on what a fired gate reads.
    Gate,
    /// It addresses the pressing problem the sheet names.
    Problem,
    /// The target office needs it.
    Target,
}

/// A plan by index, before it is named.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Moves {
    /// The recommendation aimed at.
    pub target: Band,
    /// The office types aimed at (the second one for `both`).
    pub offices: (Option<usize>, Option<usize>),
    /// Every initiative in plan order (horizon, then order of need).
    pub moves: Vec<Move>,
    /// The recommendation once every initiative is done (the plan's answers
    /// scored).
    pub end: Option<Band>,
    /// After each initiative in turn, the figures the answers then give.
    pub projected: Vec<Option<Projected>>,
}

/// The ranks of each question's options by score (file order among equals), and
/// each option's rank.
fn ranks(rubric: &LoadedRubric, qi: usize) -> &[usize] {
    rubric.ranked(qi)
}

/// What a plan starts from: each question's level (its rank), `None` where the
/// level is unknown (unanswered, "don't know").
pub(crate) type Levels = Vec<Option<usize>>;

/// The levels of a sheet's answers.
pub(crate) fn levels_of(rubric: &LoadedRubric, choices: &[Option<usize>]) -> Levels {
    (0..rubric.rubric.question.len())
        .map(|qi| {
            let oi = choices.get(qi).copied().flatten()?;
            rubric.rank(qi, oi)
        })
        .collect()
}

/// What to plan towards.
#[derive(Clone)]
pub(crate) struct Aim<'a> {
    pub rubric: &'a LoadedRubric,
    /// Where each question stands.
    pub levels: Levels,
    /// The decision now (for a group: the one its headline shows).
    pub decision: Decision,
    /// A recommendation to aim at instead of the recommended one.
    pub target: Option<Band>,
    /// The option (by index) the pressing-problem question is answered with.
    pub problem: Option<usize>,
    /// The gates that fired, by index.
    pub gates: Vec<usize>,
    /// Whether a practice's condition holds in the organisation's context (for
    /// `--target`: the outcome rules' context conditions; for variants).
    pub context: &'a dyn Fn(&crate::rubric::Cond) -> bool,
}

/// The plan's target levels: per question, the rank to reach (`None`: no move).
fn target_levels(
    aim: &Aim,
    offices: (Option<usize>, Option<usize>),
    rule: Option<usize>,
) -> Vec<Option<usize>> {
    let r = &aim.rubric.rubric;
    let mut want: Vec<Option<usize>> = vec![None; r.question.len()];
    let rubric = aim.rubric;
    let mut needs: Vec<(usize, usize)> = Vec::new();
    for oi in [offices.0, offices.1].into_iter().flatten() {
        needs.extend(rubric.office_needs(oi));
    }
    if let Some(ri) = rule {
        needs.extend(rubric.outcome_needs(rubric.rules()[ri].result));
    }
    for need in needs {
        raise(aim, &mut want, need);
    }
    want
}

/// Raises the target of a requirement's question to its level, where that is
/// above where the question stands (and it is a practice with a known level).
/// Returns whether the target rose.
fn raise(aim: &Aim, want: &mut [Option<usize>], (qi, rank): (usize, usize)) -> bool {
    let q = &aim.rubric.rubric.question[qi];
    if q.kind != QuestionKind::Practice {
        return false;
    }
    let Some(now) = aim.levels[qi] else {
        return false;
    };
    if rank > now && want[qi].is_none_or(|w| rank > w) {
        want[qi] = Some(rank);
        return true;
    }
    false
}

/// The requirements of the move up from rank `k` of question `qi`.
fn requires(rubric: &LoadedRubric, qi: usize, k: usize) -> &[(usize, usize)] {
    rubric.level_needs(qi, k)
}

/// Adds every level the crossed moves require, until nothing more is needed.
fn close(aim: &Aim, want: &mut [Option<usize>]) {
    loop {
        let mut rose = false;
        for qi in 0..want.len() {
            let (Some(to), Some(from)) = (want[qi], aim.levels[qi]) else {
                continue;
            };
            for k in from..to {
                for &need in requires(aim.rubric, qi, k) {
                    rose |= raise(aim, want, need);
                }
            }
        }
        if !rose {
            return;
        }
    }
}

/// The pressing problems a move up from rank `k` of question `qi` addresses.
fn addresses(rubric: &LoadedRubric, qi: usize, k: usize) -> &[String] {
    let q = &rubric.rubric.question[qi];
    let oi = ranks(rubric, qi)[k];
    q.option[oi].addresses.as_deref().unwrap_or(&q.addresses)
}

/// The pressing problem the sheet names, as its option id.
fn problem_id<'r>(aim: &Aim<'r>) -> Option<&'r str> {
    let r = &aim.rubric.rubric;
    let qi = aim
        .rubric
        .question(r.scoring.pressing_problem.as_deref()?)?;
    Some(&r.question[qi].option[aim.problem?].id)
}

/// Whether question `qi`'s moves from `from` to `to` address the problem.
fn addresses_problem(aim: &Aim, qi: usize, from: usize, to: usize, problem: Option<&str>) -> bool {
    problem.is_some_and(|p| (from..to).any(|k| addresses(aim.rubric, qi, k).iter().any(|a| a == p)))
}

/// Makes sure the pressing problem has an initiative: when no planned move
/// addresses it, the practice that addresses it with the lowest level goes one
/// level up (with what that needs).
fn cover_problem(aim: &Aim, want: &mut [Option<usize>]) {
    let Some(problem) = problem_id(aim) else {
        return;
    };
    let r = &aim.rubric.rubric;
    let covered = (0..want.len()).any(|qi| match (aim.levels[qi], want[qi]) {
        (Some(from), Some(to)) => addresses_problem(aim, qi, from, to, Some(problem)),
        _ => false,
    });
    if covered {
        return;
    }
    let candidate = (0..r.question.len())
        .filter(|&qi| r.question[qi].kind == QuestionKind::Practice)
        .filter_map(|qi| {
            let now = aim.levels[qi]?;
            (now + 1 < r.question[qi].option.len()
                && addresses(aim.rubric, qi, now).iter().any(|a| a == problem))
            .then_some((now, qi))
        })
        .min();
    if let Some((now, qi)) = candidate {
        want[qi] = Some(want[qi].map_or(now + 1, |w| w.max(now + 1)));
        close(aim, want);
    }
}

/// The office types a recommendation would get for this organisation: those of
/// the first outcome rule with that recommendation whose context conditions
/// (`is` tests) hold; with the rule, for its own needs.
fn offices_for(aim: &Aim, target: Band) -> (Option<usize>, Option<usize>, Option<usize>) {
    let rubric = aim.rubric;
    let r = &rubric.rubric;
    for (ri, rule) in rubric.rules().iter().enumerate() {
        let base = &r.outcome[rule.result];
        if base.recommendation != Some(target) {
            continue;
        }
        let context = |c: &crate::rubric::Cond| {
            !matches!(c.test, crate::rubric::Test::Is(_)) || (aim.context)(c)
        };
        if !rule.when.iter().all(context) {
            continue;
        }
        let pick = |spec: Option<Result<usize, OfficeKind>>| match spec? {
            Ok(i) => Some(i),
            Err(kind) => {
                let of_kind = || (r.office.iter().enumerate()).filter(move |(_, o)| o.kind == kind);
                of_kind()
                    .find(|&(i, _)| {
                        let o = &rubric.offices()[i];
                        o.when.iter().all(context)
                            && (o.when_any.is_empty() || o.when_any.iter().any(context))
                    })
                    .or_else(|| of_kind().next_back())
                    .map(|(i, _)| i)
            }
        };
        return (pick(rule.office), pick(rule.also), Some(ri));
    }
    (None, None, None)
}

/// Works out the plan by index.
pub(crate) fn moves(aim: &Aim, outcome: Option<&Outcome>) -> Moves {
    let rubric = aim.rubric;
    let target = aim.target.unwrap_or(aim.decision.recommendation);
    let (offices, rule) = if target == aim.decision.recommendation {
        ((aim.decision.office, aim.decision.also), aim.decision.rule)
    } else {
        let (o, a, ri) = offices_for(aim, target);
        ((o, a), ri)
    };
    let mut want = target_levels(aim, offices, rule);
    close(aim, &mut want);
    cover_problem(aim, &mut want);
    let mut parts = split(aim, &want, &[]);
    order(aim, &mut parts);
    if !problem_early(aim, &parts) {
        // The pressing problem is addressed only late (or not at all): the first
        // practice whose next level addresses it and which can start early gets
        // that level as an initiative of its own.
        if let Some(better) = early_problem_parts(aim, &want) {
            parts = better;
        }
    }
    let projected = project(rubric, &parts, outcome);
    let end = (projected.last().copied().flatten())
        .map(|p| p.recommendation)
        .or_else(|| outcome.map(Outcome::recommendation));
    Moves {
        target,
        offices,
        moves: parts,
        end,
        projected,
    }
}

/// Whether a move in the first two horizons addresses the pressing problem (or
/// the sheet names none).
fn problem_early(aim: &Aim, parts: &[Move]) -> bool {
    let Some(problem) = problem_id(aim) else {
        return true;
    };
    (parts.iter())
        .any(|p| p.horizon <= 2 && addresses_problem(aim, p.question, p.from, p.to, Some(problem)))
}

/// A plan in which the pressing problem is addressed in the first two horizons:
/// tries each practice (rubric order) whose next level up addresses it, planned
/// as a move of one level (with what it needs), and keeps the first that works.
fn early_problem_parts(aim: &Aim, want: &[Option<usize>]) -> Option<Vec<Move>> {
    let problem = problem_id(aim)?;
    let r = &aim.rubric.rubric;
    for qi in 0..r.question.len() {
        let Some(now) = aim.levels[qi] else { continue };
        if r.question[qi].kind != QuestionKind::Practice
            || now + 1 >= r.question[qi].option.len()
            || !addresses(aim.rubric, qi, now).iter().any(|a| a == problem)
        {
            continue;
        }
        let mut want = want.to_vec();
        want[qi] = Some(want[qi].map_or(now + 1, |w| w.max(now + 1)));
        close(aim, &mut want);
        // Split the move, and what it needs, at the levels this one level needs:
        // the rest of each can come later.
        let mut at = vec![(qi, now + 1)];
        let mut todo = vec![(qi, now, now + 1)];
        while let Some((q, from, to)) = todo.pop() {
            for k in from..to {
                for &(q2, rank) in requires(aim.rubric, q, k) {
                    let Some(level) = aim.levels[q2] else {
                        continue;
                    };
                    if level < rank && !at.contains(&(q2, rank)) {
                        at.push((q2, rank));
                        todo.push((q2, level, rank));
                    }
                }
            }
        }
        let mut parts = split(aim, &want, &at);
        order(aim, &mut parts);
        if problem_early(aim, &parts) {
            return Some(parts);
        }
    }
    None
}

/// One initiative per question moved; where two would need each other, the one
/// needed is split at the level the other needs, and `at` (a question and rank)
/// splits one move where it is asked. Needs are worked out here too.
fn split(aim: &Aim, want: &[Option<usize>], at: &[(usize, usize)]) -> Vec<Move> {
    let rubric = aim.rubric;
    let mut parts: Vec<Move> = (0..want.len())
        .filter_map(|qi| {
            let (from, to) = (aim.levels[qi]?, want[qi]?);
            (to > from).then(|| Move {
                question: qi,
                from,
                to,
                needs: Vec::new(),
                horizon: 1,
                ends: 0,
                reason: Reason::Target,
            })
        })
        .collect();
    for &(qi, rank) in at {
        if let Some(k) =
            (parts.iter()).position(|p| p.question == qi && p.from < rank && rank < p.to)
        {
            let p = parts[k].clone();
            parts[k].to = rank;
            parts.insert(k + 1, Move { from: rank, ..p });
        }
    }
    // Bounded: each split adds a part, and there are at most as many parts as
    // levels to cross.
    let levels: usize = parts.iter().map(|p| p.to - p.from).sum();
    for _ in 0..=levels {
        let edges = link(rubric, &parts, aim);
        match cycle(&parts, &edges) {
            None => {
                for (p, e) in parts.iter_mut().zip(edges) {
                    p.needs = e.into_iter().map(|(j, _)| j).collect();
                }
                return parts;
            }
            Some((at, rank)) => {
                let p = parts[at].clone();
                parts[at].to = rank;
                parts.insert(at + 1, Move { from: rank, ..p });
            }
        }
    }
    parts
}

/// The part of question `qi`'s moves that makes it reach rank `rank`.
fn part_reaching(parts: &[Move], qi: usize, rank: usize) -> Option<usize> {
    parts
        .iter()
        .position(|p| p.question == qi && p.from < rank && rank <= p.to)
}

/// Each part's needs, with the rank of the needed part's question each is for:
/// the part below it on its own ladder, and the parts that make the levels its
/// crossed moves require.
fn link(rubric: &LoadedRubric, parts: &[Move], aim: &Aim) -> Vec<Vec<(usize, usize)>> {
    (0..parts.len())
        .map(|i| {
            let p = &parts[i];
            let mut n: Vec<(usize, usize)> = Vec::new();
            if let Some(below) = part_reaching(parts, p.question, p.from) {
                n.push((below, p.from));
            }
            for k in p.from..p.to {
                for &(q2, rank) in requires(rubric, p.question, k) {
                    if aim.levels[q2].is_some_and(|now| now >= rank) {
                        continue;
                    }
                    if let Some(j) = part_reaching(parts, q2, rank)
                        && j != i
                    {
                        match n.iter_mut().find(|(x, _)| *x == j) {
                            Some(e) => e.1 = e.1.max(rank),
                            None => n.push((j, rank)),
                        }
                    }
                }
            }
            n
        })
        .collect()
}

/// A circle of needs, if any: the part to split and the rank to split it at (a
/// level another part on the circle needs of it, below the part's top, which must
/// exist since the levels' own moves have no circle).
fn cycle(parts: &[Move], edges: &[Vec<(usize, usize)>]) -> Option<(usize, usize)> {
    // 0 unseen, 1 on the path, 2 done.
    let mut state = vec![0u8; parts.len()];
    for start in 0..parts.len() {
        if state[start] != 0 {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&(node, next)) = path.last() {
            let Some(&(dep, _)) = edges[node].get(next) else {
                state[node] = 2;
                path.pop();
                continue;
            };
            if let Some(top) = path.last_mut() {
                top.1 += 1;
            }
            match state[dep] {
                0 => {
                    state[dep] = 1;
                    path.push((dep, 0));
                }
                1 => {
                    // The circle runs from `dep` along the path to `node`, and back.
                    let from = path.iter().position(|&(x, _)| x == dep).unwrap_or(0);
                    let ring: Vec<usize> = path[from..].iter().map(|&(x, _)| x).collect();
                    for (k, &a) in ring.iter().enumerate() {
                        let b = ring[(k + 1) % ring.len()];
                        if let Some(&(_, rank)) = edges[a].iter().find(|(x, _)| *x == b)
                            && parts[b].from < rank
                            && rank < parts[b].to
                        {
                            return Some((b, rank));
                        }
                    }
                    return None;
                }
                _ => {}
            }
        }
    }
    None
}

/// Orders the parts: nothing before what it needs; among what is ready, by
/// reason, then rubric order. Then sets each part's horizon, and sorts by horizon
/// (which keeps every part after what it needs: a part ends after what it needs).
fn order(aim: &Aim, parts: &mut Vec<Move>) {
    let rubric = aim.rubric;
    let problem = problem_id(aim);
    let gate_questions: Vec<usize> = aim
        .gates
        .iter()
        .flat_map(|&gi| match rubric.gate_targets()[gi] {
            crate::rubric::Target::Question(qi) => vec![qi],
            crate::rubric::Target::Factor(fi) => rubric.questions_of(fi).to_vec(),
            crate::rubric::Target::Axis(_) => Vec::new(),
        })
        .collect();
    let needed: Vec<bool> = (0..parts.len())
        .map(|i| parts.iter().any(|p| p.needs.contains(&i)))
        .collect();
    for (i, p) in parts.iter_mut().enumerate() {
        p.reason = if needed[i] {
            Reason::Foundation
        } else if gate_questions.contains(&p.question) {
            Reason::Gate
        } else if addresses_problem(aim, p.question, p.from, p.to, problem) {
            Reason::Problem
        } else {
            Reason::Target
        };
    }
    // Kahn's order with a priority among what is ready.
    let n = parts.len();
    let mut done = vec![false; n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    while order.len() < n {
        let ready = (0..n)
            .filter(|&i| !done[i] && parts[i].needs.iter().all(|&d| done[d]))
            .min_by_key(|&i| (parts[i].reason, parts[i].question, parts[i].from));
        let Some(i) = ready.or_else(|| (0..n).find(|&i| !done[i])) else {
            break;
        };
        done[i] = true;
        order.push(i);
    }
    // Horizons: each crossed level takes its effort; a part starts when what it
    // needs ends, and falls in the horizon of its midpoint (so a move that starts
    // now with a few weeks' work is begun in the first 90 days even when its last
    // level takes longer). Twice the midpoint, to stay in whole months.
    let mut ends = vec![0u32; n];
    let mut mids = vec![0u32; n];
    // At most [`AT_ONCE`] initiatives run at a time: an organisation building an
    // office cannot start six changes in its first quarter. Each takes the lane
    // that frees first, in the order of need.
    let mut lanes = [0u32; AT_ONCE];
    for &i in &order {
        let p = &parts[i];
        let ready = p.needs.iter().map(|&d| ends[d]).max().unwrap_or(0);
        let lane = (0..AT_ONCE).min_by_key(|&l| lanes[l]).unwrap_or(0);
        let start = ready.max(lanes[lane]);
        let length: u32 = (p.from..p.to)
            .map(|k| {
                let oi = ranks(rubric, p.question)[k];
                rubric.rubric.question[p.question].option[oi]
                    .effort
                    .unwrap_or(Effort::Months)
                    .months()
            })
            .sum();
        ends[i] = start + length;
        mids[i] = 2 * start + length;
        lanes[lane] = ends[i];
    }
    let horizon = |twice_mid: u32| match twice_mid {
        0..=6 => 1,
        7..=24 => 2,
        _ => 3,
    };
    // Renumber: plan order is (horizon, order of need).
    let position: Vec<usize> = {
        let mut pos = vec![0; n];
        for (k, &i) in order.iter().enumerate() {
            pos[i] = k;
        }
        pos
    };
    let mut sorted: Vec<usize> = (0..n).collect();
    sorted.sort_by_key(|&i| (horizon(mids[i]), position[i]));
    let mut new_index = vec![0; n];
    for (k, &i) in sorted.iter().enumerate() {
        new_index[i] = k;
    }
    let mut out: Vec<Move> = sorted
        .iter()
        .map(|&i| {
            let mut p = parts[i].clone();
            p.needs = p.needs.iter().map(|&d| new_index[d]).collect();
            p.needs.sort_unstable();
            p.ends = ends[i];
            p.horizon = horizon(mids[i]);
            p
        })
        .collect();
    std::mem::swap(parts, &mut out);
}

/// The figures after each part in turn, scored by the model from the sheet's
/// outcome (a group has none: `None` each).
fn project(
    rubric: &LoadedRubric,
    parts: &[Move],
    outcome: Option<&Outcome>,
) -> Vec<Option<Projected>> {
    let Some(outcome) = outcome else {
        return vec![None; parts.len()];
    };
    let changes = (parts.iter()).map(|p| (p.question, Some(ranks(rubric, p.question)[p.to])));
    (outcome.projected(rubric, changes).into_iter())
        .map(|d| {
            d.map(|(index, recommendation)| Projected {
                index,
                recommendation,
            })
        })
        .collect()
}

/// One initiative as every output shows it (contract section 6): a practice
/// question moved from its answer to the level the target needs, in one move.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Initiative<'r> {
    /// 1: the first 90 days; 2: 3 to 12 months; 3: 12 to 24 months.
    pub horizon: u8,
    /// The practice question.
    #[serde(serialize_with = "crate::json_text::text")]
    pub question: &'r str,
    /// The option answered now.
    #[serde(serialize_with = "crate::json_text::text")]
    pub from: &'r str,
    /// The option the target needs (possibly several levels up).
    #[serde(serialize_with = "crate::json_text::text")]
    pub to: &'r str,
    /// The practice's name (else the question's text).
    #[serde(serialize_with = "crate::json_text::text")]
    pub title: &'r str,
    /// The improve texts of the levels crossed, as one action.
    #[serde(serialize_with = "crate::json_text::cow")]
    pub action: Cow<'r, str>,
    /// How to tell it is done: the last level's `done-when`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::json_text::option"
    )]
    pub done_when: Option<&'r str>,
    /// The role that leads it (a `[roles]` id).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::json_text::option"
    )]
    pub owner: Option<&'r str>,
    /// The longest effort among the levels crossed.
    pub effort: Effort,
    /// The questions of the initiatives it needs first.
    #[serde(serialize_with = "crate::json_text::list")]
    pub requires: Vec<&'r str>,
    /// Why it comes where it does.
    pub reason: Reason,
    /// For a group: how many respondents already answer at or above `to`, of those
    /// who answered the question.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub already: Option<Already>,
    /// What the answers would give once this initiative and those before it are
    /// done (a sheet's plan; not shown to clients).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projected: Option<Projected>,
}

/// How many respondents already stand where an initiative aims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Already {
    /// At or above the initiative's `to`.
    pub count: usize,
    /// Of those who answered the question.
    pub of: usize,
}

/// The figures a plan's answers would give.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Projected {
    /// The index.
    pub index: f64,
    /// The recommendation.
    pub recommendation: Band,
}

/// The plan (contract section 6): at most [`SHOWN`] initiatives in three
/// horizons, the rest `later`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Plan<'r> {
    /// The recommendation aimed at.
    pub target: Band,
    /// The office type aimed at, and the second one of `both`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::json_text::option"
    )]
    pub office: Option<&'r str>,
    /// The second office type of `both`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::json_text::option"
    )]
    pub also: Option<&'r str>,
    /// Whether the answers, once every initiative is done, give the target.
    pub reached: bool,
    /// The initiatives shown, in plan order.
    pub initiatives: Vec<Initiative<'r>>,
    /// The rest, in plan order.
    pub later: Vec<Initiative<'r>>,
    /// Starts from a group's typical answers (the group's headline decision).
    #[serde(skip)]
    pub group: bool,
}

impl Plan<'_> {
    /// Every initiative, shown and later, in plan order.
    pub fn all(&self) -> impl Iterator<Item = &Initiative<'_>> {
        self.initiatives.iter().chain(&self.later)
    }
}

/// The texts of the move up from an option, its context variant applied: the
/// first variant whose conditions all hold replaces what it gives.
fn texts<'r>(
    rubric: &'r LoadedRubric,
    o: &'r crate::rubric::AnswerOption,
    context: &dyn Fn(&crate::rubric::Cond) -> bool,
) -> (Option<&'r str>, Option<&'r str>, Option<&'r str>) {
    let (mut improve, mut done, mut owner) = (
        o.improve.as_deref(),
        o.done_when.as_deref(),
        o.owner.as_deref(),
    );
    if let Some(v) = (o.variant.iter()).find(|v| rubric.conds(&v.when).iter().all(context)) {
        improve = v.improve.as_deref().or(improve);
        done = v.done_when.as_deref().or(done);
        owner = v.owner.as_deref().or(owner);
    }
    (improve, done, owner)
}

/// Names a plan by index: ids, texts, projected figures; the first [`SHOWN`]
/// initiatives shown, the rest later.
fn name<'r>(
    rubric: &'r LoadedRubric,
    aim: &Aim<'_>,
    m: Moves,
    already: Option<&dyn Fn(usize, usize) -> Already>,
) -> Plan<'r> {
    let r = &rubric.rubric;
    let mut all: Vec<Initiative<'r>> = (m.moves.iter().enumerate())
        .map(|(i, mv)| {
            let q = &r.question[mv.question];
            let rank = ranks(rubric, mv.question);
            let crossed: Vec<_> = (mv.from..mv.to).map(|k| &q.option[rank[k]]).collect();
            let texts: Vec<_> = (crossed.iter())
                .map(|o| texts(rubric, o, aim.context))
                .collect();
            // One level crossed (most initiatives): the rubric's text, borrowed.
            let parts: Vec<&'r str> = texts.iter().filter_map(|t| t.0).collect();
            let action = match parts.as_slice() {
                [one] => Cow::Borrowed(*one),
                _ => Cow::Owned(parts.join(" ")),
            };
            Initiative {
                horizon: mv.horizon,
                question: &q.id,
                from: &q.option[rank[mv.from]].id,
                to: &q.option[rank[mv.to]].id,
                title: q.practice.as_deref().unwrap_or(&q.text),
                action,
                done_when: texts.iter().rev().find_map(|t| t.1),
                owner: texts.iter().find_map(|t| t.2).map(|role| {
                    // The office aimed at may name another lead for this role.
                    (m.offices.0)
                        .and_then(|oi| r.office[oi].roles.get(role))
                        .map_or(role, String::as_str)
                }),
                effort: (crossed.iter())
                    .map(|o| o.effort.unwrap_or(Effort::Months))
                    .max()
                    .unwrap_or(Effort::Months),
                requires: (mv.needs.iter())
                    .map(|&j| r.question[m.moves[j].question].id.as_str())
                    .fold(Vec::new(), |mut v, id| {
                        if !v.contains(&id) && id != q.id {
                            v.push(id);
                        }
                        v
                    }),
                reason: mv.reason,
                already: already.map(|f| f(mv.question, rank[mv.to])),
                projected: m.projected.get(i).copied().flatten(),
            }
        })
        .collect();
    let later = all.split_off(all.len().min(SHOWN));
    let end = m.end.unwrap_or(aim.decision.recommendation);
    let office_id = |o: Option<usize>| o.map(|i| r.office[i].id.as_str());
    Plan {
        target: m.target,
        office: office_id(m.offices.0),
        also: office_id(m.offices.1),
        reached: end == m.target,
        initiatives: all,
        later,
        group: already.is_some(),
    }
}

/// The option (by index) answered to the pressing-problem question.
fn problem_answer(rubric: &LoadedRubric, choices: &[Option<usize>]) -> Option<usize> {
    let q = rubric.rubric.scoring.pressing_problem.as_deref()?;
    choices.get(rubric.question(q)?).copied().flatten()
}

/// A scored sheet's plan towards `target` (else its recommendation, built well).
pub(crate) fn for_sheet<'r>(
    rubric: &'r LoadedRubric,
    outcome: &Outcome,
    target: Option<Band>,
) -> Plan<'r> {
    let context = |c: &crate::rubric::Cond| outcome.holds(rubric, c);
    let aim = Aim {
        rubric,
        levels: levels_of(rubric, outcome.choices()),
        decision: outcome.decision(),
        target,
        problem: problem_answer(rubric, outcome.choices()),
        gates: outcome.gates().iter().map(|&(gi, _)| gi).collect(),
        context: &context,
    };
    name(rubric, &aim, moves(&aim, Some(outcome)), None)
}

/// Where a group stands, as its headline shows it.
pub(crate) struct GroupStart<'a> {
    /// Each question's typical answer (the median by score).
    pub(crate) typical: &'a [Option<usize>],
    /// Each question's most chosen answer (what its `is` conditions read).
    pub(crate) modal: &'a [Option<usize>],
    /// The decision its headline shows.
    pub(crate) decision: Decision,
    /// The gates that fired on its figures, by index.
    pub(crate) gates: Vec<usize>,
}

/// A group's plan: from its typical answers towards the decision its headline
/// shows, or `target`; `holds` reads a condition on the group's figures, and
/// `already` counts the respondents at or above a question's option.
pub(crate) fn for_group<'r>(
    rubric: &'r LoadedRubric,
    start: GroupStart<'_>,
    target: Option<Band>,
    holds: &dyn Fn(&crate::rubric::Cond) -> bool,
    already: &dyn Fn(usize, usize) -> Already,
) -> Plan<'r> {
    let aim = Aim {
        rubric,
        levels: levels_of(rubric, start.typical),
        decision: start.decision,
        target,
        problem: problem_answer(rubric, start.modal),
        gates: start.gates,
        context: holds,
    };
    name(rubric, &aim, moves(&aim, None), Some(already))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::Requirement;
    use proptest::prelude::*;

    /// The default rubric with its practices' efforts and requirements drawn anew
    /// from `seed`. A level may need levels of other practices only where every
    /// move below that level comes earlier in one order of moves (by rank, then at
    /// random), so the levels' needs have no circle, as `rubric check` demands;
    /// the moves of two questions can still need each other, which `split` handles.
    fn variant(seed: &[u32]) -> LoadedRubric {
        let mut draw = seed.iter().copied().cycle();
        let mut next = move || draw.next().unwrap_or(0) as usize;
        crate::testing::default3().changed(|rb| {
            let practice: Vec<usize> = (0..rb.question.len())
                .filter(|&qi| rb.question[qi].kind == QuestionKind::Practice)
                .collect();
            let rank: Vec<Vec<usize>> = (rb.question.iter())
                .map(crate::rubric::judgement::rank)
                .collect();
            let key: Vec<Vec<usize>> = (rb.question.iter())
                .map(|q| {
                    (0..q.option.len())
                        .map(|k| k * 1000 + next() % 1000)
                        .collect()
                })
                .collect();
            for &qi in &practice {
                for k in 0..rb.question[qi].option.len() {
                    let oi = rank[qi][k];
                    let effort = [Effort::Weeks, Effort::Months, Effort::Quarters][next() % 3];
                    let mut reqs = Vec::new();
                    for _ in 0..next() % 6 {
                        let q2 = practice[next() % practice.len()];
                        let r2 = 1 + next() % (rb.question[q2].option.len() - 1);
                        if q2 != qi && key[q2][r2 - 1] < key[qi][k] {
                            reqs.push(Requirement {
                                question: rb.question[q2].id.clone(),
                                reaches: rb.question[q2].option[rank[q2][r2]].id.clone(),
                            });
                        }
                    }
                    let o = &mut rb.question[qi].option[oi];
                    o.effort = Some(effort);
                    o.requires = reqs;
                }
            }
        })
    }

    #[test]
    fn a_random_rubric_makes_a_real_plan_with_needs() {
        // The premise of the property below: variants do plan, with needs.
        let seed: Vec<u32> = (0..200u32).map(|i| i.wrapping_mul(2_654_435_761)).collect();
        let rubric = variant(&seed);
        // Each question at its lowest option (a context question at its first).
        let lowest: Vec<Option<usize>> = (rubric.rubric.question.iter())
            .map(|q| Some(crate::rubric::judgement::rank(q)[0]))
            .collect();
        let outcome = Outcome::of(&rubric, &lowest).unwrap();
        let plan = for_sheet(&rubric, &outcome, Some(Band::Vmo));
        let all: Vec<_> = plan.all().collect();
        assert!(all.len() >= 3, "{all:#?}");
        assert!(all.iter().any(|i| !i.requires.is_empty()), "{all:#?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn random_rubrics_keep_the_order_and_the_horizons(
            seed in proptest::collection::vec(any::<u32>(), 64..256),
            answers in proptest::collection::vec(any::<u8>(), 26),
        ) {
            let rubric = variant(&seed);
            let r = &rubric.rubric;
            let choices: Vec<Option<usize>> = (r.question.iter().zip(answers.iter().cycle()))
                .map(|(q, &a)| Some(a as usize % q.option.len()))
                .collect();
            let outcome = Outcome::of(&rubric, &choices).unwrap();
            let context = |c: &crate::rubric::Cond| outcome.holds(&rubric, c);
            let aim = Aim {
                rubric: &rubric,
                levels: levels_of(&rubric, outcome.choices()),
                decision: outcome.decision(),
                target: [None, Some(Band::Pmo), Some(Band::Vmo), Some(Band::Both)][answers[0] as usize % 4],
                problem: problem_answer(&rubric, outcome.choices()),
                gates: outcome.gates().iter().map(|&(gi, _)| gi).collect(),
                context: &context,
            };
            let m = moves(&aim, Some(&outcome));
            let mut last = 1;
            for (i, mv) in m.moves.iter().enumerate() {
                prop_assert!(mv.to > mv.from);
                prop_assert_eq!(r.question[mv.question].kind, QuestionKind::Practice);
                prop_assert!((1..=3).contains(&mv.horizon));
                prop_assert!(mv.horizon >= last, "horizons go back at {}", i);
                last = mv.horizon;
                for &d in &mv.needs {
                    prop_assert!(d < i, "{} needs {}, which comes after it", i, d);
                    prop_assert!(m.moves[d].ends <= mv.ends);
                    prop_assert!(m.moves[d].horizon <= mv.horizon);
                }
                // The levels it crosses have what they require: met now, or by a
                // move before it.
                for k in mv.from..mv.to {
                    for &(q2, rank) in requires(&rubric, mv.question, k) {
                        let met = aim.levels[q2].is_some_and(|now| now >= rank)
                            || m.moves[..i].iter().any(|p| p.question == q2 && p.to >= rank);
                        prop_assert!(met, "move {} crosses a level whose need is unmet", i);
                    }
                }
            }
            let plan = name(&rubric, &aim, m, None);
            prop_assert!(plan.initiatives.len() <= SHOWN);
        }
    }
}
