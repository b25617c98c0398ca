//! Merging 40 departments' submissions into a 2,000-measure report (target ≤ 0.2 s), and one
//! submission into the sample.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use shinchoku_core::merge::{self, Incoming, IncomingCell, Issue};
use shinchoku_core::model::{CellKey, Source};
use shinchoku_core::submission;
use shinchoku_core::{sample, Store};

/// A database file holding `doc`, made once; each iteration works on a fresh copy.
fn template(
    dir: &Path,
    name: &str,
    doc: &shinchoku_core::document::ReportDocument,
) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut store = Store::create(&path).unwrap();
    doc.load_into(&mut store, &Source::Sample).unwrap();
    path
}

/// Every department's return: its package with a third of its cells changed.
fn returns(store: &Store) -> Vec<Incoming> {
    store
        .departments()
        .unwrap()
        .iter()
        .map(|d| {
            let package = submission::make_package(store, &d.name).unwrap();
            let cells = package
                .base
                .iter()
                .enumerate()
                .map(|(i, b)| IncomingCell {
                    key: CellKey {
                        measure_id: b.measure_id,
                        year: b.year,
                        field: b.field,
                    },
                    base_revision: b.revision,
                    base_value: b.value.clone(),
                    value: if i % 3 == 0 && !b.field.is_indicator() {
                        format!("{}（更新）", b.value)
                    } else {
                        b.value.clone()
                    },
                })
                .collect();
            Incoming {
                department: d.name.clone(),
                year: package.period.year,
                half: package.period.half,
                issue: Issue::Package(package.package_id.clone()),
                cells,
                source: Source::Submission(format!("{}.json", d.name)),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("merge");
    group.sample_size(10);
    for (name, doc) in [
        ("sample_all_departments", sample::sample()),
        (
            "2000_measures_40_departments",
            sample::generate(2000, &[2023, 2024]),
        ),
    ] {
        let path = template(dir.path(), &format!("{name}.db"), &doc);
        let incoming = returns(&Store::open(&path).unwrap());
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let copy = dir.path().join("work.db");
                    for suffix in ["-wal", "-shm"] {
                        let _ = std::fs::remove_file(dir.path().join(format!("work.db{suffix}")));
                    }
                    // Checkpointed by the template's close, so the main file is the whole database.
                    std::fs::copy(&path, &copy).unwrap();
                    Store::open(&copy).unwrap()
                },
                |mut store| {
                    for ret in &incoming {
                        merge::merge(&mut store, ret).unwrap();
                    }
                    store
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
