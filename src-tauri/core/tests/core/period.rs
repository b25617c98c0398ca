//! `period open|close|reopen|next|deadline` and `year add`: the window's period rules from the
//! command line, and their refusals that change nothing.

use std::path::Path;

use serde_json::Value;
use shinchoku_core::model::{Half, PeriodState};
use shinchoku_core::Store;

use crate::common::{ok, refused, run, sample_db, snapshot, TempDir};

fn state(db: &Path, year: i32, half: Half) -> (PeriodState, String) {
    let store = Store::open(db).unwrap();
    let y = store.fiscal_year(year).unwrap().unwrap();
    (y.half(half).state, y.half(half).deadline.clone())
}

#[test]
fn open_stores_the_deadline_as_iso_and_closes_the_period_that_was_open() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let d = db.to_str().unwrap();
    let out = ok(&[
        "period",
        "open",
        "--db",
        d,
        "--year",
        "令和6年度",
        "--half",
        "H1",
        "--deadline",
        "令和６年１０月１５日",
    ]);
    assert_eq!(
        out.trim(),
        "令和６年度 上半期 を開きました（締切 2024年10月15日）。令和６年度 下半期 は締め切りました"
    );
    assert_eq!(
        state(&db, 2024, Half::H1),
        (PeriodState::Open, "2024-10-15".into())
    );
    assert_eq!(state(&db, 2024, Half::H2).0, PeriodState::Closed);
    // Without --deadline the period keeps the one it has.
    ok(&[
        "period", "open", "--db", d, "--year", "2024", "--half", "H1",
    ]);
    assert_eq!(state(&db, 2024, Half::H1).1, "2024-10-15");
}

#[test]
fn close_and_reopen_follow_the_state_and_refuse_the_wrong_one() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let d = db.to_str().unwrap();
    assert_eq!(
        ok(&["period", "close", "--db", d, "--year", "2024", "--half", "H2"]).trim(),
        "令和６年度 下半期 を締め切りました"
    );
    refused(
        &db,
        &[
            "period", "close", "--db", d, "--year", "2024", "--half", "H2",
        ],
        "令和６年度 下半期 は締切済みのため、この操作はできません",
    );
    assert_eq!(
        ok(&["period", "reopen", "--db", d, "--year", "2024", "--half", "H2"]).trim(),
        "令和６年度 下半期 を再開しました"
    );
    refused(
        &db,
        &[
            "period", "reopen", "--db", d, "--year", "2024", "--half", "H2",
        ],
        "令和６年度 下半期 は入力中のため、この操作はできません",
    );
    ok(&["year", "add", "--db", d, "2025"]);
    refused(
        &db,
        &[
            "period", "close", "--db", d, "--year", "2025", "--half", "H1",
        ],
        "令和７年度 上半期 は未開始のため",
    );
}

#[test]
fn next_closes_the_open_period_opens_the_next_and_takes_a_backup() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let d = db.to_str().unwrap();
    let out = ok(&["period", "next", "--db", d, "--deadline", "2025/10/15"]);
    assert!(
        out.starts_with(
            "令和６年度 下半期 を締め切り、令和７年度 上半期 を開始しました（締切 2025年10月15日）"
        ),
        "{out}"
    );
    assert_eq!(
        state(&db, 2025, Half::H1),
        (PeriodState::Open, "2025-10-15".into())
    );
    assert_eq!(state(&db, 2024, Half::H2).0, PeriodState::Closed);
    assert!(ok(&["restore", "--db", d, "--list"]).contains("期の切り替えの前"));
    let json: Value = serde_json::from_str(&ok(&["period", "next", "--db", d, "--json"])).unwrap();
    assert_eq!(json["year"], 2025);
    assert_eq!(json["half"], "H2");
    assert_eq!(json["label"], "令和７年度 下半期");
    assert_eq!(json["deadline"], "");
    assert_eq!(json["closed"], "令和７年度 上半期");
}

#[test]
fn next_without_an_open_period_is_refused_and_leaves_no_backup() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let d = db.to_str().unwrap();
    ok(&[
        "period", "close", "--db", d, "--year", "2024", "--half", "H2",
    ]);
    refused(
        &db,
        &["period", "next", "--db", d],
        "入力中の期がありません。先に期を開いてください",
    );
    assert!(
        ok(&["restore", "--db", d, "--list"]).contains("バックアップはまだありません"),
        "a refused rollover takes no copy"
    );
}

#[test]
fn deadline_reads_any_spelling_and_clears() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let d = db.to_str().unwrap();
    let out = ok(&[
        "period",
        "deadline",
        "--db",
        d,
        "--year",
        "2024",
        "--half",
        "H2",
        "--deadline",
        "R7.3.31",
    ]);
    assert_eq!(
        out.trim(),
        "令和６年度 下半期 の締切を 2025年3月31日 にしました"
    );
    assert_eq!(state(&db, 2024, Half::H2).1, "2025-03-31");
    ok(&[
        "period",
        "deadline",
        "--db",
        d,
        "--year",
        "2024",
        "--half",
        "H2",
        "--deadline",
        "",
    ]);
    assert_eq!(state(&db, 2024, Half::H2).1, "");
}

#[test]
fn year_add_reads_ranges_over_the_new_year_and_lists() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let d = db.to_str().unwrap();
    let out = ok(&[
        "year",
        "add",
        "--db",
        d,
        "2025",
        "--h1-months",
        "4-9",
        "--h2-months",
        "10-3",
    ]);
    assert_eq!(
        out.trim(),
        "令和７年度 を追加しました（上半期 4〜9月、下半期 10〜3月）"
    );
    let out = ok(&[
        "year",
        "add",
        "--db",
        d,
        "令和8年度",
        "--h1-months",
        "１０，１１,12",
        "--h2-months",
        "1〜3",
    ]);
    assert!(
        out.contains("令和８年度 を追加しました（上半期 10〜12月、下半期 1〜3月）"),
        "{out}"
    );
    let store = Store::open(&db).unwrap();
    let y = store.fiscal_year(2025).unwrap().unwrap();
    assert_eq!(y.half(Half::H1).months, vec![4, 5, 6, 7, 8, 9]);
    assert_eq!(y.half(Half::H2).months, vec![10, 11, 12, 1, 2, 3]);
    assert_eq!(y.half(Half::H1).state, PeriodState::Upcoming);
    let y = store.fiscal_year(2026).unwrap().unwrap();
    assert_eq!(y.half(Half::H1).months, vec![10, 11, 12]);
    assert_eq!(y.half(Half::H2).months, vec![1, 2, 3]);
}

#[test]
fn period_and_year_refusals_change_nothing() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let d = db.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["year", "add", "--db", d, "2024"],
            "令和６年度 は既にあります",
        ),
        (
            &["year", "add", "--db", d, "2025", "--h1-months", "4-13"],
            "月「4-13」は読めません。4-9、10-3（翌年3月まで）、4,5,6 のように指定してください",
        ),
        (
            &["year", "add", "--db", d, "2025", "--h2-months", "13,1"],
            "令和７年度 下半期 の月「13,1」は 1〜12 の月を 1 つ以上指定してください",
        ),
        (
            &["year", "add", "--db", d, "2025", "--h1-months", "四月"],
            "月「四月」は読めません",
        ),
        (
            &["period", "open", "--db", d, "--year", "2031", "--half", "H1"],
            "2031 年度（令和１３年度）はこの報告にありません",
        ),
        (
            &[
                "period",
                "open",
                "--db",
                d,
                "--year",
                "2024",
                "--half",
                "H1",
                "--deadline",
                "2025年2月30日",
            ],
            "--deadline: 「2025年2月30日」は日付として読めません。2026年11月29日 または 令和８年11月29日 のように入力してください",
        ),
        (
            &["period", "next", "--db", d, "--deadline", "来週"],
            "「来週」は日付として読めません",
        ),
        (
            &["period", "reopen", "--db", d, "--year", "2025", "--half", "H1"],
            "2025 年度（令和７年度）はこの報告にありません",
        ),
    ];
    for (args, message) in cases {
        refused(&db, args, message);
    }
    // Bad usage: a year outside the range, an unknown half (clap's exit status 2).
    for args in [
        &["year", "add", "--db", d, "1900"][..],
        &[
            "period", "close", "--db", d, "--year", "2024", "--half", "H3",
        ][..],
    ] {
        let before = snapshot(&db);
        let out = run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert_eq!(snapshot(&db), before);
    }
    // A database that is not there is named, and not created.
    let missing = dir.path("ない.db");
    let out = run(&[
        "period",
        "close",
        "--db",
        missing.to_str().unwrap(),
        "--year",
        "2024",
        "--half",
        "H2",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("ない.db が見つかりません"),
        "{}",
        out.stderr
    );
    assert!(!missing.exists());
}

#[test]
fn a_deadline_outside_its_fiscal_year_and_the_next_is_refused_wherever_it_is_set() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let d = db.to_str().unwrap();
    let deadline = |date: &str| {
        [
            "period",
            "deadline",
            "--db",
            d,
            "--year",
            "2024",
            "--half",
            "H2",
            "--deadline",
        ]
        .into_iter()
        .chain([date])
        .map(str::to_string)
        .collect::<Vec<_>>()
    };
    fn args(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    for (date, shown) in [
        ("9999-12-31", "9999年12月31日"),
        ("2027-04-01", "2027年4月1日"),
        ("2024-03-31", "2024年3月31日"),
    ] {
        refused(
            &db,
            &args(&deadline(date)),
            &format!("令和６年度 下半期 の締切 {shown} は 2024年4月1日〜2027年3月31日（その年度から 2 年後の年度末まで）の日付にしてください"),
        );
    }
    // The edges are the fiscal year's first day and the last day two fiscal years on.
    for (date, stored) in [("2027-03-31", "2027-03-31"), ("2024-04-01", "2024-04-01")] {
        ok(&args(&deadline(date)));
        assert_eq!(state(&db, 2024, Half::H2).1, stored);
    }
    refused(
        &db,
        &[
            "period",
            "open",
            "--db",
            d,
            "--year",
            "2024",
            "--half",
            "H1",
            "--deadline",
            "9999-12-31",
        ],
        "令和６年度 上半期 の締切 9999年12月31日 は",
    );
    refused(
        &db,
        &["period", "next", "--db", d, "--deadline", "2024-09-30"],
        "令和７年度 上半期 の締切 2024年9月30日 は 2025年4月1日〜2028年3月31日",
    );
    assert!(
        ok(&["restore", "--db", d, "--list"]).contains("バックアップはまだありません"),
        "a rollover refused for its 締切 takes no copy"
    );
}

#[test]
fn year_add_refuses_halves_that_overlap_leave_a_gap_or_run_backwards() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let d = db.to_str().unwrap();
    let add = |h1: &'static str, h2: &'static str| {
        [
            "year",
            "add",
            "--db",
            d,
            "2025",
            "--h1-months",
            h1,
            "--h2-months",
            h2,
        ]
    };
    for (h1, h2, message) in [
        (
            "4-9",
            "4-9",
            "令和７年度 の 4月 が 2 回指定されています（上半期と下半期の月は重ならないように指定してください）",
        ),
        ("4-9", "9-3", "令和７年度 の 9月 が 2 回指定されています"),
        ("4,4,5", "6-3", "令和７年度 の 4月 が 2 回指定されています"),
        (
            "4-6",
            "10-3",
            "令和７年度 の 7月・8月・9月 がどちらの半期にも入っていません",
        ),
        (
            "10-3",
            "4-9",
            "令和７年度 の上半期の月は下半期の月より前（4月から3月の順）にしてください",
        ),
    ] {
        refused(&db, &add(h1, h2), message);
    }
    // A term's short first year: the halves meet, the twelve months are not all there.
    ok(&add("10-12", "1-3"));
}
