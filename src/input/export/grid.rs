//! A worksheet's cells with text, held compactly (every cell's text in one string,
//! 8 bytes a cell and 8 a row besides), built cell by cell within bounds and handed
//! on row by row as wide as the worksheet: what [`super::workbook`] and
//! [`super::ods`] read a worksheet into.

use csv::StringRecord;

pub(super) use crate::diag::Bound;

/// The most cells with text a worksheet may hold: 100,000 respondents answering 40
/// questions.
pub(super) const MAX_CELLS: usize = 4_000_000;
/// The most bytes of cell text a worksheet may hold.
pub(super) const MAX_TEXT: usize = 64 << 20;
/// The most cells the rows with text times the columns up to the last one may
/// span: each row is handed on that wide.
pub(super) const MAX_AREA: u64 = 50_000_000;
/// The most bytes of the parts of an .xlsx that calamine inflates whole when it
/// opens it (its shared strings, styles, workbook and relations): a real export's
/// shared strings are its answers' labels and its respondents' names, a few MB.
pub(super) const MAX_PARTS: u64 = 16 << 20;

/// The most bytes of one cell's text, and of a worksheet's XML between one `<`
/// and the next: an XML reader holds a text or a tag whole, so a cell of a
/// gigabyte in a zip of a megabyte would be held whole too. A spreadsheet cell
/// holds 32,767 characters at most.
pub(super) const MAX_RUN: u64 = 16 << 20;

/// Passes a worksheet's XML through, failing (with [`std::io::ErrorKind::FileTooLarge`])
/// once more than [`MAX_RUN`] bytes come without a `<`.
pub(super) struct RunLimit<R> {
    inner: R,
    /// Bytes since the last `<`.
    run: u64,
}

impl<R> RunLimit<R> {
    pub(super) fn new(inner: R) -> Self {
        RunLimit { inner, run: 0 }
    }
}

impl<R: std::io::Read> std::io::Read for RunLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = &buf[..n];
        // A run inside one read is shorter than the read; only the runs that
        // span reads can grow past the bound.
        self.run = match (memchr::memchr(b'<', read), memchr::memrchr(b'<', read)) {
            (Some(first), Some(last)) => {
                if self.run + first as u64 > MAX_RUN {
                    return Err(std::io::ErrorKind::FileTooLarge.into());
                }
                (n - 1 - last) as u64
            }
            _ => self.run + n as u64,
        };
        if self.run > MAX_RUN {
            return Err(std::io::ErrorKind::FileTooLarge.into());
        }
        Ok(n)
    }
}

/// Whether an I/O error is [`RunLimit`]'s.
pub(super) fn is_long_run(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::FileTooLarge
}

/// A worksheet's name, whether it is shown, and whether it is a worksheet (not a
/// chart sheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SheetInfo {
    pub name: String,
    pub visible: bool,
    pub worksheet: bool,
}

/// Builds a [`Grid`] cell by cell, in row order, within the bounds.
#[derive(Default)]
pub(super) struct GridBuilder {
    grid: Grid,
    /// The row and column of the last cell kept.
    last: Option<(u64, u32)>,
}

impl GridBuilder {
    /// Adds the cell at `row` and `col` (both from 0); empty text is no cell. Cells
    /// come in row order, each row's from left to right.
    pub(super) fn push(&mut self, row: u64, col: u32, text: &str) -> Result<(), Bound> {
        if text.is_empty() {
            return Ok(());
        }
        let g = &mut self.grid;
        match self.last {
            Some((r, c)) if row < r || (row == r && col <= c) => return Err(Bound::Order),
            Some((r, _)) if row == r => {}
            _ => {
                let start = u32::try_from(g.cells.len()).map_err(|_| Bound::Cells)?;
                let line = u32::try_from(row + 1).map_err(|_| Bound::Area)?;
                g.rows.push((line, start));
            }
        }
        self.last = Some((row, col));
        if g.cells.len() >= MAX_CELLS {
            return Err(Bound::Cells);
        }
        if g.text.len() + text.len() > MAX_TEXT {
            return Err(Bound::Text);
        }
        g.width = g.width.max(col as usize + 1);
        if g.rows.len() as u64 * g.width as u64 > MAX_AREA {
            return Err(Bound::Area);
        }
        g.text.push_str(text);
        g.cells.push((col, g.text.len() as u32));
        Ok(())
    }

    /// The grid, its rows to be handed out from the first.
    pub(super) fn finish(self) -> Grid {
        self.grid
    }
}

/// A worksheet's cells with text, held compactly.
#[derive(Debug, Default)]
pub(super) struct Grid {
    /// The text of every cell, one after another.
    text: String,
    /// Per cell: its column (from 0), and where its text ends in `text`.
    cells: Vec<(u32, u32)>,
    /// Per row with a cell: its number as the spreadsheet shows it, and where its
    /// cells start in `cells`.
    rows: Vec<(u32, u32)>,
    /// Columns from A to the last with a cell: every row is handed on this wide.
    width: usize,
    /// The next row to hand out.
    next: usize,
}

impl Grid {
    /// The cells of row `i` (an index into `rows`): (column, text).
    fn row(&self, i: usize) -> impl Iterator<Item = (usize, &str)> {
        let start = self.rows[i].1 as usize;
        let end = self
            .rows
            .get(i + 1)
            .map_or(self.cells.len(), |r| r.1 as usize);
        let from = |k: usize| {
            if k == 0 {
                0
            } else {
                self.cells[k - 1].1 as usize
            }
        };
        (start..end).map(move |k| {
            let (col, to) = self.cells[k];
            (col as usize, &self.text[from(k)..to as usize])
        })
    }

    /// The next row into `record`, as wide as the grid, with its number; `None`
    /// after the last.
    pub(super) fn next_into(&mut self, record: &mut StringRecord) -> Option<u64> {
        let i = self.next;
        let line = u64::from(self.rows.get(i)?.0);
        self.next += 1;
        record.clear();
        let mut col = 0;
        for (c, text) in self.row(i) {
            while col < c {
                record.push_field("");
                col += 1;
            }
            record.push_field(text);
            col += 1;
        }
        while col < self.width {
            record.push_field("");
            col += 1;
        }
        Some(line)
    }

    /// The cells in column `col` of the rows not handed out yet.
    pub(super) fn column_ahead(&self, col: usize) -> impl Iterator<Item = &str> {
        (self.next..self.rows.len())
            .filter_map(move |i| self.row(i).find(|(c, _)| *c == col).map(|(_, t)| t))
    }
}

/// A number as a spreadsheet shows it: whole numbers without a needless `.0`.
pub(super) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_keeps_only_cells_with_text_and_hands_rows_on_full_width() {
        let mut b = GridBuilder::default();
        b.push(0, 0, "a").unwrap();
        b.push(0, 2, "c").unwrap();
        b.push(0, 3, "").unwrap();
        b.push(999_999, 4, "far").unwrap();
        assert_eq!(b.push(5, 0, "back"), Err(Bound::Order));
        let mut g = b.finish();
        assert_eq!(g.cells.len(), 3);
        assert_eq!(g.column_ahead(4).collect::<Vec<_>>(), ["far"]);
        let mut r = StringRecord::new();
        assert_eq!(g.next_into(&mut r), Some(1));
        assert_eq!(r.iter().collect::<Vec<_>>(), ["a", "", "c", "", ""]);
        assert_eq!(g.next_into(&mut r), Some(1_000_000));
        assert_eq!(r.iter().collect::<Vec<_>>(), ["", "", "", "", "far"]);
        assert_eq!(g.next_into(&mut r), None);
    }

    #[test]
    fn a_run_without_markup_stops_past_its_bound_however_it_is_read() {
        use std::io::Read;
        let run = usize::try_from(MAX_RUN).unwrap();
        // Counted from the byte after a `<`: `a>` and the text, up to the next.
        let ok = format!("<a>{}<b>{}", "x".repeat(run - 2), "y".repeat(run - 2));
        let long = format!("<a>{}<b>", "x".repeat(run - 1));
        let tail = format!("<a>{}", "y".repeat(run - 1));
        for chunk in [1000, 8192, 1 << 20] {
            let read = |text: &str| {
                let mut r = RunLimit::new(text.as_bytes());
                let mut buf = vec![0; chunk];
                loop {
                    match r.read(&mut buf) {
                        Ok(0) => return Ok(()),
                        Ok(_) => {}
                        Err(e) => return Err(is_long_run(&e)),
                    }
                }
            };
            assert_eq!(read(&ok), Ok(()), "chunks of {chunk}");
            assert_eq!(read(&long), Err(true), "chunks of {chunk}");
            assert_eq!(read(&tail), Err(true), "chunks of {chunk}");
        }
    }

    #[test]
    fn a_grid_stops_at_its_bounds() {
        let mut b = GridBuilder::default();
        let long = "x".repeat(MAX_TEXT / 2 + 1);
        b.push(0, 0, &long).unwrap();
        assert_eq!(b.push(1, 0, &long), Err(Bound::Text));
        let mut b = GridBuilder::default();
        b.push(0, 16_383, "wide").unwrap();
        let rows = MAX_AREA / 16_384;
        for r in 1..rows {
            b.push(r, 0, "x").unwrap();
        }
        assert_eq!(b.push(rows, 0, "x"), Err(Bound::Area));
    }
}
