//! The bad input tour: every refusal the app promises, in one place, each asserting the Japanese
//! message that names the file and the place, and that the database is byte-for-byte unchanged.

use std::path::Path;

use crate::common::{run, sample_db, snapshot, TempDir};

/// Runs `args` against `db` and checks the refusal: exit 1, `message` in what it printed, and
/// not one byte of the database changed.
fn refused(db: &Path, args: &[&str], message: &str) {
    let before = snapshot(db);
    let out = run(args);
    assert_eq!(
        out.code, 1,
        "{args:?} was not refused: {}{}",
        out.stdout, out.stderr
    );
    let printed = format!("{}{}", out.stdout, out.stderr);
    assert!(
        printed.contains(message),
        "{args:?}: expected «{message}» in «{printed}»"
    );
    assert_eq!(snapshot(db), before, "{args:?} changed the database");
}

fn measure_of(db: &str, department: &str) -> String {
    crate::common::measure_of(Path::new(db), department).to_string()
}

#[test]
fn a_file_that_is_not_sqlite_and_a_newer_schema_are_refused_untouched() {
    let dir = TempDir::new();
    let text = dir.path("memo.db");
    std::fs::write(&text, "議事録メモ".repeat(300)).unwrap();
    refused(
        &text,
        &["check", "--db", text.to_str().unwrap()],
        "memo.db は shinchoku のデータベースではありません",
    );
    let newer = dir.path("newer.db");
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("CREATE TABLE x (y); PRAGMA user_version = 42;")
        .unwrap();
    refused(
        &newer,
        &["list", "--db", newer.to_str().unwrap()],
        "newer.db は新しいバージョンの shinchoku で作成されています",
    );
}

#[test]
fn edits_with_an_unknown_symbol_a_wrong_department_or_a_closed_period_are_refused() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let s = db.to_str().unwrap();
    let own = measure_of(s, "こども支援課");
    let set = |extra: &[&'static str]| {
        let mut args = vec![
            "set",
            "--db",
            s,
            "--measure",
            own.as_str(),
            "--year",
            "2024",
        ];
        args.extend_from_slice(extra);
        args
    };
    refused(
        &db,
        &set(&["--half", "H2", "--indicator", "Ｏ"]),
        "指標「Ｏ」は ☆○△× のいずれでもありません",
    );
    refused(
        &db,
        &set(&["--half", "H2", "--status", "x", "--as", "危機管理室"]),
        "こども支援課 の担当です（危機管理室 は編集できません）",
    );
    refused(
        &db,
        &set(&["--half", "H1", "--status", "x"]),
        "令和６年度 上半期 は締め切られています",
    );
}

#[test]
fn an_export_to_a_place_that_cannot_be_written_leaves_no_file() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let target = dir.path("ない/報告.xlsx");
    refused(
        &db,
        &[
            "export",
            "--db",
            db.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
        ],
        "報告.xlsx に保存できません",
    );
    assert!(!target.exists());
    // A folder where the file should be: the rename cannot replace it.
    let occupied = dir.path("occupied.xlsx");
    std::fs::create_dir(&occupied).unwrap();
    refused(
        &db,
        &[
            "export",
            "--db",
            db.to_str().unwrap(),
            "--out",
            occupied.to_str().unwrap(),
        ],
        "occupied.xlsx に保存できません",
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.0.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn an_altered_submission_and_one_for_a_closed_period_are_refused() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let s = db.to_str().unwrap();
    let pkg = dir.path("pkg.json");
    assert_eq!(
        run(&[
            "package",
            "--db",
            s,
            "--department",
            "こども支援課",
            "--out",
            pkg.to_str().unwrap()
        ])
        .code,
        0
    );
    let dept = dir.path("dept.db");
    assert_eq!(
        run(&[
            "init",
            "--db",
            dept.to_str().unwrap(),
            "--package",
            pkg.to_str().unwrap()
        ])
        .code,
        0
    );
    let sub = dir.path("sub.json");
    assert_eq!(
        run(&[
            "submit",
            "--db",
            dept.to_str().unwrap(),
            "--out",
            sub.to_str().unwrap()
        ])
        .code,
        0
    );
    let altered = dir.path("altered.json");
    std::fs::write(
        &altered,
        std::fs::read_to_string(&sub)
            .unwrap()
            .replacen("こども支援課", "危機管理室", 1),
    )
    .unwrap();
    refused(
        &db,
        &["merge", "--db", s, altered.to_str().unwrap()],
        "altered.json は壊れています（チェックサムが一致しません）",
    );
    // Closing the period is the coordinator's; a late submission is then refused.
    let mut store = shinchoku_core::Store::open(&db).unwrap();
    store
        .write(
            &shinchoku_core::model::Actor::Coordinator,
            &shinchoku_core::model::Source::App,
            |w| {
                w.set_period_state(
                    2024,
                    shinchoku_core::Half::H2,
                    shinchoku_core::model::PeriodState::Closed,
                )
            },
        )
        .unwrap();
    drop(store);
    refused(
        &db,
        &["merge", "--db", s, sub.to_str().unwrap()],
        "sub.json: 取り込めません — 令和６年度 下半期 は締め切られています",
    );
}
