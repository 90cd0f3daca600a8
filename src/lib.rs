//! pmo-vmo: decide between a Project Management Office, a Value Management Office or
//! a hybrid, from answers to a rubric of weighted questions.
//!
//! The library holds the domain (rubric, sheets, scoring, renderers as data written to
//! any `io::Write`); the binary parses arguments, calls it, and maps errors to exit
//! codes. The library never prints.
//!
//! ```
//! use pmo_vmo::{Band, LoadedRubric, SheetFormat, evaluate, sheet};
//!
//! let rubric = LoadedRubric::embedded()?;
//! let text = r#"
//! rubric = "pmo-vmo"
//! [answers]
//! maturity-standards = "consistent"
//! objective-success-measure = "on-plan"
//! "#;
//! let answers = sheet::load_text(&rubric, "acme.toml", text, SheetFormat::Toml)?;
//! let result = evaluate(&rubric, &answers.choices)?;
//! assert_eq!(result.answered, 2);
//! assert!((0.0..=100.0).contains(&result.index));
//! assert_eq!(result.band, pmo_vmo::scoring::band_of(&rubric.rubric.scoring, result.index));
//! # let _ = Band::Pmo;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod batch;
pub mod check;
pub mod csv_input;
pub mod diag;
pub mod flip;
pub mod init;
pub mod interview;
pub mod lint;
pub mod render;
pub mod report;
pub mod rubric;
pub mod schema;
pub mod scoring;
pub mod sheet;
pub mod show;
pub mod workshop;

pub use batch::{Batch, Input, SheetResult};
pub use diag::{InputError, InputErrors};
pub use rubric::{Band, LoadedRubric, Rubric};
pub use scoring::{Evaluation, evaluate};
pub use sheet::{ResolvedSheet, Sheet, SheetFormat};
