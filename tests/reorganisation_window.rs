//! The April reorganisation and a new term in the window, as a coordinator does them in 管理: a
//! department split by choosing where each measure goes, the record of who owned what, and a new
//! mayor's term whose past report stays listed and exportable. Through tauri-driver under Xvfb,
//! like e2e.rs.

mod app;
mod webdriver;

use app::*;
use serde_json::{json, Value};
use webdriver::{Driver, Session};

fn open_admin(s: &Session) {
    s.click(&s.find("#admin"));
    s.wait_for("管理 to open", || {
        (s.execute(
            "return document.getElementById('admin-dialog').open",
            json!([]),
        ) == json!(true))
        .then_some(())
    });
}

fn department_of(db: &std::path::Path, id: i64) -> String {
    list(db)["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == json!(id))
        .map(|m| m["department"].as_str().unwrap().to_string())
        .unwrap()
}

#[test]
fn a_department_is_split_in_the_window_and_the_record_says_who_owns_what() {
    let (dir, db, db_text) = sample_report();
    let ids: Vec<i64> = list(&db)["measures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["department"] == json!(DEPARTMENT))
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{DEPARTMENT} has two measures");
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, &db_text);
    open_admin(&s);
    // The department chosen as a person does in the list.
    s.execute(
        "const d = document.getElementById('department-current'); d.value = arguments[0]; d.dispatchEvent(new Event('change'))",
        json!([DEPARTMENT]),
    );
    s.click(&s.find("#department-split"));
    let target = s.find(&format!("#split-measures input[data-measure='{}']", ids[1]));
    s.send_keys(&target, "こども家庭課");
    assert_accessible(&s, "split dialog");
    s.screenshot("20-split-dialog");
    s.click(&s.find("#split-dialog button[value='ok']"));
    let said = s.wait_for("the split", || {
        let state = s.text(&s.find("#save-state"));
        state.contains("分割しました").then_some(state)
    });
    assert!(said.contains("こども家庭課"), "{said}");
    assert_eq!(
        department_of(&db, ids[0]),
        DEPARTMENT,
        "a measure left blank stays"
    );
    assert_eq!(department_of(&db, ids[1]), "こども家庭課");

    // The record, in 管理.
    s.click(&s.find("#ownership summary"));
    let record = s.wait_for("the record", || {
        let text = s.text(&s.find("#ownership-list"));
        text.contains("分割").then_some(text)
    });
    assert!(
        record.contains(&format!(
            "実施内容 ID {}: {DEPARTMENT} → こども家庭課",
            ids[1]
        )),
        "{record}"
    );
    assert_accessible(&s, "管理 with the record");

    // Escape leaves a split untouched.
    s.click(&s.find("#department-split"));
    s.press("\u{E00C}");
    assert_eq!(department_of(&db, ids[0]), DEPARTMENT);
    s.quit();
}

#[test]
fn a_new_term_is_started_in_the_window_and_the_past_one_is_exported() {
    let (dir, db, db_text) = sample_report();
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, &db_text);
    assert!(s.find_all(".card").len() > 40);
    open_admin(&s);
    assert!(s
        .text(&s.find("#terms-none"))
        .contains("過去の任期はありません"));
    s.click(&s.find("#term-new"));
    // Escape first: nothing happens.
    s.press("\u{E00C}");
    assert_eq!(list(&db)["measures"].as_array().unwrap().len(), 81);
    s.click(&s.find("#term-new"));
    let title = s.find("#term-new-title");
    s.clear(&title);
    s.send_keys(&title, "新市長の重点政策");
    assert_accessible(&s, "new term dialog");
    s.click(&s.find("#term-ok"));
    let said = s.wait_for("the new term", || {
        let state = s.text(&s.find("#save-state"));
        state.contains("新しい任期").then_some(state)
    });
    assert!(said.contains("令和６年度 から"), "{said}");
    assert!(said.contains("81 件"), "{said}");
    assert_eq!(
        list(&db)["measures"].as_array().unwrap().len(),
        0,
        "the new report is empty"
    );
    let archive = dir.path().join("terms/report-2023-2024.db");
    assert!(archive.is_file());

    // 管理 shows the new term's years only.
    let periods = s.text(&s.find("#periods"));
    assert!(!periods.contains("令和５年度"), "{periods}");
    assert!(periods.contains("令和６年度 下半期"), "{periods}");

    // The past term is listed and exported from 管理.
    let row = s.wait_for("the past term", || {
        let rows = s.find_all("#terms tr");
        rows.first().map(|r| s.text(r))
    });
    assert!(row.contains("令和５年度〜令和６年度"), "{row}");
    assert!(row.contains("81 件"), "{row}");
    s.screenshot("21-past-terms");
    let out = dir.path().join("前の任期.xlsx");
    driver.answer_next_dialog(json!(out));
    s.click(&s.find("#terms button"));
    let done = s.wait_for("the past term's export", || {
        let state = s.text(&s.find("#save-state"));
        state.contains("過去の任期を出力しました").then_some(state)
    });
    assert!(done.contains("81 件"), "{done}");
    assert!(std::fs::metadata(&out).unwrap().len() > 10_000);
    s.quit();

    // The past term's copy opened in the window: read only, exportable.
    // The coordinator's choice is remembered from the first launch.
    let s = driver.launch(
        std::path::Path::new(APP),
        &["--db", archive.to_str().unwrap()],
    );
    wait_ready(&s);
    let period = s.text(&s.find("#period"));
    assert!(period.contains("過去の任期（読み取り専用"), "{period}");
    assert!(s.find_all(".card").len() > 40);
    assert_eq!(
        s.execute("return document.querySelectorAll('#report textarea, #report input[type=radio]').length", json!([])),
        Value::from(0),
        "no cell can be written"
    );
    let hidden = |id: &str| {
        s.execute(
            "return document.getElementById(arguments[0]).hidden",
            json!([id]),
        )
    };
    for id in ["admin", "import", "submissions"] {
        assert_eq!(hidden(id), json!(true), "{id} is not offered");
    }
    assert_eq!(hidden("export"), json!(false));
    s.screenshot("22-past-term-window");
    s.quit();
}
