//! OpenDocument spreadsheets (`.ods`), read here rather than by calamine, which
//! expands every table of a file into memory as it opens it (a row repeated a
//! million times by `table:number-rows-repeated` took 5.5 GB). Here repeated rows
//! and cells are counts: an empty one costs nothing, a filled one is added cell
//! by cell to a [`GridBuilder`], which stops at its bounds. Cells read as calamine
//! reads them: numbers from `office:value`, dates and times as written, text from
//! the cell's paragraphs.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::grid::{Bound, GridBuilder, MAX_RUN, RunLimit, SheetInfo, is_long_run, number_text};

/// The most columns a row is read to (as in Excel and LibreOffice).
const MAX_COLUMNS: u32 = 16_384;

/// Why reading failed: the file, or a bound of the grid.
#[derive(Debug)]
pub(super) enum OdsError {
    /// The zip or the XML, in their readers' words.
    File(String),
    Bound(Bound),
}

impl From<Bound> for OdsError {
    fn from(b: Bound) -> Self {
        OdsError::Bound(b)
    }
}

fn file_error(e: impl std::fmt::Display) -> OdsError {
    OdsError::File(e.to_string())
}

/// An error of the XML reader: [`RunLimit`]'s is a bound, the others the file's.
fn xml_error(e: quick_xml::Error) -> OdsError {
    match &e {
        quick_xml::Error::Io(io) if is_long_run(io) => OdsError::Bound(Bound::Run),
        _ => file_error(e),
    }
}

/// An open .ods: its tables (name, shown or hidden) and the active one.
pub(super) struct Ods {
    zip: ZipArchive<BufReader<File>>,
    pub(super) sheets: Vec<SheetInfo>,
    pub(super) active: Option<usize>,
}

/// An XML entry of the zip being read, each run without markup bounded.
type XmlOf<'z, R> = Reader<BufReader<RunLimit<zip::read::ZipFile<'z, R>>>>;
type Xml<'z> = XmlOf<'z, BufReader<File>>;

fn xml<'z, R: Read + Seek>(
    zip: &'z mut ZipArchive<R>,
    name: &str,
) -> Result<Option<XmlOf<'z, R>>, OdsError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(file_error(e)),
    };
    let mut reader = Reader::from_reader(BufReader::new(RunLimit::new(file)));
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = false;
    config.trim_text(false);
    Ok(Some(reader))
}

/// An attribute's value, unescaped.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    quick_xml::escape::unescape(&a.value)
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// A `number-*-repeated` attribute, at least 1.
fn repeated(e: &BytesStart<'_>, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1u64)
        .max(1)
}

impl Ods {
    /// Opens an .ods: lists its tables (a pass over `content.xml` that skips their
    /// cells) and finds the active one (`settings.xml`).
    pub(super) fn open(path: &Path) -> Result<Ods, OdsError> {
        let file = File::open(path).map_err(file_error)?;
        let mut zip = ZipArchive::new(BufReader::new(file)).map_err(file_error)?;
        let sheets = {
            let Some(mut reader) = xml(&mut zip, "content.xml")? else {
                return Err(OdsError::File(
                    "no content.xml: not an OpenDocument file".into(),
                ));
            };
            tables(&mut reader)?
        };
        let active = match xml(&mut zip, "settings.xml")? {
            Some(mut reader) => active_table(&mut reader)
                .and_then(|name| sheets.iter().position(|s| s.name == name)),
            None => None,
        };
        Ok(Ods {
            zip,
            sheets,
            active,
        })
    }

    /// Reads table `index` into `grid`.
    pub(super) fn read(&mut self, index: usize, grid: &mut GridBuilder) -> Result<(), OdsError> {
        let Some(mut reader) = xml(&mut self.zip, "content.xml")? else {
            return Err(OdsError::File("no content.xml".into()));
        };
        let mut buf = Vec::new();
        let mut seen = 0;
        loop {
            match reader.read_event_into(&mut buf).map_err(xml_error)? {
                Event::Start(e) if e.name().as_ref() == "table:table" => {
                    if seen == index {
                        buf.clear();
                        return read_table(&mut reader, grid);
                    }
                    seen += 1;
                    let end = e.name().as_ref().to_string();
                    buf.clear();
                    reader
                        .read_to_end_into(quick_xml::name::QName(&end), &mut Vec::new())
                        .map_err(xml_error)?;
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
            buf.clear();
        }
    }
}

/// The tables of `content.xml`, with whether each is shown (its automatic style's
/// `table:display`), their cells skipped.
fn tables(reader: &mut Xml<'_>) -> Result<Vec<SheetInfo>, OdsError> {
    let mut hidden_styles: Vec<String> = Vec::new();
    let mut style: Option<String> = None;
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e) if e.name().as_ref() == "style:style" => {
                style = attr(&e, "style:name");
            }
            Event::Start(e) if e.name().as_ref() == "style:table-properties" => {
                if attr(&e, "table:display").is_some_and(|d| d == "false")
                    && let Some(s) = &style
                {
                    hidden_styles.push(s.clone());
                }
            }
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                let name = attr(&e, "table:name").unwrap_or_default();
                let visible =
                    attr(&e, "table:style-name").is_none_or(|s| !hidden_styles.contains(&s));
                out.push(SheetInfo {
                    name,
                    visible,
                    worksheet: true,
                });
                buf.clear();
                reader
                    .read_to_end_into(quick_xml::name::QName("table:table"), &mut Vec::new())
                    .map_err(xml_error)?;
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
        buf.clear();
    }
}

/// The name in `settings.xml`'s `ActiveTable` item, if there is one.
fn active_table(reader: &mut Xml<'_>) -> Option<String> {
    let mut buf = Vec::new();
    let mut inside = false;
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.name().as_ref() == "config:config-item" => {
                inside = attr(&e, "config:name").is_some_and(|n| n == "ActiveTable");
            }
            Event::Text(t) if inside => return Some(t.xml10_content().into_owned()),
            Event::End(_) => inside = false,
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// One cell of a row, repeated `count` times from column `col`.
struct Run {
    col: u32,
    count: u32,
    text: String,
}

/// Reads a table's rows (inside header-row and row-group elements too) into `grid`.
fn read_table(reader: &mut Xml<'_>, grid: &mut GridBuilder) -> Result<(), OdsError> {
    let mut buf = Vec::new();
    let mut row: u64 = 0;
    let mut runs: Vec<Run> = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                let repeats = repeated(&e, "table:number-rows-repeated");
                buf.clear();
                read_row(reader, &mut runs)?;
                if !runs.is_empty() {
                    for r in 0..repeats {
                        for run in &runs {
                            for c in run.col..run.col + run.count {
                                grid.push(row + r, c, &run.text)?;
                            }
                        }
                    }
                }
                row = row.saturating_add(repeats);
            }
            Event::End(e) if e.name().as_ref() == "table:table" => return Ok(()),
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// Reads one row's cells into `runs` (the filled ones only).
fn read_row(reader: &mut Xml<'_>, runs: &mut Vec<Run>) -> Result<(), OdsError> {
    runs.clear();
    let mut buf = Vec::new();
    let mut col: u32 = 0;
    loop {
        match reader.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                let count = u32::try_from(repeated(&e, "table:number-columns-repeated"))
                    .unwrap_or(u32::MAX)
                    .min(MAX_COLUMNS.saturating_sub(col));
                let value = cell_value(&e);
                let typed = attr(&e, "office:value-type").is_some();
                let name = e.name().as_ref().to_string();
                let text = match value {
                    Some(v) => {
                        reader
                            .read_to_end_into(quick_xml::name::QName(&name), &mut Vec::new())
                            .map_err(xml_error)?;
                        v
                    }
                    None if typed => cell_text(reader, &name)?,
                    None => {
                        reader
                            .read_to_end_into(quick_xml::name::QName(&name), &mut Vec::new())
                            .map_err(xml_error)?;
                        String::new()
                    }
                };
                if !text.is_empty() && count > 0 {
                    runs.push(Run { col, count, text });
                }
                col = col.saturating_add(count);
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => return Ok(()),
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// A cell's value from its attributes, as calamine reads it: a number, a date or
/// time as written, a boolean, or a string value; `None` when its text is in its
/// paragraphs (or it has none).
fn cell_value(e: &BytesStart<'_>) -> Option<String> {
    let kind = attr(e, "office:value-type")?;
    match kind.as_str() {
        "float" | "percentage" | "currency" => {
            let v = attr(e, "office:value")?;
            Some(match v.trim().parse::<f64>() {
                Ok(f) => number_text(f),
                Err(_) => v,
            })
        }
        "date" => attr(e, "office:date-value"),
        "time" => attr(e, "office:time-value"),
        "boolean" => attr(e, "office:boolean-value").map(|b| {
            if b == "true" {
                "TRUE".into()
            } else {
                "FALSE".into()
            }
        }),
        _ => attr(e, "office:string-value"),
    }
}

/// A text cell's paragraphs, one a line, with their spaces, tabs and line breaks;
/// annotations left out. Reads to the end of the cell.
fn cell_text(reader: &mut Xml<'_>, cell: &str) -> Result<String, OdsError> {
    let mut out = String::new();
    let mut buf = Vec::new();
    let mut paragraphs = 0;
    let mut annotation = 0u32;
    loop {
        match reader.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e) => match e.name().as_ref() {
                "office:annotation" => annotation += 1,
                _ if annotation > 0 => {}
                "text:p" => {
                    if paragraphs > 0 {
                        out.push('\n');
                    }
                    paragraphs += 1;
                }
                "text:s" => {
                    let n = repeated(&e, "text:c").min(1024);
                    out.extend(std::iter::repeat_n(' ', n as usize));
                }
                "text:tab" => out.push('\t'),
                "text:line-break" => out.push('\n'),
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == cell => return Ok(out),
            Event::End(e) if e.name().as_ref() == "office:annotation" => {
                annotation = annotation.saturating_sub(1);
            }
            Event::Text(t) if annotation == 0 => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if annotation == 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    out.push_str(s);
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
        if out.len() as u64 > MAX_RUN {
            return Err(OdsError::Bound(Bound::Run));
        }
        buf.clear();
    }
}
