//! `check --format json`: the `score` document's shape with each result's verdict
//! added, and the counts.

use std::io::{self, Write};

use serde::Serialize;

use super::{phrase, reason};
use crate::check::{Checked, Counts, Expected, Status, Verdict};
use crate::diag::InputError;
use crate::render::Output;
use crate::result::SheetResult;
use crate::rubric::LoadedRubric;
use crate::spill::Spill;

#[derive(Serialize)]
struct RubricRef<'a> {
    id: &'a str,
    version: &'a str,
}

/// One unmet expectation.
#[derive(Serialize)]
struct FailureDoc<'a> {
    /// Why, in one short phrase (`margin 1.2 < 5`).
    message: String,
    /// The key in the sheet that set the expectation, when the sheet set it.
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
}

/// A verdict: the result's fields first (as in `score`'s output), then the verdict's.
#[derive(Serialize)]
struct VerdictDoc<'a> {
    #[serde(flatten)]
    result: &'a SheetResult<'a>,
    status: Status,
    reason: String,
    expected: &'a Expected,
    failures: Vec<FailureDoc<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

impl<'a> VerdictDoc<'a> {
    fn new(rubric: &LoadedRubric, v: &'a Verdict) -> Self {
        VerdictDoc {
            result: &v.result,
            status: v.status,
            reason: reason(rubric, v),
            expected: &v.expected,
            failures: v
                .failures()
                .map(|j| FailureDoc {
                    message: phrase(rubric, &j.check),
                    key: j.key.as_deref(),
                })
                .collect(),
            line: v.line,
        }
    }
}

/// The head of the document: what comes before the results.
#[derive(Serialize)]
struct Head<'a> {
    rubric: RubricRef<'a>,
    counts: Counts,
}

/// `value` as pretty JSON with every line but the first indented by `indent`
/// spaces, as it appears nested in the whole document (a JSON text holds no raw
/// newline inside a string, so lines are safe to indent).
fn nested<T: Serialize>(value: &T, indent: usize, out: &mut dyn Write) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let pad = " ".repeat(indent);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
            out.write_all(pad.as_bytes())?;
        }
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// One judged sheet, as an element of `results` (after a comma when one came
/// before it in `body`).
pub(crate) fn verdict(rubric: &LoadedRubric, v: &Verdict, body: &mut Spill) -> io::Result<()> {
    body.write_all(if body.is_empty() {
        b"\n    "
    } else {
        b",\n    "
    })?;
    nested(&VerdictDoc::new(rubric, v), 4, body)
}

/// The whole document: the head with the counts, the results kept in `body`, then
/// the errors; byte for byte what serde_json's pretty printer makes of it whole.
pub(crate) fn finish(
    rubric: &LoadedRubric,
    counts: Counts,
    body: Spill,
    errors: &[InputError],
    out: &mut dyn Write,
) -> io::Result<()> {
    let head = Head {
        rubric: RubricRef {
            id: &rubric.rubric.id,
            version: &rubric.rubric.version,
        },
        counts,
    };
    let text = serde_json::to_string_pretty(&head)?;
    // Without its closing `\n}`.
    out.write_all(&text.as_bytes()[..text.len() - 2])?;
    out.write_all(b",\n  \"results\": [")?;
    let any = !body.is_empty();
    body.copy_to(out)?;
    out.write_all(if any {
        b"\n  ],\n  \"errors\": "
    } else {
        b"],\n  \"errors\": "
    })?;
    nested(&errors, 2, out)?;
    out.write_all(b"\n}\n")
}

/// `check --format json`: the verdicts' body kept in a [`Spill`] (memory, then a
/// temporary file) until the counts that head the document are known; the errors
/// (few) kept for the end.
pub(crate) struct JsonVerdicts<'a, W: Write> {
    rubric: &'a LoadedRubric,
    out: W,
    counts: Counts,
    body: Spill,
    errors: Vec<InputError>,
}

impl<'a, W: Write> JsonVerdicts<'a, W> {
    pub(crate) fn new(rubric: &'a LoadedRubric, out: W) -> Self {
        JsonVerdicts {
            rubric,
            out,
            counts: Counts::default(),
            body: Spill::new(),
            errors: Vec::new(),
        }
    }
}

impl<'r, W: Write> Output<Checked<'r>> for JsonVerdicts<'_, W> {
    fn item(&mut self, o: &Checked<'r>) -> io::Result<()> {
        self.counts.add(o);
        match o {
            Checked::Judged(v) => verdict(self.rubric, v, &mut self.body),
            Checked::Error(e) => {
                self.errors.push(e.clone());
                Ok(())
            }
        }
    }

    fn error(&mut self, e: &InputError) -> io::Result<()> {
        self.item(&Checked::Error(e.clone()))
    }

    fn finish(&mut self) -> io::Result<()> {
        let body = std::mem::replace(&mut self.body, Spill::new());
        finish(self.rubric, self.counts, body, &self.errors, &mut self.out)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Checked, Rules};
    use crate::render::{Format, Setup, Style};

    /// The document as serde_json writes it whole: what the streamed one must match.
    #[derive(Serialize)]
    struct Doc<'a> {
        rubric: RubricRef<'a>,
        counts: Counts,
        results: Vec<VerdictDoc<'a>>,
        errors: Vec<&'a InputError>,
    }

    fn whole(rubric: &LoadedRubric, outcomes: &[Checked]) -> String {
        let mut doc = Doc {
            rubric: RubricRef {
                id: &rubric.rubric.id,
                version: &rubric.rubric.version,
            },
            counts: Counts::default(),
            results: Vec::new(),
            errors: Vec::new(),
        };
        for o in outcomes {
            doc.counts.add(o);
            match o {
                Checked::Judged(v) => doc.results.push(VerdictDoc::new(rubric, v)),
                Checked::Error(e) => doc.errors.push(e),
            }
        }
        serde_json::to_string_pretty(&doc).unwrap() + "\n"
    }

    #[test]
    fn the_streamed_document_is_the_whole_one_byte_for_byte() {
        let r = crate::testing::v2();
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/sheets");
        let inputs = crate::input::expand(&[dir], crate::SheetFormat::Toml);
        let (outcomes, _) = crate::batch::run_keeping_sheets(&r, &inputs, &Default::default());
        let rules = Rules::default();
        let all: Vec<Checked> = outcomes
            .into_iter()
            .map(|o| match o {
                Ok((s, res)) => Checked::Judged(Box::new(crate::check::judge(&r, &s, res, &rules))),
                Err(e) => Checked::Error(e),
            })
            .collect();
        assert!(all.iter().any(|o| matches!(o, Checked::Error(_))));
        assert!(
            all.iter()
                .filter(|o| matches!(o, Checked::Judged(_)))
                .count()
                > 2
        );
        // With errors and results, with results only, and with nothing.
        let judged: Vec<Checked> = all
            .iter()
            .filter(|o| matches!(o, Checked::Judged(_)))
            .cloned()
            .collect();
        for outcomes in [all, judged, Vec::new()] {
            let mut out = Vec::new();
            streamed(&r, &outcomes, &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole(&r, &outcomes));
        }
    }

    /// The outcomes written as `check --format json` streams them.
    fn streamed(
        rubric: &LoadedRubric,
        outcomes: &[Checked],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let setup = Setup {
            rubric,
            style: Style::default(),
            single: false,
        };
        let mut output = crate::render::output::<Checked<'_>>(Format::Json, setup, out)
            .ok_or_else(|| io::Error::other("not a format of check"))?;
        for o in outcomes {
            output.item(o)?;
        }
        output.finish()
    }
}
