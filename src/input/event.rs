//! What a streaming run reports, in input order.

use crate::diag::InputError;
use crate::input::warning::Warning;

/// What a streaming run reports, in input order.
#[derive(Debug)]
pub enum Event<T> {
    /// A sheet, as the run's `map` turned it.
    Item(T),
    /// A bad input, or a bad row of an export.
    Error(InputError),
    /// A remark that does not stop anything (a rubric-version mismatch, ignored columns).
    Warning(Warning),
    /// Bytes of input files read so far, now and then, for a progress bar.
    Progress(u64),
}
