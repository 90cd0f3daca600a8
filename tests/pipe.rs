//! A reader that goes away (`pmo-vmo check ... | head -1`) must not change the exit
//! status: failures stay 1 and errors stay 2. The read end of stdout's pipe is closed
//! before the binary starts, so every write it makes fails with a broken pipe.

use std::process::{Command, Stdio};

fn run_into_closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .env(
            "PMO_VMO_RUBRIC",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/v2/pmo-vmo-2.0.0.toml"
            ),
        )
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn check_with_failures_still_exits_1() {
    let (code, stderr) =
        run_into_closed_pipe(&["check", "tests/fixtures/v2/sheets", "--expect", "vmo"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!stderr.to_lowercase().contains("broken pipe"), "{stderr}");
}

#[test]
fn check_with_an_error_still_exits_2() {
    let (code, stderr) = run_into_closed_pipe(&[
        "check",
        "tests/fixtures/v2/sheets",
        "tests/fixtures/sheets/other-rubric.toml",
        "--format",
        "junit",
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("other-rubric.toml"), "{stderr}");
}

#[test]
fn score_with_an_error_still_exits_2_in_every_format() {
    for format in ["table", "json", "csv", "markdown"] {
        let (code, stderr) = run_into_closed_pipe(&[
            "score",
            "tests/fixtures/v2/sheets",
            "tests/fixtures/sheets/other-rubric.toml",
            "--format",
            format,
        ]);
        assert_eq!(code, Some(2), "{format}: {stderr}");
        assert!(
            !stderr.to_lowercase().contains("broken pipe"),
            "{format}: {stderr}"
        );
    }
}

#[test]
fn a_clean_run_into_a_closed_pipe_is_still_success() {
    let (code, stderr) =
        run_into_closed_pipe(&["score", "tests/fixtures/v2/sheets", "--format", "csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "");
}
