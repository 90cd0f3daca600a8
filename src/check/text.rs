//! The default output of `check`: one line per judged sheet, then a count line.
//! Unreadable sheets are reported on stderr by the binary, with their excerpt.

use std::io::{self, Write};

use super::{Outcome, Report, Status};

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for o in &report.outcomes {
        if let Outcome::Judged(v) = o {
            let word = match v.status {
                Status::Pass => "PASS",
                Status::Fail => "FAIL",
            };
            // Source and reason can hold sheet text (a rubric-version): one clean line.
            let line = format!("{word} {}: {}", v.result.source, v.reason);
            writeln!(out, "{}", crate::diag::printable_line(&line))?;
        }
    }
    writeln!(out, "{}", report.counts().sentence())?;
    out.flush()
}
