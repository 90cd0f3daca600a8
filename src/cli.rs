//! Command-line arguments (clap), the checked configuration they become, and the
//! glue every subcommand shares: loading the rubric, colour, width, error output.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use pmo_vmo::diag::{printable, printable_line};
use pmo_vmo::{InputError, InputErrors, LoadedRubric};

use crate::cmd;

const AFTER_HELP: &str = "\
Exit status:
  0    done, and every check passed
  1    `check` or `rubric check` found a failing sheet or lint
  2    error: bad usage, unreadable or invalid rubric or sheet, no terminal for `interview`
  130  the interview was interrupted with Ctrl-C (answers so far are on disk)

Without --rubric (or PMO_VMO_RUBRIC) the embedded default rubric is used.";

/// Decide between a Project Management Office (PMO), a Value Management Office (VMO)
/// or a hybrid: interview, score answer sheets, gate CI, report.
#[derive(Debug, Parser)]
#[command(name = "pmo-vmo", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Rubric file to score against (default: the embedded PMO/VMO rubric)
    // An empty PMO_VMO_RUBRIC (common in CI templates) means "not set", so the
    // parser takes empty values and `load_rubric` ignores them.
    #[arg(
        long,
        global = true,
        env = "PMO_VMO_RUBRIC",
        hide_env_values = true,
        value_name = "FILE",
        value_parser = clap::builder::OsStringValueParser::new().map(PathBuf::from)
    )]
    pub rubric: Option<PathBuf>,
    /// When to use colour (NO_COLOR is respected under `auto`)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score answer sheets (files, folders, `-` for stdin) and print the recommendation
    Score(cmd::score::ScoreArgs),
    /// Interview in the terminal: ask every question, save the sheet after each
    /// answer, then show the recommendation
    #[command(after_help = cmd::interview::AFTER_HELP)]
    Interview(cmd::interview::InterviewArgs),
    /// CI gate: score sheets and judge each against its expectations (exit 1 on a failure)
    Check(cmd::check::CheckArgs),
    /// One group result from many respondents, with where they disagree
    Workshop(cmd::workshop::WorkshopArgs),
    /// Write a self-contained HTML report (chart, tables, agenda, notes); never overwrites without --force
    Report(cmd::report::ReportArgs),
    /// Write a blank answer sheet listing every question and option (never overwrites)
    Init(cmd::init::InitArgs),
    /// Validate, show or describe a rubric
    #[command(subcommand)]
    Rubric(cmd::rubric::RubricCommand),
    /// Print shell completions
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

/// Parses the command line and runs the command.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let g = &cli.global;
    match &cli.command {
        Command::Score(a) => cmd::score::run(g, a),
        Command::Check(a) => cmd::check::run(g, a),
        Command::Workshop(a) => cmd::workshop::run(g, a),
        Command::Report(a) => cmd::report::run(g, a),
        Command::Init(a) => cmd::init::run(g, a),
        Command::Interview(a) => cmd::interview::run(g, a),
        Command::Rubric(c) => cmd::rubric::run(g, c),
        Command::Completions { shell } => {
            let mut c = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut c, "pmo-vmo", &mut out);
            write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let c = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_mangen::Man::new(c).render(&mut out)?;
            write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Loads `--rubric` or the embedded default; a bad rubric is an error (exit 2).
pub fn load_rubric(g: &GlobalArgs, file: Option<&PathBuf>) -> Result<LoadedRubric> {
    let given = match g.rubric.as_ref() {
        // An empty PMO_VMO_RUBRIC is "not set"; an empty --rubric is a mistake
        // (`--rubric "$UNSET"`) that must not fall back to the default quietly.
        Some(p) if p.as_os_str().is_empty() => {
            if std::env::var_os("PMO_VMO_RUBRIC").is_none_or(|v| !v.is_empty()) {
                anyhow::bail!("--rubric needs a file name, got an empty one");
            }
            None
        }
        other => other,
    };
    let path = file.or(given);
    Ok(LoadedRubric::load(path.map(|p| p.as_path()))?)
}

/// Whether to colour stdout (or stderr when `stderr` is true).
pub fn use_color(g: &GlobalArgs, stderr: bool) -> bool {
    match g.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let tty = if stderr {
                std::io::stderr().is_terminal()
            } else {
                std::io::stdout().is_terminal()
            };
            tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// The terminal's width, or `None` when stdout is not a terminal.
pub fn width() -> Option<u16> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_, w)| w.max(40))
}

/// Writes bytes to stdout; a closed pipe surfaces as an error `main` treats as quiet.
pub fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Writes a command's whole output and returns `code`. A reader that went away
/// (`pmo-vmo check ... | head -1`) does not turn failures or errors into success:
/// the status is what the run found, whoever read the output.
pub fn emit(bytes: &[u8], code: ExitCode) -> anyhow::Result<ExitCode> {
    match write_stdout(bytes) {
        Ok(()) => Ok(code),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(e.into()),
    }
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it
/// (with the usual file mode, umask applied, not tempfile's 0600), synced, then
/// linked into place. Unless `replace`, an existing file is left alone, even one
/// that appeared meanwhile, and the error ends with `hint`.
pub fn write_whole(path: &Path, bytes: &[u8], replace: bool, hint: &str) -> Result<()> {
    use anyhow::Context;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".pmo-vmo").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("could not create a file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("could not write {}", path.display()))?;
    let linked = if replace {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    match linked {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => anyhow::bail!(
            "{} already exists; not overwriting it ({hint})",
            path.display()
        ),
        Err(e) => Err(e.error).with_context(|| format!("could not write {}", path.display())),
    }
}

/// Whether an error is stdout's reader going away (`pmo-vmo score ... | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints one input error on stderr, with its source excerpt when there is one.
pub fn print_input_error(e: &InputError) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {}", printable_line(&e.to_string()));
    if let Some(snippet) = &e.snippet {
        // The first line repeats the message; the excerpt is what adds.
        let body: Vec<&str> = snippet.lines().skip(1).collect();
        let _ = writeln!(err, "{}", printable(&body.join("\n")));
    }
}

/// Prints a fatal error on stderr.
pub fn print_error(err: &anyhow::Error) {
    if let Some(list) = err.downcast_ref::<InputErrors>() {
        for e in &list.0 {
            print_input_error(e);
        }
        return;
    }
    if let Some(e) = err.downcast_ref::<InputError>() {
        print_input_error(e);
        return;
    }
    let _ = writeln!(
        std::io::stderr(),
        "error: {}",
        printable(&format!("{err:#}"))
    );
}

/// Prints a warning on stderr.
pub fn warn(msg: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {}", printable_line(msg));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        <Cli as clap::CommandFactory>::command().debug_assert();
    }
}
