//! The CI gate: judges each scored sheet against what was expected of it (its own
//! `[expect]` table, overridden by command-line rules).
//!
//! Judging is pure and returns data: which expectations held, which did not and by
//! how much. `render::check` words them and writes text, JSON, JUnit XML or GitHub
//! workflow commands.

use serde::Serialize;

use crate::diag::{InputError, Seg, TomlMap, json_key_line, line_col};
use crate::input::sheet::{ResolvedSheet, SheetFormat};
use crate::result::SheetResult;
use crate::rubric::{Band, Effect, LoadedRubric, reaches};

/// Expectations that apply to every sheet of a run; each one given replaces the
/// sheet's own.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rules {
    /// The recommendation (after gates) every sheet must get.
    pub expect: Option<Band>,
    /// The smallest acceptable margin, in index points.
    pub min_margin: Option<f64>,
    /// The smallest acceptable share of answered questions, 0..=1.
    pub min_answered: Option<f64>,
    /// A sheet whose `rubric-version` differs from the rubric's fails.
    pub strict_version: bool,
}

/// A rule out of range, with what was given (`render::diag` words it, naming the
/// flag that gave it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BadRule {
    /// A margin outside 0..=100.
    MinMargin(f64),
    /// A share of answered questions outside 0..=1.
    MinAnswered(f64),
}

impl std::error::Error for BadRule {}

impl Rules {
    /// Checks the numbers are in range.
    pub fn validate(&self) -> Result<(), BadRule> {
        if let Some(m) = self.min_margin
            && !(0.0..=100.0).contains(&m)
        {
            return Err(BadRule::MinMargin(m));
        }
        if let Some(a) = self.min_answered
            && !(0.0..=1.0).contains(&a)
        {
            return Err(BadRule::MinAnswered(a));
        }
        Ok(())
    }
}

/// What one sheet was held to, after the rules replaced its own expectations.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Expected {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) recommendation: Option<Band>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) min_margin: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) min_answered: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) rubric_version: Option<String>,
}

impl Expected {
    /// Whether nothing at all is expected.
    pub(crate) fn is_empty(&self) -> bool {
        *self == Expected::default()
    }
}

/// Why a sheet got another recommendation than the one expected.
#[derive(Debug, Clone, PartialEq)]
pub enum Because {
    /// The index fell in the wanted band; these gates pulled the result away.
    Gates(Vec<String>),
    /// The index itself is elsewhere (`before_gates`: its band, when gates then
    /// moved the result again).
    Index {
        /// The sheet's index.
        index: f64,
        /// The index's band, when gates then moved the result away from it.
        before_gates: Option<Band>,
    },
}

/// One expectation, met or not, with the figures behind it.
#[derive(Debug, Clone, PartialEq)]
pub enum Check<'r> {
    /// The recommendation (after gates) the sheet was expected to get.
    Recommendation {
        /// What was expected.
        expected: Band,
        /// What the sheet got.
        got: Band,
        /// Why it got something else (`None` when it got what was expected).
        because: Option<Because>,
    },
    /// The smallest margin allowed.
    Margin {
        /// The sheet's margin, in index points.
        margin: f64,
        /// The smallest acceptable margin.
        min: f64,
    },
    /// The smallest share of questions answered (`--min-answered`).
    Answered {
        /// How many questions the sheet answered.
        answered: usize,
        /// How many questions the rubric has.
        questions: usize,
        /// The smallest acceptable share, 0..=1.
        min: f64,
    },
    /// The rubric's `min-answered`: a provisional result (too few answers in some
    /// factor) is not a firm recommendation, so it fails. Checked only when the
    /// rubric sets `min-answered`; listed only when it fails.
    Coverage {
        /// The factors below `min-answered`.
        shortfalls: Vec<crate::scoring::Shortfall<'r>>,
    },
    /// `sheet` is `None` when the sheet names no version: under `--strict-version`
    /// that fails too.
    Version {
        /// The sheet's `rubric-version`.
        sheet: Option<String>,
        /// The rubric's version.
        rubric: String,
    },
}

impl Check<'_> {
    /// Whether the expectation held.
    pub(crate) fn held(&self) -> bool {
        match self {
            Check::Recommendation { expected, got, .. } => expected == got,
            Check::Margin { margin, min } => reaches(*margin, *min),
            Check::Answered {
                answered,
                questions,
                min,
            } => {
                let share = if *questions == 0 {
                    0.0
                } else {
                    *answered as f64 / *questions as f64
                };
                share >= *min
            }
            Check::Coverage { shortfalls } => shortfalls.is_empty(),
            // Strict: a sheet that names no version (every survey export row) does
            // not show that it was filled against this one.
            Check::Version { sheet, rubric } => sheet.as_ref().is_some_and(|v| v == rubric),
        }
    }
}

/// One expectation checked, and the key in the sheet that set it (`expect.min-margin`)
/// when it came from the sheet rather than from a flag.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged<'r> {
    /// The expectation and the figures it was checked on.
    pub check: Check<'r>,
    pub(crate) key: Option<String>,
}

/// Pass or fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Pass,
    Fail,
}

/// The judgement of one sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict<'r> {
    pub(crate) result: SheetResult<'r>,
    pub(crate) status: Status,
    /// What the sheet was held to.
    pub(crate) expected: Expected,
    /// Every expectation checked, in a fixed order.
    pub(crate) checks: Vec<Judged<'r>>,
    /// The line in the sheet file to point annotations at, where known.
    pub(crate) line: Option<usize>,
}

impl<'r> Verdict<'r> {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.status == Status::Pass
    }

    /// The expectations that were not met, in order.
    pub fn failures(&self) -> impl Iterator<Item = &Judged<'r>> {
        self.checks.iter().filter(|j| !j.check.held())
    }
}

/// The gates that pulled a result away from `want`.
fn gates_against(result: &SheetResult<'_>, want: Band) -> Vec<String> {
    result
        .evaluation
        .gates
        .iter()
        .filter(|g| match g.effect {
            Effect::Cap => g.to.is_some_and(|to| to < want),
            Effect::Floor => g.to.is_some_and(|to| to > want),
            Effect::Risk => false,
        })
        .map(|g| g.id.to_string())
        .collect()
}

/// The rule given as a flag, else the sheet's own with the key that set it.
fn pick<T>(flag: Option<T>, own: Option<T>, key: &str) -> Option<(T, Option<String>)> {
    match (flag, own) {
        (Some(x), _) => Some((x, None)),
        (None, Some(x)) => Some((x, Some(key.to_string()))),
        (None, None) => None,
    }
}

/// Judges one scored sheet against the rules, under the rubric in use.
pub fn judge<'r>(
    rubric: &LoadedRubric,
    sheet: &ResolvedSheet,
    result: SheetResult<'r>,
    rules: &Rules,
) -> Verdict<'r> {
    let own = sheet.sheet.expect.clone().unwrap_or_default();
    let e = &result.evaluation;
    let mut expected = Expected::default();
    let mut checks = Vec::new();

    if e.provisional {
        checks.push(Judged {
            check: Check::Coverage {
                shortfalls: e.shortfalls.clone(),
            },
            key: None,
        });
    }
    if let Some((want, key)) = pick(rules.expect, own.recommendation, "expect.recommendation") {
        expected.recommendation = Some(want);
        let because = (e.recommendation != want).then(|| {
            // When the index itself fell in the wanted band, gates moved it: name
            // those that pulled away from it. Otherwise the index is the reason.
            let ids = gates_against(&result, want);
            if e.band == want && !ids.is_empty() {
                Because::Gates(ids)
            } else {
                Because::Index {
                    index: e.index,
                    before_gates: (e.band != e.recommendation).then_some(e.band),
                }
            }
        });
        checks.push(Judged {
            check: Check::Recommendation {
                expected: want,
                got: e.recommendation,
                because,
            },
            key,
        });
    }
    if let Some((min, key)) = pick(rules.min_margin, own.min_margin, "expect.min-margin") {
        expected.min_margin = Some(min);
        checks.push(Judged {
            check: Check::Margin {
                margin: e.margin,
                min,
            },
            key,
        });
    }
    if let Some(min) = rules.min_answered {
        expected.min_answered = Some(min);
        checks.push(Judged {
            check: Check::Answered {
                answered: e.answered,
                questions: e.questions,
                min,
            },
            key: None,
        });
    }
    if rules.strict_version {
        let rubric_version = rubric.rubric.version.clone();
        expected.rubric_version = Some(rubric_version.clone());
        // An empty version says nothing: as if none were given.
        let sheet_version = sheet
            .sheet
            .rubric_version
            .clone()
            .filter(|v| !v.trim().is_empty());
        checks.push(Judged {
            check: Check::Version {
                sheet: sheet_version,
                rubric: rubric_version,
            },
            key: Some("rubric-version".into()),
        });
    }
    let status = if checks.iter().all(|j| j.check.held()) {
        Status::Pass
    } else {
        Status::Fail
    };
    let mut v = Verdict {
        result,
        status,
        expected,
        checks,
        line: None,
    };
    v.line = annotation_line(sheet, &v);
    v
}

/// The line of a failed sheet to annotate: the unmet expectation's key, else 1;
/// for a row of an export, the row's line; stdin has no line to point at.
fn annotation_line(sheet: &ResolvedSheet, v: &Verdict<'_>) -> Option<usize> {
    if v.passed() {
        return None;
    }
    if let Some(row) = sheet.source.row_line() {
        return usize::try_from(row).ok();
    }
    sheet.source.path()?;
    match &sheet.text {
        Some(text) => failure_line(text, sheet.format, v).or(Some(1)),
        None => Some(1),
    }
}

/// The line of a failure's key in the sheet's text (TOML or JSON), so that
/// annotations land on the expectation that was not met. Without a key (the rule
/// came from a flag) it is line 1.
pub(crate) fn failure_line(
    text: &str,
    format: SheetFormat,
    verdict: &Verdict<'_>,
) -> Option<usize> {
    let Some(key) = verdict.failures().find_map(|f| f.key.as_deref()) else {
        return (verdict.status == Status::Fail).then_some(1);
    };
    let parts: Vec<&str> = key.split('.').collect();
    match format {
        SheetFormat::Toml => {
            let map = TomlMap::parse(text)?;
            let path: Vec<Seg> = parts.iter().map(|p| Seg::Key(p.to_string())).collect();
            let span = map.span(&path, true)?;
            Some(line_col(text, span.start).0)
        }
        SheetFormat::Json => match parts.as_slice() {
            [section, key] => json_key_line(text, section, key),
            [key] => json_key_line(text, key, key),
            _ => None,
        },
        // A row of an export has no expectation keys; its line is in its origin.
        SheetFormat::Csv => None,
    }
}

/// One input, checked: its verdict, or the error that kept it from being judged.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked<'r> {
    /// The sheet was judged: passed or failed.
    Judged(Box<Verdict<'r>>),
    /// The sheet could not be read, parsed, resolved or scored: an error, never a
    /// failure.
    Error(InputError),
}

/// How many sheets passed, failed or could not be judged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub(crate) sheets: usize,
    pub(crate) passed: usize,
    pub(crate) failed: usize,
    pub(crate) errors: usize,
}

/// The run's overall outcome; errors win over failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Every sheet passed (exit 0).
    Passed,
    /// At least one sheet failed and none was in error (exit 1).
    Failed,
    /// At least one input could not be judged (exit 2).
    Error,
}

impl Counts {
    /// Counts one more outcome.
    pub fn add(&mut self, o: &Checked<'_>) {
        self.sheets += 1;
        match o {
            Checked::Judged(v) if v.passed() => self.passed += 1,
            Checked::Judged(_) => self.failed += 1,
            Checked::Error(_) => self.errors += 1,
        }
    }

    /// The run's outcome from its counts.
    pub fn status(&self) -> RunStatus {
        if self.errors > 0 {
            RunStatus::Error
        } else if self.failed > 0 {
            RunStatus::Failed
        } else {
            RunStatus::Passed
        }
    }
}
