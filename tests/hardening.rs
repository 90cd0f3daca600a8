//! Black-box regression tests for issue 11 ("hardening"): hostile file types, links,
//! terminal escapes, markup, sizes, encodings and a few smaller promises. Each test
//! asserts the behaviour the issue asks for; its doc comment quotes the point number.
//!
//! Safety on a CI machine that runs as root: nothing here points `--force` (or any
//! write) at a real device such as /dev/full or /dev/null. Device nodes, FIFOs and
//! links are made in temporary folders. Making a device node needs root: without it
//! the test prints a note and returns, except under `CI=true`, where it fails.
//! Every child that could block (FIFOs, huge inputs) runs under a timeout.
//!
//! The tests that need root (device nodes) or a pseudo-terminal (the interview) are
//! in the end-to-end tier, `#[ignore]`d: `cargo test -- --ignored` runs them, as
//! `.ci/run` does.
#![cfg(unix)]

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_pmo-vmo");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The longest any child may run before it counts as blocked.
const LIMIT: Duration = Duration::from_secs(10);
const SHEET: &str = include_str!("../tests/fixtures/v2/sheets/in-transition.toml");
const RUBRIC: &str = include_str!("fixtures/v2/pmo-vmo-2.0.0.toml");

/// A hostile text: an OSC title change ended by BEL, a clear-screen CSI, a bare CR
/// and a right-to-left override, written with TOML escapes.
const HOSTILE_TOML: &str = r"\u001b]0;pwned\u0007\u001b[2J\rX\u202Eevil";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn bin() -> Command {
    let mut c = Command::new(BIN);
    c.env(
        "PMO_VMO_RUBRIC",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/v2/pmo-vmo-2.0.0.toml"
        ),
    );
    c.current_dir(ROOT)
        .env_remove("RUST_BACKTRACE")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1");
    c
}

/// The binary under an address-space limit of about 1 GB (`prlimit`, or `ulimit`
/// through sh when prlimit is missing), so a runaway allocation fails fast instead
/// of taking the machine's memory.
fn bin_limited() -> Command {
    let mut c = if Path::new("/usr/bin/prlimit").exists() || which("prlimit") {
        let mut c = Command::new("prlimit");
        c.arg("--as=1000000000").arg("--").arg(BIN);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg("ulimit -v 1000000; exec \"$0\" \"$@\"")
            .arg(BIN);
        c
    };
    c.current_dir(ROOT)
        .env_remove("RUST_BACKTRACE")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1");
    c
}

fn which(name: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name} >/dev/null"))
        .status()
        .is_ok_and(|s| s.success())
}

struct Run {
    code: Option<i32>,
    signal: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    elapsed: Duration,
    timed_out: bool,
}

impl Run {
    fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
    fn describe(&self) -> String {
        let cut = |s: String| -> String {
            if s.len() > 3000 {
                format!("{}… ({} bytes)", &s[..floor(&s, 3000)], s.len())
            } else {
                s
            }
        };
        format!(
            "status {:?} signal {:?} after {:?}{}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            self.signal,
            self.elapsed,
            if self.timed_out {
                " (TIMED OUT, killed)"
            } else {
                ""
            },
            cut(self.out()),
            cut(self.err())
        )
    }
}

/// Runs `cmd` with `stdin` fed from a thread, killing it after `limit`.
fn run_timed(mut cmd: Command, stdin: Option<Vec<u8>>, limit: Duration) -> Run {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn the binary");
    if let Some(data) = stdin {
        let mut w = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = w.write_all(&data);
        });
    }
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let to = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = so.read_to_end(&mut v);
        v
    });
    let te = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = se.read_to_end(&mut v);
        v
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    Run {
        code: status.code(),
        signal: status.signal(),
        stdout: to.join().unwrap(),
        stderr: te.join().unwrap(),
        elapsed,
        timed_out,
    }
}

fn run(args: &[&OsStr]) -> Run {
    let mut c = bin();
    c.args(args);
    run_timed(c, None, LIMIT)
}

/// `run` with string arguments.
fn runs(args: &[&str]) -> Run {
    let a: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    run(&a)
}

/// The largest char boundary at or below `i`.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// What in `bytes` a terminal would act on: ESC, BEL, a CR not followed by LF, or a
/// bidi override U+202E. Empty when clean.
fn raw_controls(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            0x1b => found.push(format!("ESC at {i}")),
            0x07 => found.push(format!("BEL at {i}")),
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => found.push(format!("bare CR at {i}")),
            0xe2 if bytes[i..].starts_with("\u{202e}".as_bytes()) => {
                found.push(format!("U+202E at {i}"))
            }
            _ => {}
        }
    }
    found
}

/// The default rubric with each `from` replaced by `to` (each must occur).
fn rubric_with(replacements: &[(&str, &str)]) -> String {
    let mut text = RUBRIC.to_string();
    for (from, to) in replacements {
        assert!(text.contains(from), "the default rubric has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    text
}

fn write(dir: &Path, name: impl AsRef<OsStr>, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name.as_ref());
    std::fs::write(&p, text).unwrap();
    p
}

/// Makes a character device node `dir/name` (major, minor). `None` (with a note)
/// when that is not allowed here; under CI=true that is a failure.
fn mknod(dir: &Path, name: &str, major: u32, minor: u32) -> Option<PathBuf> {
    let p = dir.join(name);
    let ok = Command::new("mknod")
        .arg(&p)
        .arg("c")
        .arg(major.to_string())
        .arg(minor.to_string())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Some(p);
    }
    let msg = format!("SKIPPED: cannot mknod {name} ({major},{minor}): not root?");
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{msg} (CI=true: this test must run)"
    );
    eprintln!("{msg}");
    None
}

fn mkfifo(path: &Path) {
    let st = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(st.success(), "mkfifo {}", path.display());
}

fn is_char_device(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_char_device())
}

fn is_fifo(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_fifo())
}

fn is_symlink(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

fn no_abort(r: &Run) {
    assert!(
        r.signal.is_none() && r.code != Some(134),
        "aborted or killed by a signal: {}",
        r.describe()
    );
}

fn mentions_size(err: &str) -> bool {
    let e = err.to_lowercase();
    [
        "size",
        "limit",
        "too large",
        "too big",
        "too long",
        "bytes",
        " mb",
        "mib",
    ]
    .iter()
    .any(|w| e.contains(w))
}

/// The temporary files a write leaves in `dir`: `.NAME.XXXX.tmp` (and the older
/// `.pmo-vmoXXXX.tmp`).
fn tmp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n.ends_with(".tmp"))
        .collect()
}

/// The in-transition example with its `[expect]` replaced by `expect` lines.
fn sheet_expecting(expect: &str) -> String {
    let head = SHEET.split("[expect]").next().unwrap();
    format!("{head}[expect]\n{expect}\n")
}

fn with_line(text: &str, key: &str, line: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with(&format!("{key} =")) {
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The answers of the in-transition example, in rubric order.
const ANSWERS: [(&str, &str); 20] = [
    ("maturity-standards", "documented"),
    ("maturity-delivery-track-record", "usually"),
    ("maturity-capacity-planning", "planned"),
    ("maturity-governance-reporting", "learning"),
    ("maturity-value-risk", "delivery-risks"),
    ("objective-success-measure", "business-case"),
    ("objective-pressing-problem", "wrong-priorities"),
    ("objective-control-vs-speed", "balanced"),
    ("objective-transformation", "team-level"),
    ("objective-funding-model", "in-year-reserve"),
    ("authority-funding-decisions", "office-advises"),
    ("authority-pm-mandate", "plan-owner"),
    ("authority-executive-sponsorship", "executive-team"),
    ("authority-stakeholder-buy-in", "mixed"),
    ("authority-office-skills", "portfolio"),
    ("alignment-strategy-link", "mapped"),
    ("alignment-prioritisation", "value-score"),
    ("alignment-benefits-tracking", "occasionally"),
    ("alignment-portfolio-review", "half-yearly"),
    ("alignment-benefits-ownership", "sponsor-informal"),
];

fn csv_header() -> String {
    let ids: Vec<&str> = ANSWERS.iter().map(|(q, _)| *q).collect();
    format!("respondent,{}", ids.join(","))
}

fn csv_row(name: &str) -> String {
    let ids: Vec<&str> = ANSWERS.iter().map(|(_, o)| *o).collect();
    format!("{name},{}", ids.join(","))
}

// ---------------------------------------------------------------------------
// Point 1: report --force never renames over a device or FIFO
// ---------------------------------------------------------------------------

/// Point 1: `report -o DIR/full --force` onto a char device 1,7 (a private copy of
/// /dev/full): writing fails with ENOSPC, so exit 2, and `full` is still a char
/// device afterwards (not renamed over).
#[test]
#[ignore = "e2e: root (makes a device node)"]
fn p01_report_force_onto_a_full_device_fails_and_keeps_the_device() {
    let dir = tempdir();
    let Some(full) = mknod(dir.path(), "full", 1, 7) else {
        return;
    };
    let r = run(&[
        "report".as_ref(),
        "tests/fixtures/v2/sheets".as_ref(),
        "-o".as_ref(),
        full.as_os_str(),
        "--force".as_ref(),
    ]);
    assert!(
        is_char_device(&full),
        "the device was replaced: {}",
        r.describe()
    );
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        tmp_files(dir.path()).is_empty(),
        "{:?}",
        tmp_files(dir.path())
    );
}

/// Point 1: `report -o DIR/null --force` onto a char device 1,3 (a private
/// /dev/null): written into (exit 0) or refused (exit 2), and still a device.
#[test]
#[ignore = "e2e: root (makes a device node)"]
fn p01_report_force_onto_a_null_device_keeps_the_device() {
    let dir = tempdir();
    let Some(null) = mknod(dir.path(), "null", 1, 3) else {
        return;
    };
    let r = run(&[
        "report".as_ref(),
        "tests/fixtures/v2/sheets".as_ref(),
        "-o".as_ref(),
        null.as_os_str(),
        "--force".as_ref(),
    ]);
    assert!(
        is_char_device(&null),
        "the device was replaced: {}",
        r.describe()
    );
    assert!(matches!(r.code, Some(0 | 2)), "{}", r.describe());
    assert!(
        tmp_files(dir.path()).is_empty(),
        "{:?}",
        tmp_files(dir.path())
    );
}

/// Point 1: `report -o FIFO --force` with a reader on the FIFO: written into (the
/// reader gets the HTML) or refused, and the FIFO is still a FIFO.
#[test]
fn p01_report_force_onto_a_fifo_keeps_the_fifo() {
    let dir = tempdir();
    let fifo = dir.path().join("pipe.html");
    mkfifo(&fifo);
    // The reader: a separate process, so that it can be killed if it never gets
    // a writer (when the FIFO is renamed over, nobody ever opens it).
    let mut reader = Command::new("cat")
        .arg(&fifo)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let r = run(&[
        "report".as_ref(),
        "tests/fixtures/v2/sheets".as_ref(),
        "-o".as_ref(),
        fifo.as_os_str(),
        "--force".as_ref(),
    ]);
    let still_fifo = is_fifo(&fifo);
    // Wait for the reader a little, then make sure it is gone.
    let start = Instant::now();
    while reader.try_wait().unwrap().is_none() && start.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = reader.kill();
    let got = reader.wait_with_output().unwrap().stdout;
    assert!(!r.timed_out, "{}", r.describe());
    assert!(still_fifo, "the FIFO was replaced: {}", r.describe());
    match r.code {
        Some(0) => assert!(
            String::from_utf8_lossy(&got).contains("<html"),
            "exit 0 but the reader got no report ({} bytes)",
            got.len()
        ),
        Some(2) => {}
        _ => panic!("{}", r.describe()),
    }
}

// ---------------------------------------------------------------------------
// Point 2: links are followed, not replaced
// ---------------------------------------------------------------------------

/// Point 2: `report --force -o LINK` where LINK is a symlink to an existing report:
/// the target is written (the link stays) or it is refused with a message; the link
/// is never replaced by a regular file.
#[test]
fn p02_report_force_onto_a_symlink_keeps_the_link() {
    let dir = tempdir();
    let real_dir = dir.path().join("real");
    std::fs::create_dir(&real_dir).unwrap();
    let target = write(&real_dir, "report.html", "old report\n");
    let link = dir.path().join("report.html");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let r = run(&[
        "report".as_ref(),
        "tests/fixtures/v2/sheets".as_ref(),
        "-o".as_ref(),
        link.as_os_str(),
        "--force".as_ref(),
    ]);
    assert!(is_symlink(&link), "the link was replaced: {}", r.describe());
    match r.code {
        Some(0) => {
            let t = std::fs::read_to_string(&target).unwrap();
            assert!(t.contains("<html"), "exit 0 but the target was not written");
        }
        Some(2) => assert!(!r.err().is_empty(), "refused without a message"),
        _ => panic!("{}", r.describe()),
    }
}

// ---------------------------------------------------------------------------
// Points 2 and 3: the interview in a pseudo-terminal
// ---------------------------------------------------------------------------

mod pty {
    use super::*;
    use expectrl::process::unix::WaitStatus;
    use expectrl::{Eof, Expect, Session};

    pub const ENTER: &str = "\r";
    pub const CTRL_C: &str = "\x03";

    pub struct Pty {
        s: expectrl::session::OsSession,
        log: String,
    }

    pub fn spawn(dir: &Path, args: &[&str]) -> Pty {
        let mut cmd = Command::new(BIN);
        cmd.env(
            "PMO_VMO_RUBRIC",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/v2/pmo-vmo-2.0.0.toml"
            ),
        );
        cmd.arg("interview")
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("TERM", "xterm")
            .env_remove("RUST_BACKTRACE")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE");
        let mut s = Session::spawn(cmd).expect("spawn the binary in a pty");
        s.set_expect_timeout(Some(Duration::from_secs(30)));
        Pty {
            s,
            log: String::new(),
        }
    }

    impl Pty {
        pub fn see(&mut self, text: &str) {
            match self.s.expect(text) {
                Ok(c) => {
                    self.log.push_str(&String::from_utf8_lossy(c.before()));
                    self.log.push_str(text);
                }
                Err(e) => panic!("waiting for {text:?}: {e}\nso far:\n{}", self.log),
            }
        }
        pub fn send(&mut self, keys: &str) {
            self.s.send(keys).expect("send keys");
        }
        pub fn at_question(&mut self, n: usize, keys: &str) {
            self.see(&format!("{n}/20 · "));
            self.see("Your answer");
            self.send(keys);
        }
        pub fn finish(&mut self) -> (String, i32) {
            match self.s.expect(Eof) {
                Ok(c) => self.log.push_str(&String::from_utf8_lossy(c.as_bytes())),
                Err(e) => panic!("waiting for the end: {e}\nso far:\n{}", self.log),
            }
            let out = std::mem::take(&mut self.log);
            let code = match self.s.get_process().wait().expect("wait for the child") {
                WaitStatus::Exited(_, code) => code,
                other => panic!("child did not exit normally: {other:?}"),
            };
            (out, code)
        }
    }
}

/// A sheet with a name and a role and only the first question answered.
fn first_answer_only() -> String {
    format!(
        "rubric = \"pmo-vmo\"\nrubric-version = \"1.0.0\"\nrespondent = \"Ana\"\nrole = \"pm\"\n\n[answers]\n{} = \"{}\"\n",
        ANSWERS[0].0, ANSWERS[0].1
    )
}

/// Point 2: `interview --resume LINK` (a symlink to a sheet in another folder)
/// saves to the link's target and keeps the link.
#[test]
#[ignore = "e2e: a pseudo-terminal"]
fn p02_interview_resume_through_a_symlink_saves_to_the_target() {
    let dir = tempdir();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let target = write(&elsewhere, "sheet.toml", first_answer_only());
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&target, &link).unwrap();

    let mut p = pty::spawn(dir.path(), &["--resume", "link.toml"]);
    // Question 2: Enter keeps the first option; then stop at question 3.
    p.at_question(2, pty::ENTER);
    p.at_question(3, pty::CTRL_C);
    let (out, code) = p.finish();
    assert_eq!(code, 130, "{out}");
    assert!(is_symlink(&link), "the link was replaced by a file");
    let t = std::fs::read_to_string(&target).unwrap();
    assert!(
        t.contains(ANSWERS[1].0),
        "the target did not get the answer to question 2:\n{t}"
    );
}

/// Point 3: `interview --resume` keeps the sheet's comments (a `#:schema` line,
/// `init`'s question list, the user's own comment) and its key order.
#[test]
#[ignore = "e2e: a pseudo-terminal"]
fn p03_interview_resume_keeps_comments_and_key_order() {
    let dir = tempdir();
    let init = bin().args(["init", "-o", "-"]).output().unwrap();
    assert!(init.status.success());
    let blank = String::from_utf8(init.stdout).unwrap();
    let mut text = String::from("#:schema ../schema/sheet.schema.json\n");
    for line in blank.lines() {
        let line = match line {
            "respondent = \"\"" => "respondent = \"Ana\"".to_string(),
            "role = \"\"" => "role = \"pm\"".to_string(),
            l if l.starts_with(&format!("{} =", ANSWERS[0].0)) => format!(
                "# confirmed with the PMO\n{} = \"{}\"",
                ANSWERS[0].0, ANSWERS[0].1
            ),
            l => l.to_string(),
        };
        text.push_str(&line);
        text.push('\n');
    }
    let path = write(dir.path(), "sheet.toml", &text);

    let mut p = pty::spawn(dir.path(), &["--resume", "sheet.toml"]);
    p.at_question(2, pty::ENTER);
    p.at_question(3, pty::CTRL_C);
    let (out, code) = p.finish();
    assert_eq!(code, 130, "{out}");
    let saved = std::fs::read_to_string(&path).unwrap();
    let mut missing = Vec::new();
    for want in [
        "#:schema ../schema/sheet.schema.json",
        "# confirmed with the PMO",
        "#   ad-hoc      Each project runs its own way",
        "# ── Maturity of project management ──",
    ] {
        if !saved.contains(want) {
            missing.push(want);
        }
    }
    assert!(missing.is_empty(), "comments lost: {missing:?}\n{saved}");
    let pos = |k: &str| {
        saved
            .find(&format!("\n{k} ="))
            .unwrap_or_else(|| panic!("no {k} in\n{saved}"))
    };
    assert!(pos("rubric") < pos("rubric-version"));
    assert!(pos("rubric-version") < pos("respondent"));
    assert!(pos(ANSWERS[0].0) < pos(ANSWERS[1].0), "{saved}");
    assert!(pos(ANSWERS[1].0) < pos(ANSWERS[2].0), "{saved}");
}

// ---------------------------------------------------------------------------
// Point 4: rubric text is cleaned for the terminal
// ---------------------------------------------------------------------------

fn hostile_rubric(dir: &Path) -> PathBuf {
    let text = rubric_with(&[
        (
            "title = \"Maturity of project management\"",
            &format!("title = \"Maturity{HOSTILE_TOML}\""),
        ),
        (
            "label = \"A documented method most projects follow\"",
            &format!("label = \"Documented{HOSTILE_TOML}\""),
        ),
    ]);
    write(dir, "hostile.toml", text)
}

fn assert_clean(what: &str, r: &Run) {
    assert!(!r.timed_out, "{what}: {}", r.describe());
    let mut all = raw_controls(&r.stdout);
    all.extend(
        raw_controls(&r.stderr)
            .into_iter()
            .map(|s| format!("stderr {s}")),
    );
    assert!(
        all.is_empty(),
        "{what}: raw control characters {all:?}\n{}",
        r.describe()
    );
    assert!(matches!(r.code, Some(0..=2)), "{what}: {}", r.describe());
}

/// Point 4: `rubric show` of a rubric whose factor title and option label hold
/// ESC]0;..BEL, ESC[2J, a bare CR and U+202E prints none of them raw.
#[test]
fn p04_rubric_show_cleans_hostile_rubric_text() {
    let dir = tempdir();
    let rubric = hostile_rubric(dir.path());
    let r = run(&["rubric".as_ref(), "show".as_ref(), rubric.as_os_str()]);
    assert_clean("rubric show", &r);
}

/// Point 4: `score` (table) with the hostile rubric prints no raw control.
#[test]
fn p04_score_table_cleans_hostile_rubric_text() {
    let dir = tempdir();
    let rubric = hostile_rubric(dir.path());
    let r = run(&[
        "--rubric".as_ref(),
        rubric.as_os_str(),
        "score".as_ref(),
        "tests/fixtures/v2/sheets/in-transition.toml".as_ref(),
    ]);
    assert_clean("score", &r);
}

/// Point 4: `workshop` (table) with the hostile rubric prints no raw control.
#[test]
fn p04_workshop_table_cleans_hostile_rubric_text() {
    let dir = tempdir();
    let rubric = hostile_rubric(dir.path());
    let r = run(&[
        "--rubric".as_ref(),
        rubric.as_os_str(),
        "workshop".as_ref(),
        "tests/fixtures/v2/sheets".as_ref(),
    ]);
    assert_clean("workshop", &r);
}

/// Point 4: `init -o -` with the hostile rubric prints no raw control.
#[test]
fn p04_init_stdout_cleans_hostile_rubric_text() {
    let dir = tempdir();
    let rubric = hostile_rubric(dir.path());
    let r = run(&[
        "--rubric".as_ref(),
        rubric.as_os_str(),
        "init".as_ref(),
        "-o".as_ref(),
        "-".as_ref(),
    ]);
    assert_clean("init -o -", &r);
}

// ---------------------------------------------------------------------------
// Point 5: names from sheets and file names in machine formats
// ---------------------------------------------------------------------------

const OSC52: &str = r"Eve\u001b]52;c;cm0gLXJmIH4K\u0007";

/// A folder with the in-transition example and a failing copy whose respondent
/// holds OSC 52 and whose file name holds ESC.
fn osc_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    let text = with_line(
        &sheet_expecting("recommendation = \"vmo\""),
        "respondent",
        &format!("respondent = \"{OSC52}\""),
    );
    write(dir.path(), "evil\x1b[31mred.toml", text);
    write(dir.path(), "in-transition.toml", SHEET);
    let p = dir.path().to_path_buf();
    (dir, p)
}

/// Point 5: `check --format github` with a respondent holding OSC 52 and a file name
/// holding ESC writes no raw ESC on stdout.
#[test]
fn p05_check_github_has_no_raw_escape() {
    let (_d, dir) = osc_folder();
    let r = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "github".as_ref(),
        dir.as_os_str(),
    ]);
    assert!(!r.timed_out && r.code == Some(1), "{}", r.describe());
    assert!(
        !r.stdout.contains(&0x1b),
        "raw ESC on stdout: {:?}",
        r.out()
    );
}

/// Point 5: `score --format csv` with the same inputs: no raw ESC, and the output
/// still parses as CSV with one record per sheet.
#[test]
fn p05_score_csv_has_no_raw_escape_and_parses() {
    let (_d, dir) = osc_folder();
    let r = run(&[
        "score".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        dir.as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let mut rd = csv::Reader::from_reader(&r.stdout[..]);
    let rows: Vec<csv::StringRecord> = rd.records().map(|x| x.expect("valid CSV")).collect();
    assert_eq!(rows.len(), 2, "{}", r.out());
    assert!(
        !r.stdout.contains(&0x1b),
        "raw ESC on stdout: {:?}",
        r.out()
    );
}

// ---------------------------------------------------------------------------
// Point 6: report --force keeps the file mode
// ---------------------------------------------------------------------------

/// Point 6: `report --force` over a 0600 report keeps mode 0600.
#[test]
fn p06_report_force_keeps_a_private_mode() {
    let dir = tempdir();
    let out = write(dir.path(), "private.html", "old\n");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    let r = run(&[
        "report".as_ref(),
        "--mixed".as_ref(),
        "tests/fixtures/v2/sheets".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
        "--force".as_ref(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode is now {mode:o}");
}

// ---------------------------------------------------------------------------
// Point 7: markdown output carries no live markup
// ---------------------------------------------------------------------------

/// Point 7: `score --format markdown` with respondent `<img src=x onerror=alert(1)>`,
/// a role and a file name holding `[x](javascript:alert(1))`: no raw `<img` and no
/// `](javascript:` in the output.
#[test]
fn p07_score_markdown_has_no_live_html_or_links() {
    let dir = tempdir();
    let a = with_line(
        SHEET,
        "respondent",
        "respondent = \"<img src=x onerror=alert(1)>\"",
    );
    let a = with_line(&a, "role", "role = \"[x](javascript:alert(1))\"");
    write(dir.path(), "a.toml", a);
    write(dir.path(), "[x](javascript:alert(1)).toml", SHEET);
    let r = run(&[
        "score".as_ref(),
        "--format".as_ref(),
        "markdown".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let out = r.out();
    assert!(!out.contains("<img"), "{out}");
    assert!(!out.contains("](javascript:"), "{out}");
}

// ---------------------------------------------------------------------------
// Point 8: size limits
// ---------------------------------------------------------------------------

const BIG: usize = 20 * 1024 * 1024;

fn assert_refused_for_size(what: &str, r: &Run) {
    assert!(!r.timed_out, "{what}: {}", r.describe());
    no_abort(r);
    assert_eq!(r.code, Some(2), "{what}: {}", r.describe());
    assert!(
        mentions_size(&r.err()),
        "{what}: the message does not mention a size or limit: {}",
        r.describe()
    );
}

/// Point 8: `--rubric` naming a 20 MB file without a newline exits 2 quickly with a
/// message about its size, under a 1 GB address-space limit, never aborting.
#[test]
fn p08_a_huge_rubric_file_is_refused_for_its_size() {
    let dir = tempdir();
    let big = write(dir.path(), "big.toml", vec![b'a'; BIG]);
    let mut c = bin_limited();
    c.arg("--rubric").arg(&big).arg("rubric").arg("check");
    let r = run_timed(c, None, LIMIT);
    assert_refused_for_size("--rubric big.toml", &r);
}

/// Point 8: `--rubric /dev/zero` (endless) exits 2 quickly about the size, without
/// an abort. (Reading /dev/zero is harmless.)
#[test]
fn p08_an_endless_rubric_is_refused_for_its_size() {
    let mut c = bin_limited();
    c.args(["--rubric", "/dev/zero", "rubric", "check"]);
    let r = run_timed(c, None, LIMIT);
    assert_refused_for_size("--rubric /dev/zero", &r);
}

/// Point 8: `score -` with 20 MB of stdin without a newline exits 2 about the size.
#[test]
fn p08_a_huge_stdin_sheet_is_refused_for_its_size() {
    let mut c = bin_limited();
    c.args(["score", "-"]);
    let r = run_timed(c, Some(vec![b'a'; BIG]), LIMIT);
    assert_refused_for_size("score - (20 MB)", &r);
}

/// Point 8: a CSV export whose single record is 20 MB without a newline exits 2
/// about the size.
#[test]
fn p08_a_huge_csv_record_is_refused_for_its_size() {
    let dir = tempdir();
    let mut text = csv_header().into_bytes();
    text.push(b'\n');
    text.extend(std::iter::repeat_n(b'a', BIG));
    let p = write(dir.path(), "big.csv", text);
    let mut c = bin_limited();
    c.arg("score").arg(&p);
    let r = run_timed(c, None, LIMIT);
    assert_refused_for_size("score big.csv", &r);
}

// ---------------------------------------------------------------------------
// Point 9: FIFOs never block; process substitution is read
// ---------------------------------------------------------------------------

/// Point 9: a FIFO named `x.toml` given as an argument (no writer) does not block:
/// it is refused or skipped with a message naming it, within 10 s.
#[test]
fn p09_a_fifo_argument_does_not_block() {
    let dir = tempdir();
    let fifo = dir.path().join("x.toml");
    mkfifo(&fifo);
    let r = run(&["score".as_ref(), fifo.as_os_str()]);
    assert!(!r.timed_out, "blocked on the FIFO: {}", r.describe());
    assert!(r.err().contains("x.toml"), "{}", r.describe());
}

/// Point 9: a FIFO `x.toml` inside a folder being scored does not block; the other
/// sheet is scored and the FIFO is named in a message.
#[test]
fn p09_a_fifo_in_a_folder_does_not_block() {
    let dir = tempdir();
    write(dir.path(), "a.toml", SHEET);
    mkfifo(&dir.path().join("x.toml"));
    let r = run(&["score".as_ref(), dir.path().as_os_str()]);
    assert!(!r.timed_out, "blocked on the FIFO: {}", r.describe());
    assert!(r.out().contains("HYBRID"), "{}", r.describe());
    assert!(r.err().contains("x.toml"), "{}", r.describe());
}

/// Point 9: an export written into a FIFO named `x.csv` is read whole and in order:
/// the parallel reader, which opens an export file a second time, leaves a pipe to
/// the one-thread reader (opened again, a pipe would lose the rows already read or
/// block).
#[test]
fn p09_an_export_through_a_fifo_is_read_whole() {
    let dir = tempdir();
    let fifo = dir.path().join("x.csv");
    mkfifo(&fifo);
    let path = "tests/fixtures/v2/pmo-vmo-2.0.0.toml";
    let text = std::fs::read_to_string(path).unwrap();
    let rubric = pmo_vmo::rubric::LoadedRubric::from_str(path, &text).unwrap();
    let q = &rubric.rubric.question[0];
    let rows: Vec<String> = (0..5000)
        .map(|i| format!("r{i},{}\n", q.option[i % q.option.len()].id))
        .collect();
    let text = format!("Name,{}\n{}", q.id, rows.concat());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(&fifo, text))
    };
    let mut c = bin();
    c.args(["score", "--format", "csv"]).arg(&fifo);
    let r = run_timed(c, None, LIMIT);
    let _ = writer.join();
    assert!(!r.timed_out, "blocked on the FIFO: {}", r.describe());
    let out = r.out();
    let names: Vec<&str> = out
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    let want: Vec<String> = (0..5000).map(|i| format!("r{i}")).collect();
    assert_eq!(names, want, "{}", r.describe());
}

/// Point 9: `--rubric FIFO` does not block; it exits 2 with a message.
#[test]
fn p09_a_fifo_rubric_does_not_block() {
    let dir = tempdir();
    let fifo = dir.path().join("x.toml");
    mkfifo(&fifo);
    let r = run(&[
        "--rubric".as_ref(),
        fifo.as_os_str(),
        "score".as_ref(),
        "tests/fixtures/v2/sheets/in-transition.toml".as_ref(),
    ]);
    assert!(!r.timed_out, "blocked on the FIFO: {}", r.describe());
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(r.err().contains("x.toml"), "{}", r.describe());
}

/// Point 9: `score <(cat sheet)` (a /dev/fd/N path from process substitution) reads
/// the content: exit 0, Hybrid.
#[test]
fn p09_process_substitution_is_read() {
    if !which("bash") {
        eprintln!("SKIPPED: no bash");
        return;
    }
    let mut c = Command::new("bash");
    c.current_dir(ROOT)
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .env("PMO_VMO_RUBRIC", "tests/fixtures/v2/pmo-vmo-2.0.0.toml")
        .arg("-c")
        .arg("\"$0\" score <(cat tests/fixtures/v2/sheets/in-transition.toml)")
        .arg(BIN);
    let r = run_timed(c, None, LIMIT);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert!(r.out().contains("HYBRID"), "{}", r.describe());
}

// ---------------------------------------------------------------------------
// Point 10: a folder named twice
// ---------------------------------------------------------------------------

fn passing_folder() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "a.toml", SHEET);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    write(&dir.path().join("sub"), "b.toml", SHEET);
    dir
}

/// Point 10: `check DIR DIR` exits 0 with a warning, each sheet counted once.
#[test]
fn p10_check_the_same_folder_twice_counts_each_sheet_once() {
    let dir = passing_folder();
    let r = run(&[
        "check".as_ref(),
        dir.path().as_os_str(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert!(r.err().contains("warning"), "{}", r.describe());
    assert!(
        r.out().contains("2 sheets: 2 passed, 0 failed, 0 errors"),
        "{}",
        r.describe()
    );
}

/// Point 10: `check DIR DIR/sub` exits 0 with a warning, each sheet counted once.
#[test]
fn p10_check_a_folder_and_its_subfolder_counts_each_sheet_once() {
    let dir = passing_folder();
    let sub = dir.path().join("sub");
    let r = run(&["check".as_ref(), dir.path().as_os_str(), sub.as_os_str()]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert!(r.err().contains("warning"), "{}", r.describe());
    assert!(
        r.out().contains("2 sheets: 2 passed, 0 failed, 0 errors"),
        "{}",
        r.describe()
    );
}

// ---------------------------------------------------------------------------
// Point 11: init never lets a label inject a key
// ---------------------------------------------------------------------------

/// Point 11: `init` with option labels holding a newline, CR, VT and FF followed by
/// `other = "yes"`: the sheet parses as TOML, its `[answers]` holds only question
/// ids (nothing injected), and with one answer filled in it scores.
#[test]
fn p11_init_labels_cannot_inject_keys() {
    let mut failures = Vec::new();
    for (name, sep) in [
        ("LF", r"\n"),
        ("CR", r"\r"),
        ("VT", r"\u000b"),
        ("FF", r"\u000c"),
    ] {
        if let Err(e) = init_with_label_separator(sep) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `init` with the first option's label `Yes{sep}other = "yes"`, then the checks of
/// point 11; the first problem found, if any.
fn init_with_label_separator(sep: &str) -> Result<(), String> {
    let dir = tempdir();
    let label = format!("label = \"Yes{sep}other = \\\"yes\\\"\"");
    let rubric = write(
        dir.path(),
        "r.toml",
        rubric_with(&[("label = \"Each project runs its own way\"", &label)]),
    );
    let out = dir.path().join("sheet.toml");
    let r = run(&[
        "--rubric".as_ref(),
        rubric.as_os_str(),
        "init".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    if r.code != Some(0) {
        return Err(format!("init failed: {}", r.describe()));
    }
    let text = std::fs::read_to_string(&out).unwrap();
    let doc: toml::Table =
        toml::from_str(&text).map_err(|e| format!("the sheet is not valid TOML: {e}"))?;
    let answers = doc["answers"].as_table().ok_or("no [answers] table")?;
    let ids: Vec<&str> = ANSWERS.iter().map(|(q, _)| *q).collect();
    for (k, v) in answers {
        if !ids.contains(&k.as_str()) {
            return Err(format!("injected key {k:?}"));
        }
        if v.as_str() != Some("") {
            return Err(format!("{k} = {v} was injected"));
        }
    }
    // One answer filled in: the sheet scores.
    let filled = text.replacen(
        "maturity-standards = \"\"",
        "maturity-standards = \"documented\"",
        1,
    );
    std::fs::write(&out, filled).unwrap();
    let r = run(&[
        "--rubric".as_ref(),
        rubric.as_os_str(),
        "score".as_ref(),
        out.as_os_str(),
    ]);
    if r.code != Some(0) {
        return Err(format!("score failed: {}", r.describe()));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Point 12: flip ties go to rubric order
// ---------------------------------------------------------------------------

/// Two factors of three questions each. The sheet scores A = 148/3, B = 92/3,
/// index exactly 40 (the Hybrid boundary). Lowering a1 from 75 to 61 or b1 from 14
/// to 0 both move the index by 14/6 = 2.333... to 37.67 (PMO): an exact tie, but the
/// two are computed from different sums, so in floating point b1's delta comes out
/// smaller by a few ulps. Every other change moves the index up and stays Hybrid.
const TIE_RUBRIC: &str = r#"
id = "tie"
version = "1.0"
title = "Tie"

[scoring]
hybrid-from = 40.0
vmo-from = 60.0

[[factor]]
id = "a"
title = "A"
weight = 1.0

[[factor]]
id = "b"
title = "B"
weight = 1.0

[[question]]
id = "a1"
factor = "a"
text = "A1?"
[[question.option]]
id = "lo"
label = "Lo"
score = 61
[[question.option]]
id = "hi"
label = "Hi"
score = 75

[[question]]
id = "a2"
factor = "a"
text = "A2?"
[[question.option]]
id = "lo"
label = "Lo"
score = 53
[[question.option]]
id = "hi"
label = "Hi"
score = 100

[[question]]
id = "a3"
factor = "a"
text = "A3?"
[[question.option]]
id = "lo"
label = "Lo"
score = 20
[[question.option]]
id = "hi"
label = "Hi"
score = 100

[[question]]
id = "b1"
factor = "b"
text = "B1?"
[[question.option]]
id = "lo"
label = "Lo"
score = 0
[[question.option]]
id = "hi"
label = "Hi"
score = 14

[[question]]
id = "b2"
factor = "b"
text = "B2?"
[[question.option]]
id = "lo"
label = "Lo"
score = 57
[[question.option]]
id = "hi"
label = "Hi"
score = 100

[[question]]
id = "b3"
factor = "b"
text = "B3?"
[[question.option]]
id = "lo"
label = "Lo"
score = 21
[[question.option]]
id = "hi"
label = "Hi"
score = 100

[recommendation.pmo]
title = "PMO"
summary = "Build a PMO."
next-steps = ["Set standards."]

[recommendation.hybrid]
title = "Hybrid"
summary = "Mix."
next-steps = ["Add a value lens."]

[recommendation.vmo]
title = "VMO"
summary = "Build a VMO."
next-steps = ["Write a value framework."]
"#;

const TIE_SHEET: &str = r#"rubric = "tie"
rubric-version = "1.0"

[answers]
a1 = "hi"
a2 = "lo"
a3 = "lo"
b1 = "hi"
b2 = "lo"
b3 = "lo"
"#;

/// Point 12: two moves that change the index by the same amount up to floating
/// point (14/6 via factor A or via factor B) are both listed as one step from
/// changing the result, in rubric order.
#[test]
fn p12_moves_that_tie_up_to_rounding_are_both_listed_in_rubric_order() {
    let dir = tempdir();
    let rubric = write(dir.path(), "tie.toml", TIE_RUBRIC);
    let sheet = write(dir.path(), "s.toml", TIE_SHEET);
    let r = run(&[
        "--rubric".as_ref(),
        rubric.as_os_str(),
        "score".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        sheet.as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let doc: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    let res = &doc["results"][0];
    assert_eq!(res["recommendation"], "hybrid", "{res}");
    let moves = res["sensitivity"].as_array().unwrap();
    let to_pmo: Vec<&str> = (moves.iter())
        .filter(|m| m["recommendation"] == "pmo")
        .map(|m| m["question"].as_str().unwrap())
        .collect();
    assert!(to_pmo.len() >= 2, "{moves:?}");
    assert_eq!(to_pmo[0], "a1", "rubric order: {moves:?}");
    let first = moves.iter().find(|m| m["question"] == "a1").unwrap();
    assert_eq!(first["to"], "lo", "{first}");
    assert_eq!(first["direction"], "down", "{first}");
}

// ---------------------------------------------------------------------------
// Point 13: CSV line ends and ragged empty rows
// ---------------------------------------------------------------------------

fn cr_export(dir: &Path) -> PathBuf {
    let text = format!("{}\r{}\r{}\r", csv_header(), csv_row("Ann"), csv_row("Bo"));
    write(dir, "cr.csv", text)
}

/// Point 13: an export with bare-CR line ends: sources are `cr.csv:2` and `cr.csv:3`.
#[test]
fn p13_bare_cr_export_reports_real_line_numbers() {
    let dir = tempdir();
    let p = cr_export(dir.path());
    let r = run(&[
        "score".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        p.as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let mut rd = csv::Reader::from_reader(&r.stdout[..]);
    let sources: Vec<String> = rd
        .records()
        .map(|x| x.unwrap()[0].rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(sources, ["cr.csv:2", "cr.csv:3"], "{}", r.out());
}

/// Point 13: `check --format github` on a bare-CR export annotates `line=2` and
/// `line=3`.
#[test]
fn p13_bare_cr_export_github_annotations_name_the_lines() {
    let dir = tempdir();
    let p = cr_export(dir.path());
    let r = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "github".as_ref(),
        "--expect".as_ref(),
        "vmo".as_ref(),
        p.as_os_str(),
    ]);
    assert_eq!(r.code, Some(1), "{}", r.describe());
    let lines: Vec<String> = r
        .out()
        .lines()
        .filter(|l| l.starts_with("::error"))
        .map(|l| {
            l.split(',')
                .find_map(|f| f.strip_prefix("line="))
                .unwrap_or("?")
                .to_string()
        })
        .collect();
    assert_eq!(lines, ["2", "3"], "{}", r.out());
}

/// Point 13: rows of empty cells narrower or wider than the header are skipped like
/// blank lines, not errors.
#[test]
fn p13_ragged_empty_rows_are_skipped() {
    let dir = tempdir();
    let text = format!(
        "{}\n{}\n,,\n{}\n",
        csv_header(),
        csv_row("Ann"),
        ",".repeat(40)
    );
    let p = write(dir.path(), "ragged.csv", text);
    let r = run(&[
        "score".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        p.as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let mut rd = csv::Reader::from_reader(&r.stdout[..]);
    assert_eq!(rd.records().count(), 1, "{}", r.describe());
}

// ---------------------------------------------------------------------------
// Point 14: workshop roles ignore case and spaces
// ---------------------------------------------------------------------------

/// Point 14: roles `PM`, `pm ` and ` Pm` are one role, shown as `PM`, with no flag
/// between them.
#[test]
fn p14_workshop_roles_ignore_case_and_spaces() {
    let dir = tempdir();
    let sheets = [
        ("delivery-focused.toml", "PM"),
        ("value-focused.toml", "pm "),
        ("in-transition.toml", " Pm"),
    ];
    for (name, role) in sheets {
        let text =
            std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/v2/sheets").join(name))
                .unwrap();
        write(
            dir.path(),
            name,
            with_line(&text, "role", &format!("role = \"{role}\"")),
        );
    }
    let r = run(&[
        "workshop".as_ref(),
        "--mixed".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let doc: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    let roles = doc["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 1, "{:#}", doc["roles"]);
    assert_eq!(roles[0]["role"], "PM", "{:#}", doc["roles"]);
    assert_eq!(roles[0]["respondents"], 3, "{:#}", doc["roles"]);
    assert_eq!(
        doc["flags"].as_array().unwrap().len(),
        0,
        "{:#}",
        doc["flags"]
    );
}

// ---------------------------------------------------------------------------
// Point 15: a non-UTF-8 file name still gets the right line
// ---------------------------------------------------------------------------

/// Point 15: a failing sheet whose file name holds byte 0xff: `check --format github`
/// annotates the expectation's line, not line 1.
#[test]
fn p15_non_utf8_file_name_annotates_the_expectation_line() {
    let dir = tempdir();
    let text = sheet_expecting("recommendation = \"vmo\"");
    let want = text
        .lines()
        .position(|l| l.starts_with("recommendation = \"vmo\""))
        .unwrap()
        + 1;
    let p = write(dir.path(), OsStr::from_bytes(b"bad\xff.toml"), &text);
    let r = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "github".as_ref(),
        p.as_os_str(),
    ]);
    assert_eq!(r.code, Some(1), "{}", r.describe());
    assert!(
        r.out().contains(&format!(",line={want},")),
        "want line={want}: {}",
        r.describe()
    );
}

// ---------------------------------------------------------------------------
// Point 16: empty values
// ---------------------------------------------------------------------------

/// Point 16: `--strict-version` treats `rubric-version = ""` as absent, like a
/// sheet without the key; and (third round, finding 17) an absent version fails
/// under `--strict-version`, which asks each sheet to show its version.
#[test]
fn p16_strict_version_treats_an_empty_version_as_absent() {
    let dir = tempdir();
    let empty = write(
        dir.path(),
        "empty.toml",
        with_line(SHEET, "rubric-version", "rubric-version = \"\""),
    );
    let missing: String = SHEET
        .lines()
        .filter(|l| !l.starts_with("rubric-version"))
        .map(|l| format!("{l}\n"))
        .collect();
    let missing = write(dir.path(), "missing.toml", missing);
    let r = run(&[
        "check".as_ref(),
        "--strict-version".as_ref(),
        missing.as_os_str(),
    ]);
    assert_eq!(r.code, Some(1), "a missing version: {}", r.describe());
    let r = run(&[
        "check".as_ref(),
        "--strict-version".as_ref(),
        empty.as_os_str(),
    ]);
    assert_eq!(r.code, Some(1), "an empty version: {}", r.describe());
    assert!(r.out().contains("no rubric-version"), "{}", r.describe());
}

/// Point 16: an empty PMO_VMO_RUBRIC means the embedded rubric (3.0.0), which
/// still scores a sheet written for 2.0.0, with a warning that names both.
#[test]
fn p16_an_empty_env_rubric_uses_the_default() {
    let mut c = bin();
    c.env("PMO_VMO_RUBRIC", "")
        .args(["score", "tests/fixtures/v2/sheets/in-transition.toml"]);
    let r = run_timed(c, None, LIMIT);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert!(
        r.err()
            .contains("rubric version 2.0.0, the rubric in use is 3.0.0"),
        "{}",
        r.describe()
    );
}

/// Point 16: `--rubric ''` on the command line is an error that says so (exit 2), as
/// the README says: an empty value there is usually an unset variable. Only an empty
/// PMO_VMO_RUBRIC means the embedded rubric, even when both are given.
#[test]
fn p16_an_empty_rubric_flag_is_an_error_that_says_so() {
    for env in [None, Some("")] {
        let mut c = bin();
        if let Some(v) = env {
            c.env("PMO_VMO_RUBRIC", v);
        }
        c.args([
            "--rubric",
            "",
            "score",
            "tests/fixtures/v2/sheets/in-transition.toml",
        ]);
        let r = run_timed(c, None, LIMIT);
        assert_eq!(r.code, Some(2), "env {env:?}: {}", r.describe());
        assert!(r.out().is_empty(), "{}", r.describe());
        assert!(
            r.err().contains("--rubric needs a file name"),
            "{}",
            r.describe()
        );
    }
}

// ---------------------------------------------------------------------------
// Point 17: a folder walk names what it cannot read
// ---------------------------------------------------------------------------

/// Point 17: a folder with an `.xlsx` and a `.txt` beside the sheets: one warning
/// naming both.
#[test]
fn p17_folder_walk_warns_once_about_files_it_cannot_read() {
    let dir = tempdir();
    write(dir.path(), "a.toml", SHEET);
    write(dir.path(), "answers.xlsx", b"PK\x03\x04not really");
    write(dir.path(), "notes.txt", "meeting notes\n");
    let r = run(&["score".as_ref(), dir.path().as_os_str()]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let err = r.err();
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("answers.xlsx") || l.contains("notes.txt"))
        .collect();
    assert_eq!(warnings.len(), 1, "want one warning line: {}", r.describe());
    assert!(warnings[0].contains("answers.xlsx"), "{}", r.describe());
    assert!(warnings[0].contains("notes.txt"), "{}", r.describe());
}

// ---------------------------------------------------------------------------
// Smaller points
// ---------------------------------------------------------------------------

/// Smaller: SIGTERM while `report` writes leaves no `.r.html.XXXX.tmp` behind.
/// Timing-dependent: the report is made big (a 20,000-row export) so the window in
/// which the temporary file exists is wide; the test waits for the temporary file to
/// appear and then sends SIGTERM. If the report finishes before the temporary file
/// is seen, nothing was tested: the test says so on stderr and passes.
#[test]
fn small_sigterm_during_report_leaves_no_temporary_file() {
    let dir = tempdir();
    let mut text = csv_header();
    text.push('\n');
    for i in 0..20_000 {
        text.push_str(&csv_row(&format!("R{i}")));
        text.push('\n');
    }
    let export = write(dir.path(), "big.csv", text);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let mut child = bin()
        .arg("report")
        .arg(&export)
        .arg("-o")
        .arg(out_dir.join("r.html"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut signalled = false;
    while start.elapsed() < Duration::from_secs(30) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if !tmp_files(&out_dir).is_empty() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            signalled = true;
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    if child.try_wait().unwrap().is_none() && !signalled {
        let _ = child.kill();
    }
    let _ = child.wait();
    if !signalled {
        eprintln!("NOTE: the report finished before its temporary file was seen; nothing tested");
        return;
    }
    // The process is gone: whatever is left now stays.
    assert!(
        tmp_files(&out_dir).is_empty(),
        "left behind: {:?}",
        tmp_files(&out_dir)
    );
}

/// Smaller: a JUnit `message` attribute that holds a newline stays readable: the
/// parsed message or the element's body keeps the newline.
#[test]
fn small_junit_message_keeps_a_newline() {
    let dir = tempdir();
    let p = write(
        dir.path(),
        "s.toml",
        with_line(
            SHEET,
            "maturity-standards",
            "maturity-standards = \"first\\nsecond\"",
        ),
    );
    let r = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "junit".as_ref(),
        p.as_os_str(),
    ]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    let xml = r.out();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let err = doc
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .unwrap_or_else(|| panic!("no <error>: {xml}"));
    let msg = err.attribute("message").unwrap_or("");
    let body = err.text().unwrap_or("");
    assert!(
        msg.contains("first\nsecond") || body.contains("first\nsecond"),
        "message {msg:?}, body {body:?}"
    );
    // The attribute itself: a raw newline would be read back as a space, so it is
    // written as `\n`, on one line.
    assert!(msg.contains(r"`first\nsecond`"), "message {msg:?}");
}

/// Smaller: a zero-width space in an answer is shown escaped in the error message.
#[test]
fn small_zero_width_space_in_an_answer_is_shown_escaped() {
    let dir = tempdir();
    let p = write(
        dir.path(),
        "s.toml",
        with_line(
            SHEET,
            "maturity-standards",
            "maturity-standards = \"documented\u{200b}\"",
        ),
    );
    let r = run(&["score".as_ref(), p.as_os_str()]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    let err = r.err();
    assert!(!err.contains('\u{200b}'), "raw U+200B: {err}");
    assert!(
        err.to_lowercase().contains("200b"),
        "not shown escaped: {err}"
    );
}

/// Smaller: a UTF-16 TOML sheet gets a message naming the encoding, not "looks like
/// a binary file".
#[test]
fn small_utf16_sheet_names_the_encoding() {
    let dir = tempdir();
    let mut bytes = vec![0xff, 0xfe];
    for u in SHEET.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let p = write(dir.path(), "utf16.toml", bytes);
    let r = run(&["score".as_ref(), p.as_os_str()]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    let err = r.err();
    assert!(err.contains("UTF-16"), "{err}");
    assert!(!err.contains("binary"), "{err}");
}

/// Smaller: a truncated JSON sheet's error names the line or says the file ended
/// early, not `?: EOF ...`.
#[test]
fn small_truncated_json_sheet_says_where_it_ended() {
    let dir = tempdir();
    let p = write(
        dir.path(),
        "t.json",
        "{\n  \"rubric\": \"pmo-vmo\",\n  \"answers\": {\n    \"maturity-standards\": \"documented\",\n",
    );
    let r = run(&["score".as_ref(), p.as_os_str()]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    let err = r.err();
    assert!(!err.contains("?:"), "{err}");
    let lower = err.to_lowercase();
    assert!(
        err.contains("t.json:5")
            || err.contains("t.json:4")
            || lower.contains("ended")
            || lower.contains("end of file"),
        "{err}"
    );
}

/// Smaller: a file name with a newline does not break a summary row.
#[test]
fn small_newline_in_a_file_name_keeps_summary_rows_whole() {
    let dir = tempdir();
    write(dir.path(), "a.toml", SHEET);
    write(dir.path(), "line\nbreak.toml", SHEET);
    let r = run(&[
        "score".as_ref(),
        "--summary".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let out = r.out();
    assert!(
        !out.lines()
            .any(|l| l.contains("break.toml") && !l.contains("line")),
        "a row was split by the newline:\n{out}"
    );
}

/// Smaller: 300,000 ignored columns make a warning line under 2,000 characters.
#[test]
fn small_many_ignored_columns_make_a_short_warning() {
    let dir = tempdir();
    let mut header = csv_header();
    let mut row = csv_row("Ann");
    for i in 0..300_000 {
        header.push_str(",x");
        header.push_str(&i.to_string());
        row.push(',');
    }
    let p = write(dir.path(), "wide.csv", format!("{header}\n{row}\n"));
    let r = run(&[
        "score".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        p.as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let err = r.err();
    for l in err.lines() {
        assert!(
            l.chars().count() < 2000,
            "a stderr line of {} characters: {}…",
            l.chars().count(),
            &l[..floor(l, 200)]
        );
    }
}

/// A rubric with one factor and one question.
const ONE_QUESTION: &str = r#"
id = "one"
version = "1.0"
title = "One"

[scoring]
hybrid-from = 40.0
vmo-from = 60.0

[[factor]]
id = "f"
title = "F"
weight = 1.0

[[question]]
id = "q"
factor = "f"
text = "Q?"
[[question.option]]
id = "lo"
label = "Lo"
score = 0
[[question.option]]
id = "hi"
label = "Hi"
score = 100

[recommendation.pmo]
title = "PMO"
summary = "Build a PMO."
next-steps = ["Set standards."]

[recommendation.hybrid]
title = "Hybrid"
summary = "Mix."
next-steps = ["Add a value lens."]

[recommendation.vmo]
title = "VMO"
summary = "Build a VMO."
next-steps = ["Write a value framework."]
"#;

/// Smaller: singular grammar: `init` of a one-question rubric says "(1 question)",
/// and the markdown count line of one sheet says "1 sheet".
#[test]
fn small_singular_grammar() {
    let dir = tempdir();
    let rubric = write(dir.path(), "one.toml", ONE_QUESTION);
    let out = dir.path().join("s.toml");
    let r = run(&[
        "--rubric".as_ref(),
        rubric.as_os_str(),
        "init".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let mut bad = Vec::new();
    if !r.err().contains("(1 question)") {
        bad.push(format!("init: {}", r.err()));
    }
    // (The table's summary line would be the other place, but `--summary` with a
    // single sheet prints the full table today, so there is no count line to check.)
    let md = runs(&[
        "score",
        "--format",
        "markdown",
        "tests/fixtures/v2/sheets/in-transition.toml",
    ]);
    if md.out().contains("1 sheets") || !md.out().contains("1 sheet") {
        bad.push(format!("markdown: {}", md.out()));
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Smaller: a 200,000-character unbroken word in a factor title does not make
/// `score` slow. A smoke test with a generous 10 s bound only; real speed goals
/// belong in bench/. Today the time grows faster than linearly with the word's
/// length (debug build, measured when this test was written: 25,000 characters
/// 0.4 s, 50,000 1.6 s, 100,000 7.9 s), so at 200,000 this runs into the 10 s
/// timeout; once the table no longer does that work it takes a fraction of a second.
#[test]
fn small_a_long_unbroken_word_in_a_title_is_not_slow() {
    let dir = tempdir();
    let word = "W".repeat(200_000);
    let rubric = write(
        dir.path(),
        "long.toml",
        rubric_with(&[(
            "title = \"Maturity of project management\"",
            &format!("title = \"{word}\""),
        )]),
    );
    let r = run(&[
        "--rubric".as_ref(),
        rubric.as_os_str(),
        "score".as_ref(),
        "tests/fixtures/v2/sheets/in-transition.toml".as_ref(),
    ]);
    assert!(!r.timed_out, "took over 10 s: {}", r.describe());
    assert_eq!(r.code, Some(0), "{}", r.describe());
}
