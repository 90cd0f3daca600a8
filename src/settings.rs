//! The global options resolved once, before any work: which rubric, whether to use
//! colour on each stream, how wide the terminal is. Commands read these, never the
//! raw arguments or the environment.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Result;
use pmo_vmo::input::decode::read_text;
use pmo_vmo::render::Style;
use pmo_vmo::{InputErrors, LoadedRubric};

use crate::args::{ColorChoice, GlobalArgs};

/// Where the rubric comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RubricSource {
    /// The embedded default (no `--rubric`, or an empty `PMO_VMO_RUBRIC`).
    Embedded,
    /// A file.
    File(PathBuf),
    /// `--rubric ""` on the command line: a mistake (`--rubric "$UNSET"`) that must
    /// not fall back to the default quietly. An error when a rubric is needed.
    Empty,
}

/// The checked configuration every command runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub rubric: RubricSource,
    /// Colour on stdout.
    pub color: bool,
    /// Colour on stderr.
    pub color_err: bool,
    /// The terminal's width, or `None` when stdout is not a terminal.
    pub width: Option<u16>,
}

/// Whether `--rubric` is on the command line (before a `--`), as opposed to an
/// empty value that came from `PMO_VMO_RUBRIC`: clap gives both as the same value.
fn rubric_flag_given(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    args.skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--rubric" || a.as_encoded_bytes().starts_with(b"--rubric="))
}

impl Settings {
    /// Resolves the global options against the environment (`NO_COLOR`, `TERM`,
    /// `PMO_VMO_RUBRIC`, whether each stream is a terminal).
    pub fn resolve(g: &GlobalArgs) -> Settings {
        let rubric = match &g.rubric {
            None => RubricSource::Embedded,
            Some(p) if p.as_os_str().is_empty() => {
                // An empty PMO_VMO_RUBRIC is "not set"; an empty --rubric is not.
                if rubric_flag_given(std::env::args_os()) {
                    RubricSource::Empty
                } else {
                    RubricSource::Embedded
                }
            }
            Some(p) => RubricSource::File(p.clone()),
        };
        Settings {
            rubric,
            color: use_color(g.color, std::io::stdout().is_terminal())
                && shows_escapes(g.color, &console::Term::stdout()),
            color_err: use_color(g.color, std::io::stderr().is_terminal())
                && shows_escapes(g.color, &console::Term::stderr()),
            width: width(),
        }
    }

    /// Loads the rubric in use, or `file` when a command names one itself.
    pub fn load_rubric(&self, file: Option<&Path>) -> Result<LoadedRubric> {
        let path = match (file, &self.rubric) {
            (Some(f), _) => Some(f),
            (None, RubricSource::File(p)) => Some(p.as_path()),
            (None, RubricSource::Embedded) => None,
            (None, RubricSource::Empty) => {
                anyhow::bail!(
                    "--rubric needs a file name, got an empty one; leave the option out for \
                     the embedded default rubric"
                )
            }
        };
        let rubric = match path {
            Some(p) => {
                let text = read_text(p).map_err(|e| InputErrors(vec![e]))?;
                LoadedRubric::from_str(p, &text)
            }
            None => LoadedRubric::embedded(),
        };
        Ok(rubric?)
    }

    /// The rubric file given, to repeat in a hint (`pmo-vmo --rubric r.toml ...`).
    pub fn rubric_file(&self) -> Option<&Path> {
        match &self.rubric {
            RubricSource::File(p) => Some(p),
            _ => None,
        }
    }

    /// How human output on stdout should look.
    pub fn style(&self, detail: Option<bool>) -> Style {
        Style {
            color: self.color,
            width: self.width,
            detail,
        }
    }
}

fn use_color(choice: ColorChoice, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// Whether colour, written as ANSI escapes, can go to `term`. A Unix terminal
/// shows them. A Windows console shows them only once its virtual terminal
/// processing is on: console's check turns it on, or says no on a console too old
/// for it, where `auto` leaves colour off (the escapes would print as text) and
/// `always` keeps it, as asked. Output that is not a console is left as chosen.
#[cfg(windows)]
fn shows_escapes(choice: ColorChoice, term: &console::Term) -> bool {
    !term.is_term() || term.features().colors_supported() || choice == ColorChoice::Always
}

#[cfg(not(windows))]
fn shows_escapes(_: ColorChoice, _: &console::Term) -> bool {
    true
}

/// The width to fit: `COLUMNS` when it is set to a number (as `ls` reads it, and
/// so that a width can be asked for in a pipe), else the terminal's; `None` when
/// stdout is not a terminal.
fn width() -> Option<u16> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
    {
        return Some(n.max(40));
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_, w)| w.max(40))
}

#[cfg(test)]
mod tests {
    use super::rubric_flag_given;

    #[test]
    fn an_empty_rubric_is_explicit_only_on_the_command_line() {
        let given = |args: &[&str]| rubric_flag_given(args.iter().map(Into::into));
        assert!(given(&["pmo-vmo", "--rubric", "", "score", "a.toml"]));
        assert!(given(&["pmo-vmo", "score", "--rubric=", "a.toml"]));
        // From PMO_VMO_RUBRIC, or a sheet named like the option after `--`.
        assert!(!given(&["pmo-vmo", "score", "a.toml"]));
        assert!(!given(&["pmo-vmo", "score", "--", "--rubric"]));
        assert!(!given(&["--rubric"]));
    }
}
