//! Everything between a path on the command line and a sheet resolved against the
//! rubric: which files to read (`paths`), bytes into text (`decode`), sheet files
//! (`sheet`), survey exports (`export`), and reading a whole run in input order with
//! flat memory (`stream`, on the one set of reading threads, `pipeline`). Remarks
//! that stop nothing are typed (`warning`).
//!
//! Nothing here scores or prints: a sheet leaves this layer resolved, or as an
//! [`InputError`](crate::diag::InputError) that names where it came from.

pub(crate) mod date;
pub mod decode;
pub(crate) mod event;
pub(crate) mod export;
pub(crate) mod options;
pub(crate) mod paths;
mod pipeline;
pub(crate) mod sheet;
pub mod stream;
pub(crate) mod warning;

pub use date::SheetDate;
pub use event::Event;
pub use options::{DateOrder, ReadOptions};
pub use paths::{Input, expand, format_of};
pub use sheet::{Expect, ResolvedSheet, Sheet, SheetFormat, load_text};
pub use stream::{load, stream_with};
pub use warning::{
    Heading, MissingQuestion, NameColumn, PassedSheet, Skip, Special, Undated, Warning,
};
