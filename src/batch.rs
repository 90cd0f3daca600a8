//! A whole run held as data: every input read and scored, in input order, with
//! its errors and warnings. For tests and for the commands that need a whole run
//! at once (the workshop, the report, `compare`); `score` and `check` stream
//! instead. The one place in the library where reading and scoring meet.

use crate::diag::InputError;
use crate::input::options::ReadOptions;
use crate::input::paths::Input;
use crate::input::sheet::ResolvedSheet;
use crate::input::stream::{Event, stream, stream_with};
use crate::input::warning::Warning;
use crate::result::{SheetResult, score};
use crate::rubric::LoadedRubric;

/// Every result and error of a run, in input order, held in memory ([`stream`]
/// holds none): for tests and for callers that want a whole run as data.
#[derive(Debug, Clone, Default)]
pub struct Batch<'r> {
    /// The scored sheets, in input order.
    pub results: Vec<SheetResult<'r>>,
    /// The inputs that could not be read, parsed, resolved or scored.
    pub errors: Vec<InputError>,
    pub(crate) warnings: Vec<Warning>,
}

impl<'r> Batch<'r> {
    /// Loads and scores every input (sensitivity included), keeping going past bad ones.
    pub fn run(rubric: &'r LoadedRubric, inputs: &[Input]) -> Batch<'r> {
        let mut batch = Batch::default();
        let collect = |event: Event<SheetResult<'r>>| {
            match event {
                Event::Item(r) => batch.results.push(r),
                Event::Error(e) => batch.errors.push(e),
                Event::Warning(w) => batch.warnings.push(w),
                Event::Progress(_) => {}
            }
            Ok(())
        };
        // The collector never fails, so neither does the run.
        let _ = stream(rubric, inputs, |s| score(rubric, s, true), collect);
        batch
    }
}

/// One input's outcome, with the sheet kept beside its result.
pub(crate) type Scored<'r> = Result<(ResolvedSheet, SheetResult<'r>), InputError>;

/// Loads and scores every input like [`Batch::run`] (exports included), but keeps
/// each resolved sheet beside its result (for `check`, which reads the sheet's
/// `[expect]`, and for the workshop and report, which read its answers and notes).
/// Outcomes in input order, then the warnings.
pub fn run_keeping_sheets<'r>(
    rubric: &'r LoadedRubric,
    inputs: &[Input],
    options: &ReadOptions,
) -> (Vec<Scored<'r>>, Vec<Warning>) {
    let mut outcomes = Vec::new();
    let mut warnings = Vec::new();
    let map = |sheet: ResolvedSheet| {
        let result = score(rubric, sheet.clone(), true)?;
        Ok((sheet, result))
    };
    // Collecting never fails, so neither does the stream.
    let _ = stream_with(rubric, inputs, options, map, |event| {
        match event {
            Event::Item(pair) => outcomes.push(Ok(pair)),
            Event::Error(e) => outcomes.push(Err(e)),
            Event::Warning(w) => warnings.push(w),
            Event::Progress(_) => {}
        }
        Ok(())
    });
    (outcomes, warnings)
}
