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
            let source = crate::diag::printable(&v.result.source);
            writeln!(out, "{word} {source}: {}", v.reason)?;
        }
    }
    writeln!(out, "{}", report.counts().sentence())?;
    out.flush()
}
