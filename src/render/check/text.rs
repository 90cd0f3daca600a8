//! The default output of `check`: one line per judged sheet, then a count line.
//! Unreadable sheets are reported on stderr by the binary, with their excerpt.

use std::io::{self, Write};

use super::{counts_sentence, reason};
use crate::check::{Outcome, Report, Status};
use crate::render::clean::printable_line;
use crate::rubric::LoadedRubric;

pub fn render(rubric: &LoadedRubric, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for o in &report.outcomes {
        if let Outcome::Judged(v) = o {
            let word = match v.status {
                Status::Pass => "PASS",
                Status::Fail => "FAIL",
            };
            // Source and reason can hold sheet text (a rubric-version): one clean line.
            let line = format!("{word} {}: {}", v.result.source, reason(rubric, v));
            writeln!(out, "{}", printable_line(&line))?;
        }
    }
    writeln!(out, "{}", counts_sentence(&report.counts()))?;
    out.flush()
}
