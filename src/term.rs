//! Everything the binary writes to the terminal besides a command's own output:
//! errors (drawn with annotate-snippets, in colour when stderr may have it),
//! warnings, and stdout that tolerates a reader going away. Also the exit status,
//! as the contract defines it.

use std::io::Write;
use std::process::ExitCode;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use pmo_vmo::input::Warning;
use pmo_vmo::render::clean::{visible, visible_line};
use pmo_vmo::render::diag::message;
use pmo_vmo::render::warning::warning_text;
use pmo_vmo::{InputError, InputErrors};

use crate::settings::Settings;

/// How a run ended, as the contract's exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Done, and every check passed (0).
    Success,
    /// `check` or `rubric check` found a failing sheet or lint (1).
    Failed,
    /// An error: bad usage, an unreadable or invalid rubric or sheet, no terminal (2).
    Error,
    /// The interview was interrupted with Ctrl-C (130).
    Interrupted,
}

impl ExitStatus {
    /// Success, or an error when `failed`.
    pub fn error_if(failed: bool) -> ExitStatus {
        if failed {
            ExitStatus::Error
        } else {
            ExitStatus::Success
        }
    }

    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failed => 1,
            ExitStatus::Error => 2,
            ExitStatus::Interrupted => 130,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> ExitCode {
        ExitCode::from(s.code())
    }
}

/// Writes bytes to stdout; a closed pipe surfaces as an error `main` treats as quiet.
pub fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Writes a command's whole output and returns `status`. A reader that went away
/// (`pmo-vmo check ... | head -1`) does not turn failures or errors into success:
/// the status is what the run found, whoever read the output.
pub fn emit(bytes: &[u8], status: ExitStatus) -> anyhow::Result<ExitStatus> {
    match write_stdout(bytes) {
        Ok(()) => Ok(status),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(status),
        Err(e) => Err(e.into()),
    }
}

/// Whether an error is stdout's reader going away (`pmo-vmo score ... | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Draws an input error: `error: key: message`, then the source line with the fault
/// underlined under its `path:line:column`, or the location in the first line when
/// there is no excerpt. Every piece of input text is cleaned for the terminal.
pub fn input_error_text(e: &InputError, settings: &Settings) -> String {
    let Some(x) = &e.excerpt else {
        return format!("error: {}\n", visible_line(&e.to_string()));
    };
    let title = match &e.key {
        Some(k) => format!("{k}: {}", message(e)),
        None => message(e),
    };
    let title = visible_line(&title);
    // The excerpt is one line (a span over several is cut to its first): cleaning
    // it escapes characters one for several, so the span moves with them.
    let (text, span) = clean_excerpt(&x.text, x.span.clone());
    // No path on the snippet: annotate-snippets would count the column in the
    // cleaned excerpt, where one escaped character is several. The location line
    // is the error's own, counted in the file, put in below the title.
    let report = &[Level::ERROR.primary_title(title.as_ref()).element(
        Snippet::source(text.as_str())
            .line_start(x.line_start)
            .fold(false)
            .annotation(AnnotationKind::Primary.span(span)),
    )];
    let renderer = if settings.color_err {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let renderer = match terminal_width() {
        Some(w) => renderer.term_width(w),
        None => renderer,
    };
    let drawn = renderer.render(report);
    let (title_line, rest) = drawn.split_once('\n').unwrap_or((drawn.as_str(), ""));
    // As wide as the line numbers of the excerpt, as annotate-snippets draws it.
    let gutter = x.line_start.to_string().len();
    let arrow = if settings.color_err {
        console::style("-->")
            .blue()
            .bright()
            .bold()
            .force_styling(true)
            .to_string()
    } else {
        "-->".to_string()
    };
    let location = visible_line(&e.location()).into_owned();
    format!("{title_line}\n{:gutter$}{arrow} {location}\n{rest}\n", "")
}

/// The excerpt's text cleaned for the terminal, and the span moved to match.
fn clean_excerpt(text: &str, span: std::ops::Range<usize>) -> (String, std::ops::Range<usize>) {
    let start = visible(&text[..span.start.min(text.len())]).len();
    let end = visible(&text[..span.end.min(text.len())]).len();
    (visible(text).into_owned(), start..end)
}

/// stderr's width, when it is a terminal.
fn terminal_width() -> Option<usize> {
    console::Term::stderr()
        .size_checked()
        .map(|(_, w)| usize::from(w))
}

/// Prints one input error on stderr.
pub fn print_input_error(e: &InputError, settings: &Settings) {
    let _ = std::io::stderr().write_all(input_error_text(e, settings).as_bytes());
}

/// Prints a fatal error on stderr.
pub fn print_error(err: &anyhow::Error, settings: &Settings) {
    if let Some(list) = err.downcast_ref::<InputErrors>() {
        for e in &list.0 {
            print_input_error(e, settings);
        }
        return;
    }
    if let Some(e) = err.downcast_ref::<InputError>() {
        print_input_error(e, settings);
        return;
    }
    let _ = writeln!(std::io::stderr(), "error: {}", visible(&format!("{err:#}")));
}

/// Prints a warning on stderr.
pub fn warn(w: &Warning) {
    warn_text(&warning_text(w));
}

/// Prints a warning given as text on stderr.
pub fn warn_text(msg: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {}", visible_line(msg));
}
