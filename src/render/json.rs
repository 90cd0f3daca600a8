//! The JSON document of contract section 5, streamed: results are written as they
//! arrive, errors (few) are kept for the end.

use std::io::{self, Write};

use serde_json::json;

use super::Sink;
use crate::diag::InputError;
use crate::result::SheetResult;
use crate::rubric::LoadedRubric;

pub struct JsonSink<'a, W: Write> {
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

impl<'a, W: Write> JsonSink<'a, W> {
    pub fn new(rubric: &'a LoadedRubric, out: W) -> Self {
        JsonSink {
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
    pub fn single(mut self, single: bool) -> Self {
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

/// Writes one result as compact JSON (`serde_json::to_writer`).
pub struct JsonRow;

impl super::RowWriter for JsonRow {
    fn write(&self, result: &SheetResult, out: &mut Vec<u8>) {
        row(result, out);
    }
}

/// One result as compact JSON, appended to `out`.
pub fn row(result: &SheetResult, out: &mut Vec<u8>) {
    // Writing into a Vec fails only if serializing does, and these types always
    // serialize (string keys, finite or null numbers).
    let _ = serde_json::to_writer(out, result);
}

impl<'r, W: Write> Sink<'r> for JsonSink<'_, W> {
    fn result(&mut self, result: &SheetResult<'r>) -> io::Result<()> {
        self.start()?;
        self.buf.clear();
        if self.count > 0 {
            self.buf.push(b',');
        }
        self.buf.extend_from_slice(b"\n    ");
        row(result, &mut self.buf);
        self.out.write_all(&self.buf)?;
        self.count += 1;
        Ok(())
    }

    fn rendered(&mut self, row: &[u8]) -> io::Result<()> {
        self.start()?;
        if self.count > 0 {
            self.out.write_all(b",")?;
        }
        self.out.write_all(b"\n    ")?;
        self.out.write_all(row)?;
        self.count += 1;
        Ok(())
    }

    /// The rows and their separators in vectored writes: a large batch goes to the
    /// output as it is, not copied into its buffer.
    fn rendered_all(&mut self, rows: &[Vec<u8>]) -> io::Result<()> {
        self.start()?;
        let mut slices = Vec::with_capacity(2 * rows.len());
        for row in rows {
            let separator: &[u8] = if self.count > 0 {
                b",\n    "
            } else {
                b"\n    "
            };
            slices.push(io::IoSlice::new(separator));
            slices.push(io::IoSlice::new(row));
            self.count += 1;
        }
        let mut left = &mut slices[..];
        while !left.is_empty() {
            match self.out.write_vectored(left) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => io::IoSlice::advance_slices(&mut left, n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
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
