//! Survey exports (Google Forms, Microsoft Forms "CSV UTF-8") read as answer sheets,
//! one sheet per row, by the rules of contract section 4.
//!
//! A file is mapped once: its header row becomes a [`HeaderMap`] (which column answers
//! which question, which columns carry the respondent's name, role and organisation,
//! which are ignored). Rows are then resolved one at a time against that map without
//! allocating per cell, so a million-row export streams in flat memory.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::Read;
use std::path::Path;

use csv::StringRecord;

use crate::diag::InputError;
use crate::rubric::LoadedRubric;
use crate::sheet::{ResolvedSheet, Sheet, io_reason};

/// Writes `s` into `out` trimmed, lower-cased and with every run of white space
/// folded to one space: the form in which headers and cells are compared.
pub fn normalise_into(s: &str, out: &mut String) {
    out.clear();
    let mut gap = false;
    if s.is_ascii() {
        for &b in s.as_bytes() {
            if b.is_ascii_whitespace() {
                gap = true;
            } else {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return;
    }
    for c in s.chars() {
        if c.is_whitespace() {
            gap = true;
        } else {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        }
    }
}

/// [`normalise_into`] into a new string.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalise_into(s, &mut out);
    out
}

/// Finds a question's option from a cell, by option id or label.
#[derive(Debug, Clone)]
struct OptionMatcher {
    /// Exact texts (ids and labels as written in the rubric) that resolve, after
    /// normalising, to the same option: the common case of an unedited export,
    /// answered with no normalising at all.
    exact: Vec<(Box<str>, usize)>,
    /// Normalised ids first, then normalised labels: an id wins over a label.
    keys: Vec<(Box<str>, usize)>,
}

impl OptionMatcher {
    fn new(q: &crate::rubric::Question) -> Self {
        let mut keys: Vec<(Box<str>, usize)> = Vec::new();
        let ids = q.option.iter().enumerate().map(|(i, o)| (&o.id, i));
        let labels = q.option.iter().enumerate().map(|(i, o)| (&o.label, i));
        for (text, i) in ids.chain(labels) {
            let k = normalise(text);
            if !k.is_empty() && !keys.iter().any(|(x, _)| **x == *k) {
                keys.push((k.into(), i));
            }
        }
        let mut m = OptionMatcher {
            exact: Vec::new(),
            keys,
        };
        let mut buf = String::new();
        // Labels are what exports hold; try them before ids.
        let texts = q
            .option
            .iter()
            .map(|o| &o.label)
            .chain(q.option.iter().map(|o| &o.id));
        for text in texts {
            if let Some(i) = m.find_normalised(text, &mut buf)
                && !m.exact.iter().any(|(x, _)| **x == **text)
            {
                m.exact.push((text.as_str().into(), i));
            }
        }
        m
    }

    fn find_normalised(&self, cell: &str, buf: &mut String) -> Option<usize> {
        normalise_into(cell, buf);
        self.keys
            .iter()
            .find(|(k, _)| **k == **buf)
            .map(|(_, i)| *i)
    }

    /// The option a cell names; `buf` is scratch space reused across cells. When
    /// this returns `None`, `buf` is empty if and only if the cell was blank.
    fn find(&self, cell: &str, buf: &mut String) -> Option<usize> {
        buf.clear();
        if cell.is_empty() {
            return None;
        }
        match self.exact.iter().find(|(k, _)| **k == *cell) {
            Some((_, i)) => Some(*i),
            None => self.find_normalised(cell, buf),
        }
    }
}

/// What a column of the export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The answer to the question at this index of the rubric.
    Answer(usize),
    Respondent,
    Role,
    Organisation,
    /// Anything else (Timestamp, ID, Email, Start time...).
    Ignored,
}

/// The meaning of each column of one export, worked out once from its header row.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    /// The file, as named in sources and errors.
    pub path: String,
    /// One entry per header cell.
    pub columns: Vec<Column>,
    /// The headers of the ignored columns, as written.
    pub ignored: Vec<String>,
    rubric_id: String,
    matchers: Vec<OptionMatcher>,
}

/// Writes a header or cell for an error message, shortened if very long.
fn shown(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("\"{cut}...\"")
    } else {
        format!("\"{s}\"")
    }
}

/// Each question's id and text, normalised, to its index: the header names that
/// answer it. Texts go in first and ids last, so an id wins if a text equals one.
fn question_names(rubric: &LoadedRubric) -> HashMap<String, usize> {
    let questions = &rubric.rubric.question;
    let texts = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (normalise(&q.text), i));
    let ids = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (normalise(&q.id), i));
    texts.chain(ids).collect()
}

impl HeaderMap {
    /// Maps a header row. Fails when no column answers a question of the rubric or
    /// when two columns answer the same question.
    pub fn new(
        rubric: &LoadedRubric,
        path: &str,
        headers: &StringRecord,
    ) -> Result<Self, InputError> {
        let r = &rubric.rubric;
        let by_name = question_names(rubric);
        let mut columns = Vec::with_capacity(headers.len());
        let mut ignored = Vec::new();
        let mut seen: Vec<Option<usize>> = vec![None; r.question.len()];
        for (col, h) in headers.iter().enumerate() {
            let key = normalise(h);
            let kind = match by_name.get(&key) {
                Some(&qi) => {
                    if let Some(first) = seen[qi] {
                        return Err(InputError::new(
                            path,
                            format!(
                                "columns {} and {} both answer question `{}`; keep one of them",
                                first + 1,
                                col + 1,
                                r.question[qi].id
                            ),
                        )
                        .at_line(1));
                    }
                    seen[qi] = Some(col);
                    Column::Answer(qi)
                }
                None => match key.as_str() {
                    "respondent" | "name" => Column::Respondent,
                    "role" => Column::Role,
                    "organisation" | "organization" => Column::Organisation,
                    _ => {
                        ignored.push(if key.is_empty() {
                            format!("column {}", col + 1)
                        } else {
                            h.trim().to_string()
                        });
                        Column::Ignored
                    }
                },
            };
            columns.push(kind);
        }
        if seen.iter().all(Option::is_none) {
            let shown_headers: Vec<String> = headers.iter().take(8).map(shown).collect();
            return Err(InputError::new(
                path,
                format!(
                    "no column header names a question of rubric `{}` (by id or text); \
                     the headers are {}{}",
                    r.id,
                    shown_headers.join(", "),
                    if headers.len() > 8 { ", ..." } else { "" }
                ),
            )
            .at_line(1));
        }
        Ok(HeaderMap {
            path: path.to_string(),
            columns,
            ignored,
            rubric_id: r.id.clone(),
            matchers: r.question.iter().map(OptionMatcher::new).collect(),
        })
    }

    /// The one warning about ignored columns, if any are.
    pub fn warning(&self) -> Option<String> {
        (!self.ignored.is_empty()).then(|| {
            let names: Vec<String> = self.ignored.iter().map(|h| shown(h)).collect();
            format!(
                "{}: ignoring {} {} that {} no question: {}",
                self.path,
                names.len(),
                if names.len() == 1 {
                    "column"
                } else {
                    "columns"
                },
                if names.len() == 1 {
                    "answers"
                } else {
                    "answer"
                },
                names.join(", ")
            )
        })
    }

    /// Resolves one row, found at `line` of the file, into a sheet. `buf` is scratch
    /// space the caller keeps across rows.
    pub fn resolve(
        &self,
        rubric: &LoadedRubric,
        line: u64,
        record: &StringRecord,
        buf: &mut String,
    ) -> Result<ResolvedSheet, InputError> {
        let mut row = Row::default();
        self.resolve_into(rubric, line, record, buf, &mut row)?;
        Ok(self.sheet(&row))
    }

    /// Resolves one row into `row`, reusing its buffers: no allocation unless the row
    /// is bad. (A reader thread does this; the thread that scores makes the sheet, so
    /// memory is allocated and freed on one thread.)
    pub fn resolve_into(
        &self,
        rubric: &LoadedRubric,
        line: u64,
        record: &StringRecord,
        buf: &mut String,
        row: &mut Row,
    ) -> Result<(), InputError> {
        row.line = line;
        row.choices.clear();
        row.choices.resize(rubric.rubric.question.len(), None);
        for m in &mut row.meta {
            m.clear();
        }
        for (kind, cell) in self.columns.iter().zip(record.iter()) {
            let field = match kind {
                Column::Ignored => continue,
                Column::Answer(qi) => {
                    match self.matchers[*qi].find(cell, buf) {
                        Some(oi) => row.choices[*qi] = Some(oi),
                        // Normalising left nothing: a blank cell, unanswered.
                        None if buf.is_empty() => {}
                        None => {
                            let source = format!("{}:{line}", self.path);
                            return Err(unknown_answer(rubric, &source, *qi, cell));
                        }
                    }
                    continue;
                }
                Column::Respondent => &mut row.meta[0],
                Column::Role => &mut row.meta[1],
                Column::Organisation => &mut row.meta[2],
            };
            // Where two columns name the respondent (Microsoft's "Name" and a question
            // of one's own), the first one filled in wins.
            if field.is_empty() {
                field.push_str(cell.trim());
            }
        }
        Ok(())
    }

    /// The sheet of a resolved row.
    pub fn sheet(&self, row: &Row) -> ResolvedSheet {
        let mut source = String::with_capacity(self.path.len() + 8);
        source.push_str(&self.path);
        source.push(':');
        let _ = std::fmt::Write::write_fmt(&mut source, format_args!("{}", row.line));
        let text = |s: &String| (!s.is_empty()).then(|| s.clone());
        ResolvedSheet {
            source,
            sheet: Sheet {
                rubric: self.rubric_id.clone(),
                respondent: text(&row.meta[0]),
                role: text(&row.meta[1]),
                organisation: text(&row.meta[2]),
                ..Sheet::default()
            },
            choices: row.choices.clone(),
            warnings: Vec::new(),
        }
    }
}

/// A row resolved into reusable buffers (see [`HeaderMap::resolve_into`]).
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The line of the file the row starts on.
    pub line: u64,
    /// Per rubric question, the index of the chosen option.
    pub choices: Vec<Option<usize>>,
    /// Respondent, role and organisation; empty when not given.
    pub meta: [String; 3],
}

fn unknown_answer(rubric: &LoadedRubric, source: &str, qi: usize, cell: &str) -> InputError {
    let q = &rubric.rubric.question[qi];
    let valid: Vec<String> = q
        .option
        .iter()
        .map(|o| format!("\"{}\" ({})", o.label, o.id))
        .collect();
    InputError::new(
        source,
        format!(
            "unknown answer {}; valid answers (label or id): {}",
            shown(cell),
            valid.join(", ")
        ),
    )
    .with_key(&q.id)
}

/// The rows of one export, read and resolved one at a time.
pub struct CsvSheets<'r, R: Read> {
    rubric: &'r LoadedRubric,
    reader: csv::Reader<Lines<R>>,
    /// Newlines at or before the start of the last row read.
    newlines: u64,
    /// The offset of the last of them.
    last_newline: Option<u64>,
    header: HeaderMap,
    record: StringRecord,
    buf: String,
    done: bool,
}

/// Opens an export file and maps its header row.
pub fn open<'r>(rubric: &'r LoadedRubric, path: &Path) -> Result<CsvSheets<'r, File>, InputError> {
    let source = path.display().to_string();
    if path.is_dir() {
        return Err(InputError::new(source, "is a folder, expected a file"));
    }
    let file = File::open(path)
        .map_err(|e| InputError::new(&source, format!("could not read: {}", io_reason(&e))))?;
    from_reader(rubric, &source, file)
}

/// Reads an export from any reader (stdin, a string in tests); `source` names it.
pub fn from_reader<'r, R: Read>(
    rubric: &'r LoadedRubric,
    source: &str,
    mut reader: R,
) -> Result<CsvSheets<'r, R>, InputError> {
    // The first line decides the separator; what was read for it is read again.
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    // Up to the end of the first line that is not blank (the header).
    let has_header_line = |head: &[u8]| {
        head.split_inclusive(|&b| b == b'\n')
            .any(|l| l.ends_with(b"\n") && !is_blank(l))
    };
    while !has_header_line(&head) && head.len() < 1 << 20 {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(InputError::new(
                    source,
                    format!("could not read: {}", io_reason(&e)),
                ));
            }
        }
    }
    let delimiter = separator(&head, rubric);
    // 64 KiB of read buffer: larger gains nothing measurable.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .delimiter(delimiter)
        .buffer_capacity(64 * 1024)
        .from_reader(Lines {
            head: std::io::Cursor::new(head),
            inner: reader,
            offset: 0,
            last: 0,
            newlines: VecDeque::new(),
        });
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_error(source, &e, Some(1))),
    };
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(InputError::new(
            source,
            "is empty; expected a header row naming the questions",
        ));
    }
    let header = HeaderMap::new(rubric, source, &headers)?;
    Ok(CsvSheets {
        rubric,
        reader,
        newlines: 0,
        last_newline: None,
        header,
        record: StringRecord::new(),
        buf: String::new(),
        done: false,
    })
}

/// A line with nothing but white space (and a byte-order mark).
fn is_blank(line: &[u8]) -> bool {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    line.iter().all(|b| b.is_ascii_whitespace())
}

/// The separator of an export, from its header line (the first that is not blank):
/// the one of `,` and `;` whose cells name more of the rubric's questions, else the
/// one that separates more cells outside quotes. Spreadsheets in decimal-comma
/// locales save "CSV" with semicolons, and leave commas inside texts unquoted.
fn separator(head: &[u8], rubric: &LoadedRubric) -> u8 {
    let line = head
        .split(|&b| b == b'\n')
        .find(|l| !is_blank(l))
        .unwrap_or_default();
    let names = question_names(rubric);
    // Split the way the reader will split it, then count the cells naming a question.
    let split = |sep: u8| {
        let mut header = StringRecord::new();
        let _ = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(sep)
            .from_reader(line)
            .read_record(&mut header);
        let named = header
            .iter()
            .filter(|h| names.contains_key(&normalise(h)))
            .count();
        (named, header.len())
    };
    if split(b';') > split(b',') {
        b';'
    } else {
        b','
    }
}

/// The input, with the byte offsets of the newlines read through it but not yet
/// passed by a row, each marked when a CR comes just before it.
///
/// The csv reader's own line numbers are one short after a CRLF line end (the
/// usual one in exports): a row's position is taken before the `\n` of the line
/// end before it is consumed. A row's line is therefore worked out here from the
/// newlines at or before the byte where the reader says the row starts, plus those
/// of any blank lines the reader skipped after it. (Files whose lines end in a bare
/// CR, from very old Macs, count as one line.)
struct Lines<R> {
    /// Bytes read ahead to find the separator, served before `inner`.
    head: std::io::Cursor<Vec<u8>>,
    inner: R,
    offset: u64,
    last: u8,
    newlines: VecDeque<(u64, bool)>,
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = match self.head.read(buf)? {
            0 => self.inner.read(buf)?,
            n => n,
        };
        let read = &buf[..n];
        let base = self.offset;
        let last = self.last;
        self.newlines
            .extend(memchr::memchr_iter(b'\n', read).map(|i| {
                let before = if i == 0 { last } else { read[i - 1] };
                (base + i as u64, before == b'\r')
            }));
        if let Some(&b) = read.last() {
            self.last = b;
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// An error of the csv reader, as an error about the row it happened in (`line`,
/// found as for rows).
fn csv_error(source: &str, e: &csv::Error, line: Option<u64>) -> InputError {
    let at = |line: Option<u64>| match line {
        Some(l) => format!("{source}:{l}"),
        None => source.to_string(),
    };
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => InputError::new(
            at(line),
            format!("this row has {len} cells, but the header row has {expected_len}"),
        ),
        csv::ErrorKind::Utf8 { err, .. } => InputError::new(
            at(line),
            format!(
                "cell {} is not valid UTF-8; export the form as \"CSV UTF-8\"",
                err.field() + 1
            ),
        ),
        csv::ErrorKind::Io(io) => {
            InputError::new(source, format!("could not read: {}", io_reason(io)))
        }
        _ => InputError::new(at(line), e.to_string()),
    }
}

impl<R: Read> CsvSheets<'_, R> {
    /// The header map, for its warning and columns.
    pub fn header(&self) -> &HeaderMap {
        &self.header
    }

    /// The line a row starts on, from the byte the reader says it starts at.
    fn line_at(&mut self, pos: Option<&csv::Position>) -> u64 {
        let Some(pos) = pos else { return 0 };
        let newlines = &mut self.reader.get_mut().newlines;
        while let Some(&(at, cr)) = newlines.front() {
            // A newline right after the last one (after a CR at most) ends a blank
            // line, which the reader skipped on its way to the row.
            let blank = match self.last_newline {
                Some(prev) => at == prev + 1 || (at == prev + 2 && cr),
                None => at == 0 || (at == 1 && cr),
            };
            if at > pos.byte() && !blank {
                break;
            }
            newlines.pop_front();
            self.newlines += 1;
            self.last_newline = Some(at);
        }
        self.newlines + 1
    }

    /// Bytes read so far, for progress.
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }

    /// Reads the next row into `record` without resolving it (for callers that
    /// resolve rows elsewhere, such as on other threads). `None` at the end; an I/O
    /// error also ends the file.
    pub fn read_record(&mut self, record: &mut StringRecord) -> Option<Result<u64, InputError>> {
        loop {
            if self.done {
                return None;
            }
            match self.reader.read_record(record) {
                Ok(true) => {
                    let line = self.line_at(record.position());
                    // A row of empty cells (",,,,", which spreadsheets leave after
                    // the data) is a blank line, as an empty line is.
                    if record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    return Some(Ok(line));
                }
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        self.done = true;
                    }
                    let line = e.position().map(|p| self.line_at(Some(p)));
                    return Some(Err(csv_error(&self.header.path, &e, line)));
                }
            }
        }
    }
}

impl<R: Read> CsvSheets<'_, R> {
    /// Reads and resolves the next row into `row`, reusing its buffers. `None` at the
    /// end of the file.
    pub fn next_row(&mut self, row: &mut Row) -> Option<Result<(), InputError>> {
        let mut record = std::mem::take(&mut self.record);
        let out = match self.read_record(&mut record)? {
            Ok(line) => self
                .header
                .resolve_into(self.rubric, line, &record, &mut self.buf, row),
            Err(e) => Err(e),
        };
        self.record = record;
        Some(out)
    }
}

impl<R: Read> Iterator for CsvSheets<'_, R> {
    type Item = Result<ResolvedSheet, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut record = std::mem::take(&mut self.record);
        let out = match self.read_record(&mut record)? {
            Ok(line) => self
                .header
                .resolve(self.rubric, line, &record, &mut self.buf),
            Err(e) => Err(e),
        };
        self.record = record;
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric() -> LoadedRubric {
        LoadedRubric::embedded().unwrap()
    }

    type Rows = Result<Vec<Result<ResolvedSheet, InputError>>, InputError>;

    fn rows(text: &str) -> (Rows, Option<String>) {
        let r = rubric();
        match from_reader(&r, "f.csv", text.as_bytes()) {
            Ok(it) => {
                let w = it.header().warning();
                (Ok(it.collect()), w)
            }
            Err(e) => (Err(e), None),
        }
    }

    #[test]
    fn a_semicolon_separated_export_reads_like_a_comma_one() {
        let r = rubric();
        let (q0, q1) = (&r.rubric.question[0], &r.rubric.question[1]);
        let text = format!(
            "Name;{};{}\r\nAna;\"{}\";{}\r\n",
            q0.text, q1.id, q0.option[2].label, q1.option[0].id
        );
        let (got, warning) = rows(&text);
        let got = got.unwrap();
        assert_eq!(warning, None);
        let s = got[0].as_ref().unwrap();
        assert_eq!(s.sheet.respondent.as_deref(), Some("Ana"));
        assert_eq!(s.choices[0], Some(2));
        assert_eq!(s.choices[1], Some(0));
        // Commas inside quotes do not count; a comma file stays a comma file.
        assert_eq!(separator(b"\"a;b;c\",x,y\n1;2", &r), b',');
        assert_eq!(separator(b"a,b;c;d", &r), b';');
        assert_eq!(separator(b"", &r), b',');
        // Question texts with unquoted commas, as Excel writes them with `;`: the
        // header that names questions wins over the count.
        let with_commas: Vec<&str> = r
            .rubric
            .question
            .iter()
            .map(|q| q.text.as_str())
            .filter(|t| t.contains(','))
            .take(3)
            .collect();
        assert_eq!(with_commas.len(), 3, "the default rubric has such texts");
        let header = with_commas.join(";");
        assert!(header.matches(',').count() > header.matches(';').count());
        let text = format!("{header}\r\n;;\r\n");
        assert_eq!(separator(text.as_bytes(), &r), b';');
        // A byte-order mark before a question id does not hide it.
        let ids = format!("\u{feff}{};x,y,z", r.rubric.question[0].id);
        assert_eq!(separator(ids.as_bytes(), &r), b';');
        // A blank line before the header is skipped, with or without a BOM.
        assert_eq!(separator(b"\r\nName;maturity-standards\r\n", &r), b';');
        assert_eq!(
            separator(b"\xEF\xBB\xBF\r\nName;maturity-standards\r\n", &r),
            b';'
        );
    }

    #[test]
    fn the_header_is_found_when_a_blank_line_arrives_on_its_own() {
        // A pipe that delivers the blank first line in one read, the rest later.
        struct Pieces(Vec<Vec<u8>>);
        impl Read for Pieces {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() {
                    return Ok(0);
                }
                let piece = self.0.remove(0);
                buf[..piece.len()].copy_from_slice(&piece);
                Ok(piece.len())
            }
        }
        let r = rubric();
        let q = &r.rubric.question[0];
        let rest = format!("Name;{}\r\nAna;{}\r\n", q.id, q.option[0].id);
        let input = Pieces(vec![b"\r\n".to_vec(), rest.into_bytes()]);
        let rows: Vec<_> = from_reader(&r, "p.csv", input).unwrap().collect();
        assert_eq!(rows.len(), 1);
        let s = rows[0].as_ref().unwrap();
        assert_eq!(s.choices[0], Some(0));
        assert_eq!(s.source, "p.csv:3");
    }

    #[test]
    fn rows_of_empty_cells_are_blank_lines() {
        let r = rubric();
        let q = &r.rubric.question[0];
        let text = format!(
            "Name,{}\nAna,{}\n,\n , \n\nBo,{}\n,\n",
            q.id, q.option[0].id, q.option[1].id
        );
        let (got, _) = rows(&text);
        let got = got.unwrap();
        assert_eq!(got.len(), 2);
        let sources: Vec<String> = got
            .iter()
            .map(|s| s.as_ref().unwrap().source.clone())
            .collect();
        // Bo's row keeps its true line number.
        assert_eq!(sources, ["f.csv:2", "f.csv:6"]);
    }

    #[test]
    fn normalising_trims_folds_and_lowercases() {
        assert_eq!(
            normalise("  Each  project\truns\n its OWN way  "),
            "each project runs its own way"
        );
        assert_eq!(normalise("ÉTÉ  À Paris "), "été à paris");
        assert_eq!(normalise(" \t "), "");
    }

    #[test]
    fn headers_match_by_id_or_text_and_cells_by_id_or_label() {
        let r = rubric();
        let q0 = &r.rubric.question[0];
        let q1 = &r.rubric.question[1];
        let text = format!(
            "Timestamp,\" {}  \",{},Name,Email\n2024,\"  {} \",{},Ann,a@x\n",
            q0.text.to_uppercase().replace(' ', "  "),
            q1.id,
            q0.option[2].label.to_lowercase(),
            q1.option[4].id.to_uppercase(),
        );
        let (sheets, warning) = rows(&text);
        let sheets = sheets.unwrap();
        let s = sheets[0].as_ref().unwrap();
        assert_eq!(s.source, "f.csv:2");
        assert_eq!(s.choices[0], Some(2));
        assert_eq!(s.choices[1], Some(4));
        assert!(s.choices[2..].iter().all(Option::is_none));
        assert_eq!(s.sheet.respondent.as_deref(), Some("Ann"));
        assert_eq!(s.sheet.rubric, "pmo-vmo");
        assert_eq!(
            warning.as_deref(),
            Some("f.csv: ignoring 2 columns that answer no question: \"Timestamp\", \"Email\"")
        );
    }

    #[test]
    fn bad_cell_is_an_error_for_its_row_only_and_lists_labels() {
        let r = rubric();
        let q = &r.rubric.question[0];
        let text = format!(
            "{id},role\n{a},pm\n\"multi\nline\",pm\nnope,x\n,sponsor\n{a},\n",
            id = q.id,
            a = q.option[0].id
        );
        let (sheets, _) = rows(&text);
        let sheets = sheets.unwrap();
        assert_eq!(sheets.len(), 5);
        assert!(sheets[0].is_ok());
        let e = sheets[1].as_ref().unwrap_err();
        assert_eq!(e.source, "f.csv:3");
        assert_eq!(e.key.as_deref(), Some(q.id.as_str()));
        assert!(e.message.contains(&q.option[3].label), "{}", e.message);
        // The multi-line cell took two lines: the next row starts on line 5.
        assert_eq!(sheets[2].as_ref().unwrap_err().source, "f.csv:5");
        let empty = sheets[3].as_ref().unwrap();
        assert!(empty.choices.iter().all(Option::is_none));
        assert_eq!(empty.sheet.role.as_deref(), Some("sponsor"));
        assert_eq!(sheets[4].as_ref().unwrap().sheet.role, None);
    }

    #[test]
    fn rows_are_numbered_by_file_line_with_any_line_end() {
        let r = rubric();
        let q = &r.rubric.question[0];
        let (a, b) = (&q.option[0].id, &q.option[1].id);
        for bom in ["", "\u{feff}"] {
            for nl in ["\n", "\r\n"] {
                let text = format!(
                    "{bom}{id},Name{nl}{a},\"two{nl}lines\"{nl}{b},{nl}{nl}{a},x{nl}{nl}{nl}{b},y{nl}",
                    id = q.id
                );
                let sheets: Vec<_> = from_reader(&r, "f.csv", text.as_bytes())
                    .unwrap()
                    .map(|s| s.unwrap().source)
                    .collect();
                assert_eq!(
                    sheets,
                    ["f.csv:2", "f.csv:4", "f.csv:6", "f.csv:9"],
                    "bom {bom:?} line end {nl:?}"
                );
            }
        }
    }

    #[test]
    fn short_row_is_an_error_and_reading_goes_on() {
        let r = rubric();
        let q = &r.rubric.question[0];
        let text = format!("{},name\n{}\n{},Bo\n", q.id, q.option[0].id, q.option[1].id);
        let (sheets, _) = rows(&text);
        let sheets = sheets.unwrap();
        let e = sheets[0].as_ref().unwrap_err();
        assert_eq!(e.source, "f.csv:2");
        assert!(e.message.contains("1 cells"), "{}", e.message);
        assert_eq!(sheets[1].as_ref().unwrap().choices[0], Some(1));
    }

    #[test]
    fn bom_is_accepted_and_file_errors_are_whole_file() {
        let r = rubric();
        let q = &r.rubric.question[0];
        let text = format!("\u{feff}{},Name\n\"{}\",Zoë\n", q.id, q.option[1].label);
        let (sheets, warning) = rows(&text);
        assert_eq!(sheets.unwrap()[0].as_ref().unwrap().choices[0], Some(1));
        assert_eq!(warning, None);

        let e = rows("Timestamp,Email\n1,2\n").0.unwrap_err();
        assert!(e.message.contains("no column header"), "{}", e.message);
        let e = rows(&format!("{0},{0}\n", q.id)).0.unwrap_err();
        assert!(e.message.contains("columns 1 and 2"), "{}", e.message);
        let e = rows("").0.unwrap_err();
        assert!(e.message.contains("empty"), "{}", e.message);
    }

    #[test]
    fn one_row_of_csv_text_loads_as_one_sheet() {
        use crate::sheet::{SheetFormat, load_text};
        let r = rubric();
        let q = &r.rubric.question[2];
        let one = format!("{},role\n{},pm\n", q.text, q.option[3].id);
        let s = load_text(&r, "in.csv", &one, SheetFormat::Csv).unwrap();
        assert_eq!((s.source.as_str(), s.choices[2]), ("in.csv:2", Some(3)));
        let two = format!("{one}{},pm\n", q.option[1].id);
        let e = load_text(&r, "in.csv", &two, SheetFormat::Csv).unwrap_err();
        assert!(e.message.contains("2 rows"), "{}", e.message);
        let none = format!("{},role\n", q.text);
        let e = load_text(&r, "in.csv", &none, SheetFormat::Csv).unwrap_err();
        assert!(e.message.contains("no answers"), "{}", e.message);
    }

    #[test]
    fn an_id_beats_a_label_that_spells_it() {
        let mut r = rubric();
        r.rubric.question[0].option[0].label = r.rubric.question[0].option[1].id.clone();
        let m = OptionMatcher::new(&r.rubric.question[0]);
        let id1 = r.rubric.question[0].option[1].id.clone();
        let mut buf = String::new();
        assert_eq!(m.find(&id1, &mut buf), Some(1));
        assert_eq!(
            m.find(&format!(" {} ", id1.to_uppercase()), &mut buf),
            Some(1)
        );
    }
}
