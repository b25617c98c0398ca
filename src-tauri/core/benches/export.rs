//! Export speed: the whole export (read the report from the database, map it, write 重点政策,
//! 集計 and `_shinchoku`, save) beside a bare rust_xlsxwriter writer that writes the same main
//! sheet straight from the in-memory document. Target: ≤ 1.5× the bare writer.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use shinchoku_core::document::ReportDocument;
use shinchoku_core::export::{self, ExportOptions, Selection};
use shinchoku_core::model::Half;
use shinchoku_core::report::Report;
use shinchoku_core::sample;

mod common;
use common::store_of;

/// The baseline: the same cells, merges and formats of the main sheet, no database, no
/// heights from text, no drop-downs, no other sheets.
fn bare_writer(doc: &ReportDocument, path: &Path, zip_level: Option<u8>) {
    let mut workbook = Workbook::new();
    if let Some(level) = zip_level {
        workbook.set_zip_compression_level(level);
    }
    let ws = workbook.add_worksheet();
    let text = Format::new()
        .set_font_name("ＭＳ Ｐゴシック")
        .set_font_size(10)
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    let symbol = text
        .clone()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let years: Vec<String> = doc
        .fiscal_years
        .iter()
        .map(|y| y.year.to_string())
        .collect();
    for (c, h) in ["ＮＯ．", "公約", "実施内容", "目標期日", "所管課等", "区分"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(2, c as u16, *h, &text).unwrap();
    }
    let mut row = 5u32;
    for m in &doc.measures {
        let last = row + 3;
        ws.merge_range(row, 0, last, 0, &m.no.to_string(), &text)
            .unwrap();
        ws.merge_range(row, 1, last, 1, &m.pledge, &text).unwrap();
        ws.merge_range(row, 2, last, 2, &m.content, &text).unwrap();
        ws.merge_range(row, 3, last, 3, &m.target_date, &text)
            .unwrap();
        ws.merge_range(row, 4, last, 4, &m.department, &text)
            .unwrap();
        ws.merge_range(row, 5, row, 6, "年度目標", &text).unwrap();
        ws.merge_range(row + 1, 5, row + 1, 6, "計画\n(短期目標)", &text)
            .unwrap();
        ws.merge_range(row + 2, 5, last, 5, "進捗", &text).unwrap();
        ws.write_string_with_format(row + 2, 6, "指標", &text)
            .unwrap();
        ws.write_string_with_format(last, 6, "状況", &text).unwrap();
        for (i, year) in years.iter().enumerate() {
            let col = 7 + 3 * i as u16;
            let Some(y) = m.years.get(year) else { continue };
            let s = |v: &Option<String>| v.clone().unwrap_or_default();
            ws.merge_range(row, col, row, col + 1, &s(&y.annual_target), &text)
                .unwrap();
            ws.write_string_with_format(row, col + 2, s(&y.annual_indicator), &symbol)
                .unwrap();
            ws.merge_range(row + 1, col + 2, last, col + 2, "", &text)
                .unwrap();
            for half in Half::BOTH {
                let c = col + half as u16;
                let h = y.halves.get(&half).cloned().unwrap_or_default();
                ws.write_string_with_format(row + 1, c, s(&h.plan), &text)
                    .unwrap();
                ws.write_string_with_format(row + 2, c, s(&h.indicator), &symbol)
                    .unwrap();
                ws.write_string_with_format(last, c, s(&h.status), &text)
                    .unwrap();
            }
        }
        row += 4;
    }
    workbook.save(path).unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    // Named export/<size>/app and export/<size>/bare, as scripts/benchmarks.py pairs them.
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    for (name, doc) in [
        ("sample_81", sample::sample()),
        ("generated_2000", sample::generate(2000, &[2023, 2024])),
    ] {
        let store = store_of(&doc);
        let out = dir.path().join(format!("{name}.xlsx"));
        group.bench_function(BenchmarkId::new(name, "app"), |b| {
            b.iter(|| {
                let report = Report::load(&store).unwrap();
                export::export_xlsx(&report, &ExportOptions::default(), &out).unwrap()
            })
        });
        // The same without the save (temporary file, fsync, rename): what the disk costs.
        group.bench_function(BenchmarkId::new(name, "bytes"), |b| {
            b.iter(|| {
                let report = Report::load(&store).unwrap();
                let selection = Selection::new(&report, &ExportOptions::default()).unwrap();
                export::xlsx_bytes(&selection).unwrap().0.len()
            })
        });
        let bare = dir.path().join(format!("{name}-bare.xlsx"));
        group.bench_function(BenchmarkId::new(name, "bare"), |b| {
            b.iter(|| bare_writer(&doc, &bare, None))
        });
        // The bare writer at the export's own deflate level: the ratio without that choice.
        group.bench_function(BenchmarkId::new(name, "bare_same_zip_level"), |b| {
            b.iter(|| bare_writer(&doc, &bare, Some(export::ZIP_LEVEL)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
