//! Files opened by a double-click (the bundle's file associations pass the file to the app): a
//! package opens in the department's window and is taken as its next package, or starts the
//! department's report on a computer without one; a submission opens in the coordinator's window
//! and is merged, the board showing what it did; another file is named and left. Through
//! tauri-driver under Xvfb, like e2e.rs.

mod app;
mod webdriver;

use std::path::Path;

use app::*;
use serde_json::json;
use webdriver::Driver;

fn package(main: &str, out: &str) {
    cli(&[
        "package",
        "--db",
        main,
        "--department",
        DEPARTMENT,
        "--out",
        out,
    ]);
}

#[test]
fn a_double_clicked_package_and_submission_open_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    cli(&["init", "--sample", "--db", &p("main.db")]);
    package(&p("main.db"), &p("p1.shinchoku-package"));
    let driver = Driver::start(&dir.path().join("data"));

    // A computer without a report: the package starts the department's database.
    let s = driver.launch(
        Path::new(APP),
        &["--db", &p("dept.db"), &p("p1.shinchoku-package")],
    );
    wait_ready(&s);
    let period = s.text(&s.find("#period"));
    assert!(period.contains("令和６年度 下半期"), "{period}");
    assert!(Path::new(&p("dept.db")).is_file());
    let local = measure_of(Path::new(&p("dept.db")), DEPARTMENT);
    let area = s.find(&format!("textarea[data-key='{local}:2024:h2_status']"));
    s.clear(&area);
    s.send_keys(&area, "ダブルクリックで始めた状況");
    wait_saved(&s);
    s.click(&s.find("#submit"));
    s.send_keys(&s.find("#approver"), "課長 花子");
    driver.answer_next_dialog(json!(p("s1.shinchoku-submission")));
    s.click(&s.find("#submit-ok"));
    finish_submission(&s);
    s.wait_for("the submission", || {
        s.text(&s.find("#save-state"))
            .contains("提出ファイルを作成しました")
            .then_some(())
    });
    s.quit();

    // The coordinator double-clicks the submission: it is merged and the board says so.
    let s = driver.launch(
        Path::new(APP),
        &["--db", &p("main.db"), &p("s1.shinchoku-submission")],
    );
    s.click(&s.find("#who-as-coordinator"));
    let result = s.wait_for("the merge of the opened file", || {
        let text = s.text(&s.find("#merge-result"));
        text.contains("反映").then_some(text)
    });
    assert!(result.contains("s1.shinchoku-submission"), "{result}");
    assert!(result.contains("反映 1 件"), "{result}");
    assert_eq!(
        stored(
            Path::new(&p("main.db")),
            measure_of(Path::new(&p("main.db")), DEPARTMENT),
            "2024",
            "H2",
            "status"
        ),
        json!("ダブルクリックで始めた状況")
    );
    assert_accessible(&s, "board after an opened submission");
    s.screenshot("30-opened-submission");
    s.quit();

    // The next half-year's package double-clicked on the department's computer.
    cli(&["period", "next", "--db", &p("main.db")]);
    package(&p("main.db"), &p("p2.shinchoku-package"));
    let s = driver.launch(
        Path::new(APP),
        &["--db", &p("dept.db"), &p("p2.shinchoku-package")],
    );
    let said = s.wait_for("the next package", || {
        let text = s.text(&s.find("#save-state"));
        text.contains("パッケージを取り込みました").then_some(text)
    });
    assert!(
        said.contains("令和７年度 上半期") || said.contains("上半期"),
        "{said}"
    );
    s.quit();

    // Any other file is named and nothing changes.
    let other = p("memo.txt");
    std::fs::write(&other, "メモ").unwrap();
    let s = driver.launch(Path::new(APP), &["--db", &p("dept.db"), &other]);
    let toast = wait_toast(&s);
    assert!(toast.contains("memo.txt"), "{toast}");
    s.quit();
}
