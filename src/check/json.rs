//! `check --format json`: the `score` document's shape (contract section 5) with
//! each result's verdict added, and the counts.

use std::io::{self, Write};

use serde::Serialize;

use super::{Counts, Outcome, Report, Verdict};
use crate::diag::InputError;
use crate::rubric::LoadedRubric;

#[derive(Serialize)]
struct RubricRef<'a> {
    id: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Doc<'a> {
    rubric: RubricRef<'a>,
    counts: Counts,
    results: Vec<&'a Verdict>,
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
            Outcome::Judged(v) => doc.results.push(v),
            Outcome::Error(e) => doc.errors.push(e),
        }
    }
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}
