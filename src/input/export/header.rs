//! What each column of an export holds, worked out once from its header row, and
//! how one row's cells resolve against the rubric: headers and cells are compared
//! normalised (trimmed, case and white space folded), without allocating per cell.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use csv::StringRecord;

use crate::diag::{ExportFault, InputError};
use crate::input::date::SheetDate;
use crate::input::options::DateOrder;
use crate::input::sheet::{ResolvedSheet, Sheet};
use crate::input::warning::{Heading, MissingQuestion, NameColumn, Undated, Warning};
use crate::origin::Origin;
use crate::rubric::LoadedRubric;
use crate::text::AboutField;
pub(crate) use crate::text::{normalise, normalise_into};

/// The cells of one row, however it was read: the csv crate's record, or a row the
/// parallel reader parsed itself.
pub(crate) trait Cells {
    /// The number of cells.
    fn width(&self) -> usize;
    /// The cell at `i`, if the row is that wide.
    fn cell(&self, i: usize) -> Option<&str>;
    /// The cells in order.
    fn cells(&self) -> impl Iterator<Item = &str>;
}

impl Cells for StringRecord {
    fn width(&self) -> usize {
        self.len()
    }
    fn cell(&self, i: usize) -> Option<&str> {
        self.get(i)
    }
    fn cells(&self) -> impl Iterator<Item = &str> {
        self.iter()
    }
}

/// Finds a question's option from a cell, by option id or label.
#[derive(Debug, Clone)]
pub(super) struct OptionMatcher {
    /// Exact texts (ids and labels as written in the rubric) that resolve, after
    /// normalising, to the same option: the common case of an unedited export,
    /// answered with no normalising at all.
    exact: Vec<(Box<str>, usize)>,
    /// Normalised ids first, then normalised labels: an id wins over a label.
    keys: Vec<(Box<str>, usize)>,
    /// `exact` by a hash of a text's length and three of its bytes, with a seed
    /// chosen so that no two texts share a slot: slot -> 1 + index into `exact`
    /// (0: no text). A cell is then compared with one text, not with each. `None`
    /// when no seed tried separates them all (the list is then searched).
    slots: Option<(u32, Box<[u8; SLOTS]>)>,
}

/// Slots of an [`OptionMatcher`]'s table.
const SLOTS: usize = 256;

/// The slot of `text` under `seed`.
fn slot(seed: u32, text: &[u8]) -> usize {
    let n = text.len();
    let (first, middle, last) = match text {
        [] => (0, 0, 0),
        _ => (text[0], text[n / 2], text[n - 1]),
    };
    let h = (n as u32)
        .wrapping_mul(0x9e37_79b1)
        .wrapping_add(u32::from(first) << 16 | u32::from(middle) << 8 | u32::from(last))
        .wrapping_mul(seed | 1);
    (h >> 24) as usize % SLOTS
}

impl OptionMatcher {
    pub(super) fn new(q: &crate::rubric::Question) -> Self {
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
            slots: None,
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
        m.slots = (1..=4096).find_map(|seed| m.table(seed).map(|t| (seed, t)));
        m
    }

    /// The slots of `exact` under `seed`, if no two texts share one.
    fn table(&self, seed: u32) -> Option<Box<[u8; SLOTS]>> {
        let mut t = Box::new([0u8; SLOTS]);
        for (i, (text, _)) in self.exact.iter().enumerate() {
            let s = &mut t[slot(seed, text.as_bytes())];
            if *s != 0 {
                return None;
            }
            *s = u8::try_from(i + 1).ok()?;
        }
        Some(t)
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
    pub(super) fn find(&self, cell: &str, buf: &mut String) -> Option<usize> {
        buf.clear();
        if cell.is_empty() {
            return None;
        }
        let exact = match &self.slots {
            Some((seed, t)) => match t[slot(*seed, cell.as_bytes())] {
                0 => None,
                i => self
                    .exact
                    .get(usize::from(i) - 1)
                    .filter(|(k, _)| **k == *cell),
            },
            None => self.exact.iter().find(|(k, _)| **k == *cell),
        };
        match exact {
            Some((_, i)) => Some(*i),
            None => self.find_normalised(cell, buf),
        }
    }
}

/// What a column of the export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    /// The answer to the question at this index of the rubric.
    Answer(usize),
    Respondent,
    Role,
    Organisation,
    /// When the response was made (Timestamp, Completion time, EndDate...): the
    /// sheet's date, where the cell writes it unambiguously.
    Date,
    /// Anything else (ID, Email, Start time...).
    Ignored,
}

pub(crate) use crate::diag::Product;

/// How a column marks a response its product counts as unfinished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unfinished {
    /// `0` or `false`.
    Falsy,
    /// One of these values (compared normalised).
    OneOf(&'static [&'static str]),
    /// Any value but these, and not empty.
    NoneOf(&'static [&'static str]),
    /// An empty cell.
    Empty,
}

/// A completion marker of one product: the headers of its column, what marks a
/// response unfinished there, and, where the header alone is too common to be
/// sure, the header of another column of the same product that must be present.
struct Marker {
    headers: &'static [&'static str],
    unfinished: Unfinished,
    with: &'static [&'static str],
}

/// Every completion marker honoured, one per product that has one. Each row cites
/// the product's documented layout; tests/fixtures/surveys/LAYOUTS.md has them all.
/// Products not listed mark nothing in their exports: Google Forms, Microsoft
/// Forms and Tally export submitted responses only, Jotform keeps incomplete ones
/// apart ("Incomplete Submissions"), and SurveyMonkey's export has no column for
/// it (filter on *Completeness* before exporting).
const MARKERS: &[Marker] = &[
    // Qualtrics `Finished`: 1/True once the respondent reached an end, 0/False
    // when the response was closed before (Qualtrics Support, "Understanding Your
    // Dataset").
    Marker {
        headers: &["finished"],
        unfinished: Unfinished::Falsy,
        with: &[],
    },
    // Typeform `Response Type`: completed, partial, started (Typeform's "Retrieve
    // responses" reference). Qualtrics labels its `Status` column so too, with
    // values (IP Address, Survey Preview...) that never match.
    Marker {
        headers: &["response type"],
        unfinished: Unfinished::OneOf(&["partial", "started"]),
        with: &[],
    },
    // Alchemer `Status`: Complete, Partial, Disqualified (apihelp.alchemer.com,
    // "SurveyResponse Returned Fields v5").
    Marker {
        headers: &["status"],
        unfinished: Unfinished::OneOf(&["partial", "disqualified"]),
        with: &[],
    },
    // QuestionPro `Response Status`: Completed, or the state a response stopped in.
    Marker {
        headers: &["response status"],
        unfinished: Unfinished::NoneOf(&["completed", "complete"]),
        with: &[],
    },
    // LimeSurvey `submitdate` ("Date submitted"): empty for a response not
    // submitted (its export's "incomplete" filter is `submitdate IS NULL`).
    Marker {
        headers: &["submitdate", "date submitted"],
        unfinished: Unfinished::Empty,
        with: &["lastpage", "last page", "startlanguage", "start language"],
    },
];

impl Unfinished {
    fn marks(self, cell: &str) -> bool {
        let cell = cell.trim();
        let is = |v: &str| cell.eq_ignore_ascii_case(v);
        match self {
            Unfinished::Falsy => is("0") || is("false"),
            Unfinished::OneOf(values) => values.iter().any(|v| is(v)),
            Unfinished::NoneOf(values) => !cell.is_empty() && !values.iter().any(|v| is(v)),
            Unfinished::Empty => cell.is_empty(),
        }
    }
}

/// The meaning of each column of one export, worked out once from its header rows.
#[derive(Debug, Clone)]
pub(crate) struct HeaderMap {
    /// The whole export, as named in errors about it.
    pub(crate) origin: Origin,
    /// The file as named in its rows' origins.
    file: Arc<Path>,
    /// One entry per header cell.
    pub(crate) columns: Vec<Column>,
    /// The headers of the ignored columns, as written.
    pub(crate) ignored: Vec<Heading>,
    /// The header of the column that dates the rows, if any.
    pub(crate) date_column: Option<String>,
    /// Rubric questions no column answers, with a near header if there is one.
    pub(crate) missing: Vec<MissingQuestion>,
    /// The product the header rows look like.
    pub(crate) product: Product,
    /// Columns that mark unfinished responses: the column, how, its header.
    markers: Vec<(usize, Unfinished, String)>,
    /// The columns that name the respondent (1-based) with their headers, when
    /// there are several: a row's name is the first of them that holds one.
    pub(crate) names: Vec<(usize, String)>,
    /// How the date column writes day and month as numbers (`11/4/26`), when
    /// that is known: told by `--date-order`, or found in its cells.
    pub(crate) date_order: DateEvidence,
    rubric_id: String,
    matchers: Vec<OptionMatcher>,
}

/// Each question's id and text, normalised, to its index: the header names that
/// answer it. Texts go in first and ids last, so an id wins if a text equals one.
pub(super) fn question_names(rubric: &LoadedRubric) -> HashMap<String, usize> {
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

/// A normalised header without one leading code (`g01q01. `, `1) `, `id. `), as
/// LimeSurvey's "question code & question text" headings and numbered forms write
/// them; `None` when there is no such code or nothing follows it.
pub(super) fn strip_code(key: &str) -> Option<&str> {
    let b = key.as_bytes();
    let word = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'[' | b']');
    let len = match b.first()? {
        c if c.is_ascii_digit() => b.iter().take_while(|c| c.is_ascii_digit()).count(),
        c if c.is_ascii_alphabetic() => b.iter().take_while(|c| word(c)).count(),
        _ => return None,
    };
    if !matches!(b.get(len)?, b'.' | b':' | b')') || b.get(len + 1) != Some(&b' ') {
        return None;
    }
    let rest = &key[len + 2..];
    (!rest.is_empty()).then_some(rest)
}

/// A normalised header without Qualtrics' ` - selected choice`, which it puts
/// after the text of a question that has an "other" option with a text box (the
/// box's column is headed `<text> - <option> - Text`).
pub(super) fn strip_choice(key: &str) -> Option<&str> {
    key.strip_suffix(" - selected choice")
        .filter(|rest| !rest.is_empty())
}

/// The question a header names, by id or text, with or without a leading code or
/// Qualtrics' ` - Selected Choice`.
pub(super) fn name_of(names: &HashMap<String, usize>, header: &str) -> Option<usize> {
    let key = normalise(header);
    let bare = |k: &str| {
        names
            .get(k)
            .or_else(|| strip_code(k).and_then(|k| names.get(k)))
            .copied()
    };
    bare(&key).or_else(|| strip_choice(&key).and_then(bare))
}

/// How well a header names the moment a response was made: completion before
/// start; `None` for any other header.
fn date_rank(header: &str) -> Option<u8> {
    let key = normalise(header);
    match key.as_str() {
        "completion time" | "enddate" | "end date" | "recordeddate" | "recorded date"
        | "submitdate" | "submit date" | "date submitted" | "submitted at" | "submission date" => {
            Some(0)
        }
        "timestamp" => Some(1),
        "start time" | "startdate" | "start date" | "date" => Some(2),
        _ => None,
    }
}

/// A date cell read as a day: `2026-11-25` or `2026/11/25` (Google Forms) as they
/// are, `11/25/26` or `25/11/2026` (a spreadsheet's short date, Microsoft Forms
/// saved from Excel) in `order`; alone or followed by a time. `None` when the cell
/// writes no day, or writes its numbers and no order is known.
pub(super) fn export_date(cell: &str, order: Option<DateOrder>) -> Option<SheetDate> {
    let cell = cell.trim();
    if let Some((a, b, year)) = numeric_date(cell) {
        let (month, day) = match order? {
            DateOrder::Mdy => (a, b),
            DateOrder::Dmy => (b, a),
        };
        return SheetDate::new(year, month, day);
    }
    let day = cell.get(..10)?;
    let rest = &cell[10..];
    if !(rest.is_empty() || rest.starts_with([' ', 'T'])) {
        return None;
    }
    let b = day.as_bytes();
    let sep = b[4];
    if !(sep == b'-' || sep == b'/') || b[7] != sep {
        return None;
    }
    SheetDate::parse(&day.replace('/', "-"))
}

/// The numbers of a date written `a/b/yy` or `a/b/yyyy` (one or two digits for
/// `a` and `b`), alone or followed by a space and a time: `a`, `b` and the year,
/// a two-digit one read as Excel reads it (00 to 29: 2000s, else 1900s).
fn numeric_date(cell: &str) -> Option<(u8, u8, u16)> {
    let date = cell.split_once(' ').map_or(cell, |(d, _)| d);
    let mut parts = date.split('/');
    let (a, b, y) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit())
    };
    if parts.next().is_some() || !digits(a, 1..=2) || !digits(b, 1..=2) {
        return None;
    }
    let year: u16 = match y.len() {
        2 if digits(y, 2..=2) => {
            let yy: u16 = y.parse().ok()?;
            if yy < 30 { 2000 + yy } else { 1900 + yy }
        }
        4 if digits(y, 4..=4) => y.parse().ok()?,
        _ => return None,
    };
    Some((a.parse().ok()?, b.parse().ok()?, year))
}

/// What the cells of a date column say about the order of day and month, when
/// they write them as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum DateEvidence {
    /// No cell writes a date that way (or no date column).
    #[default]
    None,
    /// The order given with `--date-order`.
    Given(DateOrder),
    /// Found: a first number above 12 somewhere (day first), or a second one (month
    /// first), and never the other.
    Found(DateOrder),
    /// Every such date could be read either way round (11/4/26).
    Ambiguous,
    /// Some dates have a day first and others a month first.
    Mixed,
}

impl DateEvidence {
    /// What `cells` (a date column's) say; `given` decides whatever they say.
    pub(crate) fn of<'c>(cells: impl Iterator<Item = &'c str>, given: Option<DateOrder>) -> Self {
        if let Some(order) = given {
            return DateEvidence::Given(order);
        }
        let (mut any, mut day_first, mut month_first) = (false, false, false);
        for (a, b, _) in cells.filter_map(|c| numeric_date(c.trim())) {
            any = true;
            day_first |= a > 12;
            month_first |= b > 12;
        }
        match (any, day_first, month_first) {
            (false, ..) => DateEvidence::None,
            (true, true, true) => DateEvidence::Mixed,
            (true, true, false) => DateEvidence::Found(DateOrder::Dmy),
            (true, false, true) => DateEvidence::Found(DateOrder::Mdy),
            (true, false, false) => DateEvidence::Ambiguous,
        }
    }

    /// The order to read numeric dates in, when known.
    pub(crate) fn order(self) -> Option<DateOrder> {
        match self {
            DateEvidence::Given(o) | DateEvidence::Found(o) => Some(o),
            _ => None,
        }
    }
}

/// The respondent, role or organisation column a header names.
fn meta_of(header: &str) -> Option<Column> {
    let key = normalise(header);
    let meta = |k: &str| {
        crate::text::about_field(k).map(|f| match f {
            AboutField::Respondent => Column::Respondent,
            AboutField::Role => Column::Role,
            AboutField::Organisation => Column::Organisation,
        })
    };
    meta(&key).or_else(|| strip_code(&key).and_then(meta))
}

/// Qualtrics' third header row: `{"ImportId":"QID1"}`.
pub(super) fn is_import_id(cell: &str) -> bool {
    cell.trim_start().starts_with("{\"ImportId\"")
}

/// SurveyMonkey's second header row says this under a question's one column.
fn is_response_label(key: &str) -> bool {
    matches!(key, "response" | "open-ended response")
}

/// Whether `row`, read right after the header row `first`, is another header row:
/// Qualtrics' import ids, a row naming questions (Qualtrics' question texts under
/// `Q1`, `Q2`...) or SurveyMonkey's `Response` row under the questions. A row of
/// answers is none of these: its cells are option labels, not question texts.
pub(super) fn is_extra_header(
    names: &HashMap<String, usize>,
    first: &StringRecord,
    row: &StringRecord,
) -> bool {
    let filled = || row.iter().filter(|c| !c.trim().is_empty());
    if filled().next().is_none() {
        return false;
    }
    if filled().all(is_import_id) {
        return true;
    }
    let named = |r: &StringRecord| r.iter().filter(|h| name_of(names, h).is_some()).count();
    let here = named(row);
    if here > 0 && here * 2 >= named(first) {
        return true;
    }
    let leading_blank = row.get(0).is_some_and(|c| c.trim().is_empty());
    leading_blank && filled().any(|c| is_response_label(&normalise(c)))
}

/// Whether the first rows of an export are one respondent per column: a column
/// whose cells, one a row, name at least two questions while the first row names
/// at most one. The column (0-based) and how many questions it names.
pub(super) fn transposed(
    names: &HashMap<String, usize>,
    rows: &[&StringRecord],
) -> Option<(usize, usize)> {
    let first = rows.first()?;
    if first.iter().filter(|h| name_of(names, h).is_some()).count() > 1 {
        return None;
    }
    let width = rows.iter().map(|r| r.len()).max()?;
    (0..width)
        .map(|col| {
            let mut named: Vec<usize> = rows
                .iter()
                .filter_map(|r| name_of(names, r.get(col)?))
                .collect();
            named.sort_unstable();
            named.dedup();
            (col, named.len())
        })
        .filter(|(_, n)| *n >= 2)
        .max_by_key(|(col, n)| (*n, std::cmp::Reverse(*col)))
}

/// What the header rows look like, for the wording of a hint.
fn product_of(rows: &[StringRecord]) -> Product {
    let keys: Vec<String> = rows[0].iter().map(normalise).collect();
    let has = |k: &str| keys.iter().any(|x| x == k);
    let cells = || rows.iter().flat_map(StringRecord::iter);
    if cells().any(is_import_id) || (has("responseid") && has("finished")) {
        Product::Qualtrics
    } else if (has("respondent id") && has("collector id"))
        || cells().any(|c| is_response_label(&normalise(c)))
    {
        Product::SurveyMonkey
    } else if has("id. response id")
        || keys.iter().any(|k| k.starts_with("submitdate. "))
        || (has("submitdate") || has("date submitted"))
            && (has("lastpage") || has("last page") || has("startlanguage"))
    {
        Product::LimeSurvey
    } else {
        Product::Other
    }
}

impl HeaderMap {
    /// Maps the header rows: the first, then any extra ones ([`is_extra_header`]).
    /// A column answers a question if any of its header cells names one. Fails when
    /// no column answers a question of the rubric or when two answer the same one;
    /// the error names `line`, the line (or worksheet row) of the first header row.
    pub(crate) fn new(
        rubric: &LoadedRubric,
        path: &Origin,
        rows: &[StringRecord],
        line: usize,
    ) -> Result<Self, InputError> {
        let r = &rubric.rubric;
        let by_name = question_names(rubric);
        let width = rows[0].len();
        let mut columns = Vec::with_capacity(width);
        let mut ignored = Vec::new();
        let mut markers = Vec::new();
        let mut names = Vec::new();
        let keys_of = |row: &StringRecord| -> Vec<String> { row.iter().map(normalise).collect() };
        let all_keys: Vec<Vec<String>> = rows.iter().map(keys_of).collect();
        let has_key = |k: &str| {
            all_keys
                .iter()
                .flatten()
                .any(|x| x == k || strip_code(x) == Some(k))
        };
        let mut seen: Vec<Option<usize>> = vec![None; r.question.len()];
        // The best date column so far: (rank, column, header).
        let mut date: Option<(u8, usize, String)> = None;
        for col in 0..width {
            let cells = || rows.iter().map(move |row| row.get(col).unwrap_or(""));
            let kind = match cells().find_map(|h| name_of(&by_name, h)) {
                Some(qi) => {
                    if let Some(first) = seen[qi] {
                        let fault = ExportFault::SameQuestion {
                            first: first + 1,
                            second: col + 1,
                            question: r.question[qi].id.clone(),
                        };
                        return Err(InputError::new(path, fault).at_line(line));
                    }
                    seen[qi] = Some(col);
                    Column::Answer(qi)
                }
                None => cells().find_map(meta_of).unwrap_or(Column::Ignored),
            };
            // The header as people know it: not Qualtrics' import id.
            let label = cells()
                .map(str::trim)
                .find(|h| !h.is_empty() && !is_import_id(h));
            let keys = || {
                cells().map(|c| {
                    let k = normalise(c);
                    strip_code(&k).map_or_else(|| k.clone(), str::to_string)
                })
            };
            let marker = MARKERS.iter().find(|m| {
                keys().any(|k| m.headers.contains(&k.as_str()))
                    && (m.with.is_empty() || m.with.iter().any(|w| has_key(w)))
            });
            if let Some(m) = marker {
                markers.push((col, m.unfinished, label.unwrap_or_default().into()));
            }
            if kind == Column::Respondent {
                names.push((col + 1, label.unwrap_or_default().to_string()));
            }
            let rank = (kind == Column::Ignored)
                .then(|| cells().filter_map(date_rank).min())
                .flatten();
            if let Some(rank) = rank
                && date.as_ref().is_none_or(|d| rank < d.0)
            {
                // A better date column: the one it replaces is ignored after all.
                if let Some((_, c, h)) = date.replace((rank, col, label.unwrap_or_default().into()))
                {
                    columns[c] = Column::Ignored;
                    ignored.push(Heading::Text(h));
                }
                columns.push(Column::Date);
                continue;
            }
            if kind == Column::Ignored {
                ignored.push(label.map_or(Heading::Blank { column: col + 1 }, |h| {
                    Heading::Text(h.to_string())
                }));
            }
            columns.push(kind);
        }
        if seen.iter().all(Option::is_none) {
            return Err(no_question(r, path, &rows[0], line, product_of(rows)));
        }
        if names.len() < 2 {
            names.clear();
        }
        let missing = missing_questions(rubric, &seen, &ignored);
        Ok(HeaderMap {
            origin: path.clone(),
            file: path.row_file(),
            columns,
            ignored,
            date_column: date.map(|d| d.2),
            missing,
            product: product_of(rows),
            markers,
            names,
            date_order: DateEvidence::None,
            rubric_id: r.id.clone(),
            matchers: r.question.iter().map(OptionMatcher::new).collect(),
        })
    }

    /// The warnings that come once the rows are read and counted: unfinished
    /// responses left out, rows left without a date, which column named the
    /// respondents.
    pub(crate) fn end_warnings(&self, tally: &Tally) -> Vec<Warning> {
        let file = || self.origin.clone();
        let mut out = Vec::new();
        if tally.unfinished > 0 {
            let column = tally
                .marker
                .and_then(|m| self.markers.get(m))
                .map(|(_, _, h)| h.clone())
                .unwrap_or_default();
            out.push(Warning::PartialSkipped {
                file: file(),
                count: tally.unfinished,
                column,
                marks: tally.marks.clone(),
            });
        }
        if tally.undated > 0 {
            let why = match self.date_order {
                DateEvidence::Ambiguous => Undated::Ambiguous,
                DateEvidence::Mixed => Undated::Mixed,
                _ => Undated::Unreadable,
            };
            out.push(Warning::UndatedRows {
                file: file(),
                count: tally.undated,
                column: self.date_column.clone().unwrap_or_default(),
                why,
            });
        }
        if !self.names.is_empty() {
            let columns = self
                .names
                .iter()
                .enumerate()
                .map(|(i, (column, header))| NameColumn {
                    column: *column,
                    header: header.clone(),
                    rows: tally.named.get(i).copied().unwrap_or(0),
                })
                .collect();
            out.push(Warning::NameColumns {
                file: file(),
                columns,
            });
        }
        out
    }

    /// The warnings about the header: ignored columns, unanswered questions.
    pub(crate) fn warnings(&self) -> Vec<Warning> {
        let mut out = Vec::new();
        if !self.ignored.is_empty() {
            out.push(Warning::IgnoredColumns {
                file: self.origin.clone(),
                columns: self.ignored.clone(),
            });
        }
        if !self.missing.is_empty() {
            out.push(Warning::MissingQuestions {
                file: self.origin.clone(),
                questions: self.missing.clone(),
            });
        }
        out
    }

    /// The column (an index into the completion markers) that marks `record` as an
    /// unfinished response, and its cell, if one does.
    pub(crate) fn unfinished<'c>(&self, record: &'c impl Cells) -> Option<(usize, &'c str)> {
        self.markers
            .iter()
            .enumerate()
            .find_map(|(i, (col, how, _))| {
                let cell = record.cell(*col)?;
                how.marks(cell).then_some((i, cell.trim()))
            })
    }

    /// Whether a row's answers are all numeric or answer codes (`4`, `A2`,
    /// `AO03`) that name no option: an export of codes rather than texts.
    pub(crate) fn coded(&self, record: &impl Cells) -> bool {
        let mut buf = String::new();
        let mut any = false;
        for (kind, cell) in self.columns.iter().zip(record.cells()) {
            let Column::Answer(qi) = kind else { continue };
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            if !is_code(cell) || self.matchers[*qi].find(cell, &mut buf).is_some() {
                return false;
            }
            any = true;
        }
        any
    }

    /// Resolves one row into `row`, reusing its buffers: no allocation unless the row
    /// is bad. (A reader thread does this; the thread that scores makes the sheet, so
    /// memory is allocated and freed on one thread.)
    pub(crate) fn resolve_into(
        &self,
        rubric: &LoadedRubric,
        line: u64,
        record: &impl Cells,
        buf: &mut String,
        row: &mut Row,
    ) -> Result<(), InputError> {
        row.line = line;
        row.choices.clear();
        row.choices.resize(rubric.rubric.question.len(), None);
        for m in &mut row.meta {
            m.clear();
        }
        row.date = None;
        row.undated = false;
        row.named = None;
        let mut name_column = 0;
        for (kind, cell) in self.columns.iter().zip(record.cells()) {
            let field = match kind {
                Column::Ignored => continue,
                Column::Date => {
                    row.date = export_date(cell, self.date_order.order());
                    row.undated = row.date.is_none() && !cell.trim().is_empty();
                    continue;
                }
                Column::Respondent => {
                    // Where several columns name the respondent (Microsoft Forms' own
                    // "Name", "anonymous" when anyone can answer, and a question of
                    // the form's), the first that holds a name wins.
                    let cell = cell.trim();
                    let holds = |c: &str| !c.is_empty() && !c.eq_ignore_ascii_case("anonymous");
                    if row.meta[0].is_empty() || (!holds(&row.meta[0]) && holds(cell)) {
                        row.meta[0].clear();
                        row.meta[0].push_str(cell);
                        row.named = (!cell.is_empty()).then_some(name_column);
                    }
                    name_column += 1;
                    continue;
                }
                Column::Answer(qi) => {
                    match self.matchers[*qi].find(cell, buf) {
                        Some(oi) => row.choices[*qi] = Some(oi),
                        // Normalising left nothing: a blank cell, unanswered.
                        None if buf.is_empty() => {}
                        None => {
                            let source = self.row_origin(line);
                            return Err(unknown_answer(rubric, source, *qi, cell));
                        }
                    }
                    continue;
                }
                Column::Role => &mut row.meta[1],
                Column::Organisation => &mut row.meta[2],
            };
            if field.is_empty() {
                field.push_str(cell.trim());
            }
        }
        Ok(())
    }

    /// The export's path, as its rows' origins name it.
    pub(crate) fn file(&self) -> &Path {
        &self.file
    }

    /// The origin of the row at `line`.
    pub(crate) fn row_origin(&self, line: u64) -> Origin {
        Origin::Row {
            file: self.file.clone(),
            line,
        }
    }

    /// The sheet of a resolved row.
    pub(crate) fn sheet(&self, row: &Row) -> ResolvedSheet {
        self.sheet_in(row, &self.file)
    }

    /// [`Self::sheet`], its origin naming `file`: a copy of the export's path that
    /// one thread keeps for the rows it makes, so that threads making rows at once
    /// do not all count their references to one shared path.
    pub(crate) fn sheet_in(&self, row: &Row, file: &Arc<Path>) -> ResolvedSheet {
        debug_assert_eq!(**file, *self.file);
        let text = |s: &String| (!s.is_empty()).then(|| s.clone());
        ResolvedSheet {
            source: Origin::Row {
                file: file.clone(),
                line: row.line,
            },
            sheet: Sheet {
                rubric: self.rubric_id.clone(),
                respondent: text(&row.meta[0]),
                role: text(&row.meta[1]),
                organisation: text(&row.meta[2]),
                date: row.date,
                ..Sheet::default()
            },
            choices: row.choices.clone(),
            unknown: Vec::new(),
            warnings: Vec::new(),
            format: crate::input::sheet::SheetFormat::Csv,
            text: None,
        }
    }
}

/// A row resolved into reusable buffers (see [`HeaderMap::resolve_into`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    /// The line of the file the row starts on.
    pub(crate) line: u64,
    /// Per rubric question, the index of the chosen option.
    pub(crate) choices: Vec<Option<usize>>,
    /// Respondent, role and organisation; empty when not given.
    pub(crate) meta: [String; 3],
    /// The row's date, where its date cell writes one unambiguously.
    pub(crate) date: Option<SheetDate>,
    /// Whether the row has a date cell that could not be read as a day.
    pub(crate) undated: bool,
    /// Which of the columns that name the respondent gave the name (0-based, in
    /// column order).
    pub(crate) named: Option<usize>,
}

/// What reading an export's rows counted, for the warnings at its end: each
/// thread that reads rows keeps one, and they are added up in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tally {
    /// Unfinished responses left out.
    pub(crate) unfinished: u64,
    /// The marker of the first of them (an index into the header's markers), and
    /// the values that marked them, the first few distinct ones.
    marker: Option<usize>,
    marks: Vec<String>,
    /// Rows whose date cell could not be read as a day.
    pub(crate) undated: u64,
    /// Per column that names the respondent (when several do), the rows it named.
    named: Vec<u64>,
}

/// At most this many distinct values that marked responses unfinished are kept.
const MARKS_KEPT: usize = 4;

impl Tally {
    /// A response left out, marked unfinished by `mark` in marker `marker`.
    pub(crate) fn left_out(&mut self, marker: usize, mark: &str) {
        self.unfinished += 1;
        self.marker.get_or_insert(marker);
        if self.marks.len() < MARKS_KEPT && !self.marks.iter().any(|m| m == mark) {
            self.marks.push(mark.to_string());
        }
    }

    /// A row read and resolved.
    pub(crate) fn row(&mut self, row: &Row) {
        self.undated += u64::from(row.undated);
        if let Some(i) = row.named {
            if self.named.len() <= i {
                self.named.resize(i + 1, 0);
            }
            self.named[i] += 1;
        }
    }

    /// Adds the counts of the rows read after these.
    pub(crate) fn add(&mut self, later: &Tally) {
        self.unfinished += later.unfinished;
        if self.marker.is_none() {
            self.marker = later.marker;
        }
        for m in &later.marks {
            if self.marks.len() < MARKS_KEPT && !self.marks.contains(m) {
                self.marks.push(m.clone());
            }
        }
        self.undated += later.undated;
        if self.named.len() < later.named.len() {
            self.named.resize(later.named.len(), 0);
        }
        for (n, m) in self.named.iter_mut().zip(&later.named) {
            *n += m;
        }
    }
}

/// `4`, `12`, `A2`, `AO03`: how exports write an answer by its code.
fn is_code(cell: &str) -> bool {
    let digits = cell
        .strip_prefix(['A', 'a'])
        .map(|c| c.strip_prefix(['O', 'o']).unwrap_or(c))
        .unwrap_or(cell);
    (1..=2).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The error of a header row that names no question, with the product it looks
/// like (LimeSurvey's question codes get a hint).
fn no_question(
    r: &crate::rubric::Rubric,
    path: &Origin,
    headers: &StringRecord,
    line: usize,
    product: Product,
) -> InputError {
    let fault = ExportFault::NoQuestionColumn {
        rubric: r.id.clone(),
        headers: headers.iter().take(8).map(String::from).collect(),
        more: headers.len() > 8,
        product,
    };
    InputError::new(path, fault).at_line(line)
}

/// At most this many ignored headers are compared with an unanswered question.
const NEAR_CANDIDATES: usize = 2000;

/// The questions no column answers, each with the ignored header closest to its
/// text when one is close (a typing slip, a word changed).
fn missing_questions(
    rubric: &LoadedRubric,
    seen: &[Option<usize>],
    ignored: &[Heading],
) -> Vec<MissingQuestion> {
    let headers: Vec<(String, &String)> = ignored
        .iter()
        .take(NEAR_CANDIDATES)
        .filter_map(|h| match h {
            Heading::Text(h) => Some(h),
            Heading::Blank { .. } => None,
        })
        .map(|h| {
            let key = normalise(h);
            (strip_code(&key).unwrap_or(&key).to_string(), h)
        })
        .collect();
    let questions = &rubric.rubric.question;
    seen.iter()
        .zip(questions)
        .filter(|(s, _)| s.is_none())
        .map(|(_, q)| {
            let text: Vec<char> = normalise(&q.text).chars().collect();
            let most = (text.len() / 10).max(2);
            let closest = headers
                .iter()
                .filter(|(k, _)| k.chars().count().abs_diff(text.len()) <= most)
                .map(|(k, h)| (distance(&text, k), *h))
                .filter(|(d, _)| *d <= most)
                .min_by_key(|(d, _)| *d)
                .map(|(_, h)| h.clone());
            MissingQuestion {
                id: q.id.clone(),
                text: q.text.clone(),
                closest,
            }
        })
        .collect()
}

/// The edit distance between two texts, in characters.
fn distance(a: &[char], b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let swap = prev[j] + usize::from(ca != cb);
            cur[j + 1] = swap.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn unknown_answer(rubric: &LoadedRubric, source: Origin, qi: usize, cell: &str) -> InputError {
    let q = &rubric.rubric.question[qi];
    let fault = ExportFault::UnknownAnswer {
        cell: cell.to_string(),
        options: q
            .option
            .iter()
            .map(|o| (o.label.clone(), o.id.clone()))
            .collect(),
    };
    InputError::new(source, fault).with_key(&q.id)
}
