//! The JUnit output, parsed back by an XML parser: one test case per sheet named by
//! its source, a `<failure>` with the reason for a failing sheet, an `<error>` for
//! an unreadable one, and counts that match.

use std::process::Command;

fn run_junit(args: &[&str]) -> (String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .env(
            "PMO_VMO_RUBRIC",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/v2/pmo-vmo-2.0.0.toml"
            ),
        )
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .args(["check", "--format", "junit"])
        .args(args)
        .output()
        .expect("run pmo-vmo");
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

#[test]
fn junit_parses_with_one_case_per_sheet() {
    let (xml, code) = run_junit(&["tests/fixtures/check/sheets", "tests/fixtures/v2/sheets"]);
    assert_eq!(code, Some(2), "an unreadable sheet makes it an error run");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // 5 fixture sheets (one unreadable) + 3 examples.
    assert_eq!(cases.len(), 8);
    assert_eq!(suite.attribute("tests"), Some("8"));
    assert_eq!(suite.attribute("failures"), Some("3"));
    assert_eq!(suite.attribute("errors"), Some("1"));

    let by_name = |name: &str| {
        *cases
            .iter()
            .find(|c| c.attribute("name") == Some(name))
            .unwrap_or_else(|| panic!("no test case {name}"))
    };
    let failure_message = |name: &str| {
        by_name(name)
            .children()
            .find(|n| n.has_tag_name("failure"))
            .and_then(|f| f.attribute("message"))
            .map(str::to_string)
    };
    assert_eq!(
        failure_message("tests/fixtures/check/sheets/gated.toml").as_deref(),
        Some("expected vmo, got hybrid (gates vmo-needs-reliable-delivery, vmo-needs-maturity)")
    );
    // `<` is escaped in the XML and comes back intact.
    assert_eq!(
        failure_message("tests/fixtures/check/sheets/thin-margin.toml").as_deref(),
        Some("margin 0.3 < 5")
    );
    assert_eq!(
        failure_message("tests/fixtures/v2/sheets/in-transition.toml"),
        None,
        "a passing sheet has no failure"
    );
    let broken = by_name("tests/fixtures/check/sheets/broken.toml");
    let error = broken
        .children()
        .find(|n| n.has_tag_name("error"))
        .expect("an error element");
    assert!(
        error
            .attribute("message")
            .is_some_and(|m| m.contains("unknown option `sometimes`")),
        "{error:?}"
    );
    assert!(broken.children().all(|n| !n.has_tag_name("failure")));
}

#[test]
fn junit_all_passing_exits_zero() {
    let (xml, code) = run_junit(&["tests/fixtures/v2/sheets"]);
    assert_eq!(code, Some(0));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        3
    );
    assert!(
        doc.descendants()
            .all(|n| !n.has_tag_name("failure") && !n.has_tag_name("error"))
    );
}
