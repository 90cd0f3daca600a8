//! `pmo-vmo score`: score sheets and print the recommendation.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pmo_vmo::InputError;
use pmo_vmo::input::{self, Event, Input, SheetFormat};
use pmo_vmo::render::{self, Format};
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
    // Results flow straight through the sink; a large buffer keeps a million rows of
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
    // Rows are written where they are scored (on every core, for a large export);
    // the sink writes them out in order.
    let target = args.target.map(Into::into);
    let rows = render::row_writer(format, &rubric, target);
    // The JSON row writer works out the flip, the roadmap and the answers from the
    // chosen options itself, by index: its results are scored without them.
    let own = !format.writer_searches();
    let extras = result::Extras {
        flip: format.shows_flip() && own,
        roadmap: format.shows_roadmap() && own,
        target,
        answers: format.shows_answers() && own,
        advice: format.shows_advice(),
    };
    // One sheet file (or stdin, or a path that is no sheet at all), not a batch.
    let single = matches!(
        inputs.as_slice(),
        [Input::File(_, SheetFormat::Toml | SheetFormat::Json)
            | Input::Stdin(SheetFormat::Toml | SheetFormat::Json)
            | Input::Piped(_)
            | Input::Bad(_)]
    );
    let mut sink = render::sink(format, &rubric, style, single, out);
    let mut progress = Progress::new(input::stream::input_bytes(&inputs));
    let spare = Spare::default();
    let pooled = matches!(format, Format::Json);
    let mut batch = Batch::default();
    let mut errors = 0usize;
    let streamed = input::stream_with(
        &rubric,
        &inputs,
        &args.sheets.read_options(),
        |s| {
            // A JSON row is written straight from the sheet, which the writer scores
            // itself, by index: no result is made.
            if let (Some(w), true) = (rows.as_deref(), pooled) {
                let mut row = spare.take();
                match w.write_sheet(&s, &mut row) {
                    Some(Ok(())) => return Ok(Scored::Row(row)),
                    Some(Err(e)) => return Err(InputError::new(&s.source, e)),
                    None => spare.give(row),
                }
            }
            let r = result::score_with(&rubric, s, extras)?;
            Ok(Scored::new(r, rows.as_deref()))
        },
        |event| {
            // Pooled rows go out a batch at a time, without being copied again; anything
            // else sends the batch first, so that the output keeps its order.
            if !matches!(event, Event::Item(Scored::Row(_)) | Event::Progress(_)) {
                batch.send(&mut *sink, &spare)?;
            }
            match event {
                Event::Item(Scored::Row(row)) if pooled => {
                    progress.sheet();
                    batch.add(row);
                    if batch.full() {
                        batch.send(&mut *sink, &spare)?;
                    }
                }
                Event::Item(Scored::Row(row)) => {
                    progress.sheet();
                    sink.rendered(&row)?;
                }
                Event::Item(Scored::Result(r)) => {
                    progress.sheet();
                    sink.result(&r)?;
                }
                Event::Error(e) => {
                    errors += 1;
                    progress.sheet();
                    progress.suspend(|| term::print_input_error(&e, settings));
                    sink.error(&e)?;
                }
                Event::Warning(w) => progress.suspend(|| term::warn(&w)),
                Event::Progress(bytes) => progress.bytes(bytes),
            }
            Ok(())
        },
    )
    .and_then(|()| batch.send(&mut *sink, &spare))
    .and_then(|()| sink.finish());
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

thread_local! {
    /// Row buffers a thread has taken from the [`Spare`] pool and not used yet.
    static STASH: std::cell::RefCell<Vec<Vec<u8>>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Each thread's buffer for writing one small row.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Row buffers that have been written out, for the threads that write rows to
/// use again: they go round instead of being allocated and freed a row at a time
/// (and freed on another thread than the one that allocated them).
#[derive(Default)]
struct Spare(std::sync::Mutex<Vec<Vec<u8>>>);

impl Spare {
    /// More than the rows in flight at once never wait here.
    const KEEP: usize = 4096;

    /// How many buffers a thread takes from the pool at a time.
    const GRAB: usize = 32;

    /// An empty buffer, used before if one is at hand. Each thread keeps a few in
    /// hand, taken from the pool a handful at a time rather than one by one under
    /// its lock.
    fn take(&self) -> Vec<u8> {
        STASH.with_borrow_mut(|stash| {
            if stash.is_empty()
                && let Ok(mut pool) = self.0.lock()
            {
                let from = pool.len().saturating_sub(Self::GRAB);
                stash.extend(pool.drain(from..));
            }
            let mut row = stash.pop().unwrap_or_default();
            row.clear();
            row
        })
    }

    fn give(&self, row: Vec<u8>) {
        self.give_all(std::iter::once(row));
    }

    /// [`Self::give`] for many, under one lock.
    fn give_all(&self, rows: impl Iterator<Item = Vec<u8>>) {
        if let Ok(mut v) = self.0.lock() {
            let room = Self::KEEP.saturating_sub(v.len());
            v.extend(rows.take(room));
        }
    }
}

/// Pooled rows waiting to go out together: the sink writes a batch with one
/// vectored write, straight from the rows' buffers (a json row copied into the
/// output buffer would be copied a second time), then they go back to the pool.
#[derive(Default)]
struct Batch {
    rows: Vec<Vec<u8>>,
    bytes: usize,
}

impl Batch {
    /// About this much output goes out at a time.
    const BYTES: usize = 1 << 18;

    fn add(&mut self, row: Vec<u8>) {
        self.bytes += row.len();
        self.rows.push(row);
    }

    fn full(&self) -> bool {
        self.bytes >= Self::BYTES
    }

    fn send(&mut self, sink: &mut dyn render::Sink, spare: &Spare) -> std::io::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let sent = sink.rendered_all(&self.rows);
        spare.give_all(self.rows.drain(..));
        self.bytes = 0;
        sent
    }
}

/// A scored sheet as its format needs it: already written as a row, or the result
/// itself.
enum Scored {
    Row(Vec<u8>),
    Result(Box<SheetResult>),
}

impl Scored {
    /// `r` written by the format's row writer, if it has one (a small row: csv),
    /// copied out of this thread's scratch buffer. A JSON row, a few kilobytes, is
    /// written from the sheet straight into a pooled buffer instead (see `run`).
    fn new(r: SheetResult, rows: Option<&dyn render::RowWriter>) -> Self {
        match rows {
            Some(w) => SCRATCH.with_borrow_mut(|scratch| {
                scratch.clear();
                w.write(&r, scratch);
                Scored::Row(scratch.as_slice().to_vec())
            }),
            None => Scored::Result(Box::new(r)),
        }
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
