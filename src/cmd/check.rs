//! `pmo-vmo check`: the CI gate. Scores like `score`, judges each sheet against its
//! expectations, and exits 0 (all passed), 1 (a sheet failed) or 2 (an input could
//! not be read; errors win over failures).

use anyhow::{Result, bail};
use pmo_vmo::Band;
use pmo_vmo::check::{self, Outcome, Report, Rules, RunStatus};
use pmo_vmo::input::{self, Warning};
use pmo_vmo::render::check::render;
use pmo_vmo::result::run_keeping_sheets;

use crate::args::CheckArgs;
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

pub fn run(settings: &Settings, args: &CheckArgs) -> Result<ExitStatus> {
    let rules = Rules {
        expect: args.expect.map(Band::from),
        min_margin: args.min_margin,
        min_answered: args.min_answered,
        strict_version: args.strict_version,
    };
    if let Err(msg) = rules.validate() {
        bail!(msg);
    }
    let rubric = settings.load_rubric(None)?;
    let inputs = input::expand(&args.sheets.paths, args.sheets.stdin_format());
    let mut report = Report::default();
    let (outcomes, warnings) = run_keeping_sheets(&rubric, &inputs, &args.sheets.read_options());
    for w in &warnings {
        // Under --strict-version the mismatch is the sheet's FAIL reason: said once.
        if !(rules.strict_version && matches!(w, Warning::Version { .. })) {
            term::warn(w);
        }
    }
    for outcome in outcomes {
        match outcome {
            Ok((sheet, result)) => {
                let v = check::judge(&rubric, &sheet, result, &rules);
                report.outcomes.push(Outcome::Judged(Box::new(v)));
            }
            Err(e) => {
                term::print_input_error(&e, settings);
                report.outcomes.push(Outcome::Error(e));
            }
        }
    }
    let mut out = Vec::new();
    render(args.format.into(), &rubric, &report, &mut out)?;
    let status = match report.status() {
        RunStatus::Passed => ExitStatus::Success,
        RunStatus::Failed => ExitStatus::Failed,
        RunStatus::Error => ExitStatus::Error,
    };
    term::emit(&out, status)
}
