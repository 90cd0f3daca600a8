//! A GitHub-flavoured Markdown table, one row per sheet, then the counts.

use std::io::{self, Write};

use super::{Sink, num, summary_header, summary_row};
use crate::diag::InputError;
use crate::result::SheetResult;
use crate::rubric::{Band, LoadedRubric};

pub struct MarkdownSink<'a, W: Write> {
    rubric: &'a LoadedRubric,
    out: W,
    started: bool,
    /// An input failed (said on stderr).
    errored: bool,
    counts: [usize; 3],
    sum: f64,
    n: usize,
    /// Each provisional result's source and why, said under the table.
    provisional: Vec<(String, String)>,
}

impl<'a, W: Write> MarkdownSink<'a, W> {
    pub fn new(rubric: &'a LoadedRubric, out: W) -> Self {
        MarkdownSink {
            rubric,
            out,
            started: false,
            errored: false,
            counts: [0; 3],
            sum: 0.0,
            n: 0,
            provisional: Vec::new(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            let header = summary_header(self.rubric);
            writeln!(self.out, "| {} |", header.join(" | "))?;
            writeln!(self.out, "|{}", "---|".repeat(header.len()))?;
        }
        Ok(())
    }
}

/// Escapes text for a Markdown table cell.
pub fn cell(s: &str) -> String {
    crate::render::clean::printable(s)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

impl<W: Write> Sink for MarkdownSink<'_, W> {
    fn result(&mut self, result: &SheetResult) -> io::Result<()> {
        self.start()?;
        let row: Vec<String> = summary_row(result, Some(self.rubric))
            .iter()
            .map(|c| cell(c))
            .collect();
        writeln!(self.out, "| {} |", row.join(" | "))?;
        self.counts[result.evaluation.recommendation as usize] += 1;
        if let Some(why) = crate::render::words::provisional_sentence(&result.evaluation) {
            self.provisional.push((result.source.to_string(), why));
        }
        self.sum += result.evaluation.index;
        self.n += 1;
        Ok(())
    }

    fn error(&mut self, _error: &InputError) -> io::Result<()> {
        self.errored = true;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        // Nothing scored because the input failed: no empty table on stdout.
        if self.n == 0 && self.errored {
            return self.out.flush();
        }
        self.start()?;
        writeln!(self.out)?;
        let counts: Vec<String> = Band::ALL
            .iter()
            .map(|b| format!("{}: {}", b.label(), self.counts[*b as usize]))
            .collect();
        write!(self.out, "**{} sheets** · {}", self.n, counts.join(" · "))?;
        if self.n > 0 {
            write!(self.out, " · mean index {}", num(self.sum / self.n as f64))?;
        }
        if !self.provisional.is_empty() {
            write!(self.out, " · **{} provisional**", self.provisional.len())?;
        }
        writeln!(self.out)?;
        if !self.provisional.is_empty() {
            writeln!(self.out)?;
        }
        for (source, why) in &self.provisional {
            writeln!(
                self.out,
                "- `{}`: {}",
                cell(source).replace('`', "'"),
                cell(why)
            )?;
        }
        self.out.flush()
    }
}
