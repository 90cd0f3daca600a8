//! CLI snapshot cases: each `tests/cmd/**/*.trycmd` file is a transcript of
//! commands with their exit status and output (stdout and stderr together).
//! Regenerate with `TRYCMD=overwrite cargo test --test cli`.
//!
//! `tests/cmd/v2/` holds the transcripts written for the default rubric 2.0.0:
//! they run against a copy of it (`tests/fixtures/v2/`), so every result of a
//! format-2 rubric stays pinned. `tests/cmd/*.trycmd` run on the embedded default.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.trycmd");
}

#[test]
fn cli_cases_on_rubric_2() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .env("PMO_VMO_RUBRIC", "tests/fixtures/v2/pmo-vmo-2.0.0.toml")
        .case("tests/cmd/v2/*.trycmd")
        // Cases that need stdin (a `.stdin` file beside them).
        .case("tests/cmd/v2/*.toml");
}
