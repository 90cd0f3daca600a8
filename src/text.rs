//! Texts compared as people mean them: the one normal form in which an export's
//! headers and cells are matched to the rubric's ids, texts and labels, and in which
//! a lint tells two labels apart, a workshop counts roles and a comparison matches
//! names. One definition, so that what the reader matches and what the others
//! compare cannot drift apart.

/// Writes `s` into `out` trimmed, lower-cased, with every run of white space folded
/// to one space, curly quotes and dashes made plain and zero-width characters
/// dropped: the form in which headers and cells are compared. ASCII text takes a
/// fast path.
pub(crate) fn normalise_into(s: &str, out: &mut String) {
    out.clear();
    let mut gap = false;
    if s.is_ascii() {
        for &b in s.as_bytes() {
            if b.is_ascii_whitespace() {
                gap = true;
            } else {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return;
    }
    for c in s.chars() {
        // Typography a word processor or a pasted text brings: folded to the plain
        // forms a rubric is written in, on both sides of every comparison.
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            // Zero-width characters and the soft hyphen: nothing at all.
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}' => continue,
            c => c,
        };
        // Unicode white space: no-break spaces (U+00A0, U+2007, U+202F) included.
        if c.is_whitespace() {
            gap = true;
        } else {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        }
    }
}

/// [`normalise_into`] into a new string.
pub(crate) fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalise_into(s, &mut out);
    out
}

/// A respondent field an export fills from a column of its own, not from a
/// question: the headers the export reader takes for them, and the titles the
/// Google Form and HTML form give their own fields. One list for the reader and for
/// the lint that keeps a question from being titled as one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AboutField {
    Respondent,
    Role,
    Organisation,
}

impl AboutField {
    /// Its name in words (`respondent's name`, `role`, `organisation`).
    pub(crate) fn words(self) -> &'static str {
        match self {
            AboutField::Respondent => "respondent's name",
            AboutField::Role => "role",
            AboutField::Organisation => "organisation",
        }
    }
}

/// The respondent field a header names, the header already [`normalise`]d.
pub(crate) fn about_field(key: &str) -> Option<AboutField> {
    match key {
        "respondent" | "name" => Some(AboutField::Respondent),
        "role" => Some(AboutField::Role),
        "organisation" | "organization" | "company" => Some(AboutField::Organisation),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_fields_are_named_by_their_normalised_headers() {
        for (h, f) in [
            ("Name", AboutField::Respondent),
            ("  RESPONDENT ", AboutField::Respondent),
            ("Role", AboutField::Role),
            ("Organization", AboutField::Organisation),
            ("company", AboutField::Organisation),
        ] {
            assert_eq!(about_field(&normalise(h)), Some(f), "{h}");
        }
        assert_eq!(about_field(&normalise("Your role")), None);
    }
}
