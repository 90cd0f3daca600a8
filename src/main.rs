//! The `pmo-vmo` binary: arguments (`args`) -> settings (`settings`) -> the command
//! (`cmd::*`, which calls the library) -> the terminal (`term`), whose exit status
//! becomes the process's (0 ok, 1 check failed, 2 error, 130 interrupted).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod args;
mod cmd;
mod settings;
mod term;

use args::GlobalArgs;
use settings::Settings;
use term::ExitStatus;

/// Decide between a Project Management Office (PMO), a Value Management Office (VMO)
/// or a hybrid: interview, score answer sheets, gate CI, report.
#[derive(Debug, Parser)]
#[command(name = "pmo-vmo", version, after_help = args::AFTER_HELP, max_term_width = 100)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score answer sheets (files, folders, `-` for stdin) and print the recommendation
    Score(args::ScoreArgs),
    /// Interview in the terminal: ask every question, save the sheet after each
    /// answer, then show the recommendation
    #[command(after_help = args::INTERVIEW_AFTER_HELP)]
    Interview(args::InterviewArgs),
    /// CI gate: score sheets and judge each against its expectations (exit 1 on a failure)
    Check(args::CheckArgs),
    /// One group result from many respondents, with where they disagree
    Workshop(args::WorkshopArgs),
    /// Compare a follow-up assessment with its baseline: what moved
    Compare(args::CompareArgs),
    /// Write each sheet's plan (or the group's, with --group) as rows a tracker
    /// imports: Jira, Azure DevOps, GitHub issues
    Plan(args::PlanArgs),
    /// Write a self-contained HTML report (chart, tables, agenda, notes); never overwrites without --force
    Report(args::ReportArgs),
    /// Write a questionnaire for people without a terminal: an offline HTML form, or a
    /// script that builds a Google Form (never overwrites without --force)
    #[command(after_help = args::FORM_AFTER_HELP)]
    Form(args::FormArgs),
    /// Run a live workshop: participants answer on their phones, each sheet lands in
    /// DIR, the facilitator reveals where the room disagrees
    #[command(after_help = args::SERVE_AFTER_HELP)]
    Serve(args::ServeArgs),
    /// Write a blank answer sheet listing every question and option (never overwrites)
    Init(args::InitArgs),
    /// Validate, show or describe a rubric
    #[command(subcommand)]
    Rubric(args::RubricCommand),
    /// Print shell completions
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = Settings::resolve(&cli.global);
    match run(&settings, &cli.command) {
        Ok(status) => status.into(),
        Err(err) if term::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            term::print_error(&err, &settings);
            ExitStatus::Error.into()
        }
    }
}

/// Runs the command.
fn run(settings: &Settings, command: &Command) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Score(a) => cmd::score::run(settings, a),
        Command::Check(a) => cmd::check::run(settings, a),
        Command::Workshop(a) => cmd::workshop::run(settings, a),
        Command::Report(a) => cmd::report::run(settings, a),
        Command::Compare(a) => cmd::compare::run(settings, a),
        Command::Plan(a) => cmd::plan::run(settings, a),
        Command::Init(a) => cmd::init::run(settings, a),
        Command::Form(a) => cmd::form::run(settings, a),
        Command::Serve(a) => cmd::serve::run(settings, a),
        Command::Interview(a) => cmd::interview::run(settings, a),
        Command::Rubric(c) => cmd::rubric::run(settings, c),
        Command::Completions { shell } => {
            let mut c = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut c, "pmo-vmo", &mut out);
            term::write_stdout(&out)?;
            Ok(ExitStatus::Success)
        }
        Command::Man => {
            let c = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_mangen::Man::new(c).render(&mut out)?;
            term::write_stdout(&out)?;
            Ok(ExitStatus::Success)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        <Cli as clap::CommandFactory>::command().debug_assert();
    }
}
