//! Glue the commands share: reading a whole run of sheets for the commands that
//! need every sheet at once (workshop, report), and writing a file that a command
//! makes (report, form).

use pmo_vmo::LoadedRubric;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use pmo_vmo::atomic::{self, Wrote};
use pmo_vmo::input::decode::io_reason;

use pmo_vmo::input::{self, ReadOptions, ResolvedSheet, SheetFormat};
use pmo_vmo::result::{SheetResult, run_keeping_sheets};

use crate::args::SheetArgs;
use crate::settings::Settings;
use crate::term;

/// Loads and scores every sheet; bad ones are reported on stderr and left out.
/// Returns the scored sheets and whether any input failed.
pub fn load_members(
    settings: &Settings,
    rubric: &LoadedRubric,
    sheets: &SheetArgs,
) -> (Vec<(ResolvedSheet, SheetResult)>, bool) {
    load_paths(
        settings,
        rubric,
        &sheets.paths,
        sheets.stdin_format(),
        &sheets.read_options(),
    )
}

/// [`load_members`] for paths given some other way (`compare`'s two sides).
pub fn load_paths(
    settings: &Settings,
    rubric: &LoadedRubric,
    paths: &[PathBuf],
    stdin_format: SheetFormat,
    options: &ReadOptions,
) -> (Vec<(ResolvedSheet, SheetResult)>, bool) {
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

/// Writes a command's file whole, with the errors worded for the command line.
pub fn write_output(out: &Path, bytes: &[u8], force: bool) -> Result<Wrote> {
    match atomic::write(out, bytes, force) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists; not overwriting it (pass --force to replace it)",
            out.display()
        ),
        Err(e) => bail!("could not write {}: {}", out.display(), io_reason(&e)),
        Ok(wrote) => Ok(wrote),
    }
}
