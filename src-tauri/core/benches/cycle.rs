//! One full half-year cycle at the coordinator: every department's package written (41), every
//! department's submission merged (41), and the consolidated sheet exported — on the sample and
//! on 2,000 measures of 41 departments (target: under 2 s).
//!
//! The departments' side is prepared outside the timed part: each database made from its
//! package, two cells of every measure edited (the half's plan and status), the submission
//! written. Those packages were issued by the coordinator's database each iteration starts from,
//! so the timed merge authenticates them as it would; the packages written in the timed part are
//! the next ones, the same work.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use shinchoku_core::document::ReportDocument;
use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::export::{self, ExportOptions};
use shinchoku_core::model::{Actor, CellKey, Field, Source};
use shinchoku_core::report::Report;
use shinchoku_core::{sample, submission, wareki, Store};

const DEPARTMENTS: usize = 41;

/// 2,000 generated measures shared among 41 departments, as the city has.
fn generated() -> ReportDocument {
    let mut doc = sample::generate(2000, &[2023, 2024]);
    for (i, m) in doc.measures.iter_mut().enumerate() {
        m.department = format!("第{}課", wareki::full_width((i % DEPARTMENTS) as i32 + 1));
    }
    doc
}

/// The coordinator's database with every package of the open period issued, and each
/// department's submission answering it. The database file is checkpointed (closed).
fn prepare(dir: &Path, name: &str, doc: &ReportDocument) -> (PathBuf, Vec<PathBuf>) {
    let db = dir.join(format!("{name}.db"));
    let mut store = Store::create(&db).unwrap();
    doc.load_into(&mut store, &Source::Sample).unwrap();
    let packages = dir.join(format!("{name}-issued"));
    std::fs::create_dir_all(&packages).unwrap();
    let issued = submission::write_all_packages(&mut store, &packages).unwrap();
    assert_eq!(issued.len(), DEPARTMENTS);
    drop(store);
    let submissions = issued
        .iter()
        .enumerate()
        .map(|(i, package)| {
            let department_db = dir.join(format!("{name}-department-{i}.db"));
            let mut department = submission::init_from_package(&department_db, package).unwrap();
            let package = submission::package_of(&department).unwrap();
            let half = package.period.half;
            let report = Report::load(&department).unwrap();
            let edits: Vec<CellEdit> = report
                .measures
                .iter()
                .flat_map(|m| [Field::Plan(half), Field::Status(half)].map(|field| (m.id, field)))
                .map(|(measure_id, field)| {
                    let key = CellKey {
                        measure_id,
                        year: package.period.year,
                        field,
                    };
                    let now = report.value(measure_id, key.year, field);
                    CellEdit {
                        key,
                        value: format!("{now}（更新）"),
                    }
                })
                .collect();
            let actor = Actor::Department(package.department.clone());
            edit::apply(&mut department, &actor, &Source::App, &edits).unwrap();
            let path = dir.join(format!("{name}-submission-{i}.json"));
            submission::write_submission(&mut department, &path, None).unwrap();
            path
        })
        .collect();
    (db, submissions)
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("cycle");
    group.sample_size(10);
    for (name, doc) in [
        ("sample_41_departments", sample::sample()),
        ("2000_measures_41_departments", generated()),
    ] {
        let (template, submissions) = prepare(dir.path(), name, &doc);
        let packages = dir.path().join(format!("{name}-packages"));
        std::fs::create_dir_all(&packages).unwrap();
        let out = dir.path().join(format!("{name}.xlsx"));
        let work = dir.path().join("work.db");
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    for suffix in ["-wal", "-shm"] {
                        let _ = std::fs::remove_file(dir.path().join(format!("work.db{suffix}")));
                    }
                    std::fs::copy(&template, &work).unwrap();
                    Store::open(&work).unwrap()
                },
                |mut store| {
                    let written = submission::write_all_packages(&mut store, &packages).unwrap();
                    assert_eq!(written.len(), DEPARTMENTS);
                    let outcomes = submission::merge_files(&mut store, &submissions).unwrap();
                    assert!(outcomes.iter().all(|o| o.merged.is_some()), "{outcomes:?}");
                    export::export_sheet(&mut store, &ExportOptions::default(), &out).unwrap();
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
