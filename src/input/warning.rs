//! Remarks about the input that stop nothing, as data: the renderers word them,
//! and a command can act on one (`check --strict-version` turns the version one
//! into a failure) by its kind, not by its text.

use std::path::PathBuf;

use crate::origin::Origin;

/// One remark about the input.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// A sheet filled against another version of the rubric in use.
    Version {
        /// The sheet.
        origin: Origin,
        /// The rubric version the sheet names.
        sheet: String,
        /// The version of the rubric in use.
        rubric: String,
    },
    /// A path not read, because what it leads to is read already.
    Skipped {
        /// The path not read.
        origin: Origin,
        /// Why not.
        why: Skip,
    },
    /// Columns of an export that answer no question (Timestamp, Email...).
    IgnoredColumns {
        /// The export.
        file: Origin,
        /// The columns, as their headers name them.
        columns: Vec<Heading>,
    },
    /// Questions of the rubric that no column of an export answers.
    MissingQuestions {
        /// The export.
        file: Origin,
        /// The questions, each with the header closest to its text.
        questions: Vec<MissingQuestion>,
    },
    /// An export that is not UTF-8 and has no byte-order mark, read in `encoding`
    /// (a name `--encoding` takes); `other` is the encoding it could be instead.
    Encoding {
        /// The export.
        file: Origin,
        /// The encoding it was read in.
        encoding: String,
        /// The encoding it could be instead.
        other: String,
    },
    /// Rows the survey product marks as unfinished, left out of the run.
    PartialSkipped {
        /// The export.
        file: Origin,
        /// The rows left out.
        count: u64,
        /// The header of the column that marks them.
        column: String,
        /// The values that marked them, the first few distinct ones (empty: the
        /// cell was empty).
        marks: Vec<String>,
    },
    /// Rows whose date cell could not be read as a day: they get no date.
    UndatedRows {
        /// The export.
        file: Origin,
        /// The rows without a date.
        count: u64,
        /// The header of the date column.
        column: String,
        /// Why their cells give no day.
        why: Undated,
    },
    /// Several columns name the respondent: each row's name is the first of them
    /// that holds one (not "anonymous").
    NameColumns {
        /// The export.
        file: Origin,
        /// The columns, in column order, with the rows each named.
        columns: Vec<NameColumn>,
    },
    /// A workbook read from another worksheet than its first one, because that one
    /// names no question (a summary) or is hidden.
    OtherWorksheet {
        /// The workbook.
        file: Origin,
        /// The worksheet read.
        read: String,
        /// The worksheets passed over, and why.
        passed: Vec<(String, PassedSheet)>,
    },
    /// Files in a folder that are not read as sheets (a .docx, a .pdf...).
    NotSheets {
        /// The folder.
        folder: Origin,
        /// The files not read.
        files: Vec<PathBuf>,
    },
}

/// Why a row's date cell gives no day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undated {
    /// Not a form read as a date (`2026-11-25`, `11/25/26`...).
    Unreadable,
    /// Numbers that read either way round (`11/4/26`), and no cell tells which:
    /// `--date-order` does.
    Ambiguous,
    /// Some cells have the day first, others the month.
    Mixed,
}

/// One of several columns that name the respondent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameColumn {
    /// The column, from 1.
    pub column: usize,
    /// Its header, as written.
    pub header: String,
    /// The rows whose name it gave.
    pub rows: u64,
}

/// Why a worksheet was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassedSheet {
    /// Hidden in the workbook.
    Hidden,
    /// Its header names no question of the rubric.
    NoQuestion,
}

/// How a column of an export is known: by its header, or by its place when its
/// header is blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heading {
    /// The header, as written.
    Text(String),
    /// A blank header: the column's number, from 1.
    Blank {
        /// The column, from 1.
        column: usize,
    },
}

/// A rubric question no column answers, with the header most like its text.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingQuestion {
    pub(crate) id: String,
    pub(crate) text: String,
    /// An ignored column whose header is close to the question's text.
    pub(crate) closest: Option<String>,
}

/// Why a path was not read.
#[derive(Debug, Clone, PartialEq)]
pub enum Skip {
    /// `-` given again: standard input is read once.
    StdinAgain,
    /// A link, or the same path twice: it leads to `real`, already being read.
    SecondWay {
        /// The path already being read.
        real: PathBuf,
    },
    /// Met in a folder walk, neither a file nor a folder: never opened (a FIFO
    /// would block the run).
    NotAFile(Special),
}

/// What a path that is neither a file nor a folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// A named pipe.
    Fifo,
    /// A character or block device.
    Device,
    /// A Unix socket.
    Socket,
    /// Anything else that is neither a file nor a folder.
    Other,
}

impl Warning {
    /// Where the warning is about.
    pub(crate) fn origin(&self) -> &Origin {
        match self {
            Warning::Version { origin, .. } | Warning::Skipped { origin, .. } => origin,
            Warning::IgnoredColumns { file, .. }
            | Warning::MissingQuestions { file, .. }
            | Warning::Encoding { file, .. }
            | Warning::PartialSkipped { file, .. }
            | Warning::UndatedRows { file, .. }
            | Warning::NameColumns { file, .. }
            | Warning::OtherWorksheet { file, .. } => file,
            Warning::NotSheets { folder, .. } => folder,
        }
    }
}
