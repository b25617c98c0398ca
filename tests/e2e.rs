//! End to end on the real app: tauri-driver + WebKitWebDriver under Xvfb (scripts/test.sh starts
//! it). A department's half-year, from the first start to what is stored after a restart.
//! Screenshots are saved under target/e2e-screenshots/.

mod app;
mod webdriver;

use std::path::Path;
use std::process::Command;

use app::*;
use serde_json::json;
use webdriver::Driver;

#[test]
fn a_department_edits_its_open_period_and_finds_it_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let driver = Driver::start(&dir.path().join("data"));

    // First start: no database yet, the app offers the sample.
    let s = driver.launch(Path::new(APP), &["--db", db.to_str().unwrap()]);
    s.click(&s.find("#start-sample"));
    // Who am I: a department.
    let select = s.find("#who-department");
    s.execute(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));",
        json!([select.reference(), DEPARTMENT]),
    );
    s.click(&s.find("#who-as-department"));
    let ready_ms = wait_ready(&s);
    println!("sample report interactive after {ready_ms} ms (in-page)");
    s.screenshot("01-opened-as-department");

    let own = measure_of(&db, DEPARTMENT);
    let other = measure_of(&db, "危機管理室");
    let before = tally(&s);
    assert!(before.contains("令和６年度 下半期"), "{before}");

    // The indicator of the open period, by its button; then a Japanese 状況.
    s.click(&s.find(&format!(
        "[data-key='{own}:2024:h2_indicator'] button[data-glyph='△']"
    )));
    s.wait_for("the tally to count the new △", || {
        (tally(&s) != before).then_some(())
    });
    let status = s.find(&format!("textarea[data-key='{own}:2024:h2_status']"));
    s.clear(&status);
    s.wait_for("the hint asking for a reason", || {
        s.text(&s.find(&format!("[data-hint-for='{own}:2024:h2_status']")))
            .contains("理由")
            .then_some(())
    });
    s.send_keys(&status, STATUS);
    s.wait_for("the save", || {
        s.text(&s.find("#save-state"))
            .contains("保存済み")
            .then_some(())
    });
    s.screenshot("02-edited");

    // Another department's measure (shown once the filter lets all departments through) and
    // a closed period show text, not fields.
    s.execute(
        "const f = document.getElementById('filter-department'); f.value = ''; f.dispatchEvent(new Event('change'));
         document.getElementById('measure-' + arguments[0]).scrollIntoView();",
        json!([other]),
    );
    s.find(&format!("#measure-{other} .sheet"));
    s.screenshot("02b-another-department");
    assert!(
        s.find_all(&format!("textarea[data-key='{other}:2024:h2_status']"))
            .is_empty(),
        "another department's measure is editable"
    );
    assert!(s
        .find_all(&format!("[data-key='{other}:2024:h2_indicator'] button"))
        .is_empty());
    assert!(
        !s.find_all(&format!("[data-key='{other}:2024:h2_status']"))
            .is_empty(),
        "another department's measure is not shown"
    );
    assert!(
        s.find_all(&format!("textarea[data-key='{own}:2024:h1_status']"))
            .is_empty(),
        "the closed 上半期 is editable"
    );
    assert!(!s
        .find_all(&format!("div.text[data-key='{own}:2024:h1_status']"))
        .is_empty());
    s.quit();

    // Stored: the command line sees it.
    let stored = list(&db);
    let m = stored["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == own)
        .unwrap();
    assert_eq!(m["years"]["2024"]["halves"]["H2"]["indicator"], "△");
    assert_eq!(m["years"]["2024"]["halves"]["H2"]["status"], STATUS);

    // Reopened: the department is remembered, the entries are there.
    let s = driver.launch(Path::new(APP), &["--db", db.to_str().unwrap()]);
    wait_ready(&s);
    let identity = s.text(&s.find("#identity"));
    assert!(identity.contains(DEPARTMENT), "{identity}");
    let status = s.find(&format!("textarea[data-key='{own}:2024:h2_status']"));
    assert_eq!(s.property(&status, "value"), STATUS);
    let pressed = s.find(&format!(
        "[data-key='{own}:2024:h2_indicator'] button[aria-checked='true']"
    ));
    assert_eq!(s.text(&pressed), "△");
    s.screenshot("03-reopened");
    s.quit();
}

/// Escape on the first start's welcome dialog is a cancel: no report is created (before, it made
/// the sample in the user's real database), and the dialog asks again.
#[test]
fn escape_on_the_welcome_dialog_creates_nothing_and_asks_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let driver = Driver::start(&dir.path().join("data"));
    let s = driver.launch(Path::new(APP), &["--db", db.to_str().unwrap()]);
    let sample = s.find("#start-sample");
    s.send_keys(&sample, "\u{E00C}");
    let welcome_open = || s.execute("return document.getElementById('welcome').open", json!([]));
    // The dialog closes on Escape and is opened again by the app.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(
        welcome_open(),
        json!(true),
        "the welcome dialog did not ask again"
    );
    assert!(!db.exists(), "Escape created a database");
    s.screenshot("00-welcome-after-escape");
    // A chosen button still works: an empty report.
    s.click(&s.find("#start-empty"));
    s.click(&s.find("#who-as-coordinator"));
    wait_ready(&s);
    s.quit();
    assert_eq!(list(&db)["measures"], json!([]));
}

/// Text typed and the window closed at once, within the autosave's delay: the close waits for
/// the save, and the text is there at the next start.
#[test]
fn text_typed_just_before_the_window_is_closed_is_kept() {
    let (dir, db, db_text) = sample_report();
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, &db_text);
    let own = measure_of(&db, DEPARTMENT);
    let status = s.find(&format!("textarea[data-key='{own}:2024:h2_status']"));
    s.clear(&status);
    s.send_keys(&status, "閉じる直前に入力した状況");
    // The close button, as a window manager sends it (WM_DELETE_WINDOW): WebDriver's own "close
    // window" ends the page without the app's close request.
    let app = app_processes(&db_text);
    assert_eq!(app.len(), 1, "one app on the database: {app:?}");
    let asked = Command::new("/usr/bin/python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/tools/close_window.py"
        ))
        .arg(app[0].to_string())
        .output()
        .expect("python3-xlib is needed (scripts/install-deps.sh)");
    let windows: u32 = String::from_utf8_lossy(&asked.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    assert!(
        windows >= 1,
        "no window of the app was asked to close: {}",
        String::from_utf8_lossy(&asked.stderr)
    );
    let stored = || stored(&db, own, "2024", "H2", "status");
    // The window really closed: no app process on this database is left.
    let started = std::time::Instant::now();
    while !app_processes(&db_text).is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "the window did not close"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    println!(
        "closed {} ms after the close request",
        started.elapsed().as_millis()
    );
    while stored() != "閉じる直前に入力した状況" {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "the text typed before closing was lost: {}",
            stored()
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// The window saving while `shinchoku set` writes the same database in a loop: every save of
/// both succeeds (the writers wait for each other instead of failing with "database is locked").
#[test]
fn the_window_and_the_command_line_write_one_database_at_once() {
    let (dir, db, db_text) = sample_report();
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, &db_text);
    let own = measure_of(&db, DEPARTMENT);
    let other = measure_of(&db, "危機管理室");
    let loop_db = db_text.clone();
    let command_line = std::thread::spawn(move || {
        for i in 0..30 {
            cli(&[
                "set",
                "--db",
                &loop_db,
                "--measure",
                &other.to_string(),
                "--year",
                "2024",
                "--half",
                "H2",
                "--status",
                &format!("コマンドラインから {i}"),
            ]);
        }
    });
    let status_of = |id: i64| stored(&db, id, "2024", "H2", "status");
    let status = s.find(&format!("textarea[data-key='{own}:2024:h2_status']"));
    for i in 0..3 {
        let typed = format!("ウィンドウから {i}");
        s.clear(&status);
        s.send_keys(&status, &typed);
        s.wait_for("the save in the database", || {
            let state = s.text(&s.find("#save-state"));
            assert!(!state.contains("保存できません"), "{state}");
            (status_of(own) == typed.as_str()).then_some(())
        });
    }
    command_line
        .join()
        .expect("every command-line write succeeded");
    s.screenshot("01b-window-and-command-line");
    s.quit();
    assert_eq!(status_of(own), "ウィンドウから 2");
    assert_eq!(status_of(other), "コマンドラインから 29");
}

/// A save that reaches a period closed meanwhile (another coordinator's machine closed it): the
/// window says why in Japanese, keeps nothing, and shows the cell read-only from then on.
#[test]
fn a_closed_period_refuses_a_save_with_the_message_in_japanese() {
    let (dir, db, _) = sample_report();
    let own = measure_of(&db, DEPARTMENT);
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, db.to_str().unwrap());
    let status = s.find(&format!("textarea[data-key='{own}:2024:h2_status']"));
    let before = stored(&db, own, "2024", "H2", "status");
    // Closed behind the window's back.
    let mut store = shinchoku_core::Store::open(&db).unwrap();
    shinchoku_core::master::close_period(&mut store, 2024, shinchoku_core::model::Half::H2)
        .unwrap();
    drop(store);
    s.clear(&status);
    s.send_keys(&status, "締切後の入力");
    let toast = wait_toast(&s);
    assert!(
        toast.contains("令和６年度 下半期 は締め切られています"),
        "{toast}"
    );
    assert!(s.text(&s.find("#save-state")).contains("保存できません"));
    // The view is read again: the cell is text now, not a field.
    s.wait_for("the cell to become read-only", || {
        s.find_all(&format!("textarea[data-key='{own}:2024:h2_status']"))
            .is_empty()
            .then_some(())
    });
    s.find(&format!("div.text[data-key='{own}:2024:h2_status']"));
    s.screenshot("04-closed-period-refusal");
    s.quit();
    assert_eq!(
        stored(&db, own, "2024", "H2", "status"),
        before,
        "a refused save was kept"
    );
}

/// The export through its button; the native save dialog answers through the test seam. A folder
/// that does not exist gets a Japanese message naming it.
#[test]
fn the_coordinator_exports_the_sheet_from_the_app() {
    let (dir, db, _) = sample_report();
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, db.to_str().unwrap());
    let button = s.find("#export");
    assert_eq!(s.text(&button), "Excel に出力…");
    let out = dir.path().join("報告.xlsx");
    driver.answer_next_dialog(json!(out));
    s.click(&button);
    let done = s.wait_for("the export", || {
        let state = s.text(&s.find("#save-state"));
        state.contains("出力しました").then_some(state)
    });
    assert!(done.contains("令和５年度・令和６年度 81 件"), "{done}");
    assert!(std::fs::metadata(&out).unwrap().len() > 10_000);
    // A cancelled dialog writes nothing.
    driver.answer_next_dialog(json!(null));
    s.click(&button);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(s.find_all("#toast:not([hidden])").is_empty());
    driver.answer_next_dialog(json!(dir.path().join("no-such-folder/報告.xlsx")));
    s.click(&button);
    let toast = wait_toast(&s);
    assert!(toast.contains("no-such-folder"), "{toast}");
    assert!(s.text(&s.find("#save-state")).contains("出力できません"));
    s.screenshot("04b-export-refused");
    s.quit();
}

/// The public web page through its button: the folder dialog answers through the test seam, and
/// index.html, its stylesheet and the two CSV files are written there. A file chosen as the folder is
/// refused in Japanese, naming it.
#[test]
fn the_coordinator_publishes_the_web_page_from_the_app() {
    let (dir, db, _) = sample_report();
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, db.to_str().unwrap());
    let button = s.find("#publish");
    assert_eq!(s.text(&button), "公開用ページを出力…");
    let site = dir.path().join("公開");
    driver.answer_next_dialog(json!(site));
    s.click(&button);
    let done = s.wait_for("the page", || {
        let state = s.text(&s.find("#save-state"));
        state
            .contains("公開用ページを出力しました")
            .then_some(state)
    });
    assert!(done.contains("令和５年度・令和６年度 81 件"), "{done}");
    let page = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(page.contains("<h1>市長が掲げた重点政策No.1~45</h1>"));
    assert!(site.join("style.css").is_file() && site.join("report.csv").is_file());
    assert!(
        site.join("pledges.csv").is_file(),
        "the roll-up's CSV beside it"
    );
    let file = dir.path().join("a.txt");
    std::fs::write(&file, "x").unwrap();
    driver.answer_next_dialog(json!(file));
    s.click(&button);
    let toast = wait_toast(&s);
    assert!(toast.contains("a.txt はファイルです"), "{toast}");
    s.screenshot("04c-publish-refused");
    s.quit();
}

#[test]
fn the_coordinator_sees_the_board_and_settles_a_conflict_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (main, dept) = (p("main.db"), p("dept.db"));
    cli(&["init", "--sample", "--db", &main]);
    cli(&[
        "package",
        "--db",
        &main,
        "--department",
        DEPARTMENT,
        "--out",
        &p("pkg.json"),
    ]);
    cli(&["init", "--db", &dept, "--package", &p("pkg.json")]);
    let local = measure_of(Path::new(&dept), DEPARTMENT).to_string();
    cli(&[
        "set",
        "--db",
        &dept,
        "--measure",
        &local,
        "--year",
        "2024",
        "--half",
        "H2",
        "--status",
        "担当課の記入",
    ]);
    cli(&[
        "submit",
        "--db",
        &dept,
        "--out",
        &p("sub.json"),
        "--approved-by",
        "課長 一郎",
    ]);
    let own = measure_of(Path::new(&main), DEPARTMENT);
    cli(&[
        "set",
        "--db",
        &main,
        "--measure",
        &own.to_string(),
        "--year",
        "2024",
        "--half",
        "H2",
        "--status",
        "取りまとめの修正",
    ]);
    assert!(cli(&["merge", "--db", &main, &p("sub.json")]).contains("競合 1 件"));

    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, &main);
    // The conflict is in sight outside the board: counted on 提出状況, marked on its card, and
    // asked about before an export (Escape exports nothing).
    assert_eq!(s.text(&s.find("#submissions")), "提出状況（競合 1）");
    assert!(s
        .text(&s.find(&format!("#measure-{own} .card-head")))
        .contains("競合あり"));
    s.click(&s.find("#export"));
    assert!(confirmation(&s).contains("未解決の競合がある実施内容が 1 件"));
    s.screenshot("05a-export-asks-about-a-conflict");
    cancel_with_escape(&s);
    s.click(&s.find("#submissions"));
    s.find(".conflict");
    let board = s.text(&s.find("#board-rows"));
    assert!(board.contains("課長 一郎"), "{board}");
    assert!(s
        .property(&s.find("#reminder"), "value")
        .as_str()
        .unwrap()
        .contains("・危機管理室"));
    s.screenshot("05-board-with-conflict");
    assert_accessible(&s, "board with a conflict");
    let conflict = s.text(&s.find(".conflict-title"));
    assert!(
        conflict.contains("令和６年度 下半期 進捗状況"),
        "a conflict is named by its field code: {conflict}"
    );
    // The department's side: the third column.
    let take = s.find_all(".conflict .side button");
    assert_eq!(take.len(), 3);
    s.click(&take[2]);
    s.wait_for("the conflict to be settled", || {
        s.text(&s.find("#conflicts"))
            .contains("競合はありません")
            .then_some(())
    });
    s.wait_for("the mark to go", || {
        (s.text(&s.find("#submissions")) == "提出状況"
            && !s
                .text(&s.find(&format!("#measure-{own} .card-head")))
                .contains("競合あり"))
        .then_some(())
    });
    s.quit();
    let stored = list(Path::new(&main));
    let m = stored["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == own)
        .unwrap();
    assert_eq!(m["years"]["2024"]["halves"]["H2"]["status"], "担当課の記入");
}

#[test]
fn a_department_database_made_from_a_package_answers_for_its_department_and_submits() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    cli(&["init", "--sample", "--db", &p("main.db")]);
    cli(&[
        "package",
        "--db",
        &p("main.db"),
        "--department",
        DEPARTMENT,
        "--out",
        &p("pkg.json"),
    ]);
    cli(&["init", "--db", &p("dept.db"), "--package", &p("pkg.json")]);
    let driver = Driver::start(&dir.path().join("data"));
    let s = driver.launch(Path::new(APP), &["--db", &p("dept.db")]);
    // No question who: the package says which department this is.
    wait_ready(&s);
    assert!(s.text(&s.find("#identity")).contains(DEPARTMENT));
    assert_eq!(s.text(&s.find("#submit")), "提出ファイルを作成…");
    assert!(
        s.find_all("#submissions:not([hidden])").is_empty(),
        "a department sees no submission board"
    );
    let local = measure_of(Path::new(&p("dept.db")), DEPARTMENT);
    s.click(&s.find(&format!(
        "[data-key='{local}:2024:h2_indicator'] button[data-glyph='☆']"
    )));
    wait_saved(&s);
    // Escape on the approval writes nothing and asks for no file.
    s.click(&s.find("#submit"));
    s.find("#approver");
    s.press("\u{E00C}");
    s.wait_for("the approval dialog to close", || {
        (s.execute(
            "return document.getElementById('submit-dialog').open",
            json!([]),
        ) == json!(false))
        .then_some(())
    });
    assert!(!Path::new(&p("sub.json")).exists());
    // The 課長's approval, the date in Japanese as staff write it; then where to save.
    s.click(&s.find("#submit"));
    let date = s.find("#approved-on");
    let today = s.property(&date, "value");
    assert!(
        today.as_str().unwrap().ends_with('日'),
        "the date is not written the Japanese way: {today}"
    );
    // Without the 課長's name it asks; Escape goes back to the approval, nothing written.
    s.click(&s.find("#submit-ok"));
    let question = confirmation(&s);
    assert!(question.contains("承認なし"), "{question}");
    cancel_with_escape(&s);
    s.wait_for("the approval again", || {
        (s.execute(
            "return document.getElementById('submit-dialog').open",
            json!([]),
        ) == json!(true))
        .then_some(())
    });
    assert!(!Path::new(&p("sub.json")).exists());
    s.send_keys(&s.find("#approver"), "課長 花子");
    s.clear(&date);
    s.send_keys(&date, "令和７年４月１０日");
    assert_accessible(&s, "submit dialog");
    driver.answer_next_dialog(json!(p("sub.json")));
    s.click(&s.find("#submit-ok"));
    // The measure not filled in is named before anything is written; then where it went.
    let question = confirmation(&s);
    assert!(
        question.contains("未入力が") && question.contains("No."),
        "{question}"
    );
    assert_accessible(&s, "the question about items still empty");
    s.screenshot("06a-missing-before-submitting");
    let note = finish_submission(&s);
    assert!(note.contains(&p("sub.json")), "{note}");
    assert!(note.contains("取りまとめ担当へ"), "{note}");
    s.wait_for("the submission", || {
        s.text(&s.find("#save-state"))
            .contains("提出ファイルを作成しました（変更 1 件）")
            .then_some(())
    });
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("sub.json")).unwrap()).unwrap();
    assert_eq!(
        written["approvedBy"]["date"], "2025-04-10",
        "{}",
        written["approvedBy"]
    );
    s.screenshot("06-department-database");
    s.quit();
    let merged = cli(&["merge", "--db", &p("main.db"), &p("sub.json")]);
    assert!(merged.contains("反映 1 件"), "{merged}");
}

/// The import through the window: the button, the file (through the test seam), the preview with
/// what was read, and only then the import. An unreadable file is a toast naming it.
#[test]
fn an_empty_report_is_started_from_last_halfs_sheet_after_a_preview() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    cli(&["init", "--sample", "--db", &p("old.db")]);
    cli(&["export", "--db", &p("old.db"), "--out", &p("前期.xlsx")]);
    let driver = Driver::start(&dir.path().join("data"));
    let s = driver.launch(Path::new(APP), &["--db", &p("new.db")]);
    s.click(&s.find("#start-empty"));
    // No department yet: being one is not offered, and the dialog says how a department starts.
    let note = s.text(&s.find("#who-no-departments"));
    assert!(note.contains("提出用パッケージ"), "{note}");
    assert_eq!(
        s.execute(
            "return document.getElementById('who-as-department').disabled",
            json!([])
        ),
        json!(true)
    );
    s.click(&s.find("#who-as-coordinator"));
    wait_ready(&s);
    assert_eq!(s.text(&s.find("#import")), "シートを取り込む…");
    // The empty report says how to begin, and its first way opens the import.
    let guide = s.text(&s.find(".guide"));
    assert!(
        guide.contains("まだ実施内容がありません") && guide.contains("管理"),
        "{guide}"
    );
    assert_accessible(&s, "an empty report's guide");
    s.screenshot("09a-empty-report-guide");
    driver.answer_next_dialog(json!(p("前期.xlsx")));
    s.click(&s.find(".guide [data-opens='import']"));
    let summary = s.wait_for("the preview", || {
        let text = s.text(&s.find("#import-summary"));
        (!text.is_empty()).then_some(text)
    });
    assert!(summary.contains("実施内容 81 件"), "{summary}");
    assert!(summary.contains("担当課 41 課"), "{summary}");
    assert!(s
        .text(&s.find("#import-note"))
        .contains("新しい報告を作成します"));
    assert!(
        list(Path::new(&p("new.db")))["measures"] == json!([]),
        "the preview wrote"
    );
    assert_accessible(&s, "import preview");
    s.screenshot("09-import-preview");
    s.click(&s.find("#import-ok"));
    s.wait_for("the import", || {
        s.text(&s.find("#save-state"))
            .contains("シートから報告を作成しました（実施内容 81 件）")
            .then_some(())
    });
    s.wait_for("the imported report drawn", || {
        (s.find_all("section.card").len() == 81).then_some(())
    });
    s.quit();
    assert_eq!(
        list(Path::new(&p("new.db")))["measures"]
            .as_array()
            .unwrap()
            .len(),
        81
    );
    let broken = std::fs::write(p("broken.xlsx"), b"PK\x03\x04 not really")
        .map(|_| p("broken.xlsx"))
        .unwrap();
    let s = driver.launch(Path::new(APP), &["--db", &p("new.db")]);
    wait_ready(&s);
    driver.answer_next_dialog(json!(broken));
    s.click(&s.find("#import"));
    let toast = wait_toast(&s);
    assert!(toast.contains("broken.xlsx"), "{toast}");
    assert_eq!(
        s.execute(
            "return document.getElementById('import-dialog').open",
            json!([])
        ),
        json!(false),
        "a preview that failed left its dialog open"
    );
    s.quit();
}

/// A 2,000-measure × 4-year report: the view opens with every measure listed and the first card
/// editable, and typing saves; the next launch, who-am-I remembered, opens editable by itself.
/// Prints the times to interactive for BENCHMARKS.md (no assertion on time: targets live in the
/// benchmarks).
#[test]
fn a_report_of_two_thousand_measures_opens_editable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("large.db");
    cli(&["init", "--generate", "2000", "--db", db.to_str().unwrap()]);
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, db.to_str().unwrap());
    let first = measure_of(&db, "第１課");
    let area = s.find(&format!("textarea[data-key='{first}:2024:h2_status']"));
    let cards = s.execute(
        "return document.querySelectorAll('section.card').length",
        json!([]),
    );
    assert_eq!(cards, 2000);
    let filled = s.execute(
        "return document.querySelectorAll('section.card[data-filled]').length",
        json!([]),
    );
    assert!(
        filled.as_u64().unwrap() < 200,
        "cards off screen were drawn: {filled}"
    );
    s.send_keys(&area, "追記");
    s.wait_for("the save", || {
        s.text(&s.find("#save-state"))
            .contains("保存済み")
            .then_some(())
    });
    s.screenshot("07-two-thousand-measures");
    // Scrolled through a tenth of the report: cards far off screen are undrawn again, so the
    // drawn ones stay few however far one scrolls.
    for _ in 0..40 {
        s.execute(
            "document.getElementById('report').scrollTop += 2000",
            json!([]),
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let drawn = s.wait_for("the far cards undrawn", || {
        let n = s
            .execute(
                "return document.querySelectorAll('section.card[data-filled]').length",
                json!([]),
            )
            .as_u64()
            .unwrap();
        (n < 40).then_some(n)
    });
    println!("drawn cards after scrolling 80,000 px: {drawn}");
    s.quit();

    // An everyday start: nothing to choose, the report opens editable.
    let started = std::time::Instant::now();
    let s = driver.launch(Path::new(APP), &["--db", db.to_str().unwrap()]);
    let in_page = wait_ready(&s);
    let area = s.find(&format!("textarea[data-key='{first}:2024:h2_status']"));
    let wall = started.elapsed();
    let value = s.property(&area, "value");
    assert!(
        value.as_str().is_some_and(|v| v.ends_with("追記")),
        "the text typed before the restart: {value}"
    );
    let launch: u64 = s
        .execute("return document.body.dataset.launchMs", json!([]))
        .as_str()
        .and_then(|ms| ms.parse().ok())
        .expect("the view reports its time from the process start");
    println!(
        "BENCH startup/window_2000_measures_4_years: in-page {in_page} ms, process start to editable {launch} ms, launch to editable incl. WebDriver {} ms",
        wall.as_millis()
    );
    s.quit();
}

#[test]
fn the_coordinator_rolls_the_period_over_and_adds_a_measure() {
    let (dir, db, _) = sample_report();
    let own = measure_of(&db, DEPARTMENT);
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, db.to_str().unwrap());
    s.click(&s.find("#admin"));
    let rows = s.text(&s.find("#periods"));
    assert!(
        rows.contains("令和６年度 下半期") && rows.contains("入力中"),
        "{rows}"
    );
    s.screenshot("08-admin");
    // A message inside 管理 is drawn on top of it, not under its backdrop: months that no year
    // has, refused.
    let months = s.find("#periods input[aria-label='令和６年度 上半期 の月']");
    s.clear(&months);
    s.send_keys(&months, "13\u{E004}");
    wait_toast(&s);
    assert_message_on_top(&s);
    s.screenshot("08b-admin-error-on-top");
    // Turning the period asks first; Escape changes nothing.
    s.click(&s.find("#start-next"));
    let question = confirmation(&s);
    assert!(
        question.contains("入力中の 令和６年度 下半期 を締め切り"),
        "{question}"
    );
    assert_accessible(&s, "the question before turning the period");
    s.screenshot("08c-confirm-next-period");
    cancel_with_escape(&s);
    assert!(s.text(&s.find("#period")).contains("令和６年度 下半期"));
    assert!(cli(&["check", "--db", db.to_str().unwrap()]).contains("下半期（入力中）"));
    s.click(&s.find("#start-next"));
    confirmation(&s);
    confirm(&s);
    s.wait_for("the next period", || {
        s.text(&s.find("#period"))
            .contains("令和７年度 上半期")
            .then_some(())
    });
    // The half just closed is read-only now, and nothing was copied into the new one.
    assert!(s
        .find_all(&format!("textarea[data-key='{own}:2024:h2_status']"))
        .is_empty());
    assert!(s.text(&s.find("#periods")).contains("令和７年度 上半期"));
    s.click(&s.find("#measure-new"));
    s.execute("document.getElementById('m-pledge').value = '1'; document.getElementById('m-department').value = arguments[0];", json!([DEPARTMENT]));
    s.send_keys(&s.find("#m-content"), "新しい実施内容");
    s.click(&s.find("#measure-dialog button[value='ok']"));
    s.wait_for("the new measure", || {
        s.text(&s.find("#save-state"))
            .contains("実施内容を追加しました")
            .then_some(())
    });
    s.press("\u{E00C}");
    s.wait_for("管理 to close", || {
        (s.execute(
            "return document.getElementById('admin-dialog').open",
            json!([]),
        ) == json!(false))
        .then_some(())
    });
    // The April reorganisation: the measure ends with 令和６年度, so 令和７年度 takes no entries.
    s.execute(
        "document.getElementById('measure-' + arguments[0]).scrollIntoView()",
        json!([own]),
    );
    s.click(&s.find(&format!("#measure-{own} [data-measure-action='edit']")));
    let last_year = s.find("#m-last-year");
    s.execute(
        "arguments[0].value = '2024'; arguments[0].dispatchEvent(new Event('change'));",
        json!([last_year.reference()]),
    );
    assert_accessible(&s, "measure dialog with its last year");
    s.click(&s.find("#measure-dialog button[value='ok']"));
    assert!(confirmation(&s).contains("令和６年度で終了します"));
    confirm(&s);
    s.wait_for("the measure ended", || {
        s.find_all(&format!("textarea[data-key='{own}:2025:h1_status']"))
            .is_empty()
            .then_some(())
    });
    assert!(s
        .text(&s.find(&format!("#measure-{own} .card-head")))
        .contains("令和６年度で終了"));
    // And its department merged into a new one.
    s.click(&s.find("#admin"));
    let current = s.find("#department-current");
    s.execute(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));",
        json!([current.reference(), DEPARTMENT]),
    );
    s.send_keys(&s.find("#department-name"), "こども未来課");
    s.click(&s.find("#department-merge"));
    let question = confirmation(&s);
    assert!(
        question.contains("「こども支援課」を「こども未来課」に統合します")
            && question.contains("実施内容 3 件"),
        "{question}"
    );
    cancel_with_escape(&s);
    assert!(list(&db)["measures"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["department"] == DEPARTMENT));
    s.click(&s.find("#department-merge"));
    confirmation(&s);
    confirm(&s);
    s.wait_for("the merge", || {
        s.text(&s.find("#save-state"))
            .contains("こども未来課 に統合しました")
            .then_some(())
    });
    // The result is shown inside 管理, on top, and the form holds no name for a second click.
    assert_message_on_top(&s);
    assert_eq!(
        s.execute(
            "return document.getElementById('department-name').value",
            json!([])
        ),
        json!("")
    );
    assert_eq!(
        s.execute(
            "return document.getElementById('department-current').value",
            json!([])
        ),
        json!("こども未来課")
    );
    s.screenshot("08d-merged-result-in-admin");
    s.quit();
    let stored = list(&db);
    assert!(stored["measures"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["content"] == "新しい実施内容" && m["no"] == 1));
    assert!(stored["measures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["id"] == own)
        .all(|m| m["department"] == "こども未来課"));
    assert!(cli(&["check", "--db", db.to_str().unwrap()]).contains("令和７年度"));
    assert!(cli(&["restore", "--db", db.to_str().unwrap(), "--list"]).contains("期の切り替えの前"));
}

/// The second half-year of a department in the window: its first submission merged, the
/// coordinator turns the period and sends the next package; the department takes it (changes it
/// never sent are named first, and Escape keeps them), writes the new period and submits again.
#[test]
fn a_department_takes_its_second_package_in_the_window_and_submits_again() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    cli(&["init", "--sample", "--db", &p("main.db")]);
    let package = |out: &str| {
        cli(&[
            "package",
            "--db",
            &p("main.db"),
            "--department",
            DEPARTMENT,
            "--out",
            &p(out),
        ]);
    };
    package("p1.json");
    cli(&["init", "--db", &p("dept.db"), "--package", &p("p1.json")]);
    let local = measure_of(Path::new(&p("dept.db")), DEPARTMENT);
    let driver = Driver::start(&dir.path().join("data"));
    let s = driver.launch(Path::new(APP), &["--db", &p("dept.db")]);
    wait_ready(&s);
    let submit = |file: &str| {
        s.click(&s.find("#submit"));
        s.send_keys(&s.find("#approver"), "課長 花子");
        driver.answer_next_dialog(json!(p(file)));
        s.click(&s.find("#submit-ok"));
        finish_submission(&s);
        s.wait_for("the submission", || {
            s.text(&s.find("#save-state"))
                .contains("提出ファイルを作成しました")
                .then_some(())
        });
    };
    let type_status = |year: u32, half: &str, text: &str| {
        let area = s.find(&format!(
            "textarea[data-key='{local}:{year}:{half}_status']"
        ));
        s.clear(&area);
        s.send_keys(&area, text);
        wait_saved(&s);
    };
    type_status(2024, "h2", "下半期の状況");
    submit("sub1.json");
    assert!(cli(&["merge", "--db", &p("main.db"), &p("sub1.json")]).contains("反映 1 件"));

    // The coordinator turns the half-year and sends the next package.
    cli(&[
        "period",
        "next",
        "--db",
        &p("main.db"),
        "--deadline",
        "令和７年９月３０日",
    ]);
    package("p2.json");

    // A change never sent: the app names it before anything is replaced; Escape keeps it.
    type_status(2024, "h2", "送っていない修正");
    driver.answer_next_dialog(json!(p("p2.json")));
    s.click(&s.find("#update-package"));
    let message = s.wait_for("the unsent changes named", || {
        let text = s.text(&s.find("#unsent-message"));
        (!text.is_empty()).then_some(text)
    });
    assert!(message.contains("未提出の変更が 1 件"), "{message}");
    assert_accessible(&s, "unsent changes dialog");
    s.press("\u{E00C}");
    s.wait_for("the dialog to close", || {
        (s.execute(
            "return document.getElementById('unsent-dialog').open",
            json!([]),
        ) == json!(false))
        .then_some(())
    });
    assert_eq!(
        stored(Path::new(&p("dept.db")), local, "2024", "H2", "status"),
        "送っていない修正"
    );
    assert!(s.text(&s.find("#period")).contains("令和６年度 下半期"));

    // Taken, letting the unsent change go at the user's word.
    driver.answer_next_dialog(json!(p("p2.json")));
    s.click(&s.find("#update-package"));
    s.click(&s.find("#unsent-discard"));
    s.wait_for("the new period", || {
        s.text(&s.find("#period"))
            .contains("令和７年度 上半期")
            .then_some(())
    });
    assert!(s
        .text(&s.find("#save-state"))
        .contains("令和７年度 上半期 のパッケージを取り込みました"));
    s.screenshot("12-second-package");
    type_status(2025, "h1", "新しい期の状況");
    submit("sub2.json");
    s.quit();
    let merged = cli(&["merge", "--db", &p("main.db"), &p("sub2.json")]);
    assert!(merged.contains("反映 1 件"), "{merged}");
    let main = dir.path().join("main.db");
    let main = main.as_path();
    let coordinator_id = measure_of(main, DEPARTMENT);
    assert_eq!(
        stored(main, coordinator_id, "2025", "H1", "status"),
        "新しい期の状況"
    );
    assert_eq!(
        stored(main, coordinator_id, "2024", "H2", "status"),
        "下半期の状況"
    );
}
