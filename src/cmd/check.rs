//! `pmo-vmo check`: the CI gate. Scores like `score`, judges each sheet against its
//! expectations, and exits 0 (all passed), 1 (a sheet failed) or 2 (an input could
//! not be read; errors win over failures).

use anyhow::{Result, bail};
use pmo_vmo::Band;
use pmo_vmo::check::{self, Checked, Counts, Rules, RunStatus};
use pmo_vmo::input::{self, Event, ResolvedSheet, Warning};
use pmo_vmo::render::{self, Setup};
use pmo_vmo::result;

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
    // Verdicts are written as they come (JSON and JUnit keep their body on disk
    // past a few megabytes), so a million-row export is checked in flat memory.
    let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let setup = Setup {
        rubric: &rubric,
        style: settings.style(None),
        single: false,
    };
    let Some(mut output) = render::output::<Checked>(args.format.into(), setup, out) else {
        bail!("`check` has no {:?} output", args.format);
    };
    let mut counts = Counts::default();
    let judge = |sheet: ResolvedSheet| {
        let result = result::score(&rubric, sheet.clone(), true)?;
        Ok(check::judge(&rubric, &sheet, result, &rules))
    };
    let streamed = input::stream_with(
        &rubric,
        &inputs,
        &args.sheets.read_options(),
        judge,
        |event| match event {
            Event::Item(v) => {
                let o = Checked::Judged(Box::new(v));
                counts.add(&o);
                output.item(&o)
            }
            Event::Error(e) => {
                term::print_input_error(&e, settings);
                let written = output.error(&e);
                counts.add(&Checked::Error(e));
                written
            }
            // Under --strict-version the mismatch is the sheet's FAIL reason: said once.
            Event::Warning(w) => {
                if !(rules.strict_version && matches!(w, Warning::Version { .. })) {
                    term::warn(&w);
                }
                Ok(())
            }
            Event::Progress(_) => Ok(()),
        },
    );
    let status = match counts.status() {
        RunStatus::Passed => ExitStatus::Success,
        RunStatus::Failed => ExitStatus::Failed,
        RunStatus::Error => ExitStatus::Error,
    };
    match streamed.and_then(|()| output.finish()) {
        // A reader that went away does not turn failures or errors into success.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(status),
        Err(e) => Err(e.into()),
        Ok(_) => Ok(status),
    }
}
