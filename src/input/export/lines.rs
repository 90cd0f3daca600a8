//! Line numbers of an export's rows, as a text editor shows them: the csv reader's
//! own count is off after CRLF line ends, so newlines are tracked as bytes pass.

use std::collections::VecDeque;
use std::io::Read;

/// The input, with the byte offsets of the newlines read through it but not yet
/// passed by a row, each marked when a CR comes just before it.
///
/// The csv reader's own line numbers are one short after a CRLF line end (the
/// usual one in exports): a row's position is taken before the `\n` of the line
/// end before it is consumed. A row's line is therefore worked out here from the
/// newlines at or before the byte where the reader says the row starts, plus those
/// of any blank lines the reader skipped after it. Files whose lines end in a bare
/// CR (classic Mac, Excel for Mac's "CSV (Macintosh)") are numbered as an editor
/// numbers them: by every line break, a CR, an LF (which such a file has inside
/// quoted cells, where Excel writes a line break typed in a cell) or a CRLF
/// counted once.
///
/// It also bounds a row: reading more than [`MAX_ROW`] bytes past the start of the
/// row being read fails, so a file without line ends cannot fill memory.
pub(super) struct Lines<R> {
    /// Bytes read ahead to find the separator, served before `inner`.
    head: std::io::Cursor<Vec<u8>>,
    inner: R,
    offset: u64,
    last: u8,
    newlines: VecDeque<(u64, bool)>,
    /// Newlines at or before the start of the last row asked about.
    passed: u64,
    /// The offset of the last of them.
    last_newline: Option<u64>,
    /// The byte that ends a line: LF, or CR in a bare-CR file (where LF does too).
    eol: u8,
    /// Where the row being read starts.
    row_start: u64,
    /// Set when a row ran past [`MAX_ROW`] bytes.
    pub(super) too_long: bool,
}

/// The longest row read, in bytes: far more than any survey answers take.
pub(super) const MAX_ROW: u64 = 16 * 1024 * 1024;

impl<R> Lines<R> {
    /// Reads `head` (already read from `inner`), then the rest of `inner`; lines
    /// end in a bare CR when `bare_cr`, else in LF or CRLF.
    pub(super) fn new(head: Vec<u8>, inner: R, bare_cr: bool) -> Self {
        Lines {
            head: std::io::Cursor::new(head),
            inner,
            offset: 0,
            last: 0,
            newlines: VecDeque::new(),
            passed: 0,
            last_newline: None,
            eol: if bare_cr { b'\r' } else { b'\n' },
            row_start: 0,
            too_long: false,
        }
    }

    /// The reader is about to read a row that starts at `byte`.
    pub(super) fn row_starts(&mut self, byte: u64) {
        self.row_start = byte;
    }

    /// The line a row starts on, from the byte the reader says it starts at. Rows
    /// must be asked about in file order.
    pub(super) fn line_at(&mut self, byte: u64) -> u64 {
        while let Some(&(at, cr)) = self.newlines.front() {
            // A newline right after the last one (after a CR at most) ends a blank
            // line, which the reader skipped on its way to the row.
            let blank = match self.last_newline {
                Some(prev) => at == prev + 1 || (at == prev + 2 && cr),
                None => at == 0 || (at == 1 && cr),
            };
            if at > byte && !blank {
                break;
            }
            self.newlines.pop_front();
            self.passed += 1;
            self.last_newline = Some(at);
        }
        self.passed + 1
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.offset > self.row_start + MAX_ROW {
            self.too_long = true;
            // Only `too_long` says why: the error itself is never shown.
            return Err(std::io::ErrorKind::FileTooLarge.into());
        }
        let n = match self.head.read(buf)? {
            0 => self.inner.read(buf)?,
            n => n,
        };
        let read = &buf[..n];
        let base = self.offset;
        let last = self.last;
        if self.eol == b'\n' {
            self.newlines
                .extend(memchr::memchr_iter(b'\n', read).map(|i| {
                    let before = if i == 0 { last } else { read[i - 1] };
                    (base + i as u64, before == b'\r')
                }));
        } else {
            // Every break is kept at its last byte, a CRLF marked as LF mode marks it.
            for i in memchr::memchr2_iter(b'\r', b'\n', read) {
                let at = base + i as u64;
                let before = if i == 0 { last } else { read[i - 1] };
                match self.newlines.back_mut() {
                    Some(cr) if read[i] == b'\n' && before == b'\r' && cr.0 + 1 == at => {
                        *cr = (at, true);
                    }
                    _ => self.newlines.push_back((at, false)),
                }
            }
        }
        if let Some(&b) = read.last() {
            self.last = b;
        }
        self.offset += n as u64;
        Ok(n)
    }
}
