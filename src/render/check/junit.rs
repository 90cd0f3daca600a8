//! `check --format junit`: one test suite, one test case per sheet named by its
//! source; a failing sheet carries a `<failure>`, an unreadable one an `<error>`.
//! Written by quick-junit, so escaping and the schema that CI viewers read
//! (GitLab, Jenkins, Azure, the GitHub test-report actions) are not ours to get wrong.

use std::io::{self, Write};

use quick_junit::{
    NonSuccessKind, Property, Report as JReport, TestCase, TestCaseStatus, TestSuite,
};

use super::{failure_with_key, reason};
use crate::check::{Checked, Counts, Status};
use crate::diag::InputError;
use crate::render::Output;
use crate::render::num::{index_num, num, short};
use crate::rubric::LoadedRubric;
use crate::spill::Spill;

/// A `message` attribute on one line: an XML parser reads a newline in an attribute
/// as a space, so a value from a sheet holding one would lose it. The newline is
/// written `\n` (and control characters escaped); the element's body keeps the
/// whole text as it was.
fn one_line(s: &str) -> String {
    crate::render::clean::printable_line(s).into_owned()
}

/// Text of several lines as the other outputs write it: a control character
/// escaped (`\u{1b}`), never handed to the XML writer, which drops it and the
/// character after it.
fn lines(s: &str) -> String {
    crate::render::clean::printable(s).into_owned()
}

/// The suite every case belongs to, with no case yet.
fn suite(rubric: &LoadedRubric) -> TestSuite {
    let r = &rubric.rubric;
    let mut suite = TestSuite::new(format!("pmo-vmo check ({} {})", r.id, r.version));
    suite.add_property(Property::new("rubric", rubric.source().to_string()));
    suite
}

/// The XML of a report of `suite`.
fn xml(suite: TestSuite) -> io::Result<String> {
    let mut doc = JReport::new("pmo-vmo");
    doc.add_test_suite(suite);
    doc.to_string().map_err(io::Error::other)
}

/// One outcome's `<testcase>` element, written by quick-junit (in a report of its
/// own, from which the element's lines are taken) into `body`.
pub(crate) fn case(rubric: &LoadedRubric, o: &Checked, body: &mut Spill) -> io::Result<()> {
    let r = &rubric.rubric;
    let case = match o {
        Checked::Judged(v) => {
            let e = &v.result.evaluation;
            let status = match v.status {
                Status::Pass => TestCaseStatus::success(),
                Status::Fail => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(one_line(&reason(rubric, v)))
                        .set_type("expectation");
                    s.set_description(lines(
                        &v.failures()
                            .map(|j| failure_with_key(rubric, j))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ));
                    s
                }
            };
            let mut case = TestCase::new(one_line(&v.result.source.to_string()), status);
            case.set_classname(one_line(&r.id));
            case.set_system_out(lines(&format!(
                "{}: recommendation {}, band {}, index {}, margin {}, answered {}/{}{}",
                v.result.source,
                e.recommendation.id(),
                e.band.id(),
                index_num(rubric, e.index),
                // Beside the expected minimum, as precise as the failure message.
                match v.expected.min_margin {
                    Some(min) => short(e.margin, min),
                    None => num(e.margin),
                },
                e.answered,
                e.questions,
                if e.gates.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", gates {}",
                        e.gates.iter().map(|g| g.id).collect::<Vec<_>>().join(" ")
                    )
                }
            )));
            case
        }
        Checked::Error(err) => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
            s.set_message(one_line(&crate::render::diag::message(err)))
                .set_type("invalid-sheet");
            s.set_description(lines(&err.to_string()));
            let mut case = TestCase::new(one_line(&err.source.to_string()), s);
            case.set_classname(one_line(&r.id));
            case
        }
    };
    let mut suite = suite(rubric);
    suite.add_test_case(case);
    let xml = xml(suite)?;
    let start = xml.find("        <testcase").unwrap_or(xml.len());
    let end = xml
        .rfind("    </testsuite>")
        .unwrap_or(xml.len())
        .max(start);
    body.write_all(&xml.as_bytes()[start..end])
}

/// The whole report: the suite's head with the counts, the cases kept in `body`,
/// the end.
pub(crate) fn finish(
    rubric: &LoadedRubric,
    counts: Counts,
    body: Spill,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut suite = suite(rubric);
    suite.tests = counts.sheets;
    suite.failures = counts.failed;
    suite.errors = counts.errors;
    let mut doc = JReport::new("pmo-vmo");
    doc.add_test_suite(suite);
    doc.tests = counts.sheets;
    doc.failures = counts.failed;
    doc.errors = counts.errors;
    let xml = doc.to_string().map_err(io::Error::other)?;
    let cut = xml.rfind("    </testsuite>").unwrap_or(xml.len());
    out.write_all(&xml.as_bytes()[..cut])?;
    body.copy_to(out)?;
    out.write_all(&xml.as_bytes()[cut..])?;
    if !xml.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `check --format junit`: the cases kept in a [`Spill`] (memory, then a temporary
/// file) until the counts that head the suite are known.
pub(crate) struct JunitVerdicts<'a, W: Write> {
    rubric: &'a LoadedRubric,
    out: W,
    counts: Counts,
    body: Spill,
}

impl<'a, W: Write> JunitVerdicts<'a, W> {
    pub(crate) fn new(rubric: &'a LoadedRubric, out: W) -> Self {
        JunitVerdicts {
            rubric,
            out,
            counts: Counts::default(),
            body: Spill::new(),
        }
    }
}

impl<'r, W: Write> Output<Checked<'r>> for JunitVerdicts<'_, W> {
    fn item(&mut self, o: &Checked<'r>) -> io::Result<()> {
        self.counts.add(o);
        case(self.rubric, o, &mut self.body)
    }

    fn error(&mut self, e: &InputError) -> io::Result<()> {
        self.item(&Checked::Error(e.clone()))
    }

    fn finish(&mut self) -> io::Result<()> {
        let body = std::mem::replace(&mut self.body, Spill::new());
        finish(self.rubric, self.counts, body, &mut self.out)?;
        self.out.flush()
    }
}
