//! `workshop` and `report` refuse sheets that name more than one organisation (one
//! client's answers must not merge into another's group result) unless `--mixed`.
//!
//! Fixture: `tests/fixtures/two-organisations/`: two sheets of Riverside General
//! Hospital Trust (one spelt in other case and spacing, still the same
//! organisation) and one of Vale Water.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/two-organisations")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn assert_refused(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout when refused");
    assert!(
        stderr.contains(
            "2 organisations: Riverside General Hospital Trust (2 sheets) and Vale Water (1 sheet)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--mixed"), "{stderr}");
}

#[test]
fn workshop_refuses_two_organisations_and_names_them() {
    let dir = fixture();
    assert_refused(&run(&["workshop", dir.to_str().unwrap()]));
    let out = run(&["workshop", "--mixed", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 respondents"));
}

#[test]
fn one_organisation_in_any_spelling_is_one() {
    let dir = fixture();
    let out = run(&[
        "workshop",
        dir.join("riverside-cfo.toml").to_str().unwrap(),
        dir.join("riverside-coo.toml").to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn report_refuses_two_organisations_and_writes_nothing() {
    let dir = fixture();
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("r.html");
    let out = run(&[
        "report",
        dir.to_str().unwrap(),
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_refused(&out);
    assert!(!html.exists(), "a refused report writes no file");
    let out = run(&[
        "report",
        "--mixed",
        dir.to_str().unwrap(),
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(html.is_file());
}

#[test]
fn the_readout_names_the_organisation_and_dates_and_puts_notes_by_the_agenda() {
    let dir = fixture();
    let sheets = [
        dir.join("riverside-cfo.toml"),
        dir.join("riverside-coo.toml"),
    ];
    let mut args = vec!["workshop"];
    args.extend(sheets.iter().map(|p| p.to_str().unwrap()));
    let table = run(&args);
    assert_eq!(table.status.code(), Some(0));
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.starts_with(
            "Workshop · Riverside General Hospital Trust · 3 November 2026 to 24 November 2026 · 2 respondents\n"
        ),
        "{table}"
    );
    args.extend(["--format", "markdown"]);
    let md = String::from_utf8(run(&args).stdout).unwrap();
    assert!(md.starts_with(
        "# Workshop: Riverside General Hospital Trust · 3 November 2026 to 24 November 2026 · 2 respondents\n"
    ));
    let agenda = &md[md.find("## Agenda").unwrap()..];
    let agenda = &agenda[..agenda[3..].find("\n## ").unwrap()];
    let items = agenda
        .lines()
        .filter(|l| l.starts_with(char::is_numeric))
        .count();
    assert!((1..=5).contains(&items), "{agenda}");
    // A note sits under its question, with who wrote it.
    assert!(agenda.contains("   - “"), "{agenda}");
    assert!(agenda.contains("(Margaret Doyle)"), "{agenda}");
    assert!(agenda.contains("more questions, less divided or unanimous"));
}
