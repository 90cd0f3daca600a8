//! Glue the commands share: reading a whole run of sheets for the commands that
//! need every sheet at once (workshop, report).

use pmo_vmo::LoadedRubric;
use pmo_vmo::input::{self, ResolvedSheet};
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
    let inputs = input::expand(&sheets.paths, sheets.input_format.into());
    // The same loading as `check`: survey exports give one member per row.
    let (outcomes, warnings) = run_keeping_sheets(rubric, &inputs, &sheets.read_options());
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
