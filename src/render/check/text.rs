//! The default output of `check`: one line per judged sheet, then a count line.
//! Unreadable sheets are reported on stderr by the binary, with their excerpt.

use std::io::{self, Write};

use super::reason;
use crate::check::{Outcome, Status};
use crate::render::clean::printable_line;
use crate::rubric::LoadedRubric;

/// One outcome's line: judged sheets only (errors go to stderr).
pub fn outcome(rubric: &LoadedRubric, o: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    if let Outcome::Judged(v) = o {
        let word = match v.status {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
        };
        // Source and reason can hold sheet text (a rubric-version): one clean line.
        let line = format!("{word} {}: {}", v.result.source, reason(rubric, v));
        writeln!(out, "{}", printable_line(&line))?;
    }
    Ok(())
}
