//! The default rubric read as a practitioner would: 22 organisations of many kinds
//! (`tests/fixtures/organisations/profiles`), each with the outcome a practitioner
//! expects written before any was scored (`expected.toml`, reasons in `expected/`),
//! and two answer sheets each, filled in blind by two readers of the profile.
//!
//! The twelve kinds the tool is judged by (`kind12`) must agree exactly, on both
//! sheets: recommendation, office type, what to do with the office that exists,
//! and whether the result is provisional. Over all 22, the recommendation must
//! agree on at least 18 per reader; the others are cases the practitioner marks
//! as borderline, listed in `docs/default-rubric.md`.

use std::path::Path;

use pmo_vmo::input::{self, SheetFormat};
use pmo_vmo::{LoadedRubric, result};

const DIR: &str = "tests/fixtures/organisations";

struct Got {
    recommendation: String,
    office: Option<String>,
    action: Option<String>,
    also: Option<String>,
    also_action: Option<String>,
    provisional: bool,
}

fn score(rubric: &LoadedRubric, path: &Path) -> Got {
    let text = std::fs::read_to_string(path).unwrap();
    let sheet = input::load_text(rubric, path, &text, SheetFormat::Toml)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let res = result::score(rubric, sheet, false).unwrap();
    let json = serde_json::to_value(&res).unwrap();
    let s = |v: &serde_json::Value| v.as_str().map(str::to_string);
    Got {
        recommendation: s(&json["recommendation"]).unwrap(),
        office: s(&json["office"]["type"]),
        action: s(&json["office"]["action"]),
        also: s(&json["office"]["also"]["type"]),
        also_action: s(&json["office"]["also"]["action"]),
        provisional: json["provisional"].as_bool().unwrap(),
    }
}

/// Scores one reader's sheets; returns (agreements, the disagreements in words).
fn readers_sheets(sheets: &str) -> (usize, Vec<String>) {
    let rubric = LoadedRubric::embedded().unwrap();
    let expected: toml::Table =
        toml::from_str(&std::fs::read_to_string(format!("{DIR}/expected.toml")).unwrap()).unwrap();
    let mut agree = 0;
    let mut wrong = Vec::new();
    for (slug, want) in &expected {
        let path = Path::new(DIR).join(sheets).join(format!("{slug}.toml"));
        let got = score(&rubric, &path);
        let w = |k: &str| want.get(k).and_then(|v| v.as_str()).map(str::to_string);
        if Some(got.recommendation.clone()) == w("recommendation") {
            agree += 1;
        }
        if want.get("kind12").and_then(|v| v.as_bool()) == Some(true) {
            let pairs = [
                (
                    "recommendation",
                    Some(got.recommendation.clone()),
                    w("recommendation"),
                ),
                ("type", got.office.clone(), w("type")),
                ("action", got.action.clone(), w("action")),
                ("also", got.also.clone(), w("also")),
                ("also-action", got.also_action.clone(), w("also-action")),
            ];
            for (key, g, e) in pairs {
                if g != e {
                    wrong.push(format!("{sheets}/{slug}: {key} {g:?}, expected {e:?}"));
                }
            }
            let prov = want
                .get("provisional")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if got.provisional != prov {
                wrong.push(format!("{sheets}/{slug}: provisional {}", got.provisional));
            }
        }
    }
    (agree, wrong)
}

#[test]
fn the_twelve_kinds_agree_exactly_and_most_of_the_rest_on_the_first_readers_sheets() {
    let (agree, wrong) = readers_sheets("sheets-a");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(agree >= 18, "{agree} of 22 agree");
}

#[test]
fn the_twelve_kinds_agree_exactly_and_most_of_the_rest_on_the_second_readers_sheets() {
    let (agree, wrong) = readers_sheets("sheets-b");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(agree >= 18, "{agree} of 22 agree");
}

/// Every sheet of the corpus scores under the default rubric without a warning:
/// the sheets were written for it, and every answer id they use exists.
#[test]
fn every_sheet_of_the_corpus_is_a_clean_sheet_of_the_default_rubric() {
    let rubric = LoadedRubric::embedded().unwrap();
    for sheets in ["sheets-a", "sheets-b"] {
        for entry in std::fs::read_dir(Path::new(DIR).join(sheets)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let sheet = input::load_text(&rubric, &path, &text, SheetFormat::Toml).unwrap();
            assert!(
                sheet.warnings.is_empty(),
                "{}: {:?}",
                path.display(),
                sheet.warnings
            );
        }
    }
}
