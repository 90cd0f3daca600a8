//! `pmo-vmo check`: the CI gate. Scores like `score`, judges each sheet against its
//! expectations, and exits 0 (all passed), 1 (a sheet failed) or 2 (an input could
//! not be read; errors win over failures).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use pmo_vmo::Band;
use pmo_vmo::batch::{self, format_of};
use pmo_vmo::check::{self, Format, Outcome, Report, Rules, RunStatus};
use pmo_vmo::sheet::SheetFormat;

use crate::cli::{self, GlobalArgs};
use crate::cmd::score::InputFormat;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Answer sheets: .toml or .json files, .csv survey exports (one sheet per row),
    /// folders (walked recursively), `-` for stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Every sheet must get this recommendation (replaces each sheet's `expect.recommendation`)
    #[arg(long, value_enum, value_name = "BAND")]
    pub expect: Option<ExpectBand>,
    /// Every sheet's margin must be at least N index points (replaces `expect.min-margin`)
    #[arg(long, value_name = "N", value_parser = parse_margin, allow_negative_numbers = true)]
    pub min_margin: Option<f64>,
    /// Every sheet must answer at least this share of the questions (0..=1)
    #[arg(long, value_name = "FRACTION", value_parser = parse_fraction, allow_negative_numbers = true)]
    pub min_answered: Option<f64>,
    /// A sheet whose `rubric-version` differs from the rubric's fails (otherwise a warning)
    #[arg(long)]
    pub strict_version: bool,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Format of a sheet read from stdin (`-`)
    #[arg(long, value_enum, default_value_t = InputFormat::Toml, value_name = "FORMAT")]
    pub input_format: InputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One PASS/FAIL line per sheet and a count
    Text,
    /// The `score` JSON with a verdict per result
    Json,
    /// JUnit XML, one test case per sheet
    Junit,
    /// GitHub Actions `::error` annotations
    Github,
}

impl From<CheckFormat> for Format {
    fn from(f: CheckFormat) -> Format {
        match f {
            CheckFormat::Text => Format::Text,
            CheckFormat::Json => Format::Json,
            CheckFormat::Junit => Format::Junit,
            CheckFormat::Github => Format::Github,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExpectBand {
    Pmo,
    Hybrid,
    Vmo,
}

impl From<ExpectBand> for Band {
    fn from(b: ExpectBand) -> Band {
        match b {
            ExpectBand::Pmo => Band::Pmo,
            ExpectBand::Hybrid => Band::Hybrid,
            ExpectBand::Vmo => Band::Vmo,
        }
    }
}

fn parse_number(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| "expected a number".to_string())
}

fn parse_margin(s: &str) -> Result<f64, String> {
    let x = parse_number(s)?;
    if !(0.0..=100.0).contains(&x) {
        return Err("a margin is 0 to 100 index points".into());
    }
    Ok(x)
}

fn parse_fraction(s: &str) -> Result<f64, String> {
    let x = parse_number(s)?;
    if !(0.0..=1.0).contains(&x) {
        return Err("expected a fraction from 0 to 1, such as 0.75".into());
    }
    Ok(x)
}

pub fn run(g: &GlobalArgs, args: &CheckArgs) -> Result<ExitCode> {
    let rules = Rules {
        expect: args.expect.map(Band::from),
        min_margin: args.min_margin,
        min_answered: args.min_answered,
        strict_version: args.strict_version,
    };
    if let Err(msg) = rules.validate() {
        bail!(msg);
    }
    let rubric = cli::load_rubric(g, None)?;
    let inputs = batch::expand(&args.paths, args.input_format.into());
    let mut report = Report::default();
    let (outcomes, warnings) = batch::run_keeping_sheets(&rubric, &inputs);
    for w in &warnings {
        // Under --strict-version the mismatch is the sheet's FAIL reason: said once.
        if !(rules.strict_version && pmo_vmo::sheet::is_version_warning(w)) {
            cli::warn(w);
        }
    }
    for outcome in outcomes {
        match outcome {
            Ok((sheet, result)) => {
                let mut v = check::judge(&rubric, &sheet, result, &rules);
                if !v.passed() {
                    v.line = sheet_line(&sheet.source, &v);
                }
                report.outcomes.push(Outcome::Judged(Box::new(v)));
            }
            Err(e) => {
                cli::print_input_error(&e);
                report.outcomes.push(Outcome::Error(e));
            }
        }
    }
    let mut out = Vec::new();
    check::render(args.format.into(), &rubric, &report, &mut out)?;
    let code = match report.status() {
        RunStatus::Passed => ExitCode::SUCCESS,
        RunStatus::Failed => ExitCode::from(1),
        RunStatus::Error => ExitCode::from(2),
    };
    cli::emit(&out, code)
}

/// The line of a failed sheet to annotate: the unmet expectation's key, else 1;
/// for a row of an export, the row's line. Rereads the file (only for failures);
/// stdin has no line to point at.
fn sheet_line(source: &str, v: &check::Verdict) -> Option<usize> {
    if source == pmo_vmo::batch::STDIN {
        return None;
    }
    if let (_, Some(row)) = batch::split_source(source) {
        return Some(row);
    }
    let path = Path::new(source);
    let format = format_of(path).unwrap_or(SheetFormat::Toml);
    match std::fs::read_to_string(path) {
        Ok(text) => check::failure_line(&text, format, v).or(Some(1)),
        Err(_) => Some(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_values_are_checked() {
        assert_eq!(parse_fraction("0.75"), Ok(0.75));
        assert!(parse_fraction("1.5").is_err());
        assert!(parse_fraction("NaN").is_err());
        assert!(parse_margin("-1").is_err());
        assert!(parse_margin("1e300").is_err());
        assert_eq!(parse_margin("100"), Ok(100.0));
    }
}
