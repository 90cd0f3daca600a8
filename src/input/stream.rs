//! Turning the paths on a command line into scored sheets: files, folders (walked
//! in sorted order), survey exports (one sheet per row) and stdin, each bad input an
//! error that does not stop the rest.
//!
//! [`stream`] hands results over one by one, in input order, as they are ready, in
//! flat memory however many sheets go through. Everything is read on the input's
//! one `pipeline`: a run of sheet files a few files a job, an export file in
//! chunks parsed on every core, any other export (stdin, a transcoded file, a
//! workbook) a batch of rows a job, parsed on the reader thread and mapped on the
//! workers. A thread that fails ends the run with an error, never quietly.

use std::io;

use crate::diag::{ExportFault, FileFault, InputError};
use crate::input::decode::{read_bounded, read_text, text_from_bytes};
use crate::input::export::{self, CsvSheets, Row};
use crate::input::options::ReadOptions;
use crate::input::paths::Input;
use crate::input::pipeline::{self, After, Shape, Stop, failed};
use crate::input::sheet::{ResolvedSheet, SheetFormat, load_text};
use crate::input::warning::Warning;
use crate::origin::Origin;
use crate::rubric::LoadedRubric;

/// Reads one input and resolves it against the rubric. A CSV export must hold
/// exactly one row here; [`stream`] reads exports of any length.
pub fn load(rubric: &LoadedRubric, input: &Input) -> Result<ResolvedSheet, InputError> {
    load_with(rubric, input, &ReadOptions::default())
}

/// [`load`] with choices about reading exports.
pub fn load_with(
    rubric: &LoadedRubric,
    input: &Input,
    options: &ReadOptions,
) -> Result<ResolvedSheet, InputError> {
    match input {
        Input::Bad(e) => Err(e.clone()),
        Input::Skipped(w) => Err(InputError::new(w.origin(), FileFault::Skipped)),
        Input::File(path, SheetFormat::Csv) => one_row(export::open(rubric, path, options)?),
        Input::File(path, format) => {
            let text = read_text(path)?;
            load_text(rubric, path, &text, *format)
        }
        Input::Piped(path) => {
            let text = read_text(path)?;
            load_text(rubric, path, &text, sniff(&text))
        }
        Input::Stdin(format) => {
            let bytes = read_bounded(&Origin::Stdin, io::stdin().lock())?;
            if *format == SheetFormat::Csv {
                return one_row(export::text(
                    rubric,
                    Origin::Stdin,
                    &bytes[..],
                    options,
                    false,
                )?);
            }
            let text = text_from_bytes(&Origin::Stdin, bytes)?;
            load_text(rubric, Origin::Stdin, &text, *format)
        }
    }
}

/// TOML or JSON, by the content: a JSON sheet is an object, so it opens with `{`,
/// which no TOML sheet does.
fn sniff(text: &str) -> SheetFormat {
    if text.trim_start().starts_with('{') {
        SheetFormat::Json
    } else {
        SheetFormat::Toml
    }
}

/// The one sheet of an export that must hold exactly one row.
fn one_row<R: io::Read>(mut rows: CsvSheets<'_, R>) -> Result<ResolvedSheet, InputError> {
    let source = rows.header().origin.clone();
    let first = rows
        .next()
        .unwrap_or_else(|| Err(InputError::new(&source, ExportFault::NoRows)));
    match rows.count() {
        0 => first,
        n => Err(InputError::new(
            source,
            ExportFault::RowsWhereOne { rows: n + 1 },
        )),
    }
}

pub(crate) use crate::input::event::Event;

/// How many sheet files make one job of the pipeline.
const FILE_BATCH: usize = 8;
/// How many rows of an export the reader thread parses into one job.
const ROW_CHUNK: usize = 128;

/// The total size of the input files, when every input is a file (for a progress
/// bar); `None` when stdin is among them.
pub fn input_bytes(inputs: &[Input]) -> Option<u64> {
    inputs.iter().try_fold(0u64, |sum, i| match i {
        Input::File(p, _) => Some(sum + file_size(p)),
        Input::Bad(_) | Input::Skipped(_) | Input::Piped(_) => Some(sum),
        Input::Stdin(_) => None,
    })
}

fn file_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Reads every input, turns each sheet into a `T` with `map` (in parallel), and hands
/// the outcomes to `handler` in input order, without ever holding a whole run. Stops
/// early when `handler` fails (a closed pipe), and returns that error; or after an
/// error event when a reading thread failed (a bug), which ends the run.
pub fn stream<T, F, H>(
    rubric: &LoadedRubric,
    inputs: &[Input],
    map: F,
    handler: H,
) -> io::Result<()>
where
    T: Send,
    F: Fn(ResolvedSheet) -> Result<T, InputError> + Sync,
    H: FnMut(Event<T>) -> io::Result<()>,
{
    stream_with(rubric, inputs, &ReadOptions::default(), map, handler)
}

/// [`stream`] with choices about reading exports.
pub fn stream_with<T, F, H>(
    rubric: &LoadedRubric,
    inputs: &[Input],
    options: &ReadOptions,
    map: F,
    mut handler: H,
) -> io::Result<()>
where
    T: Send,
    F: Fn(ResolvedSheet) -> Result<T, InputError> + Sync,
    H: FnMut(Event<T>) -> io::Result<()>,
{
    // Read one at a time, outside the runs of sheet files.
    let own_reading = |i: &Input| {
        matches!(
            i,
            Input::File(_, SheetFormat::Csv) | Input::Stdin(SheetFormat::Csv) | Input::Skipped(_)
        )
    };
    let mut done_bytes = 0u64;
    let mut at = 0;
    while at < inputs.len() {
        let after = match &inputs[at] {
            Input::File(path, SheetFormat::Csv) => {
                // A plain text file is read in chunks on every core; anything else
                // (or a file whose first row is bad) row by row.
                let after = match export::open(rubric, path, options).map(|r| r.parallel(path)) {
                    Ok(Ok(parallel)) => parallel.run(&map, &mut handler, done_bytes)?,
                    Ok(Err(rows)) => stream_rows(rows, &map, &mut handler, done_bytes)?,
                    Err(e) => {
                        handler(Event::Error(e))?;
                        After::Continue
                    }
                };
                done_bytes += file_size(path);
                handler(Event::Progress(done_bytes))?;
                at += 1;
                after
            }
            Input::Skipped(w) => {
                handler(Event::Warning(w.clone()))?;
                at += 1;
                After::Continue
            }
            Input::Stdin(SheetFormat::Csv) => {
                at += 1;
                match export::text(rubric, Origin::Stdin, io::stdin(), options, false) {
                    Ok(rows) => stream_rows(rows, &map, &mut handler, done_bytes)?,
                    Err(e) => {
                        handler(Event::Error(e))?;
                        After::Continue
                    }
                }
            }
            _ => {
                let end = inputs[at..]
                    .iter()
                    .position(own_reading)
                    .map_or(inputs.len(), |n| at + n);
                let files = &inputs[at..end];
                at = end;
                stream_files(rubric, files, options, &map, &mut handler, &mut done_bytes)?
            }
        };
        if after == After::EndRun {
            break;
        }
    }
    Ok(())
}

/// What a job of sheet files gives for each: its size, its warnings, its outcome.
type FileOutcome<T> = (u64, Vec<Warning>, Result<T, InputError>);

/// Reads a run of sheet files (and the like: stdin as one sheet, paths that are
/// bad) [`FILE_BATCH`] a job, loaded and mapped on the workers.
fn stream_files<T, F, H>(
    rubric: &LoadedRubric,
    files: &[Input],
    options: &ReadOptions,
    map: &F,
    handler: &mut H,
    done_bytes: &mut u64,
) -> io::Result<After>
where
    T: Send,
    F: Fn(ResolvedSheet) -> Result<T, InputError> + Sync,
    H: FnMut(Event<T>) -> io::Result<()>,
{
    let load_one = |input: &Input| -> FileOutcome<T> {
        let size = match input {
            Input::File(p, _) => file_size(p),
            _ => 0,
        };
        match load_with(rubric, input, options) {
            Ok(mut sheet) => {
                let warnings = std::mem::take(&mut sheet.warnings);
                (size, warnings, map(sheet))
            }
            Err(e) => (size, Vec::new(), Err(e)),
        }
    };
    // One sheet is read on this thread: no thread is worth starting for it.
    let shape = if files.len() > 1 {
        Shape::per_core()
    } else {
        Shape {
            workers: 0,
            buffers: 1,
        }
    };
    let mut next = 0;
    let outcome = pipeline::run(
        shape,
        |mut outcomes: Vec<FileOutcome<T>>| {
            let batch = next..(next + FILE_BATCH).min(files.len());
            next = batch.end;
            outcomes.clear();
            (!batch.is_empty()).then_some((batch, outcomes))
        },
        || (),
        |(), (batch, mut outcomes): (std::ops::Range<usize>, Vec<FileOutcome<T>>)| {
            outcomes.extend(files[batch].iter().map(load_one));
            outcomes
        },
        |mut outcomes| {
            for (size, warnings, outcome) in outcomes.drain(..) {
                for w in warnings {
                    handler(Event::Warning(w))?;
                }
                handler(match outcome {
                    Ok(t) => Event::Item(t),
                    Err(e) => Event::Error(e),
                })?;
                *done_bytes += size;
            }
            handler(Event::Progress(*done_bytes))?;
            Ok(Some(outcomes))
        },
    );
    match outcome {
        Ok(()) => Ok(After::Continue),
        Err(Stop::Taker(e)) => Err(e),
        Err(Stop::Failed { seq, why }) => {
            let input = &files[(seq * FILE_BATCH).min(files.len() - 1)];
            handler(Event::Error(failed(&input.origin(), why)))?;
            Ok(After::EndRun)
        }
    }
}

/// The buffers of a job of rows: the rows read and resolved (into reused
/// buffers), and the list they are mapped into.
struct RowBuffers<T> {
    rows: Vec<(Row, Result<(), InputError>)>,
    outcomes: Vec<Result<T, InputError>>,
}

impl<T> Default for RowBuffers<T> {
    fn default() -> Self {
        RowBuffers {
            rows: Vec::new(),
            outcomes: Vec::new(),
        }
    }
}

/// Streams the rows of one export that is not read in chunks (stdin, a transcoded
/// file, a workbook): the reader thread parses and resolves [`ROW_CHUNK`] rows a
/// job, the workers make them sheets and map them, and this thread hands them over
/// in order.
fn stream_rows<R, T, F, H>(
    mut rows: CsvSheets<'_, R>,
    map: &F,
    handler: &mut H,
    done_before: u64,
) -> io::Result<After>
where
    R: io::Read + Send,
    T: Send,
    F: Fn(ResolvedSheet) -> Result<T, InputError> + Sync,
    H: FnMut(Event<T>) -> io::Result<()>,
{
    let header = rows.header().clone();
    for w in rows.warnings() {
        handler(Event::Warning(w))?;
    }
    let mut rows_seen = 0usize;
    let outcome = pipeline::run(
        Shape::per_core(),
        |mut b: RowBuffers<T>| {
            let mut n = 0;
            while n < ROW_CHUNK {
                if n == b.rows.len() {
                    b.rows.push((Row::default(), Ok(())));
                }
                match rows.next_row(&mut b.rows[n].0) {
                    Some(outcome) => b.rows[n].1 = outcome,
                    None => break,
                }
                n += 1;
            }
            (n > 0).then(|| (b, n, rows.bytes_read()))
        },
        || (),
        |(), (mut b, n, bytes): (RowBuffers<T>, usize, u64)| {
            let RowBuffers { rows, outcomes } = &mut b;
            outcomes.clear();
            outcomes.extend(rows[..n].iter_mut().map(|(row, outcome)| {
                let sheet = std::mem::replace(outcome, Ok(())).map(|()| header.sheet(row));
                sheet.and_then(map)
            }));
            (b, bytes)
        },
        |(mut b, bytes)| {
            rows_seen += b.outcomes.len();
            for outcome in b.outcomes.drain(..) {
                handler(match outcome {
                    Ok(t) => Event::Item(t),
                    Err(e) => Event::Error(e),
                })?;
            }
            handler(Event::Progress(done_before + bytes))?;
            Ok(Some(b))
        },
    );
    match outcome {
        Ok(()) => {}
        Err(Stop::Taker(e)) => return Err(e),
        Err(Stop::Failed { why, .. }) => {
            handler(Event::Error(failed(&header.origin, why)))?;
            return Ok(After::EndRun);
        }
    }
    for w in rows.end_warnings() {
        handler(Event::Warning(w))?;
    }
    // An export with a header and no response: an error, not a batch of none
    // (a `check` over it must not pass for want of sheets).
    if rows_seen == 0 {
        handler(Event::Error(InputError::new(
            &header.origin,
            ExportFault::NoRows,
        )))?;
    }
    Ok(After::Continue)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Batch;
    use crate::diag::Fault;
    use crate::input::paths::expand;
    #[cfg(unix)]
    use crate::render::warning::warning_text;

    #[cfg(unix)]
    #[test]
    fn a_folder_link_back_up_is_reported_once_not_walked_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("sheets");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("a.toml"), "rubric = \"pmo-vmo\"\n").unwrap();
        std::os::unix::fs::symlink("..", root.join("sub/up")).unwrap();
        let inputs = expand(std::slice::from_ref(&root), SheetFormat::Toml);
        assert_eq!(inputs.len(), 2, "{inputs:?}");
        assert!(matches!(&inputs[0], Input::File(p, _) if p.ends_with("a.toml")));
        assert!(
            matches!(&inputs[1], Input::Skipped(w) if warning_text(w).contains("sub/up: skipped") && warning_text(w).contains("already being read")),
            "{inputs:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_twice_is_read_once_even_across_arguments() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("sheets");
        std::fs::create_dir_all(root.join("2024")).unwrap();
        std::fs::write(root.join("2024/a.toml"), "rubric = \"pmo-vmo\"\n").unwrap();
        std::os::unix::fs::symlink("2024/a.toml", root.join("latest.toml")).unwrap();
        let inputs = expand(std::slice::from_ref(&root), SheetFormat::Toml);
        assert_eq!(inputs.len(), 2, "{inputs:?}");
        assert!(matches!(&inputs[0], Input::File(p, _) if p.ends_with("2024/a.toml")));
        assert!(
            matches!(&inputs[1], Input::Skipped(w) if warning_text(w).contains("latest.toml: skipped"))
        );
        // `sheets/*`: the folder, then the link as its own argument.
        let inputs = expand(
            &[root.join("2024"), root.join("latest.toml")],
            SheetFormat::Toml,
        );
        assert!(matches!(&inputs[1], Input::Skipped(_)), "{inputs:?}");
        // A skipped input is a warning in the run, not an error.
        let rubric = crate::testing::v2();
        let (mut warnings, mut errors) = (0, 0);
        let _ = stream(
            &rubric,
            &inputs,
            |s| Ok(s.source),
            |e| {
                match e {
                    Event::Warning(_) => warnings += 1,
                    Event::Error(_) => errors += 1,
                    _ => {}
                }
                Ok(())
            },
        );
        assert_eq!((warnings, errors), (1, 0));
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_that_only_leads_back_to_itself_holds_no_sheet() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("loop");
        std::fs::create_dir_all(&root).unwrap();
        std::os::unix::fs::symlink(".", root.join("self")).unwrap();
        let inputs = expand(std::slice::from_ref(&root), SheetFormat::Toml);
        assert!(
            inputs.iter().any(
                |i| matches!(i, Input::Bad(e) if e.kind == Fault::File(FileFault::NoSheetInFolder))
            ),
            "{inputs:?}"
        );
    }

    #[test]
    fn stdin_twice_is_read_once() {
        let inputs = expand(&["-".into(), "-".into()], SheetFormat::Toml);
        assert!(matches!(
            inputs.as_slice(),
            [Input::Stdin(_), Input::Skipped(_)]
        ));
    }

    use std::fmt::Write as _;

    /// A reader that gives `data`, then breaks instead of ending: it panics, or
    /// fails with an I/O error.
    struct Breaks {
        data: Vec<u8>,
        at: usize,
        panics: bool,
    }

    impl io::Read for Breaks {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.at < self.data.len() {
                let n = buf.len().min(self.data.len() - self.at).min(4096);
                buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            if self.panics {
                panic!("injected: the reader breaks");
            }
            Err(io::Error::other("injected: the disk went away"))
        }
    }

    /// An export of `rows` rows over the first question, each row a little over
    /// 20 bytes, so that the reader breaks long after the header.
    fn long_export(rubric: &LoadedRubric, rows: usize) -> Vec<u8> {
        let q = &rubric.rubric.question[0];
        let mut text = format!("{},Name\n", q.id);
        for i in 0..rows {
            let _ = writeln!(text, "{},r{i}", q.option[i % 2].id);
        }
        text.into_bytes()
    }

    /// What a streamed run of one broken export gave: the items, then every
    /// event that was not an item, in order.
    fn broken_run(panics: bool) -> (io::Result<After>, usize, Vec<String>) {
        let rubric = crate::testing::v2();
        // It breaks half-way through, within a row.
        let mut data = long_export(&rubric, 20_000);
        data.truncate(data.len() / 2 + 3);
        let reader = Breaks {
            data,
            at: 0,
            panics,
        };
        let rows = export::text(
            &rubric,
            Origin::Stdin,
            reader,
            &ReadOptions::default(),
            false,
        )
        .unwrap();
        let (mut items, mut rest) = (0, Vec::new());
        let outcome = stream_rows(
            rows,
            &|s: ResolvedSheet| Ok(s.source),
            &mut |e| {
                match e {
                    Event::Item(_) if rest.is_empty() => items += 1,
                    Event::Item(o) => rest.push(format!("item after the end: {o}")),
                    Event::Error(e) => rest.push(format!("error: {e:?}")),
                    // The header's, about the questions the export does not ask.
                    Event::Warning(_) if items == 0 => {}
                    Event::Warning(w) => rest.push(format!("warning: {w:?}")),
                    Event::Progress(_) => {}
                }
                Ok(())
            },
            0,
        );
        (outcome, items, rest)
    }

    #[test]
    fn a_reader_that_panics_mid_export_ends_the_run_with_an_error() {
        let (outcome, items, rest) = broken_run(true);
        assert_eq!(outcome.ok(), Some(After::EndRun));
        // Rows before the break are handed over; the break is one error, last.
        assert!(items > 0 && items < 20_000, "{items}");
        assert_eq!(rest.len(), 1, "{rest:?}");
        assert!(rest[0].starts_with("error: "), "{rest:?}");
        assert!(rest[0].contains("kind: File(Stopped)"), "{rest:?}");
    }

    #[test]
    fn a_reader_that_fails_mid_export_ends_that_export_with_an_error() {
        let (outcome, items, rest) = broken_run(false);
        assert_eq!(outcome.ok(), Some(After::Continue));
        assert!(items > 0 && items < 20_000, "{items}");
        assert_eq!(rest.len(), 1, "{rest:?}");
        let want = "kind: File(Unreadable(Other(\"injected: the disk went away\")))";
        assert!(rest[0].contains(want), "{rest:?}");
    }

    /// Streams `inputs` with a map that panics on the sheet of respondent `r{n}`;
    /// returns the run's outcome, the items handed over and the errors.
    fn run_that_panics_at(inputs: &[Input], n: usize) -> (io::Result<()>, usize, Vec<InputError>) {
        let rubric = crate::testing::v2();
        let bad = format!("r{n}");
        let (mut items, mut errors) = (0, Vec::new());
        let outcome = stream(
            &rubric,
            inputs,
            |s| {
                assert_ne!(
                    s.sheet.respondent.as_deref(),
                    Some(bad.as_str()),
                    "injected"
                );
                Ok(())
            },
            |e| {
                match e {
                    Event::Item(()) => items += 1,
                    Event::Error(e) => errors.push(e),
                    Event::Warning(_) | Event::Progress(_) => {}
                }
                Ok(())
            },
        );
        (outcome, items, errors)
    }

    #[test]
    fn a_panic_while_reading_an_export_in_parallel_ends_the_run_with_an_error() {
        let rubric = crate::testing::v2();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        // Several chunks, so that rows are read on worker threads.
        std::fs::write(&path, long_export(&rubric, 60_000)).unwrap();
        let inputs = expand(&[path], SheetFormat::Toml);
        let (outcome, items, errors) = run_that_panics_at(&inputs, 40_000);
        assert!(outcome.is_ok());
        assert!(items < 60_000, "{items}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .source
                .path()
                .is_some_and(|p| p.ends_with("big.csv"))
        );
        assert_eq!(errors[0].kind, Fault::File(FileFault::Stopped));
    }

    #[test]
    fn a_panic_while_reading_files_in_parallel_ends_the_run_with_an_error() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..50 {
            let text = format!("rubric = \"pmo-vmo\"\nrespondent = \"r{i}\"\n");
            std::fs::write(dir.path().join(format!("s{i:02}.toml")), text).unwrap();
        }
        let inputs = expand(&[dir.path().to_path_buf()], SheetFormat::Toml);
        let (outcome, items, errors) = run_that_panics_at(&inputs, 30);
        assert!(outcome.is_ok());
        assert!(items <= 30, "{items}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].kind, Fault::File(FileFault::Stopped));
    }

    #[test]
    fn a_large_mixed_folder_keeps_input_order() {
        let rubric = crate::testing::v2();
        let q = &rubric.rubric.question[0];
        let dir = std::env::temp_dir().join(format!("pmo-vmo-batch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // Many jobs of files, an export in the middle, a bad file.
        let n = 37 * FILE_BATCH;
        for i in 0..n {
            let oi = i % q.option.len();
            let text = format!(
                "rubric = \"pmo-vmo\"\nrespondent = \"r{i}\"\n[answers]\n{} = \"{}\"\n",
                q.id, q.option[oi].id
            );
            std::fs::write(dir.join(format!("s{i:04}.toml")), text).unwrap();
        }
        let csv = format!(
            "{},Name\n{},c1\n,c2\n{},c3\n",
            q.id, q.option[0].id, q.option[1].id
        );
        std::fs::write(dir.join("s0100-export.csv"), csv).unwrap();
        std::fs::write(dir.join("s0200-bad.toml"), "rubric = [").unwrap();

        let batch = Batch::run(
            &rubric,
            &expand(std::slice::from_ref(&dir), SheetFormat::Toml),
        );
        let names: Vec<String> = batch
            .results
            .iter()
            .map(|r| r.respondent.clone().unwrap_or_default())
            .collect();
        let mut want: Vec<String> = (0..n).map(|i| format!("r{i}")).collect();
        // `s0100-export.csv` sorts before `s0100.toml`.
        want.splice(100..100, ["c1".to_string(), "c3".to_string()]);
        assert_eq!(names, want);
        let errors: Vec<String> = batch.errors.iter().map(|e| e.source.to_string()).collect();
        let shown = |name: &str| dir.join(name).display().to_string();
        assert_eq!(
            errors,
            [shown("s0100-export.csv") + ":3", shown("s0200-bad.toml")]
        );
        // Each result is its own sheet's, not a neighbour's.
        for r in &batch.results {
            if let Some(n) = r.respondent.as_deref().and_then(|s| s.strip_prefix('r')) {
                let i: usize = n.parse().unwrap();
                let want = q.option[i % q.option.len()].score;
                assert_eq!(r.evaluation.factors[0].score, Some(want));
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
