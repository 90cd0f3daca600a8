//! Everything between a path on the command line and a sheet resolved against the
//! rubric: which files to read (`paths`), bytes into text (`decode`), sheet files
//! (`sheet`), survey exports (`export`), and reading a whole run in input order with
//! flat memory (`stream`, on the one set of reading threads, `pipeline`). Remarks
//! that stop nothing are typed (`warning`).
//!
//! Nothing here scores or prints: a sheet leaves this layer resolved, or as an
//! [`InputError`](crate::diag::InputError) that names where it came from.

pub mod date;
pub mod decode;
pub mod event;
pub mod export;
pub mod options;
pub mod paths;
mod pipeline;
pub mod sheet;
pub mod stream;
pub mod warning;

pub use date::SheetDate;
pub use options::ReadOptions;
pub use paths::{Input, expand, format_of};
pub use sheet::{Expect, ResolvedSheet, Sheet, SheetFormat, load_text};
pub use stream::{Event, load, load_with, stream, stream_with};
pub use warning::{Heading, Skip, Special, Warning};
