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
