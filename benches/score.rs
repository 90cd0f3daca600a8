//! Scoring cost per sheet: `result::score_with` over a fixed set of varied sheets
//! (see `common`), with the whole result (`common::FULL`: flip, roadmap and
//! answers, benchmark `json`) and as `score --format csv` scores it (none of them). Reading and writing are left
//! out: only the scoring of already resolved sheets is timed.
//!
//! `cargo bench --bench score`

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use pmo_vmo::LoadedRubric;
use pmo_vmo::result::{Extras, score_with};

mod common;

fn bench(c: &mut Criterion) {
    let rubric = LoadedRubric::embedded().unwrap();
    let sheets = common::sheets(&rubric);
    let csv = Extras::default();
    let mut group = c.benchmark_group("score_with");
    group.throughput(Throughput::Elements(sheets.len() as u64));
    for (name, extras) in [("json", common::FULL), ("csv", csv)] {
        group.bench_function(name, |b| {
            b.iter_batched(
                || sheets.clone(),
                |batch| {
                    batch
                        .into_iter()
                        .map(|s| score_with(&rubric, s, extras).unwrap())
                        .collect::<Vec<_>>()
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
