//! pmo-vmo: decide between a Project Management Office, a Value Management Office or
//! a hybrid, from answers to a rubric of weighted questions.
//!
//! The library holds the domain (rubric, sheets, scoring, renderers as data written to
//! any `io::Write`); the binary parses arguments, calls it, and maps errors to exit
//! codes. The library never prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod batch;
pub mod csv_input;
pub mod diag;
pub mod init;
pub mod render;
pub mod rubric;
pub mod scoring;
pub mod sheet;
pub mod show;

pub use batch::{Batch, Input, SheetResult};
pub use diag::{InputError, InputErrors};
pub use rubric::{Band, LoadedRubric, Rubric};
pub use scoring::{Evaluation, evaluate};
pub use sheet::{ResolvedSheet, Sheet, SheetFormat};
