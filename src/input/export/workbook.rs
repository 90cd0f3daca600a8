//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) read with calamine: one
//! worksheet, whole (a workbook is not streamed), as rows of text numbered as the
//! spreadsheet numbers them, for the same header and row handling as a CSV export.

use std::path::Path;

use calamine::{Data, Reader};
use csv::StringRecord;

use crate::diag::{ExportFault, InputError};
use crate::origin::Origin;

/// Whether a path names a workbook, by its extension.
pub(crate) fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlsx", "xlsm", "xlsb", "xls", "ods"]
            .iter()
            .any(|w| e.eq_ignore_ascii_case(w))
    })
}

/// Whether a workbook file opens (for a folder walk, which names files it cannot
/// read instead of failing on them).
pub(crate) fn opens(path: &Path) -> bool {
    calamine::open_workbook_auto(path).is_ok()
}

/// The rows of worksheet `sheet` (the first when `None`), each with the row number
/// the spreadsheet shows, cells as text.
pub(super) fn rows(
    source: &Origin,
    path: &Path,
    sheet: Option<&str>,
) -> Result<Vec<(u64, StringRecord)>, InputError> {
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| InputError::new(source, ExportFault::Workbook(e.to_string())))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(want) => names.iter().find(|n| *n == want).ok_or_else(|| {
            let fault = ExportFault::NoWorksheetNamed {
                want: want.to_string(),
                names: names.clone(),
            };
            InputError::new(source, fault)
        })?,
        None => names
            .first()
            .ok_or_else(|| InputError::new(source, ExportFault::NoWorksheet))?,
    }
    .clone();
    let range = book.worksheet_range(&name).map_err(|e| {
        let reason = e.to_string();
        InputError::new(
            source,
            ExportFault::Worksheet {
                name: name.clone(),
                reason,
            },
        )
    })?;
    let Some((top, left)) = range.start() else {
        return Ok(Vec::new());
    };
    // Columns left of the used range are empty, but count for the header's width.
    let pad = usize::try_from(left).unwrap_or(0);
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut record = StringRecord::new();
            for _ in 0..pad {
                record.push_field("");
            }
            for c in cells {
                record.push_field(&cell_text(c));
            }
            (u64::from(top) + i as u64 + 1, record)
        })
        .collect();
    Ok(rows)
}

/// A cell as text: numbers without a needless `.0`, dates as `YYYY-MM-DD hh:mm:ss`.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => date_text(d.as_f64()),
        other => other.to_string(),
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
