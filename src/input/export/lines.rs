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
/// of any blank lines the reader skipped after it. (Files whose lines end in a bare
/// CR, from very old Macs, count as one line.)
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
}

impl<R> Lines<R> {
    /// Reads `head` (already read from `inner`), then the rest of `inner`.
    pub(super) fn new(head: Vec<u8>, inner: R) -> Self {
        Lines {
            head: std::io::Cursor::new(head),
            inner,
            offset: 0,
            last: 0,
            newlines: VecDeque::new(),
            passed: 0,
            last_newline: None,
        }
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
        let n = match self.head.read(buf)? {
            0 => self.inner.read(buf)?,
            n => n,
        };
        let read = &buf[..n];
        let base = self.offset;
        let last = self.last;
        self.newlines
            .extend(memchr::memchr_iter(b'\n', read).map(|i| {
                let before = if i == 0 { last } else { read[i - 1] };
                (base + i as u64, before == b'\r')
            }));
        if let Some(&b) = read.last() {
            self.last = b;
        }
        self.offset += n as u64;
        Ok(n)
    }
}
