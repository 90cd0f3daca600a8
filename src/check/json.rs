//! `check --format json`: the `score` document's shape (contract section 5) with
//! each result's verdict added, and the counts.

use std::io::{self, Write};

use serde_json::json;

use super::{Outcome, Report};
use crate::rubric::LoadedRubric;

pub fn render(rubric: &LoadedRubric, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut results = Vec::new();
    let mut errors = Vec::new();
    for o in &report.outcomes {
        match o {
            Outcome::Judged(v) => results.push(serde_json::to_value(v)?),
            Outcome::Error(e) => errors.push(serde_json::to_value(e)?),
        }
    }
    let doc = json!({
        "rubric": {"id": rubric.rubric.id, "version": rubric.rubric.version},
        "counts": report.counts(),
        "results": results,
        "errors": errors,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}
