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

#[cfg(test)]
mod tests {
    use super::*;

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
