//! `check --format json`: the `score` document's shape with each result's verdict
//! added, and the counts.

use std::io::{self, Write};

use serde::Serialize;

use super::{phrase, reason};
use crate::check::{Counts, Expected, Outcome, Report, Status, Verdict};
use crate::diag::InputError;
use crate::result::SheetResult;
use crate::rubric::LoadedRubric;

#[derive(Serialize)]
struct RubricRef<'a> {
    id: &'a str,
    version: &'a str,
}

/// One unmet expectation.
#[derive(Serialize)]
struct FailureDoc<'a> {
    /// Why, in one short phrase (`margin 1.2 < 5`).
    message: String,
    /// The key in the sheet that set the expectation, when the sheet set it.
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
}

/// A verdict: the result's fields first (as in `score`'s output), then the verdict's.
#[derive(Serialize)]
struct VerdictDoc<'a> {
    #[serde(flatten)]
    result: &'a SheetResult,
    status: Status,
    reason: String,
    expected: &'a Expected,
    failures: Vec<FailureDoc<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

impl<'a> VerdictDoc<'a> {
    fn new(rubric: &LoadedRubric, v: &'a Verdict) -> Self {
        VerdictDoc {
            result: &v.result,
            status: v.status,
            reason: reason(rubric, v),
            expected: &v.expected,
            failures: v
                .failures()
                .map(|j| FailureDoc {
                    message: phrase(rubric, &j.check),
                    key: j.key.as_deref(),
                })
                .collect(),
            line: v.line,
        }
    }
}

#[derive(Serialize)]
struct Doc<'a> {
    rubric: RubricRef<'a>,
    counts: Counts,
    results: Vec<VerdictDoc<'a>>,
    errors: Vec<&'a InputError>,
}

pub fn render(rubric: &LoadedRubric, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut doc = Doc {
        rubric: RubricRef {
            id: &rubric.rubric.id,
            version: &rubric.rubric.version,
        },
        counts: report.counts(),
        results: Vec::new(),
        errors: Vec::new(),
    };
    for o in &report.outcomes {
        match o {
            Outcome::Judged(v) => doc.results.push(VerdictDoc::new(rubric, v)),
            Outcome::Error(e) => doc.errors.push(e),
        }
    }
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}
