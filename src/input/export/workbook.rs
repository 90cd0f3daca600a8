//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`): one worksheet, read whole
//! into a [`Grid`] (every cell's text in one string, rows numbered as the
//! spreadsheet numbers them), for the same header and row handling as a CSV export.
//!
//! Memory grows with what the worksheet holds, not with where its cells are: only
//! rows and cells with text are kept, at 8 bytes a cell and 8 a row besides the
//! text, so a cell at XFD1048576 costs what a cell at B2 does. What may be kept is
//! bounded ([`MAX_CELLS`], [`MAX_TEXT`], [`MAX_AREA`]), and so is what calamine
//! inflates whole when it opens an .xlsx ([`MAX_PARTS`]): a workbook over a bound
//! is refused, and the run goes on. Cells are read as calamine reads them, except
//! an .ods, which [`super::ods`] reads itself (calamine expands every table of one
//! at once). An .xls is read by calamine whole, in a grid as wide and tall as its
//! cells reach.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::grid::{
    Bound, Grid, GridBuilder, MAX_AREA, MAX_CELLS, MAX_PARTS, MAX_RUN, MAX_TEXT, RunLimit,
    SheetInfo, is_long_run, number_text,
};
use super::ods::{Ods, OdsError};
use super::xls::{MAX_XLS_AREA, XlsFault};
use crate::diag::{ExportFault, Fault, InputError};
use crate::origin::Origin;
use calamine::{Data, DataRef, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};

/// Whether a path names a workbook, by its extension.
pub(crate) fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlsx", "xlsm", "xlsb", "xls", "ods"]
            .iter()
            .any(|w| e.eq_ignore_ascii_case(w))
    })
}

/// Whether a workbook file opens (for a folder walk, which names files it cannot
/// read instead of failing on them). One that opens as a workbook but is over a
/// bound counts as opening: it is read, and refused with its reason, not passed
/// over as "not a sheet".
pub(crate) fn opens(path: &Path) -> bool {
    match Book::open(&Origin::from(path), path) {
        Ok(_) => true,
        Err(e) => matches!(e.kind, Fault::Export(ExportFault::WorkbookTooLarge { .. })),
    }
}

/// An open workbook.
pub(super) struct Book {
    inner: Inner,
    pub sheets: Vec<SheetInfo>,
    /// The worksheet active when the workbook was saved, where the file says.
    pub active: Option<usize>,
}

enum Inner {
    Xlsx(Box<Xlsx<BufReader<File>>>),
    Xlsb(Box<Xlsb<BufReader<File>>>),
    Xls(Box<Xls<BufReader<File>>>),
    Ods(Box<Ods>),
}

/// The error of a workbook that could not be read, in its reader's words.
fn unreadable(source: &Origin, e: impl std::fmt::Display) -> InputError {
    InputError::new(source, ExportFault::Workbook(e.to_string()))
}

/// What is said of a workbook calamine panicked on.
const STOPPED: &str = "its reader stopped on it: the file is damaged";

std::thread_local! {
    /// Set while [`quietly`] runs calamine on this thread.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` (calamine on a workbook), `None` if it panics. calamine indexes
/// some records of a damaged file without checking their length: its panic is
/// the file's fault, said as an error on it like any other, so the panic hook
/// says nothing of it (on this thread, while `f` runs; any other panic is
/// reported as before).
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                before(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    out.ok()
}

/// Opens a workbook with calamine, its errors and panics said as the file's.
fn calamine_open<B>(source: &Origin, path: &Path) -> Result<B, InputError>
where
    B: Reader<BufReader<File>>,
    B::Error: std::fmt::Display,
{
    quietly(|| calamine::open_workbook::<B, _>(path))
        .ok_or_else(|| unreadable(source, STOPPED))?
        .map_err(|e| unreadable(source, e))
}

/// Reads a worksheet cell by cell into `grid` with a calamine cell reader (xlsx
/// and xlsb have one each, alike but of different types), stopping at a bound.
macro_rules! drain_cells {
    ($book:expr, $name:expr, $grid:expr) => {{
        let mut cells = match $book.worksheet_cells_reader(&$name) {
            Ok(cells) => cells,
            Err(e) => return Err(Step::Failed(e.to_string())),
        };
        loop {
            match cells.next_cell() {
                Ok(Some(c)) => {
                    let (row, col) = c.get_position();
                    if let Err(b) = $grid.push(u64::from(row), col, &ref_text(c.get_value())) {
                        break Err(Step::Bound(b));
                    }
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(Step::Failed(e.to_string())),
            }
        }
    }};
}

impl Book {
    /// Opens a workbook, telling its format from its first bytes (a zip holds an
    /// .xlsx, .xlsm, .xlsb or .ods; an OLE file an .xls), whatever its extension.
    pub(super) fn open(source: &Origin, path: &Path) -> Result<Book, InputError> {
        let mut magic = [0u8; 4];
        File::open(path)
            .and_then(|mut f| f.read_exact(&mut magic))
            .map_err(|e| unreadable(source, e))?;
        if magic == *b"\xD0\xCF\x11\xE0" {
            super::xls::check(path).map_err(|e| match e {
                XlsFault::Area => too_large(source, None, Bound::XlsArea),
                XlsFault::Damaged(words) => unreadable(source, words),
            })?;
            let book: Xls<_> = calamine_open(source, path)?;
            return Ok(Book::of(Inner::Xls(Box::new(book)), None));
        }
        let parts = zip_parts(path).map_err(|e| unreadable(source, e))?;
        if parts.has("content.xml") && !parts.has("xl/workbook.xml") {
            let ods = Ods::open(path).map_err(|e| match e {
                OdsError::File(words) => unreadable(source, words),
                OdsError::Bound(b) => too_large(source, None, b),
            })?;
            let (sheets, active) = (ods.sheets.clone(), ods.active);
            return Ok(Book {
                inner: Inner::Ods(Box::new(ods)),
                sheets,
                active,
            });
        }
        parts.check(source)?;
        if parts.has("xl/workbook.bin") {
            let book: Xlsb<_> = calamine_open(source, path)?;
            return Ok(Book::of(Inner::Xlsb(Box::new(book)), None));
        }
        let book: Xlsx<_> = calamine_open(source, path)?;
        Ok(Book::of(Inner::Xlsx(Box::new(book)), parts.active))
    }

    fn of(inner: Inner, active: Option<usize>) -> Book {
        let meta = match &inner {
            Inner::Xlsx(b) => b.sheets_metadata().to_vec(),
            Inner::Xlsb(b) => b.sheets_metadata().to_vec(),
            Inner::Xls(b) => b.sheets_metadata().to_vec(),
            Inner::Ods(_) => Vec::new(),
        };
        let sheets = meta
            .into_iter()
            .map(|s| SheetInfo {
                name: s.name,
                visible: s.visible == SheetVisible::Visible,
                worksheet: s.typ == SheetType::WorkSheet,
            })
            .collect();
        Book {
            inner,
            sheets,
            active,
        }
    }

    /// The worksheets to try, in order: the active one when it is a visible
    /// worksheet, else the first visible worksheet, then the other visible
    /// worksheets in workbook order.
    pub(super) fn order(&self) -> Vec<usize> {
        let shown = |i: &usize| self.sheets[*i].visible && self.sheets[*i].worksheet;
        let first = self.active.filter(shown);
        first
            .into_iter()
            .chain((0..self.sheets.len()).filter(|i| shown(i) && Some(*i) != first))
            .collect()
    }

    /// Reads worksheet `index` into a grid, within the bounds.
    pub(super) fn read(&mut self, source: &Origin, index: usize) -> Result<Grid, InputError> {
        let name = self.sheets[index].name.clone();
        let failed = |reason: String| {
            InputError::new(
                source,
                ExportFault::Worksheet {
                    name: name.clone(),
                    reason,
                },
            )
        };
        let mut grid = GridBuilder::default();
        let outcome: Result<(), Step> = quietly(|| match &mut self.inner {
            // calamine's xlsx and xlsb cell readers share their methods, not a trait.
            Inner::Xlsx(book) => drain_cells!(book, name, grid),
            Inner::Xlsb(book) => drain_cells!(book, name, grid),
            Inner::Xls(book) => {
                let range = match book.worksheet_range(&name) {
                    Ok(range) => range,
                    Err(e) => return Err(Step::Failed(e.to_string())),
                };
                let (top, left) = range.start().unwrap_or((0, 0));
                range
                    .used_cells()
                    .try_for_each(|(r, c, v)| {
                        let (r, c) = (u64::from(top) + r as u64, left + c as u32);
                        grid.push(r, c, &cell_text(v))
                    })
                    .map_err(Step::Bound)
            }
            Inner::Ods(ods) => ods.read(index, &mut grid).map_err(|e| match e {
                OdsError::File(words) => Step::Failed(words),
                OdsError::Bound(b) => Step::Bound(b),
            }),
        })
        .unwrap_or_else(|| Err(Step::Failed(STOPPED.into())));
        match outcome {
            Ok(()) => Ok(grid.finish()),
            Err(Step::Bound(Bound::Order)) => Err(failed("its cells are not in row order".into())),
            Err(Step::Bound(b)) => Err(too_large(source, Some(name.clone()), b)),
            Err(Step::Failed(reason)) => Err(failed(reason)),
        }
    }
}

/// How reading a worksheet stopped early.
enum Step {
    Bound(Bound),
    Failed(String),
}

/// The error of a workbook over a bound.
fn too_large(source: &Origin, sheet: Option<String>, bound: Bound) -> InputError {
    let most = match bound {
        Bound::Cells => MAX_CELLS as u64,
        Bound::Text => MAX_TEXT as u64,
        Bound::Area => MAX_AREA,
        Bound::Parts | Bound::SharedStrings => MAX_PARTS,
        Bound::Order => 0,
        Bound::Run => MAX_RUN,
        Bound::XlsArea => MAX_XLS_AREA,
    };
    InputError::new(source, ExportFault::WorkbookTooLarge { sheet, bound, most })
}

/// The entries of a zip that matter before calamine opens it: which there are,
/// the sizes of those it inflates whole, and the active worksheet.
struct Parts {
    names: Vec<String>,
    /// The uncompressed bytes of the parts calamine reads whole.
    whole: u64,
    /// The count of shared strings `sharedStrings.xml` announces, and its size.
    strings: Option<(u64, u64)>,
    active: Option<usize>,
    /// Whether a worksheet's XML has a stretch of more than [`MAX_RUN`] bytes
    /// without markup (calamine's reader would hold it whole).
    long_run: bool,
}

impl Parts {
    fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// Refuses a workbook whose parts read whole are over [`MAX_PARTS`], or whose
    /// shared strings announce more strings than their bytes can hold (calamine
    /// reserves room for the count it is told).
    fn check(&self, source: &Origin) -> Result<(), InputError> {
        if self.whole > MAX_PARTS {
            return Err(too_large(source, None, Bound::Parts));
        }
        if self.long_run {
            return Err(too_large(source, None, Bound::Run));
        }
        if let Some((count, bytes)) = self.strings
            && count > bytes / 8 + 16
        {
            return Err(too_large(source, None, Bound::SharedStrings));
        }
        Ok(())
    }
}

/// Lists a zip's entries, adds up the sizes of the parts calamine inflates whole
/// (all but the worksheets, which are streamed, and pictures and the like, which
/// are not read), reads what `xl/workbook.xml` and `xl/sharedStrings.xml` say of
/// the active worksheet and the count of strings, and passes over each worksheet's
/// XML once to find a cell too long to be held ([`RunLimit`]).
fn zip_parts(path: &Path) -> Result<Parts, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
    let mut names = Vec::new();
    let mut whole = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.into_owned();
        let read_whole =
            name.ends_with(".xml") || name.ends_with(".bin") || name.ends_with(".rels");
        let streamed = name.starts_with("xl/worksheets/") || name.starts_with("xl/media/");
        if read_whole && !streamed {
            whole = whole.saturating_add(entry.size());
        }
        names.push(name);
    }
    let mut parts = Parts {
        names,
        whole,
        strings: None,
        active: None,
        long_run: false,
    };
    if parts.has("xl/workbook.xml") && parts.whole <= MAX_PARTS {
        parts.active = first_attribute(&mut zip, "xl/workbook.xml", "workbookView", "activeTab")
            .and_then(|v| v.parse().ok());
        let bytes = zip.by_name("xl/sharedStrings.xml").map(|e| e.size()).ok();
        if let Some(bytes) = bytes {
            let count = first_attribute(&mut zip, "xl/sharedStrings.xml", "sst", "uniqueCount")
                .and_then(|v| v.parse().ok());
            parts.strings = count.map(|c| (c, bytes));
        }
        let sheets = parts
            .names
            .iter()
            .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"));
        for name in sheets {
            let entry = zip.by_name(name).map_err(|e| e.to_string())?;
            match std::io::copy(&mut RunLimit::new(entry), &mut std::io::sink()) {
                Ok(_) => {}
                Err(e) if is_long_run(&e) => {
                    parts.long_run = true;
                    break;
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    Ok(parts)
}

/// The value of attribute `attr` on the first element named `element` (any
/// prefix) of a zip's XML entry.
fn first_attribute(
    zip: &mut zip::ZipArchive<BufReader<File>>,
    entry: &str,
    element: &str,
    attr: &str,
) -> Option<String> {
    use quick_xml::events::Event;
    let file = zip.by_name(entry).ok()?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(file));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == element => {
                let a = e.try_get_attribute(attr).ok()??;
                return Some(a.value.into_owned());
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// A cell as text: numbers without a needless `.0`, dates as `YYYY-MM-DD hh:mm:ss`.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => date_text(d.as_f64()),
        other => other.to_string(),
    }
}

/// [`cell_text`] of a cell read by reference.
fn ref_text(c: &DataRef<'_>) -> String {
    match c {
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::String(s) => s.clone(),
        other => cell_text(&Data::from(other.clone())),
    }
}

/// An Excel date serial (days since 1899-12-30, time as the fraction) as text.
fn date_text(serial: f64) -> String {
    let seconds = (serial * 86_400.0).round() as i64;
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Days from 1970-01-01, then the civil date (Howard Hinnant's algorithm).
    let z = days - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    if secs == 0 {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_the_sheet_shows_them() {
        assert_eq!(cell_text(&Data::Float(3.0)), "3");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        assert_eq!(cell_text(&Data::String("Ad hoc".into())), "Ad hoc");
        assert_eq!(cell_text(&Data::Empty), "");
        // 2026-11-03 14:02:11 and the Unix epoch.
        assert_eq!(date_text(46_329.584_849_537), "2026-11-03 14:02:11");
        assert_eq!(date_text(25_569.0), "1970-01-01");
    }
}
