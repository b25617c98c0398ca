//! One autosave of the app (a cell written under the editing rules, one transaction) in a
//! 2,000-measure × 4-year report on disk (target ≤ 10 ms), and opening that report for the
//! window (the report view's load).

use criterion::{criterion_group, criterion_main, Criterion};
use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::model::{Actor, CellKey, Field, Half, Source};
use shinchoku_core::report::Report;
use shinchoku_core::{sample, Store};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.db");
    let mut store = Store::create(&path).unwrap();
    sample::generate(2000, &[2021, 2022, 2023, 2024])
        .load_into(&mut store, &Source::Sample)
        .unwrap();
    let measures: Vec<i64> = store.measures().unwrap().iter().map(|m| m.id).collect();

    let mut group = c.benchmark_group("save");
    let mut n = 0u64;
    group.bench_function("one_cell_2000_measures_4_years", |b| {
        b.iter(|| {
            n += 1;
            let key = CellKey {
                measure_id: measures[(n as usize * 7) % measures.len()],
                year: 2024,
                field: Field::Status(Half::H2),
            };
            let edit = CellEdit {
                key,
                value: format!("状況の更新 {n}"),
            };
            edit::apply(&mut store, &Actor::Coordinator, &Source::App, &[edit]).unwrap()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("startup");
    group.sample_size(10);
    group.bench_function("open_and_load_2000_measures_4_years", |b| {
        b.iter(|| {
            let store = Store::open(&path).unwrap();
            Report::load(&store).unwrap().measures.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
