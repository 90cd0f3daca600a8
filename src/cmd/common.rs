//! Glue the commands share: reading a run of sheets for the commands that
//! aggregate them (workshop, report, compare), and writing a file that a command
//! makes (report, form).

use pmo_vmo::LoadedRubric;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use pmo_vmo::atomic::{self, Wrote};
use pmo_vmo::render::diag::io_reason;

use pmo_vmo::batch::run_keeping_sheets;
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

/// [`load_members`] for paths given some other way (`compare`'s two sides).
pub fn load_paths<'r>(
    settings: &Settings,
    rubric: &'r LoadedRubric,
    paths: &[PathBuf],
    stdin_format: SheetFormat,
    options: &ReadOptions,
) -> (Vec<(ResolvedSheet, SheetResult<'r>)>, bool) {
    let inputs = input::expand(paths, stdin_format);
    // The same loading as `check`: survey exports give one member per row.
    let (outcomes, warnings) = run_keeping_sheets(rubric, &inputs, options);
    for w in &warnings {
        term::warn(w);
    }
    let mut members = Vec::with_capacity(outcomes.len());
    let mut failed = false;
    for outcome in outcomes {
        match outcome {
            Ok(m) => members.push(m),
            Err(e) => {
                term::print_input_error(&e, settings);
                failed = true;
            }
        }
    }
    (members, failed)
}

/// Paths that mean this process's standard output, written as `-` is (a link
/// followed to a file that the shell has just emptied would otherwise be
/// refused as existing, or renamed over).
const STDOUT_PATHS: [&str; 4] = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

/// Whether an output path means standard output.
pub fn is_stdout(out: &Path) -> bool {
    STDOUT_PATHS.iter().any(|p| out.as_os_str() == *p)
}

/// Writes a command's file whole (its bytes written by `fill`), with the errors
/// worded for the command line.
pub fn write_output(
    out: &Path,
    force: bool,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<Wrote> {
    match atomic::write_with(out, force, fill) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists; not overwriting it (pass --force to replace it)",
            out.display()
        ),
        Err(e) => bail!("could not write {}: {}", out.display(), io_reason(&e)),
        Ok(wrote) => Ok(wrote),
    }
}
