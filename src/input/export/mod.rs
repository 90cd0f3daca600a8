//! Survey exports (Google Forms, Microsoft Forms "CSV UTF-8") read as answer sheets,
//! one sheet per row.
//!
//! A file is mapped once: its header row becomes a [`HeaderMap`] (which column answers
//! which question, which columns carry the respondent's name, role and organisation,
//! which are ignored). Rows are then resolved one at a time against that map without
//! allocating per cell, so a million-row export streams in flat memory.
//! `header` matches headers and cells, `sniff` finds the separator, `lines` numbers
//! the rows as an editor would.

mod header;
mod lines;
mod sniff;

use std::io::Read;
use std::path::Path;

use csv::StringRecord;

pub use header::{Column, HeaderMap, Row, normalise, normalise_into};
use lines::Lines;

use crate::diag::InputError;
use crate::input::decode::{Opened, io_reason, open_input};
use crate::input::sheet::ResolvedSheet;
use crate::origin::Origin;
use crate::rubric::LoadedRubric;

/// The rows of one export, read and resolved one at a time.
pub struct CsvSheets<'r, R: Read> {
    rubric: &'r LoadedRubric,
    reader: csv::Reader<Lines<R>>,
    header: HeaderMap,
    record: StringRecord,
    buf: String,
    done: bool,
}

/// Opens an export file and maps its header row (a pipe nobody writes to is
/// refused, as [`open_input`] says).
pub fn open<'r>(
    rubric: &'r LoadedRubric,
    path: &Path,
) -> Result<CsvSheets<'r, Opened>, InputError> {
    from_reader(rubric, Origin::from(path), open_input(path)?)
}

/// Reads an export from any reader (stdin, a string in tests); `source` names it.
pub fn from_reader<R: Read>(
    rubric: &LoadedRubric,
    source: Origin,
    mut reader: R,
) -> Result<CsvSheets<'_, R>, InputError> {
    // The first line decides the separator; what was read for it is read again.
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    // Up to the end of the first line that is not blank (the header).
    let has_header_line = |head: &[u8]| {
        head.split_inclusive(|&b| b == b'\n')
            .any(|l| l.ends_with(b"\n") && !sniff::is_blank(l))
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
    let delimiter = sniff::separator(&head, rubric);
    // 64 KiB of read buffer: larger gains nothing measurable.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .delimiter(delimiter)
        .buffer_capacity(64 * 1024)
        .from_reader(Lines::new(head, reader));
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_error(&source, &source.row_file(), &e, Some(1))),
    };
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(InputError::new(
            source,
            "is empty; expected a header row naming the questions",
        ));
    }
    let header = HeaderMap::new(rubric, &source, &headers)?;
    Ok(CsvSheets {
        rubric,
        reader,
        header,
        record: StringRecord::new(),
        buf: String::new(),
        done: false,
    })
}

/// An error of the csv reader, as an error about the row it happened in (`line`,
/// found as for rows), or about the whole file.
fn csv_error(
    source: &Origin,
    file: &std::sync::Arc<Path>,
    e: &csv::Error,
    line: Option<u64>,
) -> InputError {
    let at = |line: Option<u64>| match line {
        Some(line) => Origin::Row {
            file: file.clone(),
            line,
        },
        None => source.clone(),
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

    /// The line a row starts on, from the position the reader gives it.
    fn line_at(&mut self, pos: Option<&csv::Position>) -> u64 {
        pos.map_or(0, |p| self.reader.get_mut().line_at(p.byte()))
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
                    let file = self.header.origin.row_file();
                    return Some(Err(csv_error(&self.header.origin, &file, &e, line)));
                }
            }
        }
    }

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
    use super::header::OptionMatcher;
    use super::sniff::separator;
    use super::*;
    use crate::render::warning::warning_text;

    fn rubric() -> LoadedRubric {
        LoadedRubric::embedded().unwrap()
    }

    type Rows = Result<Vec<Result<ResolvedSheet, InputError>>, InputError>;

    fn rows(text: &str) -> (Rows, Option<String>) {
        let r = rubric();
        match from_reader(&r, "f.csv".into(), text.as_bytes()) {
            Ok(it) => {
                let w = it.header().warning().map(|w| warning_text(&w));
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
        assert_eq!(s.source.to_string(), "f.csv:2");
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
        assert_eq!(e.source.to_string(), "f.csv:3");
        assert_eq!(e.key.as_deref(), Some(q.id.as_str()));
        assert!(e.message.contains(&q.option[3].label), "{}", e.message);
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
    fn short_row_is_an_error_and_reading_goes_on() {
        let r = rubric();
        let q = &r.rubric.question[0];
        let text = format!("{},name\n{}\n{},Bo\n", q.id, q.option[0].id, q.option[1].id);
        let (sheets, _) = rows(&text);
        let sheets = sheets.unwrap();
        let e = sheets[0].as_ref().unwrap_err();
        assert_eq!(e.source.to_string(), "f.csv:2");
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
        assert!(e.message.contains("2 rows"), "{}", e.message);
        std::fs::write(&path, format!("{},role\n", q.text)).unwrap();
        let e = load(&r, &input).unwrap_err();
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
