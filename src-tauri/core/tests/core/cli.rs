//! `init`, `check`, `list`, `set` on a temporary database, and their refusals that change nothing.

use std::path::Path;

use serde_json::Value;

use crate::common::{run, sample_db, snapshot, TempDir};

fn list_json(db: &str) -> Value {
    crate::common::list_json(Path::new(db))
}

fn measure_of(db: &str, department: &str) -> i64 {
    crate::common::measure_of(Path::new(db), department)
}

#[test]
fn init_creates_an_empty_database_and_refuses_an_existing_file() {
    let dir = TempDir::new();
    let db = dir.path("empty.db");
    let db = db.to_str().unwrap();
    let out = run(&["init", "--db", db]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("実施内容 0 件"));
    let again = run(&["init", "--db", db, "--sample"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("既に存在します"), "{}", again.stderr);
}

#[test]
fn check_counts_the_sample() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let out = run(&["check", "--db", db.to_str().unwrap(), "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["integrity"], "ok");
    assert_eq!(v["pledges"], 45);
    assert_eq!(v["measures"], 81);
    assert_eq!(v["departments"], 41);
    let r6 = &v["years"][1];
    assert_eq!(r6["label"], "令和６年度");
    assert_eq!(r6["halves"][1]["state"], "open");
    assert!(r6["halves"][0]["indicators"].as_u64().unwrap() > 40);
    let text = run(&["check", "--db", db.to_str().unwrap()]);
    assert!(
        text.stdout
            .contains("公約 45 件 / 実施内容 81 件 / 担当課 41 課"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("下半期（入力中）"));
}

#[test]
fn check_of_a_file_that_is_not_a_database_says_so() {
    let dir = TempDir::new();
    let db = dir.path("notes.txt");
    std::fs::write(&db, "これはメモです".repeat(200)).unwrap();
    let out = run(&["check", "--db", db.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("notes.txt"), "{}", out.stderr);
    assert!(out.stderr.contains("データベースではありません"));
}

#[test]
fn list_filters_by_department_and_shows_every_cell() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let out = run(&["list", "--db", db, "--department", "こども支援課"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("18歳までの医療費完全無料化"));
    assert!(out
        .stdout
        .contains("パブリックコメントの実施および条例の整備 〔☆〕"));
    assert!(!out.stdout.contains("給水管理課"));
    let json = run(&["list", "--db", db, "--department", "こども支援課", "--json"]);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(v["measures"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["department"] == "こども支援課"));
    let unknown = run(&["list", "--db", db, "--department", "存在しない課"]);
    assert_eq!(unknown.code, 1);
    assert!(unknown
        .stderr
        .contains("担当課「存在しない課」はこの報告にありません"));
}

#[test]
fn set_writes_cells_and_normalises_the_indicator() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let id = measure_of(db, "こども支援課").to_string();
    let out = run(&[
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
        " 〇 ",
        "--status",
        "受給者証を交付し、助成を開始した。",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = list_json(db);
    let m = v["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"].as_i64() == id.parse().ok())
        .unwrap();
    assert_eq!(m["years"]["2024"]["halves"]["H2"]["indicator"], "○");
    assert_eq!(
        m["years"]["2024"]["halves"]["H2"]["status"],
        "受給者証を交付し、助成を開始した。"
    );
}

#[test]
fn set_as_the_owning_department_works_and_as_another_is_refused() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db_s = db.to_str().unwrap();
    let id = measure_of(db_s, "こども支援課").to_string();
    let ok = run(&[
        "set",
        "--db",
        db_s,
        "--measure",
        &id,
        "--year",
        "2024",
        "--half",
        "H2",
        "--status",
        "進行中",
        "--as",
        "こども支援課",
    ]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let before = snapshot(&db);
    let refused = run(&[
        "set",
        "--db",
        db_s,
        "--measure",
        &id,
        "--year",
        "2024",
        "--half",
        "H2",
        "--status",
        "横取り",
        "--as",
        "危機管理室",
    ]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("こども支援課 の担当です"),
        "{}",
        refused.stderr
    );
    assert_eq!(snapshot(&db), before);
}

#[test]
fn set_refusals_change_nothing() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db_s = db.to_str().unwrap();
    let id = measure_of(db_s, "こども支援課").to_string();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--measure",
                "99999",
                "--year",
                "2024",
                "--half",
                "H2",
                "--status",
                "x",
            ],
            "実施内容 ID 99999 はありません",
        ),
        (
            &[
                "--measure",
                &id,
                "--year",
                "2024",
                "--half",
                "H2",
                "--indicator",
                "◎",
            ],
            "指標「◎」は ☆○△× のいずれでもありません",
        ),
        (
            &[
                "--measure",
                &id,
                "--year",
                "2031",
                "--half",
                "H2",
                "--status",
                "x",
            ],
            "2031 年度（令和１３年度）はこの報告にありません",
        ),
        (
            &[
                "--measure",
                &id,
                "--year",
                "2024",
                "--half",
                "H1",
                "--status",
                "x",
            ],
            "令和６年度 上半期 は締め切られています",
        ),
        (
            &["--measure", &id, "--year", "2023", "--target", "x"],
            "令和５年度 は締め切られています",
        ),
        (
            &["--measure", &id, "--year", "2024", "--status", "x"],
            "--half H1 または H2 が必要です",
        ),
        (
            &["--measure", &id, "--year", "2024", "--half", "H2"],
            "変更する項目を指定してください",
        ),
        // Two edits in one command: the valid status must not be written when the symbol is bad.
        (
            &[
                "--measure",
                &id,
                "--year",
                "2024",
                "--half",
                "H2",
                "--status",
                "書かれない",
                "--indicator",
                "丸",
            ],
            "指標「丸」",
        ),
    ];
    for (args, message) in cases {
        let before = snapshot(&db);
        let mut full = vec!["set", "--db", db_s];
        full.extend_from_slice(args);
        let out = run(&full);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(message),
            "{args:?}: expected «{message}» in «{}»",
            out.stderr
        );
        assert_eq!(snapshot(&db), before, "{args:?} changed the database");
    }
}

#[test]
fn set_with_an_unknown_half_is_a_usage_error() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let before = snapshot(&db);
    let out = run(&[
        "set",
        "--db",
        db.to_str().unwrap(),
        "--measure",
        "1",
        "--year",
        "2024",
        "--half",
        "H3",
        "--status",
        "x",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("H1（上半期）か H2（下半期）"),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&db), before);
}

/// The built `shinchoku-cli` binary, run as a process: what a script in a loop sees.
mod binary {
    use std::process::Command;

    use crate::common::TempDir;

    const BIN: &str = env!("CARGO_BIN_EXE_shinchoku-cli");

    fn cli(args: &[&str]) -> std::process::Output {
        Command::new(BIN)
            .args(args)
            .output()
            .expect("shinchoku-cli runs")
    }

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    /// A fresh PC: the default database's folder is not there yet, and `init` makes it.
    // On Windows the folder is %APPDATA%, which only the shell can move: scripts/windows.sh
    // runs the installed shinchoku-cli.exe `init --sample` and `check` on a fresh profile.
    #[cfg(unix)]
    #[test]
    fn init_without_db_makes_the_default_folder_on_a_fresh_machine() {
        let dir = TempDir::new();
        let data_home = dir.path("まだない フォルダ");
        let run = |args: &[&str]| {
            Command::new(BIN)
                .args(args)
                .env("XDG_DATA_HOME", &data_home)
                .output()
                .expect("shinchoku-cli runs")
        };
        let init = run(&["init", "--sample"]);
        assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
        assert!(data_home.join("jp.shinchoku.app/shinchoku.db").is_file());
        let check = run(&["check"]);
        assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
        // Reading creates nothing: `check` in another fresh place fails and leaves no folder.
        let elsewhere = dir.path("ほか");
        let out = Command::new(BIN)
            .arg("check")
            .env("XDG_DATA_HOME", &elsewhere)
            .output()
            .expect("shinchoku-cli runs");
        assert_eq!(out.status.code(), Some(1));
        assert!(!elsewhere.exists());
    }

    #[test]
    fn shinchoku_cli_prints_its_version() {
        let out = cli(&["--version"]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            text(&out.stdout).trim(),
            format!("shinchoku {}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn shinchoku_cli_without_a_subcommand_prints_the_help_and_names_the_window() {
        let out = cli(&[]);
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(err.contains("Usage: shinchoku-cli"), "{err}");
        assert!(err.contains("export"), "{err}");
        assert!(err.contains("ウィンドウを開くには shinchoku"), "{err}");
        assert!(out.stdout.is_empty());
    }

    #[test]
    fn shinchoku_cli_inits_checks_and_exports_the_sample() {
        let dir = TempDir::new();
        let db = dir.path("report.db");
        let db = db.to_str().unwrap();
        let init = cli(&["init", "--db", db, "--sample"]);
        assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
        let check = cli(&["check", "--db", db, "--json"]);
        assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
        let v: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
        assert_eq!(v["measures"], 81);
        assert_eq!(v["departments"], 41);
        let sheet = dir.path("report.xlsx");
        let export = cli(&["export", "--db", db, "--out", sheet.to_str().unwrap()]);
        assert_eq!(export.status.code(), Some(0), "{}", text(&export.stderr));
        let bytes = std::fs::read(&sheet).unwrap();
        assert!(bytes.starts_with(b"PK"), "not an xlsx");
        // The same sheet as the in-process command line writes.
        let again = dir.path("again.xlsx");
        crate::common::ok(&["export", "--db", db, "--out", again.to_str().unwrap()]);
        let read = |p: &std::path::Path| {
            let mut book: calamine::Xlsx<_> = calamine::open_workbook(p).unwrap();
            calamine::Reader::worksheet_range_at(&mut book, 0)
                .unwrap()
                .unwrap()
        };
        assert_eq!(read(&sheet), read(&again));
    }

    #[test]
    fn shinchoku_cli_refuses_with_status_1_and_a_japanese_message() {
        let dir = TempDir::new();
        let db = dir.path("notes.txt");
        std::fs::write(&db, "これはメモです".repeat(200)).unwrap();
        let out = cli(&["check", "--db", db.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let err = text(&out.stderr);
        assert!(err.starts_with("エラー: "), "{err}");
        assert!(err.contains("notes.txt"), "{err}");
        let usage = cli(&["export", "--db", db.to_str().unwrap(), "--bogus"]);
        assert_eq!(usage.status.code(), Some(2));
    }

    /// The point of the second binary: no GTK, no WebKit to load before a command runs.
    // Linux only: it reads the libraries with ldd (on Windows the CLI imports only system DLLs).
    #[cfg(target_os = "linux")]
    #[test]
    fn shinchoku_cli_links_neither_gtk_nor_webkit() {
        let out = Command::new("ldd")
            .arg(BIN)
            .output()
            .expect("ldd (libc-bin) is installed");
        assert!(out.status.success(), "{}", text(&out.stderr));
        let libs = text(&out.stdout);
        assert!(libs.contains("libc.so"), "ldd printed no libraries: {libs}");
        for gui in ["webkit", "gtk", "gdk", "javascriptcore", "soup"] {
            assert!(
                !libs.to_lowercase().contains(gui),
                "shinchoku-cli links {gui}: {libs}"
            );
        }
    }
}
