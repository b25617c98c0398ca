//! Import of the 2,000-measure export (target ≤ 0.5 s): reading the sheet, and reading it into
//! a new in-memory database.

use criterion::{criterion_group, criterion_main, Criterion};
use shinchoku_core::export::{self, ExportOptions};
use shinchoku_core::import;
use shinchoku_core::model::Source;
use shinchoku_core::report::Report;
use shinchoku_core::{sample, Store};

fn export_2000() -> Vec<u8> {
    let mut store = Store::open_in_memory().expect("memory store");
    sample::generate(2000, &[2023, 2024])
        .load_into(&mut store, &Source::Sample)
        .expect("generated report");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("r.xlsx");
    let report = Report::load(&store).expect("report");
    export::export_xlsx(&report, &ExportOptions::default(), &path).expect("export");
    std::fs::read(path).expect("read back")
}

fn bench(c: &mut Criterion) {
    let bytes = export_2000();
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("read_2000_measures", |b| {
        b.iter(|| import::read_xlsx(&bytes, "r.xlsx").expect("read"))
    });
    group.bench_function("import_2000_measures_into_new_db", |b| {
        b.iter(|| {
            let read = import::read_xlsx(&bytes, "r.xlsx").expect("read");
            let mut store = Store::open_in_memory().expect("memory store");
            import::import_new(&mut store, &read).expect("import")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
