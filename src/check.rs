//! The CI gate: judges each scored sheet against what was expected of it (its own
//! `[expect]` table, overridden by command-line rules) and says why it failed.
//!
//! Judging is pure; the renderers in the submodules turn a [`Report`] into text,
//! JSON, JUnit XML or GitHub workflow commands.

use std::io::{self, Write};

use serde::Serialize;

use crate::batch::SheetResult;
use crate::diag::{InputError, Seg, TomlMap, json_key_line};
use crate::rubric::{Band, Effect, LoadedRubric};
use crate::sheet::{ResolvedSheet, SheetFormat};

pub mod github;
pub mod json;
pub mod junit;
pub mod text;

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

impl Rules {
    /// Checks the numbers are in range; the message names the flag.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(m) = self.min_margin
            && !(0.0..=100.0).contains(&m)
        {
            return Err(format!("--min-margin must be 0 to 100, found {m}"));
        }
        if let Some(a) = self.min_answered
            && !(0.0..=1.0).contains(&a)
        {
            return Err(format!(
                "--min-answered must be a fraction within 0..=1, found {a}"
            ));
        }
        Ok(())
    }
}

/// What one sheet was held to, after the rules replaced its own expectations.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Expected {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<Band>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_margin: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_answered: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rubric_version: Option<String>,
}

impl Expected {
    /// Whether nothing at all is expected.
    pub fn is_empty(&self) -> bool {
        *self == Expected::default()
    }
}

/// One unmet expectation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// Why, in one short phrase (`margin 1.2 < 5`).
    pub message: String,
    /// The key in the sheet that set the expectation (`expect.min-margin`), when it
    /// came from the sheet rather than from a flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// Pass or fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
}

/// The judgement of one sheet. In JSON, the result's fields come first (as in
/// `score`'s output), then the verdict's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    #[serde(flatten)]
    pub result: SheetResult,
    pub status: Status,
    /// One line for people: the failures, or what was checked and held.
    pub reason: String,
    /// What the sheet was held to.
    pub expected: Expected,
    /// Every unmet expectation, in a fixed order.
    pub failures: Vec<Failure>,
    /// The line in the sheet file to point annotations at, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.status == Status::Pass
    }
}

/// A number as short as it can be without hiding a difference from `other`
/// (so `4.96` is never shown as `5.0 < 5`).
pub(crate) fn short(x: f64, other: f64) -> String {
    for decimals in 1..=6 {
        let s = trim(crate::render::fixed(x, decimals));
        let o = trim(crate::render::fixed(other, decimals));
        if s != o || x == other {
            return s;
        }
    }
    x.to_string()
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Judges one scored sheet against the rules, under the rubric in use.
pub fn judge(
    rubric: &crate::LoadedRubric,
    sheet: &ResolvedSheet,
    result: SheetResult,
    rules: &Rules,
) -> Verdict {
    let rubric_version = rubric.rubric.version.as_str();
    let own = sheet.sheet.expect.clone().unwrap_or_default();
    let e = &result.evaluation;
    let mut expected = Expected::default();
    let mut failures = Vec::new();
    let mut held = Vec::new();

    let (want, key) = match (rules.expect, own.recommendation) {
        (Some(b), _) => (Some(b), None),
        (None, Some(b)) => (Some(b), Some("expect.recommendation")),
        (None, None) => (None, None),
    };
    if let Some(want) = want {
        expected.recommendation = Some(want);
        if e.recommendation == want {
            held.push(format!("{} as expected", want.id()));
        } else {
            // When the index itself fell in the wanted band, gates moved it: name
            // those that pulled away from it. Otherwise the index is the reason.
            let ids: Vec<&str> = e
                .gates
                .iter()
                .filter(|g| match g.effect {
                    Effect::Cap => g.to < want,
                    Effect::Floor => g.to > want,
                })
                .map(|g| g.id.as_str())
                .collect();
            let index = trim(crate::render::index_num(rubric, e.index));
            let why = if e.band == want && !ids.is_empty() {
                let word = if ids.len() == 1 { "gate" } else { "gates" };
                format!("{word} {}", ids.join(", "))
            } else if e.band == e.recommendation {
                format!("index {index}")
            } else {
                format!("index {index}, {} before gates", e.band.id())
            };
            failures.push(Failure {
                message: format!(
                    "expected {}, got {} ({why})",
                    want.id(),
                    e.recommendation.id()
                ),
                key: key.map(String::from),
            });
        }
    }

    let (min, key) = match (rules.min_margin, own.min_margin) {
        (Some(m), _) => (Some(m), None),
        (None, Some(m)) => (Some(m), Some("expect.min-margin")),
        (None, None) => (None, None),
    };
    if let Some(min) = min {
        expected.min_margin = Some(min);
        let shown = short(e.margin, min);
        let min_s = trim(min.to_string());
        if crate::scoring::reaches(e.margin, min) {
            held.push(format!("margin {shown} >= {min_s}"));
        } else {
            failures.push(Failure {
                message: format!("margin {shown} < {min_s}"),
                key: key.map(String::from),
            });
        }
    }

    if let Some(min) = rules.min_answered {
        expected.min_answered = Some(min);
        let share = if e.questions == 0 {
            0.0
        } else {
            e.answered as f64 / e.questions as f64
        };
        let count = format!("answered {}/{}", e.answered, e.questions);
        if share >= min {
            held.push(format!("{count} >= {}", trim(min.to_string())));
        } else {
            failures.push(Failure {
                message: format!("{count} < {}", trim(min.to_string())),
                key: None,
            });
        }
    }

    if rules.strict_version {
        expected.rubric_version = Some(rubric_version.to_string());
        match &sheet.sheet.rubric_version {
            Some(v) if v != rubric_version => failures.push(Failure {
                message: format!("rubric-version {v} differs from {rubric_version}"),
                key: Some("rubric-version".into()),
            }),
            Some(v) => held.push(format!("rubric-version {v} matches")),
            None => held.push("no rubric-version to compare".into()),
        }
    }

    let status = if failures.is_empty() {
        Status::Pass
    } else {
        Status::Fail
    };
    let got = format!(
        "{}, index {}, margin {}",
        e.recommendation.id(),
        trim(crate::render::index_num(rubric, e.index)),
        short(e.margin, e.margin)
    );
    let reason = match status {
        Status::Fail => failures
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        Status::Pass if expected.is_empty() => format!("no expectation ({got})"),
        Status::Pass => held.join("; "),
    };
    Verdict {
        result,
        status,
        reason,
        expected,
        failures,
        line: None,
    }
}

/// The line of a failure's key in the sheet's text (TOML or JSON), so that
/// annotations land on the expectation that was not met. Without a key (the rule
/// came from a flag) it is line 1.
pub fn failure_line(text: &str, format: SheetFormat, verdict: &Verdict) -> Option<usize> {
    let Some(key) = verdict.failures.iter().find_map(|f| f.key.as_deref()) else {
        return (verdict.status == Status::Fail).then_some(1);
    };
    let parts: Vec<&str> = key.split('.').collect();
    match format {
        SheetFormat::Toml => {
            let map = TomlMap::parse(text)?;
            let path: Vec<Seg> = parts.iter().map(|p| Seg::Key(p.to_string())).collect();
            let span = map.span(&path, true)?;
            Some(crate::diag::line_col(text, span.start).0)
        }
        SheetFormat::Json => match parts.as_slice() {
            [section, key] => json_key_line(text, section, key),
            [key] => json_key_line(text, key, key),
            _ => None,
        },
        // A row of an export has no expectation keys; its line is in its source.
        SheetFormat::Csv => None,
    }
}

/// One input's outcome, in input order.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Judged(Box<Verdict>),
    /// The sheet could not be read, parsed, resolved or scored: an error, never a
    /// failure.
    Error(InputError),
}

/// Every outcome of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
}

/// How many sheets passed, failed or could not be judged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub sheets: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
}

impl Counts {
    /// `3 sheets: 1 passed, 1 failed, 1 error`.
    pub fn sentence(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}: {} passed, {} failed, {}",
            plural(self.sheets, "sheet", "sheets"),
            self.passed,
            self.failed,
            plural(self.errors, "error", "errors")
        )
    }
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

impl Report {
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            sheets: self.outcomes.len(),
            ..Counts::default()
        };
        for o in &self.outcomes {
            match o {
                Outcome::Judged(v) if v.passed() => c.passed += 1,
                Outcome::Judged(_) => c.failed += 1,
                Outcome::Error(_) => c.errors += 1,
            }
        }
        c
    }

    pub fn status(&self) -> RunStatus {
        let c = self.counts();
        if c.errors > 0 {
            RunStatus::Error
        } else if c.failed > 0 {
            RunStatus::Failed
        } else {
            RunStatus::Passed
        }
    }
}

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Junit,
    Github,
}

/// Writes the report in a format.
pub fn render(
    format: Format,
    rubric: &LoadedRubric,
    report: &Report,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, out),
        Format::Json => json::render(rubric, report, out),
        Format::Junit => junit::render(rubric, report, out),
        Format::Github => github::render(report, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::score;
    use crate::sheet::load_text;

    fn rubric() -> LoadedRubric {
        LoadedRubric::embedded().unwrap()
    }

    /// A sheet answering every question with option `pick` of each, plus `extra`.
    fn sheet(r: &LoadedRubric, pick: impl Fn(usize) -> Option<usize>, extra: &str) -> String {
        let mut s = String::from("rubric = \"pmo-vmo\"\n");
        s.push_str(extra);
        s.push_str("\n[answers]\n");
        for (i, q) in r.rubric.question.iter().enumerate() {
            if let Some(o) = pick(i) {
                s.push_str(&format!("{} = \"{}\"\n", q.id, q.option[o].id));
            }
        }
        s
    }

    fn judge_text(text: &str, rules: &Rules) -> Verdict {
        let r = rubric();
        let s = load_text(&r, "s.toml", text, SheetFormat::Toml).unwrap();
        let res = score(&r, &s).unwrap();
        judge(&r, &s, res, rules)
    }

    #[test]
    fn no_expectation_passes_and_says_so() {
        let r = rubric();
        let v = judge_text(&sheet(&r, |_| Some(2), ""), &Rules::default());
        assert!(v.passed());
        assert!(
            v.reason.starts_with("no expectation (hybrid"),
            "{}",
            v.reason
        );
    }

    #[test]
    fn sheet_expectation_fails_with_gate_named() {
        let r = rubric();
        // Everything VMO-leaning except maturity, which fires vmo-needs-maturity.
        let text = sheet(
            &r,
            |i| Some(if r.question_factor[i] == 0 { 0 } else { 4 }),
            "",
        ) + "[expect]\nrecommendation = \"vmo\"\n";
        let v = judge_text(&text, &Rules::default());
        assert_eq!(v.status, Status::Fail);
        assert_eq!(
            v.reason,
            "expected vmo, got hybrid (gate vmo-needs-maturity)"
        );
        assert_eq!(v.failures[0].key.as_deref(), Some("expect.recommendation"));
        assert_eq!(failure_line(&text, SheetFormat::Toml, &v), Some(21));
    }

    #[test]
    fn flags_override_the_sheet() {
        let r = rubric();
        let text = sheet(&r, |_| Some(2), "") + "[expect]\nrecommendation = \"vmo\"\n";
        let rules = Rules {
            expect: Some(Band::Hybrid),
            ..Rules::default()
        };
        let v = judge_text(&text, &rules);
        assert!(v.passed(), "{}", v.reason);
        assert_eq!(v.reason, "hybrid as expected");
    }

    #[test]
    fn margin_answered_and_version() {
        let r = rubric();
        // All 50 gives index 50, margin 10; leave 6 of 16 unanswered.
        let text = sheet(&r, |i| (i < 10).then_some(2), "rubric-version = \"0.9\"");
        let rules = Rules {
            min_margin: Some(12.5),
            min_answered: Some(0.75),
            strict_version: true,
            ..Rules::default()
        };
        let v = judge_text(&text, &rules);
        assert_eq!(
            v.reason,
            "margin 10 < 12.5; answered 10/16 < 0.75; rubric-version 0.9 differs from 1.0.0"
        );
        assert_eq!(v.failures.len(), 3);
        // The first failure with a key is the version line.
        assert_eq!(failure_line(&text, SheetFormat::Toml, &v), Some(2));
        let loose = judge_text(
            &text,
            &Rules {
                min_margin: Some(10.0),
                min_answered: Some(0.625),
                ..Rules::default()
            },
        );
        assert!(loose.passed(), "{}", loose.reason);
        assert_eq!(loose.reason, "margin 10 >= 10; answered 10/16 >= 0.625");
    }

    #[test]
    fn short_numbers_never_hide_a_difference() {
        assert_eq!(short(4.96, 5.0), "4.96");
        // JUnit's system-out shows the margin this way too, beside the minimum.
        assert_eq!(short(0.01, 0.015), "0.01");
        assert_eq!(short(1.2, 5.0), "1.2");
        assert_eq!(short(8.6111, 5.0), "8.6");
        assert_eq!(short(10.0, 10.0), "10");
    }

    #[test]
    fn rules_are_validated() {
        let bad = Rules {
            min_answered: Some(1.5),
            ..Rules::default()
        };
        assert!(bad.validate().unwrap_err().contains("--min-answered"));
        let bad = Rules {
            min_margin: Some(-1.0),
            ..Rules::default()
        };
        assert!(bad.validate().unwrap_err().contains("--min-margin"));
        assert!(Rules::default().validate().is_ok());
    }

    #[test]
    fn errors_win_over_failures() {
        let r = rubric();
        let fail = judge_text(
            &(sheet(&r, |_| Some(0), "") + "[expect]\nrecommendation = \"vmo\"\n"),
            &Rules::default(),
        );
        let mut report = Report {
            outcomes: vec![Outcome::Judged(Box::new(fail))],
        };
        assert_eq!(report.status(), RunStatus::Failed);
        report
            .outcomes
            .push(Outcome::Error(InputError::new("x.toml", "is empty")));
        assert_eq!(report.status(), RunStatus::Error);
        assert_eq!(
            report.counts().sentence(),
            "2 sheets: 0 passed, 1 failed, 1 error"
        );
    }
}
