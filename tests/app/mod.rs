//! The app under test: its command line, what its database holds, and its window opened and
//! ready. Shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

use crate::webdriver::{Driver, Session};

pub const APP: &str = env!("CARGO_BIN_EXE_shinchoku");
pub const DEPARTMENT: &str = "こども支援課";
pub const STATUS: &str = "受給者証の交付を開始し、１０月から助成を開始した。";

/// The app's command line, which must succeed; its standard output.
pub fn cli(args: &[&str]) -> String {
    let out = Command::new(APP).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn list(db: &Path) -> Value {
    serde_json::from_str(&cli(&["list", "--json", "--db", db.to_str().unwrap()])).unwrap()
}

/// The id of the first measure of a department, as the database has it.
pub fn measure_of(db: &Path, department: &str) -> i64 {
    list(db)["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["department"] == department)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// The app processes (this test binary's app, not tauri-driver) whose command line names `db`.
pub fn app_processes(db: &str) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|p| {
            let pid = p.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(p.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline);
            (cmdline.starts_with(APP) && cmdline.contains(db)).then_some(pid)
        })
        .collect()
}

pub fn wait_ready(s: &Session) -> u64 {
    // Drawing the report after the start's dialog is still part of the start.
    s.wait_up_to(crate::webdriver::START_TIMEOUT, "the report view", || {
        let v = s.execute("return document.body.dataset.readyMs || null", json!([]));
        v.as_str().and_then(|ms| ms.parse().ok())
    })
}

/// The app on `db`, opened as the coordinator (the who-am-I dialog of a first start), ready.
pub fn open_as_coordinator(driver: &Driver, db: &str) -> Session {
    let s = driver.launch(Path::new(APP), &["--db", db]);
    s.click(&s.find("#who-as-coordinator"));
    wait_ready(&s);
    s
}

pub fn tally(s: &Session) -> String {
    s.text(&s.find("#tally"))
}

/// The stored value of one cell (`list --json`), `Null` when blank.
pub fn stored(db: &Path, measure: i64, year: &str, half: &str, what: &str) -> Value {
    list(db)["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == measure)
        .unwrap()["years"][year]["halves"][half][what]
        .clone()
}

/// Waits until the save state in the top bar says everything is saved.
pub fn wait_saved(s: &Session) {
    s.wait_for("the save", || {
        let state = s.text(&s.find("#save-state"));
        assert!(!state.contains("保存できません"), "{state}");
        state.contains("保存済み").then_some(())
    });
}

/// Waits for the error toast and returns its text.
pub fn wait_toast(s: &Session) -> String {
    s.wait_for("the error toast", || {
        let shown = s.find_all("#toast:not([hidden])");
        shown.first().map(|t| s.text(t)).filter(|t| !t.is_empty())
    })
}

/// Asserts that axe-core finds no WCAG 2.1 A/AA violation in the window as it is (`what`).
pub fn assert_accessible(s: &Session, what: &str) {
    let violations = s.accessibility_violations();
    if !violations.is_empty() {
        s.screenshot(&format!(
            "axe-{}",
            what.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        ));
    }
    assert!(
        violations.is_empty(),
        "{what}: axe-core found\n{}",
        violations.join("\n")
    );
}

/// A temporary folder with the sample report in `report.db`; the folder goes with the first.
pub fn sample_report() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let db_text = db.to_str().unwrap().to_string();
    cli(&["init", "--sample", "--db", &db_text]);
    (dir, db, db_text)
}

/// The question a destructive action asks first, once it is on screen.
pub fn confirmation(s: &Session) -> String {
    s.wait_for("the question before a destructive action", || {
        (s.execute(
            "return document.getElementById('confirm-dialog').open",
            json!([]),
        ) == json!(true))
        .then(|| s.text(&s.find("#confirm-text")))
    })
}

/// Answers the question with Escape, as a person who changes their mind does: the safe choice
/// has the focus, and the question closes.
pub fn cancel_with_escape(s: &Session) {
    let focused = s.execute("return document.activeElement.id", json!([]));
    assert_eq!(
        focused,
        json!("confirm-cancel"),
        "the safe choice has the focus"
    );
    s.press("\u{E00C}");
    s.wait_for("the question to close", || {
        (s.execute(
            "return document.getElementById('confirm-dialog').open",
            json!([]),
        ) == json!(false))
        .then_some(())
    });
}

/// Confirms the question with its action button.
pub fn confirm(s: &Session) {
    s.click(&s.find("#confirm-ok"));
}

/// Asserts that the message shown is on top where it is drawn: the element at its centre is
/// the message itself, not a backdrop or a dialog over it.
pub fn assert_message_on_top(s: &Session) {
    let on_top = s.execute(
        "const t = document.getElementById('toast'); const r = t.getBoundingClientRect();
         const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
         return !t.hidden && r.width > 0 && (hit === t || t.contains(hit));",
        json!([]),
    );
    assert_eq!(on_top, json!(true), "the message is drawn under something");
}

/// After 保存先を選ぶ… in the submit dialog, as a clerk goes on: every question on the way (no
/// 課長's name, items still empty) confirmed, then the closing note with the file's path read
/// and closed. Returns the note's text.
pub fn finish_submission(s: &Session) -> String {
    let open = |id: &str| {
        s.execute(
            "return document.getElementById(arguments[0]).open",
            json!([id]),
        ) == json!(true)
    };
    loop {
        let step = s.wait_for("the next step of the submission", || {
            if open("confirm-dialog") {
                Some("confirm")
            } else if open("submitted-dialog") {
                Some("done")
            } else {
                None
            }
        });
        if step == "done" {
            break;
        }
        confirm(s);
        s.wait_for("the question to close", || {
            (!open("confirm-dialog")).then_some(())
        });
    }
    let note = s.text(&s.find("#submitted-dialog"));
    s.press("\u{E00C}");
    s.wait_for("the note to close", || {
        (!open("submitted-dialog")).then_some(())
    });
    note
}
