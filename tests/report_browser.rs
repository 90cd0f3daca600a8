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
