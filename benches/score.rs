//! What `score` does with every sheet of a large export, on the thread that read
//! it: score it for the format (`result::score_with` with `Format::extras`) and
//! write its row (`render::ready`). `json` scores
//! the flip, the roadmap and the answers and writes the JSON row; `csv` scores the
//! sheet alone and writes the csv row. Reading, and putting the rows in order, are
//! left out: only the per-sheet work of already resolved sheets is timed.
//!
//! `cargo bench --bench score`

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use pmo_vmo::LoadedRubric;
use pmo_vmo::render::{Format, ready};
use pmo_vmo::result::score_with;

mod common;

fn bench(c: &mut Criterion) {
    let rubric = LoadedRubric::embedded().unwrap();
    let sheets = common::sheets(&rubric);
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(sheets.len() as u64));
    for (name, format) in [
        ("json", Format::Json),
        ("csv", Format::Csv { answers: false }),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched(
                || sheets.clone(),
                |batch| {
                    batch
                        .into_iter()
                        .map(|s| {
                            ready(
                                format,
                                &rubric,
                                score_with(&rubric, s, format.extras(None)).unwrap(),
                            )
                        })
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
