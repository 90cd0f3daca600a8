//! The text encoding of an export, from its first bytes: a byte-order mark decides
//! (UTF-8, UTF-16 LE or BE); without one, UTF-8 when the bytes are valid UTF-8,
//! else Windows-1252, the code page Excel writes "CSV (Comma delimited)" in on
//! Western systems, or Mac Roman, which Excel for Mac writes "CSV (Macintosh)" in,
//! whichever reads more of the rubric's questions in the header and more
//! plausibly (see [`western`]). UTF-8 is read as it comes, untouched; only other
//! encodings go through a decoder.

use std::io::{self, Chain, Cursor, Read};

use encoding_rs::{Encoding, MACINTOSH, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

/// How much is read before deciding, at least (or the whole file if shorter).
const HEAD: usize = 64 * 1024;
/// How much is read at most while looking for the end of the header line.
const HEAD_MAX: usize = 1 << 20;

/// What was read to decide, then the rest, through a decoder to UTF-8.
type Transcoder<R> = DecodeReaderBytes<Chain<Cursor<Vec<u8>>, R>, Vec<u8>>;

/// The input as UTF-8: as it is, or decoded from another encoding.
pub(super) enum Decoded<R: Read> {
    Plain(R),
    Transcoded(Box<Transcoder<R>>),
}

impl<R: Read> Decoded<R> {
    /// `head` (already read from `inner`) and the rest of `inner`, decoded from
    /// `encoding` (a byte-order mark is dropped).
    pub(super) fn transcoded(head: Vec<u8>, inner: R, encoding: &'static Encoding) -> Self {
        let reader = DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            .bom_override(true)
            .build(Cursor::new(head).chain(inner));
        Decoded::Transcoded(Box::new(reader))
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoded::Plain(r) => r.read(buf),
            Decoded::Transcoded(r) => r.read(buf),
        }
    }
}

/// Reads the first bytes of an export: at least 64 KiB (or all of it), and on to
/// the end of its first line that is not blank, up to 1 MiB.
pub(super) fn read_head<R: Read>(reader: &mut R) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    let has_header_line = |head: &[u8]| {
        head.split_inclusive(|&b| b == b'\n' || b == b'\r')
            .any(|l| (l.ends_with(b"\n") || l.ends_with(b"\r")) && !super::sniff::is_blank(l))
    };
    while head.len() < HEAD || (!has_header_line(&head) && head.len() < HEAD_MAX) {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(head)
}

/// The encoding to decode an export from (`None`: UTF-8, read as it is), and
/// whether it was guessed rather than marked or chosen (worth a warning).
pub(super) fn encoding_of(
    head: &[u8],
    chosen: Option<&'static Encoding>,
) -> (Option<&'static Encoding>, bool) {
    if let Some(e) = chosen {
        return ((e != UTF_8).then_some(e), false);
    }
    if head.starts_with(b"\xFF\xFE") {
        return (Some(UTF_16LE), false);
    }
    if head.starts_with(b"\xFE\xFF") {
        return (Some(UTF_16BE), false);
    }
    match std::str::from_utf8(head) {
        Ok(_) => (None, false),
        // Cut in the middle of a character at the end of what was read: valid.
        Err(e) if e.error_len().is_none() => (None, false),
        Err(_) => (Some(WINDOWS_1252), true),
    }
}

/// Of the two single-byte encodings a Western spreadsheet saves CSV in,
/// Windows-1252 and Mac Roman, the one `head` reads better in, and the other.
/// Better: more questions named in the header (`named` counts them in a decoded
/// head), then more plausible letters and punctuation ([`plausibility`]); a tie
/// is Windows-1252's.
pub(super) fn western(
    head: &[u8],
    named: impl Fn(&str) -> usize,
) -> (&'static Encoding, &'static Encoding) {
    let score = |e: &'static Encoding| {
        let text = head_text(head, e);
        (named(&text), plausibility(&text))
    };
    if score(MACINTOSH) > score(WINDOWS_1252) {
        (MACINTOSH, WINDOWS_1252)
    } else {
        (WINDOWS_1252, MACINTOSH)
    }
}

/// How much decoded text reads like Western prose, from its characters outside
/// ASCII next to letters: a lower-case letter inside or after a word (é in
/// "José"), or typographic punctuation after a letter or a space (’ in
/// "organisation’s"), counts for it; a capital right after a lower-case letter
/// (Õ in "organisationÕs", Ÿ in "MŸller") or a symbol inside a word counts
/// against it. The two encodings differ exactly there: the bytes of Mac Roman's
/// accented letters and punctuation are Windows-1252's capitals and symbols.
fn plausibility(text: &str) -> i64 {
    let mut score = 0;
    let mut prev = ' ';
    for c in text.chars() {
        if !c.is_ascii() {
            let after_letter = prev.is_alphabetic();
            let letter = c.is_lowercase() && after_letter;
            let punctuation = "’‘“”–—…".contains(c) && (after_letter || prev == ' ');
            if letter || punctuation {
                score += 1;
            } else if c.is_uppercase() && prev.is_lowercase() {
                score -= 2;
            } else if !c.is_alphanumeric() && !c.is_whitespace() && after_letter {
                score -= 1;
            }
        }
        prev = c;
    }
    score
}

/// The head of an export decoded, for finding its layout.
pub(super) fn head_text(head: &[u8], encoding: &'static Encoding) -> String {
    encoding.decode_with_bom_removal(head).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_decides_and_utf8_is_left_alone() {
        assert_eq!(encoding_of(b"\xFF\xFEa\0", None), (Some(UTF_16LE), false));
        assert_eq!(encoding_of(b"\xFE\xFF\0a", None), (Some(UTF_16BE), false));
        assert_eq!(encoding_of(b"\xEF\xBB\xBFa", None), (None, false));
        assert_eq!(encoding_of("Zoë".as_bytes(), None), (None, false));
        // A character cut at the end of the head is still UTF-8.
        assert_eq!(encoding_of(&"Zoë".as_bytes()[..3], None), (None, false));
        assert_eq!(encoding_of(b"Zo\xEB,x", None), (Some(WINDOWS_1252), true));
        // Chosen: no guess, no warning; UTF-8 chosen reads as it is.
        assert_eq!(
            encoding_of(b"Zo\xEB", Some(WINDOWS_1252)),
            (Some(WINDOWS_1252), false)
        );
        assert_eq!(encoding_of(b"\xFF\xFEa\0", Some(UTF_8)), (None, false));
    }

    #[test]
    fn mac_roman_is_told_from_windows_1252_by_its_punctuation_and_accents() {
        let none = |_: &str| 0;
        // "organisation’s", "José Müller" in Mac Roman: ’ D5, é 8E, ü 9F.
        let mac = b"organisation\xD5s goals,Jos\x8E M\x9Fller\r\n";
        assert_eq!(western(mac, none), (MACINTOSH, WINDOWS_1252));
        // The same in Windows-1252: ’ 92, é E9, ü FC.
        let win = b"organisation\x92s goals,Jos\xE9 M\xFCller\r\n";
        assert_eq!(western(win, none), (WINDOWS_1252, MACINTOSH));
        // Nothing to tell them apart: Windows-1252.
        assert_eq!(western(b"plain,text", none), (WINDOWS_1252, MACINTOSH));
        // Questions named in the header decide first.
        let named = |t: &str| usize::from(t.contains("é"));
        assert_eq!(western(b"caf\x8E,x", named), (MACINTOSH, WINDOWS_1252));
    }

    #[test]
    fn windows_1252_and_utf16_decode_to_utf8() {
        let mut out = String::new();
        Decoded::transcoded(b"Zo\xEB".to_vec(), &b",M\xFCller"[..], WINDOWS_1252)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "Zoë,Müller");
        let utf16: Vec<u8> = [0xFEFFu16]
            .into_iter()
            .chain("é\tx".encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        let (head, rest) = utf16.split_at(3);
        let mut out = String::new();
        Decoded::transcoded(head.to_vec(), rest, UTF_16LE)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "é\tx");
    }
}
