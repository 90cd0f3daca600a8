//! `check --format github`: GitHub Actions workflow commands, so that failures and
//! errors show as annotations on the sheet in the pull request. Passing sheets print
//! nothing but the closing count line.

use std::io::{self, Write};

use super::{counts_sentence, reason};
use crate::check::{Checked, Counts, Status};
use crate::diag::InputError;
use crate::origin::Origin;
use crate::render::Output;
use crate::render::clean::printable;
use crate::rubric::LoadedRubric;

/// Escapes a command's message, as GitHub's toolkit does (`escapeData`).
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`), as GitHub's toolkit does
/// (`escapeProperty`): the message escapes plus `:` and `,`.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error` command. `file` is left out for stdin; a row of an export points
/// at its file and line. The file name and the message are cleaned for the terminal
/// first (a control character from a sheet or a file name is written `\u{1b}`):
/// the log is read on terminals too.
pub(crate) fn error_command(
    origin: &Origin,
    line: Option<usize>,
    col: Option<usize>,
    title: &str,
    message: &str,
) -> String {
    let row = origin.row_line().and_then(|l| usize::try_from(l).ok());
    let line = line.or(row);
    let mut props = Vec::new();
    if let Some(file) = origin.path() {
        let file = file.display().to_string();
        // GitHub matches `file=` with the repository's paths, which use `/`; a
        // Windows runner's paths use `\` (`sheets\a.toml`), and no Windows file
        // name holds a `/`.
        #[cfg(windows)]
        let file = file.replace('\\', "/");
        props.push(format!("file={}", escape_property(&printable(&file))));
        if let Some(l) = line {
            props.push(format!("line={l}"));
            if let Some(c) = col {
                props.push(format!("col={c}"));
            }
        }
    }
    props.push(format!("title={}", escape_property(title)));
    format!(
        "::error {}::{}",
        props.join(","),
        escape_data(&printable(message))
    )
}

/// One outcome's command: failures and errors only.
pub(crate) fn outcome(rubric: &LoadedRubric, o: &Checked, out: &mut dyn Write) -> io::Result<()> {
    match o {
        Checked::Judged(v) if v.status == Status::Fail => writeln!(
            out,
            "{}",
            error_command(
                &v.result.source,
                v.line,
                None,
                "pmo-vmo check failed",
                &reason(rubric, v)
            )
        ),
        Checked::Judged(_) => Ok(()),
        Checked::Error(e) => {
            let message = match &e.key {
                Some(k) => format!("{k}: {}", crate::render::diag::message(e)),
                None => crate::render::diag::message(e),
            };
            writeln!(
                out,
                "{}",
                error_command(
                    &e.source,
                    e.line,
                    e.column,
                    "pmo-vmo could not read the sheet",
                    &message
                )
            )
        }
    }
}

/// `check`'s workflow commands: a command per failure or error as it comes, then
/// the counts.
pub(crate) struct GithubVerdicts<'a, W: Write> {
    rubric: &'a LoadedRubric,
    out: W,
    counts: Counts,
}

impl<'a, W: Write> GithubVerdicts<'a, W> {
    pub(crate) fn new(rubric: &'a LoadedRubric, out: W) -> Self {
        GithubVerdicts {
            rubric,
            out,
            counts: Counts::default(),
        }
    }
}

impl<'r, W: Write> Output<Checked<'r>> for GithubVerdicts<'_, W> {
    fn item(&mut self, o: &Checked<'r>) -> io::Result<()> {
        self.counts.add(o);
        outcome(self.rubric, o, &mut self.out)
    }

    fn error(&mut self, e: &InputError) -> io::Result<()> {
        self.item(&Checked::Error(e.clone()))
    }

    fn finish(&mut self) -> io::Result<()> {
        writeln!(self.out, "pmo-vmo check: {}", counts_sentence(&self.counts))?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(
            error_command(&"dir/a,b.toml".into(), Some(3), None, "t: x", "m\nn"),
            "::error file=dir/a%2Cb.toml,line=3,title=t%3A x::m%0An"
        );
        assert_eq!(
            error_command(&Origin::Stdin, Some(3), Some(1), "t", "m"),
            "::error title=t::m"
        );
        assert_eq!(
            error_command(
                &"e\u{1b}[31m.toml".into(),
                None,
                None,
                "t",
                "Eve\u{1b}]52;c;eA==\u{7}"
            ),
            "::error file=e\\u{1b}[31m.toml,title=t::Eve\\u{1b}]52;c;eA==\\u{7}"
        );
    }
}
