//! Turning the paths on a command line into scored sheets: files, folders (walked
//! in sorted order), survey exports (one sheet per row) and stdin, each bad input an
//! error that does not stop the rest.
//!
//! [`stream`] hands results over one by one, in input order, as they are ready: files
//! are read and scored in parallel a chunk at a time, exports row by row, so memory
//! stays flat however many sheets go through.

use std::io;

use rayon::prelude::*;

use crate::diag::{ExportFault, FileFault, InputError};
use crate::input::decode::{read_bounded, read_text, text_from_bytes};
use crate::input::export::{self, CsvSheets, Row};
use crate::input::options::ReadOptions;
use crate::input::paths::Input;
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

pub use crate::input::event::Event;

/// How many single-sheet files are read and scored in parallel before their results
/// are handed over.
const FILE_CHUNK: usize = 256;
/// How many rows of an export the reader thread parses before handing them over.
const ROW_CHUNK: usize = 128;

/// The total size of the input files, when every input is a file (for a progress
/// bar); `None` when stdin is among them.
pub fn input_bytes(inputs: &[Input]) -> Option<u64> {
    inputs.iter().try_fold(0u64, |sum, i| match i {
        Input::File(p, _) => Some(sum + std::fs::metadata(p).map_or(0, |m| m.len())),
        Input::Bad(_) | Input::Skipped(_) | Input::Piped(_) => Some(sum),
        Input::Stdin(_) => None,
    })
}

/// Reads every input, turns each sheet into a `T` with `map` (in parallel), and hands
/// the outcomes to `handler` in input order, without ever holding a whole run. Stops
/// early only when `handler` fails (a closed pipe), and returns that error.
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
    // Read one at a time, outside the parallel chunks.
    let is_csv = |i: &Input| {
        matches!(
            i,
            Input::File(_, SheetFormat::Csv) | Input::Stdin(SheetFormat::Csv) | Input::Skipped(_)
        )
    };
    let mut done_bytes = 0u64;
    let mut at = 0;
    while at < inputs.len() {
        match &inputs[at] {
            Input::File(path, SheetFormat::Csv) => {
                let size = std::fs::metadata(path).map_or(0, |m| m.len());
                // A plain text file is read on every core; anything else (or a file
                // whose first row is bad) row by row.
                match export::open(rubric, path, options).map(|rows| rows.parallel(path)) {
                    Ok(Ok(parallel)) => parallel.run(&map, &mut handler, done_bytes)?,
                    Ok(Err(rows)) => stream_csv(rows, &map, &mut handler, done_bytes)?,
                    Err(e) => handler(Event::Error(e))?,
                }
                done_bytes += size;
                handler(Event::Progress(done_bytes))?;
                at += 1;
            }
            Input::Skipped(w) => {
                handler(Event::Warning(w.clone()))?;
                at += 1;
            }
            Input::Stdin(SheetFormat::Csv) => {
                match export::text(rubric, Origin::Stdin, io::stdin(), options, false) {
                    Ok(rows) => stream_csv(rows, &map, &mut handler, done_bytes)?,
                    Err(e) => handler(Event::Error(e))?,
                }
                at += 1;
            }
            _ => {
                let end = inputs[at..]
                    .iter()
                    .take(FILE_CHUNK)
                    .position(is_csv)
                    .map_or((at + FILE_CHUNK).min(inputs.len()), |n| at + n);
                let outcomes: Vec<(u64, Vec<Warning>, Result<T, InputError>)> = inputs[at..end]
                    .par_iter()
                    .map(|input| {
                        let size = match input {
                            Input::File(p, _) => std::fs::metadata(p).map_or(0, |m| m.len()),
                            _ => 0,
                        };
                        match load_with(rubric, input, options) {
                            Ok(mut sheet) => {
                                let warnings = std::mem::take(&mut sheet.warnings);
                                (size, warnings, map(sheet))
                            }
                            Err(e) => (size, Vec::new(), Err(e)),
                        }
                    })
                    .collect();
                for (size, warnings, outcome) in outcomes {
                    for w in warnings {
                        handler(Event::Warning(w))?;
                    }
                    handler(match outcome {
                        Ok(t) => Event::Item(t),
                        Err(e) => Event::Error(e),
                    })?;
                    done_bytes += size;
                }
                handler(Event::Progress(done_bytes))?;
                at = end;
            }
        }
    }
    Ok(())
}

/// Streams the rows of one export in two overlapping steps: a reader thread parses
/// and resolves rows a chunk at a time, while this thread scores and hands over the
/// chunk before. Emptied chunks go back to the reader, so only a few exist and
/// memory stays flat however long the file.
///
/// Rows are not spread over a thread pool: on two cores, parsing and resolving on
/// one side and scoring and writing on the other keep both busy in about equal
/// measure (profiled with `bench/`), with rows handed over in order for free.
fn stream_csv<R, T, F, H>(
    mut rows: CsvSheets<'_, R>,
    map: &F,
    handler: &mut H,
    done_before: u64,
) -> io::Result<()>
where
    R: io::Read + Send,
    F: Fn(ResolvedSheet) -> Result<T, InputError>,
    H: FnMut(Event<T>) -> io::Result<()>,
{
    use std::sync::mpsc;
    /// Rows resolved into reused buffers; the sheets are made on this thread, so
    /// what they allocate is freed where it was allocated.
    type Chunk = Vec<(Row, Result<(), InputError>)>;

    let header = rows.header().clone();
    for w in rows.warnings() {
        handler(Event::Warning(w))?;
    }
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = mpsc::sync_channel::<(Chunk, usize, u64)>(4);
        let (empty_tx, empty_rx) = mpsc::channel::<Chunk>();
        let reader = std::thread::Builder::new().name("csv-reader".into());
        let spawned = reader.spawn_scoped(scope, move || {
            loop {
                let mut chunk = empty_rx.try_recv().unwrap_or_default();
                let mut n = 0;
                while n < ROW_CHUNK {
                    if n == chunk.len() {
                        chunk.push((Row::default(), Ok(())));
                    }
                    match rows.next_row(&mut chunk[n].0) {
                        Some(outcome) => chunk[n].1 = outcome,
                        None => break,
                    }
                    n += 1;
                }
                // A closed channel means the handler gave up (a closed pipe): stop.
                if n == 0 || full_tx.send((chunk, n, rows.bytes_read())).is_err() {
                    break;
                }
            }
            rows.end_warnings()
        });
        let reader = match spawned {
            Ok(r) => r,
            Err(e) => return Err(io::Error::other(format!("could not start a thread: {e}"))),
        };
        let mut rows_seen = 0usize;
        for (mut chunk, n, bytes) in full_rx {
            rows_seen += n;
            for (row, outcome) in &mut chunk[..n] {
                let sheet = std::mem::replace(outcome, Ok(())).map(|()| header.sheet(row));
                handler(match sheet.and_then(map) {
                    Ok(t) => Event::Item(t),
                    Err(e) => Event::Error(e),
                })?;
            }
            // The reader may have finished; then the chunk is simply dropped.
            let _ = empty_tx.send(chunk);
            handler(Event::Progress(done_before + bytes))?;
        }
        // The reader has ended: the channel is closed.
        for w in reader.join().unwrap_or_default() {
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
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Fault;
    use crate::input::paths::expand;
    use crate::render::warning::warning_text;
    use crate::result::Batch;

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
        let rubric = LoadedRubric::embedded().unwrap();
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

    #[test]
    fn a_large_mixed_folder_keeps_input_order() {
        let rubric = LoadedRubric::embedded().unwrap();
        let q = &rubric.rubric.question[0];
        let dir = std::env::temp_dir().join(format!("pmo-vmo-batch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // More files than one parallel chunk, an export in the middle, a bad file.
        let n = FILE_CHUNK + 40;
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
