//! Publishing speed: the whole `shinchoku publish` (read the report from the database, build the
//! page and the CSV, save index.html, style.css and the CSV) for the sample and for 2,000
//! measures, and the page's bytes alone. Target: under 0.5 s at 2,000 measures.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use shinchoku_core::publish;
use shinchoku_core::report::Report;
use shinchoku_core::sample;

mod common;
use common::store_of;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    // Named publish/<size>/app and publish/<size>/page, as scripts/benchmarks.py reads them.
    let mut group = c.benchmark_group("publish");
    group.sample_size(10);
    for (name, doc) in [
        ("sample_81", sample::sample()),
        ("generated_2000", sample::generate(2000, &[2023, 2024])),
    ] {
        let store = store_of(&doc);
        let out = dir.path().join(name);
        group.bench_function(BenchmarkId::new(name, "app"), |b| {
            b.iter(|| {
                let report = Report::load(&store).unwrap();
                publish::publish(&report, None, &out).unwrap().page_bytes
            })
        });
        // Without the database and the saves: the mapping alone.
        let report = Report::load(&store).unwrap();
        group.bench_function(BenchmarkId::new(name, "page"), |b| {
            b.iter(|| publish::site(&report, None).unwrap().html.len())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
