//! Turning the paths on a command line into scored sheets: files, folders (walked
//! in sorted order) and stdin, each bad input an error that does not stop the rest.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::InputError;
use crate::flip::Flip;
use crate::rubric::{Band, LoadedRubric};
use crate::scoring::{Evaluation, evaluate};
use crate::sheet::{ResolvedSheet, SheetFormat, load_text, read_text, text_from_bytes};

/// How standard input is named in results and errors.
pub const STDIN: &str = "<stdin>";

/// One thing to read.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A file, with the format its extension names.
    File(PathBuf, SheetFormat),
    /// Standard input (`-`).
    Stdin(SheetFormat),
    /// A path that cannot be read as a sheet; the error says why.
    Bad(InputError),
}

/// The sheet format an extension names.
pub fn format_of(path: &Path) -> Option<SheetFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "toml" => Some(SheetFormat::Toml),
        "json" => Some(SheetFormat::Json),
        _ => None,
    }
}

/// Expands command-line paths: folders become their sheet files, recursively, in
/// sorted order; `-` is stdin in `stdin_format`.
pub fn expand(paths: &[PathBuf], stdin_format: SheetFormat) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin(stdin_format));
        } else if p.is_dir() {
            let before = out.len();
            walk(p, &mut out);
            if out.len() == before {
                out.push(Input::Bad(InputError::new(
                    p.display().to_string(),
                    "folder holds no .toml or .json sheet",
                )));
            }
        } else if !p.exists() {
            out.push(Input::Bad(InputError::new(
                p.display().to_string(),
                "no such file or folder",
            )));
        } else {
            match format_of(p) {
                Some(f) => out.push(Input::File(p.clone(), f)),
                None => out.push(Input::Bad(InputError::new(
                    p.display().to_string(),
                    "unsupported file type; expected .toml or .json",
                ))),
            }
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Input>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out.push(Input::Bad(InputError::new(
                dir.display().to_string(),
                format!("could not read folder: {}", crate::sheet::io_reason(&e)),
            )));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out);
        } else if let Some(f) = format_of(&p) {
            out.push(Input::File(p, f));
        }
    }
}

/// Reads one input and resolves it against the rubric.
pub fn load(rubric: &LoadedRubric, input: &Input) -> Result<ResolvedSheet, InputError> {
    match input {
        Input::Bad(e) => Err(e.clone()),
        Input::File(path, format) => {
            let source = path.display().to_string();
            let text = read_text(path)?;
            load_text(rubric, &source, &text, *format)
        }
        Input::Stdin(format) => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                .map_err(|e| InputError::new(STDIN, format!("could not read: {e}")))?;
            let text = text_from_bytes(STDIN, bytes)?;
            load_text(rubric, STDIN, &text, *format)
        }
    }
}

/// A scored sheet as it appears in results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetResult {
    pub source: String,
    pub respondent: Option<String>,
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(flatten)]
    pub evaluation: Evaluation,
    /// The single answer change that would change the recommendation, if any.
    pub flip: Option<Flip>,
}

/// Scores a resolved sheet; a sheet with no answer is an error.
pub fn score(rubric: &LoadedRubric, sheet: &ResolvedSheet) -> Result<SheetResult, InputError> {
    let evaluation = evaluate(rubric, &sheet.choices)
        .map_err(|e| InputError::new(&sheet.source, e.to_string()))?;
    Ok(SheetResult {
        source: sheet.source.clone(),
        respondent: sheet.sheet.respondent.clone(),
        role: sheet.sheet.role.clone(),
        organisation: sheet.sheet.organisation.clone(),
        evaluation,
        flip: crate::flip::find(rubric, &sheet.choices),
    })
}

/// Every result and error of a run, in input order.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub results: Vec<SheetResult>,
    pub errors: Vec<InputError>,
    pub warnings: Vec<String>,
}

impl Batch {
    /// Loads and scores every input, keeping going past bad ones.
    pub fn run(rubric: &LoadedRubric, inputs: &[Input]) -> Batch {
        let mut batch = Batch::default();
        for input in inputs {
            match load(rubric, input).and_then(|s| {
                batch.warnings.extend(s.warnings.iter().cloned());
                score(rubric, &s)
            }) {
                Ok(r) => batch.results.push(r),
                Err(e) => batch.errors.push(e),
            }
        }
        batch
    }

    /// How many results got each recommendation.
    pub fn counts(&self) -> [(Band, usize); 3] {
        Band::ALL.map(|b| {
            (
                b,
                self.results
                    .iter()
                    .filter(|r| r.evaluation.recommendation == b)
                    .count(),
            )
        })
    }

    /// Mean index of the results, if any.
    pub fn mean_index(&self) -> Option<f64> {
        (!self.results.is_empty()).then(|| {
            self.results.iter().map(|r| r.evaluation.index).sum::<f64>() / self.results.len() as f64
        })
    }
}

/// Loads and scores every input like [`Batch::run`], but keeps each resolved sheet
/// beside its result (for `check`, which reads the sheet's `[expect]`). One entry
/// per input, in input order.
pub fn run_keeping_sheets(
    rubric: &LoadedRubric,
    inputs: &[Input],
) -> Vec<Result<(ResolvedSheet, SheetResult), InputError>> {
    inputs
        .iter()
        .map(|input| {
            let sheet = load(rubric, input)?;
            let result = score(rubric, &sheet)?;
            Ok((sheet, result))
        })
        .collect()
}
