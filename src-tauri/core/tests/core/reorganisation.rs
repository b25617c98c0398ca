//! The April reorganisation: departments merged, split and renamed, measures moved and ended,
//! the history of who owned what, and the packages and submissions issued before a change,
//! refused with the department that answers for the measures now.

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;
use shinchoku_core::master;

use crate::common::{list_json, ok, run, sample_db, snapshot, Output, TempDir};

/// A refused command: status 1, `message` on stderr (or stdout, where merge reports each
/// file), the database byte for byte as before.
fn refused(db: &str, args: &[&str], message: &str) -> Output {
    let before = snapshot(Path::new(db));
    let out = run(args);
    assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
    assert!(
        out.stderr.contains(message) || out.stdout.contains(message),
        "{args:?}: expected «{message}» in «{}{}»",
        out.stderr,
        out.stdout
    );
    assert_eq!(
        snapshot(Path::new(db)),
        before,
        "{args:?} changed the database"
    );
    out
}

/// The ids of `department`'s measures, in sheet order.
fn ids_of(db: &str, department: &str) -> Vec<i64> {
    list_json(Path::new(db))["measures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["department"] == department)
        .map(|m| m["id"].as_i64().unwrap())
        .collect()
}

/// The department of measure `id`.
fn owner(db: &str, id: i64) -> String {
    list_json(Path::new(db))["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap()["department"]
        .as_str()
        .unwrap()
        .to_string()
}

fn history(db: &str) -> Vec<Value> {
    serde_json::from_str::<Value>(&ok(&["department", "history", "--db", db, "--json"]))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// 2026年4月1日: today as the messages write the date of a change.
fn today() -> String {
    let today = chrono::Local::now().date_naive();
    shinchoku_core::wareki::date_label(today)
}

fn package(db: &str, department: &str, out: &Path) {
    ok(&[
        "package",
        "--db",
        db,
        "--department",
        department,
        "--out",
        out.to_str().unwrap(),
    ]);
}

/// A department database from `package`, one 2024 下半期 status written there, and its
/// submission. Returns the submission's path.
fn department_submits(dir: &TempDir, name: &str, package: &Path, status: &str) -> String {
    let db = dir.path(&format!("{name}.db"));
    let db = db.to_str().unwrap();
    ok(&["init", "--db", db, "--package", package.to_str().unwrap()]);
    let local = list_json(Path::new(db))["measures"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    ok(&[
        "set",
        "--db",
        db,
        "--measure",
        &local,
        "--year",
        "2024",
        "--half",
        "H2",
        "--status",
        status,
    ]);
    let submission = dir.path(&format!("{name}.submission.json"));
    ok(&["submit", "--db", db, "--out", submission.to_str().unwrap()]);
    submission.to_str().unwrap().to_string()
}

#[test]
fn merging_departments_gives_the_target_every_measure_and_removes_them() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let a = ids_of(db, "農業振興課");
    let b = ids_of(db, "商業観光課");
    let out = ok(&[
        "department",
        "merge",
        "--db",
        db,
        "--into",
        "産業観光課",
        "農業振興課",
        "商業観光課",
    ]);
    assert!(
        out.contains("農業振興課・商業観光課 を 産業観光課 に統合しました（実施内容 8 件）"),
        "{out}"
    );
    assert!(out.contains("新設した課: 産業観光課"), "{out}");
    let merged = ids_of(db, "産業観光課");
    assert_eq!(merged, {
        let mut all = [a.clone(), b.clone()].concat();
        all.sort_by_key(|id| merged.iter().position(|m| m == id));
        all
    });
    assert!(ids_of(db, "農業振興課").is_empty());
    // Gone, and named with where it went wherever it is asked for.
    refused(
        db,
        &["list", "--db", db, "--department", "農業振興課"],
        &format!(
            "農業振興課 は {}に 産業観光課 に統合されました。現在の課を指定してください",
            today()
        ),
    );
    let check: Value = serde_json::from_str(&ok(&["check", "--db", db, "--json"])).unwrap();
    assert_eq!(check["departments"], 40);
    // The history: each measure's change and each department's end, with time and actor.
    let rows = history(db);
    assert_eq!(rows.len(), 8 + 2);
    let gone: Vec<&Value> = rows.iter().filter(|r| r["measureId"].is_null()).collect();
    assert_eq!(gone[0]["fromDepartment"], "農業振興課");
    assert_eq!(gone[0]["toDepartment"], "産業観光課");
    assert_eq!(gone[0]["kind"], "merge");
    assert_eq!(gone[0]["actor"], "取りまとめ");
    let m: Value = serde_json::from_str(&ok(&[
        "measure",
        "history",
        "--db",
        db,
        "--measure",
        &a[0].to_string(),
        "--json",
    ]))
    .unwrap();
    assert_eq!(m["department"], "産業観光課");
    assert_eq!(m["changes"][0]["fromDepartment"], "農業振興課");
    assert!(m["changes"][0]["changedAt"].as_str().unwrap().len() >= 19);
    let text = ok(&["department", "history", "--db", db]);
    assert!(
        text.contains("統合 農業振興課 → 産業観光課（農業振興課 は廃止）"),
        "{text}"
    );
}

#[test]
fn merging_into_an_existing_department_keeps_it() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let before = ids_of(db, "産業振興課").len();
    let out = ok(&[
        "department",
        "merge",
        "--db",
        db,
        "--into",
        "産業振興課",
        "農業振興課",
    ]);
    assert!(!out.contains("新設した課"), "{out}");
    assert_eq!(ids_of(db, "産業振興課").len(), before + 4);
}

#[test]
fn refused_merges_change_nothing_and_say_why() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    refused(
        db,
        &[
            "department",
            "merge",
            "--db",
            db,
            "--into",
            "新課",
            "架空課",
        ],
        "担当課「架空課」はこの報告にありません",
    );
    refused(
        db,
        &[
            "department",
            "merge",
            "--db",
            db,
            "--into",
            "農業振興課",
            "農業振興課",
        ],
        "統合先の 農業振興課 が統合する課にも指定されています",
    );
    // Nothing half done: the second name is unknown, so the first is not merged either.
    refused(
        db,
        &[
            "department",
            "merge",
            "--db",
            db,
            "--into",
            "新課",
            "農業振興課",
            "架空課",
        ],
        "担当課「架空課」はこの報告にありません",
    );
    ok(&[
        "department",
        "merge",
        "--db",
        db,
        "--into",
        "新課",
        "農業振興課",
    ]);
    refused(
        db,
        &[
            "department",
            "merge",
            "--db",
            db,
            "--into",
            "別課",
            "農業振興課",
        ],
        "農業振興課 は",
    );
}

#[test]
fn splitting_shares_the_measures_and_the_rest_stays() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let ids = ids_of(db, "経営企画課");
    assert_eq!(ids.len(), 9);
    let to_a = format!("政策推進課:{},{}", ids[0], ids[1]);
    let to_b = format!("デジタル推進課：{}", ids[2]);
    let out = ok(&[
        "department",
        "split",
        "--db",
        db,
        "経営企画課",
        "--to",
        &to_a,
        "--to",
        &to_b,
    ]);
    assert!(out.contains("経営企画課 に残る実施内容 6 件"), "{out}");
    assert_eq!(ids_of(db, "政策推進課"), ids[..2].to_vec());
    assert_eq!(ids_of(db, "デジタル推進課"), vec![ids[2]]);
    assert_eq!(ids_of(db, "経営企画課"), ids[3..].to_vec());
    // Not gone while measures stay: only the measures' changes are recorded.
    assert!(history(db).iter().all(|r| !r["measureId"].is_null()));

    // Every remaining measure named: the department is split away and removed.
    let rest: Vec<String> = ids[3..].iter().map(i64::to_string).collect();
    let to_rest = format!("政策推進課:{}", rest.join(","));
    let out = ok(&[
        "department",
        "split",
        "--db",
        db,
        "経営企画課",
        "--to",
        &to_rest,
    ]);
    assert!(out.contains("廃止した課: 経営企画課"), "{out}");
    refused(
        db,
        &["list", "--db", db, "--department", "経営企画課"],
        &format!("経営企画課 は {}に 政策推進課 に分割されました", today()),
    );
}

#[test]
fn refused_splits_change_nothing_and_say_why() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let own = ids_of(db, "経営企画課");
    let other = ids_of(db, "農業振興課")[0];
    let cases: Vec<(String, &str)> = vec![
        (
            format!("新課:{other}"),
            "は 農業振興課 の担当です（経営企画課 の実施内容ではありません）",
        ),
        ("新課:999999".into(), "実施内容 ID 999999 はありません"),
        ("新課".into(), "分割先「新課」は読めません"),
        ("新課:十二".into(), "分割先「新課:十二」は読めません"),
        (
            format!("経営企画課:{}", own[0]),
            "経営企画課 を 経営企画課 自身に分割することはできません",
        ),
    ];
    for (to, message) in &cases {
        refused(
            db,
            &["department", "split", "--db", db, "経営企画課", "--to", to],
            message,
        );
    }
    let a = format!("新課A:{}", own[0]);
    let b = format!("新課B:{}", own[0]);
    refused(
        db,
        &[
            "department",
            "split",
            "--db",
            db,
            "経営企画課",
            "--to",
            &a,
            "--to",
            &b,
        ],
        &format!("実施内容 ID {} が 2 つの分割先に指定されています", own[0]),
    );
    refused(
        db,
        &["department", "split", "--db", db, "架空課", "--to", &a],
        "担当課「架空課」はこの報告にありません",
    );
}

#[test]
fn a_measure_moves_and_its_cells_stay() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let id = ids_of(db, "農業振興課")[0];
    let before: Value = list_json(Path::new(db))["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap()["years"]
        .clone();
    let out = ok(&[
        "measure",
        "move",
        "--db",
        db,
        "--measure",
        &id.to_string(),
        "--to",
        "産業振興課",
    ]);
    assert!(
        out.contains(&format!(
            "実施内容 ID {id} を 農業振興課 から 産業振興課 に移管しました"
        )),
        "{out}"
    );
    assert_eq!(owner(db, id), "産業振興課");
    let after = list_json(Path::new(db))["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap()["years"]
        .clone();
    assert_eq!(after, before);
    let text = ok(&[
        "measure",
        "history",
        "--db",
        db,
        "--measure",
        &id.to_string(),
    ]);
    assert!(text.contains("担当 産業振興課"), "{text}");
    assert!(text.contains("移管 実施内容"), "{text}");
    assert!(text.contains("農業振興課 → 産業振興課"), "{text}");

    let id = id.to_string();
    refused(
        db,
        &[
            "measure",
            "move",
            "--db",
            db,
            "--measure",
            &id,
            "--to",
            "産業振興課",
        ],
        "は既に 産業振興課 の担当です",
    );
    refused(
        db,
        &[
            "measure",
            "move",
            "--db",
            db,
            "--measure",
            &id,
            "--to",
            "架空課",
        ],
        "担当課「架空課」はこの報告にありません",
    );
    refused(
        db,
        &[
            "measure",
            "move",
            "--db",
            db,
            "--measure",
            "999999",
            "--to",
            "農業振興課",
        ],
        "実施内容 ID 999999 はありません",
    );
}

#[test]
fn a_renamed_department_answers_for_its_old_name() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let p = dir.path("old.json");
    package(db, "農業振興課", &p);
    let submission = department_submits(&dir, "old", &p, "改称前の提出");
    let out = ok(&["department", "rename", "--db", db, "農業振興課", "農政課"]);
    assert!(out.contains("農業振興課 を 農政課 に改称しました"), "{out}");
    refused(
        db,
        &["merge", "--db", db, &submission],
        &format!(
            "農業振興課 は {}に 農政課 に改称されました。農政課 のパッケージで提出してください",
            today()
        ),
    );
    // A chain is followed to the department of now.
    ok(&[
        "department",
        "merge",
        "--db",
        db,
        "--into",
        "産業振興課",
        "農政課",
    ]);
    refused(
        db,
        &[
            "package",
            "--db",
            db,
            "--department",
            "農業振興課",
            "--out",
            "x.json",
        ],
        "農業振興課 は",
    );
    let out = refused(
        db,
        &["merge", "--db", db, &submission],
        "産業振興課 のパッケージで提出してください",
    );
    assert!(
        !out.stdout.contains("農政課 のパッケージ"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_submission_of_a_merged_department_is_refused_with_the_new_one() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let p = dir.path("agri.json");
    package(db, "農業振興課", &p);
    let submission = department_submits(&dir, "agri", &p, "統合前の提出");
    ok(&[
        "department",
        "merge",
        "--db",
        db,
        "--into",
        "産業観光課",
        "農業振興課",
        "商業観光課",
    ]);
    refused(
        db,
        &["merge", "--db", db, &submission],
        &format!(
            "農業振興課 は {}に 産業観光課 に統合されました。産業観光課 のパッケージで提出してください",
            today()
        ),
    );
    // And no new package of the old department: the message names the new one.
    let out = dir.path("again.json");
    refused(
        db,
        &[
            "package",
            "--db",
            db,
            "--department",
            "農業振興課",
            "--out",
            out.to_str().unwrap(),
        ],
        "産業観光課 に統合されました。産業観光課 のパッケージを作成してください",
    );
    assert!(!out.exists());
    // The new department's package carries every merged measure and round-trips.
    let p2 = dir.path("merged.json");
    package(db, "産業観光課", &p2);
    let s2 = department_submits(&dir, "merged", &p2, "統合後の提出");
    let merged = ok(&["merge", "--db", db, &s2]);
    assert!(merged.contains("反映 1 件"), "{merged}");
}

#[test]
fn after_a_split_the_old_package_is_refused_and_the_new_departments_round_trip() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let old = dir.path("old.json");
    package(db, "高齢者支援課", &old);
    let old_submission = department_submits(&dir, "old", &old, "分割前の提出");
    let ids = ids_of(db, "高齢者支援課");
    let a = format!(
        "地域包括ケア課:{}",
        ids[..3]
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    let b = format!(
        "介護保険課:{}",
        ids[3..]
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    ok(&[
        "department",
        "split",
        "--db",
        db,
        "高齢者支援課",
        "--to",
        &a,
        "--to",
        &b,
    ]);
    refused(
        db,
        &["merge", "--db", db, &old_submission],
        &format!(
            "高齢者支援課 は {}に 地域包括ケア課・介護保険課 に分割されました。地域包括ケア課・介護保険課 のパッケージで提出してください",
            today()
        ),
    );
    for (name, share) in [("地域包括ケア課", &ids[..3]), ("介護保険課", &ids[3..])] {
        let p = dir.path(&format!("{name}.json"));
        package(db, name, &p);
        let issued: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let in_package: Vec<i64> = issued["report"]["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect();
        assert_eq!(in_package, share.to_vec());
        let s = department_submits(&dir, name, &p, &format!("{name}の状況"));
        let merged = ok(&["merge", "--db", db, &s]);
        assert!(merged.contains("反映 1 件"), "{merged}");
        let listed = list_json(Path::new(db));
        let measure = listed["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == share[0])
            .unwrap()
            .clone();
        assert_eq!(
            measure["years"]["2024"]["halves"]["H2"]["status"],
            format!("{name}の状況")
        );
    }
}

#[test]
fn a_package_issued_before_a_measure_moved_away_is_refused_naming_the_measure() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let p = dir.path("before.json");
    package(db, "産業振興課", &p);
    let submission = department_submits(&dir, "before", &p, "移管前の提出");
    let id = ids_of(db, "産業振興課")[1];
    ok(&[
        "measure",
        "move",
        "--db",
        db,
        "--measure",
        &id.to_string(),
        "--to",
        "農業振興課",
    ]);
    refused(
        db,
        &["merge", "--db", db, &submission],
        &format!(
            "実施内容 ID {id} は {}に 産業振興課 から 農業振興課 に移管されました。産業振興課 の新しいパッケージで提出してください",
            today()
        ),
    );
    // A package issued after the move answers for what the department owns now.
    let p2 = dir.path("after.json");
    package(db, "産業振興課", &p2);
    let s2 = department_submits(&dir, "after", &p2, "移管後の提出");
    assert!(ok(&["merge", "--db", db, &s2]).contains("反映 1 件"));
}

#[test]
fn a_retired_measure_keeps_its_past_years_and_gets_no_later_cells() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let ids = ids_of(db, "産業振興課");
    let ended = ids[0];
    let ended_id = ended.to_string();
    // Written in 令和６年度: it cannot end with 令和５年度.
    refused(
        db,
        &[
            "measure",
            "retire",
            "--db",
            db,
            "--measure",
            &ended_id,
            "--after",
            "2023",
        ],
        &format!(
            "実施内容 ID {ended} には 令和６年度 の記入があるため、令和５年度 で終了にはできません"
        ),
    );
    refused(
        db,
        &[
            "measure",
            "retire",
            "--db",
            db,
            "--measure",
            &ended_id,
            "--after",
            "2030",
        ],
        "2030 年度（令和１２年度）はこの報告にありません",
    );
    // By default the year of the open period (令和６年度 下半期).
    let out = ok(&["measure", "retire", "--db", db, "--measure", &ended_id]);
    assert!(out.contains("令和６年度 で終了にしました"), "{out}");
    assert!(ok(&["list", "--db", db]).contains("令和６年度 で終了"));
    ok(&["period", "next", "--db", db]);
    // 令和７年度 上半期: its package holds the other measures only.
    let p = dir.path("next.json");
    package(db, "産業振興課", &p);
    let issued: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    assert!(issued["base"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["measureId"] != ended));
    assert_eq!(
        issued["report"]["measures"].as_array().unwrap().len(),
        ids.len() - 1
    );
    // A department cannot write its later years, even in the coordinator's database.
    refused(
        db,
        &[
            "set", "--db", db, "--measure", &ended_id, "--year", "2025", "--half", "H1",
            "--status", "終了後", "--as", "産業振興課",
        ],
        // Named as the sheet names it, never by an internal id.
        "No.21 産業振興課 令和７年度 上半期 進捗状況 は書けません（この実施内容は 令和６年度 で終了しています）",
    );
    // Nor can the coordinator write an entry there (the edit once let it, unlike the window,
    // the sheet and the packages); a year's note (備考) is still the coordinator's (below).
    refused(
        db,
        &[
            "set", "--db", db, "--measure", &ended_id, "--year", "2025", "--half", "H1",
            "--status", "終了後",
        ],
        "No.21 産業振興課 令和７年度 上半期 進捗状況 は書けません（この実施内容は 令和６年度 で終了しています）",
    );
    // The sheet keeps it with its past years; the year after is blank.
    let sheet = dir.path("r.xlsx");
    ok(&[
        "export",
        "--db",
        db,
        "--out",
        sheet.to_str().unwrap(),
        "--years",
        "2024,2025",
    ]);
    let mut book: Xlsx<_> = open_workbook(&sheet).unwrap();
    let range = book.worksheet_range("重点政策").unwrap();
    let report =
        shinchoku_core::report::Report::load(&shinchoku_core::Store::open(Path::new(db)).unwrap())
            .unwrap();
    let at = report.measures.iter().position(|m| m.id == ended).unwrap();
    let row = 5 + 4 * at as u32;
    let text = |row: u32, col: u32| match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    let target_2024 = report.value(ended, 2024, shinchoku_core::model::Field::AnnualTarget);
    assert!(!target_2024.is_empty());
    assert_eq!(text(row, 7), target_2024);
    assert_eq!(text(row, 10), "");
    assert_eq!(text(row + 3, 10), "");
    ok(&[
        "set",
        "--db",
        db,
        "--measure",
        &ended_id,
        "--year",
        "2025",
        "--note",
        "終了",
    ]);
    // The history names its end.
    let m: Value = serde_json::from_str(&ok(&[
        "measure",
        "history",
        "--db",
        db,
        "--measure",
        &ended_id,
        "--json",
    ]))
    .unwrap();
    assert_eq!(m["lastYear"], 2024);
    assert_eq!(m["changes"][0]["kind"], "retire");
}

#[test]
fn a_package_issued_before_a_measure_ended_is_refused_for_its_later_year() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    ok(&["period", "next", "--db", db]);
    let p = dir.path("r7.json");
    package(db, "産業振興課", &p);
    let dept = dir.path("r7.db");
    let dept = dept.to_str().unwrap();
    ok(&["init", "--db", dept, "--package", p.to_str().unwrap()]);
    let s = dir.path("r7.submission.json");
    ok(&["submit", "--db", dept, "--out", s.to_str().unwrap()]);
    let ended = ids_of(db, "産業振興課")[0];
    ok(&[
        "measure",
        "retire",
        "--db",
        db,
        "--measure",
        &ended.to_string(),
        "--after",
        "2024",
    ]);
    refused(
        db,
        &["merge", "--db", db, s.to_str().unwrap()],
        &format!("実施内容 ID {ended} は {}に 令和６年度 で終了になりました（令和７年度 の欄は受け付けません）。産業振興課 の新しいパッケージで提出してください", today()),
    );
}

#[test]
fn the_exported_sheet_shows_each_measure_under_its_current_department() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let id = ids_of(db, "農業振興課")[0];
    ok(&[
        "measure",
        "move",
        "--db",
        db,
        "--measure",
        &id.to_string(),
        "--to",
        "道路建設課",
    ]);
    ok(&[
        "department",
        "merge",
        "--db",
        db,
        "--into",
        "産業観光課",
        "農業振興課",
    ]);
    let sheet = dir.path("r.xlsx");
    ok(&["export", "--db", db, "--out", sheet.to_str().unwrap()]);
    let mut book: Xlsx<_> = open_workbook(&sheet).unwrap();
    let range = book.worksheet_range("重点政策").unwrap();
    let report =
        shinchoku_core::report::Report::load(&shinchoku_core::Store::open(Path::new(db)).unwrap())
            .unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for (i, m) in report.measures.iter().enumerate() {
        let row = 5 + 4 * i as u32;
        let shown = match range.get_value((row, 4)) {
            Some(Data::String(s)) => s.clone(),
            _ => String::new(),
        };
        assert_eq!(
            shown,
            report.department_name(m.department_id),
            "ID {}",
            m.id
        );
        seen.insert(shown);
    }
    assert!(seen.contains("産業観光課"));
    assert!(!seen.contains("農業振興課"));
    assert_eq!(owner(db, id), "道路建設課");
    // Only the current departments are offered an export of their own.
    let out = dir.path("old.xlsx");
    let refused_export = run(&[
        "export",
        "--db",
        db,
        "--out",
        out.to_str().unwrap(),
        "--department",
        "農業振興課",
    ]);
    assert_eq!(refused_export.code, 1);
}

#[test]
fn split_parts_are_read_in_every_common_spelling() {
    assert_eq!(
        master::parse_split_part("政策課:12,13").unwrap(),
        ("政策課".to_string(), vec![12, 13])
    );
    assert_eq!(
        master::parse_split_part("政策課：１２、１３").unwrap(),
        ("政策課".to_string(), vec![12, 13])
    );
    assert!(master::parse_split_part("政策課:").is_err());
    assert!(master::parse_split_part(":12").is_err());
    assert!(master::parse_split_part("政策課 12").is_err());
}

/// Another spelling of デジタル戦略課 for each way a name can print like it: a space, a
/// full-width or a no-break space inside, half-width kana. (A decomposed デ is the same name
/// once composed: tested on its own.)
const LOOK_ALIKES: [&str; 4] = [
    "デジタル 戦略課",
    "デジタル　戦略課",
    "ﾃﾞｼﾞﾀﾙ戦略課",
    "デジタル\u{00A0}戦略課",
];
const DECOMPOSED: &str = "テ\u{3099}シ\u{3099}タル戦略課";

#[test]
fn a_rename_to_another_spelling_of_an_existing_department_is_refused() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    for alike in LOOK_ALIKES.into_iter().chain([DECOMPOSED]) {
        let out = run(&["department", "rename", "--db", db, "広報課", alike]);
        let printed = format!("{}{}", out.stdout, out.stderr);
        assert_eq!(out.code, 1, "{alike:?} taken: {printed}");
        assert!(
            printed.contains("デジタル戦略課") && printed.contains("既に"),
            "{alike:?}: {printed}"
        );
    }
    refused(
        db,
        &["department", "rename", "--db", db, "広報課", "ﾃﾞｼﾞﾀﾙ戦略課"],
        "新しい課名「ﾃﾞｼﾞﾀﾙ戦略課」は既にある「デジタル戦略課」と同じ課名とみなされます",
    );
    // The two names of a message print differently: the no-break space is shown escaped.
    refused(
        db,
        &[
            "department",
            "rename",
            "--db",
            db,
            "広報課",
            "デジタル\u{00A0}戦略課",
        ],
        "「デジタル<U+00A0>戦略課」は既にある「デジタル戦略課」",
    );
    // Upper and lower case, full and half width of letters are one name too.
    ok(&["department", "rename", "--db", db, "広報課", "ICT広報課"]);
    refused(
        db,
        &["department", "rename", "--db", db, "財政課", "ｉｃｔ広報課"],
        "既にある「ICT広報課」と同じ課名",
    );
    // Its own name in another spelling is a correction of it.
    let out = ok(&[
        "department",
        "rename",
        "--db",
        db,
        "ICT広報課",
        "ＩＣＴ広報課",
    ]);
    assert!(
        out.contains("ICT広報課 を ＩＣＴ広報課 に改称しました"),
        "{out}"
    );
}

#[test]
fn a_name_with_an_invisible_or_control_character_is_refused_wherever_it_enters() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let measure = ids_of(db, "広報課")[0].to_string();
    for (bad, code) in [
        ("デジタル戦略課\u{200B}", "U+200B"),
        ("新\t課", "U+0009"),
        ("新\n課", "U+000A"),
        ("\u{FEFF}新課", "U+FEFF"),
        ("新課\u{202E}", "U+202E"),
        ("新\u{2028}課", "U+2028"),
        ("新\u{200D}課", "U+200D"),
    ] {
        let split_to = format!("{bad}:{measure}");
        let commands: [&[&str]; 5] = [
            &["department", "rename", "--db", db, "広報課", bad],
            &["department", "merge", "--db", db, "--into", bad, "広報課"],
            &["department", "merge", "--db", db, "--into", "新課", bad],
            &[
                "department",
                "split",
                "--db",
                db,
                "広報課",
                "--to",
                &split_to,
            ],
            &[
                "measure",
                "move",
                "--db",
                db,
                "--measure",
                &measure,
                "--to",
                bad,
            ],
        ];
        for args in commands {
            let out = refused(db, args, &format!("（{code}）が含まれています"));
            let printed = format!("{}{}", out.stdout, out.stderr);
            assert!(
                printed.contains(&format!("<{code}>")),
                "{args:?}: {printed}"
            );
        }
    }
    // A package asked for with one is refused too, and names the character.
    let out = run(&[
        "package",
        "--db",
        db,
        "--department",
        "広報課\u{200B}",
        "--out",
        dir.path("p.shinchoku-package").to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("広報課<U+200B>"), "{}", out.stderr);
}

#[test]
fn a_department_name_is_trimmed_composed_and_at_most_32_characters() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let long = "長".repeat(33);
    refused(
        db,
        &["department", "rename", "--db", db, "広報課", &long],
        "新しい課名が長すぎます（33 文字）。32 文字までにしてください",
    );
    refused(
        db,
        &["department", "merge", "--db", db, "--into", &long, "広報課"],
        "統合先の課名が長すぎます（33 文字）",
    );
    ok(&[
        "department",
        "rename",
        "--db",
        db,
        "広報課",
        &"長".repeat(32),
    ]);
    // Stored composed: the decomposed spelling of a new name is the composed one.
    ok(&[
        "department",
        "rename",
        "--db",
        db,
        "財政課",
        " シ\u{3099}ムカ\u{3099}課　",
    ]);
    assert!(
        !ids_of(db, "ジムガ課").is_empty(),
        "stored as typed, not composed"
    );
}

#[test]
fn merge_split_and_move_refuse_a_new_department_spelled_like_an_existing_one() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let measure = ids_of(db, "広報課")[0].to_string();
    for alike in LOOK_ALIKES {
        let split_to = format!("{alike}:{measure}");
        for args in [
            &["department", "merge", "--db", db, "--into", alike, "広報課"][..],
            &[
                "department",
                "split",
                "--db",
                db,
                "広報課",
                "--to",
                &split_to,
            ][..],
        ] {
            refused(
                db,
                args,
                "は既にある「デジタル戦略課」と同じ課名とみなされます",
            );
        }
    }
    // Naming the department being split or merged into another way is still itself.
    refused(
        db,
        &[
            "department",
            "merge",
            "--db",
            db,
            "--into",
            "デジタル戦略課",
            "ﾃﾞｼﾞﾀﾙ戦略課",
        ],
        "が統合する課にも指定されています",
    );
    // An existing department is found by any of its spellings where one is named.
    let out = ok(&[
        "measure",
        "move",
        "--db",
        db,
        "--measure",
        &measure,
        "--to",
        "ﾃﾞｼﾞﾀﾙ戦略課",
    ]);
    assert!(out.contains("広報課 から"), "{out}");
    assert_eq!(owner(db, measure.parse().unwrap()), "デジタル戦略課");
}

#[test]
fn a_department_named_in_another_spelling_is_listed_and_written_as_the_report_spells_it() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let out = ok(&["list", "--db", db, "--department", "ﾃﾞｼﾞﾀﾙ戦略課", "--json"]);
    let listed: Value = serde_json::from_str(&out).unwrap();
    let measures = listed["measures"].as_array().unwrap();
    assert!(
        !measures.is_empty(),
        "nothing listed for the other spelling"
    );
    assert!(measures.iter().all(|m| m["department"] == "デジタル戦略課"));
    let id = ids_of(db, "デジタル戦略課")[0].to_string();
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
        "--status",
        "部署の入力",
        "--as",
        "ﾃﾞｼﾞﾀﾙ戦略課",
    ]);
    let store = shinchoku_core::Store::open(Path::new(db)).unwrap();
    let key = shinchoku_core::CellKey {
        measure_id: id.parse().unwrap(),
        year: 2024,
        field: shinchoku_core::Field::Status(shinchoku_core::Half::H2),
    };
    let last = store
        .cell_history(&key)
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(last.actor, "デジタル戦略課");
}
