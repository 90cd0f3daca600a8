//! `check`'s verdicts in words and in four formats: text (one line per sheet), JSON
//! (the `score` document with a verdict per result), JUnit XML and GitHub workflow
//! commands. The judging itself is `crate::check`, which returns data.

use crate::check::{Because, Check, Counts, Judged, Status, Verdict};
use crate::render::num::{index_num, short, trim};
use crate::rubric::LoadedRubric;

pub(crate) mod github;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod text;

/// `3 sheets: 1 passed, 1 failed, 1 error`.
pub(crate) fn counts_sentence(c: &Counts) -> String {
    let plural = crate::render::words::count;
    format!(
        "{}: {} passed, {} failed, {}",
        plural(c.sheets, "sheet", "sheets"),
        c.passed,
        c.failed,
        plural(c.errors, "error", "errors")
    )
}

/// One expectation in a short phrase: `margin 1.2 < 5` when unmet, `margin 10 >= 5`
/// when held.
pub(crate) fn phrase(rubric: &LoadedRubric, check: &Check) -> String {
    let held = check.held();
    match check {
        Check::Recommendation { expected, .. } if held => format!("{} as expected", expected.id()),
        Check::Recommendation {
            expected,
            got,
            because,
        } => {
            let why = match because {
                Some(Because::Gates(ids)) => {
                    let word = if ids.len() == 1 { "gate" } else { "gates" };
                    format!("{word} {}", ids.join(", "))
                }
                Some(Because::Index {
                    index,
                    before_gates,
                }) => {
                    let index = trim(index_num(rubric, *index));
                    match before_gates {
                        None => format!("index {index}"),
                        Some(b) => format!("index {index}, {} before gates", b.id()),
                    }
                }
                None => String::new(),
            };
            format!("expected {}, got {} ({why})", expected.id(), got.id())
        }
        Check::Margin { margin, min } => {
            let op = if held { ">=" } else { "<" };
            format!(
                "margin {} {op} {}",
                short(*margin, *min),
                trim(short(*min, *margin))
            )
        }
        Check::Answered {
            answered,
            questions,
            min,
        } => {
            let op = if held { ">=" } else { "<" };
            format!(
                "answered {answered}/{questions} {op} {}",
                crate::render::num::plain(*min)
            )
        }
        Check::Coverage { shortfalls } if held || shortfalls.is_empty() => {
            "enough answers in every factor".into()
        }
        Check::Coverage { shortfalls } => {
            let parts: Vec<String> = shortfalls
                .iter()
                .map(|s| format!("{} ({}/{})", s.factor, s.answered, s.needed))
                .collect();
            format!(
                "provisional: too few answers in {}",
                crate::render::words::and_list(
                    &parts.iter().map(String::as_str).collect::<Vec<_>>()
                )
            )
        }
        Check::Version { sheet: None, .. } => {
            "no rubric-version, which --strict-version requires".into()
        }
        Check::Version {
            sheet: Some(v),
            rubric,
        } if !held => format!("rubric-version {v} differs from {rubric}"),
        Check::Version { sheet: Some(v), .. } => format!("rubric-version {v} matches"),
    }
}

/// An unmet expectation with the key that set it: `margin 1.2 < 5 (set by
/// expect.min-margin)`.
pub(crate) fn failure_with_key(rubric: &LoadedRubric, j: &Judged) -> String {
    let p = phrase(rubric, &j.check);
    match &j.key {
        Some(k) => format!("{p} (set by {k})"),
        None => p,
    }
}

/// One line for people: the failures, or what was checked and held.
pub(crate) fn reason(rubric: &LoadedRubric, v: &Verdict) -> String {
    let e = &v.result.evaluation;
    match v.status {
        Status::Fail => v
            .failures()
            .map(|j| phrase(rubric, &j.check))
            .collect::<Vec<_>>()
            .join("; "),
        Status::Pass if v.expected.is_empty() => format!(
            "no expectation ({}, index {}, margin {})",
            e.recommendation.id(),
            trim(index_num(rubric, e.index)),
            short(e.margin, e.margin)
        ),
        Status::Pass => v
            .checks
            .iter()
            .map(|j| phrase(rubric, &j.check))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Checked, Rules, RunStatus, failure_line, judge};
    use crate::diag::InputError;
    use crate::input::{SheetFormat, load_text};
    use crate::rubric::Band;
    use std::fmt::Write as _;

    fn rubric() -> LoadedRubric {
        crate::testing::v2()
    }

    /// A sheet answering every question with option `pick` of each, plus `extra`.
    fn sheet(r: &LoadedRubric, pick: impl Fn(usize) -> Option<usize>, extra: &str) -> String {
        let mut s = String::from("rubric = \"pmo-vmo\"\n");
        s.push_str(extra);
        s.push_str("\n[answers]\n");
        for (i, q) in r.rubric.question.iter().enumerate() {
            if let Some(o) = pick(i) {
                let _ = writeln!(s, "{} = \"{}\"", q.id, q.option[o].id);
            }
        }
        s
    }

    fn judge_text(text: &str, rules: &Rules) -> Verdict<'static> {
        let r = crate::testing::embedded();
        let s = load_text(r, "s.toml", text, SheetFormat::Toml).unwrap();
        let res = crate::result::score(r, s.clone(), true).unwrap();
        judge(r, &s, res, rules)
    }

    #[test]
    fn no_expectation_passes_and_says_so() {
        let r = rubric();
        let v = judge_text(&sheet(&r, |_| Some(2), ""), &Rules::default());
        assert!(v.passed());
        assert!(
            reason(&rubric(), &v).starts_with("no expectation (hybrid"),
            "{}",
            reason(&rubric(), &v)
        );
    }

    #[test]
    fn sheet_expectation_fails_with_gate_named() {
        let r = rubric();
        // Everything VMO-leaning except maturity (all second-lowest, 25), which
        // fires the delivery and the maturity gates.
        let text = sheet(
            &r,
            |i| {
                Some(if r.question_factors()[i] == Some(0) {
                    1
                } else {
                    4
                })
            },
            "",
        ) + "[expect]\nrecommendation = \"vmo\"\n";
        let v = judge_text(&text, &Rules::default());
        assert_eq!(v.status, Status::Fail);
        assert_eq!(
            reason(&r, &v),
            "expected vmo, got hybrid (gates vmo-needs-reliable-delivery, vmo-needs-maturity)"
        );
        assert_eq!(
            v.failures().next().unwrap().key.as_deref(),
            Some("expect.recommendation")
        );
        assert_eq!(failure_line(&text, SheetFormat::Toml, &v), Some(25));
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
        assert!(v.passed(), "{}", reason(&r, &v));
        assert_eq!(reason(&r, &v), "hybrid as expected");
    }

    #[test]
    fn margin_answered_and_version() {
        let r = rubric();
        // All 50 gives index 50, margin 10; answer 3 of each factor's 5 (firm), so
        // 12 of 20.
        let text = sheet(&r, |i| (i % 5 < 3).then_some(2), "rubric-version = \"0.9\"");
        let rules = Rules {
            min_margin: Some(12.5),
            min_answered: Some(0.75),
            strict_version: true,
            ..Rules::default()
        };
        let v = judge_text(&text, &rules);
        assert_eq!(
            reason(&r, &v),
            "margin 10 < 12.5; answered 12/20 < 0.75; rubric-version 0.9 differs from 2.0.0"
        );
        assert_eq!(v.failures().count(), 3);
        // The first failure with a key is the version line.
        assert_eq!(failure_line(&text, SheetFormat::Toml, &v), Some(2));
        let loose = judge_text(
            &text,
            &Rules {
                min_margin: Some(10.0),
                min_answered: Some(0.6),
                ..Rules::default()
            },
        );
        assert!(loose.passed(), "{}", reason(&r, &loose));
        assert_eq!(reason(&r, &loose), "margin 10 >= 10; answered 12/20 >= 0.6");
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
        assert!(
            bad.validate()
                .unwrap_err()
                .to_string()
                .contains("--min-answered")
        );
        let bad = Rules {
            min_margin: Some(-1.0),
            ..Rules::default()
        };
        assert!(
            bad.validate()
                .unwrap_err()
                .to_string()
                .contains("--min-margin")
        );
        assert!(Rules::default().validate().is_ok());
    }

    #[test]
    fn errors_win_over_failures() {
        let r = rubric();
        let fail = judge_text(
            &(sheet(&r, |_| Some(0), "") + "[expect]\nrecommendation = \"vmo\"\n"),
            &Rules::default(),
        );
        let mut counts = Counts::default();
        counts.add(&Checked::Judged(Box::new(fail)));
        assert_eq!(counts.status(), RunStatus::Failed);
        counts.add(&Checked::Error(InputError::new(
            "x.toml",
            crate::diag::FileFault::Empty,
        )));
        assert_eq!(counts.status(), RunStatus::Error);
        assert_eq!(
            counts_sentence(&counts),
            "2 sheets: 0 passed, 1 failed, 1 error"
        );
    }
}
