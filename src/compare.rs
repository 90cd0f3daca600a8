//! Re-assessment: a follow-up compared with its baseline. Each side is one sheet
//! (compared as it is) or several (compared as a group, the workshop's group
//! result). Pure: scored sheets in, the differences out as data.

use indexmap::IndexMap;
use serde::Serialize;

use crate::input::sheet::ResolvedSheet;
use crate::result::SheetResult;
use crate::rubric::{Band, LoadedRubric};
use crate::workshop;

/// One side's result, as the comparison shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Side {
    /// How many sheets the side holds.
    pub(crate) sources: usize,
    /// When the assessment was made: the sheet's `date`, or the latest of a group's.
    pub(crate) date: Option<String>,
    /// A group whose sheets span several dates: the earliest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) from: Option<String>,
    pub(crate) index: f64,
    pub(crate) recommendation: Band,
    pub(crate) band: Band,
    pub(crate) margin: f64,
    pub(crate) factors: Vec<SideFactor>,
    /// Ids of the gates that fired.
    pub(crate) gates: Vec<String>,
    /// Sheets that gave no date, when the side is a group with some dates.
    #[serde(skip)]
    pub(crate) undated: usize,
}

/// A factor's score on one side (`None`: not answered there).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SideFactor {
    pub(crate) id: String,
    pub(crate) score: Option<f64>,
}

/// A factor before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct FactorChange {
    pub(crate) id: String,
    pub(crate) before: Option<f64>,
    pub(crate) after: Option<f64>,
    /// `after - before`, when both are scored.
    pub(crate) change: Option<f64>,
}

/// An answer that moved (single sheets on both sides).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct AnswerChange {
    pub(crate) question: String,
    pub(crate) before: Option<String>,
    pub(crate) after: Option<String>,
}

/// Gates that fired before and not after, and the other way round.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct GateChanges {
    pub(crate) cleared: Vec<String>,
    pub(crate) new: Vec<String>,
}

/// A respondent present on both sides of a group comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Matched {
    /// The name as first written on the after side.
    pub(crate) respondent: String,
    pub(crate) before: f64,
    pub(crate) after: f64,
    pub(crate) change: f64,
}

/// Who is on which side of a group comparison, matched by name (compared trimmed,
/// with case and white space folded).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct People {
    pub(crate) matched: Vec<Matched>,
    pub(crate) joined: Vec<String>,
    pub(crate) left: Vec<String>,
    /// Sheets with no respondent name, which cannot be matched.
    pub(crate) unnamed: usize,
    /// Names that more than one sheet of a side gives (two Anns in one room):
    /// they cannot be paired, so each is listed with its sheets, never dropped.
    #[serde(rename = "same-name", skip_serializing_if = "Vec::is_empty")]
    pub(crate) same_name: Vec<SameName>,
}

/// A respondent name several sheets share, with the sheets on each side.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct SameName {
    pub(crate) respondent: String,
    /// The sources of the sheets before, and after.
    pub(crate) before: Vec<String>,
    pub(crate) after: Vec<String>,
}

/// A step of the baseline's roadmap, and whether the follow-up has taken it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct StepProgress {
    pub(crate) question: String,
    pub(crate) from: String,
    pub(crate) to: String,
    /// Whether the follow-up's answer scores at least the step's `to`.
    pub(crate) done: bool,
    /// `done`, `in-progress` (some levels crossed) or `not-started`.
    pub(crate) status: &'static str,
}

/// The comparison of two assessments.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Comparison {
    pub(crate) before: Side,
    pub(crate) after: Side,
    pub(crate) index_change: f64,
    pub(crate) factors: Vec<FactorChange>,
    /// Questions whose answer changed (single sheets on both sides; empty for groups).
    pub(crate) answers: Vec<AnswerChange>,
    pub(crate) gates: GateChanges,
    /// For groups: respondents on both sides, and who joined or left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) people: Option<People>,
    /// For single sheets: the baseline's roadmap (towards the band above its result)
    /// and which of its steps the follow-up has taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) roadmap: Option<Vec<StepProgress>>,
    /// Rubric versions the two sides' sheets say they were filled against, when
    /// they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<[Vec<String>; 2]>,
    /// The baseline is dated after the follow-up (`compare new old`): every change
    /// reads backwards.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) reversed: bool,
}

/// Scored sheets on one side.
pub(crate) type Members<'r> = [(ResolvedSheet, SheetResult<'r>)];

/// Per name key: the name as first written, the first sheet's index, and every
/// sheet's source.
type ByName = IndexMap<String, (String, f64, Vec<String>)>;

/// One side of a comparison, gathered a sheet at a time: the group's figures,
/// its dates, the rubric versions its sheets name and who answered, with the
/// first sheet kept whole (a side of one sheet is compared answer by answer, with
/// its plan). No other sheet is kept, so a side of an export of 100,000 rows
/// costs its distinct names, not its rows.
pub struct SideSheets<'r> {
    rubric: &'r LoadedRubric,
    group: workshop::Group<'r>,
    first: Option<(ResolvedSheet, SheetResult<'r>)>,
    count: usize,
    latest: Option<String>,
    earliest: Option<String>,
    dated: usize,
    versions: Vec<String>,
    names: ByName,
    unnamed: usize,
}

impl<'r> SideSheets<'r> {
    /// An empty side.
    pub fn new(rubric: &'r LoadedRubric) -> Self {
        SideSheets {
            rubric,
            group: workshop::Group::new(rubric),
            first: None,
            count: 0,
            latest: None,
            earliest: None,
            dated: 0,
            versions: Vec::new(),
            names: ByName::new(),
            unnamed: 0,
        }
    }

    /// How many sheets the side holds.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Adds one scored sheet. The first is scored again whole (its flip and its
    /// plan), so that a caller may score the others without them.
    pub fn add(&mut self, sheet: &ResolvedSheet, r: &SheetResult<'_>) {
        if self.count == 0 {
            self.first = crate::result::score(self.rubric, sheet.clone(), true)
                .ok()
                .map(|whole| (sheet.clone(), whole));
        }
        self.count += 1;
        self.group.add(sheet, r);
        if let Some(d) = sheet.sheet.date.map(|d| d.to_string()) {
            self.dated += 1;
            if self.latest.as_ref().is_none_or(|l| d > *l) {
                self.latest = Some(d.clone());
            }
            if self.earliest.as_ref().is_none_or(|e| d < *e) {
                self.earliest = Some(d);
            }
        }
        if let Some(v) = (sheet.sheet.rubric_version.as_ref()).filter(|v| !v.trim().is_empty())
            && !self.versions.contains(v)
        {
            self.versions.push(v.clone());
        }
        match (r.respondent.as_deref())
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            Some(n) => {
                let e = (self.names.entry(name_key(n)))
                    .or_insert_with(|| (n.to_string(), r.evaluation.index, Vec::new()));
                e.2.push(r.source.to_string());
            }
            None => self.unnamed += 1,
        }
    }

    /// The side's result: the sheet's own, or the group's.
    fn side(&mut self) -> Option<Side> {
        let from = self
            .earliest
            .clone()
            .filter(|e| Some(e) != self.latest.as_ref());
        let date = self.latest.clone();
        if self.count == 1
            && let Some((_, r)) = &self.first
        {
            let e = &r.evaluation;
            return Some(Side {
                sources: 1,
                date,
                from,
                index: e.index,
                recommendation: e.recommendation,
                band: e.band,
                margin: e.margin,
                factors: e
                    .factors
                    .iter()
                    .map(|f| SideFactor {
                        id: f.id.to_string(),
                        score: f.score,
                    })
                    .collect(),
                gates: e.gates.iter().map(|g| g.id.to_string()).collect(),
                undated: 0,
            });
        }
        let group = std::mem::replace(&mut self.group, workshop::Group::new(self.rubric));
        let w = group.finish(None)?;
        Some(Side {
            sources: self.count,
            date,
            from,
            index: w.index,
            recommendation: w.recommendation,
            band: w.band,
            margin: w.margin,
            factors: w
                .factors
                .iter()
                .map(|f| SideFactor {
                    id: f.id.clone(),
                    score: f.mean,
                })
                .collect(),
            gates: w.gates.iter().map(|g| g.id.to_string()).collect(),
            undated: self.count - self.dated,
        })
    }
}

/// Names folded for matching: trimmed, lower-cased, white space folded.
fn name_key(name: &str) -> String {
    crate::text::normalise(name)
}

/// Who is on both sides, and who is on one only, in order of appearance.
fn people(before: &SideSheets<'_>, after: &SideSheets<'_>) -> People {
    let mut out = People::default();
    let (mut b, mut a) = (before.names.clone(), after.names.clone());
    out.unnamed = after.unnamed + before.unnamed;
    // A name several sheets of a side give is listed apart, with its sheets.
    let shared: Vec<String> = (a.iter().chain(b.iter()))
        .filter(|(_, v)| v.2.len() > 1)
        .map(|(k, _)| k.clone())
        .collect();
    for key in shared {
        let (x, y) = (b.shift_remove(&key), a.shift_remove(&key));
        let respondent = (x.as_ref().or(y.as_ref())).map_or(key.clone(), |v| v.0.clone());
        out.same_name.push(SameName {
            respondent,
            before: x.map(|v| v.2).unwrap_or_default(),
            after: y.map(|v| v.2).unwrap_or_default(),
        });
    }
    for (key, (name, after_index, _)) in &a {
        match b.get(key) {
            Some((_, before_index, _)) => out.matched.push(Matched {
                respondent: name.clone(),
                before: *before_index,
                after: *after_index,
                change: after_index - before_index,
            }),
            None => out.joined.push(name.clone()),
        }
    }
    out.left = b
        .iter()
        .filter(|(k, _)| !a.contains_key(*k))
        .map(|(_, (n, _, _))| n.clone())
        .collect();
    out
}

/// The answers that changed between two single sheets, in rubric order.
fn answer_changes(
    rubric: &LoadedRubric,
    before: &ResolvedSheet,
    after: &ResolvedSheet,
) -> Vec<AnswerChange> {
    let r = &rubric.rubric;
    let id = |qi: usize, c: Option<usize>| c.map(|oi| r.question[qi].option[oi].id.clone());
    (0..r.question.len())
        .filter(|&qi| before.choices[qi] != after.choices[qi])
        .map(|qi| AnswerChange {
            question: r.question[qi].id.clone(),
            before: id(qi, before.choices[qi]),
            after: id(qi, after.choices[qi]),
        })
        .collect()
}

/// The baseline's roadmap (towards the band above its result), each step marked
/// done when the follow-up's answer to its question scores at least as much as the
/// step's `to`.
fn roadmap_progress(
    rubric: &LoadedRubric,
    before: &SheetResult<'_>,
    after: &ResolvedSheet,
) -> Option<Vec<StepProgress>> {
    let moves: Vec<(&str, &str, &str)> = match (&before.plan, &before.roadmap) {
        (Some(plan), _) => (plan.initiatives.iter())
            .map(|i| (i.question, i.from, i.to))
            .collect(),
        (None, Some(roadmap)) => (roadmap.steps.iter())
            .map(|s| (s.question, s.from, s.to))
            .collect(),
        (None, None) => return None,
    };
    if moves.is_empty() {
        return None;
    }
    let r = &rubric.rubric;
    Some(
        moves
            .into_iter()
            .filter_map(|(question, from, to)| {
                let qi = rubric.question(question)?;
                let q = &r.question[qi];
                let score = |id: &str| q.option.iter().find(|o| o.id == id).map(|o| o.score);
                let (from_score, to_score) = (score(from)?, score(to)?);
                let now = after.choices[qi].map(|oi| q.option[oi].score);
                let done = now.is_some_and(|x| crate::rubric::reaches(x, to_score));
                let moved = now.is_some_and(|x| x > from_score);
                Some(StepProgress {
                    question: question.to_string(),
                    from: from.to_string(),
                    to: to.to_string(),
                    done,
                    status: match (done, moved) {
                        (true, _) => "done",
                        (false, true) => "in-progress",
                        (false, false) => "not-started",
                    },
                })
            })
            .collect(),
    )
}

/// The rubric versions the sheets of a side name, each once, in order.
/// Compares a follow-up with its baseline; `None` when a side holds no sheet.
pub fn compare(
    rubric: &LoadedRubric,
    before: &Members<'_>,
    after: &Members<'_>,
) -> Option<Comparison> {
    let collect = |members: &Members<'_>| {
        let mut side = SideSheets::new(rubric);
        for (sheet, result) in members {
            side.add(sheet, result);
        }
        side
    };
    compare_sides(collect(before), collect(after))
}

/// [`compare`] of two sides gathered a sheet at a time.
pub fn compare_sides(mut before: SideSheets<'_>, mut after: SideSheets<'_>) -> Option<Comparison> {
    let rubric = before.rubric;
    let b = before.side()?;
    let a = after.side()?;
    let factors = b
        .factors
        .iter()
        .zip(&a.factors)
        .map(|(x, y)| FactorChange {
            id: x.id.clone(),
            before: x.score,
            after: y.score,
            change: x.score.zip(y.score).map(|(x, y)| y - x),
        })
        .collect();
    let gates = GateChanges {
        cleared: b
            .gates
            .iter()
            .filter(|g| !a.gates.contains(g))
            .cloned()
            .collect(),
        new: a
            .gates
            .iter()
            .filter(|g| !b.gates.contains(g))
            .cloned()
            .collect(),
    };
    let singles = match (&before.first, &after.first) {
        (Some((sb, rb)), Some((sa, _))) if before.count == 1 && after.count == 1 => {
            Some((sb, rb, sa))
        }
        _ => None,
    };
    let (vb, va) = (before.versions.clone(), after.versions.clone());
    Some(Comparison {
        index_change: a.index - b.index,
        factors,
        answers: singles.map_or_else(Vec::new, |(sb, _, sa)| answer_changes(rubric, sb, sa)),
        gates,
        people: singles.is_none().then(|| people(&before, &after)),
        roadmap: singles.and_then(|(_, rb, sa)| roadmap_progress(rubric, rb, sa)),
        versions: (vb != va && !(vb.is_empty() || va.is_empty())).then_some([vb, va]),
        // Before's earliest sheet after the follow-up's latest: the wrong way round.
        reversed: match (b.from.as_ref().or(b.date.as_ref()), &a.date) {
            (Some(before), Some(after)) => before > after,
            _ => false,
        },
        before: b,
        after: a,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Sheet, SheetFormat};

    /// A scored sheet of the small rubric (see `scoring::tests::SMALL`).
    fn member<'r>(
        r: &'r LoadedRubric,
        name: &str,
        choices: [usize; 3],
    ) -> (ResolvedSheet, SheetResult<'r>) {
        let sheet = ResolvedSheet {
            source: format!("{name}.toml").as_str().into(),
            sheet: Sheet {
                rubric: "small".into(),
                respondent: Some(name.to_string()),
                ..Sheet::default()
            },
            choices: choices.map(Some).to_vec(),
            unknown: Vec::new(),
            warnings: Vec::new(),
            format: SheetFormat::Toml,
            text: None,
        };
        let result = crate::result::score(r, sheet.clone(), false).unwrap();
        (sheet, result)
    }

    #[test]
    fn two_sheets_by_hand() {
        // small: a = a1 (w1: 0|100), a2 (w3: 20|80), weight 1; b = b1 (10|50|90),
        // weight 3. Gates: a-weak (a < 30 caps at hybrid), b-strong (b >= 90 floors).
        let r = crate::scoring::tests::small();
        // Before: a = (0 + 60)/4 = 15, b = 10, index (15 + 30)/4 = 11.25, PMO;
        // a-weak fires. After: a = (100 + 60)/4 = 40, b = 90, index (40 + 270)/4 =
        // 77.5, VMO; b-strong fires.
        let before = [member(&r, "Ana", [0, 0, 0])];
        let after = [member(&r, "Ana", [1, 0, 2])];
        let c = compare(&r, &before, &after).unwrap();
        assert_eq!((c.before.index, c.after.index), (11.25, 77.5));
        assert_eq!(c.index_change, 66.25);
        assert_eq!(
            (c.before.recommendation, c.after.recommendation),
            (Band::Pmo, Band::Vmo)
        );
        let f: Vec<(&str, Option<f64>)> = c
            .factors
            .iter()
            .map(|f| (f.id.as_str(), f.change))
            .collect();
        assert_eq!(f, [("a", Some(25.0)), ("b", Some(80.0))]);
        let moved: Vec<(&str, Option<&str>, Option<&str>)> = c
            .answers
            .iter()
            .map(|a| (a.question.as_str(), a.before.as_deref(), a.after.as_deref()))
            .collect();
        assert_eq!(
            moved,
            [
                ("a1", Some("lo"), Some("hi")),
                ("b1", Some("lo"), Some("hi"))
            ]
        );
        assert_eq!(c.gates.cleared, ["a-weak"]);
        assert_eq!(c.gates.new, ["b-strong"]);
        assert!(c.people.is_none());
        // The baseline's roadmap (to hybrid): b1 lo -> mid moves the index most
        // (+30, to 41.25). The follow-up answers b1 hi: done.
        let steps = c.roadmap.unwrap();
        assert_eq!(steps.len(), 1);
        assert_eq!(
            (
                steps[0].question.as_str(),
                steps[0].to.as_str(),
                steps[0].done
            ),
            ("b1", "mid", true)
        );
    }

    #[test]
    fn a_side_is_dated_by_its_sheet_or_its_latest_sheet() {
        let r = crate::scoring::tests::small();
        let dated = |name: &str, day: Option<&str>| {
            let (mut s, res) = member(&r, name, [0, 0, 0]);
            s.sheet.date = day.map(|d| crate::input::SheetDate::parse(d).unwrap());
            (s, res)
        };
        let before = [dated("Ana", Some("2026-05-02"))];
        let after = [
            dated("Ana", Some("2026-11-25")),
            dated("Bo", Some("2026-11-03")),
            dated("Cy", None),
        ];
        let c = compare(&r, &before, &after).unwrap();
        assert_eq!(c.before.date.as_deref(), Some("2026-05-02"));
        assert_eq!(c.after.date.as_deref(), Some("2026-11-25"));
        assert_eq!(c.after.undated, 1);
    }

    #[test]
    fn two_groups_by_hand() {
        let r = crate::scoring::tests::small();
        // Before: Ana 11.25, Bo (a = 85, b = 50) 58.75: group index 35.
        // After: " ana " 77.5, Cy (a = 60, b = 50) 52.5: group index 65.
        let before = [member(&r, "Ana", [0, 0, 0]), member(&r, "Bo", [1, 1, 1])];
        let after = [member(&r, " ana ", [1, 0, 2]), member(&r, "Cy", [0, 1, 1])];
        let c = compare(&r, &before, &after).unwrap();
        assert_eq!(
            (c.before.index, c.after.index, c.index_change),
            (35.0, 65.0, 30.0)
        );
        assert_eq!((c.before.sources, c.after.sources), (2, 2));
        // Group factor means: a (15 + 85)/2 = 50 -> (40 + 60)/2 = 50; b 30 -> 70.
        let f: Vec<Option<f64>> = c.factors.iter().map(|f| f.change).collect();
        assert_eq!(f, [Some(0.0), Some(40.0)]);
        assert!(c.answers.is_empty() && c.roadmap.is_none());
        let p = c.people.unwrap();
        assert_eq!(p.matched.len(), 1);
        assert_eq!(p.matched[0].respondent, " ana ".trim());
        assert_eq!((p.matched[0].before, p.matched[0].after), (11.25, 77.5));
        assert_eq!(p.matched[0].change, 66.25);
        assert_eq!(
            (p.joined.as_slice(), p.left.as_slice()),
            (&["Cy".to_string()][..], &["Bo".to_string()][..])
        );
    }
}
