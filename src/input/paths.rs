//! Command-line paths into things to read: files by extension, folders walked in
//! sorted order (each sheet once, however many links lead to it), `-` for stdin.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diag::InputError;
use crate::input::decode::io_reason;
use crate::input::export;
use crate::input::sheet::SheetFormat;
use crate::input::warning::{Skip, Warning};
use crate::origin::Origin;

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
    Skipped(Warning),
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

/// Whether a file met in a folder is read: a `.txt` only when its first line is
/// split by tabs (as Excel's "Unicode Text" and Qualtrics' TSV are; a `.txt` of
/// notes is not an export), a workbook only when it opens.
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

/// Expands command-line paths: folders become their sheet files, recursively, in
/// sorted order; `-` is stdin in `stdin_format`.
pub fn expand(paths: &[PathBuf], stdin_format: SheetFormat) -> Vec<Input> {
    let mut out = Vec::new();
    // Real paths of the folders and sheets taken so far, across all the arguments
    // (`sheets/*` can name a folder and a link into it): each sheet counts once.
    let mut seen = HashSet::new();
    let mut stdin_taken = false;
    for p in paths {
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
            let before = out.len();
            let mut unread = Vec::new();
            walk(p, p, &mut out, &mut seen, &mut unread);
            if !unread.is_empty() {
                out.push(Input::Skipped(Warning::NotSheets {
                    folder: Origin::from(p.as_path()),
                    files: unread,
                }));
            }
            // Only skipped second ways (a link back to itself) is still no sheet.
            if out[before..].iter().all(|i| matches!(i, Input::Skipped(_))) {
                out.push(Input::Bad(InputError::new(
                    p,
                    "folder holds no sheet (.toml, .json) or survey export (.csv, .tsv, .xlsx, .ods...)",
                )));
            }
        } else if !p.exists() {
            out.push(Input::Bad(InputError::new(p, "no such file or folder")));
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
                    p,
                    "unsupported file type; expected a sheet (.toml, .json) or a survey export \
                     (.csv, .tsv, .txt, .xlsx, .xls, .ods)",
                ))),
            }
        }
    }
    out
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

/// Walks `dir` (under the argument `root`) into `out`; files that are not read as
/// sheets go into `unread`, relative to `root`, for one warning.
fn walk(
    root: &Path,
    dir: &Path,
    out: &mut Vec<Input>,
    seen: &mut HashSet<PathBuf>,
    unread: &mut Vec<PathBuf>,
) {
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
                dir,
                format!("could not read folder: {}", io_reason(&e)),
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
            walk(root, &p, out, seen, unread);
        } else if let Some(f) = format_of(&p).filter(|_| readable_in_folder(&p)) {
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
        } else if !is_hidden(&p) {
            unread.push(p.strip_prefix(root).unwrap_or(&p).to_path_buf());
        }
    }
}

/// A dot file (`.DS_Store`, `.gitignore`): never a sheet, not worth a word.
fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}
