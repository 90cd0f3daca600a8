//! Glue the commands share: reading a whole run of sheets for the commands that
//! need every sheet at once (workshop, report).

use pmo_vmo::LoadedRubric;
use std::path::PathBuf;

use pmo_vmo::input::{self, ResolvedSheet, SheetFormat};
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
    load_paths(settings, rubric, &sheets.paths, sheets.input_format.into())
}

/// [`load_members`] for paths given some other way (`compare`'s two sides).
pub fn load_paths(
    settings: &Settings,
    rubric: &LoadedRubric,
    paths: &[PathBuf],
    stdin_format: SheetFormat,
) -> (Vec<(ResolvedSheet, SheetResult)>, bool) {
    let inputs = input::expand(paths, stdin_format);
    // The same loading as `check`: survey exports give one member per row.
    let (outcomes, warnings) = run_keeping_sheets(rubric, &inputs);
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
