//! The shipped examples and the commands that write files, run through the real binary.

use std::path::Path;
use std::process::Command;

use pmo_vmo::{Band, Batch, input, result};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"));
    c.env(
        "PMO_VMO_RUBRIC",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/v2/pmo-vmo-2.0.0.toml"
        ),
    );
    c.env_remove("RUST_BACKTRACE").env("NO_COLOR", "1");
    c
}

#[test]
fn example_sheets_get_pmo_hybrid_and_vmo() {
    let rubric = pmo_vmo::LoadedRubric::from_str(
        "tests/fixtures/v2/pmo-vmo-2.0.0.toml",
        &std::fs::read_to_string("tests/fixtures/v2/pmo-vmo-2.0.0.toml").unwrap(),
    )
    .unwrap();
    let inputs = input::expand(
        &[Path::new("tests/fixtures/v2/sheets").to_path_buf()],
        pmo_vmo::SheetFormat::Toml,
    );
    let b = Batch::run(&rubric, &inputs);
    assert!(b.errors.is_empty(), "{:?}", b.errors);
    let got: Vec<(String, Band)> = b
        .results
        .iter()
        .map(|r| {
            (
                r.source.to_string().rsplit('/').next().unwrap().to_string(),
                r.evaluation.recommendation,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("delivery-focused.toml".to_string(), Band::Pmo),
            ("in-transition.toml".to_string(), Band::Hybrid),
            ("value-focused.toml".to_string(), Band::Vmo),
        ]
    );
    // Each example says what it expects; the examples are clear cases, not edge ones.
    for input in &inputs {
        let s = input::load(&rubric, input).unwrap();
        let r = result::score(&rubric, s.clone(), true).unwrap();
        let expect = s.sheet.expect.clone().unwrap();
        assert_eq!(expect.recommendation, Some(r.evaluation.recommendation));
        assert!(r.evaluation.margin >= expect.min_margin.unwrap());
    }
}

#[test]
fn json_output_matches_the_contract_shape() {
    let out = bin()
        .args(["score", "--format", "json", "tests/fixtures/v2/sheets"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rubric"]["id"], "pmo-vmo");
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let r = &results[1];
    for key in [
        "source",
        "respondent",
        "role",
        "recommendation",
        "band",
        "index",
        "margin",
        "answered",
        "questions",
        "factors",
        "unanswered",
        "gates",
        "provisional",
        "shortfalls",
        "answers",
        "notes",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    assert_eq!(r["recommendation"], "hybrid");
    assert_eq!(r["provisional"], false);
    assert_eq!(r["shortfalls"], serde_json::json!([]));
    assert_eq!(r["answers"]["maturity-delivery-track-record"], "usually");
    assert!(
        r["notes"]["maturity-delivery-track-record"]
            .as_str()
            .is_some_and(|n| n.contains("80%")),
        "{}",
        r["notes"]
    );
    assert_eq!(r["factors"].as_array().unwrap().len(), 4);
    assert_eq!(v["errors"], serde_json::json!([]));
}

#[test]
fn init_writes_a_sheet_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.toml");
    let out = bin().args(["init", "-o"]).arg(&path).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("maturity-standards = \"\""));

    std::fs::write(&path, "keep me").unwrap();
    let out = bin().args(["init", "-o"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
}

#[test]
fn init_writes_only_toml_files_and_dash_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["sheet.json", "sheet"] {
        let path = dir.path().join(name);
        let out = bin().args(["init", "-o"]).arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("must end in .toml"), "{err}");
        assert!(!path.exists(), "{name} was written");
    }
    let out = bin()
        .current_dir(dir.path())
        .args(["init", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("maturity-standards = \"\""));
    assert!(!dir.path().join("-").exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn form_writes_a_file_keeps_an_existing_one_and_replaces_it_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.html");
    let run = |extra: &[&str]| {
        bin()
            .args(["form", "--format", "html", "-o"])
            .arg(&path)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("wrote") && err.contains("20 questions"),
        "{err}"
    );
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(out.stdout.is_empty(), "the page went to the file only");

    std::fs::write(&path, "keep me").unwrap();
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");

    let out = run(&["--force"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), page);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "a temporary was left"
    );

    // Without -o, stdout; the script too.
    let out = bin()
        .args(["form", "--format", "apps-script"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("function createForm()"));
}

#[test]
fn report_to_dash_is_stdout_and_a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["report", "--mixed", "tests/fixtures/v2/sheets", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"<!DOCTYPE html>"));
    let out = bin()
        .args([
            "report",
            "--mixed",
            "tests/fixtures/v2/sheets",
            "--force",
            "-o",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is a folder"), "{err}");
}

#[test]
fn escape_sequences_in_names_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // A name from a survey export that would retitle the window and clear the screen.
    let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J Eve";
    let export = std::fs::read_to_string("tests/fixtures/forms/agreement.csv")
        .unwrap()
        .replacen("Tomasz Brennan", evil, 1)
        .replacen(",sponsor,", ",\u{1b}[2Jsponsor,", 1);
    let csv = dir.path().join("export.csv");
    std::fs::write(&csv, export).unwrap();
    // The same in a sheet, and in an answer that is no option (an error on stderr).
    let sheet = std::fs::read_to_string("tests/fixtures/v2/sheets/in-transition.toml")
        .unwrap()
        .replacen("respondent = \"", "respondent = \"\\u001b[2J", 1);
    let toml = dir.path().join("sheet.toml");
    std::fs::write(&toml, &sheet).unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "rubric = \"pmo-vmo\"\n[answers]\nmaturity-standards = \"\\u001b[2J\"\n",
    )
    .unwrap();
    for format in ["table", "markdown"] {
        for args in [vec!["score", "--detail"], vec!["check"]] {
            if args[0] == "check" && format != "table" {
                continue;
            }
            let mut cmd = bin();
            cmd.args(&args).arg(&csv).arg(&toml).arg(&bad);
            if args[0] == "score" {
                cmd.args(["--format", format]);
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(2));
            for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                let text = String::from_utf8_lossy(bytes);
                assert!(
                    !bytes.iter().any(|&b| b == 0x1b || b == 0x07),
                    "{args:?} {format} {stream}: {text:?}"
                );
            }
            let all = String::from_utf8_lossy(&out.stdout);
            if args[0] == "score" {
                // Markdown also writes the bracket as a character reference.
                let shown = if format == "markdown" {
                    "u{1b}&#93;0;pwned"
                } else {
                    "u{1b}]0;pwned"
                };
                assert!(all.contains(shown), "{all}");
            }
            assert!(String::from_utf8_lossy(&out.stderr).contains("u{1b}[2J"));
        }
    }
    // The workshop's roles table and flags, from the export's role column.
    let out = bin()
        .args(["workshop", "--mixed"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        !out.stdout.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("u{1b}[2Jsponsor"));
}

#[test]
fn filled_blank_sheet_scores() {
    // init, answer one question per factor, score: the round trip a new user makes.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    assert!(
        bin()
            .args(["init", "-o"])
            .arg(&path)
            .status()
            .unwrap()
            .success()
    );
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "maturity-standards = \"\"",
        "maturity-standards = \"consistent\"",
    );
    std::fs::write(&path, text).unwrap();
    let out = bin()
        .args(["score", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"][0]["answered"], 1);
}

#[test]
fn stdin_sheet_and_closed_pipe() {
    use std::io::Write;
    use std::process::Stdio;
    let text = std::fs::read_to_string("tests/fixtures/v2/sheets/value-focused.toml").unwrap();
    let mut child = bin()
        .args(["score", "--format", "csv", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\n<stdin>,Ingrid Vasquez-Lund,finance,")
    );

    // A reader that goes away at once: no panic, no error message.
    let mut child = bin()
        .args(["rubric", "show", "--format", "markdown"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.code() == Some(0), "{stderr}");
}

#[test]
fn an_empty_rubric_variable_means_the_default_rubric() {
    let out = bin()
        .env("PMO_VMO_RUBRIC", "")
        .args(["score", "tests/fixtures/v2/sheets", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 4);
    // An empty --rubric is a mistake, not the default.
    let out = bin()
        .args(["--rubric", "", "score", "tests/fixtures/v2/sheets"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rubric needs a file name"));
    // A variable naming a missing file is still an error that names it.
    let out = bin()
        .env("PMO_VMO_RUBRIC", "no-such-rubric.toml")
        .args(["score", "tests/fixtures/v2/sheets"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rubric.toml"));
}

#[test]
fn a_value_from_a_sheet_cannot_start_a_line_on_stderr() {
    // In CI, a line of output that starts with `::` is a GitHub Actions command.
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("inj.toml");
    std::fs::write(
        &sheet,
        "rubric = \"pmo-vmo\"\n[answers]\nmaturity-standards = \"x\\n::error file=README.md,line=1::Injected\"\n",
    )
    .unwrap();
    // A name and a rubric-version with a newline, printed in a table and a check line.
    let named = dir.path().join("named.toml");
    let sheet_text = std::fs::read_to_string("tests/fixtures/v2/sheets/in-transition.toml")
        .unwrap()
        .replacen("respondent = \"", "respondent = \"Eve\\n::error::named ", 1)
        .replacen(
            "rubric-version = \"2.0.0\"",
            "rubric-version = \"0.9\\n::error::version\"",
            1,
        );
    std::fs::write(&named, sheet_text).unwrap();
    for args in [vec!["score", "--detail"], vec!["check", "--strict-version"]] {
        let out = bin().args(&args).arg(&named).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("\\n::error::"), "{args:?}: {text}");
        assert!(
            !text.lines().any(|l| l.starts_with("::error")),
            "{args:?}: {text}"
        );
    }
    for args in [
        ["check", "--format", "github"],
        ["score", "--format", "csv"],
    ] {
        let out = bin().args(args).arg(&sheet).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("x\\n::error"), "{err}");
        for stream in [&err, &String::from_utf8_lossy(&out.stdout)] {
            assert!(
                !stream.lines().any(|l| l.starts_with("::error file=README")),
                "{stream}"
            );
        }
    }
}
