//! Rubric texts (ids, improve texts) as JSON strings, escaped once per thread and
//! then copied: most of a JSON row's bytes are the rubric's own texts, and escaping
//! them anew for every row cost more than scoring the sheet. Used through
//! `#[serde(serialize_with)]` on the fields of the result types that borrow a
//! rubric's text; the bytes are those `serde_json` writes for the plain string.

use std::cell::RefCell;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// How many texts a thread keeps (a rubric has a few hundred).
const SLOTS: usize = 1 << 12;

/// Where a text lives, the text, and its JSON form.
type Slot = Option<(usize, Box<str>, Box<RawValue>)>;

thread_local! {
    /// Texts this thread wrote, by where they live: a text at the same place with
    /// the same content is written again from its JSON form.
    static ESCAPED: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
}

/// Writes `text` as a JSON string, from this thread's escaped copy when it has one.
pub fn text<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    let at = text.as_ptr() as usize;
    let slot = ((at ^ text.len()).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 52) % SLOTS;
    ESCAPED.with_borrow_mut(|slots| {
        if slots.is_empty() {
            slots.resize_with(SLOTS, || None);
        }
        let known = matches!(&slots[slot], Some((a, raw, _)) if *a == at && **raw == *text);
        if !known {
            match serde_json::value::to_raw_value(text) {
                Ok(json) => slots[slot] = Some((at, text.into(), json)),
                Err(_) => return s.serialize_str(text),
            }
        }
        match &slots[slot] {
            Some((_, _, json)) => json.serialize(s),
            None => s.serialize_str(text),
        }
    })
}

/// [`text`] for an optional text.
pub fn option<S: Serializer>(value: &Option<&str>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(t) => text(t, s),
        None => s.serialize_none(),
    }
}

/// [`text`] for each text of a list.
pub fn list<S: Serializer>(texts: &[&str], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(texts.iter().map(|t| Text(t)))
}

/// A rubric text that serializes through [`text`].
#[derive(Debug, Clone, Copy)]
pub struct Text<'a>(pub &'a str);

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        text(self.0, s)
    }
}
