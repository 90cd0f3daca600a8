//! What is wrong with an input, as data: one enum of kinds per concern (reading a
//! file, a sheet, a survey export, a rubric), each kind with the values its message
//! needs. `render::diag` words every kind; nothing here is a sentence, so another
//! language is one more renderer.

use std::io;

/// What is wrong, without where: the kind of an [`InputError`](super::InputError).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fault {
    /// A parser's own words (TOML, JSON, serde's): passed on as they are.
    Syntax(String),
    File(FileFault),
    Sheet(SheetFault),
    Export(ExportFault),
    Rubric(Box<RubricFault>),
}

impl From<FileFault> for Fault {
    fn from(f: FileFault) -> Self {
        Fault::File(f)
    }
}

impl From<SheetFault> for Fault {
    fn from(f: SheetFault) -> Self {
        Fault::Sheet(f)
    }
}

impl From<ExportFault> for Fault {
    fn from(f: ExportFault) -> Self {
        Fault::Export(f)
    }
}

impl From<RubricFault> for Fault {
    fn from(f: RubricFault) -> Self {
        Fault::Rubric(Box::new(f))
    }
}

/// Why reading failed, as the system said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IoReason {
    NotFound,
    PermissionDenied,
    /// Any other reason, in the system's words.
    Other(String),
}

impl IoReason {
    /// The reason of an I/O error.
    pub(crate) fn of(e: &io::Error) -> IoReason {
        match e.kind() {
            io::ErrorKind::NotFound => IoReason::NotFound,
            io::ErrorKind::PermissionDenied => IoReason::PermissionDenied,
            _ => IoReason::Other(e.to_string()),
        }
    }
}

/// A path that could not be read as text, or was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileFault {
    /// Reading (or opening) failed.
    Unreadable(IoReason),
    /// Listing a folder failed.
    FolderUnreadable(IoReason),
    /// Nothing is at the path.
    NoSuchPath,
    /// A folder where a file was expected.
    IsFolder,
    /// A named pipe that nothing writes to (reading it would wait forever).
    NoWriter,
    /// Over the size limit of a sheet or rubric, in MiB.
    TooLarge { limit_mib: u64 },
    /// UTF-16 text, which is not read.
    Utf16 { big_endian: bool },
    /// A NUL byte: not text.
    Binary,
    /// Not UTF-8: the offset of the first byte that is not.
    NotUtf8 { byte: usize },
    /// Nothing but white space.
    Empty,
    /// A folder with no sheet or export in it.
    NoSheetInFolder,
    /// A file whose extension names no format that is read.
    Unsupported,
    /// A path skipped (its warning says why), when asked for as one sheet.
    Skipped,
    /// A workbook that is not a regular file.
    WorkbookNotAFile,
    /// The reading stopped part-way: a thread of the reader failed (a bug).
    Stopped,
    /// A thread to read on could not be started.
    NoThread(IoReason),
}

/// A sheet file that does not hold a sheet for the rubric in use.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SheetFault {
    /// A JSON sheet cut off before its end.
    CutShort,
    /// Text after a JSON sheet's closing brace.
    TrailingText,
    /// A CSV export asked to be parsed as one sheet's keys.
    CsvHasNoKeys,
    /// The sheet answers another rubric.
    OtherRubric {
        sheet: String,
        rubric: String,
    },
    UnknownQuestion {
        question: String,
    },
    /// An option the question does not have; `valid` are its options' ids.
    UnknownOption {
        question: String,
        option: String,
        valid: Vec<String>,
    },
    NoteForUnknownQuestion {
        question: String,
    },
    /// `expect.min-margin` outside 0..=100.
    MinMargin {
        found: f64,
    },
    /// No question answered: nothing to score.
    NothingAnswered,
    /// More keys, tables and arrays than any sheet holds.
    TooManyItems {
        most: usize,
    },
}

/// The survey product an export's header rows look like: only for the wording of
/// a hint (answers or headers written as codes), never for how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Product {
    Qualtrics,
    SurveyMonkey,
    LimeSurvey,
    Other,
}

/// A survey export, or one of its rows, that cannot be read as sheets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ExportFault {
    /// No header row at all.
    NoHeader,
    /// A header row and no response.
    NoRows,
    /// More than the one row a single sheet was expected to be.
    RowsWhereOne { rows: usize },
    /// A row whose width is not the header's.
    RowWidth { cells: usize, header: usize },
    /// A row over the size limit, in MB.
    RowTooLong { limit_mb: u64 },
    /// A cell (1-based) that is not UTF-8.
    CellNotUtf8 { cell: usize },
    /// The csv reader's own words.
    Csv(String),
    /// The answers are codes, not texts: export again from this product.
    Coded(Product),
    /// Two columns (1-based) answer the same question.
    SameQuestion {
        first: usize,
        second: usize,
        question: String,
    },
    /// No header names a question of the rubric: its first headers, whether there
    /// are more, and the product the headers look like (for a hint).
    NoQuestionColumn {
        rubric: String,
        headers: Vec<String>,
        more: bool,
        product: Product,
    },
    /// One respondent per column: the column (1-based) whose cells, one a row,
    /// name `questions` questions of the rubric.
    Transposed { column: usize, questions: usize },
    /// A cell that is no option of its question: the cell, and the options as
    /// (label, id).
    UnknownAnswer {
        cell: String,
        options: Vec<(String, String)>,
    },
    /// The workbook reader's own words.
    Workbook(String),
    /// `--sheet` names no worksheet of the workbook.
    NoWorksheetNamed { want: String, names: Vec<String> },
    /// A workbook with no worksheet.
    NoWorksheet,
    /// A worksheet that could not be read, with the workbook reader's words.
    Worksheet { name: String, reason: String },
    /// A workbook (or its worksheet `sheet`) over one of the bounds it is read
    /// within: which, and the bound.
    WorkbookTooLarge {
        sheet: Option<String>,
        bound: Bound,
        most: u64,
    },
}

/// A bound a workbook is read within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    /// Cells with text in a worksheet.
    Cells,
    /// Bytes of cell text in a worksheet.
    Text,
    /// Cells spanned by a worksheet's rows with text and its columns up to the last.
    Area,
    /// Bytes of the parts of an .xlsx read whole when it opens.
    Parts,
    /// Shared strings announced beyond what their bytes can hold.
    SharedStrings,
    /// Cells out of row order (a worksheet no spreadsheet writes).
    Order,
    /// Bytes of one cell's text, or of a worksheet's XML without markup (which an
    /// XML reader holds whole).
    Run,
    /// Cells an .xls worksheet spans, rows times columns (calamine reads every
    /// worksheet of an .xls whole as it opens the file).
    XlsArea,
}

/// A kind of thing with an id in a rubric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    Rubric,
    Factor,
    Question,
    Option,
    Gate,
    Axis,
    Outcome,
    Office,
    Role,
}

/// A rule of a rubric that tests a score: a gate, or the `unless` of a next step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rule {
    Gate {
        id: String,
    },
    /// Next step `n` (1-based) of the recommendation `band` (its id).
    NextStep {
        band: &'static str,
        n: usize,
    },
    /// Member `n` (1-based) of an axis.
    AxisMember {
        axis: String,
        n: usize,
    },
    /// A condition of an outcome rule.
    Outcome {
        id: String,
    },
    /// A condition of an office type.
    Office {
        id: String,
    },
    /// A condition of text variant `n` (1-based) of an outcome.
    Variant {
        outcome: String,
        n: usize,
    },
    /// A condition of a variant of an option's plan texts.
    OptionVariant {
        question: String,
        option: String,
    },
    /// Next step `n` (1-based) of an outcome's (or its variant's) steps.
    OutcomeStep {
        outcome: String,
        n: usize,
    },
}

/// A rubric that parses but does not hold together.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RubricFault {
    /// Nothing but white space.
    Empty,
    NotKebab {
        item: Item,
        id: String,
    },
    /// An id used before, by the `first` (1-based) item of its kind.
    DuplicateId {
        item: Item,
        id: String,
        first: usize,
    },
    WeightNotPositive {
        found: f64,
    },
    WeightOutOfRange {
        found: f64,
    },
    /// A score, threshold or boundary (named by its key) outside 0..=100.
    ScoreOutOfRange {
        key: &'static str,
        found: f64,
    },
    MinAnsweredOutOfRange {
        found: f64,
    },
    BandsOutOfOrder {
        hybrid_from: f64,
        vmo_from: f64,
    },
    NoFactor,
    NoQuestion,
    FactorWithoutQuestion {
        factor: String,
    },
    UnknownFactor {
        question: String,
        factor: String,
    },
    CapAndFloor {
        gate: String,
    },
    NoEffect {
        gate: String,
    },
    BothTargets {
        rule: Rule,
    },
    NoTarget {
        rule: Rule,
    },
    UnknownTargetFactor {
        rule: Rule,
        factor: String,
    },
    UnknownTargetQuestion {
        rule: Rule,
        question: String,
    },
    BothConditions {
        rule: Rule,
    },
    NoCondition {
        rule: Rule,
    },
    TooFewOptions {
        question: String,
        found: usize,
    },
    /// A question that is not a context question names no factor.
    NoFactorNamed {
        question: String,
    },
    /// A context question names a factor (it is not scored).
    ContextWithFactor {
        question: String,
    },
    /// An option of a scored question without a score.
    NoScore {
        question: String,
        option: String,
    },
    /// An option of a context question with a score.
    ContextScore {
        question: String,
        option: String,
    },
    /// An option uses the id sheets give for "don't know".
    ReservedOptionId {
        question: String,
    },
    /// `is` on something other than a question.
    IsWithoutQuestion {
        rule: Rule,
    },
    /// `is` names an option the question does not have.
    UnknownIsOption {
        rule: Rule,
        question: String,
        option: String,
    },
    /// A condition names an axis that does not exist.
    UnknownTargetAxis {
        rule: Rule,
        axis: String,
    },
    /// `requires` or `needs` names a question that does not exist.
    UnknownRequiredQuestion {
        question: String,
    },
    /// `requires` or `needs` names a level (option) its question does not have.
    UnknownLevel {
        question: String,
        option: String,
    },
    /// `requires` or `needs` names a question that is not a practice.
    RequiresNonPractice {
        question: String,
    },
    /// The `requires` of moves up depend on each other in a circle: each move as
    /// (question, the option it starts from), the first repeated at the end.
    RequiresCycle {
        path: Vec<(String, String)>,
    },
    /// An office type id that no `[[office]]` declares (and no kind).
    UnknownOffice {
        office: String,
    },
    /// A role id that `[roles]` does not declare.
    UnknownRole {
        role: String,
    },
    /// An outcome without a recommendation (and no `same-as`).
    OutcomeWithoutRecommendation {
        outcome: String,
    },
    /// An outcome without a title or summary (and no `same-as`).
    OutcomeWithoutText {
        outcome: String,
    },
    /// `same-as` names no earlier outcome that has its own result.
    UnknownSameAs {
        outcome: String,
        other: String,
    },
    /// `same-as` beside keys it replaces.
    SameAsWithResult {
        outcome: String,
    },
    /// `also` on an outcome whose recommendation is not `both`.
    AlsoWithoutBoth {
        outcome: String,
    },
    /// The last outcome has conditions, so some sheets would match none.
    LastOutcomeConditional {
        outcome: String,
    },
    /// Neither `[recommendation]` nor `[[outcome]]`.
    NoRecommendations,
    /// `[scoring]` names a question that does not exist.
    UnknownScoringQuestion {
        key: &'static str,
        question: String,
    },
    /// `existing-office` names a question that is not a context question.
    ExistingOfficeNotContext {
        question: String,
    },
    /// `office` on an option of a question that is not the existing-office one.
    OfficeOnOtherQuestion {
        question: String,
    },
    /// `addresses` names an option the pressing-problem question does not have.
    UnknownProblem {
        problem: String,
    },
    /// `addresses` without `[scoring] pressing-problem`.
    AddressesWithoutProblem,
}

/// What our own deserializers say inside a parser's message. Serde carries only
/// text, so these reach an error as [`Fault::Syntax`]; their words are their
/// `Display`, which `render::diag` implements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParseNote {
    /// What the answers and notes tables hold (serde's "expected ...").
    AnswerMap,
    /// A question given twice in a JSON sheet's table.
    AnsweredTwice { question: String },
    /// What a date is (serde's "expected ...").
    Date,
    /// A date string that is not `YYYY-MM-DD`.
    DateText { found: String },
    /// A TOML date of a day that does not exist.
    NotADay { date: String },
    /// A TOML date with a time or an offset.
    DateWithTime { found: String },
    /// What a next step is (serde's "expected ...").
    NextStep,
    /// An answers or notes table with more entries than any sheet holds.
    TooManyEntries { most: usize },
}
