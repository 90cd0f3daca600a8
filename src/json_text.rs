//! Rubric texts (ids, improve texts) as JSON strings, escaped once per thread and
//! then copied: most of a JSON row's bytes are the rubric's own texts, and escaping
//! them anew for every row cost about a quarter of writing it. Used through
//! `#[serde(serialize_with)]` on the fields of the result types that borrow a
//! rubric's text; the bytes are those `serde_json` writes for the plain string.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// How many texts a thread keeps before it starts again (a rubric has a few
/// hundred; a process that loads many rubrics does not grow without end).
const KEEP: usize = 1 << 12;

/// A text's JSON form, by where the text lives and how long it is, with the text
/// itself: a text at the same place with the same content is written from it.
type Escaped = HashMap<(usize, usize), (Box<str>, Box<RawValue>), BuildHasherDefault<Mix>>;

thread_local! {
    static ESCAPED: RefCell<Escaped> = RefCell::new(Escaped::default());
}

/// Writes `text` as a JSON string, from this thread's escaped copy when it has one.
pub(crate) fn text<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    ESCAPED.with_borrow_mut(|escaped| {
        let key = (text.as_ptr() as usize, text.len());
        match escaped.get(&key) {
            Some((raw, json)) if **raw == *text => return json.serialize(s),
            _ => {}
        }
        let Ok(json) = serde_json::value::to_raw_value(text) else {
            return s.serialize_str(text);
        };
        if escaped.len() >= KEEP {
            escaped.clear();
        }
        let (_, json) = escaped
            .entry(key)
            .insert_entry((text.into(), json))
            .into_mut();
        json.serialize(s)
    })
}

/// [`text`] for an optional text.
pub(crate) fn option<S: Serializer>(value: &Option<&str>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(t) => text(t, s),
        None => s.serialize_none(),
    }
}

/// [`text`] for a text borrowed from the rubric; one made for this sheet (a
/// joined text) is escaped as it is.
// `serialize_with` hands over a reference to the field's type, so `&Cow`.
#[allow(clippy::ptr_arg)]
pub(crate) fn cow<S: Serializer>(value: &std::borrow::Cow<str>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        std::borrow::Cow::Borrowed(t) => text(t, s),
        std::borrow::Cow::Owned(t) => s.serialize_str(t),
    }
}

/// [`text`] for each text of a list.
pub(crate) fn list<S: Serializer>(texts: &[&str], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(texts.iter().map(|t| Text(t)))
}

/// A rubric text that serializes through [`text`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Text<'a>(pub(crate) &'a str);

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        text(self.0, s)
    }
}

/// A hasher for the keys above (two words: an address and a length), far
/// cheaper than the default one; the keys are not chosen by an adversary.
#[derive(Default)]
struct Mix(u64);

impl Hasher for Mix {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value with every kind of field written through [`text`].
    #[derive(Serialize)]
    struct Row<'a> {
        #[serde(serialize_with = "text")]
        id: &'a str,
        #[serde(serialize_with = "option")]
        action: Option<&'a str>,
        #[serde(serialize_with = "option")]
        none: Option<&'a str>,
        #[serde(serialize_with = "list")]
        ids: Vec<&'a str>,
    }

    /// The same value with plain strings.
    #[derive(Serialize)]
    struct Plain<'a> {
        id: &'a str,
        action: Option<&'a str>,
        none: Option<&'a str>,
        ids: Vec<&'a str>,
    }

    #[test]
    fn texts_are_written_as_serde_json_writes_them_every_time() {
        let texts = [
            "plain-id",
            "quote \" backslash \\ tab \t newline \n",
            "\u{1b}[31m control \u{7f} and unicode é ✓",
            "",
        ];
        let mut changed = texts.map(String::from);
        for round in 0..3 {
            for (i, t) in texts.iter().enumerate() {
                // The same place holding another text (same length, changed in
                // place), the second time round.
                if round == 1 {
                    changed[i].make_ascii_uppercase();
                }
                let t2 = changed[i].as_str();
                let row = Row {
                    id: t,
                    action: Some(t2),
                    none: None,
                    ids: vec![t, t2, t],
                };
                let plain = Plain {
                    id: t,
                    action: Some(t2),
                    none: None,
                    ids: vec![t, t2, t],
                };
                assert_eq!(
                    serde_json::to_string(&row).unwrap(),
                    serde_json::to_string(&plain).unwrap()
                );
                assert_eq!(
                    serde_json::to_string_pretty(&row).unwrap(),
                    serde_json::to_string_pretty(&plain).unwrap()
                );
            }
        }
    }
}
