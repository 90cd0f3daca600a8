//! `pmo-vmo score`: score sheets and print the recommendation.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pmo_vmo::input::{self, Event, Input, SheetFormat};
use pmo_vmo::render::{self, Format, Ready, Setup};
use pmo_vmo::result::{self, SheetResult};

use crate::args::ScoreArgs;
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

pub fn run(settings: &Settings, args: &ScoreArgs) -> Result<ExitStatus> {
    let rubric = settings.load_rubric(None)?;
    let inputs = input::expand(&args.sheets.paths, args.sheets.stdin_format());
    let detail = if args.summary {
        Some(false)
    } else if args.detail {
        Some(true)
    } else {
        None
    };
    let style = settings.style(detail);
    // Results flow straight through the output; a large buffer keeps a million rows of
    // csv output from turning into a million small writes.
    let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if args.answers && !matches!(args.format, crate::args::ScoreFormat::Csv) {
        anyhow::bail!("--answers adds columns to `--format csv` only");
    }
    let format = match args.format.into() {
        Format::Csv { .. } => Format::Csv {
            answers: args.answers,
        },
        other => other,
    };
    if args.texts && !matches!(args.format, crate::args::ScoreFormat::Json) {
        anyhow::bail!("--texts adds the rubric's texts to `--format json` only");
    }
    let mut extras = format.extras(args.target.map(Into::into));
    if args.texts {
        extras.advice = true;
        extras.texts = true;
    }
    // One sheet file (or stdin, or a path that is no sheet at all), not a batch: a
    // folder is a batch even when it holds one sheet, or none, so that JSON's
    // consumer always gets a document with its `errors`.
    let one_path = matches!(args.sheets.paths.as_slice(), [p] if !p.is_dir());
    let single = one_path
        && matches!(
            inputs.as_slice(),
            [Input::File(_, SheetFormat::Toml | SheetFormat::Json)
                | Input::Stdin(SheetFormat::Toml | SheetFormat::Json)
                | Input::Piped(_)
                | Input::Bad(_)]
        );
    let setup = Setup {
        rubric: &rubric,
        style,
        single,
    };
    let Some(mut output) = render::output::<SheetResult>(format, setup, out) else {
        anyhow::bail!("`score` has no {format:?} output");
    };
    let mut progress = Progress::new(input::stream::input_bytes(&inputs));
    let mut errors = 0usize;
    let streamed = input::stream_with(
        &rubric,
        &inputs,
        &args.sheets.read_options(),
        // Rows are written here, on the threads that read the sheets (every core,
        // for an export); the output puts them in order.
        |s| {
            Ok(render::ready(
                format,
                &rubric,
                result::score_with(&rubric, s, extras)?,
            ))
        },
        |event| {
            match event {
                Event::Item(Ready::Row(row)) => {
                    progress.sheet();
                    output.rows(&row)?;
                }
                Event::Item(Ready::Result(r)) => {
                    progress.sheet();
                    output.item(&r)?;
                }
                Event::Error(e) => {
                    errors += 1;
                    progress.sheet();
                    progress.suspend(|| term::print_input_error(&e, settings));
                    output.error(&e)?;
                }
                Event::Warning(w) => progress.suspend(|| term::warn(&w)),
                Event::Progress(bytes) => progress.bytes(bytes),
            }
            Ok(())
        },
    )
    .and_then(|()| output.finish());
    progress.finish();
    let status = ExitStatus::error_if(errors > 0);
    match streamed {
        // The reader went away (`| head`): the run stops there, and its status is
        // that of the sheets read so far, not success.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(status),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(status),
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
            let sheets = usize::try_from(self.sheets).unwrap_or(usize::MAX);
            bar.set_message(pmo_vmo::render::words::count(sheets, "sheet", "sheets"));
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
