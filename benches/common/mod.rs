//! The fixed set of sheets the scoring benchmark (and the allocation budget test)
//! score as `score` does: varied answers to the embedded default
//! rubric, from a fixed seed.

use std::path::Path;
use std::sync::Arc;

use pmo_vmo::input::{ResolvedSheet, Sheet, SheetFormat};
use pmo_vmo::{LoadedRubric, Origin};

/// How many sheets a run scores.
pub const SHEETS: usize = 1000;

/// `SHEETS` sheets as a survey export's rows would arrive: a respondent and a
/// role, no notes, and per question an option or (about one in eight) no answer.
/// Each sheet leans towards the low or the high options by its own amount, so the
/// set spans the three bands, sits near boundaries and fires gates.
pub fn sheets(rubric: &LoadedRubric) -> Vec<ResolvedSheet> {
    let mut seed: u64 = 0x05ee_d0f5_c07e;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n
    };
    let file: Arc<Path> = Arc::from(Path::new("bench.csv"));
    (0..SHEETS)
        .map(|i| {
            let lean = next(5);
            let choices = rubric
                .rubric
                .question
                .iter()
                .map(|q| {
                    if next(8) == 0 {
                        return None;
                    }
                    let n = q.option.len();
                    // Centred on the sheet's lean, spread by one option either way.
                    let centre = lean * (n - 1) / 4;
                    Some((centre + next(3)).saturating_sub(1).min(n - 1))
                })
                .collect();
            ResolvedSheet {
                source: Origin::Row {
                    file: Arc::clone(&file),
                    line: i as u64 + 2,
                },
                sheet: Sheet {
                    respondent: Some(format!("person {i}")),
                    role: Some(["Sponsor", "Finance", "Team lead"][i % 3].to_string()),
                    ..Sheet::default()
                },
                choices,
                unknown: Vec::new(),
                warnings: Vec::new(),
                format: SheetFormat::Csv,
                text: None,
            }
        })
        .collect()
}
