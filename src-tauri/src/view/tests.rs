//! Every view as the UI reads it: its keys are camelCase (a key gone snake_case fails here), and
//! its dates carry Japanese labels.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use shinchoku_core::import::{CellChange, ImportPreview, ReadSummary, YearSummary};
use shinchoku_core::merge::{Conflict, MergeOutcome};
use shinchoku_core::model::{
    CellKey, CellValue, Department, Field, FiscalYear, Half, Measure, PeriodState, Pledge,
};
use shinchoku_core::print::PrintOverflow;
use shinchoku_core::report::Report;
use shinchoku_core::submission::{Board, DepartmentStatus, FileOutcome, Period};

use super::*;
use crate::error::{CommandError, IMPORT_DEPARTMENT_FIELD};

const MEASURE: i64 = 7;

fn h2_status() -> CellKey {
    CellKey {
        measure_id: MEASURE,
        year: 2024,
        field: Field::Status(Half::H2),
    }
}

/// One measure of pledge No.3 for 企画課 in 令和６年度, its 下半期 open until 2024-12-01.
fn report() -> Report {
    let mut year = FiscalYear::new(2024);
    year.half_mut(Half::H2).state = PeriodState::Open;
    year.half_mut(Half::H2).deadline = "2024-12-01".into();
    let cells = BTreeMap::from([(
        h2_status(),
        CellValue {
            key: h2_status(),
            value: "実施中".into(),
            revision: 1,
        },
    )]);
    Report::new(
        "進捗状況".into(),
        1,
        vec![Department {
            id: 1,
            name: "企画課".into(),
        }],
        vec![Pledge {
            id: 2,
            number: 3,
            title: "公約".into(),
        }],
        vec![Measure {
            id: MEASURE,
            pledge_id: 2,
            department_id: 1,
            pledge_caption: String::new(),
            content: "実施内容".into(),
            target_date: "R6.10".into(),
            position: 1,
            last_year: None,
        }],
        vec![year],
        cells,
    )
}

fn to_json(view: &impl serde::Serialize) -> Value {
    serde_json::to_value(view).unwrap()
}

/// The keys of an object, sorted.
fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn sorted(mut expected: Vec<&str>) -> Vec<&str> {
    expected.sort_unstable();
    expected
}

/// No key of any object is snake_case, except inside maps keyed by data (field codes, years).
fn assert_camel_case(value: &Value, path: &str) {
    const DATA_MAPS: [&str; 2] = ["fieldNames", "cells"];
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                assert!(!key.contains('_'), "{path}.{key} is not camelCase");
                if !DATA_MAPS.contains(&key.as_str()) {
                    assert_camel_case(child, &format!("{path}.{key}"));
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| assert_camel_case(item, &format!("{path}[]"))),
        _ => {}
    }
}

#[test]
fn the_report_view_names_every_field_and_labels_its_deadlines() {
    let json = to_json(&ReportView::from_report(&report(), Role::Coordinator));
    assert_camel_case(&json, "report");
    assert_eq!(
        keys(&json),
        sorted(vec![
            "title",
            "revision",
            "years",
            "departments",
            "measures",
            "openPeriod",
            "fieldNames",
            "marks",
            "archivedAtLabel",
            "readOnly",
            "conflictMeasures",
        ])
    );
    assert_eq!(json["archivedAtLabel"], Value::Null, "a working report");
    assert_eq!(json["readOnly"], false, "a working report");
    assert_eq!(
        json["openPeriod"],
        json!({"year": 2024, "half": "H2", "label": "令和６年度 下半期",
               "deadline": "2024-12-01", "deadlineLabel": "2024年12月1日"})
    );
    let h2 = &json["years"][0]["halves"][1];
    assert_eq!(
        keys(h2),
        sorted(vec![
            "half",
            "label",
            "months",
            "state",
            "stateLabel",
            "deadline",
            "deadlineLabel"
        ])
    );
    assert_eq!(h2["deadlineLabel"], "2024年12月1日");
    assert_eq!(h2["state"], "open");
    assert_eq!(h2["stateLabel"], "入力中");
    // The glyphs and their meanings come from the core, in the legend's order.
    assert_eq!(
        json["marks"][0],
        json!({"glyph": "☆", "meaning": "実施済み、目標達成"})
    );
    assert_eq!(
        json["marks"][3],
        json!({"glyph": "×", "meaning": "未着手、断念 など"})
    );
    assert_eq!(json["years"][0]["halves"][0]["deadlineLabel"], "");
    assert_eq!(
        keys(&json["measures"][0]),
        sorted(vec![
            "id",
            "no",
            "pledge",
            "lastYear",
            "writable",
            "content",
            "targetDate",
            "department",
            "cells"
        ])
    );
    let names = &json["fieldNames"];
    assert_eq!(names.as_object().unwrap().len(), Field::ALL.len());
    assert_eq!(names["annual_target"], "年度目標");
    assert_eq!(names["annual_indicator"], "年度目標の指標");
    assert_eq!(names["year_note"], "備考");
    assert_eq!(names["h1_plan"], "上半期 計画（短期目標）");
    assert_eq!(names["h2_indicator"], "下半期 進捗指標");
    assert_eq!(names["h2_status"], "下半期 進捗状況");
}

#[test]
fn a_cell_key_is_read_in_camel_case_with_the_field_code() {
    let key: CellKeyInput =
        serde_json::from_value(json!({"measureId": 7, "year": 2024, "field": "h2_status"}))
            .unwrap();
    assert_eq!(CellKey::from(key), h2_status());
    assert_eq!(
        to_json(&key),
        json!({"measureId": 7, "year": 2024, "field": "h2_status"})
    );
    for bad in [
        json!({"measure_id": 7, "year": 2024, "field": "h2_status"}),
        json!({"measureId": 7, "year": 2024, "field": "h3_status"}),
        json!({"measureId": 7, "year": 2024}),
    ] {
        assert!(
            serde_json::from_value::<CellKeyInput>(bad.clone()).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn a_cell_history_is_named_by_its_measure_and_dated_in_japanese() {
    let change = shinchoku_core::store::CellChange {
        id: 41,
        key: h2_status(),
        old_value: "".into(),
        new_value: "実施中".into(),
        revision: 1,
        changed_at: "2026-11-29T10:05:33".into(),
        actor: "企画課".into(),
        source: "アプリで編集".into(),
    };
    let json = to_json(&CellHistoryView::new(&report(), &h2_status(), vec![change]));
    assert_camel_case(&json, "history");
    assert_eq!(json["label"], "No.3 企画課 令和６年度 下半期 進捗状況");
    assert_eq!(
        json["entries"][0],
        json!({"id": 41, "changedAt": "2026-11-29T10:05:33", "changedAtLabel": "2026年11月29日 10:05",
               "actor": "企画課", "source": "アプリで編集", "oldValue": "", "newValue": "実施中"})
    );
    let gone = CellKey {
        measure_id: 99,
        ..h2_status()
    };
    assert_eq!(
        to_json(&CellHistoryView::new(&report(), &gone, vec![]))["label"],
        "令和６年度 下半期 進捗状況"
    );
}

#[test]
fn a_conflict_carries_its_key_back_and_its_name() {
    let conflict = Conflict {
        key: h2_status(),
        department: "企画課".into(),
        base_value: "a".into(),
        coordinator_value: "b".into(),
        department_value: "c".into(),
        source: "企画課.json".into(),
        received_at: "2026-11-29T09:00:00".into(),
        issue: String::new(),
        settled: None,
    };
    let json = to_json(&ConflictView::new(&report(), conflict));
    assert_camel_case(&json, "conflict");
    assert_eq!(
        json,
        json!({"key": {"measureId": 7, "year": 2024, "field": "h2_status"},
               "label": "No.3 企画課 令和６年度 下半期 進捗状況", "department": "企画課",
               "baseValue": "a", "coordinatorValue": "b", "departmentValue": "c",
               "source": "企画課.json", "receivedAtLabel": "2026年11月29日 09:00"})
    );
}

#[test]
fn the_board_labels_its_deadline_and_times() {
    let status = |department: &str, received: Option<&str>| DepartmentStatus {
        department: department.into(),
        measures: 2,
        issued_at: Some("2026-10-01T08:30:00".into()),
        issued_file: Some("企画課.request.json".into()),
        received_at: received.map(str::to_string),
        received_file: received.map(|_| "企画課.json".into()),
        approved_by: received.map(|_| "課長".into()),
        applied: 3,
        conflicts: 1,
        settled: 0,
        missing: received.is_none(),
    };
    let board = Board {
        period: Period {
            year: 2026,
            half: Half::H2,
            label: "令和８年度 下半期".into(),
            deadline: "2026-12-01".into(),
        },
        departments: vec![
            status("企画課", Some("2026-11-29T10:05:00")),
            status("道路課", None),
        ],
    };
    let json = to_json(&BoardView::new(board, "催促".into()));
    assert_camel_case(&json, "board");
    assert_eq!(
        keys(&json),
        sorted(vec!["period", "departments", "reminder"])
    );
    assert_eq!(json["reminder"], "催促");
    assert_eq!(
        json["period"],
        json!({"year": 2026, "half": "H2", "label": "令和８年度 下半期",
               "deadline": "2026-12-01", "deadlineLabel": "2026年12月1日"})
    );
    assert_eq!(
        json["departments"][0],
        json!({"department": "企画課", "measures": 2,
               "issuedAt": "2026-10-01T08:30:00", "issuedAtLabel": "2026年10月1日 08:30",
               "issuedFile": "企画課.request.json",
               "receivedAt": "2026-11-29T10:05:00", "receivedAtLabel": "2026年11月29日 10:05",
               "receivedFile": "企画課.json", "approvedBy": "課長",
               "applied": 3, "conflicts": 1, "settled": 0, "missing": false})
    );
    let missing = &json["departments"][1];
    assert_eq!(missing["receivedAt"], Value::Null);
    assert_eq!(missing["receivedAtLabel"], "");
    assert_eq!(missing["missing"], true);
}

#[test]
fn merged_files_count_their_conflicts() {
    let merged = FileOutcome {
        file: "企画課.json".into(),
        department: "企画課".into(),
        merged: Some(MergeOutcome {
            applied: 4,
            unchanged: 2,
            conflicts: vec![h2_status()],
        }),
        already_merged: false,
        refused: None,
    };
    let refused = FileOutcome {
        file: "x.json".into(),
        department: String::new(),
        merged: None,
        already_merged: false,
        refused: Some("読めません".into()),
    };
    let json = to_json(&[
        FileOutcomeView::from(merged),
        FileOutcomeView::from(refused),
    ]);
    assert_camel_case(&json, "outcomes");
    assert_eq!(
        json,
        json!([
            {"file": "企画課.json", "department": "企画課",
             "merged": {"applied": 4, "unchanged": 2, "conflicts": 1},
             "alreadyMerged": false, "refused": null},
            {"file": "x.json", "department": "", "merged": null,
             "alreadyMerged": false, "refused": "読めません"}
        ])
    );
}

#[test]
fn the_import_preview_names_each_change_with_its_year() {
    let preview = ImportPreview {
        summary: ReadSummary {
            file_name: "report.xlsx".into(),
            sheet: "重点政策".into(),
            pledges: 1,
            measures: 1,
            departments: 1,
            years: vec![YearSummary {
                year: 2024,
                label: "令和６年度".into(),
                year_cells: 1,
                h1_cells: 2,
                h2_cells: 3,
            }],
            has_metadata: true,
        },
        creates_report: false,
        changes: vec![CellChange {
            row: 12,
            measure_id: MEASURE,
            no: 3,
            department: "企画課".into(),
            content: "実施内容".into(),
            year: 2024,
            field: Field::Plan(Half::H2),
            label: "令和６年度 下半期 計画".into(),
            old: "".into(),
            new: "計画".into(),
        }],
        unmatched: vec!["No.12 道路課".into()],
        other_departments: 2,
        refused: vec!["No.3 企画課 令和６年度 上半期 進捗状況（重点政策 14 行）は入力欄ではないため取り込みません".into()],
    };
    let json = to_json(&ImportPreviewView::from(preview));
    assert_camel_case(&json, "preview");
    assert_eq!(
        json,
        json!({
            "summary": {"fileName": "report.xlsx", "sheet": "重点政策", "pledges": 1,
                        "measures": 1, "departments": 1, "hasMetadata": true,
                        "years": [{"year": 2024, "label": "令和６年度", "yearCells": 1,
                                   "h1Cells": 2, "h2Cells": 3}]},
            "createsReport": false,
            "changes": [{"row": 12, "measureId": 7, "no": 3, "department": "企画課",
                         "content": "実施内容", "year": 2024, "field": "h2_plan",
                         "label": "令和６年度 下半期 計画（短期目標）", "old": "", "new": "計画"}],
            "unmatched": ["No.12 道路課"],
            "otherDepartments": 2,
            "refused": ["No.3 企画課 令和６年度 上半期 進捗状況（重点政策 14 行）は入力欄ではないため取り込みません"]
        })
    );
}

#[test]
fn errors_carry_the_codes_the_ui_branches_on() {
    use shinchoku_core::edit::EditError;
    use shinchoku_core::master::MasterError;
    use shinchoku_core::StoreError;
    let busy = || StoreError::Busy {
        path: "report.db".into(),
    };
    let too_long = CommandError::from(EditError::TooLong {
        key: h2_status(),
        place: "No.1 こども支援課 令和６年度 下半期 進捗状況".into(),
        overflow: PrintOverflow {
            chars: 900,
            lines: 40,
            max_chars: 400,
            max_lines: 20,
        },
    });
    assert_eq!(too_long.code, "too_long");
    assert_eq!(too_long.field.as_deref(), Some("7:2024:h2_status"));
    assert_eq!(
        CommandError::from(EditError::Store(busy())).code,
        "database_busy"
    );
    assert_eq!(
        CommandError::from(MasterError::Store(busy())).code,
        "database_busy"
    );
    assert_eq!(
        CommandError::from(shinchoku_core::import::ImportError::UnknownDepartment(
            "某課".into()
        ))
        .code,
        "import_department"
    );
    // A return into an existing report without its department (import::apply's refusal):
    // the window points at its selector, in its own words.
    let missing = CommandError::from(shinchoku_core::import::ImportError::NotEmpty);
    assert_eq!(missing.code, "import_department");
    assert_eq!(missing.field.as_deref(), Some(IMPORT_DEPARTMENT_FIELD));
    assert!(
        missing.message.contains("どの課の記入か"),
        "{}",
        missing.message
    );
    let json = to_json(&CommandError::date(
        &shinchoku_core::wareki::DateError("明日".into()),
        "deadline",
    ));
    assert_eq!(
        json,
        json!({"code": "date", "field": "deadline",
               "message": "「明日」は日付として読めません。2026年11月29日 または 令和８年11月29日 のように入力してください"})
    );
}

#[test]
fn a_past_term_and_an_opened_file_are_camel_case_and_labelled() {
    let term = to_json(&ArchivedTermView::from(
        shinchoku_core::term::ArchivedTerm {
            path: "terms/shinchoku-2023-2024.db".into(),
            title: "重点政策".into(),
            years: "令和５年度〜令和６年度".into(),
            measures: 81,
            archived_at: "2026年12月1日 10:15".into(),
        },
    ));
    assert_camel_case(&term, "term");
    assert_eq!(
        keys(&term),
        sorted(vec![
            "path",
            "title",
            "yearsLabel",
            "measures",
            "archivedAtLabel"
        ])
    );
    let opened = to_json(&OpenedFileView::new(std::path::Path::new(
        "/home/a/こども支援課.shinchoku-package",
    )));
    assert_eq!(opened["kind"], json!("package"));
    let other = to_json(&OpenedFileView::new(std::path::Path::new(
        "/home/a/memo.txt",
    )));
    assert_eq!(other["kind"], Value::Null);
    let submission = to_json(&OpenedFileView::new(std::path::Path::new(
        "C:\\Users\\a\\提出.SHINCHOKU-SUBMISSION",
    )));
    assert_eq!(submission["kind"], json!("submission"));
}

/// Each measure carries what its viewer may write, by the core's one rule: the coordinator and
/// the owning department the open half, another department nothing; after a measure's end the
/// coordinator only the year's note.
#[test]
fn a_measure_carries_the_fields_its_viewer_may_write() {
    let writable = |report: &Report, role: Role<'_>| {
        to_json(&ReportView::from_report(report, role))["measures"][0]["writable"].clone()
    };
    let report = report();
    for role in [Role::Coordinator, Role::Department("企画課")] {
        let fields = writable(&report, role)["2024"].clone();
        let fields: Vec<&str> = fields
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            fields.contains(&"h2_status") && fields.contains(&"annual_target"),
            "{role:?}: {fields:?}"
        );
    }
    assert_eq!(writable(&report, Role::Department("財政課")), json!({}));

    let mut ended = report.clone();
    ended.measures[0].last_year = Some(2023);
    assert_eq!(
        writable(&ended, Role::Coordinator),
        json!({ "2024": ["year_note"] })
    );
    assert_eq!(writable(&ended, Role::Department("企画課")), json!({}));
}
