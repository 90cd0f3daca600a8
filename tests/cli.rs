//! CLI snapshot cases: each `tests/cmd/*.trycmd` file is a transcript of commands
//! with their exit status and output (stdout and stderr together).
//! Regenerate with `TRYCMD=overwrite cargo test --test cli`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.trycmd")
        // Cases that need stdin (a `.stdin` file beside them).
        .case("tests/cmd/*.toml");
}
