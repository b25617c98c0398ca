//! Formulas in a sheet read back: a value cell holding a formula is never taken, neither as
//! the value Excel cached (`=1/0` cached 「#DIV/0!」, `=HYPERLINK(…)` its label) nor as blank
//! (openpyxl caches nothing); the preview and the CLI name each (sheet!cell, the formula) and
//! the rest of the sheet is taken as usual.
//!
//! The sheets are real exports of the sample with cells rewritten in the worksheet's XML, as
//! Excel and openpyxl save them. No.1 (こども支援課) is the first block, rows 6–9, with
//! 令和６年度 in K–M: K6 its 年度目標, L7 下半期 計画, L8 下半期 進捗指標, L9 下半期 進捗状況.

use std::path::Path;

use shinchoku_core::export::{self, ExportOptions};
use shinchoku_core::import;
use shinchoku_core::model::{Field, Half};
use shinchoku_core::report::Report;
use shinchoku_core::Store;

use crate::common::{import_sheet, measure_of, ok, sample_db, sample_store, snapshot, TempDir};
use crate::department_sheet::{exported_for_department, with_cell_xml};

const DEPARTMENT: &str = "こども支援課";

/// `=1/0` as Excel saves it: the formula and its cached error.
fn div_zero() -> String {
    r#" t="e"><f>1/0</f><v>#DIV/0!</v></c>"#.to_string()
}

/// A link as Excel saves it: the formula and its cached label.
fn hyperlink() -> String {
    r#" t="str"><f>HYPERLINK("https://example.jp","click")</f><v>click</v></c>"#.to_string()
}

/// A formula as openpyxl writes it: no cached value at all.
fn uncached() -> String {
    r#"><f>IF(TRUE,"○","")</f></c>"#.to_string()
}

/// L7, L8 and L9: the cells of No.1's 下半期.
const H2_FIELDS: [Field; 3] = [
    Field::Plan(Half::H2),
    Field::Indicator(Half::H2),
    Field::Status(Half::H2),
];

/// What the database holds for No.1 in 令和６年度.
/// The coordinator fills No.1's empty 下半期 進捗 before the sheet goes out, so that the
/// formulas have a value to leave alone.
fn fill_h2(db: &Path) {
    let id = measure_of(db, DEPARTMENT).to_string();
    let db = db.to_str().unwrap();
    ok(&[
        "set",
        "--db",
        db,
        "--measure",
        &id,
        "--year",
        "2024",
        "--half",
        "H2",
        "--indicator",
        "○",
        "--status",
        "取りまとめが書いた状況",
    ]);
}

fn value(db: &Path, field: Field) -> String {
    let report = Report::load(&Store::open(db).unwrap()).unwrap();
    let m = &report.measures[0];
    assert_eq!(report.department_name(m.department_id), DEPARTMENT);
    report.value(m.id, 2024, field).to_string()
}

/// How the formulas of the sheets below are named, in sheet order.
const NAMED: [&str; 3] = [
    "重点政策!L7「=HYPERLINK(\"https://example.jp\",\"click\")」（No.1 こども支援課 令和６年度 下半期 計画（短期目標））は数式のため取り込みません",
    "重点政策!L8「=IF(TRUE,\"○\",\"\")」（No.1 こども支援課 令和６年度 下半期 進捗指標）は数式のため取り込みません",
    "重点政策!L9「=1/0」（No.1 こども支援課 令和６年度 下半期 進捗状況）は数式のため取り込みません",
];

#[test]
fn a_returned_sheet_takes_no_formula_names_each_and_takes_the_rest() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    fill_h2(&db);
    let exported = exported_for_department(&dir, &db);
    let returned = dir.path("returned.xlsx");
    let typed = " t=\"inlineStr\"><is><t>課が書いた年度目標</t></is></c>".to_string();
    with_cell_xml(
        &exported,
        &returned,
        &[
            ("K6", typed),
            ("L7", hyperlink()),
            ("L8", uncached()),
            ("L9", div_zero()),
        ],
    );
    let before = H2_FIELDS.map(|f| value(&db, f));
    assert!(before.iter().all(|v| !v.is_empty()), "{before:?}");

    let snap = snapshot(&db);
    let preview = import_sheet(
        &db,
        &returned,
        &["--as-submission", DEPARTMENT, "--dry-run"],
    );
    assert_eq!(preview.code, 0, "{}", preview.stderr);
    for named in NAMED {
        assert!(
            preview.stdout.contains(named),
            "{named}\n{}",
            preview.stdout
        );
    }
    assert!(
        preview.stdout.contains("取り込まないセル 3 件"),
        "{}",
        preview.stdout
    );
    assert!(
        preview.stdout.contains("変更されるセル 1 件"),
        "{}",
        preview.stdout
    );
    assert_eq!(snapshot(&db), snap, "a preview writes nothing");

    let out = import_sheet(&db, &returned, &["--as-submission", DEPARTMENT]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("反映 1 件"), "{}", out.stdout);
    assert!(out.stdout.contains(NAMED[0]), "{}", out.stdout);
    assert_eq!(value(&db, Field::AnnualTarget), "課が書いた年度目標");
    assert_eq!(
        H2_FIELDS.map(|f| value(&db, f)),
        before,
        "the coordinator's values stay"
    );
}

/// The bug: openpyxl writes a formula without a cached value; calamine read the cell as blank
/// and the return cleared the coordinator's indicator.
#[test]
fn bug_a_formula_without_a_cached_value_cleared_the_coordinators_value() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    fill_h2(&db);
    let exported = exported_for_department(&dir, &db);
    let returned = dir.path("returned.xlsx");
    with_cell_xml(&exported, &returned, &[("L8", uncached())]);
    let before = value(&db, Field::Indicator(Half::H2));
    assert!(!before.is_empty());
    let out = import_sheet(&db, &returned, &["--as-submission", DEPARTMENT]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(NAMED[1]), "{}", out.stdout);
    assert!(out.stdout.contains("反映 0 件"), "{}", out.stdout);
    assert_eq!(value(&db, Field::Indicator(Half::H2)), before);
}

/// The sample's whole export with the formulas of [`NAMED`] in No.1's cells.
fn exported_with_formulas(dir: &TempDir) -> std::path::PathBuf {
    let report = Report::load(&sample_store()).unwrap();
    let exported = dir.path("report.xlsx");
    export::export_xlsx(&report, &ExportOptions::default(), &exported).unwrap();
    let edited = dir.path("with-formulas.xlsx");
    with_cell_xml(
        &exported,
        &edited,
        &[("L7", hyperlink()), ("L8", uncached()), ("L9", div_zero())],
    );
    edited
}

#[test]
fn a_sheet_imported_as_a_new_report_takes_no_formula_and_names_each() {
    let dir = TempDir::new();
    let sheet = exported_with_formulas(&dir);
    let read = import::read_file(&sheet).unwrap();
    let m = &read.measures[0];
    for field in H2_FIELDS {
        assert_eq!(m.value(2024, field), "", "{field:?} is not taken");
        assert!(m.formula(2024, field).is_some(), "{field:?} is a formula");
    }
    assert_eq!(
        m.formula(2024, Field::Status(Half::H2)).unwrap().formula,
        "=1/0"
    );
    let preview = import::preview(None, &read, None);
    assert_eq!(preview.refused, NAMED);

    let db = dir.path("new.db");
    let out = import_sheet(&db, &sheet, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for named in NAMED {
        assert!(out.stdout.contains(named), "{named}\n{}", out.stdout);
    }
    assert_eq!(value(&db, Field::Status(Half::H2)), "");
    assert_eq!(value(&db, Field::Plan(Half::H2)), "");
    // The rest of the block is read as usual.
    assert!(!value(&db, Field::Status(Half::H1)).is_empty());
}

#[test]
fn a_dry_run_into_an_existing_report_names_formulas_instead_of_changes() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let sheet = exported_with_formulas(&dir);
    let out = import_sheet(&db, &sheet, &["--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("変更されるセル 0 件"), "{}", out.stdout);
    assert!(
        out.stdout.contains("取り込まないセル 3 件"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("#Div0"), "{}", out.stdout);
    assert!(!out.stdout.contains("「click」"), "{}", out.stdout);
}

/// A shared formula is named by the formula it was filled from, read without asking calamine
/// to expand it: its expanding reader reserves a slot for every index up to `si`.
#[test]
fn a_shared_formula_with_a_huge_index_is_named_without_exhausting_memory() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let exported = exported_for_department(&dir, &db);
    let returned = dir.path("returned.xlsx");
    let si = "1000000000000";
    with_cell_xml(
        &exported,
        &returned,
        &[
            (
                "L7",
                format!(
                    r#" t="str"><f t="shared" ref="L7:L9" si="{si}">"計画"</f><v>計画</v></c>"#
                ),
            ),
            (
                "L9",
                format!(r#" t="str"><f t="shared" si="{si}"/><v>計画</v></c>"#),
            ),
        ],
    );
    let read = import::read_file(&returned).unwrap();
    let m = &read.measures[0];
    for field in [Field::Plan(Half::H2), Field::Status(Half::H2)] {
        let formula = m.formula(2024, field).expect("named as a formula");
        assert_eq!(formula.formula, "=\"計画\"");
        assert_eq!(m.value(2024, field), "");
    }
}
