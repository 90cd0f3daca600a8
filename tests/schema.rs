//! The JSON Schemas: the committed files are what `rubric schema` prints, and every
//! shipped TOML file validates against them with a real validator (the `jsonschema`
//! crate), while broken files do not.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no TOML file in {dir}");
    files
}

fn as_json(text: &str) -> Value {
    let toml: toml::Value = toml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
    to_json(toml)
}

/// TOML as JSON, a TOML date as its text (as editors' schema checkers see it).
fn to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Table(t) => t.into_iter().map(|(k, v)| (k, to_json(v))).collect(),
        toml::Value::Array(a) => a.into_iter().map(to_json).collect(),
        other => serde_json::to_value(other).unwrap(),
    }
}

/// The validator's messages, empty when the instance is valid.
fn problems(schema: &Value, instance: &Value) -> Vec<String> {
    let v = jsonschema::validator_for(schema).unwrap_or_else(|e| panic!("bad schema: {e}"));
    v.iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn committed_schemas_are_the_generated_ones() {
    for (file, generated) in [
        ("schema/rubric.schema.json", pmo_vmo::schema::rubric()),
        ("schema/sheet.schema.json", pmo_vmo::schema::sheet()),
    ] {
        let committed = std::fs::read_to_string(root().join(file)).unwrap();
        assert!(
            committed == generated,
            "{file} is stale; regenerate with `cargo run -- rubric schema [--sheet] > {file}`"
        );
    }
}

#[test]
fn schemas_declare_draft_07() {
    for s in [
        pmo_vmo::schema::rubric_value(),
        pmo_vmo::schema::sheet_value(),
    ] {
        assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
        assert!(s["description"].as_str().is_some_and(|d| !d.is_empty()));
    }
}

/// Checks one shipped file: valid, and its `#:schema` line names the right file.
fn check_shipped(path: &Path, schema: &Value, schema_file: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let first = text.lines().next().unwrap_or_default();
    let target = first
        .strip_prefix("#:schema ")
        .unwrap_or_else(|| panic!("{}: first line is not `#:schema ...`", path.display()));
    let resolved = path.parent().unwrap().join(target.trim());
    assert_eq!(
        resolved.canonicalize().unwrap(),
        root().join(schema_file).canonicalize().unwrap(),
        "{}: #:schema points elsewhere",
        path.display()
    );
    let errs = problems(schema, &as_json(&text));
    assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
}

#[test]
fn shipped_rubrics_validate() {
    let schema = pmo_vmo::schema::rubric_value();
    for p in toml_files("questionnaires") {
        check_shipped(&p, &schema, "schema/rubric.schema.json");
    }
}

#[test]
fn shipped_sheets_validate() {
    let schema = pmo_vmo::schema::sheet_value();
    for dir in ["examples/sheets", "tests/fixtures/v2/sheets"] {
        for p in toml_files(dir) {
            check_shipped(&p, &schema, "schema/sheet.schema.json");
        }
    }
}

#[test]
fn broken_rubrics_are_rejected() {
    let schema = pmo_vmo::schema::rubric_value();
    let good =
        std::fs::read_to_string(root().join("tests/fixtures/v2/pmo-vmo-2.0.0.toml")).unwrap();
    assert!(problems(&schema, &as_json(&good)).is_empty());
    let cases = [
        // An unknown key.
        (
            "version = \"2.0.0\"",
            "version = \"2.0.0\"\ncolour = \"blue\"",
        ),
        // A score out of range.
        ("score = 100.0", "score = 150.0"),
        // An id that is not kebab-case.
        ("id = \"maturity\"", "id = \"Maturity\""),
        // A gate with two conditions.
        ("below = 50.0", "below = 50.0\nat-least = 10.0"),
        // A band that does not exist.
        ("cap = \"hybrid\"", "cap = \"maybe\""),
        // A gate on both a factor and a question.
        (
            "question = \"maturity-delivery-track-record\"\nbelow",
            "question = \"maturity-delivery-track-record\"\nfactor = \"maturity\"\nbelow",
        ),
        // A share of answers above 1.
        ("min-answered = 0.5", "min-answered = 1.5"),
        // A next step's condition with no threshold.
        (", at-least = 50.0 } }", " } }"),
        // A next step's condition with an unknown key.
        (", at-least = 50.0 } }", ", at-least = 50.0, when = 1 } }"),
    ];
    for (from, to) in cases {
        assert!(good.contains(from), "{from}");
        let bad = good.replacen(from, to, 1);
        let errs = problems(&schema, &as_json(&bad));
        assert!(!errs.is_empty(), "accepted a rubric with `{to}`");
    }
}

#[test]
fn broken_sheets_are_rejected() {
    let schema = pmo_vmo::schema::sheet_value();
    let ok = "rubric = \"pmo-vmo\"\n[answers]\nmaturity-standards = \"documented\"\n";
    assert!(problems(&schema, &as_json(ok)).is_empty());
    let dated = "rubric = \"pmo-vmo\"\ndate = 2026-11-25\n";
    assert!(problems(&schema, &as_json(dated)).is_empty());
    for bad in [
        "rubrik = \"pmo-vmo\"\n",
        "rubric = \"pmo-vmo\"\n[answers]\nmaturity-standards = 3\n",
        "rubric = \"pmo-vmo\"\n[expect]\nrecommendation = \"vmo-ish\"\n",
        "rubric = \"pmo-vmo\"\n[expect]\nmin-margin = \"five\"\n",
        "rubric = \"pmo-vmo\"\ndate = \"25/11/2026\"\n",
        "rubric = \"pmo-vmo\"\ndate = 20261125\n",
    ] {
        assert!(
            !problems(&schema, &as_json(bad)).is_empty(),
            "accepted:\n{bad}"
        );
    }
}
