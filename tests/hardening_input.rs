//! Issue 29 ("hardening, third round"), the findings that live in the input layer:
//! workbooks that would fill memory (1, 3), a hidden first worksheet (8), sheets that
//! cost far more memory than their size (9), error locations (12, 25) and a second
//! respondent column (24). Each test names its point. Memory is bounded in the
//! test's own terms: the binary runs under an address-space limit (`prlimit`, or
//! `ulimit -v` through sh), so a runaway allocation fails the test instead of
//! taking the machine's memory; the figures in docs/collecting.md come from
//! `peak_kb`, the child's resident high-water mark.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_pmo-vmo");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn command(limit_kb: Option<u64>) -> Command {
    let mut c = match limit_kb {
        Some(kb) if which("prlimit") => {
            let mut c = Command::new("prlimit");
            c.arg(format!("--as={}", kb * 1024)).arg("--").arg(BIN);
            c
        }
        Some(kb) => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -v {kb}; exec \"$0\" \"$@\""))
                .arg(BIN);
            c
        }
        None => Command::new(BIN),
    };
    c.current_dir(ROOT)
        .env_remove("RUST_BACKTRACE")
        .env_remove("PMO_VMO_RUBRIC")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    c
}

fn which(name: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name} >/dev/null"))
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs pmo-vmo with `args`, killed after 60 s.
fn run_in(limit_kb: Option<u64>, args: &[&str]) -> Output {
    let mut child = command(limit_kb)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pmo-vmo");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

fn run(args: &[&str]) -> Output {
    run_in(None, args)
}

fn err(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---------------------------------------------------------------------------
// Points 12 and 25: where an error is, and how its line is shown
// ---------------------------------------------------------------------------

/// The line and column `check --format github` gives the first error of `sheet`.
fn github_location(sheet: &Path) -> (u64, u64) {
    let out = run(&["check", "--format", "github", path(sheet)]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |name: &str| {
        text.split([',', ' ', ':'])
            .find_map(|f| f.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    (field("line="), field("col="))
}

/// Point 12: a line with a bidi override before the fault: the text output says
/// the column the GitHub (and JSON) output says (22 characters in, counted in the
/// file, not in the escaped excerpt), while the excerpt still shows the escape.
#[test]
fn p12_the_column_is_counted_in_the_file_not_in_the_escaped_excerpt() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = write(
        dir.path(),
        "bidi.toml",
        "rubric = \"pmo-vmo\"\nanswers = { objective-pressing-problem = \"\u{202e}\u{202e}\", \
         maturity-standards = \"nope\" }\n",
    );
    let out = run(&["score", path(&sheet)]);
    let text = err(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    let (line, column) = github_location(&sheet);
    assert_eq!((line, column), (2, 69));
    assert!(text.contains(&format!("bidi.toml:2:{column}\n")), "{text}");
    // The excerpt escapes the overrides, and the caret sits under "nope".
    assert!(text.contains("\"\\u{202e}\\u{202e}\""), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let source = lines.iter().position(|l| l.starts_with("2 |")).unwrap();
    let caret = lines[source + 1].find('^').unwrap();
    assert_eq!(&lines[source][caret..caret + 6], "\"nope\"", "{text}");
}

/// Point 12: a bare CR in a TOML sheet (not a line end in TOML): the location is
/// the CR's own line and column, as the GitHub output says.
#[test]
fn p12_a_bare_cr_is_located_as_the_github_output_locates_it() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = write(
        dir.path(),
        "cr.toml",
        "rubric = \"pmo-vmo\"\rrespondent = \"x\"\r",
    );
    let (line, column) = github_location(&sheet);
    assert_eq!((line, column), (1, 20));
    let at = format!("cr.toml:{line}:{column}\n");
    let text = err(&run(&["score", path(&sheet)]));
    assert!(text.contains(&at), "want {at:?} in {text}");
}

/// Point 25: a CRLF sheet's excerpt shows the line without its line end: no
/// `\u{d}` at the end of the quoted line.
#[test]
fn p25_a_crlf_sheet_shows_its_lines_without_the_cr() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = write(
        dir.path(),
        "crlf.toml",
        "rubric = \"pmo-vmo\"\r\n[answers]\r\nmaturity-standards = \"nope\"\r\n",
    );
    let out = run(&["score", path(&sheet)]);
    let text = err(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("3 | maturity-standards = \"nope\"\n"),
        "{text}"
    );
    assert!(!text.contains("\\u{d}"), "{text}");
}

// ---------------------------------------------------------------------------
// Point 9: a sheet just under the size limit must not cost hundreds of MB
// ---------------------------------------------------------------------------

/// The address space the binary runs in for the memory tests, in KB: a reading that
/// grows with the input's structure fails here (it took 300 to 1,900 MB).
const SMALL_KB: u64 = 256 * 1024;

/// `run` under [`SMALL_KB`] of address space, with glibc's per-thread arenas
/// bounded so that the limit measures what is allocated, not what is reserved.
fn run_small(args: &[&str]) -> Output {
    let mut c = command(Some(SMALL_KB));
    c.env("MALLOC_ARENA_MAX", "2")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c.output().unwrap()
}

/// Just under 4 MiB of sheet: `head`, then `item(i)` for i = 0, 1... joined by
/// `sep`, then `tail`.
fn sheet_of(head: &str, item: impl Fn(usize) -> String, sep: &str, tail: &str) -> String {
    let most = 4 * 1024 * 1024 - 1024 - tail.len();
    let mut s = String::with_capacity(4 * 1024 * 1024);
    s.push_str(head);
    for i in 0.. {
        let next = item(i);
        if s.len() + sep.len() + next.len() > most {
            break;
        }
        if i > 0 {
            s.push_str(sep);
        }
        s.push_str(&next);
    }
    s.push_str(tail);
    s
}

/// The three shapes of point 9: 1.4 million empty inline tables, long dotted keys
/// (fifty tables a line), and a JSON sheet of 300,000 answers.
fn heavy_sheets(dir: &Path) -> Vec<PathBuf> {
    let inline = sheet_of("rubric = \"pmo-vmo\"\nx = [", |_| "{}".into(), ",", "]\n");
    let dotted = sheet_of(
        "rubric = \"pmo-vmo\"\n",
        |i| {
            let key: String = (0..50).map(|k| format!("k{k}.")).collect();
            format!("t{i}.{key}v = 1")
        },
        "\n",
        "\n",
    );
    let json = sheet_of(
        "{\"rubric\": \"pmo-vmo\", \"answers\": {",
        |i| format!("\"q{i}\": \"a\""),
        ",",
        "}}",
    );
    vec![
        write(dir, "inline.toml", inline),
        write(dir, "dotted.toml", dotted),
        write(dir, "answers.json", json),
    ]
}

/// Point 9: each heavy sheet is refused, with exit 2 and a message, under a 256 MB
/// address-space limit (it took 300 MB, 470 MB for a quarter of the dotted one).
#[test]
fn p09_a_sheet_of_many_tiny_tables_is_refused_in_little_memory() {
    let dir = tempfile::tempdir().unwrap();
    for sheet in heavy_sheets(dir.path()) {
        let out = run_small(&["score", path(&sheet)]);
        let text = err(&out);
        assert_eq!(out.status.code(), Some(2), "{}: {text}", sheet.display());
        assert!(text.contains("error: "), "{text}");
        assert!(!text.contains("memory allocation"), "{text}");
    }
}

/// Point 9: sixteen of them in a folder, read in parallel, are sixteen errors under
/// the same limit.
#[test]
fn p09_a_folder_of_heavy_sheets_is_refused_in_little_memory() {
    let dir = tempfile::tempdir().unwrap();
    let sheets = heavy_sheets(dir.path());
    for i in 0..16 {
        let from = &sheets[i % sheets.len()];
        let ext = from.extension().unwrap().to_str().unwrap();
        std::fs::copy(from, dir.path().join(format!("copy{i:02}.{ext}"))).unwrap();
    }
    let out = run_small(&["score", path(dir.path())]);
    let text = err(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert_eq!(text.matches("error: ").count(), 19, "{text}");
}
