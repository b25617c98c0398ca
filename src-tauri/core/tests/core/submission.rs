//! Packages, department databases, submissions and their merge, through the command line.

use serde_json::Value;
use shinchoku_core::model::{Actor, Half, PeriodState, Source};
use shinchoku_core::Store;

use crate::common::{ok, run, sample_db, snapshot, TempDir};

/// `shinchoku set` of one measure's 2024 `half` (`H1`/`H2`) cells: `fields` are its flags and values.
fn set_2024(db: &str, measure: i64, half: &str, fields: &[&str]) -> crate::common::Output {
    let measure = measure.to_string();
    let mut args = vec![
        "set",
        "--db",
        db,
        "--measure",
        &measure,
        "--year",
        "2024",
        "--half",
        half,
    ];
    args.extend_from_slice(fields);
    run(&args)
}

fn succeeded(out: crate::common::Output) {
    assert_eq!(out.code, 0, "{}", out.stderr);
}

fn measure_of(db: &str, department: &str) -> (i64, Value) {
    let v: Value = serde_json::from_str(&ok(&["list", "--db", db, "--json"])).unwrap();
    let m = v["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["department"] == department)
        .unwrap()
        .clone();
    (m["id"].as_i64().unwrap(), m)
}

/// Coordinator db, a department db from its package, one edit there and its submission file.
fn round_trip(dir: &TempDir, status: &str) -> (String, String, String) {
    let main = sample_db(dir);
    let main = main.to_str().unwrap().to_string();
    let package = dir.path("こども支援課.json");
    ok(&[
        "package",
        "--db",
        &main,
        "--department",
        "こども支援課",
        "--out",
        package.to_str().unwrap(),
    ]);
    let dept = dir.path("dept.db");
    let dept = dept.to_str().unwrap().to_string();
    let created = ok(&[
        "init",
        "--db",
        &dept,
        "--package",
        package.to_str().unwrap(),
    ]);
    assert!(
        created.contains("こども支援課、令和６年度 下半期、実施内容 2 件"),
        "{created}"
    );
    let (local, _) = measure_of(&dept, "こども支援課");
    succeeded(set_2024(
        &dept,
        local,
        "H2",
        &["--indicator", "◯", "--status", status],
    ));
    // The department database refuses the closed half as the coordinator's does.
    let closed = set_2024(&dept, local, "H1", &["--status", "x"]);
    assert!(
        closed.stderr.contains("締め切られています"),
        "{}",
        closed.stderr
    );
    let submission = dir.path("提出_こども支援課.json");
    let submission = submission.to_str().unwrap().to_string();
    let written = ok(&[
        "submit",
        "--db",
        &dept,
        "--out",
        &submission,
        "--approved-by",
        "山田 太郎",
    ]);
    assert!(written.contains("変更 2 件"), "{written}");
    (main, dept, submission)
}

#[test]
fn the_full_cycle_package_fill_submit_merge_export() {
    let dir = TempDir::new();
    let (main, _, submission) = round_trip(&dir, "１０月から助成を開始した。");
    let merged = ok(&["merge", "--db", &main, &submission]);
    assert!(merged.contains("反映 2 件"), "{merged}");
    let (_, m) = measure_of(&main, "こども支援課");
    assert_eq!(m["years"]["2024"]["halves"]["H2"]["indicator"], "○");
    assert_eq!(
        m["years"]["2024"]["halves"]["H2"]["status"],
        "１０月から助成を開始した。"
    );
    let board: Value = serde_json::from_str(&ok(&["board", "--db", &main, "--json"])).unwrap();
    let row = board["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["department"] == "こども支援課")
        .unwrap();
    assert_eq!(row["missing"], false);
    assert_eq!(row["approvedBy"], "山田 太郎");
    assert!(row["issuedAt"].is_string());
    let text = ok(&["board", "--db", &main]);
    assert!(
        text.contains("・危機管理室"),
        "the reminder lists missing departments: {text}"
    );
    assert!(!text.contains("・こども支援課"));
    // A backup was taken before the merge.
    assert!(ok(&["restore", "--db", &main, "--list"]).contains("統合の前"));
    let out = dir.path("report.xlsx");
    ok(&["export", "--db", &main, "--out", out.to_str().unwrap()]);
}

#[test]
fn merging_the_same_submission_again_changes_nothing() {
    let dir = TempDir::new();
    let (main, _, submission) = round_trip(&dir, "同じ提出");
    ok(&["merge", "--db", &main, &submission]);
    let before = snapshot(std::path::Path::new(&main));
    let again = ok(&["merge", "--db", &main, &submission]);
    assert!(again.contains("取り込み済み"), "{again}");
    assert_eq!(snapshot(std::path::Path::new(&main)), before);
}

#[test]
fn a_later_submission_of_the_same_department_wins_over_its_earlier_one() {
    let dir = TempDir::new();
    let (main, dept, first) = round_trip(&dir, "最初の提出");
    ok(&["merge", "--db", &main, &first]);
    let (local, _) = measure_of(&dept, "こども支援課");
    succeeded(set_2024(&dept, local, "H2", &["--status", "訂正した提出"]));
    let second = dir.path("second.json");
    ok(&["submit", "--db", &dept, "--out", second.to_str().unwrap()]);
    let merged = ok(&["merge", "--db", &main, second.to_str().unwrap()]);
    assert!(merged.contains("競合 0 件"), "{merged}");
    let (_, m) = measure_of(&main, "こども支援課");
    assert_eq!(m["years"]["2024"]["halves"]["H2"]["status"], "訂正した提出");
}

#[test]
fn a_cell_the_coordinator_changed_meanwhile_becomes_a_conflict_to_resolve() {
    let dir = TempDir::new();
    let (main, _, submission) = round_trip(&dir, "担当課の状況");
    let (id, _) = measure_of(&main, "こども支援課");
    succeeded(set_2024(&main, id, "H2", &["--status", "取りまとめの状況"]));
    let merged = ok(&["merge", "--db", &main, &submission]);
    assert!(merged.contains("競合 1 件"), "{merged}");
    let listed = ok(&["conflicts", "--db", &main]);
    assert!(
        listed.contains("取りまとめ: 取りまとめの状況") && listed.contains("担当課: 担当課の状況"),
        "{listed}"
    );
    ok(&[
        "resolve",
        "--db",
        &main,
        "--measure",
        &id.to_string(),
        "--year",
        "2024",
        "--field",
        "h2_status",
        "--take",
        "department",
    ]);
    let (_, m) = measure_of(&main, "こども支援課");
    assert_eq!(m["years"]["2024"]["halves"]["H2"]["status"], "担当課の状況");
    assert!(ok(&["conflicts", "--db", &main]).contains("競合はありません"));
}

#[test]
fn refused_submissions_change_nothing_and_say_why() {
    let dir = TempDir::new();
    let (main, _, submission) = round_trip(&dir, "改ざん前");
    let text = std::fs::read_to_string(&submission).unwrap();
    let altered = dir.path("altered.json");
    std::fs::write(&altered, text.replace("改ざん前", "改ざん後")).unwrap();
    let other_version = dir.path("v2.json");
    std::fs::write(
        &other_version,
        text.replacen("\"version\": 2", "\"version\": 3", 1),
    )
    .unwrap();
    let broken = dir.path("broken.json");
    std::fs::write(&broken, &text.as_bytes()[..text.len() / 2]).unwrap();
    let package = dir.path("こども支援課.json");
    let cases: [(&str, &str); 4] = [
        (
            altered.to_str().unwrap(),
            "altered.json は壊れています（チェックサムが一致しません）",
        ),
        (
            other_version.to_str().unwrap(),
            "v2.json は形式のバージョン 3 で作られています",
        ),
        (broken.to_str().unwrap(), "broken.json は壊れています"),
        (
            package.to_str().unwrap(),
            "こども支援課.json は提出ファイルではありません",
        ),
    ];
    for (file, message) in cases {
        let before = snapshot(std::path::Path::new(&main));
        let out = run(&["merge", "--db", &main, file]);
        assert_eq!(out.code, 1, "{file}");
        assert!(
            out.stdout.contains(message),
            "expected «{message}» in «{}»",
            out.stdout
        );
        assert_eq!(
            snapshot(std::path::Path::new(&main)),
            before,
            "{file} changed the database"
        );
    }
    // A closed period: the coordinator closed 下半期 after issuing the packages.
    {
        let mut store = Store::open(std::path::Path::new(&main)).unwrap();
        store
            .write(&Actor::Coordinator, &Source::App, |w| {
                w.set_period_state(2024, Half::H2, PeriodState::Closed)
            })
            .unwrap();
    }
    let before = snapshot(std::path::Path::new(&main));
    let out = run(&["merge", "--db", &main, &submission]);
    assert!(
        out.stdout
            .contains("令和６年度 下半期 は締め切られています"),
        "{}",
        out.stdout
    );
    assert_eq!(snapshot(std::path::Path::new(&main)), before);
}

#[test]
fn packages_for_every_department_and_unknown_departments() {
    let dir = TempDir::new();
    let main = sample_db(&dir);
    let folder = dir.path("packages");
    let out = ok(&[
        "package",
        "--db",
        main.to_str().unwrap(),
        "--all",
        "--out",
        folder.to_str().unwrap(),
    ]);
    assert!(out.contains("41 課分"), "{out}");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 41);
    let unknown = run(&[
        "package",
        "--db",
        main.to_str().unwrap(),
        "--department",
        "架空課",
        "--out",
        dir.path("x.json").to_str().unwrap(),
    ]);
    assert!(
        unknown
            .stderr
            .contains("担当課「架空課」はこの報告にありません"),
        "{}",
        unknown.stderr
    );
    assert!(!dir.path("x.json").exists());
}

/// Regression: a package was written to the fixed name `.<file>.tmp` with `fs::write`, which
/// follows a link planted under that name in a shared folder and overwrites what it points to.
// Unix only: planting a symbolic link on Windows needs an administrator or developer mode.
#[cfg(unix)]
#[test]
fn a_link_planted_beside_a_package_is_not_written_through() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let victim = dir.path("他課の大切なファイル.txt");
    std::fs::write(&victim, "そのまま").unwrap();
    let package = dir.path("こども支援課.json");
    std::os::unix::fs::symlink(&victim, dir.path(".こども支援課.json.tmp")).unwrap();
    ok(&[
        "package",
        "--db",
        db.to_str().unwrap(),
        "--department",
        "こども支援課",
        "--out",
        package.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "そのまま");
    let meta = std::fs::symlink_metadata(&package).unwrap();
    assert!(
        meta.file_type().is_file(),
        "the package is a file of its own"
    );
    let written: Value = serde_json::from_slice(&std::fs::read(&package).unwrap()).unwrap();
    assert_eq!(written["format"], "shinchoku-package");
}

/// The 2024 下半期 状況 of こども支援課's first measure in a database ("" when blank).
fn h2_status(db: &str) -> String {
    let (_, m) = measure_of(db, "こども支援課");
    m["years"]["2024"]["halves"]["H2"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// `shinchoku submit` of a department database to `dir/name`; the file's path.
fn submit(dir: &TempDir, dept: &str, name: &str) -> String {
    let path = dir.path(name).to_str().unwrap().to_string();
    ok(&["submit", "--db", dept, "--out", &path]);
    path
}

/// Regression: a second submission of the same package that put a cell back to what the
/// package issued was merged as "untouched" (the merge compared it with the package's value),
/// so the report kept the first submission's value and the next package overwrote the
/// department's own correction.
#[test]
fn a_second_submission_putting_a_cell_back_to_the_packages_value_is_merged() {
    let dir = TempDir::new();
    let (main, dept, first) = round_trip(&dir, "誤って書いた状況");
    let issued = h2_status(&main);
    assert!(ok(&["merge", "--db", &main, &first]).contains("反映 2 件"));
    let (local, _) = measure_of(&dept, "こども支援課");
    succeeded(set_2024(&dept, local, "H2", &["--status", &issued]));
    let second = submit(&dir, &dept, "second.json");
    let merged = ok(&["merge", "--db", &main, &second]);
    assert!(
        merged.contains("反映 1 件") && merged.contains("競合 0 件"),
        "{merged}"
    );
    assert_eq!(h2_status(&main), issued);
    // The indicator of the first submission, left as it was, stays.
    let (_, m) = measure_of(&main, "こども支援課");
    assert_eq!(m["years"]["2024"]["halves"]["H2"]["indicator"], "○");
}

/// The other side of the same rule: a value an earlier package's submission brought after the
/// next package was issued is not put back by that package's submissions, which never held it.
#[test]
fn a_value_merged_from_an_earlier_package_survives_the_next_packages_submissions() {
    let dir = TempDir::new();
    let (main, dept, first) = round_trip(&dir, "最初のパッケージの状況");
    let issued = h2_status(&main);
    // The same period issued again before the first submission is merged.
    let again = dir.path("again.json");
    let again = again.to_str().unwrap();
    ok(&[
        "package",
        "--db",
        &main,
        "--department",
        "こども支援課",
        "--out",
        again,
    ]);
    ok(&["update", "--db", &dept, "--package", again]);
    assert_eq!(h2_status(&dept), issued);
    assert!(ok(&["merge", "--db", &main, &first]).contains("反映 2 件"));
    // Two submissions of the second package, neither touching the status.
    let (local, _) = measure_of(&dept, "こども支援課");
    succeeded(set_2024(&dept, local, "H2", &["--plan", "計画その一"]));
    let second = submit(&dir, &dept, "second.json");
    assert!(ok(&["merge", "--db", &main, &second]).contains("反映 1 件"));
    succeeded(set_2024(&dept, local, "H2", &["--plan", "計画その二"]));
    let third = submit(&dir, &dept, "third.json");
    assert!(ok(&["merge", "--db", &main, &third]).contains("反映 1 件"));
    assert_eq!(h2_status(&main), "最初のパッケージの状況");
}

/// The scenario (#25) up to the second submission, for one `--take`: the department sets
/// 部署の値 and submits (s1), the coordinator writes 取りまとめの値 in the same cell, `merge s1`
/// gives one conflict, the coordinator resolves it, the department changes only its plan and
/// submits again (s2), still carrying 部署の値. Returns the coordinator's and the department's
/// databases, the department's local measure id and the status the package issued.
fn settled_then_submitted_again(dir: &TempDir, take: &str) -> (String, String, i64, String) {
    let (main, dept, s1) = round_trip(dir, "部署の値");
    let issued = h2_status(&main);
    let (id, _) = measure_of(&main, "こども支援課");
    succeeded(set_2024(&main, id, "H2", &["--status", "取りまとめの値"]));
    let merged = ok(&["merge", "--db", &main, &s1]);
    assert!(merged.contains("競合 1 件"), "{merged}");
    let resolve = |take: &str| {
        ok(&[
            "resolve",
            "--db",
            &main,
            "--measure",
            &id.to_string(),
            "--year",
            "2024",
            "--field",
            "h2_status",
            "--take",
            take,
        ])
    };
    resolve(take);
    let (local, _) = measure_of(&dept, "こども支援課");
    succeeded(set_2024(&dept, local, "H2", &["--plan", "訂正した計画"]));
    let s2 = submit(dir, &dept, "s2.json");
    let merged = ok(&["merge", "--db", &main, &s2]);
    assert!(
        merged.contains("反映 1 件 / 変更なし 11 件 / 競合 0 件"),
        "{take}: {merged}"
    );
    (main, dept, local, issued)
}

/// The third submission of the scenario: the department changes the status again.
fn third_submission(dir: &TempDir, main: &str, dept: &str, local: i64) -> String {
    succeeded(set_2024(dept, local, "H2", &["--status", "三度目の値"]));
    let s3 = submit(dir, dept, "s3.json");
    ok(&["merge", "--db", main, &s3])
}

#[test]
fn a_department_value_the_coordinator_took_stays_and_its_next_change_is_applied() {
    let dir = TempDir::new();
    let (main, dept, local, _) = settled_then_submitted_again(&dir, "department");
    assert_eq!(h2_status(&main), "部署の値");
    let merged = third_submission(&dir, &main, &dept, local);
    assert!(
        merged.contains("反映 1 件") && merged.contains("競合 0 件"),
        "{merged}"
    );
    assert_eq!(h2_status(&main), "三度目の値");
}

/// Regression (#25): with `--take coordinator` the same second submission raised the settled
/// conflict again, and would have with every later one.
#[test]
fn a_conflict_settled_by_keeping_the_coordinators_value_is_not_raised_again() {
    let dir = TempDir::new();
    let (main, dept, local, _) = settled_then_submitted_again(&dir, "coordinator");
    assert_eq!(h2_status(&main), "取りまとめの値");
    let listed = ok(&["conflicts", "--db", &main]);
    assert!(
        listed.starts_with("競合はありません")
            && listed.contains("解決済みの競合")
            && listed.contains("解決: 取りまとめの値を維持（取りまとめ、"),
        "{listed}"
    );
    // The decision is in the cell's history although the value stayed.
    let store = Store::open(std::path::Path::new(&main)).unwrap();
    let (id, _) = measure_of(&main, "こども支援課");
    let history = store
        .cell_history(&shinchoku_core::model::CellKey {
            measure_id: id,
            year: 2024,
            field: shinchoku_core::model::Field::Status(Half::H2),
        })
        .unwrap();
    assert_eq!(history[0].actor, "取りまとめ");
    assert_eq!(history[0].old_value, history[0].new_value);
    assert!(
        history[0]
            .source
            .contains("競合の解決: 取りまとめの値を維持"),
        "{:?}",
        history[0]
    );
    drop(store);
    // A third change of the cell is compared with the coordinator's value: a conflict again,
    // from the value the coordinator last saw.
    let merged = third_submission(&dir, &main, &dept, local);
    assert!(merged.contains("競合 1 件"), "{merged}");
    let listed = ok(&["conflicts", "--db", &main]);
    assert!(
        listed.contains("元の値: 部署の値\n  取りまとめ: 取りまとめの値\n  担当課: 三度目の値"),
        "{listed}"
    );
    assert_eq!(h2_status(&main), "取りまとめの値");
}

/// Regression (#25): with `--take base` the second submission, still carrying the rejected
/// value, was applied as a change (反映 2 件) and silently undid the coordinator's decision.
#[test]
fn a_department_value_the_coordinator_rejected_is_not_brought_back_by_its_next_submission() {
    let dir = TempDir::new();
    let (main, dept, local, issued) = settled_then_submitted_again(&dir, "base");
    assert_eq!(h2_status(&main), issued);
    let board = ok(&["board", "--db", &main]);
    assert!(board.contains("解決済みの競合 1 件"), "{board}");
    let listed = ok(&["conflicts", "--db", &main, "--json"]);
    let listed: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed[0]["settled"]["how"], "base");
    assert_eq!(listed[0]["settled"]["by"], "取りまとめ");
    assert_eq!(listed[0]["settled"]["value"], issued.as_str());
    // A third change of the cell: the report holds the base, not what the department had, so
    // both differ: a conflict.
    let merged = third_submission(&dir, &main, &dept, local);
    assert!(merged.contains("競合 1 件"), "{merged}");
    assert_eq!(h2_status(&main), issued);
    let listed = ok(&["conflicts", "--db", &main]);
    assert!(listed.contains("担当課: 三度目の値"), "{listed}");
}

/// Regression: `package --all` wrote one file for departments whose names differ only where a
/// file name cannot (`a/b`, `a:b`), reported "41 課分" and left fewer files, and stopped half-way
/// on a 300-character name. Departments of a database made before names were checked are put
/// in directly, as such a database holds them.
#[test]
fn package_all_writes_one_valid_short_file_per_department_whatever_the_names() {
    let dir = TempDir::new();
    let main = sample_db(&dir);
    let tricky: Vec<String> = [
        "課/旧",
        "課:旧",
        "課|旧",
        "課<旧>",
        "課?旧",
        "課*旧",
        "課\"旧",
        "課\\旧",
        "課_旧",
        "CON",
        "con",
        "Nul.課",
        "COM1",
        "lpt9",
        "課.",
        "課..",
        ".課",
        "課 ",
        "Ab/c",
        "AB:C",
        "abc",
        "ABC",
        "課\t旧",
        "課\u{200B}旧",
    ]
    .iter()
    .map(|n| n.to_string())
    .chain(["長".repeat(300), format!("{}x", "長".repeat(300))])
    .collect();
    {
        let conn = rusqlite::Connection::open(&main).unwrap();
        for name in &tricky {
            conn.execute("INSERT INTO department (name) VALUES (?1)", [name])
                .unwrap();
        }
    }
    let departments = 41 + tricky.len();
    let folder = dir.path("packages");
    let write_all = |folder: &std::path::Path| {
        ok(&[
            "package",
            "--db",
            main.to_str().unwrap(),
            "--all",
            "--out",
            folder.to_str().unwrap(),
        ])
    };
    let out = write_all(&folder);
    assert!(out.contains(&format!("{departments} 課分")), "{out}");
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), departments, "{names:?}");
    let mut folded: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    folded.sort();
    folded.dedup();
    assert_eq!(folded.len(), departments, "two names differ only in case");
    for name in &names {
        let part = name.strip_suffix(".shinchoku-package").unwrap();
        assert!(part.chars().count() <= 61, "{name} is too long");
        assert!(
            !part.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|', '\t', '\u{200B}']),
            "{name}"
        );
        assert!(
            !part.ends_with(['.', ' ']) && !part.starts_with('.'),
            "{name}"
        );
        let stem = part.split('.').next().unwrap().to_uppercase();
        assert!(
            !["CON", "PRN", "AUX", "NUL", "COM1", "LPT9"].contains(&stem.as_str()),
            "{name} is a Windows device name"
        );
    }
    assert!(names.contains(&"企画総務課.shinchoku-package".to_string()));
    // The same names the next time: a department keeps its file.
    let again = dir.path("again");
    write_all(&again);
    let mut second: Vec<String> = std::fs::read_dir(&again)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let mut first = names.clone();
    first.sort();
    second.sort();
    assert_eq!(first, second);
}
