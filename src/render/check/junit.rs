//! `check --format junit`: one test suite, one test case per sheet named by its
//! source; a failing sheet carries a `<failure>`, an unreadable one an `<error>`.
//! Written by quick-junit, so escaping and the schema that CI viewers read
//! (GitLab, Jenkins, Azure, the GitHub test-report actions) are not ours to get wrong.

use std::io::{self, Write};

use quick_junit::{
    NonSuccessKind, Property, Report as JReport, TestCase, TestCaseStatus, TestSuite,
};

use super::{failure_with_key, reason};
use crate::check::{Outcome, Report, Status};
use crate::render::num::{index_num, num, short};
use crate::rubric::LoadedRubric;

/// A `message` attribute on one line: an XML parser reads a newline in an attribute
/// as a space, so a value from a sheet holding one would lose it. The newline is
/// written `\n` (and control characters escaped); the element's body keeps the
/// whole text as it was.
fn one_line(s: &str) -> String {
    crate::render::clean::printable_line(s).into_owned()
}

pub fn render(rubric: &LoadedRubric, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let r = &rubric.rubric;
    let mut suite = TestSuite::new(format!("pmo-vmo check ({} {})", r.id, r.version));
    suite.add_property(Property::new("rubric", rubric.source.to_string()));
    for o in &report.outcomes {
        let case = match o {
            Outcome::Judged(v) => {
                let e = &v.result.evaluation;
                let status = match v.status {
                    Status::Pass => TestCaseStatus::success(),
                    Status::Fail => {
                        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                        s.set_message(one_line(&reason(rubric, v)))
                            .set_type("expectation");
                        s.set_description(
                            v.failures()
                                .map(|j| failure_with_key(rubric, j))
                                .collect::<Vec<_>>()
                                .join("\n"),
                        );
                        s
                    }
                };
                let mut case = TestCase::new(v.result.source.to_string(), status);
                case.set_classname(r.id.as_str());
                case.set_system_out(format!(
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
                            e.gates
                                .iter()
                                .map(|g| g.id.as_str())
                                .collect::<Vec<_>>()
                                .join(" ")
                        )
                    }
                ));
                case
            }
            Outcome::Error(err) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                s.set_message(one_line(&err.message))
                    .set_type("invalid-sheet");
                s.set_description(err.to_string());
                let mut case = TestCase::new(err.source.to_string(), s);
                case.set_classname(r.id.as_str());
                case
            }
        };
        suite.add_test_case(case);
    }
    let mut doc = JReport::new("pmo-vmo");
    doc.add_test_suite(suite);
    let xml = doc.to_string().map_err(io::Error::other)?;
    out.write_all(xml.as_bytes())?;
    if !xml.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()
}
