//! The report as a deliverable: the executive summary first, client words only
//! (no gate ids or tool terms), a firm's brand (`--brand`) and respondents named
//! R1..Rn (`--anonymous`). Reads the HTML the binary writes; the printed pages are
//! checked in `report_print.rs` (end-to-end tier).
//!
//! Fixtures: `tests/fixtures/organisations/sheets-{a,b}/01-*.toml` (two readers of
//! one hospital trust) and `tests/fixtures/brand/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A folder holding the hospital trust's two sheets.
fn hospital(tmp: &Path) -> PathBuf {
    let dir = tmp.join("sheets");
    std::fs::create_dir_all(&dir).unwrap();
    for side in ["a", "b"] {
        let from = root().join(format!(
            "tests/fixtures/organisations/sheets-{side}/01-hospital-after-rollout.toml"
        ));
        std::fs::copy(from, dir.join(format!("{side}.toml"))).unwrap();
    }
    dir
}

fn report(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .arg("report")
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env_remove("PMO_VMO_RUBRIC")
        .output()
        .unwrap()
}

fn write_report(extra: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let sheets = hospital(tmp.path());
    let html = tmp.path().join("r.html");
    let mut args = vec![sheets.to_str().unwrap(), "-o", html.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = report(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(html).unwrap()
}

/// The page's body, without the style elements.
fn body(html: &str) -> &str {
    &html[html.find("<body>").unwrap()..]
}

/// The part of `html` from `start` to the first `end` after it.
fn part<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let len = html[at..].find(end).unwrap();
    &html[at..at + len]
}

#[test]
fn the_summary_comes_first_and_says_it_in_words() {
    let html = write_report(&[]);
    let body = body(&html);
    // The first section is the summary, with the cover in it.
    let first = body.find("<section").unwrap();
    assert!(body[first..].starts_with("<section id=\"summary\">"));
    let summary = part(body, "<section id=\"summary\">", "</section>");
    for said in [
        "Riverside General Hospital Trust",
        "3 November 2026 to 24 November 2026",
        "2 respondents: COO and CFO",
        "We recommend",
        "A PMO: an office for delivery",
        "Controlling PMO",
        "Why",
        "Top risks",
        "Half or more of recent projects overran or were cut back",
        "The first 90 days",
        "Progress reporting and review",
        "How firm is this?",
        "Every respondent's own answers give PMO",
    ] {
        assert!(summary.contains(said), "{said} missing from the summary");
    }
    // No id or tool term anywhere a client reads.
    for term in [
        "delivery-unreliable",
        "capacity-blind",
        "caps at",
        "Margin",
        "stdev",
        "Weight",
        "rubric pmo-vmo",
        "coo)",
    ] {
        assert!(!body.contains(term), "{term:?} in the report");
    }
    // The agenda holds only divided questions, at most five, each with its notes.
    let agenda = part(body, "<section id=\"agenda\">", "</section>");
    let items = agenda.matches("<li class=\"item\">").count();
    assert!((1..=5).contains(&items), "{items} agenda items");
    assert!(agenda.contains("<blockquote>"), "no note beside the agenda");
}

#[test]
fn a_brand_puts_the_firm_its_logo_colour_and_footer_on_the_page() {
    let brand = root().join("tests/fixtures/brand/brand.toml");
    let html = write_report(&["--brand", brand.to_str().unwrap()]);
    let cover = part(&html, "<header class=\"cover\">", "</header>");
    assert!(cover.contains("<img class=\"logo\" src=\"data:image/svg+xml;base64,PHN2Zy"));
    assert!(cover.contains("Ashdown Advisory"));
    assert!(cover.contains("Prepared by Ashdown Advisory"));
    assert!(html.contains("--accent: #0b5fff;"));
    assert!(html.contains(
        "<p class=\"confidential\">Confidential: prepared for the board of Riverside General Hospital Trust</p>"
    ));
    // The footer runs at the foot of every printed page, as a CSS string.
    assert!(html.contains("@bottom-left { content: \"Confidential\\3a  prepared"));
}

#[test]
fn a_bad_brand_file_is_refused_naming_its_line_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    let sheets = hospital(tmp.path());
    let html = tmp.path().join("r.html");
    for (file, said) in [
        ("bad-key.toml", "bad-key.toml:2: key `colour`: unknown key"),
        (
            "bad-accent.toml",
            "bad-accent.toml:3: key `accent`: `blue` is not a colour",
        ),
    ] {
        let brand = root().join("tests/fixtures/brand").join(file);
        let out = report(&[
            sheets.to_str().unwrap(),
            "-o",
            html.to_str().unwrap(),
            "--brand",
            brand.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(said), "{stderr}");
        assert!(!html.exists());
    }
    // A logo that is not an image.
    let brand = tmp.path().join("brand.toml");
    std::fs::write(&brand, "logo = \"brand.toml\"\n").unwrap();
    let out = report(&[
        sheets.to_str().unwrap(),
        "-o",
        html.to_str().unwrap(),
        "--brand",
        brand.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a PNG, JPEG, GIF, WebP or SVG"));
}

#[test]
fn anonymous_names_respondents_by_number_and_keeps_their_notes() {
    let named = write_report(&[]);
    let html = write_report(&["--anonymous"]);
    for name in ["Margaret Doyle", "Chief Financial Officer (presents"] {
        assert!(named.contains(name), "{name} not in the named report");
        assert!(!html.contains(name), "{name} in the anonymous report");
    }
    let rows = part(&html, "<section id=\"respondents\">", "</section>");
    assert!(rows.contains("<td>R1</td><td>COO</td>"), "{rows}");
    assert!(rows.contains("<td>R2</td><td>CFO</td>"), "{rows}");
    // The notes are kept, under the numbers.
    assert!(html.contains("Nobody holds a list of projects"));
    assert!(html.contains("\u{2014} R1</span>"));
    assert!(html.contains("\u{2014} R2</span>"));
}
