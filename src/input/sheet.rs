//! Answer sheets: one respondent's answers, read from TOML or JSON and resolved
//! against a rubric into the option indexes that scoring works on.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::{
    InputError, ParseNote, Seg, SheetFault, TomlMap, from_json_error, from_toml_error,
    json_key_line,
};
use crate::input::date::SheetDate;
use crate::input::warning::Warning;
use crate::origin::Origin;
use crate::rubric::{Band, LoadedRubric};

/// One respondent's answers, as written in a sheet file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Sheet {
    /// Id of the rubric this sheet answers.
    pub rubric: String,
    /// Version of the rubric the sheet was filled against; a mismatch is a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric_version: Option<String>,
    /// When the assessment was made: a TOML date (`2026-11-25`) or, in JSON, the
    /// string `"2026-11-25"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<SheetDate>,
    /// Who answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondent: Option<String>,
    /// The respondent's role (sponsor, pm, finance...), compared by `workshop`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The organisation assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Question id = option id; a missing question is unanswered.
    #[serde(default, deserialize_with = "unique_keys")]
    pub answers: IndexMap<String, String>,
    /// Free-text evidence per question id.
    #[serde(
        default,
        skip_serializing_if = "IndexMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub notes: IndexMap<String, String>,
    /// What `check` expects of this sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
}

/// JSON that keeps the order of an object's keys as written (`serde_json::Value`
/// sorts them), for [`Sheet::to_json_over`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum OrderedJson {
    Object(IndexMap<String, OrderedJson>),
    Array(Vec<OrderedJson>),
    Other(serde_json::Value),
}

impl OrderedJson {
    /// `new`, its objects' keys in this one's order where both have them.
    fn ordering(self, new: OrderedJson) -> OrderedJson {
        match (self, new) {
            (OrderedJson::Object(old), OrderedJson::Object(mut new)) => {
                let mut out = IndexMap::with_capacity(new.len());
                for (key, value) in old {
                    if let Some(fresh) = new.shift_remove(&key) {
                        out.insert(key, value.ordering(fresh));
                    }
                }
                out.extend(new);
                OrderedJson::Object(out)
            }
            (_, new) => new,
        }
    }
}

/// Expectations read by `check`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Expect {
    /// The recommendation (after gates) the sheet must get.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<Band>,
    /// The smallest acceptable margin, in index points (0 to 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 100.0))]
    pub min_margin: Option<f64>,
}

/// The most keys, tables and arrays a TOML sheet may hold, and the most answers
/// or notes a JSON sheet may: a real sheet has one answer and one note per
/// question. Parsing costs hundreds of bytes for each (a table nested in a dotted
/// key, an empty inline table), so a 4 MiB sheet of nothing else would take
/// hundreds of MB to refuse; this bound refuses it after one pass over the text.
pub(crate) const MAX_SHEET_ITEMS: usize = 10_000;

/// The error of a sheet with more than [`MAX_SHEET_ITEMS`].
fn too_many_items(source: &Origin) -> InputError {
    InputError::new(
        source,
        SheetFault::TooManyItems {
            most: MAX_SHEET_ITEMS,
        },
    )
}

/// Whether a TOML text holds more than [`MAX_SHEET_ITEMS`] keys, key parts, tables
/// and arrays, counted outside strings and comments (a dotted key `a.b.c = 1`
/// counts three; `[x]` and `{}` one each). One pass, no allocation.
fn over_items(text: &str) -> bool {
    let b = text.as_bytes();
    let (mut i, mut items, mut key) = (0, 0usize, true);
    while i < b.len() {
        match b[i] {
            b'#' => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
                continue;
            }
            q @ (b'"' | b'\'') => {
                i = string_end(b, i, q);
                continue;
            }
            b'\n' | b',' => key = true,
            b'=' => {
                key = false;
                items += 1;
            }
            b'[' | b'{' => {
                key = b[i] == b'{' || key;
                items += 1;
            }
            b'.' if key => items += 1,
            _ => {}
        }
        if items > MAX_SHEET_ITEMS {
            return true;
        }
        i += 1;
    }
    false
}

/// The index just past the TOML string opened by the quote `q` at `start`: basic
/// (`"`, backslash escapes) or literal (`'`), on one line or in triple quotes.
fn string_end(b: &[u8], start: usize, q: u8) -> usize {
    let triple = b[start..].starts_with(&[q, q, q]);
    let mut i = start + if triple { 3 } else { 1 };
    while i < b.len() {
        match b[i] {
            b'\\' if q == b'"' => i += 1,
            b'\n' if !triple => return i,
            c if c == q && (!triple || b[i..].starts_with(&[q, q, q])) => {
                return i + if triple { 3 } else { 1 };
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// A string map that refuses a key given twice. TOML refuses it while parsing; JSON
/// does not, and a map would silently keep the last answer.
fn unique_keys<'de, D>(de: D) -> Result<IndexMap<String, String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Unique;
    impl<'de> serde::de::Visitor<'de> for Unique {
        type Value = IndexMap<String, String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "{}", ParseNote::AnswerMap)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = IndexMap::new();
            while let Some((k, v)) = map.next_entry::<String, String>()? {
                if out.len() == MAX_SHEET_ITEMS {
                    return Err(serde::de::Error::custom(ParseNote::TooManyEntries {
                        most: MAX_SHEET_ITEMS,
                    }));
                }
                if out.contains_key(&k) {
                    return Err(serde::de::Error::custom(ParseNote::AnsweredTwice {
                        question: k,
                    }));
                }
                out.insert(k, v);
            }
            Ok(out)
        }
    }
    de.deserialize_map(Unique)
}

/// The file formats a sheet can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    /// A TOML sheet (what `interview` writes).
    Toml,
    /// A JSON sheet.
    Json,
    /// A survey export: one sheet per row (see [`crate::input::export`]).
    Csv,
}

/// A sheet resolved against a rubric: the chosen option of each question.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedSheet {
    /// Where it came from: a file, stdin, or a row of an export.
    pub source: Origin,
    /// The sheet as read: who answered, and the answers by id.
    pub sheet: Sheet,
    /// Per rubric question, the index of the chosen option.
    pub choices: Vec<Option<usize>>,
    /// The questions answered "don't know" (by index, in rubric order): they count
    /// nowhere, like a skipped question, but are reported apart.
    pub unknown: Vec<usize>,
    /// Non-fatal remarks (a rubric-version mismatch).
    pub warnings: Vec<Warning>,
    /// The format it was read in.
    pub format: SheetFormat,
    /// The text of a sheet file (not of a row of an export), so that `check` can
    /// point at the line of an expectation without reading the file again.
    pub text: Option<String>,
}

impl Sheet {
    /// Parses sheet text in the given format.
    pub fn parse(source: &Origin, text: &str, format: SheetFormat) -> Result<Sheet, InputError> {
        match format {
            SheetFormat::Toml if over_items(text) => Err(too_many_items(source)),
            SheetFormat::Toml => toml::from_str(text).map_err(|e| {
                let mut ie = from_toml_error(source, text, &e);
                // A date that is not a day (2026-02-30) fails while parsing, where
                // no key is known yet: name it from its line.
                if ie.key.is_none() && ie.line.is_some_and(|l| is_top_level_date(text, l)) {
                    ie.key = Some("date".into());
                }
                ie
            }),
            SheetFormat::Json => {
                let de = &mut serde_json::Deserializer::from_str(text);
                let sheet = serde_path_to_error::deserialize(&mut *de)
                    .map_err(|e| from_json_error(source, e))?;
                // Anything after the closing brace is an error, not a comment.
                de.end().map_err(|e| {
                    let mut ie = InputError::new(source, SheetFault::TrailingText);
                    ie.line = Some(e.line());
                    ie.column = Some(e.column());
                    ie
                })?;
                Ok(sheet)
            }
            SheetFormat::Csv => Err(InputError::new(source, SheetFault::CsvHasNoKeys)),
        }
    }

    /// Writes the sheet as TOML (used by the interview), `date` as a TOML date.
    pub fn to_toml(&self) -> String {
        let view = TomlSheet {
            rubric: &self.rubric,
            rubric_version: self.rubric_version.as_deref(),
            date: self.date.map(SheetDate::to_toml),
            respondent: self.respondent.as_deref(),
            role: self.role.as_deref(),
            organisation: self.organisation.as_deref(),
            answers: &self.answers,
            notes: &self.notes,
            expect: self.expect.as_ref(),
        };
        toml::to_string(&view).unwrap_or_default()
    }

    /// Writes the sheet into `original` (the TOML document it was resumed from),
    /// changing only values: comments (a `#:schema` line, `init`'s question list, a
    /// consultant's own), key order and formatting stay as they were. An answer the
    /// sheet no longer has becomes `""` (skipped) where its key was; a new one goes
    /// at the end of `[answers]`. `date` is set as a TOML date. Notes are the
    /// sheet's: a changed one is rewritten in place, a new one added at the end of
    /// `[notes]`, one the sheet no longer has removed. Expectations are left as
    /// written.
    pub fn to_toml_over(&self, original: &toml_edit::DocumentMut) -> String {
        let mut doc = original.clone();
        let root = doc.as_table_mut();
        set_str(root, "rubric", &self.rubric);
        let who = [
            ("rubric-version", &self.rubric_version),
            ("respondent", &self.respondent),
            ("role", &self.role),
            ("organisation", &self.organisation),
        ];
        for (key, value) in who {
            if let Some(v) = value {
                set_str(root, key, v);
            }
        }
        let answers = root
            .entry("answers")
            .or_insert_with(toml_edit::table)
            .as_table_like_mut();
        let Some(answers) = answers else {
            // `answers` that is not a table cannot have been read as a sheet.
            return self.to_toml();
        };
        let keys: Vec<String> = answers.iter().map(|(k, _)| k.to_string()).collect();
        for key in keys {
            let answer = self.answers.get(&key).map_or("", String::as_str);
            set_str(answers, &key, answer);
        }
        for (key, answer) in &self.answers {
            if !answers.contains_key(key) {
                answers.insert(key, toml_edit::value(answer.as_str()));
            }
        }
        if let Some(date) = self.date {
            set_value(doc.as_table_mut(), "date", date.to_toml().into());
        }
        self.notes_over(doc.as_table_mut());
        doc.to_string()
    }

    /// The sheet as pretty JSON in the key order of `original` (the JSON text it
    /// was resumed from): a key keeps its place, in `answers` and `notes` too; a
    /// key the sheet no longer has goes, a new one comes after the others. `None`
    /// when `original` is not a JSON object.
    pub fn to_json_over(&self, original: &str) -> Option<String> {
        let old: OrderedJson = serde_json::from_str(original).ok()?;
        let new: OrderedJson = serde_json::from_str(&serde_json::to_string(self).ok()?).ok()?;
        if !matches!(old, OrderedJson::Object(_)) {
            return None;
        }
        let mut text = serde_json::to_string_pretty(&old.ordering(new)).ok()?;
        text.push('\n');
        Some(text)
    }

    /// Writes the sheet's notes into the document's `[notes]` (see `to_toml_over`).
    fn notes_over(&self, root: &mut toml_edit::Table) {
        if self.notes.is_empty() && !root.contains_key("notes") {
            return;
        }
        let Some(notes) = root
            .entry("notes")
            .or_insert_with(toml_edit::table)
            .as_table_like_mut()
        else {
            return;
        };
        let gone: Vec<String> = notes
            .iter()
            .map(|(k, _)| k.to_string())
            .filter(|k| !self.notes.contains_key(k))
            .collect();
        for key in gone {
            notes.remove(&key);
        }
        for (key, note) in &self.notes {
            set_str(notes, key, note);
        }
    }
}

/// Sets `key` to the string `value`, keeping the spaces and comment around the
/// old value; adds the key when it is missing.
fn set_str(table: &mut dyn toml_edit::TableLike, key: &str, value: &str) {
    match table.get_mut(key).and_then(toml_edit::Item::as_value_mut) {
        Some(v) if v.as_str() == Some(value) => {}
        Some(v) => {
            let decor = v.decor().clone();
            *v = toml_edit::Value::from(value);
            *v.decor_mut() = decor;
        }
        None => {
            table.insert(key, toml_edit::value(value));
        }
    }
}

/// Sets `key` to `value` (any TOML value), as [`set_str`] does.
fn set_value(table: &mut dyn toml_edit::TableLike, key: &str, value: toml_edit::Value) {
    match table.get_mut(key).and_then(toml_edit::Item::as_value_mut) {
        Some(v) => {
            let decor = v.decor().clone();
            *v = value;
            *v.decor_mut() = decor;
        }
        None => {
            table.insert(key, toml_edit::Item::Value(value));
        }
    }
}

/// A [`Sheet`] as TOML writes it: the same keys in the same order, with `date` a
/// TOML date (serde's own `Sheet` writes it as a string, as JSON wants).
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct TomlSheet<'a> {
    rubric: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rubric_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    respondent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organisation: Option<&'a str>,
    answers: &'a IndexMap<String, String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    notes: &'a IndexMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expect: Option<&'a Expect>,
}

/// Whether line `line` (1-based) of TOML text sets the top-level `date` key.
fn is_top_level_date(text: &str, line: usize) -> bool {
    let mut lines = text.lines();
    let before_table = lines
        .by_ref()
        .take(line.saturating_sub(1))
        .all(|l| !l.trim_start().starts_with('['));
    let Some(at) = lines.next() else { return false };
    let key = at.split('=').next().unwrap_or("").trim();
    before_table && at.contains('=') && matches!(key, "date" | "\"date\"" | "'date'")
}

/// Points an error about `section.key` of a sheet at its line (at the key itself
/// when `at_key`, else at its value).
fn locate(
    e: InputError,
    text: &str,
    format: SheetFormat,
    section: &str,
    key: &str,
    at_key: bool,
) -> InputError {
    match format {
        SheetFormat::Toml => {
            let path = [Seg::Key(section.into()), Seg::Key(key.into())];
            match TomlMap::parse(text)
                .and_then(|m| m.span(&path[..if key.is_empty() { 1 } else { 2 }], at_key))
            {
                Some(span) => e.at(text, span),
                None => e,
            }
        }
        SheetFormat::Json => {
            let line = if key.is_empty() {
                json_key_line(text, section, section)
            } else {
                json_key_line(text, section, key)
            };
            match line {
                Some(l) => e.at_line(l),
                None => e,
            }
        }
        SheetFormat::Csv => e,
    }
}

/// The chosen option of each rubric question; an unknown question or option is
/// an error at its key, as `(error, section, key, at_key)`.
/// A sheet's answers by index: each question's chosen option, and the questions
/// answered "don't know".
type Resolved = (Vec<Option<usize>>, Vec<usize>);

fn resolve_answers(
    rubric: &LoadedRubric,
    source: &Origin,
    answers: &IndexMap<String, String>,
) -> Result<Resolved, (InputError, String, bool)> {
    let r = &rubric.rubric;
    let mut choices = vec![None; r.question.len()];
    let mut unknown = Vec::new();
    for (qid, oid) in answers {
        let key = format!("answers.{qid}");
        // A blank sheet from `init` has every key with an empty value: unanswered.
        let oid = oid.trim();
        let Some(qi) = rubric.question(qid) else {
            let question = qid.clone();
            let e = InputError::new(source, SheetFault::UnknownQuestion { question }).with_key(key);
            return Err((e, qid.clone(), true));
        };
        let q = &r.question[qi];
        match q.option.iter().position(|o| o.id == oid) {
            _ if oid.is_empty() => {}
            _ if oid == crate::rubric::DONT_KNOW => unknown.push(qi),
            Some(oi) => choices[qi] = Some(oi),
            None => {
                let fault = SheetFault::UnknownOption {
                    question: qid.clone(),
                    option: oid.to_string(),
                    valid: q.option.iter().map(|o| o.id.clone()).collect(),
                };
                let e = InputError::new(source, fault).with_key(key);
                return Err((e, qid.clone(), false));
            }
        }
    }
    unknown.sort_unstable();
    Ok((choices, unknown))
}

/// An expected margin that is not a distance on the index.
fn bad_min_margin(source: &Origin, sheet: &Sheet) -> Option<InputError> {
    let m = sheet.expect.as_ref().and_then(|x| x.min_margin)?;
    if (0.0..=100.0).contains(&m) {
        return None;
    }
    Some(InputError::new(source, SheetFault::MinMargin { found: m }).with_key("expect.min-margin"))
}

/// Resolves a parsed sheet against the rubric. `text` and `format` are used to
/// point errors at a line, and kept for `check` to do the same.
pub(crate) fn resolve(
    rubric: &LoadedRubric,
    source: &Origin,
    mut sheet: Sheet,
    text: &str,
    format: SheetFormat,
) -> Result<ResolvedSheet, InputError> {
    let at = |e, section: &str, key: &str, at_key| locate(e, text, format, section, key, at_key);
    let r = &rubric.rubric;
    if sheet.rubric != r.id {
        let fault = SheetFault::OtherRubric {
            sheet: sheet.rubric.clone(),
            rubric: r.id.clone(),
        };
        let e = InputError::new(source, fault).with_key("rubric");
        return Err(at(e, "rubric", "", false));
    }
    let (choices, unknown) = resolve_answers(rubric, source, &sheet.answers)
        .map_err(|(e, qid, at_key)| at(e, "answers", &qid, at_key))?;
    if let Some(qid) = sheet.notes.keys().find(|q| rubric.question(q).is_none()) {
        let question = qid.clone();
        let e = InputError::new(source, SheetFault::NoteForUnknownQuestion { question })
            .with_key(format!("notes.{qid}"));
        return Err(at(e, "notes", qid, true));
    }
    if let Some(e) = bad_min_margin(source, &sheet) {
        return Err(at(e, "expect", "min-margin", false));
    }
    for field in [
        &mut sheet.respondent,
        &mut sheet.role,
        &mut sheet.organisation,
    ] {
        if field.as_deref().is_some_and(|s| s.trim().is_empty()) {
            *field = None;
        }
    }
    let mut warnings = Vec::new();
    // An empty version says nothing, as if none were given.
    if let Some(v) = &sheet.rubric_version
        && !v.trim().is_empty()
        && *v != r.version
    {
        warnings.push(Warning::Version {
            origin: source.clone(),
            sheet: v.clone(),
            rubric: r.version.clone(),
        });
    }
    Ok(ResolvedSheet {
        source: source.clone(),
        sheet,
        choices,
        unknown,
        warnings,
        format,
        text: (format != SheetFormat::Csv).then(|| text.to_string()),
    })
}

/// Parses and resolves TOML or JSON sheet text in one step (an export, even of one
/// row, is read by [`crate::input::export`]).
pub fn load_text(
    rubric: &LoadedRubric,
    source: impl Into<Origin>,
    text: &str,
    format: SheetFormat,
) -> Result<ResolvedSheet, InputError> {
    let source = source.into();
    let sheet = Sheet::parse(&source, text, format)?;
    resolve(rubric, &source, sheet, text, format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Fault;

    fn rubric() -> LoadedRubric {
        crate::testing::v2()
    }

    #[test]
    fn unknown_option_lists_valid_ones_and_points_at_line() {
        let r = rubric();
        let q = &r.rubric.question[0];
        let text = format!("rubric = \"pmo-vmo\"\n[answers]\n{} = \"nope\"\n", q.id);
        let e = load_text(&r, "s.toml", &text, SheetFormat::Toml).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(e.key.as_deref(), Some(format!("answers.{}", q.id).as_str()));
        assert!(
            matches!(&e.kind, Fault::Sheet(SheetFault::UnknownOption { valid, .. })
                if valid.contains(&q.option[0].id)),
            "{e:?}"
        );
    }

    #[test]
    fn json_sheet_resolves_and_unknown_key_is_located() {
        let r = rubric();
        let q = &r.rubric.question[1];
        let text = format!(
            "{{\n  \"rubric\": \"pmo-vmo\",\n  \"answers\": {{\n    \"{}\": \"{}\"\n  }}\n}}\n",
            q.id, q.option[1].id
        );
        let s = load_text(&r, "s.json", &text, SheetFormat::Json).unwrap();
        assert_eq!(s.choices[1], Some(1));
        let bad = text.replace("\"rubric\"", "\"rubrik\"");
        let e = load_text(&r, "s.json", &bad, SheetFormat::Json).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(
            matches!(&e.kind, Fault::Syntax(m) if m.contains("rubrik")),
            "{e:?}"
        );
    }

    #[test]
    fn json_sheet_with_trailing_text_or_a_repeated_answer_is_refused() {
        let r = rubric();
        let q = &r.rubric.question[0];
        let one = format!("\"{}\": \"{}\"", q.id, q.option[0].id);
        let good = format!("{{\"rubric\": \"pmo-vmo\", \"answers\": {{{one}}}}}\n");
        assert!(load_text(&r, "s.json", &good, SheetFormat::Json).is_ok());

        let trailing = format!("{good}}}garbage\n");
        let e = load_text(&r, "s.json", &trailing, SheetFormat::Json).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert_eq!(e.kind, Fault::Sheet(SheetFault::TrailingText));

        let twice = format!(
            "{{\"rubric\": \"pmo-vmo\", \"answers\": {{\n{one},\n{}}}}}\n",
            one.replace(
                &format!("\"{}\"", q.option[0].id),
                &format!("\"{}\"", q.option[1].id)
            )
        );
        let e = load_text(&r, "s.json", &twice, SheetFormat::Json).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("answers"));
        assert_eq!(e.line, Some(3));
        assert!(
            e.to_string()
                .contains(&format!("`{}` is given twice", q.id)),
            "{e}"
        );

        let notes = r#"{"rubric": "pmo-vmo", "notes": {"a": "x", "a": "y"}}"#;
        let e = load_text(&r, "s.json", notes, SheetFormat::Json).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("notes"));
    }

    #[test]
    fn an_expected_margin_that_is_not_a_distance_is_an_error() {
        let r = rubric();
        for (text, shown) in [
            ("-1.0", "-1"),
            ("nan", "NaN"),
            ("inf", "inf"),
            ("1e300", "1e300"),
        ] {
            let toml = format!("rubric = \"pmo-vmo\"\n\n[expect]\nmin-margin = {text}\n");
            let e = load_text(&r, "s.toml", &toml, SheetFormat::Toml).unwrap_err();
            assert_eq!(e.key.as_deref(), Some("expect.min-margin"));
            assert_eq!(e.line, Some(4), "{text}");
            assert!(e.to_string().ends_with(&format!("found {shown}")), "{e}");
        }
        let ok = "rubric = \"pmo-vmo\"\n[expect]\nmin-margin = 0\n";
        assert!(load_text(&r, "s.toml", ok, SheetFormat::Toml).is_ok());
    }

    #[test]
    fn text_is_kept_as_written_even_with_control_characters() {
        // Cleaning for the terminal happens when printing, never in the data: a note
        // with Windows line endings must survive a resume or a JSON export intact.
        let r = rubric();
        let q = &r.rubric.question[0];
        let text = format!(
            "rubric = \"pmo-vmo\"\nrespondent = \"A\\u001bB\"\n[notes]\n{} = \"one\\r\\ntwo\"\n",
            q.id
        );
        let s = load_text(&r, "s.toml", &text, SheetFormat::Toml).unwrap();
        assert_eq!(s.sheet.respondent.as_deref(), Some("A\u{1b}B"));
        assert_eq!(s.sheet.notes[&q.id], "one\r\ntwo");
    }

    #[test]
    fn a_date_is_read_from_toml_or_json_and_written_back_the_same_way() {
        let r = rubric();
        let toml_text = "rubric = \"pmo-vmo\"\ndate = 2026-11-25\n";
        let s = load_text(&r, "s.toml", toml_text, SheetFormat::Toml).unwrap();
        let day = SheetDate::parse("2026-11-25").unwrap();
        assert_eq!(s.sheet.date, Some(day));
        let written = s.sheet.to_toml();
        assert!(written.contains("\ndate = 2026-11-25\n"), "{written}");
        assert_eq!(
            load_text(&r, "s.toml", &written, SheetFormat::Toml)
                .unwrap()
                .sheet,
            s.sheet
        );
        // A string works in TOML too, and JSON writes and reads a string.
        let quoted = "rubric = \"pmo-vmo\"\ndate = \"2026-11-25\"\n";
        let q = load_text(&r, "s.toml", quoted, SheetFormat::Toml).unwrap();
        assert_eq!(q.sheet.date, Some(day));
        let json = serde_json::to_string(&s.sheet).unwrap();
        assert!(json.contains(r#""date":"2026-11-25""#), "{json}");
        let j = load_text(&r, "s.json", &json, SheetFormat::Json).unwrap();
        assert_eq!(j.sheet.date, Some(day));
    }

    #[test]
    fn a_bad_date_is_an_error_at_its_key_and_line() {
        let r = rubric();
        for value in [
            "2026-02-30",
            "2026-11-25T10:00:00",
            "2026-11-25T10:00:00Z",
            "10:00:00",
            "\"25/11/2026\"",
            "\"2026-13-01\"",
            "20261125",
        ] {
            let text = format!("rubric = \"pmo-vmo\"\n\ndate = {value}\n");
            let e = load_text(&r, "s.toml", &text, SheetFormat::Toml).unwrap_err();
            assert_eq!(e.key.as_deref(), Some("date"), "{value}: {e:?}");
            assert_eq!(e.line, Some(3), "{value}");
        }
        let json = "{\n  \"rubric\": \"pmo-vmo\",\n  \"date\": \"2026-02-30\"\n}\n";
        let e = load_text(&r, "s.json", json, SheetFormat::Json).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("date"));
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
        let number = "{\"rubric\": \"pmo-vmo\", \"date\": 20261125}";
        let e = load_text(&r, "s.json", number, SheetFormat::Json).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("date"));
    }

    #[test]
    fn items_are_counted_outside_strings_and_comments() {
        let n = MAX_SHEET_ITEMS;
        // Every `=`, `[`, `{` and key dot counts; inside strings and comments, none.
        let keys = "a = 1\n".repeat(n);
        assert!(!over_items(&keys));
        assert!(over_items(&format!("{keys}b = 2\n")));
        let quoted = format!(
            "a = \"=[{{.\\\" = [\"\nb = '=[{{.'\n# = [ {{ .\nc = \"\"\"\n= [ {{\n\"\"\"\nd = '''= [\n'''\n{}",
            "e = 1\n".repeat(n - 4)
        );
        assert!(!over_items(&quoted), "strings and comments count nothing");
        assert!(over_items(&format!("{quoted}f = 1\n")));
        // A dotted key counts its parts; a float value does not.
        let dotted = "a.b.c = 1.5\n".repeat(n / 3);
        assert!(!over_items(&dotted));
        assert!(over_items(&format!("{dotted}x.y = 1\n")));
        // Inline tables and arrays.
        let tables = format!("x = [{}]\n", vec!["{}"; n - 2].join(","));
        assert!(!over_items(&tables));
        assert!(over_items(&format!("{tables}y = {{}}\n")));
        let text = format!("{tables}y = {{}}\n");
        let e = Sheet::parse(&"s.toml".into(), &text, SheetFormat::Toml).unwrap_err();
        assert_eq!(e.kind, Fault::Sheet(SheetFault::TooManyItems { most: n }));
        // A JSON sheet's answers are counted as they are read.
        let answers: Vec<String> = (0..=n).map(|i| format!("\"q{i}\": \"a\"")).collect();
        let json = format!(
            "{{\"rubric\": \"x\", \"answers\": {{{}}}}}",
            answers.join(",")
        );
        let e = Sheet::parse(&"s.json".into(), &json, SheetFormat::Json).unwrap_err();
        assert!(
            matches!(&e.kind, Fault::Syntax(m) if m.contains("more than 10000 entries")),
            "{e:?}"
        );
    }

    #[test]
    fn other_rubric_is_an_error() {
        let e = load_text(
            &rubric(),
            "s.toml",
            "rubric = \"other\"\n",
            SheetFormat::Toml,
        )
        .unwrap_err();
        assert_eq!(e.key.as_deref(), Some("rubric"));
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn a_sheet_written_over_its_document_keeps_comments_and_order() {
        let original = "#:schema ../schema/sheet.schema.json\n\
            # about this sheet\n\
            rubric = \"pmo-vmo\"\n\
            respondent = \"\"  # who answered\n\
            \n\
            [answers]\n\
            # confirmed with the PMO\n\
            b = \"yes\"\n\
            # a question\n\
            a = \"\"\n\
            c = \"old\"\n\
            \n\
            [notes]\n\
            b = \"see the minutes\"\n";
        let doc: toml_edit::DocumentMut = original.parse().unwrap();
        let sheet = Sheet {
            rubric: "pmo-vmo".into(),
            rubric_version: Some("1.0.0".into()),
            respondent: Some("Ana".into()),
            answers: [("a", "x"), ("b", "yes"), ("d", "new")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            // The note read from the document, as a resumed interview carries it.
            notes: [("b".to_string(), "see the minutes".to_string())].into(),
            ..Sheet::default()
        };
        let text = sheet.to_toml_over(&doc);
        let want = "#:schema ../schema/sheet.schema.json\n\
            # about this sheet\n\
            rubric = \"pmo-vmo\"\n\
            respondent = \"Ana\"  # who answered\n\
            rubric-version = \"1.0.0\"\n\
            \n\
            [answers]\n\
            # confirmed with the PMO\n\
            b = \"yes\"\n\
            # a question\n\
            a = \"x\"\n\
            c = \"\"\n\
            d = \"new\"\n\
            \n\
            [notes]\n\
            b = \"see the minutes\"\n";
        assert_eq!(text, want);
        let back = Sheet::parse(&Origin::from("s"), &text, SheetFormat::Toml).unwrap();
        assert_eq!(back.answers["a"], "x");
        assert_eq!(back.notes["b"], "see the minutes");
    }

    #[test]
    fn date_and_notes_written_over_a_document_keep_their_comments() {
        let original = "rubric = \"pmo-vmo\"\n\
            date = 2026-05-02  # first session\n\
            \n\
            [answers]\n\
            a = \"x\"\n\
            \n\
            [notes]\n\
            # from the workshop\n\
            a = \"old\"  # keep this comment\n\
            b = \"dropped\"\n\
            \n\
            [expect]\n\
            recommendation = \"hybrid\"\n";
        let doc: toml_edit::DocumentMut = original.parse().unwrap();
        let sheet = Sheet {
            rubric: "pmo-vmo".into(),
            date: SheetDate::parse("2026-11-25"),
            answers: [("a".to_string(), "x".to_string())].into(),
            notes: [
                ("a".to_string(), "new \"quoted\"\nline".to_string()),
                ("c".to_string(), "added".to_string()),
            ]
            .into(),
            ..Sheet::default()
        };
        let text = sheet.to_toml_over(&doc);
        assert!(
            text.contains("date = 2026-11-25  # first session\n"),
            "{text}"
        );
        assert!(text.contains("# from the workshop\n"), "{text}");
        assert!(text.contains("  # keep this comment\n"), "{text}");
        assert!(!text.contains("dropped"), "{text}");
        assert!(text.contains("recommendation = \"hybrid\""), "{text}");
        let back = Sheet::parse(&Origin::from("s"), &text, SheetFormat::Toml).unwrap();
        assert_eq!(back.date, SheetDate::parse("2026-11-25"));
        assert_eq!(back.notes, sheet.notes);
        assert!(back.expect.is_some());

        // A document without a date or notes gains both.
        let bare: toml_edit::DocumentMut = "rubric = \"pmo-vmo\"\n[answers]\n".parse().unwrap();
        let back = Sheet::parse(
            &Origin::from("s"),
            &sheet.to_toml_over(&bare),
            SheetFormat::Toml,
        )
        .unwrap();
        assert_eq!(back.date, sheet.date);
        assert_eq!(back.notes, sheet.notes);
    }
}
