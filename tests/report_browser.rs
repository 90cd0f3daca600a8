//! The HTML report in a real browser: Debian's headless Chromium loads the file,
//! dumps the DOM and takes a screenshot. Checks that the chart and the tables are
//! there and that a `<script>` in a respondent's name arrives as text.
//!
//! End-to-end tier (`#[ignore]`d: `cargo test -- --ignored` runs it, as `.ci/run` does).
//! Chromium is installed by `.ci/run`. Under `CI=true` a missing browser fails the
//! test; locally it is skipped with a note.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EVIL: &str = "<script>alert(1)</script>";

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file())
}

/// Runs chromium headless on `url` with `extra` flags; returns stdout.
fn run_chromium(bin: &Path, profile: &Path, extra: &[String], url: &str) -> String {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("could not start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).unwrap();
        s
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

fn write_sheets(dir: &Path) {
    // Two respondents on the embedded rubric; the first one's name and a note carry markup.
    let sheets = [
        (
            "evil.toml",
            format!(
                r#"rubric = "pmo-vmo"
respondent = '{EVIL}'
role = "sponsor"
organisation = "Acme <b>bold</b>"

[answers]
maturity-standards = "documented"
maturity-delivery-track-record = "usually"
objective-success-measure = "business-case"
authority-funding-decisions = "office-advises"
alignment-strategy-link = "mapped"

[notes]
maturity-standards = '<img src=x onerror="alert(2)"> handbook since 2021'
"#
            ),
        ),
        (
            "plain.toml",
            r#"rubric = "pmo-vmo"
respondent = "Pat"
role = "finance"

[answers]
maturity-standards = "ad-hoc"
objective-success-measure = "on-plan"
authority-funding-decisions = "elsewhere"
alignment-strategy-link = "no-link"
"#
            .to_string(),
        ),
    ];
    for (name, text) in sheets {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

#[test]
#[ignore = "e2e: a browser (chromium)"]
fn report_renders_in_headless_chromium() {
    let Some(bin) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium is not installed; .ci/run installs it (apt-get install -y chromium)");
        }
        eprintln!(
            "note: chromium not found on PATH; skipping the browser test (CI=true makes this a failure)"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let sheets = tmp.path().join("sheets");
    std::fs::create_dir(&sheets).unwrap();
    write_sheets(&sheets);
    let report = tmp.path().join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .env(
            "PMO_VMO_RUBRIC",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/v2/pmo-vmo-2.0.0.toml"
            ),
        )
        .arg("report")
        .arg(&sheets)
        .arg("-o")
        .arg(&report)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "report failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    let url = format!("file://{}", report.display());
    let profile = tmp.path().join("profile");
    let dom = run_chromium(&bin, &profile, &["--dump-dom".to_string()], &url);

    // The chart: an inline svg with the grid, one polygon per respondent and the group.
    assert!(dom.contains("<svg"), "no svg in the DOM");
    // 4 grid rings + 2 band boundaries + 2 respondents + the group.
    assert_eq!(dom.matches("<polygon").count(), 4 + 2 + 2 + 1);
    assert_eq!(dom.matches("class=\"series\"").count(), 2);
    assert_eq!(dom.matches("class=\"group\"").count(), 1);
    // The factor table with every factor of the embedded rubric.
    let table_at = dom
        .find("<table class=\"factors\">")
        .expect("no factor table");
    let table = &dom[table_at..table_at + dom[table_at..].find("</table>").unwrap()];
    for f in [
        "Maturity of project management",
        "Strategic alignment of projects",
    ] {
        assert!(table.contains(f), "{f} missing from the factor table");
    }
    // User text arrives as text: no script or img element from it, the escaped text there.
    assert!(
        !dom.contains("<script"),
        "a <script> element reached the DOM"
    );
    assert!(!dom.contains("<img"), "an <img> element reached the DOM");
    assert!(
        !dom.contains("<b>bold"),
        "markup in the organisation was parsed"
    );
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(dom.contains("&lt;img src=x"));

    let shot = tmp.path().join("shot.png");
    run_chromium(
        &bin,
        &tmp.path().join("profile2"),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1200,1600".to_string(),
        ],
        &url,
    );
    let png = std::fs::read(&shot).expect("no screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // A blank 1200x1600 page compresses to a few kilobytes; a drawn one does not.
    assert!(
        png.len() > 30_000,
        "screenshot too small: {} bytes",
        png.len()
    );
    if let Some(dir) = std::env::var_os("PMO_VMO_KEEP_SHOT") {
        std::fs::copy(&shot, Path::new(&dir).join("report-shot.png")).unwrap();
    }
}

/// A poppler tool (`pdftotext`, `pdftoppm`) on PATH, or `None` (skipped locally,
/// a failure under `CI=true`).
fn poppler(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let found = std::env::split_paths(&path)
        .map(|d| d.join(tool))
        .find(|p| p.is_file());
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "{tool} is not installed; .ci/run installs it (apt-get install -y poppler-utils)"
            );
        }
        eprintln!("note: {tool} not found on PATH; skipping the print test");
    }
    found
}

/// The texts of the `<h2>` and `<h3>` headings of a page.
fn headings(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in ["<h2>", "<h3>"] {
        let close = tag.replace('<', "</");
        let mut rest = html;
        while let Some(at) = rest.find(tag) {
            let after = &rest[at + tag.len()..];
            let end = after.find(&close).unwrap();
            out.push(
                after[..end]
                    .replace("&amp;", "&")
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
            );
            rest = &after[end..];
        }
    }
    out
}

/// Writes the report of the hospital trust's two sheets (with `extra` flags) and
/// prints it to PDF in Chromium; returns the HTML and each page's text.
fn print_report(bin: &Path, dir: &Path, extra: &[&str]) -> (String, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sheets = dir.join("sheets");
    std::fs::create_dir_all(&sheets).unwrap();
    for side in ["a", "b"] {
        std::fs::copy(
            root.join(format!(
                "tests/fixtures/organisations/sheets-{side}/01-hospital-after-rollout.toml"
            )),
            sheets.join(format!("{side}.toml")),
        )
        .unwrap();
    }
    let report = dir.join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .arg("report")
        .arg(&sheets)
        .arg("-o")
        .arg(&report)
        .args(extra)
        .env_remove("RUST_BACKTRACE")
        .env_remove("PMO_VMO_RUBRIC")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = dir.join("report.pdf");
    run_chromium(
        bin,
        &dir.join("profile"),
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_string(),
        ],
        &format!("file://{}", report.display()),
    );
    let text = Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(text.status.success(), "pdftotext failed");
    let text = String::from_utf8(text.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    if let Some(keep) = std::env::var_os("PMO_VMO_KEEP_SHOT") {
        let name = if extra.is_empty() {
            "report"
        } else {
            "report-branded-anonymous"
        };
        std::fs::copy(&pdf, Path::new(&keep).join(format!("{name}.pdf"))).unwrap();
        let png = Command::new("pdftoppm")
            .args(["-png", "-r", "50"])
            .arg(&pdf)
            .arg(Path::new(&keep).join(name))
            .status()
            .unwrap();
        assert!(png.success());
    }
    (std::fs::read_to_string(report).unwrap(), pages)
}

/// The last line of a page that is not its running header or footer.
fn last_line(page: &str) -> &str {
    page.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .rfind(|l| !l.starts_with("Page ") && !l.starts_with("Confidential"))
        .unwrap_or("")
}

#[test]
#[ignore = "e2e: a browser (chromium) and poppler-utils"]
fn the_printed_report_opens_with_the_summary_and_no_page_ends_on_a_heading() {
    let Some(bin) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium is not installed; .ci/run installs it (apt-get install -y chromium)");
        }
        eprintln!("note: chromium not found on PATH; skipping the print test");
        return;
    };
    if poppler("pdftotext").is_none() || poppler("pdftoppm").is_none() {
        return;
    }
    let brand = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/brand/brand.toml");
    let brand = brand.to_str().unwrap();
    for extra in [vec![], vec!["--brand", brand, "--anonymous"]] {
        let tmp = tempfile::tempdir().unwrap();
        let (html, pages) = print_report(&bin, tmp.path(), &extra);
        eprintln!("{extra:?}: {} printed pages", pages.len());
        assert!(pages.len() >= 2, "{} pages", pages.len());
        // Page 1 is the cover and the executive summary, and nothing else.
        let first = &pages[0];
        for said in [
            "Riverside General Hospital Trust",
            "Executive summary",
            "We recommend",
            "A PMO: an office for delivery",
            "Top risks",
            "The first 90 days",
            "How firm is this?",
            "Page 1 of",
        ] {
            assert!(first.contains(said), "{said} not on page 1:\n{first}");
        }
        assert!(!first.contains("Factors at a glance"), "{first}");
        // Every page is numbered.
        for (i, page) in pages.iter().enumerate() {
            let n = format!("Page {} of {}", i + 1, pages.len());
            assert!(page.contains(&n), "no {n:?} on page {}", i + 1);
        }
        // No heading is the last thing on a page.
        let heads = headings(&html);
        assert!(heads.len() > 10, "{heads:?}");
        for (i, page) in pages.iter().enumerate() {
            let last = last_line(page);
            assert!(
                !heads.iter().any(|h| h == last),
                "page {} ends with the heading {last:?}",
                i + 1
            );
        }
        if !extra.is_empty() {
            assert!(first.contains("Prepared by Ashdown Advisory"), "{first}");
            assert!(
                pages
                    .iter()
                    .all(|p| p.contains("Confidential: prepared for the board")),
                "the footer line is not on every page"
            );
            assert!(!pages.concat().contains("Margaret Doyle"));
        }
    }
}
