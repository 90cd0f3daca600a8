//! Glue the commands share: reading a run of sheets for the commands that
//! aggregate them (workshop, report, compare), and writing a file that a command
//! makes (report, form).

use pmo_vmo::LoadedRubric;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use pmo_vmo::atomic::{self, Wrote};
use pmo_vmo::brand::{Brand, Logo};
use pmo_vmo::input::decode::read_text;
use pmo_vmo::render::diag::io_reason;
use pmo_vmo::render::words;

use pmo_vmo::compare::SideSheets;
use pmo_vmo::input::{self, Event, ReadOptions, ResolvedSheet, SheetFormat};
use pmo_vmo::result::{SheetResult, score};
use pmo_vmo::workshop::{Group, Organisation};

use crate::args::SheetArgs;
use crate::settings::Settings;
use crate::term;

/// Loads and scores every sheet, handing each to `each` in input order and keeping
/// none (a million-row export goes through in flat memory); bad ones are reported
/// on stderr and left out, warnings as they come. `flip`: search each sheet's flip.
/// Returns whether any input failed.
pub fn for_each_member<'r>(
    settings: &Settings,
    rubric: &'r LoadedRubric,
    sheets: &SheetArgs,
    flip: bool,
    mut each: impl FnMut(ResolvedSheet, SheetResult<'r>) -> std::io::Result<()>,
) -> Result<bool> {
    let inputs = input::expand(&sheets.paths, sheets.stdin_format());
    let mut failed = false;
    let map = |sheet: ResolvedSheet| {
        let result = score(rubric, sheet.clone(), flip)?;
        Ok((sheet, result))
    };
    input::stream_with(rubric, &inputs, &sheets.read_options(), map, |event| {
        match event {
            Event::Item((sheet, result)) => each(sheet, result)?,
            Event::Error(e) => {
                term::print_input_error(&e, settings);
                failed = true;
            }
            Event::Warning(w) => term::warn(&w),
            Event::Progress(_) => {}
        }
        Ok(())
    })?;
    Ok(failed)
}

/// Refuses a group whose sheets name more than one organisation, unless `mixed`.
pub fn refuse_mixed(group: &Group, mixed: bool) -> Result<()> {
    let orgs: Vec<Organisation> = group.organisations().cloned().collect();
    if !mixed && orgs.len() > 1 {
        bail!("{}", pmo_vmo::render::words::mixed_organisations(&orgs));
    }
    Ok(())
}

/// Reads one side of a comparison (`compare`'s BEFORE or AFTER, `report`'s
/// baseline) a sheet at a time into its [`SideSheets`], printing the warnings and
/// each sheet that cannot be scored; also whether any could not. The sheets are
/// scored without their flip and plan (the side keeps its first sheet whole) and
/// then dropped: the side keeps the group's figures, not the rows.
pub fn collect_side<'r>(
    settings: &Settings,
    rubric: &'r LoadedRubric,
    paths: &[PathBuf],
    stdin_format: SheetFormat,
    options: &ReadOptions,
) -> (SideSheets<'r>, bool) {
    let inputs = input::expand(paths, stdin_format);
    let light = pmo_vmo::result::Extras {
        sensitivity: false,
        roadmap: false,
        target: None,
        answers: true,
        advice: false,
        texts: false,
    };
    let mut side = SideSheets::new(rubric);
    let mut failed = false;
    let map = |sheet: ResolvedSheet| {
        let result = pmo_vmo::result::score_with(rubric, sheet.clone(), light)?;
        Ok((sheet, result))
    };
    let _ = input::stream_with(rubric, &inputs, options, map, |event| {
        match event {
            Event::Item((sheet, result)) => side.add(&sheet, &result),
            Event::Error(e) => {
                term::print_input_error(&e, settings);
                failed = true;
            }
            Event::Warning(w) => term::warn(&w),
            Event::Progress(_) => {}
        }
        Ok(())
    });
    (side, failed)
}

/// Paths that mean this process's standard output, written as `-` is (a link
/// followed to a file that the shell has just emptied would otherwise be
/// refused as existing, or renamed over).
const STDOUT_PATHS: [&str; 4] = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

/// Whether an output path means standard output.
pub fn is_stdout(out: &Path) -> bool {
    STDOUT_PATHS.iter().any(|p| out.as_os_str() == *p)
}

/// A path as the terminal shows it: control characters and bidirectional
/// overrides escaped, on one line.
pub fn shown(path: &Path) -> String {
    pmo_vmo::render::clean::printable_line(&path.display().to_string()).into_owned()
}

/// The extensions of the files the commands read as answer sheets or exports: a
/// report or a form written over one would destroy answers (`report acme.toml -o
/// acme.toml --force`).
const INPUT_EXTENSIONS: [&str; 8] = ["toml", "json", "csv", "tsv", "txt", "xlsx", "xls", "ods"];

/// Writes a command's file whole (its bytes written by `fill`), with the errors
/// worded for the command line. A path with the extension of an answer sheet or a
/// survey export is refused: a report or form is never one, and writing it there
/// (with `--force`, over the sheet it was made from) would lose the answers.
pub fn write_output(
    out: &Path,
    force: bool,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<Wrote> {
    let ext = (out.extension().and_then(|e| e.to_str()))
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if INPUT_EXTENSIONS.contains(&ext.as_str()) && !is_stdout(out) {
        bail!(
            "{}: not writing there: a .{ext} file is read as answers, and this output is not one (choose a name ending in .html or .js)",
            shown(out)
        );
    }
    match atomic::write_with(out, force, fill) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists; not overwriting it (pass --force to replace it)",
            shown(out)
        ),
        Err(e) => bail!("could not write {}: {}", shown(out), io_reason(&e)),
        Ok(wrote) => Ok(wrote),
    }
}

/// Quotes a path for the command line the user is likely at when it needs it:
/// a POSIX shell's on Unix, PowerShell's on Windows.
pub fn shell_word(s: &str) -> String {
    if cfg!(windows) {
        powershell_word(s)
    } else {
        posix_word(s)
    }
}

fn posix_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@+,=".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// PowerShell (the shell of Windows Terminal): `\` and `:` need no quotes, but
/// `,` `@` `+` `=` may (an array, a splat), so fewer words go bare; a single-quoted
/// word is literal, with `'` doubled.
fn powershell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:\\".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// Largest logo embedded in the page.
const MAX_LOGO: u64 = 2 << 20;

/// Reads and checks a brand file, and the logo it names (relative to its folder).
pub fn load_brand(path: &Path) -> Result<(Brand, Option<Logo>)> {
    let text = read_text(path).map_err(|e| anyhow!("{e}"))?;
    let brand = Brand::parse(&text).map_err(|e| anyhow!("{}", words::brand_error(path, &e)))?;
    let Some(logo) = &brand.logo else {
        return Ok((brand, None));
    };
    let file = path.parent().unwrap_or(Path::new(".")).join(logo);
    let size = std::fs::metadata(&file)
        .with_context(|| {
            format!(
                "could not read the logo {} (named in {})",
                file.display(),
                path.display()
            )
        })?
        .len();
    if size > MAX_LOGO {
        bail!(
            "the logo {} is {} KiB; a logo embedded in the report may be at most {} KiB",
            file.display(),
            size >> 10,
            MAX_LOGO >> 10
        );
    }
    let bytes = std::fs::read(&file).with_context(|| {
        format!(
            "could not read the logo {} (named in {})",
            file.display(),
            path.display()
        )
    })?;
    let Some(logo) = Logo::sniff(bytes) else {
        bail!(
            "the logo {} (named in {}) is not a PNG, JPEG, GIF, WebP or SVG image",
            file.display(),
            path.display()
        );
    };
    Ok((brand, Some(logo)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_word_quotes_only_when_needed() {
        assert_eq!(posix_word("sheets/a-1.toml"), "sheets/a-1.toml");
        assert_eq!(posix_word("my sheet.toml"), "'my sheet.toml'");
        assert_eq!(posix_word("it's.toml"), r"'it'\''s.toml'");
        assert_eq!(
            powershell_word(r"C:\Users\ana\a-1.toml"),
            r"C:\Users\ana\a-1.toml"
        );
        assert_eq!(
            powershell_word(r"C:\My Sheets\ana.toml"),
            r"'C:\My Sheets\ana.toml'"
        );
        assert_eq!(powershell_word("it's,1.toml"), "'it''s,1.toml'");
        // Each platform gets its own shell's.
        assert_eq!(
            shell_word("it's"),
            if cfg!(windows) {
                "'it''s'"
            } else {
                r"'it'\''s'"
            }
        );
    }
}
