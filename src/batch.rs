//! Turning the paths on a command line into scored sheets: files, folders (walked
//! in sorted order), survey exports (one sheet per row) and stdin, each bad input an
//! error that does not stop the rest.
//!
//! [`stream`] hands results over one by one, in input order, as they are ready: files
//! are read and scored in parallel a chunk at a time, exports row by row, so memory
//! stays flat however many sheets go through.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::InputError;
use crate::flip::Flip;
use crate::rubric::{Band, LoadedRubric};
use crate::scoring::{Evaluation, evaluate};
use crate::sheet::{ResolvedSheet, SheetFormat, load_text, read_text, text_from_bytes};

/// How standard input is named in results and errors.
pub const STDIN: &str = "<stdin>";

/// One thing to read.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A file, with the format its extension names.
    File(PathBuf, SheetFormat),
    /// Standard input (`-`).
    Stdin(SheetFormat),
    /// A path that cannot be read as a sheet; the error says why.
    Bad(InputError),
    /// A second way to a sheet or folder already being read (a link, or the same
    /// path twice): not read again; the run says why as a warning, not an error.
    Skipped(InputError),
}

/// The sheet format an extension names.
pub fn format_of(path: &Path) -> Option<SheetFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "toml" => Some(SheetFormat::Toml),
        "json" => Some(SheetFormat::Json),
        "csv" => Some(SheetFormat::Csv),
        _ => None,
    }
}

/// Expands command-line paths: folders become their sheet files, recursively, in
/// sorted order; `-` is stdin in `stdin_format`.
pub fn expand(paths: &[PathBuf], stdin_format: SheetFormat) -> Vec<Input> {
    let mut out = Vec::new();
    // Real paths of the folders and sheets taken so far, across all the arguments
    // (`sheets/*` can name a folder and a link into it): each sheet counts once.
    let mut seen = std::collections::HashSet::new();
    let mut stdin_taken = false;
    for p in paths {
        if p.as_os_str() == "-" {
            if stdin_taken {
                out.push(Input::Skipped(InputError::new(
                    "-",
                    "skipped, standard input is read once",
                )));
            } else {
                stdin_taken = true;
                out.push(Input::Stdin(stdin_format));
            }
        } else if p.is_dir() {
            let before = out.len();
            walk(p, &mut out, &mut seen);
            // Only skipped second ways (a link back to itself) is still no sheet.
            if out[before..].iter().all(|i| matches!(i, Input::Skipped(_))) {
                out.push(Input::Bad(InputError::new(
                    p.display().to_string(),
                    "folder holds no .toml, .json or .csv sheet",
                )));
            }
        } else if !p.exists() {
            out.push(Input::Bad(InputError::new(
                p.display().to_string(),
                "no such file or folder",
            )));
        } else {
            match format_of(p) {
                Some(f) => {
                    if let Ok(real) = std::fs::canonicalize(p)
                        && !seen.insert(real.clone())
                    {
                        out.push(Input::Skipped(second_way(p, &real)));
                    } else {
                        out.push(Input::File(p.clone(), f));
                    }
                }
                None => out.push(Input::Bad(InputError::new(
                    p.display().to_string(),
                    "unsupported file type; expected .toml, .json or .csv",
                ))),
            }
        }
    }
    out
}

/// Why a path that leads to a folder or sheet already being read is skipped.
fn second_way(path: &Path, real: &Path) -> InputError {
    InputError::new(
        path.display().to_string(),
        format!(
            "skipped, it leads to {}, which is already being read (each sheet counts once)",
            real.display()
        ),
    )
}

fn walk(dir: &Path, out: &mut Vec<Input>, seen: &mut std::collections::HashSet<PathBuf>) {
    // A link back to a folder already read (a loop, or a second way into the same
    // folder) would count its sheets again: an error, not a silent double count.
    let real_dir = std::fs::canonicalize(dir).ok();
    if let Some(real) = &real_dir
        && !seen.insert(real.clone())
    {
        out.push(Input::Skipped(second_way(dir, real)));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out.push(Input::Bad(InputError::new(
                dir.display().to_string(),
                format!("could not read folder: {}", crate::sheet::io_reason(&e)),
            )));
            return;
        }
    };
    // Whether each entry is a link comes with the listing, at no extra cost.
    let mut paths: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| e.ok())
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_symlink())))
        .collect();
    paths.sort();
    for (p, link) in paths {
        if p.is_dir() {
            walk(&p, out, seen);
        } else if let Some(f) = format_of(&p) {
            // The same file reached twice (a link beside its target) would count
            // twice. A plain file's real path is its folder's joined with its name;
            // only a link needs resolving.
            let real = match (&real_dir, link) {
                (Some(d), false) => p.file_name().map(|n| d.join(n)),
                _ => std::fs::canonicalize(&p).ok(),
            };
            if let Some(real) = real
                && !seen.insert(real.clone())
            {
                out.push(Input::Skipped(second_way(&p, &real)));
                continue;
            }
            out.push(Input::File(p, f));
        }
    }
}

/// Reads one input and resolves it against the rubric. A CSV export must hold
/// exactly one row here; [`stream`] reads exports of any length.
pub fn load(rubric: &LoadedRubric, input: &Input) -> Result<ResolvedSheet, InputError> {
    match input {
        Input::Bad(e) | Input::Skipped(e) => Err(e.clone()),
        Input::File(path, SheetFormat::Csv) => {
            let mut rows = crate::csv_input::open(rubric, path)?;
            let source = path.display().to_string();
            let first = rows.next().unwrap_or_else(|| {
                Err(InputError::new(
                    &source,
                    "holds a header row but no answers",
                ))
            });
            match rows.count() {
                0 => first,
                n => Err(InputError::new(
                    source,
                    format!("holds {} rows where one sheet was expected", n + 1),
                )),
            }
        }
        Input::File(path, format) => {
            let source = path.display().to_string();
            let text = read_text(path)?;
            load_text(rubric, &source, &text, *format)
        }
        Input::Stdin(format) => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                .map_err(|e| InputError::new(STDIN, format!("could not read: {e}")))?;
            let text = text_from_bytes(STDIN, bytes)?;
            load_text(rubric, STDIN, &text, *format)
        }
    }
}

/// How stdin is named in sources. Rows of an export are `NAME:LINE`, and `-:2`
/// would read as a formula to a spreadsheet (and be escaped in csv output), so an
/// export on stdin is called `stdin`.
/// A scored sheet as it appears in results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetResult {
    pub source: String,
    pub respondent: Option<String>,
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(flatten)]
    pub evaluation: Evaluation,
    /// The single answer change that would change the recommendation, if any.
    pub flip: Option<Flip>,
}

/// Scores a resolved sheet; a sheet with no answer is an error.
pub fn score(rubric: &LoadedRubric, sheet: &ResolvedSheet) -> Result<SheetResult, InputError> {
    score_owned(rubric, sheet.clone())
}

/// [`score`], taking the sheet: its source and names move into the result instead
/// of being copied (the per-row path of a large export).
pub fn score_owned(rubric: &LoadedRubric, sheet: ResolvedSheet) -> Result<SheetResult, InputError> {
    score_owned_with(rubric, sheet, true)
}

/// [`score_owned`], with the flip search only when `flip` is true. The search tries
/// every other answer to every question, which costs more than scoring the sheet,
/// so outputs that never show the flip (csv, markdown) leave it out; `flip` is then
/// `None` in the result.
pub fn score_owned_with(
    rubric: &LoadedRubric,
    sheet: ResolvedSheet,
    flip: bool,
) -> Result<SheetResult, InputError> {
    let evaluation = evaluate(rubric, &sheet.choices)
        .map_err(|e| InputError::new(&sheet.source, e.to_string()))?;
    let flip = if flip {
        crate::flip::find(rubric, &sheet.choices)
    } else {
        None
    };
    Ok(SheetResult {
        source: sheet.source,
        respondent: sheet.sheet.respondent,
        role: sheet.sheet.role,
        organisation: sheet.sheet.organisation,
        evaluation,
        flip,
    })
}

/// Splits a result's source into its file and, for a row of an export
/// (`responses.csv:7`), the row's line.
pub fn split_source(source: &str) -> (&str, Option<usize>) {
    if let Some((file, line)) = source.rsplit_once(':')
        && file.to_ascii_lowercase().ends_with(".csv")
        && let Ok(n) = line.parse()
    {
        return (file, Some(n));
    }
    (source, None)
}

/// Every result and error of a run, in input order.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub results: Vec<SheetResult>,
    pub errors: Vec<InputError>,
    pub warnings: Vec<String>,
}

impl Batch {
    /// Loads and scores every input, keeping going past bad ones. Holds every result
    /// in memory; [`stream`] does not.
    pub fn run(rubric: &LoadedRubric, inputs: &[Input]) -> Batch {
        let mut batch = Batch::default();
        let collect = |event: Event<SheetResult>| {
            match event {
                Event::Item(r) => batch.results.push(r),
                Event::Error(e) => batch.errors.push(e),
                Event::Warning(w) => batch.warnings.push(w),
                Event::Progress(_) => {}
            }
            Ok(())
        };
        // The collector never fails, so neither does the run.
        let _ = stream(rubric, inputs, |s| score_owned(rubric, s), collect);
        batch
    }

    /// How many results got each recommendation.
    pub fn counts(&self) -> [(Band, usize); 3] {
        Band::ALL.map(|b| {
            (
                b,
                self.results
                    .iter()
                    .filter(|r| r.evaluation.recommendation == b)
                    .count(),
            )
        })
    }

    /// Mean index of the results, if any.
    pub fn mean_index(&self) -> Option<f64> {
        (!self.results.is_empty()).then(|| {
            self.results.iter().map(|r| r.evaluation.index).sum::<f64>() / self.results.len() as f64
        })
    }
}

/// Loads and scores every input like [`Batch::run`] (exports included), but keeps
/// each resolved sheet beside its result (for `check`, which reads the sheet's
/// `[expect]`). Outcomes in input order, then the warnings.
#[allow(clippy::type_complexity)]
pub fn run_keeping_sheets(
    rubric: &LoadedRubric,
    inputs: &[Input],
) -> (
    Vec<Result<(ResolvedSheet, SheetResult), InputError>>,
    Vec<String>,
) {
    let mut outcomes = Vec::new();
    let mut warnings = Vec::new();
    let map = |sheet: ResolvedSheet| {
        let result = score(rubric, &sheet)?;
        Ok((sheet, result))
    };
    // Collecting never fails, so neither does the stream.
    let _ = stream(rubric, inputs, map, |event| {
        match event {
            Event::Item(pair) => outcomes.push(Ok(pair)),
            Event::Error(e) => outcomes.push(Err(e)),
            Event::Warning(w) => warnings.push(w),
            Event::Progress(_) => {}
        }
        Ok(())
    });
    (outcomes, warnings)
}

/// What a streaming run reports, in input order.
#[derive(Debug)]
pub enum Event<T> {
    /// A sheet, as the run's `map` turned it.
    Item(T),
    /// A bad input, or a bad row of an export.
    Error(InputError),
    /// A remark that does not stop anything (a rubric-version mismatch, ignored columns).
    Warning(String),
    /// Bytes of input files read so far, now and then, for a progress bar.
    Progress(u64),
}

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
        Input::Bad(_) | Input::Skipped(_) => Some(sum),
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
                match crate::csv_input::open(rubric, path) {
                    Ok(rows) => stream_csv(rows, &map, &mut handler, done_bytes)?,
                    Err(e) => handler(Event::Error(e))?,
                }
                done_bytes += size;
                handler(Event::Progress(done_bytes))?;
                at += 1;
            }
            Input::Skipped(e) => {
                handler(Event::Warning(e.to_string()))?;
                at += 1;
            }
            Input::Stdin(SheetFormat::Csv) => {
                match crate::csv_input::from_reader(rubric, STDIN, io::stdin()) {
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
                let outcomes: Vec<(u64, Vec<String>, Result<T, InputError>)> = inputs[at..end]
                    .par_iter()
                    .map(|input| {
                        let size = match input {
                            Input::File(p, _) => std::fs::metadata(p).map_or(0, |m| m.len()),
                            _ => 0,
                        };
                        match load(rubric, input) {
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
    mut rows: crate::csv_input::CsvSheets<'_, R>,
    map: &F,
    handler: &mut H,
    done_before: u64,
) -> io::Result<()>
where
    R: io::Read + Send,
    F: Fn(ResolvedSheet) -> Result<T, InputError>,
    H: FnMut(Event<T>) -> io::Result<()>,
{
    use crate::csv_input::Row;
    use std::sync::mpsc;
    /// Rows resolved into reused buffers; the sheets are made on this thread, so
    /// what they allocate is freed where it was allocated.
    type Chunk = Vec<(Row, Result<(), InputError>)>;

    let header = rows.header().clone();
    if let Some(w) = header.warning() {
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
        });
        if let Err(e) = spawned {
            return Err(io::Error::other(format!("could not start a thread: {e}")));
        }
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
        // An export with a header and no response: an error, not a batch of none
        // (a `check` over it must not pass for want of sheets).
        if rows_seen == 0 {
            handler(Event::Error(InputError::new(
                &header.path,
                "holds a header row but no answers",
            )))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
            matches!(&inputs[1], Input::Skipped(e) if e.to_string().contains("sub/up: skipped") && e.message.contains("already being read")),
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
            matches!(&inputs[1], Input::Skipped(e) if e.to_string().contains("latest.toml: skipped"))
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
            inputs
                .iter()
                .any(|i| matches!(i, Input::Bad(e) if e.message.contains("holds no"))),
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
        let errors: Vec<String> = batch.errors.iter().map(|e| e.source.clone()).collect();
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

#[cfg(test)]
mod flip_choice_tests {
    use super::*;

    #[test]
    fn leaving_the_flip_out_changes_nothing_else() {
        // Index 47.5 (hybrid); answering b1 "hi" instead would make it VMO.
        let rubric = crate::scoring::tests::small();
        let sheet = ResolvedSheet {
            source: "s.toml".into(),
            sheet: crate::sheet::Sheet::default(),
            choices: vec![Some(1), Some(0), Some(1)],
            warnings: Vec::new(),
        };
        let with = score_owned_with(&rubric, sheet.clone(), true).unwrap();
        let without = score_owned_with(&rubric, sheet, false).unwrap();
        assert!(with.flip.is_some(), "{:?}", with.evaluation);
        assert_eq!(without.flip, None);
        assert_eq!(with.evaluation, without.evaluation);
    }
}
