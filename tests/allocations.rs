//! Allocation budget of scoring one sheet: `result::score_with` over the fixed
//! sheets of the scoring benchmark (`benches/common`), counted by an instrumented
//! global allocator, with the whole result (`common::FULL`: flip, roadmap, answers)
//! and as `score --format csv` scores it (none). The budgets sit a little above what the
//! scoring needs now, so a change that brings back per-candidate or per-row
//! scratch allocations fails here. One test only: the counter is process-wide.

use std::alloc::System;

use pmo_vmo::LoadedRubric;
use pmo_vmo::result::{Extras, score_with};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[path = "../benches/common/mod.rs"]
mod common;

/// Allocations per sheet, on average over the set, and the results.
fn per_sheet(rubric: &LoadedRubric, extras: Extras) -> (f64, Vec<pmo_vmo::SheetResult<'_>>) {
    let sheets = common::sheets(rubric);
    let mut results = Vec::with_capacity(sheets.len());
    let region = Region::new(GLOBAL);
    for s in sheets {
        results.push(score_with(rubric, s, extras).unwrap());
    }
    let n = region.change().allocations;
    (n as f64 / common::SHEETS as f64, results)
}

#[test]
fn scoring_a_sheet_stays_within_its_allocation_budget() {
    let rubric = LoadedRubric::embedded().unwrap();
    let (full, results) = per_sheet(&rubric, common::FULL);
    let (bare, _) = per_sheet(&rubric, Extras::default());
    eprintln!("allocations per sheet: full {full:.1}, csv {bare:.1}");
    // Not vacuous: the set has flips, roadmaps with steps, unanswered questions
    // and fired gates, each of which allocates for its result.
    assert!(results.iter().filter(|r| r.flip.is_some()).count() > 100);
    assert!(
        results
            .iter()
            .any(|r| r.roadmap.as_ref().is_some_and(|m| !m.steps.is_empty()))
    );
    assert!(results.iter().any(|r| !r.evaluation.unanswered.is_empty()));
    assert!(results.iter().any(|r| !r.evaluation.gates.is_empty()));
    // Now 76.4 and 11.2, nearly all of them the result's own strings and lists
    // (137.8 and 17.9 with scratch Vecs per candidate, per-row id look-ups and an
    // answers map grown one insert at a time).
    assert!(full <= 82.0, "full: {full:.1} allocations per sheet");
    assert!(bare <= 13.5, "csv: {bare:.1} allocations per sheet");
}
