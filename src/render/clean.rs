//! Text from sheets, rubrics and file names made safe to print on a terminal.
//! Cleaning happens where text is printed, never where it is read, so data keeps
//! what was written.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Control characters (but newline and tab) and the bidirectional overrides are
/// written as escapes (`\u{1b}`), so a respondent named with an escape sequence
/// cannot retitle the window, clear the screen or reorder what follows.
pub fn printable(s: &str) -> Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        (c.is_control() && c != '\n' && c != '\t')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    }
    // Fast path, run on every name of a million-row export: printable ASCII.
    let plain = |b: &u8| (0x20..0x7f).contains(b) || *b == b'\n' || *b == b'\t';
    if s.as_bytes().iter().all(plain) || !s.chars().any(unsafe_char) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// [`printable`] for text that must stay on one line (a message on stderr): a
/// newline or carriage return is written as `\n` / `\r` too, so that a value from a
/// sheet cannot start a line of its own, such as a GitHub Actions `::error` command.
pub fn printable_line(s: &str) -> Cow<'_, str> {
    let p = printable(s);
    if !p.contains(['\n', '\r']) {
        return p;
    }
    p.replace('\n', "\\n").replace('\r', "\\r").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_controls_and_bidi_overrides_but_keeps_text() {
        assert!(matches!(printable("Zoë Ng\tx\ny"), Cow::Borrowed(_)));
        assert_eq!(printable("a\u{1b}[2Jb\u{7}"), "a\\u{1b}[2Jb\\u{7}");
        assert_eq!(printable("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(printable("\r\u{9b}"), "\\u{d}\\u{9b}");
        assert_eq!(printable_line("a\n::error::x"), "a\\n::error::x");
        assert_eq!(printable_line("plain"), "plain");
    }
}
