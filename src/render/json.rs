//! The JSON document of contract section 5, streamed: results are written as they
//! arrive, errors (few) are kept for the end.

use std::io::{self, Write};

use serde_json::json;

use super::Output;
use crate::diag::InputError;
use crate::result::SheetResult;
use crate::rubric::LoadedRubric;

/// `score --format json`: results as they come, errors (few) kept for the end.
pub(crate) struct JsonOutput<'a, W: Write> {
    rubric: &'a LoadedRubric,
    out: W,
    started: bool,
    count: usize,
    errors: Vec<InputError>,
    /// The run is one sheet: if it fails, stdout stays empty (see `finish`).
    single: bool,
    /// A result's bytes, reused from one result to the next.
    buf: Vec<u8>,
}

impl<'a, W: Write> JsonOutput<'a, W> {
    pub(crate) fn new(rubric: &'a LoadedRubric, out: W) -> Self {
        JsonOutput {
            rubric,
            out,
            started: false,
            count: 0,
            errors: Vec::new(),
            single: false,
            buf: Vec::new(),
        }
    }

    /// Marks the run as one sheet (one file or stdin, not a folder or an export).
    pub(crate) fn single(mut self, single: bool) -> Self {
        self.single = single;
        self
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            let head = json!({"id": self.rubric.rubric.id, "version": self.rubric.rubric.version});
            write!(self.out, "{{\n  \"rubric\": {head},\n  \"results\": [")?;
        }
        Ok(())
    }
}

/// One result as compact JSON, appended to `out`.
pub(crate) fn row(result: &SheetResult, out: &mut Vec<u8>) {
    // About what a row of the default rubric takes (one that grows from nothing
    // doubles a dozen times on the way).
    out.reserve(8192);
    // Writing into a Vec fails only if serializing does, and these types always
    // serialize (string keys, finite or null numbers).
    let _ = serde_json::to_writer(out, result);
}

impl<'r, W: Write> Output<SheetResult<'r>> for JsonOutput<'_, W> {
    fn item(&mut self, result: &SheetResult<'r>) -> io::Result<()> {
        self.buf.clear();
        row(result, &mut self.buf);
        let buf = std::mem::take(&mut self.buf);
        let written = self.rows(&buf);
        self.buf = buf;
        written
    }

    fn rows(&mut self, row: &[u8]) -> io::Result<()> {
        self.start()?;
        if self.count > 0 {
            self.out.write_all(b",")?;
        }
        self.out.write_all(b"\n    ")?;
        self.out.write_all(row)?;
        self.count += 1;
        Ok(())
    }

    fn error(&mut self, error: &InputError) -> io::Result<()> {
        self.errors.push(error.clone());
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        // One sheet that could not be scored: stderr has said why, and stdout stays
        // empty, as for the other formats. A batch (several paths, a folder, an
        // export) always makes a document, so that its consumer reads `errors`.
        if self.single && !self.started && !self.errors.is_empty() {
            return self.out.flush();
        }
        self.start()?;
        if self.count > 0 {
            self.out.write_all(b"\n  ")?;
        }
        self.out.write_all(b"],\n  \"errors\": ")?;
        serde_json::to_writer(&mut self.out, &self.errors)?;
        self.out.write_all(b"\n}\n")?;
        self.out.flush()
    }
}
