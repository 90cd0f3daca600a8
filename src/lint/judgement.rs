//! The lints of format 3: outcome rules that can never decide, and respondent text
//! that leads (words that say or hint how an answer counts).

use super::{Lint, Lints, TextPlace, k};
use crate::diag::Seg;
use crate::rubric::respondent::{Field, RespondentText};
use crate::rubric::{Cond, LoadedRubric, Target, Test};

/// The words respondent text must not contain when the rubric lists none.
pub(crate) const LEADING_WORDS: [&str; 18] = [
    "PMO",
    "VMO",
    "EPMO",
    "rubric",
    "recommend",
    "recommended",
    "recommendation",
    "score",
    "scored",
    "scoring",
    "value office",
    "value management office",
    "project management office",
    "which suits",
    "is needed",
    "ready for",
    "readiness",
    "best practice",
];

pub(super) fn lint(l: &mut Lints) {
    unreachable_outcomes(l);
    leading_words(l);
}

/// `leading-word`: every text a respondent reads ([`RespondentText::texts`]: the
/// questionnaire's and the factors' titles and descriptions, every question's text
/// and help, every option's label and help), against the rubric's list (or
/// [`LEADING_WORDS`]), as whole words in any case.
fn leading_words(l: &mut Lints) {
    let Some(words) = leading_list(l.rubric) else {
        return;
    };
    let view = RespondentText::of(l.rubric);
    let mut found = Vec::new();
    for (field, text) in view.texts() {
        let Some(word) = first_leading(text, &words) else {
            continue;
        };
        let (path, place, name) = match field {
            Field::Questionnaire(name) => (vec![k(name)], TextPlace::Questionnaire, name),
            Field::Factor(id, name) => {
                let fi = l.rubric.factor(id).unwrap_or(0);
                let path = vec![k("factor"), Seg::Index(fi), k(name)];
                (path, TextPlace::Factor(id.to_string()), name)
            }
            Field::Question(id, name) => {
                let qi = l.rubric.question(id).unwrap_or(0);
                let path = vec![k("question"), Seg::Index(qi), k(name)];
                (path, TextPlace::Question(id.to_string()), name)
            }
            Field::Option(qid, oid, name) => {
                let qi = l.rubric.question(qid).unwrap_or(0);
                let oi = (l.rubric.rubric.question.get(qi))
                    .and_then(|q| q.option.iter().position(|o| o.id == oid))
                    .unwrap_or(0);
                let path = vec![
                    k("question"),
                    Seg::Index(qi),
                    k("option"),
                    Seg::Index(oi),
                    k(name),
                ];
                let place = TextPlace::Option(qid.to_string(), oid.to_string());
                (path, place, name)
            }
        };
        let lint = Lint::LeadingWord {
            place,
            field: name,
            word,
        };
        found.push((path, lint));
    }
    for (path, lint) in found {
        let line = l.line(&path, false);
        l.push(line, lint);
    }
}

/// The words respondent text must not hold: the rubric's list, else
/// [`LEADING_WORDS`] for a format-3 rubric. A format-2 rubric (no outcome rules)
/// wrote its help to explain scoring: it is checked only when it lists its own
/// words.
fn leading_list(rubric: &LoadedRubric) -> Option<Vec<String>> {
    match &rubric.rubric.scoring.leading_words {
        Some(list) => Some(list.clone()),
        None if rubric.has_outcomes() => {
            Some(LEADING_WORDS.iter().map(|w| w.to_string()).collect())
        }
        None => None,
    }
}

/// The first leading word (the rubric's list, or the default list for a format-3
/// rubric) that `text` holds as a whole word or phrase, in any case: what the
/// tests ask of every respondent surface, with the lint's own matching.
pub fn leading_word_in(rubric: &LoadedRubric, text: &str) -> Option<String> {
    first_leading(text, &leading_list(rubric)?)
}

/// The first of `words` that `text` contains as a whole word (or phrase), in any
/// case.
pub(crate) fn first_leading(text: &str, words: &[String]) -> Option<String> {
    let lower = text.to_lowercase();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    words.iter().find_map(|w| {
        let w_lower = w.to_lowercase();
        if w_lower.is_empty() {
            return None;
        }
        let mut from = 0;
        while let Some(at) = lower[from..].find(&w_lower) {
            let start = from + at;
            let end = start + w_lower.len();
            let before = lower[..start].chars().next_back();
            let after = lower[end..].chars().next();
            if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
                return Some(w.clone());
            }
            from = start + lower[start..].chars().next().map_or(1, char::len_utf8);
        }
        None
    })
}

/// `unreachable-outcome`: a rule whose every sheet an earlier rule matches first.
///
/// Each rule is a union of boxes (its `when` with one of its `when-any`), a box
/// holding, per thing a condition reads, the cells of its range the rule allows
/// (cells cut at every threshold any rule uses, plus "unanswered"). A rule is
/// unreachable when its boxes lie inside the union of the earlier rules' boxes.
/// Things are treated as independent (an axis is read apart from the factors it
/// is made of), so a rule found unreachable truly is; one that the dependence
/// between them makes unreachable may pass.
fn unreachable_outcomes(l: &mut Lints) {
    let rubric = l.rubric;
    if rubric.rules().is_empty() {
        return;
    }
    let space = Space::of(rubric);
    let mut earlier: Vec<Vec<u64>> = Vec::new();
    let mut found = Vec::new();
    for (ri, rule) in rubric.rules().iter().enumerate() {
        let boxes = space.boxes(&rule.when, &rule.when_any);
        let mut budget = 200_000usize;
        let unreachable = boxes
            .iter()
            .all(|b| space.covered(b, &earlier, &mut budget) == Some(true));
        if unreachable {
            found.push(ri);
        }
        earlier.extend(boxes);
    }
    for ri in found {
        let id = rubric.rubric.outcome[ri].id.clone();
        let line = l.line(&[k("outcome"), Seg::Index(ri), k("id")], false);
        l.push(line, Lint::UnreachableOutcome { outcome: id });
    }
}

/// The things outcome rules read, each cut into cells.
struct Space {
    /// What each dimension reads.
    targets: Vec<Target>,
    /// Per dimension, the thresholds that cut it (numeric), or how many options
    /// the question has (an `is` dimension); the last cell is "unanswered".
    cuts: Vec<Cuts>,
}

enum Cuts {
    Numeric(Vec<f64>),
    Options(usize),
}

impl Cuts {
    /// How many cells, "unanswered" included.
    fn cells(&self) -> usize {
        match self {
            Cuts::Numeric(t) => t.len() + 2,
            Cuts::Options(n) => n + 1,
        }
    }
}

impl Space {
    fn of(rubric: &LoadedRubric) -> Space {
        let mut targets: Vec<(Target, bool)> = Vec::new();
        let mut cuts: Vec<Cuts> = Vec::new();
        let conds = (rubric.rules().iter()).flat_map(|r| r.when.iter().chain(&r.when_any));
        for c in conds {
            let is = matches!(c.test, Test::Is(_));
            let d = match targets.iter().position(|&t| t == (c.target, is)) {
                Some(d) => d,
                None => {
                    targets.push((c.target, is));
                    cuts.push(match (is, c.target) {
                        (true, Target::Question(qi)) => {
                            Cuts::Options(rubric.rubric.question[qi].option.len())
                        }
                        _ => Cuts::Numeric(Vec::new()),
                    });
                    targets.len() - 1
                }
            };
            if let (Cuts::Numeric(t), Some(x)) = (&mut cuts[d], c.threshold())
                && !t.contains(&x)
            {
                t.push(x);
                t.sort_by(f64::total_cmp);
            }
        }
        Space {
            targets: targets.into_iter().map(|(t, _)| t).collect(),
            cuts,
        }
    }

    /// The dimension a condition reads.
    fn dim(&self, c: &Cond) -> usize {
        let is = matches!(c.test, Test::Is(_));
        (0..self.targets.len())
            .find(|&d| {
                self.targets[d] == c.target && matches!(self.cuts[d], Cuts::Options(_)) == is
            })
            .unwrap_or(0)
    }

    /// The cells of its dimension a condition allows, as a mask.
    fn allowed(&self, c: &Cond) -> u64 {
        let d = self.dim(c);
        let mut mask = 0u64;
        match (&self.cuts[d], &c.test) {
            (Cuts::Options(_), Test::Is(list)) => {
                for &o in list {
                    mask |= 1 << o.min(62);
                }
            }
            (Cuts::Numeric(t), test) => {
                // Cell k covers [t[k-1], t[k]) (cell 0 from minus infinity, the
                // last numeric one to plus infinity); the unanswered cell never
                // meets a condition.
                for k in 0..=t.len() {
                    let point = if k == 0 { f64::NEG_INFINITY } else { t[k - 1] };
                    let meets = match test {
                        Test::Below(b) => point < *b,
                        Test::AtLeast(a) => point >= *a,
                        Test::Is(_) => false,
                    };
                    if meets {
                        mask |= 1 << k.min(62);
                    }
                }
            }
            _ => {}
        }
        mask
    }

    fn full(&self) -> Vec<u64> {
        (self.cuts.iter())
            .map(|c| {
                let n = c.cells().min(63);
                (1u64 << n) - 1
            })
            .collect()
    }

    /// The boxes of `when` with each of `any` (or `when` alone); an empty box (a
    /// condition that no cell meets) is left out.
    fn boxes(&self, when: &[Cond], any: &[Cond]) -> Vec<Vec<u64>> {
        let mut base = self.full();
        for c in when {
            base[self.dim(c)] &= self.allowed(c);
        }
        let mut out = Vec::new();
        if any.is_empty() {
            out.push(base);
        } else {
            for c in any {
                let mut b = base.clone();
                b[self.dim(c)] &= self.allowed(c);
                out.push(b);
            }
        }
        out.retain(|b| b.iter().all(|&m| m != 0));
        out
    }

    /// Whether `b` lies inside the union of `boxes`; `None` when the search ran
    /// out of its budget (too many pieces to tell).
    fn covered(&self, b: &[u64], boxes: &[Vec<u64>], budget: &mut usize) -> Option<bool> {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        let meeting: Vec<&Vec<u64>> = (boxes.iter())
            .filter(|x| x.iter().zip(b).all(|(m, n)| m & n != 0))
            .collect();
        let Some(first) = meeting.first() else {
            return Some(false);
        };
        if meeting
            .iter()
            .any(|x| x.iter().zip(b).all(|(m, n)| n & !m == 0))
        {
            return Some(true);
        }
        // Split along a dimension where the first box does not hold all of `b`.
        let d = (0..b.len()).find(|&d| b[d] & !first[d] != 0)?;
        let mut inside = b.to_vec();
        inside[d] &= first[d];
        let mut outside = b.to_vec();
        outside[d] &= !first[d];
        let owned: Vec<Vec<u64>> = meeting.into_iter().cloned().collect();
        Some(self.covered(&inside, &owned, budget)? && self.covered(&outside, &owned, budget)?)
    }
}
