//! Where a sheet, a rubric or an error comes from, as data: a file, standard input,
//! or one row of a survey export. Shown as `path`, `<stdin>` or `path:LINE`; code
//! that needs the file or the line matches on the variant, never on the text.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// How standard input is named in results and errors.
pub(crate) const STDIN: &str = "<stdin>";

/// The origin of a sheet or of a problem with one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// A file, as named on the command line or found in a folder.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// One row of a survey export, starting at `line` of `file` (1-based, the line
    /// a text editor shows, or the row number a spreadsheet shows); `file` is
    /// `<stdin>` for an export read from standard input.
    Row {
        /// The export file.
        file: Arc<Path>,
        /// The row's first line.
        line: u64,
    },
}

impl Origin {
    /// The file this comes from (`None` for standard input).
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            Origin::File(p) => Some(p),
            Origin::Row { file, .. } if &**file != Path::new(STDIN) => Some(file),
            _ => None,
        }
    }

    /// The line within the file, for a row of an export.
    pub(crate) fn row_line(&self) -> Option<u64> {
        match self {
            Origin::Row { line, .. } => Some(*line),
            _ => None,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(p) => path(p, f),
            Origin::Stdin => f.write_str(STDIN),
            Origin::Row { file, line } => {
                path(file, f)?;
                write!(f, ":{line}")
            }
        }
    }
}

/// A path as `Path::display` shows it, without its lossy decoding when the path is
/// UTF-8 (every row of a large export shows its file).
fn path(p: &Path, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match p.to_str() {
        Some(s) => f.write_str(s),
        None => write!(f, "{}", p.display()),
    }
}

impl Serialize for Origin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl From<&Path> for Origin {
    fn from(p: &Path) -> Self {
        Origin::File(p.to_path_buf())
    }
}

impl From<PathBuf> for Origin {
    fn from(p: PathBuf) -> Self {
        Origin::File(p)
    }
}

impl From<&PathBuf> for Origin {
    fn from(p: &PathBuf) -> Self {
        Origin::File(p.clone())
    }
}

/// A file named by a string (tests, embedded names such as the default rubric's).
impl From<&str> for Origin {
    fn from(p: &str) -> Self {
        Origin::File(PathBuf::from(p))
    }
}

impl Origin {
    /// The file named in the origins of an export's rows.
    pub(crate) fn row_file(&self) -> Arc<Path> {
        match self {
            Origin::File(p) => Arc::from(p.as_path()),
            Origin::Row { file, .. } => file.clone(),
            Origin::Stdin => Arc::from(Path::new(STDIN)),
        }
    }
}

impl From<&Origin> for Origin {
    fn from(o: &Origin) -> Self {
        o.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_as_people_read_it() {
        assert_eq!(Origin::from("a/b.toml").to_string(), "a/b.toml");
        assert_eq!(Origin::Stdin.to_string(), "<stdin>");
        let row = Origin::Row {
            file: Arc::from(Path::new("r.csv")),
            line: 7,
        };
        assert_eq!(row.to_string(), "r.csv:7");
        assert_eq!(row.row_line(), Some(7));
        assert_eq!(row.path(), Some(Path::new("r.csv")));
        assert_eq!(serde_json::to_string(&row).unwrap(), "\"r.csv:7\"");
    }
}
