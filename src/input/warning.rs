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
        origin: Origin,
        sheet: String,
        rubric: String,
    },
    /// A path not read, because what it leads to is read already.
    Skipped { origin: Origin, why: Skip },
    /// Columns of an export that answer no question (Timestamp, Email...).
    IgnoredColumns { file: Origin, columns: Vec<String> },
}

/// Why a path was not read.
#[derive(Debug, Clone, PartialEq)]
pub enum Skip {
    /// `-` given again: standard input is read once.
    StdinAgain,
    /// A link, or the same path twice: it leads to `real`, already being read.
    SecondWay { real: PathBuf },
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
    Socket,
    Other,
}

impl Warning {
    /// Where the warning is about.
    pub fn origin(&self) -> &Origin {
        match self {
            Warning::Version { origin, .. } | Warning::Skipped { origin, .. } => origin,
            Warning::IgnoredColumns { file, .. } => file,
        }
    }
}
