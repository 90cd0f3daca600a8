//! The same answers scored from TOML sheets and from rows of a survey export give
//! the same JSON results, field for field, except `source` and `notes` (an export
//! carries no notes).
//! `tests/fixtures/forms/agreement.csv` holds the three example sheets as rows, with
//! question texts as headers and option labels as cells.

use std::process::Command;

use serde_json::Value;

fn score_json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .env(
            "PMO_VMO_RUBRIC",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/v2/pmo-vmo-2.0.0.toml"
            ),
        )
        .env_remove("RUST_BACKTRACE")
        .args(["score", "--format", "json"])
        .args(args)
        .output()
        .expect("run pmo-vmo");
    assert!(
        out.status.success(),
        "pmo-vmo {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn results_without_source(doc: &Value) -> Vec<Value> {
    doc["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let o = r.as_object_mut().expect("object");
            o.remove("source");
            o.remove("notes");
            r
        })
        .collect()
}

#[test]
fn csv_rows_score_like_the_same_answers_in_toml() {
    let toml = score_json(&[
        "tests/fixtures/v2/sheets/delivery-focused.toml",
        "tests/fixtures/v2/sheets/in-transition.toml",
        "tests/fixtures/v2/sheets/value-focused.toml",
    ]);
    let csv = score_json(&["tests/fixtures/forms/agreement.csv"]);
    let (a, b) = (results_without_source(&toml), results_without_source(&csv));
    assert_eq!(a.len(), 3);
    assert_eq!(a, b);
    // Different sheets, so the comparison is not between equal nothings.
    assert_ne!(a[0]["recommendation"], a[2]["recommendation"]);
    let sources: Vec<&str> = csv["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "tests/fixtures/forms/agreement.csv:2",
            "tests/fixtures/forms/agreement.csv:3",
            "tests/fixtures/forms/agreement.csv:4"
        ]
    );
}

#[test]
fn library_batch_run_reads_exports_too() {
    // `Batch::run` (used by other commands) goes through the same streaming path.
    let rubric = pmo_vmo::LoadedRubric::from_str(
        "tests/fixtures/v2/pmo-vmo-2.0.0.toml",
        &std::fs::read_to_string("tests/fixtures/v2/pmo-vmo-2.0.0.toml").unwrap(),
    )
    .unwrap();
    let inputs = pmo_vmo::input::expand(
        &["tests/fixtures/forms/bad-row.csv".into()],
        pmo_vmo::SheetFormat::Toml,
    );
    let batch = pmo_vmo::Batch::run(&rubric, &inputs);
    let sources: Vec<String> = batch.results.iter().map(|r| r.source.to_string()).collect();
    assert_eq!(
        sources,
        [
            "tests/fixtures/forms/bad-row.csv:2",
            "tests/fixtures/forms/bad-row.csv:4"
        ]
    );
    let errors: Vec<String> = batch.errors.iter().map(|e| e.source.to_string()).collect();
    assert_eq!(
        errors,
        [
            "tests/fixtures/forms/bad-row.csv:3",
            "tests/fixtures/forms/bad-row.csv:5"
        ]
    );
}
