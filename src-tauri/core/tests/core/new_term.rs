//! A new mayor's term: the report of the past term is kept as a read-only copy that can still be
//! listed and exported, and the report goes on empty (departments and the new term's years kept)
//! for the new pledges. Nothing of the past term (its packages, its submissions, its measure ids)
//! is taken for the new one's.

use serde_json::Value;
use shinchoku_core::model::{Actor, Source};
use shinchoku_core::report::Report;
use shinchoku_core::store::NewMeasure;
use shinchoku_core::Store;

use crate::common::{ok, refused, run, sample_db, snapshot, TempDir};

const DEPT: &str = "こども支援課";

fn check(db: &str) -> Value {
    serde_json::from_str(&ok(&["check", "--db", db, "--json"])).unwrap()
}

#[test]
fn a_new_term_keeps_the_past_report_read_only_and_starts_empty() {
    let dir = TempDir::new();
    let main_path = sample_db(&dir);
    let main = main_path.to_str().unwrap();
    // A package of the past term, and its department's submission, still on the way.
    let package = dir.path("p.json");
    ok(&[
        "package",
        "--db",
        main,
        "--department",
        DEPT,
        "--out",
        package.to_str().unwrap(),
    ]);
    let dept = dir.path("dept.db");
    let dept = dept.to_str().unwrap();
    ok(&["init", "--db", dept, "--package", package.to_str().unwrap()]);
    let before = Report::load(&Store::open(&main_path).unwrap()).unwrap();
    let highest_id = before.measures.iter().map(|m| m.id).max().unwrap();
    assert_eq!(before.measures.len(), 81);

    let said = ok(&[
        "term",
        "new",
        "--db",
        main,
        "--title",
        "新しい市長の重点政策",
    ]);
    assert!(said.contains("令和６年度 から"), "{said}");
    assert!(said.contains("令和５年度〜令和６年度"), "{said}");
    assert!(said.contains("実施内容 81 件"), "{said}");

    // The copy: every measure and cell of the past term, listed, exportable, never changed.
    let archive = dir.path("terms/report-2023-2024.db");
    assert!(archive.is_file(), "{said}");
    let archive_arg = archive.to_str().unwrap();
    let kept = Report::load(&Store::open(&archive).unwrap()).unwrap();
    assert_eq!(kept.measures, before.measures);
    assert_eq!(kept.cells, before.cells);
    assert_eq!(kept.title, before.title);
    let listed: Value =
        serde_json::from_str(&ok(&["term", "list", "--db", main, "--json"])).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["years"], "令和５年度〜令和６年度");
    assert_eq!(listed[0]["measures"], 81);
    let xlsx = dir.path("past.xlsx");
    let exported = ok(&[
        "export",
        "--db",
        archive_arg,
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    assert!(exported.contains("81"), "{exported}");
    assert!(xlsx.is_file());
    let id = before.measures[0].id.to_string();
    let message = "過去の任期の報告";
    refused(
        &archive,
        &[
            "set",
            "--db",
            archive_arg,
            "--measure",
            &id,
            "--year",
            "2024",
            "--target",
            "書き換え",
        ],
        message,
    );
    refused(&archive, &["period", "next", "--db", archive_arg], message);
    refused(
        &archive,
        &[
            "term",
            "new",
            "--db",
            archive_arg,
            "--archive",
            dir.path("x.db").to_str().unwrap(),
        ],
        message,
    );
    assert!(
        !dir.path("x.db").exists(),
        "a refused new term leaves no copy"
    );

    // The new term's report: no pledge, measure or cell; the departments and 令和６年度 with its
    // open 下半期; the new title.
    let now = Report::load(&Store::open(&main_path).unwrap()).unwrap();
    assert!(now.measures.is_empty() && now.pledges.is_empty() && now.cells.is_empty());
    assert_eq!(now.departments, before.departments);
    assert_eq!(now.years.iter().map(|y| y.year).collect::<Vec<_>>(), [2024]);
    assert_eq!(now.years[0].halves, before.year(2024).unwrap().halves);
    assert_eq!(now.title, "新しい市長の重点政策");
    assert_eq!(check(main)["measures"], 0, "{}", check(main));

    // A new measure never takes a past one's id: department databases pair measures by it.
    let mut store = Store::open(&main_path).unwrap();
    let new_id = store
        .write(&Actor::Coordinator, &Source::App, |w| {
            let pledge_id = w.upsert_pledge(1, "新しい公約")?;
            w.add_measure(NewMeasure {
                pledge_id,
                department_id: now.departments[0].id,
                pledge_caption: String::new(),
                content: "新しい実施内容".into(),
                target_date: String::new(),
                position: None,
            })
        })
        .unwrap();
    assert!(new_id > highest_id, "{new_id} after {highest_id}");
    drop(store);

    // The past term's submission is not the new report's.
    let submission = dir.path("s.json");
    ok(&[
        "submit",
        "--db",
        dept,
        "--out",
        submission.to_str().unwrap(),
    ]);
    let out = run(&["merge", "--db", main, submission.to_str().unwrap()]);
    assert_ne!(out.code, 0, "{}", out.stdout);
}

#[test]
fn a_new_term_that_cannot_start_changes_nothing() {
    let dir = TempDir::new();
    let main_path = sample_db(&dir);
    let main = main_path.to_str().unwrap();
    refused(
        &main_path,
        &["term", "new", "--db", main, "--from", "2030"],
        "令和１２年度 は報告の年度にありません",
    );
    let long = "重".repeat(101);
    refused(
        &main_path,
        &["term", "new", "--db", main, "--title", &long],
        "表題が長すぎます（101 文字）",
    );
    let taken = dir.path("taken.db");
    std::fs::write(&taken, b"someone else's file").unwrap();
    let before = snapshot(&taken);
    refused(
        &main_path,
        &[
            "term",
            "new",
            "--db",
            main,
            "--archive",
            taken.to_str().unwrap(),
        ],
        "既にあります",
    );
    assert_eq!(
        snapshot(&taken),
        before,
        "a file in the way is never overwritten"
    );
    assert!(!dir.path("terms").exists());
    assert_eq!(
        ok(&["term", "list", "--db", main]).trim(),
        "過去の任期はありません"
    );
}
