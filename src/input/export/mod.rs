//! Survey exports (Google Forms, Microsoft Forms "CSV UTF-8") read as answer sheets,
//! one sheet per row.
//!
//! A file is mapped once: its header row becomes a [`HeaderMap`] (which column answers
//! which question, which columns carry the respondent's name, role and organisation,
//! which are ignored). Rows are then resolved one at a time against that map without
//! allocating per cell, so a million-row export streams in flat memory.
//! `header` matches headers and cells, `sniff` finds the separator, `lines` numbers
//! the rows as an editor would.

mod chunks;
mod decode;
mod grid;
mod header;
mod lines;
mod ods;
mod sniff;
mod workbook;
mod xls;

use std::collections::VecDeque;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use csv::StringRecord;

use decode::Decoded;
pub(crate) use header::{Cells, Column, HeaderMap, Row};
use header::{DateEvidence, Tally};
use lines::Lines;
pub(crate) use workbook::is_workbook;

/// Whether a workbook file opens (only regular files are tried).
pub(crate) fn workbook_opens(path: &Path) -> bool {
    is_regular(path) && workbook::opens(path)
}

/// Whether the first line of a text file, in whatever encoding, holds a tab (only
/// regular files are read).
pub(crate) fn first_line_has_tab(path: &Path) -> bool {
    let Some(head) = is_regular(path)
        .then(|| {
            File::open(path)
                .and_then(|mut f| decode::read_head(&mut f))
                .ok()
        })
        .flatten()
    else {
        return false;
    };
    let text = match decode::encoding_of(&head, None).0 {
        None => String::from_utf8_lossy(&head).into_owned(),
        Some(e) => decode::head_text(&head, e),
    };
    text.lines()
        .find(|l| !sniff::is_blank(l.as_bytes()))
        .is_some_and(|l| l.contains('\t'))
}

fn is_regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

use crate::diag::{ExportFault, Fault, FileFault, InputError, Product};
use crate::input::decode::{Opened, open_input, unreadable};
use crate::input::options::ReadOptions;
use crate::input::sheet::ResolvedSheet;
use crate::input::warning::{PassedSheet, Warning};
use crate::origin::Origin;
use crate::rubric::LoadedRubric;

/// A row read ahead: how reading it went (its line, or an error), whether that
/// ended the file, and its cells.
type Ahead = (Result<u64, InputError>, bool, StringRecord);

/// At most this many rows are read ahead of the first one handed out...
const AHEAD_ROWS: usize = 256;
/// ...and reading ahead stops once this many bytes of text are read.
const AHEAD_BYTES: u64 = 1 << 20;

/// Where the rows come from: text read as it streams, or a worksheet read whole.
/// (One per export: the size of the text reader costs nothing.)
#[allow(clippy::large_enum_variant)]
enum Records<R: Read> {
    Text(csv::Reader<Lines<Decoded<R>>>),
    Grid(grid::Grid),
}

/// The rows of one export, read and resolved one at a time.
pub(crate) struct CsvSheets<'r, R: Read> {
    rubric: &'r LoadedRubric,
    records: Records<R>,
    file: Arc<Path>,
    header: HeaderMap,
    /// The rows read ahead while mapping the header (to tell further header rows,
    /// a transposed sheet and the order of dates): the first ones handed out, each
    /// with whether it ended the file.
    pending: VecDeque<Ahead>,
    include_partial: bool,
    /// What the rows read so far counted, for the warnings at the end.
    tally: Tally,
    /// A row's buffers, for the iterator.
    row: Row,
    /// Remarks about the whole file found while opening it (its encoding).
    warnings: Vec<Warning>,
    record: StringRecord,
    buf: String,
    done: bool,
    /// The separator, when the file may be read in parallel ([`CsvSheets::parallel`]):
    /// UTF-8 as it is, lines ending in LF or CRLF.
    plain: Option<u8>,
}

/// Opens an export file (a text export or a workbook) and maps its header rows (a
/// pipe nobody writes to is refused, as [`open_input`] says).
pub(crate) fn open<'r>(
    rubric: &'r LoadedRubric,
    path: &Path,
    options: &ReadOptions,
) -> Result<CsvSheets<'r, Opened>, InputError> {
    let source = Origin::from(path);
    if is_workbook(path) {
        // A workbook is opened by name, so only a regular file: a pipe could block.
        if !is_regular(path) {
            return Err(open_input(path)
                .err()
                .unwrap_or_else(|| InputError::new(&source, FileFault::WorkbookNotAFile)));
        }
        return open_workbook(rubric, source, path, options);
    }
    let tab = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("txt"));
    text(rubric, source, open_input(path)?, options, tab)
}

/// Opens a workbook's worksheet: the one `--sheet` names, else the active one (or
/// the first shown), else the first of the others shown whose header names a
/// question, with a warning that says which was read and which passed over.
fn open_workbook<'r>(
    rubric: &'r LoadedRubric,
    source: Origin,
    path: &Path,
    options: &ReadOptions,
) -> Result<CsvSheets<'r, Opened>, InputError> {
    let mut book = workbook::Book::open(&source, path)?;
    if let Some(want) = options.sheet.as_deref() {
        let Some(i) = book.sheets.iter().position(|s| s.name == want) else {
            let names = book.sheets.iter().map(|s| s.name.clone()).collect();
            let fault = ExportFault::NoWorksheetNamed {
                want: want.to_string(),
                names,
            };
            return Err(InputError::new(source, fault));
        };
        let grid = book.read(&source, i)?;
        return CsvSheets::new(
            rubric,
            source,
            Records::Grid(grid),
            options,
            false,
            Vec::new(),
        );
    }
    let order = book.order();
    let Some(&first) = order.first() else {
        return Err(InputError::new(source, ExportFault::NoWorksheet));
    };
    // Hidden worksheets before the one read first are passed over, and said so.
    let mut passed: Vec<(String, PassedSheet)> = book.sheets[..first]
        .iter()
        .filter(|s| s.worksheet && !s.visible)
        .map(|s| (s.name.clone(), PassedSheet::Hidden))
        .collect();
    let mut first_error = None;
    for i in order {
        let grid = book.read(&source, i)?;
        match CsvSheets::new(
            rubric,
            source.clone(),
            Records::Grid(grid),
            options,
            false,
            Vec::new(),
        ) {
            Ok(mut sheets) => {
                if !passed.is_empty() {
                    sheets.warnings.push(Warning::OtherWorksheet {
                        file: source,
                        read: book.sheets[i].name.clone(),
                        passed,
                    });
                }
                return Ok(sheets);
            }
            // A summary names no question (or lists them down a column): try the
            // next worksheet, and report the first one's error if none does.
            Err(e)
                if matches!(
                    e.kind,
                    Fault::Export(
                        ExportFault::NoQuestionColumn { .. } | ExportFault::Transposed { .. }
                    )
                ) =>
            {
                passed.push((book.sheets[i].name.clone(), PassedSheet::NoQuestion));
                first_error.get_or_insert(e);
            }
            Err(e) => return Err(first_error.unwrap_or(e)),
        }
    }
    Err(first_error.unwrap_or_else(|| InputError::new(source, ExportFault::NoWorksheet)))
}

/// Reads an export from any reader (a string in tests); `source` names it.
#[cfg(test)]
pub(crate) fn from_reader<R: Read>(
    rubric: &LoadedRubric,
    source: Origin,
    reader: R,
) -> Result<CsvSheets<'_, R>, InputError> {
    text(rubric, source, reader, &ReadOptions::default(), false)
}

/// Reads a text export from any reader with `options`; `tab` prefers tab as the
/// separator (a `.tsv` or `.txt` file).
pub(crate) fn text<'r, R: Read>(
    rubric: &'r LoadedRubric,
    source: Origin,
    mut reader: R,
    options: &ReadOptions,
    tab: bool,
) -> Result<CsvSheets<'r, R>, InputError> {
    let head = decode::read_head(&mut reader).map_err(|e| unreadable(&source, &e))?;
    let (mut encoding, guessed) = decode::encoding_of(&head, options.encoding);
    let mut warnings = Vec::new();
    if guessed {
        // Not UTF-8: Windows-1252 or Mac Roman, whichever names more questions.
        let (chosen, other) = decode::western(&head, |text| {
            sniff::named_in_header(text.as_bytes(), rubric, tab)
        });
        encoding = Some(chosen);
        warnings.push(Warning::Encoding {
            file: source.clone(),
            encoding: chosen.name().to_ascii_lowercase(),
            other: other.name().to_ascii_lowercase(),
        });
    }
    let layout = match encoding {
        None => sniff::layout(&head, rubric, tab),
        Some(e) => sniff::layout(decode::head_text(&head, e).as_bytes(), rubric, tab),
    };
    let (head, inner) = match encoding {
        None => (head, Decoded::Plain(reader)),
        Some(e) => (Vec::new(), Decoded::transcoded(head, reader, e)),
    };
    // 64 KiB of read buffer: larger gains nothing measurable. Rows may be narrower
    // or wider than the header (`flexible`): a row of empty cells of any width is a
    // blank line; any other such row is an error for that row alone.
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(layout.delimiter)
        .buffer_capacity(64 * 1024)
        .from_reader(Lines::new(head, inner, layout.bare_cr));
    let mut sheets = CsvSheets::new(
        rubric,
        source,
        Records::Text(reader),
        options,
        layout.sep_line,
        warnings,
    )?;
    sheets.plain = (encoding.is_none() && !layout.bare_cr).then_some(layout.delimiter);
    Ok(sheets)
}

/// The error of a row longer than [`lines::MAX_ROW`].
fn row_too_long(at: Origin) -> InputError {
    let limit_mb = lines::MAX_ROW / (1024 * 1024);
    InputError::new(at, ExportFault::RowTooLong { limit_mb })
}

/// The error of a row whose cell at `field` (0-based) is not UTF-8.
fn not_utf8(at: Origin, field: usize) -> InputError {
    InputError::new(at, ExportFault::CellNotUtf8 { cell: field + 1 })
}

/// An error of the csv reader, as an error about the row it happened in (`line`,
/// found as for rows), or about the whole file.
fn csv_error(
    source: &Origin,
    file: &Arc<Path>,
    e: &csv::Error,
    line: Option<u64>,
    too_long: bool,
) -> InputError {
    let at = |line: Option<u64>| match line {
        Some(line) => Origin::Row {
            file: file.clone(),
            line,
        },
        None => source.clone(),
    };
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => not_utf8(at(line), err.field()),
        csv::ErrorKind::Io(_) if too_long => row_too_long(at(line)),
        csv::ErrorKind::Io(io) => unreadable(source, io),
        _ => InputError::new(at(line), ExportFault::Csv(e.to_string())),
    }
}

impl<R: Read> Records<R> {
    /// Reads up to [`AHEAD_ROWS`] rows (and [`AHEAD_BYTES`] of text) into `ahead`,
    /// stopping after one that ends the file.
    fn look_ahead(&mut self, ahead: &mut VecDeque<Ahead>, source: &Origin, file: &Arc<Path>) {
        let start = self.bytes();
        while ahead.len() < AHEAD_ROWS && self.bytes() - start < AHEAD_BYTES {
            let mut record = StringRecord::new();
            match self.next(&mut record, source, file) {
                Some((outcome, fatal)) => {
                    ahead.push_back((outcome, fatal, record));
                    if fatal {
                        break;
                    }
                }
                None => break,
            }
        }
    }

    /// Bytes of text read so far (none for a worksheet).
    fn bytes(&self) -> u64 {
        match self {
            Records::Text(r) => r.position().byte(),
            Records::Grid(_) => 0,
        }
    }

    /// The next row that is not blank (a row of empty cells, which spreadsheets
    /// leave after the data, is a blank line), with the line it starts on. `None` at
    /// the end; an error reading the file also ends it.
    fn next(
        &mut self,
        record: &mut StringRecord,
        source: &Origin,
        file: &Arc<Path>,
    ) -> Option<(Result<u64, InputError>, bool)> {
        loop {
            let line = match self {
                Records::Grid(grid) => grid.next_into(record)?,
                Records::Text(reader) => {
                    let start = reader.position().byte();
                    reader.get_mut().row_starts(start);
                    match reader.read_record(record) {
                        Ok(true) => {
                            let byte = record.position().map_or(0, csv::Position::byte);
                            reader.get_mut().line_at(byte)
                        }
                        Ok(false) => return None,
                        Err(e) => {
                            let line = e.position().map(|p| reader.get_mut().line_at(p.byte()));
                            let too_long = reader.get_ref().too_long;
                            let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                            return Some((Err(csv_error(source, file, &e, line, too_long)), fatal));
                        }
                    }
                }
            };
            if !record.iter().all(|c| c.trim().is_empty()) {
                return Some((Ok(line), false));
            }
        }
    }
}

/// The error of an export whose answers are codes, naming the export setting to
/// change in the product its header rows look like.
fn coded_error(header: &HeaderMap, record: &impl Cells) -> InputError {
    let letters = header
        .columns
        .iter()
        .zip(record.cells())
        .any(|(k, c)| matches!(k, Column::Answer(_)) && c.trim().starts_with(['A', 'a']));
    let product = match header.product {
        Product::Other if letters => Product::LimeSurvey,
        p => p,
    };
    InputError::new(&header.origin, ExportFault::Coded(product))
}

impl<'r, R: Read> CsvSheets<'r, R> {
    /// Reads the header row (after Excel's `sep=` line when `sep_line`) and up to two
    /// more header rows, and maps them; reads some rows ahead to tell a transposed
    /// sheet and the order of the dates.
    fn new(
        rubric: &'r LoadedRubric,
        source: Origin,
        mut records: Records<R>,
        options: &ReadOptions,
        sep_line: bool,
        warnings: Vec<Warning>,
    ) -> Result<Self, InputError> {
        let file = source.row_file();
        let mut first = StringRecord::new();
        let mut line = 1;
        for _ in 0..=usize::from(sep_line) {
            match records.next(&mut first, &source, &file) {
                Some((Ok(at), _)) => line = usize::try_from(at).unwrap_or(usize::MAX),
                Some((Err(e), _)) => return Err(e),
                None => {
                    return Err(InputError::new(source, ExportFault::NoHeader));
                }
            }
        }
        let names = header::question_names(rubric);
        let mut pending = VecDeque::new();
        records.look_ahead(&mut pending, &source, &file);
        let sample: Vec<&StringRecord> = std::iter::once(&first)
            .chain(pending.iter().map(|(_, _, r)| r))
            .take(64)
            .collect();
        if let Some((column, questions)) = header::transposed(&names, &sample) {
            let fault = ExportFault::Transposed {
                column: column + 1,
                questions,
            };
            return Err(InputError::new(source, fault).at_line(line));
        }
        let mut rows = vec![first];
        while rows.len() < 3 {
            match pending.front() {
                Some((Ok(_), false, r)) if header::is_extra_header(&names, &rows[0], r) => {
                    rows.extend(pending.pop_front().map(|(_, _, r)| r));
                }
                _ => break,
            }
        }
        let mut header = HeaderMap::new(rubric, &source, &rows, line)?;
        if let Some(col) = header.columns.iter().position(|c| *c == Column::Date) {
            // A worksheet is in memory: all of its dates say which order they are in.
            let ahead = pending.iter().filter_map(|(_, _, r)| r.get(col));
            header.date_order = match &records {
                Records::Grid(grid) => {
                    DateEvidence::of(ahead.chain(grid.column_ahead(col)), options.date_order)
                }
                Records::Text(_) => DateEvidence::of(ahead, options.date_order),
            };
        }
        Ok(CsvSheets {
            rubric,
            records,
            file,
            header,
            pending,
            include_partial: options.include_partial,
            tally: Tally::default(),
            row: Row::default(),
            warnings,
            record: StringRecord::new(),
            buf: String::new(),
            done: false,
            plain: None,
        })
    }

    /// The header map, for its warning and columns.
    pub(crate) fn header(&self) -> &HeaderMap {
        &self.header
    }

    /// The warnings about the whole file: its encoding, its header.
    pub(crate) fn warnings(&self) -> Vec<Warning> {
        let mut out = self.warnings.clone();
        out.extend(self.header.warnings());
        out
    }

    /// The warnings that come once the rows are read: unfinished responses left
    /// out, rows left without a date, the columns that named the respondents.
    pub(crate) fn end_warnings(&self) -> Vec<Warning> {
        self.header.end_warnings(&self.tally)
    }

    /// Bytes read so far, for progress.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.records.bytes()
    }

    /// Reads the next row into `record` without resolving it (for callers that
    /// resolve rows elsewhere, such as on other threads). `None` at the end; an I/O
    /// error also ends the file. Unfinished responses are left out (and counted)
    /// unless asked for.
    pub(crate) fn read_record(
        &mut self,
        record: &mut StringRecord,
    ) -> Option<Result<u64, InputError>> {
        loop {
            if self.done {
                return None;
            }
            let outcome = match self.pending.pop_front() {
                Some((outcome, fatal, pending)) => {
                    *record = pending;
                    self.done = fatal;
                    outcome
                }
                None => {
                    let (outcome, fatal) =
                        self.records.next(record, &self.header.origin, &self.file)?;
                    self.done = fatal;
                    outcome
                }
            };
            let line = match outcome {
                Ok(line) => line,
                Err(e) => return Some(Err(e)),
            };
            let width = self.header.columns.len();
            if record.len() != width {
                let cells = record.len();
                return Some(Err(InputError::new(
                    self.header.row_origin(line),
                    ExportFault::RowWidth {
                        cells,
                        header: width,
                    },
                )));
            }
            if !self.include_partial
                && let Some((marker, mark)) = self.header.unfinished(record)
            {
                self.tally.left_out(marker, mark);
                continue;
            }
            return Some(Ok(line));
        }
    }

    /// A row that failed to resolve: when its answers are all codes, the export
    /// was made with codes, which is one error for the whole file, and the end of it.
    fn resolve_failed(&mut self, e: InputError, record: &StringRecord) -> InputError {
        if self.header.coded(record) {
            self.done = true;
            coded_error(&self.header, record)
        } else {
            e
        }
    }

    /// Reads and resolves the next row into `row`, reusing its buffers. `None` at the
    /// end of the file.
    pub(crate) fn next_row(&mut self, row: &mut Row) -> Option<Result<(), InputError>> {
        let mut record = std::mem::take(&mut self.record);
        let out = match self.read_record(&mut record)? {
            Ok(line) => self
                .header
                .resolve_into(self.rubric, line, &record, &mut self.buf, row)
                .map_err(|e| self.resolve_failed(e, &record)),
            Err(e) => Err(e),
        };
        if out.is_ok() {
            self.tally.row(row);
        }
        self.record = record;
        Some(out)
    }
}

impl<R: Read> Iterator for CsvSheets<'_, R> {
    type Item = Result<ResolvedSheet, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut row = std::mem::take(&mut self.row);
        let out = self
            .next_row(&mut row)
            .map(|outcome| outcome.map(|()| self.header.sheet(&row)));
        self.row = row;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::header::OptionMatcher;
    use super::sniff::separator;
    use super::*;
    use crate::diag::Fault;
    use crate::render::warning::warning_text;
    use crate::text::normalise;

    fn rubric() -> LoadedRubric {
        crate::testing::v2()
    }

    type Rows = Result<Vec<Result<ResolvedSheet, InputError>>, InputError>;

    fn rows(text: &str) -> (Rows, Option<String>) {
        let r = rubric();
        match from_reader(&r, "f.csv".into(), text.as_bytes()) {
            Ok(it) => {
                let w = it
                    .header()
                    .warnings()
                    .iter()
                    .find(|w| matches!(w, Warning::IgnoredColumns { .. }))
                    .map(warning_text);
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
        let rows: Vec<_> = from_reader(&r, "p.csv".into(), input).unwrap().collect();
        assert_eq!(rows.len(), 1);
        let s = rows[0].as_ref().unwrap();
        assert_eq!(s.choices[0], Some(0));
        assert_eq!(s.source.to_string(), "p.csv:3");
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
            .map(|s| s.as_ref().unwrap().source.to_string())
            .collect();
        // Bo's row keeps its true line number.
        assert_eq!(sources, ["f.csv:2", "f.csv:6"]);
    }

    #[test]
    fn typography_folds_and_codes_come_off() {
        use super::header::strip_code;
        // Curly quotes, dashes, no-break and zero-width spaces, on the slow path.
        assert_eq!(
            normalise(
                "the organisation\u{2019}s\u{a0}\u{a0}goals \u{201c}now\u{201d} \u{2013} pro\u{200b}ject\u{a0}"
            ),
            "the organisation's goals \"now\" - project"
        );
        // ASCII takes the fast path and comes out the same.
        assert_eq!(normalise("It's  \"now\" - X"), "it's \"now\" - x");
        assert_eq!(strip_code("g01q01. how are you?"), Some("how are you?"));
        assert_eq!(strip_code("q01[sq001]. your age"), Some("your age"));
        assert_eq!(strip_code("3) role"), Some("role"));
        assert_eq!(strip_code("which matters more here: control"), None);
        assert_eq!(strip_code("maturity-standards"), None);
        assert_eq!(strip_code("id."), None);
    }

    #[test]
    fn layout_finds_tabs_the_sep_line_and_bare_cr() {
        use super::sniff::layout;
        let r = rubric();
        let q = &r.rubric.question;
        let tabbed = format!("Name\t{}\t{}\r\n", q[0].text, q[1].text);
        assert_eq!(layout(tabbed.as_bytes(), &r, false).delimiter, b'\t');
        let sep = format!("sep=;\r\nName;{}\r\n", q[0].id);
        let l = layout(sep.as_bytes(), &r, false);
        assert!(l.sep_line && l.delimiter == b';' && !l.bare_cr);
        let cr = format!("Name,{}\rAnn,x\r", q[0].id);
        assert!(layout(cr.as_bytes(), &r, false).bare_cr);
        // Nothing names a question: the most cells, tab on a tie for a .tsv.
        assert_eq!(layout(b"Q1\tQ2\tQ3\n", &r, false).delimiter, b'\t');
        assert_eq!(layout(b"Q1\n", &r, true).delimiter, b'\t');
        assert_eq!(layout(b"Q1\n", &r, false).delimiter, b',');
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
            "ID,\" {}  \",{},Name,Email\n2024,\"  {} \",{},Ann,a@x\n",
            q0.text.to_uppercase().replace(' ', "  "),
            q1.id,
            q0.option[2].label.to_lowercase(),
            q1.option[4].id.to_uppercase(),
        );
        let (sheets, warning) = rows(&text);
        let sheets = sheets.unwrap();
        let s = sheets[0].as_ref().unwrap();
        assert_eq!(s.source.to_string(), "f.csv:2");
        assert_eq!(s.choices[0], Some(2));
        assert_eq!(s.choices[1], Some(4));
        assert!(s.choices[2..].iter().all(Option::is_none));
        assert_eq!(s.sheet.respondent.as_deref(), Some("Ann"));
        assert_eq!(s.sheet.rubric, "pmo-vmo");
        assert_eq!(
            warning.as_deref(),
            Some("f.csv: ignoring 2 columns that answer no question: \"ID\", \"Email\"")
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
        assert_eq!(e.source.to_string(), "f.csv:3");
        assert_eq!(e.key.as_deref(), Some(q.id.as_str()));
        assert!(
            matches!(&e.kind, Fault::Export(ExportFault::UnknownAnswer { options, .. })
                if options[3].0 == q.option[3].label),
            "{e:?}"
        );
        // The multi-line cell took two lines: the next row starts on line 5.
        assert_eq!(
            sheets[2].as_ref().unwrap_err().source.to_string(),
            "f.csv:5"
        );
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
                let sheets: Vec<_> = from_reader(&r, "f.csv".into(), text.as_bytes())
                    .unwrap()
                    .map(|s| s.unwrap().source.to_string())
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
    fn a_bare_cr_file_is_numbered_as_an_editor_numbers_it() {
        let r = rubric();
        let q = &r.rubric.question[0];
        let (a, b) = (&q.option[0].id, &q.option[1].id);
        // CR line ends; an LF inside a quoted cell and a blank line count as lines
        // too, as an editor shows them; a CRLF counts once.
        let text = format!(
            "{id},Name\r{a},\"two\nlines\"\r\r{b},x\r\n{a},y\r{b},\"cr\r\nlf\"\r{a},z\r",
            id = q.id
        );
        let sheets: Vec<_> = from_reader(&r, "f.csv".into(), text.as_bytes())
            .unwrap()
            .map(|s| s.unwrap().source.to_string())
            .collect();
        assert_eq!(
            sheets,
            ["f.csv:2", "f.csv:5", "f.csv:6", "f.csv:7", "f.csv:9"]
        );
    }

    #[test]
    fn short_row_is_an_error_and_reading_goes_on() {
        let r = rubric();
        let q = &r.rubric.question[0];
        let text = format!("{},name\n{}\n{},Bo\n", q.id, q.option[0].id, q.option[1].id);
        let (sheets, _) = rows(&text);
        let sheets = sheets.unwrap();
        let e = sheets[0].as_ref().unwrap_err();
        assert_eq!(e.source.to_string(), "f.csv:2");
        let width = ExportFault::RowWidth {
            cells: 1,
            header: 2,
        };
        assert_eq!(e.kind, Fault::Export(width));
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
        assert!(
            matches!(&e.kind, Fault::Export(ExportFault::NoQuestionColumn { headers, more: false, .. })
                if headers == &["Timestamp", "Email"]),
            "{e:?}"
        );
        let e = rows(&format!("{0},{0}\n", q.id)).0.unwrap_err();
        assert!(
            matches!(
                e.kind,
                Fault::Export(ExportFault::SameQuestion {
                    first: 1,
                    second: 2,
                    ..
                })
            ),
            "{e:?}"
        );
        let e = rows("").0.unwrap_err();
        assert_eq!(e.kind, Fault::Export(ExportFault::NoHeader));
    }

    #[test]
    fn one_row_of_csv_text_loads_as_one_sheet() {
        use crate::input::{Input, SheetFormat, load};
        let r = rubric();
        let q = &r.rubric.question[2];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        let input = Input::File(path.clone(), SheetFormat::Csv);
        let one = format!("{},role\n{},pm\n", q.text, q.option[3].id);
        std::fs::write(&path, &one).unwrap();
        let s = load(&r, &input).unwrap();
        assert_eq!(s.source.row_line(), Some(2));
        assert_eq!(s.choices[2], Some(3));
        std::fs::write(&path, format!("{one}{},pm\n", q.option[1].id)).unwrap();
        let e = load(&r, &input).unwrap_err();
        assert_eq!(e.kind, Fault::Export(ExportFault::RowsWhereOne { rows: 2 }));
        std::fs::write(&path, format!("{},role\n", q.text)).unwrap();
        let e = load(&r, &input).unwrap_err();
        assert_eq!(e.kind, Fault::Export(ExportFault::NoRows));
    }

    #[test]
    fn an_id_beats_a_label_that_spells_it() {
        let r = rubric()
            .changed(|rb| rb.question[0].option[0].label = rb.question[0].option[1].id.clone());
        let m = OptionMatcher::new(&r.rubric.question[0]);
        let id1 = r.rubric.question[0].option[1].id.clone();
        let mut buf = String::new();
        assert_eq!(m.find(&id1, &mut buf), Some(1));
        assert_eq!(
            m.find(&format!(" {} ", id1.to_uppercase()), &mut buf),
            Some(1)
        );
    }

    #[test]
    fn a_timestamp_column_dates_the_rows_when_it_reads_the_same_everywhere() {
        use super::header::export_date;
        let day = |s: &str| export_date(s, None).map(|d| d.to_string());
        assert_eq!(day("2026-11-25"), Some("2026-11-25".into()));
        assert_eq!(day("2026-11-25T09:14:03Z"), Some("2026-11-25".into()));
        assert_eq!(
            day("2026/11/02 9:14:03 AM GMT+1"),
            Some("2026-11-02".into())
        );
        // Day and month order depends on the locale: no date unless it is known.
        assert_eq!(day("11/3/2026 14:02:11"), None);
        let ordered = |s: &str, o| export_date(s, Some(o)).map(|d| d.to_string());
        use crate::input::options::DateOrder::{Dmy, Mdy};
        assert_eq!(
            ordered("11/3/2026 14:02:11", Mdy),
            Some("2026-11-03".into())
        );
        assert_eq!(ordered("11/3/26 14:02:11", Dmy), Some("2026-03-11".into()));
        assert_eq!(ordered("1/2/31", Dmy), Some("1931-02-01".into()));
        assert_eq!(ordered("13/3/26", Mdy), None);
        assert_eq!(ordered("3/13/26 9:00", Mdy), Some("2026-03-13".into()));
        assert_eq!(ordered("2026-11-25", Dmy), Some("2026-11-25".into()));
        assert_eq!(ordered("11/3/202", Mdy), None);
        assert_eq!(ordered("111/3/2026", Mdy), None);
        assert_eq!(day("03.11.2026"), None);
        assert_eq!(day("2026-02-30"), None);
        assert_eq!(day("2026-11-250"), None);
        let r = rubric();
        let q = &r.rubric.question[0];
        // Completion beats start; the start column stays ignored.
        let text = format!(
            "Start time,Completion time,{}\n2026-11-01 10:00,2026-11-02 11:00,{}\n11/3/26 9:00,11/3/26 9:30,{}\n",
            q.id, q.option[0].id, q.option[1].id
        );
        let mut rows = from_reader(&r, "d.csv".into(), text.as_bytes()).unwrap();
        assert_eq!(
            rows.header().date_column.as_deref(),
            Some("Completion time")
        );
        assert_eq!(
            rows.header().ignored,
            [crate::input::warning::Heading::Text("Start time".into())]
        );
        let mut row = Row::default();
        rows.next_row(&mut row).unwrap().unwrap();
        assert_eq!(
            row.date.map(|d| d.to_string()).as_deref(),
            Some("2026-11-02")
        );
        rows.next_row(&mut row).unwrap().unwrap();
        assert_eq!((row.date, row.undated), (None, true));
        let warnings: Vec<String> = rows.end_warnings().iter().map(warning_text).collect();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("1 row is left without a date"),
            "{warnings:?}"
        );
    }
}
