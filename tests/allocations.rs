//! Allocation budget of what `score` does with every sheet (score it for the
//! format, `result::score_with` with `Format::extras`; write its row,
//! `render::ready`), over the fixed sheets of the scoring benchmark
//! (`benches/common`), counted by an instrumented global allocator: as
//! `score --format json` runs it (flip, roadmap, answers, the JSON row) and as
//! `score --format csv` does (the sheet alone, the csv row). The budgets sit a
//! little above what it needs now, so a change that brings back per-candidate or
//! per-row scratch allocations fails here. One test only: the counter is
//! process-wide.

use std::alloc::System;

use pmo_vmo::LoadedRubric;
use pmo_vmo::render::{Format, Ready, ready};
use pmo_vmo::result::score_with;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[path = "../benches/common/mod.rs"]
mod common;

/// Allocations per sheet, on average over the set, and what was made.
fn per_sheet(rubric: &LoadedRubric, format: Format) -> (f64, Vec<Ready<'_>>) {
    let sheets = common::sheets(rubric);
    let mut made = Vec::with_capacity(sheets.len());
    let region = Region::new(GLOBAL);
    for s in sheets {
        made.push(ready(
            format,
            rubric,
            score_with(rubric, s, format.extras(None)).unwrap(),
        ));
    }
    let n = region.change().allocations;
    (n as f64 / common::SHEETS as f64, made)
}

/// The rows made, as text.
fn rows(made: &[Ready<'_>]) -> Vec<String> {
    made.iter()
        .map(|r| match r {
            Ready::Row(row) => String::from_utf8(row.clone()).unwrap(),
            Ready::Result(_) => panic!("csv and json write rows"),
        })
        .collect()
}

#[test]
fn scoring_a_sheet_stays_within_its_allocation_budget() {
    let rubric = LoadedRubric::from_str(
        "tests/fixtures/v2/pmo-vmo-2.0.0.toml",
        &std::fs::read_to_string("tests/fixtures/v2/pmo-vmo-2.0.0.toml").unwrap(),
    )
    .unwrap();
    let (json, made) = per_sheet(&rubric, Format::Json);
    let (csv, _) = per_sheet(&rubric, Format::Csv { answers: false });
    eprintln!("allocations per sheet: json {json:.1}, csv {csv:.1}");
    // Not vacuous: the set has flips, roadmaps with steps, unanswered questions
    // and fired gates, each of which allocates for its result.
    let rows = rows(&made);
    assert!(rows.iter().filter(|r| !r.contains("\"flip\":null")).count() > 100);
    assert!(rows.iter().any(|r| r.contains("\"steps\":[{")));
    assert!(rows.iter().any(|r| !r.contains("\"unanswered\":[]")));
    assert!(rows.iter().any(|r| !r.contains("\"gates\":[]")));
    // Now 15.0 and 8.8: the result's lists, the model's sums, the flip's table of
    // which conditions hold (one per sheet, for both the sheet's and a changed
    // sheet's; it spares the flip running every rule and gate for each of about
    // 40 moved answers) and the row (76.4 and 11.2 with the ids and texts copied
    // into every result, scratch vectors per candidate and an answers map grown
    // one insert at a time).
    assert!(json <= 16.0, "json: {json:.1} allocations per sheet");
    assert!(csv <= 9.0, "csv: {csv:.1} allocations per sheet");
}
