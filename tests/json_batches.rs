//! `score --format json` on an export hands its rows to the output in batches,
//! written straight from the workers' buffers: the document must still hold every
//! good row once, in file order, with the bad rows listed under `errors`.

use std::path::Path;
use std::process::Command;

use pmo_vmo::LoadedRubric;

const ROWS: usize = 2_000;

/// A Forms-shaped export of `ROWS` rows (about 2 MB: several of the parallel
/// reader's chunks, and dozens of the output's batches); every 97th row is short of
/// a cell. Returns how many rows are bad.
fn write_export(path: &Path) -> usize {
    let rubric = LoadedRubric::from_str(
        "tests/fixtures/v2/pmo-vmo-2.0.0.toml",
        &std::fs::read_to_string("tests/fixtures/v2/pmo-vmo-2.0.0.toml").unwrap(),
    )
    .unwrap();
    let questions = &rubric.rubric.question;
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let mut header = vec!["Name".to_string()];
    header.extend(questions.iter().map(|q| q.text.clone()));
    w.write_record(&header).unwrap();
    let mut bad = 0;
    for i in 0..ROWS {
        let mut row = vec![format!("person {i}")];
        row.extend(
            questions
                .iter()
                .enumerate()
                .map(|(qi, q)| q.option[(i * 7 + qi * 3) % q.option.len()].label.clone()),
        );
        if i % 97 == 5 {
            row.pop();
            bad += 1;
        }
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
    bad
}

#[test]
fn every_good_row_comes_out_once_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    let bad = write_export(&path);
    let out = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .env(
            "PMO_VMO_RUBRIC",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/v2/pmo-vmo-2.0.0.toml"
            ),
        )
        .args(["score", path.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    // Bad rows make the run's status 2; the document is whole.
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = doc["results"].as_array().unwrap();
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), bad);
    assert_eq!(results.len(), ROWS - bad);
    let names: Vec<&str> = results
        .iter()
        .map(|r| r["respondent"].as_str().unwrap())
        .collect();
    let want: Vec<String> = (0..ROWS)
        .filter(|i| i % 97 != 5)
        .map(|i| format!("person {i}"))
        .collect();
    assert_eq!(names, want);
    // Every result is whole: its roadmap and how firm it is were written with it.
    assert!(results.iter().all(|r| r["roadmap"].is_object()));
    assert!(
        results
            .iter()
            .any(|r| !r["sensitivity"].as_array().unwrap().is_empty())
    );
}
