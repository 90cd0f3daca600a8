//! The words of every error the library reports: each kind of [`Fault`] (and of
//! the rubric's lints, the parsers' notes, the command-line rules of `check`) is
//! worded here, one function per concern, and nowhere else. `Display` and the JSON
//! of an [`InputError`] are made here too, so that a translated interface changes
//! this file and the warnings' (`render::warning`), not the data.

use std::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::check::BadRule;
use crate::diag::{
    Bound, ExportFault, Fault, FileFault, InputError, InputErrors, IoReason, Item, ParseNote,
    Product, RubricFault, Rule, SheetFault,
};
use crate::lint::{Finding, Lint, TextPlace, Threshold};
use crate::render::num::plain;
use crate::rubric::{Band, Scoring, UnknownBand};

/// What is wrong, in words, without the location.
pub fn message(e: &InputError) -> String {
    fault_text(&e.kind)
}

/// A kind of error in words.
pub(crate) fn fault_text(f: &Fault) -> String {
    match f {
        Fault::Syntax(words) => words.clone(),
        Fault::File(f) => file_text(f),
        Fault::Sheet(f) => sheet_text(f),
        Fault::Export(f) => export_text(f),
        Fault::Rubric(f) => rubric_text(f),
    }
}

/// The reason of an I/O error in a few plain words, without Rust's "(os error 2)".
pub(crate) fn io_reason_text(r: &IoReason) -> String {
    match r {
        IoReason::NotFound => "no such file".into(),
        IoReason::PermissionDenied => "permission denied".into(),
        IoReason::Other(s) => match s.find(" (os error") {
            Some(i) => s[..i].to_string(),
            None => s.clone(),
        },
    }
}

/// [`io_reason_text`] of an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    io_reason_text(&IoReason::of(e))
}

/// A header or cell for an error message, quoted, shortened if very long.
pub(crate) fn shown(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("\"{cut}...\"")
    } else {
        format!("\"{s}\"")
    }
}

/// A problem reading a path, in words.
pub(crate) fn file_text(f: &FileFault) -> String {
    match f {
        FileFault::Unreadable(r) => format!("could not read: {}", io_reason_text(r)),
        FileFault::FolderUnreadable(r) => format!("could not read folder: {}", io_reason_text(r)),
        FileFault::NoSuchPath => "no such file or folder".into(),
        FileFault::IsFolder => "is a folder, expected a file".into(),
        FileFault::NoWriter => {
            "is a named pipe (FIFO) that nothing is writing to; not read (name a regular file)"
                .into()
        }
        FileFault::TooLarge { limit_mib } => format!(
            "is larger than {limit_mib} MiB, the size limit for a sheet or rubric; is it the right file?"
        ),
        FileFault::Utf16 { big_endian } => format!(
            "is UTF-16 text ({}); save it as UTF-8 and try again",
            if *big_endian {
                "big-endian"
            } else {
                "little-endian"
            }
        ),
        FileFault::Binary => "looks like a binary file, expected text".into(),
        FileFault::NotUtf8 { byte } => format!("is not valid UTF-8 (byte {byte})"),
        FileFault::Empty => "is empty".into(),
        FileFault::NoSheetInFolder => {
            "folder holds no sheet (.toml, .json) or survey export (.csv, .tsv, .xlsx, .ods...)"
                .into()
        }
        FileFault::Unsupported => "unsupported file type; expected a sheet (.toml, .json) or a \
                                   survey export (.csv, .tsv, .txt, .xlsx, .xls, .ods)"
            .into(),
        FileFault::Skipped => "skipped".into(),
        FileFault::WorkbookNotAFile => {
            "is not a regular file; a workbook is read from a file".into()
        }
        FileFault::Stopped => "reading stopped here: pmo-vmo failed inside (a bug, please \
                               report it); the rest of the run was not read"
            .into(),
        FileFault::NoThread(r) => format!(
            "could not read: no thread to read on could be started ({})",
            io_reason_text(r)
        ),
    }
}

/// A problem with a sheet, in words.
pub(crate) fn sheet_text(f: &SheetFault) -> String {
    match f {
        SheetFault::CutShort => {
            "the file ends before the sheet does (a closing `}` or `]` is missing?)".into()
        }
        SheetFault::TrailingText => "unexpected text after the sheet's closing brace".into(),
        SheetFault::CsvHasNoKeys => {
            "a CSV export holds one sheet per row and has no sheet keys to parse".into()
        }
        SheetFault::OtherRubric { sheet, rubric } => {
            format!("this sheet answers rubric `{sheet}`, but the rubric in use is `{rubric}`")
        }
        SheetFault::UnknownQuestion { question } => format!("unknown question `{question}`"),
        SheetFault::UnknownOption {
            question,
            option,
            valid,
        } => format!(
            "unknown option `{option}` for question `{question}`; valid options: {}",
            valid.join(", ")
        ),
        SheetFault::NoteForUnknownQuestion { question } => {
            format!("note for unknown question `{question}`")
        }
        SheetFault::MinMargin { found } => format!(
            "min-margin must be a number of index points from 0 to 100, found {}",
            plain(*found)
        ),
        SheetFault::NothingAnswered => {
            "no question is answered, so there is nothing to score".into()
        }
        SheetFault::TooManyItems { most } => format!(
            "holds more than {most} keys, tables and arrays, where an answer sheet holds \
             one answer and one note per question; is it the right file?"
        ),
    }
}

/// A problem with a survey export or one of its rows, in words.
pub(crate) fn export_text(f: &ExportFault) -> String {
    match f {
        ExportFault::NoHeader => "is empty; expected a header row naming the questions".into(),
        ExportFault::NoRows => "holds a header row but no answers".into(),
        ExportFault::RowsWhereOne { rows } => {
            format!("holds {rows} rows where one sheet was expected")
        }
        ExportFault::RowWidth { cells, header } => {
            format!("this row has {cells} cells, but the header row has {header}")
        }
        ExportFault::RowTooLong { limit_mb } => format!(
            "this row is over the size limit of {limit_mb} MB, far longer than any answers; \
             is this a survey export?"
        ),
        ExportFault::CellNotUtf8 { cell } => format!(
            "cell {cell} is not valid UTF-8; name the file's encoding with --encoding \
             (for example windows-1252), or export it as \"CSV UTF-8\""
        ),
        ExportFault::Csv(words) => words.clone(),
        ExportFault::Coded(product) => coded_hint(*product).into(),
        ExportFault::SameQuestion {
            first,
            second,
            question,
        } => format!(
            "columns {first} and {second} both answer question `{question}`; keep one of them"
        ),
        ExportFault::NoQuestionColumn {
            rubric,
            headers,
            more,
            product,
        } => {
            let headers: Vec<String> = headers.iter().map(|h| shown(h)).collect();
            let hint = match product {
                Product::LimeSurvey => {
                    "; they are LimeSurvey's question codes: export the responses again \
                     with the headings as \"Full question text\" (or \"Question code & \
                     question text\") and the responses as \"Full answers\""
                }
                _ => "",
            };
            format!(
                "no column header names a question of rubric `{rubric}` (by id or text); \
                 the headers are {}{}{hint}",
                headers.join(", "),
                if *more { ", ..." } else { "" }
            )
        }
        ExportFault::Transposed { column, questions } => format!(
            "no column header names a question, but the cells of column {} (column \
             {column}) name {questions} questions, one a row: the sheet looks transposed, \
             one respondent per column; export it with one respondent per row, or \
             transpose it (in a spreadsheet: copy, then Paste Special, Transpose)",
            column_letters(*column)
        ),
        ExportFault::UnknownAnswer { cell, options } => {
            let valid: Vec<String> = options
                .iter()
                .map(|(label, id)| format!("\"{label}\" ({id})"))
                .collect();
            format!(
                "unknown answer {}; valid answers (label or id): {}",
                shown(cell),
                valid.join(", ")
            )
        }
        ExportFault::Workbook(words) => format!("could not be read as a workbook: {words}"),
        ExportFault::NoWorksheetNamed { want, names } => {
            let list: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            format!(
                "has no worksheet named \"{want}\"; its worksheets are {}",
                list.join(", ")
            )
        }
        ExportFault::NoWorksheet => "holds no worksheet".into(),
        ExportFault::Worksheet { name, reason } => {
            format!("could not read worksheet \"{name}\": {reason}")
        }
        ExportFault::WorkbookTooLarge { sheet, bound, most } => {
            too_large_text(sheet.as_deref(), *bound, *most)
        }
    }
}

/// A column's letters as a spreadsheet names it: 1 is A, 27 is AA.
fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        let rem = (column - 1) % 26;
        letters.push(b'A' + rem as u8);
        column = (column - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A workbook over a bound, in words.
fn too_large_text(sheet: Option<&str>, bound: Bound, most: u64) -> String {
    let what = match bound {
        Bound::Cells => format!("holds more than {most} cells with text"),
        Bound::Text => format!("holds more than {} MiB of text", most >> 20),
        Bound::Area => {
            format!("spans more than {most} cells (its rows with text times its columns)")
        }
        Bound::Parts => format!(
            "has more than {} MiB of shared strings and styles to inflate",
            most >> 20
        ),
        Bound::SharedStrings => {
            "announces more shared strings than it holds; it is damaged".to_string()
        }
        Bound::Order => "has its cells out of row order".to_string(),
        Bound::Run => format!("holds more than {} MiB of text in one cell", most >> 20),
        Bound::XlsArea => format!(
            "has a worksheet that spans more than {most} cells (its rows times its columns), \
             which an .xls is read into at once (save it as .xlsx or CSV)"
        ),
    };
    let whose = match sheet {
        Some(name) => format!("worksheet {} ", shown(name)),
        None => String::new(),
    };
    format!("{whose}{what}, far more than any survey export; is it the right file?")
}

/// What to do about an export of answer codes, in the words of the product it
/// comes from.
fn coded_hint(product: Product) -> &'static str {
    match product {
        Product::Qualtrics => {
            "the answers are numeric codes (Qualtrics' \"numeric values\"); download the \
             data again with \"Use choice text\""
        }
        Product::SurveyMonkey => {
            "the answers are numbers, not answer texts; export the responses again from \
             SurveyMonkey with the cells as \"Actual Answer Text\""
        }
        Product::LimeSurvey => {
            "the answers are answer codes; export the responses again from LimeSurvey \
             with \"Full answers\" instead of \"Answer codes\""
        }
        Product::Other => {
            "the answers are numbers or codes, not the options' labels; export the \
             answers as text"
        }
    }
}

/// The name of a kind of rubric item, as its table is named.
fn item_name(item: Item) -> &'static str {
    match item {
        Item::Rubric => "rubric",
        Item::Factor => "factor",
        Item::Question => "question",
        Item::Option => "option",
        Item::Gate => "gate",
        Item::Axis => "axis",
        Item::Outcome => "outcome",
        Item::Office => "office",
        Item::Role => "role",
    }
}

/// A gate or a next step's `unless`, named.
fn rule_name(rule: &Rule) -> String {
    match rule {
        Rule::Gate { id } => format!("gate `{id}`"),
        Rule::NextStep { band, n } => format!("next step {n} of `{band}`"),
        Rule::AxisMember { axis, n } => format!("member {n} of axis `{axis}`"),
        Rule::Outcome { id } => format!("outcome `{id}`"),
        Rule::Office { id } => format!("office `{id}`"),
        Rule::Variant { outcome, n } => format!("variant {n} of outcome `{outcome}`"),
        Rule::OptionVariant { question, option } => {
            format!("a variant of option `{option}` of question `{question}`")
        }
        Rule::OutcomeStep { outcome, n } => format!("next step {n} of outcome `{outcome}`"),
    }
}

/// A problem with a rubric, in words.
pub(crate) fn rubric_text(f: &RubricFault) -> String {
    match f {
        RubricFault::Empty => "the rubric is empty".into(),
        RubricFault::NotKebab { item, id } => format!(
            "{} id `{id}` must be kebab-case (a-z, 0-9 and -)",
            item_name(*item)
        ),
        RubricFault::DuplicateId { item, id, first } => {
            let what = item_name(*item);
            format!("duplicate {what} id `{id}` (first used by {what} #{first})")
        }
        RubricFault::WeightNotPositive { found } => {
            format!("weight must be greater than 0, found {}", plain(*found))
        }
        RubricFault::WeightOutOfRange { found } => format!(
            "weight must be between 0.000001 and 1000000 (weights are relative, so \
             scale them into that range), found {found:e}"
        ),
        RubricFault::ScoreOutOfRange { key, found } => {
            format!("{key} must be within 0..=100, found {}", plain(*found))
        }
        RubricFault::MinAnsweredOutOfRange { found } => format!(
            "min-answered is a share of each factor's questions, within 0..=1, found {}",
            plain(*found)
        ),
        RubricFault::BandsOutOfOrder {
            hybrid_from,
            vmo_from,
        } => format!(
            "bands out of order: hybrid-from ({hybrid_from}) must not be above vmo-from ({vmo_from})"
        ),
        RubricFault::NoFactor => "the rubric has no [[factor]]".into(),
        RubricFault::NoQuestion => "the rubric has no [[question]]".into(),
        RubricFault::FactorWithoutQuestion { factor } => {
            format!("factor `{factor}` has no question")
        }
        RubricFault::UnknownFactor { question, factor } => {
            format!("question `{question}` names unknown factor `{factor}`")
        }
        RubricFault::CapAndFloor { gate } => {
            format!("gate `{gate}` has both `cap` and `floor`; keep one")
        }
        RubricFault::NoEffect { gate } => {
            format!("gate `{gate}` needs an effect: `cap` or `floor`")
        }
        RubricFault::BothTargets { rule } => format!(
            "{} has both `factor` and `question`; keep one",
            rule_name(rule)
        ),
        RubricFault::NoTarget { rule } => format!(
            "{} needs a `factor` or a `question` to test",
            rule_name(rule)
        ),
        RubricFault::UnknownTargetFactor { rule, factor } => {
            format!("{} names unknown factor `{factor}`", rule_name(rule))
        }
        RubricFault::UnknownTargetQuestion { rule, question } => {
            format!("{} names unknown question `{question}`", rule_name(rule))
        }
        RubricFault::BothConditions { rule } => format!(
            "{} has both `below` and `at-least`; keep one",
            rule_name(rule)
        ),
        RubricFault::NoCondition { rule } => format!(
            "{} needs a condition: `below` or `at-least`",
            rule_name(rule)
        ),
        RubricFault::TooFewOptions { question, found } => {
            format!("question `{question}` needs at least two options, found {found}")
        }
        _ => judgement_text(f),
    }
}

/// The words of the rubric faults of format 3 (axes, outcomes, offices, plans).
fn judgement_text(f: &RubricFault) -> String {
    match f {
        RubricFault::NoFactorNamed { question } => format!(
            "question `{question}` names no factor (only a `kind = \"context\"` question may leave it out)"
        ),
        RubricFault::ContextWithFactor { question } => format!(
            "context question `{question}` is not scored, so it belongs to no factor: remove `factor`"
        ),
        RubricFault::NoScore { question, option } => {
            format!("option `{option}` of question `{question}` has no score")
        }
        RubricFault::ContextScore { question, option } => format!(
            "option `{option}` of context question `{question}` has a score, but context questions are not scored"
        ),
        RubricFault::ReservedOptionId { question } => format!(
            "question `{question}` has an option `dont-know`: that id is kept for sheets that answer \"don't know\""
        ),
        RubricFault::IsWithoutQuestion { rule } => format!(
            "{} uses `is`, which tests a question's answer: name a `question`",
            rule_name(rule)
        ),
        RubricFault::UnknownIsOption {
            rule,
            question,
            option,
        } => format!(
            "{} tests `{question}` for option `{option}`, which it does not have",
            rule_name(rule)
        ),
        RubricFault::UnknownTargetAxis { rule, axis } => {
            format!("{} names unknown axis `{axis}`", rule_name(rule))
        }
        RubricFault::UnknownRequiredQuestion { question } => {
            format!("names unknown question `{question}`")
        }
        RubricFault::UnknownLevel { question, option } => {
            format!("question `{question}` has no option `{option}` to reach")
        }
        RubricFault::RequiresNonPractice { question } => format!(
            "question `{question}` is not a practice, so no plan can move it: name a practice question"
        ),
        RubricFault::RequiresCycle { path } => format!(
            "the moves up depend on each other in a circle: {}",
            path.iter()
                .map(|(q, o)| format!("`{q}` above `{o}`"))
                .collect::<Vec<_>>()
                .join(" needs ")
        ),
        RubricFault::UnknownOffice { office } => format!(
            "no `[[office]]` has id `{office}` (nor is it a kind: pmo, value, none, federated)"
        ),
        RubricFault::UnknownRole { role } => format!("`[roles]` has no role `{role}`"),
        RubricFault::OutcomeWithoutRecommendation { outcome } => {
            format!("outcome `{outcome}` has no `recommendation` (nor `same-as`)")
        }
        RubricFault::OutcomeWithoutText { outcome } => {
            format!("outcome `{outcome}` needs a `title` and a `summary` (or `same-as`)")
        }
        RubricFault::UnknownSameAs { outcome, other } => format!(
            "outcome `{outcome}` is `same-as` `{other}`, which is not an earlier outcome with a result of its own"
        ),
        RubricFault::SameAsWithResult { outcome } => {
            format!("outcome `{outcome}` has `same-as` beside its own result or texts: keep one")
        }
        RubricFault::AlsoWithoutBoth { outcome } => format!(
            "outcome `{outcome}` names an `also` office, which only a `both` recommendation has"
        ),
        RubricFault::LastOutcomeConditional { outcome } => format!(
            "the last outcome, `{outcome}`, has conditions, so a sheet could match no outcome: end with one that has none"
        ),
        RubricFault::NoRecommendations => {
            "the rubric needs `[recommendation.pmo]`, `.hybrid` and `.vmo`, or `[[outcome]]` rules"
                .into()
        }
        RubricFault::UnknownScoringQuestion { key, question } => {
            format!("`{key}` names unknown question `{question}`")
        }
        RubricFault::ExistingOfficeNotContext { question } => {
            format!("`existing-office` must name a context question, and `{question}` is not one")
        }
        RubricFault::OfficeOnOtherQuestion { question } => format!(
            "question `{question}` lists offices on its options, but `[scoring] existing-office` does not name it"
        ),
        RubricFault::UnknownProblem { problem } => {
            format!("the pressing-problem question has no option `{problem}`")
        }
        RubricFault::AddressesWithoutProblem => {
            "`addresses` needs `[scoring] pressing-problem`, the question whose options it names"
                .into()
        }
        _ => unreachable!("worded by rubric_text"),
    }
}

/// `path:line:column: key: message`, as far as each is known.
impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location())?;
        if let Some(key) = &self.key {
            write!(f, "{key}: ")?;
        }
        f.write_str(&message(self))
    }
}

/// One error a line.
impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// `{"source", "message", "line", "column", "key"}`, the last three when known.
impl Serialize for InputError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = 2
            + usize::from(self.line.is_some())
            + usize::from(self.column.is_some())
            + usize::from(self.key.is_some());
        let mut st = s.serialize_struct("InputError", fields)?;
        st.serialize_field("source", &self.source)?;
        st.serialize_field("message", &message(self))?;
        if let Some(line) = self.line {
            st.serialize_field("line", &line)?;
        }
        if let Some(column) = self.column {
            st.serialize_field("column", &column)?;
        }
        if let Some(key) = &self.key {
            st.serialize_field("key", key)?;
        }
        st.end()
    }
}

/// How a date must be written, as the date errors say it.
const DATE: &str = "a date written YYYY-MM-DD, such as 2026-11-25";

/// What our deserializers say inside a parser's message.
impl fmt::Display for ParseNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseNote::AnswerMap => f.write_str("a table of question ids to strings"),
            ParseNote::AnsweredTwice { question } => {
                write!(f, "question `{question}` is given twice; keep one")
            }
            ParseNote::Date => f.write_str(DATE),
            ParseNote::DateText { found } => {
                write!(f, "expected {DATE}, found \"{}\"", found.escape_debug())
            }
            ParseNote::NotADay { date } => write!(f, "{date} is not a day that exists"),
            ParseNote::DateWithTime { found } => {
                write!(f, "expected {DATE} without a time, found {found}")
            }
            ParseNote::NextStep => {
                f.write_str("a string, or a table `{ text = \"...\", unless = { ... } }`")
            }
            ParseNote::TooManyEntries { most } => write!(
                f,
                "more than {most} entries, where an answer sheet holds one per question; \
                 is it the right file?"
            ),
        }
    }
}

/// A rule given on the command line that is out of range, naming its flag.
impl fmt::Display for BadRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadRule::MinMargin(m) => {
                write!(f, "--min-margin must be 0 to 100, found {}", plain(*m))
            }
            BadRule::MinAnswered(a) => write!(
                f,
                "--min-answered must be a fraction within 0..=1, found {}",
                plain(*a)
            ),
        }
    }
}

impl fmt::Display for UnknownBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown recommendation `{}` (expected pmo, hybrid or vmo)",
            self.given
        )
    }
}

/// A number as written in a rubric: `50`, `12.5`.
fn n(x: f64) -> String {
    let s = format!("{x}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// `between 0 and 50`, or `only 10` when the range is one number.
fn between(lo: f64, hi: f64) -> String {
    if lo == hi {
        format!("only {}", n(lo))
    } else {
        format!("between {} and {}", n(lo), n(hi))
    }
}

/// The indexes a band covers.
fn describe(s: &Scoring, band: Band) -> String {
    match band {
        Band::Pmo => format!("below {}", n(s.hybrid_from)),
        Band::Hybrid => format!("{} to below {}", n(s.hybrid_from), n(s.vmo_from)),
        Band::Vmo => format!("{} and above", n(s.vmo_from)),
        Band::None | Band::Both | Band::Federated => "no index".into(),
    }
}

/// The words of the lints of format 3.
fn judgement_lint_text(l: &Lint) -> String {
    match l {
        Lint::UnreachableOutcome { outcome } => format!(
            "outcome `{outcome}` can never decide: the outcomes before it match every sheet it would match"
        ),
        Lint::LeadingWord { place, field, word } => {
            let place = match place {
                TextPlace::Option(question, o) => {
                    format!("the {field} of option `{o}` of question `{question}`")
                }
                TextPlace::Question(question) => format!("the {field} of question `{question}`"),
                TextPlace::Factor(f) => format!("the {field} of factor `{f}`"),
                TextPlace::Questionnaire => format!("the rubric's {field}"),
            };
            format!(
                "{place} contains `{word}`: respondents would read how answers count; say what the answer looks like day to day, and keep the meaning in `explain`"
            )
        }
        _ => String::new(),
    }
}

/// A lint finding in words, without its place and code.
pub(crate) fn lint_text(l: &Lint) -> String {
    match l {
        Lint::UnreachableOutcome { .. } | Lint::LeadingWord { .. } => judgement_lint_text(l),
        Lint::HybridFromAtZero { hybrid_from } => format!(
            "hybrid-from is {}, so no index is below it and pmo is never the band",
            n(*hybrid_from)
        ),
        Lint::NoHybridBand { at } => format!(
            "hybrid-from and vmo-from are both {}, so hybrid is never the band",
            n(*at)
        ),
        Lint::VmoFromAbove100 { vmo_from } => format!(
            "vmo-from is {}, above the highest index (100), so vmo is never the band",
            n(*vmo_from)
        ),
        Lint::UnreachableBand {
            lo,
            hi,
            band,
            scoring,
        } => format!(
            "option scores run from {} to {}, so no sheet's index falls in the {} band ({})",
            n(*lo),
            n(*hi),
            band.id(),
            describe(scoring, *band)
        ),
        Lint::DuplicateOptionScore {
            question,
            first,
            second,
            score,
        } => format!(
            "question `{question}`: options `{first}` and `{second}` both score {}, so choosing between them changes nothing",
            n(*score)
        ),
        Lint::FactorCannotReachBand {
            factor,
            lo,
            hi,
            band,
            scoring,
        } => format!(
            "factor `{factor}` scores {} whatever the answers, so it never reaches the {} band ({})",
            between(*lo, *hi),
            band.id(),
            describe(scoring, *band)
        ),
        Lint::GateNeverFires { .. } | Lint::GateAlwaysFires { .. } => gate_fires_text(l),
        Lint::CapAtTop { gate } => {
            format!("gate `{gate}` caps at vmo, the highest band, so it never changes a result")
        }
        Lint::FloorAtBottom { gate } => {
            format!("gate `{gate}` floors at pmo, the lowest band, so it never changes a result")
        }
        Lint::MissingNextSteps { band } => format!(
            "recommendation `{}` has no next steps, so a sheet with that result gets no advice on what to do",
            band.id()
        ),
        Lint::MissingImprove { count, first } => missing_improve_text(*count, first),
        Lint::DuplicateOptionLabel {
            question,
            first,
            second,
        } => format!(
            "question `{question}`: options `{first}` and `{second}` have the same label, so an answer \
             given by its label cannot be told apart"
        ),
        Lint::LabelIsAnotherOptionId {
            question,
            option,
            label,
            other,
        } => format!(
            "question `{question}`: option `{option}` is labelled `{label}`, the id of option `{other}`, so \
             that answer in a survey export means the other option"
        ),
        Lint::DuplicateQuestionText { first, second } => format!(
            "questions `{first}` and `{second}` have the same text, so respondents and survey \
             columns cannot tell them apart"
        ),
        Lint::RespondentHeader {
            question,
            field,
            value,
            about,
        } => format!(
            "question `{question}`: its {field} `{value}` is the header an export reads as the \
             {}, which the Google Form asks for in a field of its own, so the form's export has \
             two such columns and is refused; reword it",
            about.words()
        ),
        Lint::NoQuestionText { question } => format!("question `{question}` has no text"),
        Lint::NoOptionLabel { question, option } => {
            format!("option `{option}` of question `{question}` has no label")
        }
        Lint::EmptyNextStep { band, n } => {
            format!("next step {n} of recommendation `{}` is empty", band.id())
        }
    }
}

/// `gate-never-fires` and `gate-always-fires` in words.
fn gate_fires_text(l: &Lint) -> String {
    let (Lint::GateNeverFires {
        gate,
        threshold,
        on_question,
        target,
        lo,
        hi,
    }
    | Lint::GateAlwaysFires {
        gate,
        threshold,
        on_question,
        target,
        lo,
        hi,
    }) = l
    else {
        return String::new();
    };
    let what = if *on_question { "question" } else { "factor" };
    let range = format!("{what} `{target}` scores {}", between(*lo, *hi));
    let never = matches!(l, Lint::GateNeverFires { .. });
    match (threshold, never) {
        (Threshold::Below(b), true) => format!(
            "gate `{gate}` fires below {}, but {range}, never below it",
            n(*b)
        ),
        (Threshold::Below(b), false) => format!(
            "gate `{gate}` fires below {}, but {range}, always below it",
            n(*b)
        ),
        (Threshold::AtLeast(a), true) => format!(
            "gate `{gate}` fires at {} or more, but {range}, never that high",
            n(*a)
        ),
        (Threshold::AtLeast(a), false) => format!(
            "gate `{gate}` fires at {} or more, but {range}, so it always fires",
            n(*a)
        ),
    }
}

/// `missing-improve` in words: how many options lack one, the first few named.
fn missing_improve_text(count: usize, first: &[(String, String)]) -> String {
    let named: Vec<String> = first
        .iter()
        .map(|(q, o)| format!("`{q}` option `{o}`"))
        .collect();
    let more = if count > first.len() { ", ..." } else { "" };
    let (options, have) = if count == 1 {
        ("1 option".to_string(), "its question has")
    } else {
        (format!("{count} options"), "their questions have")
    };
    format!(
        "{options} below the top of {have} no improve text ({}{more}), while other options \
         have one, so those roadmap steps would have no action",
        named.join(", ")
    )
}

/// `rubric.toml:LINE: code: message`.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (code, message) = (self.lint.code(), lint_text(&self.lint));
        match self.line {
            Some(l) => write!(f, "{}:{l}: {code}: {message}", self.source),
            None => write!(f, "{}: {code}: {message}", self.source),
        }
    }
}

/// `{"source", "line", "code", "message"}`, `line` when known.
impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Finding", 3 + usize::from(self.line.is_some()))?;
        st.serialize_field("source", &self.source)?;
        if let Some(line) = self.line {
            st.serialize_field("line", &line)?;
        }
        st.serialize_field("code", self.lint.code())?;
        st.serialize_field("message", &lint_text(&self.lint))?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_reads_location_key_then_message() {
        let e = InputError::new("r.toml", FileFault::Empty)
            .with_key("a.b")
            .at("x\ny", 2..3);
        assert_eq!(e.to_string(), "r.toml:2:1: a.b: is empty");
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"source":"r.toml","message":"is empty","line":2,"column":1,"key":"a.b"}"#
        );
        let bare = InputError::new("r.toml", SheetFault::CutShort);
        assert_eq!(
            serde_json::to_string(&bare).unwrap(),
            r#"{"source":"r.toml","message":"the file ends before the sheet does (a closing `}` or `]` is missing?)"}"#
        );
    }

    #[test]
    fn an_io_reason_is_said_without_the_os_error_number() {
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_reason(&gone), "no such file");
        let other = IoReason::Other("Is a directory (os error 21)".into());
        assert_eq!(io_reason_text(&other), "Is a directory");
    }

    #[test]
    fn a_duplicate_id_names_the_first_use() {
        let f = RubricFault::DuplicateId {
            item: Item::Option,
            id: "a".into(),
            first: 2,
        };
        assert_eq!(
            rubric_text(&f),
            "duplicate option id `a` (first used by option #2)"
        );
        let rule = Rule::NextStep { band: "vmo", n: 3 };
        assert_eq!(
            rubric_text(&RubricFault::NoCondition { rule }),
            "next step 3 of `vmo` needs a condition: `below` or `at-least`"
        );
    }
}
