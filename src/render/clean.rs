//! Text from sheets, rubrics and file names made safe to print on a terminal.
//! Cleaning happens where text is printed, never where it is read, so data keeps
//! what was written. Rubric text is data like sheet text: rubrics come from other
//! people's repositories.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a terminal would act on `c` rather than show it, or show nothing for it:
/// control characters (but newline and tab), the bidirectional embeddings,
/// overrides and isolates, and the invisible characters no name or title needs
/// (zero-width space, word joiner, byte-order mark).
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
        || matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}')
}

/// [`unsafe_char`], and every other invisible format character, for text quoted in
/// an error message, where an answer that "looks right" must show why it is not:
/// the joiners and direction marks that belong in some scripts (U+200C..U+200F),
/// the soft hyphen, the Arabic letter mark, the invisible operators.
fn hidden_char(c: char) -> bool {
    unsafe_char(c)
        || matches!(
            c,
            '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200c}'..='\u{200f}' | '\u{2061}'..='\u{2064}'
        )
}

/// Printable ASCII, newline and tab: the fast path, run on every name of a
/// million-row export.
fn plain(s: &str) -> bool {
    // Every byte looked at, without stopping early: the loop vectorises.
    s.bytes().fold(true, |ok, b| {
        ok & ((0x20..0x7f).contains(&b) | (b == b'\n') | (b == b'\t'))
    })
}

fn escaped(s: &str, bad: fn(char) -> bool) -> Cow<'_, str> {
    if plain(s) || !s.chars().any(bad) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Control characters (but newline and tab), the bidirectional overrides and a few
/// invisible characters are written as escapes (`\u{1b}`), so a respondent or a
/// factor title written with an escape sequence cannot retitle the window, clear
/// the screen or reorder what follows.
pub fn printable(s: &str) -> Cow<'_, str> {
    escaped(s, unsafe_char)
}

/// [`printable`] for text that must stay on one line (a message on stderr): a
/// newline or carriage return is written as `\n` / `\r` too, so that a value from a
/// sheet cannot start a line of its own, such as a GitHub Actions `::error` command.
pub fn printable_line(s: &str) -> Cow<'_, str> {
    one_line(printable(s))
}

/// [`printable`] for error messages and the source lines they quote: every
/// invisible format character is escaped as well (a zero-width joiner, a
/// left-to-right mark), so that a value that looks like a valid answer shows why it
/// is not one.
pub fn visible(s: &str) -> Cow<'_, str> {
    escaped(s, hidden_char)
}

/// [`visible`] on one line, as [`printable_line`].
pub fn visible_line(s: &str) -> Cow<'_, str> {
    one_line(visible(s))
}

fn one_line(p: Cow<'_, str>) -> Cow<'_, str> {
    if !p.contains(['\n', '\r']) {
        return p;
    }
    p.replace('\n', "\\n").replace('\r', "\\r").into()
}

/// Cuts every word (a run without white space) longer than `max` characters to
/// `max`, ending it with "…". A table wraps a long word by splitting it again and
/// again, in time that grows with the square of its length; no reader needs the
/// 200,000th character of a title in a terminal.
pub(crate) fn cut_long_words(s: &str, max: usize) -> Cow<'_, str> {
    let max = max.max(2);
    // Fast check: no run of bytes that long, so no run of characters either.
    let mut run = 0;
    let mut long = false;
    for b in s.bytes() {
        run = if b.is_ascii_whitespace() { 0 } else { run + 1 };
        if run > max {
            long = true;
            break;
        }
    }
    if !long {
        return s.into();
    }
    let mut out = String::with_capacity(s.len().min(1 << 16));
    let mut run = 0;
    for c in s.chars() {
        if c.is_whitespace() {
            run = 0;
            out.push(c);
            continue;
        }
        run += 1;
        if run < max {
            out.push(c);
        } else if run == max {
            out.push('…');
        }
    }
    if out.len() == s.len() && out == s {
        return s.into();
    }
    out.into()
}

/// A writer that shows every bidirectional embedding, override and isolate
/// (U+202A..U+202E, U+2066..U+2069) as its escape (`\u{202e}`) instead of passing
/// it on: a note "cost \u{202e}0001 EUR" must not read "cost RUE 1000" in a
/// client's report. The page's own markup holds none, so every one it meets came
/// from a sheet or a rubric. A character split across two writes is held back
/// until its last byte arrives.
pub(crate) struct BidiSafe<'w> {
    out: &'w mut dyn std::io::Write,
    /// The first bytes of a three-byte character that may be one of them.
    held: Vec<u8>,
}

impl<'w> BidiSafe<'w> {
    pub(crate) fn new(out: &'w mut dyn std::io::Write) -> Self {
        BidiSafe {
            out,
            held: Vec::new(),
        }
    }

    /// Writes what is held back (the end of the page).
    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        let held = std::mem::take(&mut self.held);
        self.out.write_all(&held)
    }
}

impl std::io::Write for BidiSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.held);
        bytes.extend_from_slice(buf);
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] != 0xE2 {
                i += 1;
                continue;
            }
            if i + 3 > bytes.len() {
                // Maybe the start of one: wait for the rest.
                self.out.write_all(&bytes[start..i])?;
                self.held = bytes[i..].to_vec();
                return Ok(buf.len());
            }
            let bidi = matches!(
                (bytes[i + 1], bytes[i + 2]),
                (0x80, 0xAA..=0xAE) | (0x81, 0xA6..=0xA9)
            );
            if bidi {
                let c = std::str::from_utf8(&bytes[i..i + 3])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .map_or(0, u32::from);
                self.out.write_all(&bytes[start..i])?;
                write!(self.out, "\\u{{{c:x}}}")?;
                start = i + 3;
            }
            i += if bidi { 3 } else { 1 };
        }
        self.out.write_all(&bytes[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_reach_no_page_whole_or_split() {
        use std::io::Write as _;
        let text = "cost \u{202e}0001 EUR, \u{2066}x\u{2069} \u{e9}t\u{e9} \u{2014}";
        for cut in 0..text.len() {
            let mut out = Vec::new();
            let mut w = BidiSafe::new(&mut out);
            w.write_all(&text.as_bytes()[..cut]).unwrap();
            w.write_all(&text.as_bytes()[cut..]).unwrap();
            w.finish().unwrap();
            let s = String::from_utf8(out).unwrap();
            assert_eq!(
                s, "cost \\u{202e}0001 EUR, \\u{2066}x\\u{2069} \u{e9}t\u{e9} \u{2014}",
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn printable_escapes_controls_and_bidi_overrides_but_keeps_text() {
        assert!(matches!(printable("Zoë Ng\tx\ny"), Cow::Borrowed(_)));
        assert_eq!(printable("a\u{1b}[2Jb\u{7}"), "a\\u{1b}[2Jb\\u{7}");
        assert_eq!(printable("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(printable("\r\u{9b}"), "\\u{d}\\u{9b}");
        assert_eq!(printable("\u{b}\u{c}"), "\\u{b}\\u{c}");
        assert_eq!(printable_line("a\n::error::x"), "a\\n::error::x");
        assert_eq!(printable_line("plain"), "plain");
    }

    #[test]
    fn invisible_characters_are_escaped_where_they_hide_a_difference() {
        // Everywhere: the zero-width space, word joiner and byte-order mark.
        assert_eq!(printable("a\u{200b}b"), "a\\u{200b}b");
        assert_eq!(printable("\u{feff}x\u{2060}"), "\\u{feff}x\\u{2060}");
        // A joiner belongs in some names and emoji: kept in names, shown in errors.
        assert_eq!(printable("\u{1f468}\u{200d}\u{1f469}"), "👨\u{200d}👩");
        assert_eq!(visible("yes\u{200d}"), "yes\\u{200d}");
        assert_eq!(
            visible("a\u{200e}\u{200f}\u{ad}"),
            "a\\u{200e}\\u{200f}\\u{ad}"
        );
        assert_eq!(visible_line("x\u{200b}\ny"), "x\\u{200b}\\ny");
        assert!(matches!(visible("Zoë"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_words_are_cut_with_an_ellipsis() {
        assert!(matches!(
            cut_long_words("short words only", 5),
            Cow::Borrowed(_)
        ));
        assert_eq!(cut_long_words("ab abcdefgh abc", 5), "ab abcd… abc");
        assert_eq!(cut_long_words("abcde", 5), "abcde");
        assert_eq!(cut_long_words("ééééééé\nx", 4), "ééé…\nx");
        let long = "W".repeat(200_000);
        let cut = cut_long_words(&long, 80);
        assert_eq!(cut.chars().count(), 80);
        assert!(cut.ends_with('…'));
    }
}
