//! The default output of `check`: one line per judged sheet, then a count line.
//! Unreadable sheets are reported on stderr by the binary, with their excerpt.

use std::io::{self, Write};

use super::{counts_sentence, reason};
use crate::check::{Checked, Counts, Status};
use crate::diag::InputError;
use crate::render::Output;
use crate::render::clean::printable_line;
use crate::rubric::LoadedRubric;

/// One outcome's line: judged sheets only (errors go to stderr).
pub(crate) fn outcome(rubric: &LoadedRubric, o: &Checked, out: &mut dyn Write) -> io::Result<()> {
    if let Checked::Judged(v) = o {
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

/// `check`'s text: a line per judged sheet as it comes, then the counts.
pub(crate) struct TextVerdicts<'a, W: Write> {
    rubric: &'a LoadedRubric,
    out: W,
    counts: Counts,
}

impl<'a, W: Write> TextVerdicts<'a, W> {
    pub(crate) fn new(rubric: &'a LoadedRubric, out: W) -> Self {
        TextVerdicts {
            rubric,
            out,
            counts: Counts::default(),
        }
    }
}

impl<'r, W: Write> Output<Checked<'r>> for TextVerdicts<'_, W> {
    fn item(&mut self, o: &Checked<'r>) -> io::Result<()> {
        self.counts.add(o);
        outcome(self.rubric, o, &mut self.out)
    }

    fn error(&mut self, e: &InputError) -> io::Result<()> {
        self.item(&Checked::Error(e.clone()))
    }

    fn finish(&mut self) -> io::Result<()> {
        writeln!(self.out, "{}", counts_sentence(&self.counts))?;
        self.out.flush()
    }
}
