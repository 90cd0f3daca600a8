//! An .xls checked before calamine opens it. calamine reads every worksheet of an
//! .xls as it opens the file, each into a grid as tall and wide as its cells
//! reach (and reserves what its DIMENSIONS record announces): one cell at IV65536
//! in a 5 KB file took 671 MB, and a record that contradicts itself made it
//! subtract past zero. Here the Workbook stream is walked the way calamine walks
//! it (the worksheets where the workbook's BoundSheet records say they start), and
//! a worksheet that would span more than [`MAX_XLS_AREA`] cells, or whose records
//! calamine could not take, is refused first.

use std::io::Read;
use std::path::Path;

/// The most cells a worksheet of an .xls may span, rows times columns, counted as
/// calamine allocates them (about 70 bytes a cell while it opens the file):
/// 65,536 rows, the most an .xls has, of 15 columns.
pub(super) const MAX_XLS_AREA: u64 = 1_000_000;

/// Why an .xls is refused before calamine opens it.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum XlsFault {
    /// A worksheet spans more than [`MAX_XLS_AREA`] cells.
    Area,
    /// A record calamine would misread: in these words.
    Damaged(&'static str),
}

/// Checks the .xls at `path`. A file whose container or stream cannot be read is
/// let through: calamine says what is wrong with it.
pub(super) fn check(path: &Path) -> Result<(), XlsFault> {
    let Ok(mut file) = cfb::open(path) else {
        return Ok(());
    };
    let Some(name) = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n))
    else {
        return Ok(());
    };
    let mut stream = Vec::new();
    let read = file
        .open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream));
    if read.is_err() {
        return Ok(());
    }
    check_stream(&stream)
}

/// One BIFF record: its type and its data.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let (head, tail) = rest.split_first_chunk::<4>()?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        // A record cut short ends the walk; calamine refuses the file for it.
        let data = tail.get(..len)?;
        rest = &tail[len..];
        Some((typ, data))
    })
}

fn u16_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 2)
        .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The globals' BoundSheet records give where each worksheet starts; each is
/// walked to its EOF record, past embedded substreams, as calamine walks it.
fn check_stream(stream: &[u8]) -> Result<(), XlsFault> {
    let mut starts = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            0x0085 => {
                // calamine reads the position, the state and the type unchecked.
                if data.len() < 6 {
                    return Err(XlsFault::Damaged("a BoundSheet record is cut short"));
                }
                starts.push(u32_at(data, 0).unwrap_or(0) as usize);
            }
            0x000A => break,
            _ => {}
        }
    }
    for start in starts {
        let sheet = stream.get(start..).ok_or(XlsFault::Damaged(
            "a worksheet starts past the end of the file",
        ))?;
        check_sheet(sheet)?;
    }
    Ok(())
}

/// The rows and columns a worksheet's cells reach.
#[derive(Default)]
struct Span(Option<(u32, u32, u32, u32)>);

impl Span {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn area(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

/// One worksheet's records: its DIMENSIONS, and the cells it holds.
fn check_sheet(sheet: &[u8]) -> Result<(), XlsFault> {
    let mut span = Span::default();
    let mut seen_bof = false;
    let mut depth = 0usize;
    for (typ, data) in records(sheet) {
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let at = |i| u16_at(data, i);
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x0200 if dimensions(data)? > MAX_XLS_AREA => return Err(XlsFault::Area),
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: row, column.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(row), Some(col)) = (at(0), at(2)) {
                    span.add(row, col);
                }
            }
            // MulRk: row, first column, ..., last column.
            0x00BD if data.len() >= 6 => {
                let (Some(row), Some(first), Some(last)) = (at(0), at(2), at(data.len() - 2))
                else {
                    continue;
                };
                if last < first {
                    return Err(XlsFault::Damaged("a MulRk record ends before it starts"));
                }
                span.add(row, first);
                span.add(row, last);
            }
            0x000A => break,
            _ => {}
        }
        if span.area() > MAX_XLS_AREA {
            return Err(XlsFault::Area);
        }
    }
    Ok(())
}

/// The cells a DIMENSIONS record announces, as calamine reads it (BIFF8 rows in
/// 32 bits, older ones in 16; the last row and column one past the end).
fn dimensions(data: &[u8]) -> Result<u64, XlsFault> {
    let fields = match data.len() {
        10 => (
            u16_at(data, 0),
            u16_at(data, 2),
            u16_at(data, 4),
            u16_at(data, 6),
        ),
        14 | 16 => (
            u32_at(data, 0),
            u32_at(data, 4),
            u16_at(data, 8),
            u16_at(data, 10),
        ),
        // Any other length calamine refuses.
        _ => return Ok(0),
    };
    let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = fields else {
        return Ok(0);
    };
    // calamine takes a first column past the last one an .xls has, or past the
    // last one announced, as the first.
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    // No last row or column: calamine takes it as one cell.
    if rl == 0 || cl == 0 {
        return Ok(1);
    }
    // calamine counts rl - 1 - rf + 1 rows in unsigned numbers.
    if rl <= rf || cl <= cf {
        return Err(XlsFault::Damaged(
            "its DIMENSIONS record ends before it starts",
        ));
    }
    Ok(u64::from(rl - rf) * u64::from(cl - cf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend(u16::try_from(data.len()).unwrap().to_le_bytes());
        out.extend(data);
        out
    }

    /// A stream of globals naming one worksheet, then that worksheet's records.
    fn stream(sheet: &[Vec<u8>]) -> Vec<u8> {
        let bof = record(0x0809, &[0; 16]);
        let eof = record(0x000A, &[]);
        let bound_len = bof.len() + 4 + 8 + eof.len();
        let mut bound = u32::try_from(bound_len).unwrap().to_le_bytes().to_vec();
        bound.extend([0, 0, 1, 0]);
        let mut out = bof.clone();
        out.extend(record(0x0085, &bound));
        out.extend(&eof);
        assert_eq!(out.len(), bound_len);
        out.extend(&bof);
        for r in sheet {
            out.extend(r);
        }
        out.extend(eof);
        out
    }

    fn cell(row: u16, col: u16) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend(col.to_le_bytes());
        data.extend([0; 10]);
        record(0x00FD, &data)
    }

    fn dims(rf: u32, rl: u32, cf: u16, cl: u16) -> Vec<u8> {
        let mut data = rf.to_le_bytes().to_vec();
        data.extend(rl.to_le_bytes());
        data.extend(cf.to_le_bytes());
        data.extend(cl.to_le_bytes());
        data.extend([0, 0]);
        record(0x0200, &data)
    }

    #[test]
    fn a_worksheet_is_refused_for_the_span_calamine_would_allocate() {
        let small = stream(&[dims(0, 3, 0, 2), cell(0, 0), cell(2, 1)]);
        assert_eq!(check_stream(&small), Ok(()));
        let far = stream(&[cell(0, 0), cell(65_535, 255)]);
        assert_eq!(check_stream(&far), Err(XlsFault::Area));
        let announced = stream(&[dims(0, 65_536, 0, 256), cell(0, 0)]);
        assert_eq!(check_stream(&announced), Err(XlsFault::Area));
    }

    #[test]
    fn records_calamine_would_misread_are_refused() {
        let backwards = stream(&[dims(100, 50, 0, 2)]);
        assert!(matches!(
            check_stream(&backwards),
            Err(XlsFault::Damaged(_))
        ));
        let mut mulrk = 7u16.to_le_bytes().to_vec();
        mulrk.extend(5u16.to_le_bytes());
        mulrk.extend([0; 6]);
        mulrk.extend(2u16.to_le_bytes());
        let backwards = stream(&[record(0x00BD, &mulrk)]);
        assert!(matches!(
            check_stream(&backwards),
            Err(XlsFault::Damaged(_))
        ));
        let mut past = stream(&[]);
        past[bof_len() + 4..bof_len() + 8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(check_stream(&past), Err(XlsFault::Damaged(_))));
    }

    fn bof_len() -> usize {
        record(0x0809, &[0; 16]).len()
    }
}
