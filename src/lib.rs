//! pmo-vmo: decide between a Project Management Office, a Value Management Office or
//! a hybrid, from answers to a rubric of weighted questions.
//!
//! The library holds the domain in layers that only look down: `render` (every
//! word and number a person reads) over the model (`result`, `check`, `workshop`,
//! `compare` and the rest: data), over `scoring` (pure), over `input` (files into
//! sheets) and `rubric`, over what all of them share (`diag`, `origin`). `batch`
//! reads and scores a whole run. ARCHITECTURE.md has the table of what may import
//! what, and `tests/architecture.rs` checks every import against it. The binary
//! parses arguments, calls the library, and maps outcomes to exit codes. The
//! library never prints.
//!
//! ```
//! use pmo_vmo::{Band, LoadedRubric, SheetFormat, evaluate, input};
//!
//! let rubric = LoadedRubric::embedded()?;
//! let text = r#"
//! rubric = "pmo-vmo"
//! [answers]
//! maturity-standards = "consistent"
//! objective-success-measure = "on-plan"
//! "#;
//! let answers = input::load_text(&rubric, "acme.toml", text, SheetFormat::Toml)?;
//! let result = evaluate(&rubric, &answers.choices)?;
//! assert_eq!(result.answered, 2);
//! assert!((0.0..=100.0).contains(&result.index));
//! assert_eq!(result.band, pmo_vmo::scoring::band_of(&rubric.rubric.scoring, result.index));
//! # let _ = Band::Pmo;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs, unnameable_types, unreachable_pub)]

pub mod advice;
pub mod atomic;
pub mod batch;
pub mod brand;
pub mod check;
pub mod compare;
pub mod diag;
pub mod input;
pub mod interview;
pub(crate) mod json_text;
pub mod lint;
pub(crate) mod origin;
pub mod plan;
pub mod render;
pub mod result;
pub(crate) mod roadmap;
#[allow(missing_docs)]
pub mod rubric;
pub mod schema;
pub mod scoring;
pub mod sensitivity;
pub mod serve;
pub(crate) mod spill;
#[cfg(test)]
mod testing;
pub(crate) mod text;
pub mod workshop;

pub use batch::Batch;
pub use diag::{InputError, InputErrors};
pub use input::{Sheet, SheetFormat};
pub use origin::Origin;
pub use rubric::{Band, LoadedRubric};
pub use scoring::{Evaluation, evaluate};
