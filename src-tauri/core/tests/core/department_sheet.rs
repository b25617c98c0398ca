//! A department's sheet, filled in Excel and mailed back: only its input cells (the open
//! period's, and the year's target while the year can be written) are unlocked and tinted, under
//! a protection without a password; a returned sheet gives the import those cells, and a locked
//! cell changed anyway (the protection removed) is named and left out while the rest is taken.
//!
//! The sample's open period is 令和６年度 下半期. With the default years (令和５・６年度) a block
//! of four rows holds 令和５年度 in H–J and 令和６年度 in K–M (上半期, 下半期, 指標).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::utility::row_col_to_cell;
use shinchoku_core::export::{self, layout, ExportOptions, Selection};
use shinchoku_core::model::{Field, Half};
use shinchoku_core::report::Report;
use shinchoku_core::Store;

use crate::common::{import_sheet, run, sample_db, sample_store, snapshot, TempDir};
use crate::export::package_file;
use crate::import_fuzz::{part, repack};

/// The department of the sample's first block (No.1): its sheet's first block is rows 6–9.
const DEPARTMENT: &str = "こども支援課";

fn options(department: Option<&str>) -> ExportOptions {
    ExportOptions {
        department: department.map(str::to_string),
        ..ExportOptions::default()
    }
}

/// The sample exported with `options` into `dir`.
fn export_sample(dir: &TempDir, department: Option<&str>) -> (Report, PathBuf) {
    let report = Report::load(&sample_store()).unwrap();
    let path = dir.path("sheet.xlsx");
    export::export_xlsx(&report, &options(department), &path).unwrap();
    (report, path)
}

/// Whether each cell format of the workbook (`s="N"`) leaves its cells unlocked.
fn unlocked_formats(styles: &str) -> Vec<bool> {
    let xfs = styles
        .split("<cellXfs")
        .nth(1)
        .and_then(|s| s.split("</cellXfs>").next())
        .expect("styles.xml has cellXfs");
    xfs.split("<xf ")
        .skip(1)
        .map(|xf| xf.contains(r#"<protection locked="0"/>"#))
        .collect()
}

/// The cells of a worksheet's XML whose format unlocks them, as A1 references.
fn unlocked_cells(sheet: &str, styles: &str) -> BTreeSet<String> {
    let unlocked = unlocked_formats(styles);
    sheet
        .split("<c r=\"")
        .skip(1)
        .filter_map(|c| {
            let (reference, rest) = c.split_once('"')?;
            let tag = &rest[..rest.find('>')?];
            let style: usize = tag
                .split_once(" s=\"")
                .map_or("0", |(_, s)| s.split('"').next().unwrap_or("0"))
                .parse()
                .ok()?;
            unlocked[style].then(|| reference.to_string())
        })
        .collect()
}

/// Every cell with the ☆○△× drop-down.
fn drop_down_cells(sheet: &str) -> BTreeSet<String> {
    sheet
        .split("<dataValidation ")
        .skip(1)
        .flat_map(|v| {
            let sqref = v.split("sqref=\"").nth(1).unwrap().split('"').next();
            sqref.unwrap().split(' ').map(str::to_string)
        })
        .collect()
}

/// The `<sheetProtection …/>` element of a worksheet, if any.
fn sheet_protection(sheet: &str) -> Option<&str> {
    let start = sheet.find("<sheetProtection")?;
    Some(&sheet[start..start + sheet[start..].find("/>")? + 2])
}

#[test]
fn a_departments_sheet_unlocks_and_tints_only_its_open_period_and_the_years_target() {
    let dir = TempDir::new();
    let (report, path) = export_sample(&dir, Some(DEPARTMENT));
    let sheet = package_file(&path, "xl/worksheets/sheet1.xml");
    let styles = package_file(&path, "xl/styles.xml");

    // What the rule unlocks, worked out from the layout: per block, 令和６年度 (K–M) without a
    // year note: 年度目標 K:L and its 指標 M on the first row, 下半期 (L) on the three others.
    let selection = Selection::new(&report, &options(Some(DEPARTMENT))).unwrap();
    let built = export::sheet::build(&selection);
    let (h1, h2, indicator) = (10u16, 11u16, 12u16);
    let mut expected = BTreeSet::new();
    let mut expected_drop_downs = BTreeSet::new();
    for block in &built.blocks {
        if !report
            .value(block.measure_id, 2024, Field::YearNote)
            .is_empty()
        {
            continue;
        }
        let r = block.first_row;
        for (row, col) in [(r, h1), (r, h2), (r, indicator), (r + 1, h2), (r + 2, h2)] {
            expected.insert(row_col_to_cell(row, col));
        }
        expected.insert(row_col_to_cell(r + 3, h2));
        expected_drop_downs.insert(row_col_to_cell(r, indicator));
        expected_drop_downs.insert(row_col_to_cell(r + 2, h2));
    }
    assert_eq!(built.blocks.len(), 2, "{DEPARTMENT} has two measures");
    assert!(expected.contains("L9") && expected.contains("K6") && expected.contains("M6"));
    assert_eq!(unlocked_cells(&sheet, &styles), expected);
    assert!(
        !expected.contains("K9") && !expected.contains("H9"),
        "the closed halves stay locked"
    );

    // Unlocked formats are the tinted ones, and only those are tinted.
    let fill = format!("FF{:06X}", layout::INPUT_FILL);
    assert!(styles.contains(&fill), "the input tint {fill}");
    assert_eq!(
        styles.matches(&fill).count(),
        1,
        "one fill, shared by the input formats"
    );

    // Drop-downs only where a choice can be made.
    assert_eq!(drop_down_cells(&sheet), expected_drop_downs);

    // Protected, without a password; selecting and resizing rows and columns allowed.
    let protection = sheet_protection(&sheet).expect("the main sheet is protected");
    assert!(!protection.contains("password"), "{protection}");
    assert!(protection.contains(r#"sheet="1""#), "{protection}");
    assert!(protection.contains(r#"formatColumns="0""#), "{protection}");
    assert!(protection.contains(r#"formatRows="0""#), "{protection}");
    assert!(!protection.contains("selectLockedCells"), "{protection}");
    assert!(!protection.contains("selectUnlockedCells"), "{protection}");
    // The tally and the hidden sheet are locked whole.
    for part in ["xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"] {
        let xml = package_file(&path, part);
        assert!(sheet_protection(&xml).is_some(), "{part} is protected");
        assert!(unlocked_cells(&xml, &styles).is_empty(), "{part}");
    }
}

#[test]
fn the_consolidated_sheet_stays_unprotected_with_every_drop_down() {
    let dir = TempDir::new();
    let (_, path) = export_sample(&dir, None);
    let styles = package_file(&path, "xl/styles.xml");
    for part in [
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
        "xl/worksheets/sheet3.xml",
    ] {
        let xml = package_file(&path, part);
        assert!(sheet_protection(&xml).is_none(), "{part}");
        assert!(unlocked_cells(&xml, &styles).is_empty(), "{part}");
    }
    assert!(!styles.contains(&format!("FF{:06X}", layout::INPUT_FILL)));
    // Both years' indicators keep their drop-downs (the first block's 令和５年度 上半期: H8).
    let sheet = package_file(&path, "xl/worksheets/sheet1.xml");
    assert!(drop_down_cells(&sheet).contains("H8"));
}

#[test]
fn without_an_open_period_a_departments_sheet_is_locked_whole() {
    let mut store = sample_store();
    run_period_close(&mut store);
    let report = Report::load(&store).unwrap();
    let dir = TempDir::new();
    let path = dir.path("closed.xlsx");
    export::export_xlsx(&report, &options(Some(DEPARTMENT)), &path).unwrap();
    let sheet = package_file(&path, "xl/worksheets/sheet1.xml");
    let styles = package_file(&path, "xl/styles.xml");
    assert!(sheet_protection(&sheet).is_some());
    assert!(unlocked_cells(&sheet, &styles).is_empty());
    assert!(drop_down_cells(&sheet).is_empty());
}

/// Closes the sample's open period (令和６年度 下半期).
fn run_period_close(store: &mut Store) {
    use shinchoku_core::model::{Actor, PeriodState, Source};
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.set_period_state(2024, Half::H2, PeriodState::Closed)
        })
        .unwrap();
}

/// `xlsx` with the cells `edits` (A1 reference, text) of the main sheet rewritten in its XML,
/// as Excel saves a cell typed over: the cell's own format kept, the text inline.
pub fn with_cells(xlsx: &Path, out: &Path, edits: &[(&str, &str)]) {
    let edits: Vec<(&str, String)> = edits
        .iter()
        .map(|&(reference, text)| {
            let body = format!(" t=\"inlineStr\"><is><t>{text}</t></is></c>");
            (reference, body)
        })
        .collect();
    with_cell_xml(xlsx, out, &edits);
}

/// The sheet `xlsx` with cells of its main sheet rewritten, written to `out`: each cell's XML
/// is `<c r="…" s="…"` (its reference and its own style, so it stays unlocked and tinted)
/// followed by the given rest (` t="str"><f>1/0</f><v>#DIV/0!</v></c>`).
pub fn with_cell_xml(xlsx: &Path, out: &Path, edits: &[(&str, String)]) {
    let seed = std::fs::read(xlsx).unwrap();
    let mut xml = String::from_utf8(part(&seed, "xl/worksheets/sheet1.xml")).unwrap();
    for (reference, rest) in edits {
        let start = xml
            .find(&format!("<c r=\"{reference}\""))
            .unwrap_or_else(|| panic!("{reference} is written"));
        let open_end = start + xml[start..].find('>').unwrap();
        // A blank cell is one empty element, a filled one runs to its </c>.
        let end = if xml[..open_end].ends_with('/') {
            open_end + 1
        } else {
            start + xml[start..].find("</c>").unwrap() + "</c>".len()
        };
        let style = xml[start..open_end]
            .split_once(" s=\"")
            .map_or("0", |(_, rest)| rest.split('"').next().unwrap_or("0"))
            .to_string();
        let cell = format!("<c r=\"{reference}\" s=\"{style}\"{rest}");
        xml.replace_range(start..end, &cell);
    }
    std::fs::write(
        out,
        repack(&seed, "xl/worksheets/sheet1.xml", xml.as_bytes()),
    )
    .unwrap();
}

/// The department's sheet as `shinchoku export --department` writes it from `db`.
pub fn exported_for_department(dir: &TempDir, db: &Path) -> PathBuf {
    let exported = dir.path("exported.xlsx");
    let out = run(&[
        "export",
        "--db",
        db.to_str().unwrap(),
        "--department",
        DEPARTMENT,
        "--out",
        exported.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    exported
}

fn value(db: &Path, year: i32, field: Field) -> String {
    let report = Report::load(&Store::open(db).unwrap()).unwrap();
    let m = &report.measures[0];
    assert_eq!(report.department_name(m.department_id), DEPARTMENT);
    report.value(m.id, year, field).to_string()
}

#[test]
fn a_departments_sheet_filled_in_its_input_cells_comes_back_whole() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let exported = exported_for_department(&dir, &db);
    let returned = dir.path("returned.xlsx");
    with_cells(
        &exported,
        &returned,
        &[
            ("K6", "条例施行・制度周知および運用の開始（課の修正）"),
            ("M6", "○"),
            ("L7", "制度周知および運用開始（課の修正）"),
            ("L8", "☆"),
            ("L9", "令和６年１０月から対象を高校３年生まで拡大した。"),
        ],
    );
    let out = import_sheet(&db, &returned, &["--as-submission", DEPARTMENT]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("反映 5 件"), "{}", out.stdout);
    assert!(!out.stdout.contains("取り込まない"), "{}", out.stdout);
    assert_eq!(
        value(&db, 2024, Field::AnnualTarget),
        "条例施行・制度周知および運用の開始（課の修正）"
    );
    assert_eq!(value(&db, 2024, Field::AnnualIndicator), "○");
    assert_eq!(
        value(&db, 2024, Field::Plan(Half::H2)),
        "制度周知および運用開始（課の修正）"
    );
    assert_eq!(value(&db, 2024, Field::Indicator(Half::H2)), "☆");
    assert_eq!(
        value(&db, 2024, Field::Status(Half::H2)),
        "令和６年１０月から対象を高校３年生まで拡大した。"
    );
}

#[test]
fn a_locked_cell_changed_anyway_is_named_and_left_out_and_the_rest_is_taken() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let exported = exported_for_department(&dir, &db);
    let returned = dir.path("returned.xlsx");
    let closed_h1 = value(&db, 2024, Field::Status(Half::H1));
    let closed_year = value(&db, 2023, Field::AnnualTarget);
    // Someone removed the protection and rewrote the closed 上半期 状況 (K9) and 令和５年度's
    // 年度目標 (H6), beside the open 下半期 状況 (L9).
    with_cells(
        &exported,
        &returned,
        &[
            ("H6", "書き換えた年度目標"),
            ("K9", "書き換えた上半期の状況"),
            ("L9", "下半期の状況"),
        ],
    );
    let before = snapshot(&db);
    let preview = import_sheet(
        &db,
        &returned,
        &["--as-submission", DEPARTMENT, "--dry-run"],
    );
    assert_eq!(preview.code, 0, "{}", preview.stderr);
    for refused in [
        "No.1 こども支援課 令和６年度 上半期 進捗状況（重点政策 9 行）は入力欄ではないため取り込みません",
        "No.1 こども支援課 令和５年度 年度目標（重点政策 6 行）は入力欄ではないため取り込みません",
    ] {
        assert!(preview.stdout.contains(refused), "{}", preview.stdout);
    }
    assert!(
        preview.stdout.contains("取り込まないセル 2 件"),
        "{}",
        preview.stdout
    );
    assert!(
        preview.stdout.contains("変更されるセル 1 件"),
        "{}",
        preview.stdout
    );
    assert_eq!(snapshot(&db), before, "a preview writes nothing");

    let out = import_sheet(&db, &returned, &["--as-submission", DEPARTMENT]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("反映 1 件"), "{}", out.stdout);
    assert!(
        out.stdout.contains("取り込まないセル 2 件"),
        "{}",
        out.stdout
    );
    assert_eq!(value(&db, 2024, Field::Status(Half::H2)), "下半期の状況");
    assert_eq!(value(&db, 2024, Field::Status(Half::H1)), closed_h1);
    assert_eq!(value(&db, 2023, Field::AnnualTarget), closed_year);
}

#[test]
fn the_window_preview_names_the_refused_cells() {
    use shinchoku_core::import;
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let exported = exported_for_department(&dir, &db);
    let returned = dir.path("returned.xlsx");
    with_cells(&exported, &returned, &[("K8", "×"), ("L8", "○")]);
    let read = import::read_file(&returned).unwrap();
    let report = Report::load(&Store::open(&db).unwrap()).unwrap();
    let preview = import::preview(Some(&report), &read, Some(DEPARTMENT));
    assert_eq!(
        preview.refused,
        vec!["No.1 こども支援課 令和６年度 上半期 進捗指標（重点政策 8 行）は入力欄ではないため取り込みません"]
    );
    let changed: Vec<(i32, Field)> = preview.changes.iter().map(|c| (c.year, c.field)).collect();
    assert_eq!(changed, vec![(2024, Field::Indicator(Half::H2))]);
    // The consolidated import (no department) has no input cells to keep to.
    let whole = import::preview(Some(&report), &read, None);
    assert!(whole.refused.is_empty());
    assert_eq!(whole.changes.len(), 2);
}

/// Regression: a measure that ended with 令和６年度 had the next year's 年度目標 unlocked in its
/// department's sheet, and a returned sheet that filled it was refused whole (the edit is
/// refused for an ended measure). The next year is now locked for it, and a value typed there
/// anyway is named and left out while the rest of the return is taken.
#[test]
fn an_ended_measures_later_year_is_locked_in_its_departments_sheet() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db_arg = db.to_str().unwrap();
    let ended = {
        let report = Report::load(&Store::open(&db).unwrap()).unwrap();
        let ids: Vec<_> = report
            .measures
            .iter()
            .filter(|m| report.department_name(m.department_id) == DEPARTMENT)
            .map(|m| m.id)
            .collect();
        assert_eq!(ids.len(), 2, "{DEPARTMENT} has two measures");
        ids[0]
    };
    for args in [
        vec!["year", "add", "2025", "--db", db_arg],
        vec![
            "measure",
            "retire",
            "--measure",
            &ended.to_string(),
            "--after",
            "2024",
            "--db",
            db_arg,
        ],
    ] {
        let out = run(&args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    let exported = dir.path("exported.xlsx");
    let out = run(&[
        "export",
        "--db",
        db_arg,
        "--department",
        DEPARTMENT,
        "--years",
        "2024,2025",
        "--out",
        exported.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let sheet = package_file(&exported, "xl/worksheets/sheet1.xml");
    let styles = package_file(&exported, "xl/styles.xml");
    let unlocked = unlocked_cells(&sheet, &styles);
    // 令和６年度 in H–J, 令和７年度 in K–M; the ended measure's block is rows 6–9, the other's
    // 10–13. Both take 令和６年度 下半期 (I); only the one that goes on takes 令和７年度's target.
    for cell in ["I6", "I9", "I10", "I13", "K10", "M10"] {
        assert!(
            unlocked.contains(cell),
            "{cell} is an input cell: {unlocked:?}"
        );
    }
    for cell in ["K6", "L6", "M6"] {
        assert!(
            !unlocked.contains(cell),
            "{cell} of the ended measure is locked"
        );
    }

    let returned = dir.path("returned.xlsx");
    with_cells(
        &exported,
        &returned,
        &[
            ("K6", "終了後の目標"),
            ("I9", "最後の半期の状況"),
            ("K10", "続く実施内容の目標"),
        ],
    );
    let out = import_sheet(&db, &returned, &["--as-submission", DEPARTMENT]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("反映 2 件"), "{}", out.stdout);
    assert!(out.stdout.contains("取り込まない"), "{}", out.stdout);
    let report = Report::load(&Store::open(&db).unwrap()).unwrap();
    assert_eq!(report.value(ended, 2025, Field::AnnualTarget), "");
    assert_eq!(
        report.value(ended, 2024, Field::Status(Half::H2)),
        "最後の半期の状況"
    );
}
