//! Malformed input never panics: mangled copies of the shipped rubric and sheets are
//! either accepted or rejected with a located error.

use pmo_vmo::rubric::DEFAULT_RUBRIC;
use pmo_vmo::{LoadedRubric, SheetFormat};
use proptest::prelude::*;

const SHEET: &str = include_str!("../examples/sheets/in-transition.toml");

fn mangle(text: &str, at: usize, len: usize, insert: &str) -> String {
    let mut b = text.as_bytes().to_vec();
    let at = at % b.len();
    let end = (at + len).min(b.len());
    b.splice(at..end, insert.bytes());
    String::from_utf8_lossy(&b).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn mangled_rubric_is_ok_or_a_located_error(at in 0usize..40_000, len in 0usize..40, insert in "[ -~\n]{0,12}") {
        let text = mangle(DEFAULT_RUBRIC, at, len, &insert);
        if let Err(errs) = LoadedRubric::from_str("r.toml", &text) {
            prop_assert!(!errs.0.is_empty());
            for e in &errs.0 {
                prop_assert!(e.to_string().starts_with("r.toml"));
            }
        }
    }

    #[test]
    fn mangled_sheet_is_ok_or_a_located_error(at in 0usize..4_000, len in 0usize..20, insert in "[ -~\n]{0,12}") {
        let rubric = LoadedRubric::embedded().unwrap();
        let text = mangle(SHEET, at, len, &insert);
        if let Err(e) = pmo_vmo::input::load_text(&rubric, "s.toml", &text, SheetFormat::Toml) {
            prop_assert!(e.to_string().starts_with("s.toml"));
        }
        let json = serde_json::to_string(&pmo_vmo::Sheet::parse(&"x".into(), SHEET, SheetFormat::Toml).unwrap()).unwrap();
        let text = mangle(&json, at, len, &insert);
        let _ = pmo_vmo::input::load_text(&rubric, "s.json", &text, SheetFormat::Json);
    }
}

const EXPORT: &str = include_str!("fixtures/forms/microsoft.csv");

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn mangled_export_scores_or_reports_each_bad_row(at in 0usize..40_000, len in 0usize..40, insert in "[ -~\n\",;]{0,12}") {
        let rubric = LoadedRubric::embedded().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        std::fs::write(&path, mangle(EXPORT, at, len, &insert)).unwrap();
        let inputs = pmo_vmo::input::expand(&[path], SheetFormat::Toml);
        let b = pmo_vmo::Batch::run(&rubric, &inputs);
        // Every row is accounted for: a result or an error naming the file.
        prop_assert!(!b.results.is_empty() || !b.errors.is_empty());
        for e in &b.errors {
            prop_assert!(e.source.to_string().contains("export.csv"), "{}", e);
        }
    }
}

/// The bad-input corpus (`tests/fixtures/bad-sheets`: a UTF-16 sheet, a JSON
/// sheet cut short) and an endless input: each refused with an error naming it.
#[test]
fn bad_files_and_endless_input_are_refused_by_name() {
    let rubric = LoadedRubric::embedded().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-sheets");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 2, "{paths:?}");
    #[cfg(unix)]
    paths.push("/dev/zero".into());
    for p in &paths {
        let inputs = pmo_vmo::input::expand(std::slice::from_ref(p), SheetFormat::Toml);
        let b = pmo_vmo::Batch::run(&rubric, &inputs);
        assert!(b.results.is_empty(), "{p:?} was scored");
        assert_eq!(b.errors.len(), 1, "{p:?}");
        let shown = b.errors[0].to_string();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(shown.contains(&name), "{shown}");
    }
}
