//! Command-line paths into things to read: files by extension, folders walked in
//! sorted order (each sheet once, however many links lead to it; only regular
//! files), `-` for stdin, pipes by their content.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use crate::diag::{FileFault, InputError, IoReason};
use crate::input::export;
use crate::input::sheet::SheetFormat;
use crate::input::warning::{Skip, Special, Warning};
use crate::origin::Origin;

/// One thing to read.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A file, with the format its extension names.
    File(PathBuf, SheetFormat),
    /// Standard input (`-`).
    Stdin(SheetFormat),
    /// A pipe or device named without an extension (`<(cat sheet.toml)` is
    /// `/dev/fd/63`): TOML or JSON, as its content says.
    Piped(PathBuf),
    /// A path that cannot be read as a sheet; the error says why.
    Bad(InputError),
    /// A second way to a sheet or folder already being read (a link, or the same
    /// path twice): not read again; the run says why as a warning, not an error.
    Skipped(Warning),
}

impl Input {
    /// Where it comes from, to name it in an error about reading it.
    pub(crate) fn origin(&self) -> Origin {
        match self {
            Input::File(p, _) | Input::Piped(p) => Origin::from(p),
            Input::Stdin(_) => Origin::Stdin,
            Input::Bad(e) => e.source.clone(),
            Input::Skipped(w) => w.origin().clone(),
        }
    }
}

/// The sheet format an extension names: survey exports are text (`.csv`, `.tsv`,
/// `.txt`) or workbooks (`.xlsx`, `.xls`, `.ods`...), all read as [`SheetFormat::Csv`].
pub fn format_of(path: &Path) -> Option<SheetFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "toml" => Some(SheetFormat::Toml),
        "json" => Some(SheetFormat::Json),
        "csv" | "tsv" | "txt" => Some(SheetFormat::Csv),
        _ if export::is_workbook(path) => Some(SheetFormat::Csv),
        _ => None,
    }
}

/// Whether a regular file met in a folder is read: a `.txt` only when its first
/// line is split by tabs (as Excel's "Unicode Text" and Qualtrics' TSV are; a
/// `.txt` of notes is not an export), a workbook only when it opens.
fn readable_in_folder(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    if ext.eq_ignore_ascii_case("txt") {
        return export::first_line_has_tab(path);
    }
    !export::is_workbook(path) || export::workbook_opens(path)
}

/// What a folder's entry is: a regular file as its listing says (no `stat`), or
/// the metadata of anything else.
enum Meta {
    Plain,
    Other(std::fs::Metadata),
}

impl Meta {
    fn is_dir(&self) -> bool {
        matches!(self, Meta::Other(m) if m.is_dir())
    }

    fn is_file(&self) -> bool {
        match self {
            Meta::Plain => true,
            Meta::Other(m) => m.is_file(),
        }
    }
}

/// A dot file (`.DS_Store`, `.gitignore`): never a sheet, not worth a word.
fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// Expands command-line paths: folders become their sheet files, recursively, in
/// sorted order; `-` is stdin in `stdin_format`. A pipe or device named without an
/// extension (`<(cat sheet.toml)` gives `/dev/fd/63`) is read as its content says.
pub fn expand(paths: &[PathBuf], stdin_format: SheetFormat) -> Vec<Input> {
    let mut out = Vec::new();
    // Real paths of the folders and sheets taken so far, across all the arguments
    // (`sheets/*` can name a folder and a link into it), with the argument that
    // first reached each: each sheet counts once.
    let mut seen = Seen::new();
    let mut stdin_taken = false;
    for (arg, p) in paths.iter().enumerate() {
        if p.as_os_str() == "-" {
            if stdin_taken {
                out.push(Input::Skipped(Warning::Skipped {
                    origin: Origin::Stdin,
                    why: Skip::StdinAgain,
                }));
            } else {
                stdin_taken = true;
                out.push(Input::Stdin(stdin_format));
            }
        } else if p.is_dir() {
            // A folder whose sheets were all reached by an earlier argument (`DIR
            // DIR`, `DIR DIR/sub`) holds sheets: its skips are warnings. One that
            // only leads back into itself holds none.
            let mut unread = Vec::new();
            let found = walk(p, &mut out, &mut seen, arg, &mut unread);
            // Files that are neither sheets nor exports, named once.
            if !unread.is_empty() {
                let files = unread
                    .into_iter()
                    .map(|f| f.strip_prefix(p).map_or(f.clone(), Path::to_path_buf))
                    .collect();
                out.push(Input::Skipped(Warning::NotSheets {
                    folder: Origin::from(p.as_path()),
                    files,
                }));
            }
            if !found {
                out.push(Input::Bad(InputError::new(p, FileFault::NoSheetInFolder)));
            }
        } else if !p.exists() {
            out.push(Input::Bad(InputError::new(p, FileFault::NoSuchPath)));
        } else {
            out.push(file_argument(p, &mut seen, arg));
        }
    }
    out
}

/// Real paths already taken, each with the index of the argument that reached it.
type Seen = HashMap<PathBuf, usize>;

/// Takes `real` for argument `arg`; when it was taken before, the argument that
/// took it.
fn take(seen: &mut Seen, real: PathBuf, arg: usize) -> Option<usize> {
    match seen.entry(real) {
        Entry::Occupied(e) => Some(*e.get()),
        Entry::Vacant(e) => {
            e.insert(arg);
            None
        }
    }
}

/// A file named on the command line.
fn file_argument(p: &Path, seen: &mut Seen, arg: usize) -> Input {
    let Some(f) = format_of(p) else {
        // Only a pipe or a device can be a `<(...)` path; a plain file needs its
        // extension.
        let regular = std::fs::metadata(p).is_ok_and(|m| m.is_file());
        return if regular {
            Input::Bad(InputError::new(p, FileFault::Unsupported))
        } else {
            Input::Piped(p.to_path_buf())
        };
    };
    if let Ok(real) = std::fs::canonicalize(p)
        && take(seen, real.clone(), arg).is_some()
    {
        return Input::Skipped(second_way(p, &real));
    }
    Input::File(p.to_path_buf(), f)
}

/// Why a path that leads to a folder or sheet already being read is skipped.
fn second_way(path: &Path, real: &Path) -> Warning {
    Warning::Skipped {
        origin: Origin::from(path),
        why: Skip::SecondWay {
            real: real.to_path_buf(),
        },
    }
}

/// What a folder walk found that is neither a file nor a folder.
fn special_kind(meta: &std::fs::Metadata) -> Special {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Special::Fifo;
        }
        if t.is_char_device() || t.is_block_device() {
            return Special::Device;
        }
        if t.is_socket() {
            return Special::Socket;
        }
    }
    let _ = meta;
    Special::Other
}

/// Walks `dir` for argument `arg`; true when it holds a sheet, read here or
/// reached by an earlier argument.
/// Files that are not read as sheets go into `unread`, for one warning.
fn walk(
    dir: &Path,
    out: &mut Vec<Input>,
    seen: &mut Seen,
    arg: usize,
    unread: &mut Vec<PathBuf>,
) -> bool {
    // A link back to a folder already read (a loop, or a second way into the same
    // folder) would count its sheets again: a warning, not a silent double count.
    let real_dir = std::fs::canonicalize(dir).ok();
    if let Some(real) = &real_dir
        && let Some(first) = take(seen, real.clone(), arg)
    {
        out.push(Input::Skipped(second_way(dir, real)));
        return first < arg;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            let why = FileFault::FolderUnreadable(IoReason::of(&e));
            out.push(Input::Bad(InputError::new(dir, why)));
            // The error says enough; not also "holds no sheet".
            return true;
        }
    };
    // What each entry is (a plain file, a folder, a link) comes with the listing on
    // most file systems, at no extra cost: a `stat` is needed only for the rest.
    let mut paths: Vec<(PathBuf, Option<std::fs::FileType>)> = entries
        .filter_map(|e| e.ok())
        .map(|e| (e.path(), e.file_type().ok()))
        .collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    let mut found = false;
    for (p, kind) in paths {
        let link = kind.is_some_and(|t| t.is_symlink());
        // A plain file as listed; anything else (a link followed, a folder, a
        // device) by its metadata. `Plain` stands for a regular file's metadata.
        let meta = match kind {
            Some(t) if t.is_file() => Some(Meta::Plain),
            _ => std::fs::metadata(&p).ok().map(Meta::Other),
        };
        if meta.as_ref().is_some_and(Meta::is_dir) {
            found |= walk(&p, out, seen, arg, unread);
            continue;
        }
        let Some(f) = format_of(&p) else {
            if !is_hidden(&p) {
                unread.push(p);
            }
            continue;
        };
        // A FIFO would block the run, a device is no sheet: only regular files
        // are read in a folder (a broken link is read, to say so).
        if let Some(Meta::Other(m)) = meta.as_ref().filter(|m| !m.is_file()) {
            out.push(Input::Skipped(Warning::Skipped {
                origin: Origin::from(p.as_path()),
                why: Skip::NotAFile(special_kind(m)),
            }));
            continue;
        }
        if meta.is_some() && !readable_in_folder(&p) {
            unread.push(p);
            continue;
        }
        // The same file reached twice (a link beside its target) would count
        // twice. A plain file's real path is its folder's joined with its name;
        // only a link needs resolving.
        let real = match (&real_dir, link) {
            (Some(d), false) => p.file_name().map(|n| d.join(n)),
            _ => std::fs::canonicalize(&p).ok(),
        };
        if let Some(real) = real
            && let Some(first) = take(seen, real.clone(), arg)
        {
            out.push(Input::Skipped(second_way(&p, &real)));
            found |= first < arg;
            continue;
        }
        out.push(Input::File(p, f));
        found = true;
    }
    found
}
