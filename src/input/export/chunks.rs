//! Reading a large export on every core: the file is cut into chunks of about half
//! a megabyte at line ends, and the chunks are parsed, resolved and mapped in
//! parallel, then handed over in file order.
//!
//! A line end is not always a record boundary: a quoted cell may hold line breaks,
//! so a chunk may start inside a quoted field. Each chunk is parsed as if it started
//! a record (the speculation that makes the chunks independent), and the
//! speculation is checked in order: a chunk is right if the chunk before it, itself
//! right, ended on a record boundary. When one did not (its last record runs on into
//! the next chunk), the next chunk's rows are thrown away and its bytes are parsed
//! again from where that record starts, on the thread that hands rows over. This is
//! how the parallel readers of polars and simdcsv cut a file, and it gives exactly
//! the rows the one-thread reader gives (a property test compares the two on
//! random files cut into tiny chunks).
//!
//! The threads are the input's one [`pipeline`]: the reader thread cuts the chunks,
//! the workers parse them, and the thread that hands rows over gives each chunk's
//! buffers back once its rows are out, so memory stays flat. Only regular UTF-8
//! files whose lines end in LF or CRLF take this path; the rest (stdin, transcoded
//! encodings, bare-CR files, workbooks) are parsed by [`CsvSheets`] row by row on
//! the pipeline's reader thread.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use super::header::{Cells, Row, Tally};
use super::{CsvSheets, HeaderMap, coded_error, lines, not_utf8, row_too_long};
use crate::diag::{ExportFault, FileFault, InputError, IoReason};
use crate::input::event::Event;
use crate::input::pipeline::{self, After, Shape, Stop, failed};
use crate::input::sheet::ResolvedSheet;
use crate::rubric::LoadedRubric;

/// The size a chunk is cut at (at the next line end before it).
pub(crate) const CHUNK: usize = 1 << 19;

/// What the workers need to turn a chunk's bytes into sheets.
struct Context<'a> {
    rubric: &'a LoadedRubric,
    header: &'a HeaderMap,
    delimiter: u8,
    include_partial: bool,
}

/// A run of whole lines of the file.
struct Chunk {
    /// Where `data` starts in the file.
    offset: u64,
    /// The line `data` starts on.
    line: u64,
    /// The buffer; only its first `len` bytes are the chunk's (the rest is left
    /// from earlier chunks: a buffer is filled without being cleared).
    data: Vec<u8>,
    len: usize,
    /// The end of the file: the last record may end without a line end.
    last: bool,
}

impl Chunk {
    fn bytes(&self) -> &[u8] {
        &self.data[..self.len]
    }
}

/// A chunk's rows, parsed as if the chunk started a record.
struct Parsed<T> {
    outcomes: Vec<Result<T, InputError>>,
    /// A row showed the whole file was exported with answer codes: its error is
    /// the last outcome, and the file ends there.
    stop: bool,
    /// The start of a record that runs past the end of the chunk, with its line;
    /// `None` when the chunk ends on a record boundary.
    tail: Option<(usize, u64)>,
    /// What the chunk's rows counted.
    tally: Tally,
}

impl<T> Parsed<T> {
    fn empty() -> Self {
        Parsed {
            outcomes: Vec::new(),
            stop: false,
            tail: None,
            tally: Tally::default(),
        }
    }
}

/// One thread's reusable parsing state.
struct Scratch {
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    ranges: Vec<(usize, usize)>,
    row: Row,
    buf: String,
    /// This thread's copy of the export's path, which the origins of the rows it
    /// makes share.
    file: Option<Arc<Path>>,
}

impl Scratch {
    fn new(delimiter: u8) -> Self {
        Scratch {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            ranges: Vec::new(),
            row: Row::default(),
            buf: String::new(),
            file: None,
        }
    }

    /// A parser in the state of one that has read up to a record boundary: in
    /// particular, one that no longer strips a byte-order mark (only the file's
    /// first bytes may hold one, and they are the header's).
    fn restart(&mut self) {
        self.core.reset();
        // A line end at the start of a record is skipped: this only marks the
        // parser as having read something.
        let _ = self.core.read_record(b"\n", &mut self.out, &mut self.ends);
    }

    /// Reads the record that starts at `data[*pos]` into `out` and `ends`, moving
    /// `pos` past it. Returns the number of cells, or `None` when the record does
    /// not end within `data` and `data` is not the end of the file.
    fn record(&mut self, data: &[u8], pos: &mut usize, last: bool) -> Option<usize> {
        use csv_core::ReadRecordResult as Read;
        let (mut nout, mut nend) = (0, 0);
        loop {
            // Once `data` is read, an empty input tells the parser the file ended.
            let input = &data[*pos..];
            let (res, nin, o, e) =
                self.core
                    .read_record(input, &mut self.out[nout..], &mut self.ends[nend..]);
            *pos += nin;
            nout += o;
            nend += e;
            match res {
                Read::Record | Read::End => return Some(nend),
                Read::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                Read::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                Read::InputEmpty if input.is_empty() => return Some(nend),
                Read::InputEmpty if *pos < data.len() || last => {}
                Read::InputEmpty => return None,
            }
        }
    }
}

/// The cells of a record: its text, checked as UTF-8, and where each cell lies in it.
struct Fields<'a> {
    text: &'a str,
    ranges: &'a [(usize, usize)],
}

impl<'a> Fields<'a> {
    /// The record's cells, or the 0-based index of the first that is not UTF-8.
    fn new(bytes: &'a [u8], ranges: &'a [(usize, usize)]) -> Result<Self, usize> {
        if let Ok(text) = std::str::from_utf8(bytes)
            && ranges
                .iter()
                .all(|&(a, b)| text.is_char_boundary(a) && text.is_char_boundary(b))
        {
            return Ok(Fields { text, ranges });
        }
        let bad = ranges
            .iter()
            .position(|&(a, b)| std::str::from_utf8(&bytes[a..b]).is_err());
        Err(bad.unwrap_or(0))
    }
}

impl Cells for Fields<'_> {
    fn width(&self) -> usize {
        self.ranges.len()
    }
    fn cell(&self, i: usize) -> Option<&str> {
        let &(a, b) = self.ranges.get(i)?;
        self.text.get(a..b)
    }
    fn cells(&self) -> impl Iterator<Item = &str> {
        self.ranges
            .iter()
            .map(|&(a, b)| self.text.get(a..b).unwrap_or_default())
    }
}

/// Splits the record at the start of `rest` where it can be cut without copying:
/// cells unquoted, or quoted without a doubled quote inside, each followed by the
/// separator or the line end (LF or CRLF; the end of the file when `last`). Fills
/// `ranges` with where the cells lie (quotes left out) and returns where the
/// record's text ends and where the next record starts; `None` for any other record
/// (a doubled quote, text after a closing quote, a bare CR, a record running past
/// `rest`), which the parser then reads. For the records it splits, the cells are
/// those the parser finds.
fn split(
    rest: &[u8],
    delimiter: u8,
    last: bool,
    ranges: &mut Vec<(usize, usize)>,
) -> Option<(usize, usize)> {
    ranges.clear();
    let mut i = 0;
    loop {
        let end = if rest.get(i) == Some(&b'"') {
            let close = i + 1 + memchr::memchr(b'"', &rest[i + 1..])?;
            ranges.push((i + 1, close));
            close + 1
        } else {
            match memchr::memchr3(delimiter, b'\n', b'\r', &rest[i..]) {
                Some(k) => {
                    ranges.push((i, i + k));
                    i + k
                }
                None if last => {
                    ranges.push((i, rest.len()));
                    rest.len()
                }
                None => return None,
            }
        };
        match rest.get(end) {
            Some(&b) if b == delimiter => i = end + 1,
            Some(b'\n') => return Some((end, end + 1)),
            Some(b'\r') if rest.get(end + 1) == Some(&b'\n') => return Some((end, end + 2)),
            None if last => return Some((end, end)),
            _ => return None,
        }
    }
}

/// Parses one chunk as if it started a record: every row is checked, resolved and
/// turned into a `T` by `map`, exactly as [`CsvSheets`] does row by row.
fn parse<T, F>(
    cx: &Context<'_>,
    chunk: &Chunk,
    map: &F,
    s: &mut Scratch,
    outcomes: Vec<Result<T, InputError>>,
) -> Parsed<T>
where
    F: Fn(ResolvedSheet) -> Result<T, InputError>,
{
    let data = chunk.bytes();
    let mut out = Parsed::empty();
    out.outcomes = outcomes;
    out.outcomes.clear();
    s.restart();
    let width = cx.header.columns.len();
    let (mut pos, mut line) = (0, chunk.line);
    loop {
        // Blank lines between records: the parser would skip them; skipping them
        // here finds the line a record starts on.
        while let Some(&b) = data.get(pos) {
            match b {
                b'\n' => line += 1,
                b'\r' => {}
                _ => break,
            }
            pos += 1;
        }
        if pos == data.len() {
            return out;
        }
        let (start, start_line) = (pos, line);
        // Most rows are cut where they lie; any other goes through the parser.
        let rest = &data[pos..];
        let bytes = match split(rest, cx.delimiter, chunk.last, &mut s.ranges) {
            Some((end, next)) => {
                pos += next;
                line += bytecount::count(&rest[..next], b'\n') as u64;
                &rest[..end]
            }
            None => {
                // The parser counts the line ends it reads (inside quoted cells too).
                let before = s.core.line();
                let Some(n) = s.record(data, &mut pos, chunk.last) else {
                    out.tail = Some((start, start_line));
                    return out;
                };
                line += s.core.line() - before;
                s.ranges.clear();
                let mut from = 0;
                for &end in &s.ends[..n] {
                    s.ranges.push((from, end));
                    from = end;
                }
                &s.out[..from]
            }
        };
        let fields = match Fields::new(bytes, &s.ranges) {
            Ok(f) => f,
            Err(cell) => {
                let at = cx.header.row_origin(start_line);
                out.outcomes.push(Err(not_utf8(at, cell)));
                continue;
            }
        };
        let n = fields.width();
        if fields.cells().all(|c| c.trim().is_empty()) {
            continue;
        }
        if n != width {
            out.outcomes.push(Err(InputError::new(
                cx.header.row_origin(start_line),
                ExportFault::RowWidth {
                    cells: n,
                    header: width,
                },
            )));
            continue;
        }
        if !cx.include_partial
            && let Some((marker, mark)) = cx.header.unfinished(&fields)
        {
            out.tally.left_out(marker, mark);
            continue;
        }
        let resolved = cx
            .header
            .resolve_into(cx.rubric, start_line, &fields, &mut s.buf, &mut s.row);
        match resolved {
            Ok(()) => {
                out.tally.row(&s.row);
                let file = s.file.get_or_insert_with(|| cx.header.file().into());
                out.outcomes.push(map(cx.header.sheet_in(&s.row, file)));
            }
            Err(_) if cx.header.coded(&fields) => {
                out.outcomes.push(Err(coded_error(cx.header, &fields)));
                out.stop = true;
                return out;
            }
            Err(e) => out.outcomes.push(Err(e)),
        }
    }
}

/// The file a parallel export's chunks are read from (a test reads them from a
/// reader that breaks).
type Source = Box<dyn Read + Send>;

/// An export ready to be read in parallel: its header mapped, the file open at its
/// first row.
pub(crate) struct Parallel<'r, R: Read> {
    sheets: CsvSheets<'r, R>,
    file: Source,
    offset: u64,
    line: u64,
    delimiter: u8,
    chunk: usize,
}

impl<'r, R: Read> CsvSheets<'r, R> {
    /// This export, to be read in parallel from `path`, when it can be: a UTF-8
    /// text file (not a workbook, not transcoded, lines not ending in a bare CR)
    /// whose first row after the header was read without error. Otherwise the
    /// export back, to be read row by row.
    pub(crate) fn parallel(self, path: &Path) -> Result<Parallel<'r, R>, Self> {
        self.parallel_in(path, CHUNK)
    }

    /// [`CsvSheets::parallel`] with chunks of about `chunk` bytes (tests cut tiny
    /// ones).
    pub(crate) fn parallel_in(
        mut self,
        path: &Path,
        chunk: usize,
    ) -> Result<Parallel<'r, R>, Self> {
        let (Some(delimiter), Some((Ok(_), _, first))) = (self.plain, self.pending.front()) else {
            return Err(self);
        };
        // Opened a second time: only a regular file reads the same again (a named
        // pipe would not, and could block).
        if !super::is_regular(path) {
            return Err(self);
        }
        let Some(offset) = first.position().map(csv::Position::byte) else {
            return Err(self);
        };
        let Ok(mut file) = File::open(path) else {
            return Err(self);
        };
        // The line of the first row: the line ends before it, counted again (the
        // header is short).
        let mut head = Vec::new();
        if (&mut file).take(offset).read_to_end(&mut head).is_err()
            || head.len() as u64 != offset
            || file.seek(SeekFrom::Start(offset)).is_err()
        {
            return Err(self);
        }
        let line = 1 + bytecount::count(&head, b'\n') as u64;
        self.pending.clear();
        Ok(Parallel {
            sheets: self,
            file: Box::new(file),
            offset,
            line,
            delimiter,
            chunk: chunk.max(1),
        })
    }
}

/// What the thread that hands rows over keeps between chunks.
struct Handover {
    /// The start of a record that ran past the chunk before, as bytes, with its
    /// offset and line: the next chunk is parsed again from there.
    carry: Option<(Vec<u8>, u64, u64)>,
    rows: usize,
    tally: Tally,
    stopped: bool,
    /// Bytes of the files read before this one, for progress.
    done_before: u64,
    /// For parsing chunks again.
    own: Scratch,
}

/// A chunk's rows, turned or failed.
type Outcomes<T> = Vec<Result<T, InputError>>;

/// The buffers that go round the pipeline: a chunk's bytes, and the list its rows'
/// outcomes are made into (too large to be allocated afresh for each chunk without
/// cost).
struct Buffers<T> {
    data: Vec<u8>,
    outcomes: Outcomes<T>,
}

impl<T> Default for Buffers<T> {
    fn default() -> Self {
        Buffers {
            data: Vec::new(),
            outcomes: Vec::new(),
        }
    }
}

/// What the reader sends on: the next chunk, or the error that ended the file.
type Job<T> = Result<(Chunk, Outcomes<T>), InputError>;

impl<R: Read> Parallel<'_, R> {
    /// Reads every row as [`super::super::stream::stream_with`] does for an
    /// export, on every core ([`pipeline`]): the file is cut on the reader thread,
    /// `map` runs on worker threads, `handler` on this one, in file order. Stops
    /// early only when `handler` fails (a closed pipe); a thread that failed is an
    /// error about the file, and the run's end.
    pub(crate) fn run<T, F, H>(
        self,
        map: &F,
        handler: &mut H,
        done_before: u64,
    ) -> io::Result<After>
    where
        T: Send,
        F: Fn(ResolvedSheet) -> Result<T, InputError> + Sync,
        H: FnMut(Event<T>) -> io::Result<()>,
    {
        let Parallel {
            mut sheets,
            file,
            offset,
            line,
            delimiter,
            chunk,
        } = self;
        for w in sheets.warnings() {
            handler(Event::Warning(w))?;
        }
        let cx = Context {
            rubric: sheets.rubric,
            header: &sheets.header,
            delimiter,
            include_partial: sheets.include_partial,
        };
        let mut state = Handover {
            carry: None,
            rows: 0,
            tally: Tally::default(),
            stopped: false,
            done_before,
            own: Scratch::new(delimiter),
        };
        let origin = &cx.header.origin;
        let mut split = Splitter::new(file, offset, line, chunk);
        let read = move |b: Buffers<T>| -> Option<Job<T>> {
            match split.next(b.data) {
                Ok(Some(c)) => Some(Ok((c, b.outcomes))),
                Ok(None) => None,
                Err(e) => {
                    // Nothing after a failed read is read.
                    split.eof = true;
                    split.rest.clear();
                    Some(Err(InputError::new(
                        origin,
                        FileFault::Unreadable(IoReason::of(&e)),
                    )))
                }
            }
        };
        let work = |s: &mut Scratch, job: Job<T>| {
            job.map(|(c, outcomes)| {
                let parsed = parse(&cx, &c, map, s, outcomes);
                (c, parsed)
            })
        };
        let take = |done: Result<(Chunk, Parsed<T>), InputError>| match done {
            Ok((c, parsed)) => {
                let (data, outcomes) = state.take(&cx, c, parsed, map, handler)?;
                Ok((!state.stopped).then_some(Buffers { data, outcomes }))
            }
            Err(e) => {
                handler(Event::Error(e))?;
                state.stopped = true;
                Ok(None)
            }
        };
        let outcome = pipeline::run(
            Shape::per_core(),
            read,
            || Scratch::new(delimiter),
            work,
            take,
        );
        match outcome {
            Ok(()) => {}
            Err(Stop::Taker(e)) => return Err(e),
            Err(Stop::Failed { why, .. }) => {
                handler(Event::Error(failed(origin, why)))?;
                return Ok(After::EndRun);
            }
        }
        // A file that ends in a record cut where a chunk was (one with no line
        // end, say): the end of the file ends it.
        if let (false, Some((bytes, offset, line))) = (state.stopped, &state.carry) {
            let end = Chunk {
                offset: offset + bytes.len() as u64,
                line: *line,
                data: Vec::new(),
                len: 0,
                last: true,
            };
            state.take(&cx, end, Parsed::empty(), map, handler)?;
        }
        sheets.tally = state.tally;
        for w in sheets.end_warnings() {
            handler(Event::Warning(w))?;
        }
        if state.rows == 0 && !state.stopped {
            handler(Event::Error(InputError::new(
                &sheets.header.origin,
                ExportFault::NoRows,
            )))?;
        }
        Ok(After::Continue)
    }
}

impl Handover {
    /// Hands over the rows of the next chunk in file order (parsed again from the
    /// record the chunk before left unfinished, if it did), and gives its buffers
    /// back.
    fn take<T, F, H>(
        &mut self,
        cx: &Context<'_>,
        mut c: Chunk,
        parsed: Parsed<T>,
        map: &F,
        handler: &mut H,
    ) -> io::Result<(Vec<u8>, Outcomes<T>)>
    where
        F: Fn(ResolvedSheet) -> Result<T, InputError>,
        H: FnMut(Event<T>) -> io::Result<()>,
    {
        let end = c.offset + c.len as u64;
        let parsed = match self.carry.take() {
            None => parsed,
            Some((mut bytes, offset, line)) => {
                // The chunk did not start a record: parse it again, joined to the
                // start of the record that runs into it.
                if bytes.len() as u64 > lines::MAX_ROW {
                    handler(Event::Error(row_too_long(cx.header.row_origin(line))))?;
                    self.stopped = true;
                    return Ok((c.data, parsed.outcomes));
                }
                bytes.extend_from_slice(c.bytes());
                let joined = Chunk {
                    offset,
                    line,
                    len: bytes.len(),
                    data: bytes,
                    last: c.last,
                };
                let parsed = parse(cx, &joined, map, &mut self.own, parsed.outcomes);
                c.offset = joined.offset;
                c.len = joined.len;
                c.data = joined.data;
                parsed
            }
        };
        let mut parsed = parsed;
        self.rows += parsed.outcomes.len();
        for outcome in parsed.outcomes.drain(..) {
            handler(match outcome {
                Ok(t) => Event::Item(t),
                Err(e) => Event::Error(e),
            })?;
        }
        self.tally.add(&parsed.tally);
        self.stopped = parsed.stop;
        if let Some((at, line)) = parsed.tail {
            self.carry = Some((c.bytes()[at..].to_vec(), c.offset + at as u64, line));
        }
        handler(Event::Progress(self.done_before + end))?;
        Ok((c.data, parsed.outcomes))
    }
}

/// Cuts the file into chunks of whole lines.
struct Splitter {
    file: Source,
    offset: u64,
    line: u64,
    chunk: usize,
    /// Bytes read past the last line end of the chunk before.
    rest: Vec<u8>,
    eof: bool,
}

impl Splitter {
    fn new(file: Source, offset: u64, line: u64, chunk: usize) -> Self {
        Splitter {
            file,
            offset,
            line,
            chunk,
            rest: Vec::new(),
            eof: false,
        }
    }

    /// The next chunk, in `buf`: about `chunk` bytes, up to the last line end in
    /// them (all of them when they hold none, or at the end of the file). `None`
    /// once the file is read.
    fn next(&mut self, mut buf: Vec<u8>) -> io::Result<Option<Chunk>> {
        if self.eof && self.rest.is_empty() {
            return Ok(None);
        }
        // A buffer is zeroed once, when it first goes round; after that, reads
        // overwrite what the chunk before left in it.
        if buf.len() < self.chunk {
            buf.resize(self.chunk, 0);
        }
        let mut len = self.rest.len();
        buf[..len].copy_from_slice(&self.rest);
        self.rest.clear();
        while !self.eof && len < self.chunk {
            match self.file.read(&mut buf[len..self.chunk]) {
                Ok(0) => self.eof = true,
                Ok(n) => len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if len == 0 {
            return Ok(None);
        }
        if !self.eof
            && let Some(nl) = memchr::memrchr(b'\n', &buf[..len])
        {
            self.rest.extend_from_slice(&buf[nl + 1..len]);
            len = nl + 1;
        }
        let c = Chunk {
            offset: self.offset,
            line: self.line,
            last: self.eof && self.rest.is_empty(),
            data: buf,
            len,
        };
        self.offset += len as u64;
        self.line += bytecount::count(c.bytes(), b'\n') as u64;
        Ok(Some(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::options::ReadOptions;
    use crate::testing::Rng;

    /// A cell as a spreadsheet would write it: quoted (quotes doubled) when it
    /// needs to be, or now and then when it does not.
    fn cell(rng: &mut Rng, text: &str) -> String {
        if text.contains([',', '"', '\n', '\r']) || rng.below(6) == 0 {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    }

    /// A random export over three questions of the default rubric, with every
    /// kind of row the reader must take apart: quoted cells with commas, line
    /// breaks and doubled quotes, CRLF and LF, blank lines, rows of blank cells,
    /// rows too short or too long, unknown answers, bad dates, unfinished
    /// responses, invalid UTF-8, a last row without a line end or with an
    /// unterminated quote, and (rarely) a row of answer codes.
    fn export(rng: &mut Rng, rubric: &LoadedRubric) -> Vec<u8> {
        let qs = &rubric.rubric.question[..3];
        let mut out = Vec::new();
        let header: Vec<String> = ["Name".to_string(), "Timestamp".into(), "Finished".into()]
            .into_iter()
            .chain(qs.iter().map(|q| q.text.clone()))
            .collect();
        let header: Vec<String> = header.iter().map(|h| cell(rng, h)).collect();
        out.extend_from_slice(header.join(",").as_bytes());
        out.extend_from_slice(b"\r\n");
        let rows = 1 + rng.below(40);
        for r in 0..rows {
            let eol: &[u8] = if rng.below(3) == 0 { b"\n" } else { b"\r\n" };
            match rng.below(40) {
                0 => out.extend_from_slice(eol),
                1 => out.extend_from_slice(b",,,,,"),
                2 => out.extend_from_slice(b"Ann,2026/11/01 00:00:00 GMT,True"),
                3 => out.extend_from_slice(b"Bo,x,True,4,2,3"),
                4 => out.extend_from_slice(b"Bad \xff name,,True,,,"),
                _ => {
                    let name = rng.pick(&[
                        "Ann Lee",
                        "O'Brien, Pat",
                        "Jo \"JJ\" Smith",
                        "line\nbreak",
                        "cr\ronly",
                        "Zoë 🚀",
                        "",
                        " \"lead\"",
                        "a\"b",
                    ]);
                    let date = rng.pick(&["2026/11/01 00:00:00 GMT", "yesterday", ""]);
                    let finished = rng.pick(&["True", "True", "False", ""]);
                    let mut cells = vec![cell(rng, name), cell(rng, date), cell(rng, finished)];
                    for q in qs {
                        let o = &q.option[rng.below(q.option.len())];
                        let text = match rng.below(8) {
                            0 => String::new(),
                            1 => o.id.clone(),
                            2 => "not an answer".to_string(),
                            3 => format!("{}\nsecond line", o.label),
                            _ => o.label.clone(),
                        };
                        cells.push(cell(rng, &text));
                    }
                    if rng.below(30) == 0 {
                        cells.pop();
                    }
                    out.extend_from_slice(cells.join(",").as_bytes());
                }
            }
            if r + 1 < rows || rng.below(3) > 0 {
                out.extend_from_slice(eol);
            }
        }
        if rng.below(15) == 0 {
            out.extend_from_slice(b"Cy,,True,\"never closed\n");
        }
        out
    }

    /// What a run gave, as text to compare.
    fn shown(sheet: &ResolvedSheet) -> String {
        format!(
            "{} {:?} {:?} {:?}",
            sheet.source, sheet.choices, sheet.sheet.respondent, sheet.sheet.date
        )
    }

    /// The rows read one at a time, as `stream` reads them off the parallel path.
    fn one_by_one(rubric: &LoadedRubric, path: &Path) -> Vec<String> {
        let mut rows = match super::super::open(rubric, path, &ReadOptions::default()) {
            Ok(rows) => rows,
            Err(e) => return vec![format!("open: {e:?}")],
        };
        let mut out = Vec::new();
        loop {
            let mut row = Row::default();
            match rows.next_row(&mut row) {
                Some(Ok(())) => out.push(shown(&rows.header().sheet(&row))),
                Some(Err(e)) => out.push(format!("error: {e:?}")),
                None => break,
            }
        }
        let none = out.is_empty();
        out.extend(
            rows.end_warnings()
                .iter()
                .map(|w| format!("warning: {w:?}")),
        );
        // As `stream` says it, after the warnings.
        if none {
            out.push("no rows".into());
        }
        out
    }

    /// The rows read in parallel, cut into chunks of about `chunk` bytes; `None`
    /// when the file does not take the parallel path.
    fn in_chunks(rubric: &LoadedRubric, path: &Path, chunk: usize) -> Option<Vec<String>> {
        let rows = super::super::open(rubric, path, &ReadOptions::default()).ok()?;
        let parallel = rows.parallel_in(path, chunk).ok()?;
        let mut out = Vec::new();
        let mut handler = |e: Event<String>| {
            match e {
                Event::Item(s) => out.push(s),
                Event::Error(e) if e.kind == crate::diag::Fault::Export(ExportFault::NoRows) => {
                    out.push("no rows".into());
                }
                Event::Error(e) => out.push(format!("error: {e:?}")),
                Event::Warning(w @ crate::input::warning::Warning::PartialSkipped { .. })
                | Event::Warning(w @ crate::input::warning::Warning::UndatedRows { .. }) => {
                    out.push(format!("warning: {w:?}"));
                }
                Event::Warning(_) | Event::Progress(_) => {}
            }
            Ok(())
        };
        let map = |s: ResolvedSheet| Ok(shown(&s));
        parallel.run(&map, &mut handler, 0).ok()?;
        Some(out)
    }

    use std::fmt::Write as _;

    /// Gives what `inner` gives, up to `left` bytes; then fails.
    struct FailsAfter<R> {
        inner: R,
        left: usize,
    }

    impl<R: Read> Read for FailsAfter<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::other("injected: the disk went away"));
            }
            let n = buf.len().min(self.left);
            let n = self.inner.read(&mut buf[..n])?;
            self.left -= n;
            Ok(n)
        }
    }

    #[test]
    fn a_read_that_fails_part_way_is_an_error_after_the_rows_before_it() {
        let rubric = crate::testing::v2();
        let q = &rubric.rubric.question[0];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        let mut text = format!("{},Name\n", q.id);
        for i in 0..5000 {
            let _ = writeln!(text, "{},r{i:04}", q.option[i % 2].id);
        }
        std::fs::write(&path, &text).unwrap();
        let rows = super::super::open(&rubric, &path, &ReadOptions::default()).unwrap();
        let Ok(mut parallel) = rows.parallel_in(&path, 300) else {
            panic!("a plain export takes the parallel path");
        };
        // The file breaks 40 000 bytes into its rows, in the middle of a row.
        let file = std::mem::replace(&mut parallel.file, Box::new(io::empty()));
        parallel.file = Box::new(FailsAfter {
            inner: file,
            left: 40_000 + 3,
        });
        let mut events = Vec::new();
        let map = |s: ResolvedSheet| Ok(s.sheet.respondent.unwrap_or_default());
        let after = parallel
            .run(
                &map,
                &mut |e| {
                    match e {
                        Event::Item(name) => events.push(name),
                        Event::Error(e) => events.push(format!("error: {:?}", e.kind)),
                        Event::Warning(_) | Event::Progress(_) => {}
                    }
                    Ok(())
                },
                0,
            )
            .unwrap();
        assert_eq!(after, After::Continue);
        // Every row before the break, in order, then the error, then nothing.
        let error = events.pop().unwrap();
        assert!(error.contains("Unreadable"), "{error}");
        assert!(events.len() > 1000, "{}", events.len());
        let want: Vec<String> = (0..events.len()).map(|i| format!("r{i:04}")).collect();
        assert_eq!(events, want);
    }

    #[test]
    fn chunks_give_the_rows_the_one_thread_reader_gives() {
        let rubric = crate::testing::v2();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        let mut rng = Rng(0x5eed_cafe_f00d_0001);
        let mut parallel = 0;
        for case in 0..300 {
            let bytes = export(&mut rng, &rubric);
            std::fs::write(&path, &bytes).unwrap();
            let want = one_by_one(&rubric, &path);
            for chunk in [1, 2, 5, 17, 64, 300, 1 << 20] {
                let Some(got) = in_chunks(&rubric, &path, chunk) else {
                    continue;
                };
                parallel += 1;
                assert_eq!(
                    got,
                    want,
                    "case {case}, chunks of {chunk} bytes, file:\n{}",
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
        // Most files take the parallel path (those whose first row is bad do not).
        assert!(parallel > 900, "{parallel}");
    }
}
