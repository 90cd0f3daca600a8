//! `pmo-vmo score`: score sheets and print the recommendation.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pmo_vmo::batch::{self, Event, Input};
use pmo_vmo::render::{self, Format, Style};
use pmo_vmo::sheet::SheetFormat;

use crate::cli::{self, GlobalArgs};

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Answer sheets: .toml or .json files, .csv survey exports (one sheet per row),
    /// folders (walked recursively), `-` for stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Format of a sheet read from stdin (`-`)
    #[arg(long, value_enum, default_value_t = InputFormat::Toml, value_name = "FORMAT")]
    pub input_format: InputFormat,
    /// Only the summary table, even for a few sheets
    #[arg(long, conflicts_with = "detail")]
    pub summary: bool,
    /// A detailed table for every sheet, even for many
    #[arg(long)]
    pub detail: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Table => Format::Table,
            OutputFormat::Json => Format::Json,
            OutputFormat::Csv => Format::Csv,
            OutputFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Toml,
    Json,
    Csv,
}

impl From<InputFormat> for SheetFormat {
    fn from(f: InputFormat) -> SheetFormat {
        match f {
            InputFormat::Toml => SheetFormat::Toml,
            InputFormat::Json => SheetFormat::Json,
            InputFormat::Csv => SheetFormat::Csv,
        }
    }
}

pub fn run(g: &GlobalArgs, args: &ScoreArgs) -> Result<ExitCode> {
    let rubric = cli::load_rubric(g, None)?;
    let inputs = batch::expand(&args.paths, args.input_format.into());
    let style = Style {
        color: cli::use_color(g, false),
        width: cli::width(),
        detail: if args.summary {
            Some(false)
        } else if args.detail {
            Some(true)
        } else {
            None
        },
    };
    // Results flow straight through the sink; a large buffer keeps a million rows of
    // csv output from turning into a million small writes.
    let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let format: render::Format = args.format.into();
    let with_flip = format.shows_flip();
    // One sheet file (or stdin, or a path that is no sheet at all), not a batch.
    let single = matches!(
        inputs.as_slice(),
        [Input::File(_, SheetFormat::Toml | SheetFormat::Json)
            | Input::Stdin(SheetFormat::Toml | SheetFormat::Json)
            | Input::Bad(_)]
    );
    let mut sink = render::sink(format, &rubric, style, single, out);
    let mut progress = Progress::new(batch::input_bytes(&inputs));
    let mut errors = 0usize;
    let streamed = batch::stream(
        &rubric,
        &inputs,
        |s| batch::score_owned_with(&rubric, s, with_flip),
        |event| {
            match event {
                Event::Item(r) => {
                    progress.sheet();
                    sink.result(&r)?;
                }
                Event::Error(e) => {
                    errors += 1;
                    progress.sheet();
                    progress.suspend(|| cli::print_input_error(&e));
                    sink.error(&e)?;
                }
                Event::Warning(w) => progress.suspend(|| cli::warn(&w)),
                Event::Progress(bytes) => progress.bytes(bytes),
            }
            Ok(())
        },
    )
    .and_then(|()| sink.finish());
    progress.finish();
    let code = if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    };
    match streamed {
        // The reader went away (`| head`): the run stops there, and its status is
        // that of the sheets read so far, not success.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(code),
    }
}

/// A progress bar on stderr that shows up only for a long run on a terminal: after
/// two seconds, or past a thousand sheets.
struct Progress {
    start: Instant,
    total: Option<u64>,
    sheets: u64,
    bytes: u64,
    bar: Option<ProgressBar>,
    enabled: bool,
}

impl Progress {
    const AFTER: Duration = Duration::from_secs(2);
    const AFTER_SHEETS: u64 = 1000;

    fn new(total: Option<u64>) -> Self {
        Progress {
            start: Instant::now(),
            total,
            sheets: 0,
            bytes: 0,
            bar: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    fn sheet(&mut self) {
        self.sheets += 1;
        // Checking the clock on every sheet would cost more than scoring some.
        if self.sheets.is_multiple_of(256) {
            self.tick();
        }
    }

    fn bytes(&mut self, bytes: u64) {
        self.bytes = bytes;
        self.tick();
    }

    fn tick(&mut self) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none()
            && (self.sheets > Self::AFTER_SHEETS || self.start.elapsed() > Self::AFTER)
        {
            let bar = match self.total {
                Some(total) => ProgressBar::with_draw_target(
                    Some(total),
                    ProgressDrawTarget::stderr_with_hz(4),
                )
                .with_style(
                    ProgressStyle::with_template(
                        "{bar:30} {percent:>3}% · {msg} · {elapsed} elapsed, about {eta} left",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                ),
                None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4))
                    .with_style(
                        ProgressStyle::with_template("{spinner} {msg} · {elapsed}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    ),
            };
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(self.bytes);
            bar.set_message(format!("{} sheets", self.sheets));
        }
    }

    /// Runs `f` (which writes to stderr) with the bar out of the way.
    fn suspend(&self, f: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
