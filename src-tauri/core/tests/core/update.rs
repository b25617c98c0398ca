//! The next package into a department database (`shinchoku update`): the second half-year's
//! whole cycle, the reorganised department, the refusals that change nothing, and a property:
//! no acknowledged edit of a department is lost over any sequence of packages, submissions and
//! merges.

use std::path::Path;

use serde_json::Value;
use shinchoku_core::master::{self, MeasureForm};
use shinchoku_core::model::{CellKey, Field, Half};
use shinchoku_core::Store;

use crate::common::{ok, refused, run, sample_db, snapshot, Output, TempDir};

const DEPT: &str = "こども支援課";

/// The measures of `department` in a database's listing.
fn measures_of(db: &str, department: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(&ok(&["list", "--db", db, "--json"])).unwrap();
    v["measures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["department"] == department)
        .cloned()
        .collect()
}

fn package(main: &str, department: &str, out: &Path) {
    ok(&[
        "package",
        "--db",
        main,
        "--department",
        department,
        "--out",
        out.to_str().unwrap(),
    ]);
}

/// `shinchoku set` of one measure's cells of `year`; `fields` are its flags and values.
fn set(db: &str, measure: i64, year: &str, fields: &[&str]) -> Output {
    let measure = measure.to_string();
    let mut args = vec!["set", "--db", db, "--measure", &measure, "--year", year];
    args.extend_from_slice(fields);
    run(&args)
}

/// Coordinator db (the sample), package 1 of こども支援課, the department's db from it with one
/// edit submitted and merged. Returns (coordinator db, department db).
fn first_cycle(dir: &TempDir) -> (String, String) {
    let main = sample_db(dir).to_str().unwrap().to_string();
    let p1 = dir.path("p1.json");
    package(&main, DEPT, &p1);
    let dept = dir.path("dept.db").to_str().unwrap().to_string();
    ok(&["init", "--db", &dept, "--package", p1.to_str().unwrap()]);
    let local = measures_of(&dept, DEPT)[0]["id"].as_i64().unwrap();
    let edit = set(
        &dept,
        local,
        "2024",
        &[
            "--half",
            "H2",
            "--indicator",
            "○",
            "--status",
            "下半期の状況",
        ],
    );
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    let s1 = dir.path("s1.json");
    ok(&["submit", "--db", &dept, "--out", s1.to_str().unwrap()]);
    assert!(ok(&["merge", "--db", &main, s1.to_str().unwrap()]).contains("反映 2 件"));
    (main, dept)
}

#[test]
fn the_second_half_year_package_update_edit_submit_merge() {
    let dir = TempDir::new();
    let (main, dept) = first_cycle(&dir);
    // The coordinator moves on to 令和７年度 上半期 and corrects the year's target.
    ok(&[
        "period",
        "next",
        "--db",
        &main,
        "--deadline",
        "2025年10月15日",
    ]);
    let id = measures_of(&main, DEPT)[0]["id"].as_i64().unwrap();
    let corrected = set(
        &main,
        id,
        "2025",
        &["--target", "取りまとめが書いた年度目標"],
    );
    assert_eq!(corrected.code, 0, "{}", corrected.stderr);
    let p2 = dir.path("p2.json");
    package(&main, DEPT, &p2);

    let out = ok(&["update", "--db", &dept, "--package", p2.to_str().unwrap()]);
    assert!(
        out.contains("p2.json で更新しました（こども支援課、令和６年度 下半期 → 令和７年度 上半期、実施内容 2 件）"),
        "{out}"
    );
    assert!(
        out.contains("取りまとめの値に更新した欄 1 件: No.")
            && out.contains("こども支援課 令和７年度 年度目標"),
        "{out}"
    );
    assert!(out.contains("更新前のバックアップ: dept-"), "{out}");
    assert!(ok(&["restore", "--db", &dept, "--list"]).contains("パッケージ更新の前"));

    // The department's database: the new period open, the old one closed, both values there.
    let m = &measures_of(&dept, DEPT)[0];
    let local = m["id"].as_i64().unwrap();
    assert_eq!(m["years"]["2024"]["halves"]["H2"]["status"], "下半期の状況");
    assert_eq!(
        m["years"]["2025"]["annual_target"],
        "取りまとめが書いた年度目標"
    );
    let closed = set(&dept, local, "2024", &["--half", "H2", "--status", "x"]);
    assert!(
        closed
            .stderr
            .contains("令和６年度 下半期 は締め切られています"),
        "{}",
        closed.stderr
    );
    // Its history shows the package as the source of the coordinator's value.
    {
        let store = Store::open(Path::new(&dept)).unwrap();
        let history = store
            .cell_history(&CellKey {
                measure_id: local,
                year: 2025,
                field: Field::AnnualTarget,
            })
            .unwrap();
        assert_eq!(history[0].source, "パッケージ p2.json");
        assert_eq!(history[0].actor, "取りまとめ");
        assert_eq!(history[0].new_value, "取りまとめが書いた年度目標");
    }

    // The second submission is signed for package 2 and merges at the coordinator.
    let edit = set(
        &dept,
        local,
        "2025",
        &[
            "--half",
            "H1",
            "--plan",
            "上半期の計画",
            "--status",
            "上半期の状況",
        ],
    );
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    let s2 = dir.path("s2.json");
    assert!(ok(&["submit", "--db", &dept, "--out", s2.to_str().unwrap()]).contains("変更 2 件"));
    let merged = ok(&["merge", "--db", &main, s2.to_str().unwrap()]);
    assert!(
        merged.contains("反映 2 件") && merged.contains("競合 0 件"),
        "{merged}"
    );
    let m = &measures_of(&main, DEPT)[0];
    assert_eq!(m["years"]["2025"]["halves"]["H1"]["plan"], "上半期の計画");
    assert_eq!(m["years"]["2025"]["halves"]["H1"]["status"], "上半期の状況");
    assert_eq!(
        m["years"]["2025"]["annual_target"],
        "取りまとめが書いた年度目標"
    );
    assert_eq!(m["years"]["2024"]["halves"]["H2"]["status"], "下半期の状況");
}

/// The department submits, then takes the same period's package issued again before that
/// submission was merged: the report's value is then the department's own earlier one, and its
/// next submission replaces it without a conflict. A value the coordinator wrote since is still
/// a conflict. (Found by the property below on a CI run.)
#[test]
fn a_department_replaces_its_own_value_merged_after_the_package_was_issued_again() {
    let dir = TempDir::new();
    let (main, dept) = first_cycle(&dir);
    let local = measures_of(&dept, DEPT)[0]["id"].as_i64().unwrap();
    let id = measures_of(&main, DEPT)[0]["id"].as_i64().unwrap();
    let status =
        |db: &str| measures_of(db, DEPT)[0]["years"]["2024"]["halves"]["H2"]["status"].clone();
    // The 2024 下半期 状況 of the measure `id` in `db`, as its user types it.
    let write_status = |db: &str, id: i64, value: &str| {
        let written = set(db, id, "2024", &["--half", "H2", "--status", value]);
        assert_eq!(written.code, 0, "{}", written.stderr);
    };
    let submit = |name: &str| {
        let path = dir.path(name);
        ok(&["submit", "--db", &dept, "--out", path.to_str().unwrap()]);
        path.to_str().unwrap().to_string()
    };
    write_status(&dept, local, "部署の一回目");
    let s2 = submit("s2.json");
    let p2 = dir.path("p2.json");
    package(&main, DEPT, &p2);
    ok(&["update", "--db", &dept, "--package", p2.to_str().unwrap()]);
    let merged = ok(&["merge", "--db", &main, &s2]);
    assert!(
        merged.contains("反映 1 件") && merged.contains("競合 0 件"),
        "{merged}"
    );

    write_status(&dept, local, "部署の二回目");
    let s3 = submit("s3.json");
    let merged = ok(&["merge", "--db", &main, &s3]);
    assert!(
        merged.contains("反映 1 件") && merged.contains("競合 0 件"),
        "{merged}"
    );
    assert_eq!(status(&main), "部署の二回目");

    // The coordinator's own value since the department's last merge: both sides changed.
    write_status(&main, id, "取りまとめの値");
    write_status(&dept, local, "部署の三回目");
    let s4 = submit("s4.json");
    let merged = ok(&["merge", "--db", &main, &s4]);
    assert!(merged.contains("競合 1 件"), "{merged}");
    assert_eq!(status(&main), "取りまとめの値");
}

#[test]
fn a_reorganised_department_gains_and_loses_measures_with_the_package() {
    let dir = TempDir::new();
    let (main, dept) = first_cycle(&dir);
    ok(&["period", "next", "--db", &main]);
    let (moved, new_id) = {
        let mut store = Store::open(Path::new(&main)).unwrap();
        let report = shinchoku_core::report::Report::load(&store).unwrap();
        let own = store.department_by_name(DEPT).unwrap().unwrap().id;
        let other = store.department_by_name("危機管理室").unwrap().unwrap().id;
        let mine: Vec<_> = report
            .measures
            .iter()
            .filter(|m| m.department_id == own)
            .cloned()
            .collect();
        // April: the second measure goes to 危機管理室, a new one comes to こども支援課.
        let moved = &mine[1];
        master::edit_measure(
            &mut store,
            moved.id,
            &MeasureForm {
                pledge_id: moved.pledge_id,
                department_id: other,
                pledge_caption: moved.pledge_caption.clone(),
                content: moved.content.clone(),
                target_date: moved.target_date.clone(),
            },
        )
        .unwrap();
        let new_id = master::add_measure(
            &mut store,
            &MeasureForm {
                pledge_id: mine[0].pledge_id,
                department_id: own,
                pledge_caption: String::new(),
                content: "新しく移ってきた実施内容".into(),
                target_date: "R8.3".into(),
            },
        )
        .unwrap();
        (moved.content.clone(), new_id)
    };
    let p2 = dir.path("p2.json");
    package(&main, DEPT, &p2);
    let out = ok(&["update", "--db", &dept, "--package", p2.to_str().unwrap()]);
    assert!(out.contains("実施内容 追加 1 件 / 削除 1 件"), "{out}");
    let local = measures_of(&dept, DEPT);
    let contents: Vec<&str> = local
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert!(
        contents.contains(&"新しく移ってきた実施内容"),
        "{contents:?}"
    );
    assert!(!contents.contains(&moved.as_str()), "{contents:?}");
    // The new measure is written and submitted like the others.
    let new_local = local
        .iter()
        .find(|m| m["content"] == "新しく移ってきた実施内容")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let edit = set(
        &dept,
        new_local,
        "2025",
        &["--half", "H1", "--status", "着手した"],
    );
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    let s2 = dir.path("s2.json");
    ok(&["submit", "--db", &dept, "--out", s2.to_str().unwrap()]);
    assert!(ok(&["merge", "--db", &main, s2.to_str().unwrap()]).contains("反映 1 件"));
    let store = Store::open(Path::new(&main)).unwrap();
    let cell = store
        .cell(&CellKey {
            measure_id: new_id,
            year: 2025,
            field: Field::Status(Half::H1),
        })
        .unwrap()
        .unwrap();
    assert_eq!(cell.value, "着手した");
}

#[test]
fn unsent_changes_are_named_and_kept_until_submitted_or_discarded() {
    let dir = TempDir::new();
    let (main, dept) = first_cycle(&dir);
    let local = measures_of(&dept, DEPT)[0]["id"].as_i64().unwrap();
    // Edited after the submission, never sent.
    let edit = set(
        &dept,
        local,
        "2024",
        &[
            "--half",
            "H2",
            "--status",
            "送っていない状況",
            "--plan",
            "送っていない計画",
        ],
    );
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    ok(&["period", "next", "--db", &main]);
    let p2 = dir.path("p2.json");
    package(&main, DEPT, &p2);
    let p2s = p2.to_str().unwrap();
    let out = refused(
        Path::new(&dept),
        &["update", "--db", &dept, "--package", p2s],
        "p2.json を取り込めません: 未提出の変更が 2 件あります（No.",
    );
    for part in [
        "こども支援課 令和６年度 下半期 計画（短期目標）",
        "こども支援課 令和６年度 下半期 進捗状況",
        "shinchoku submit",
        "--discard-unsent",
        "データベースは変更していません",
    ] {
        assert!(out.stderr.contains(part), "«{part}» in «{}»", out.stderr);
    }
    assert!(
        !ok(&["restore", "--db", &dept, "--list"]).contains("パッケージ更新の前"),
        "a refused update takes no backup"
    );
    // Submitted (sent) first: the update goes ahead.
    let s2 = dir.path("s2.json");
    ok(&["submit", "--db", &dept, "--out", s2.to_str().unwrap()]);
    ok(&["update", "--db", &dept, "--package", p2s]);

    // Or let go of them on purpose: said, and kept in the history and the backup.
    let dir = TempDir::new();
    let (main, dept) = first_cycle(&dir);
    let local = measures_of(&dept, DEPT)[0]["id"].as_i64().unwrap();
    let edit = set(
        &dept,
        local,
        "2024",
        &["--half", "H2", "--status", "破棄する状況"],
    );
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    ok(&["period", "next", "--db", &main]);
    let p2 = dir.path("p2.json");
    package(&main, DEPT, &p2);
    let out = ok(&[
        "update",
        "--db",
        &dept,
        "--package",
        p2.to_str().unwrap(),
        "--discard-unsent",
    ]);
    assert!(
        out.contains("未提出の変更 1 件を破棄しました（履歴とバックアップに残っています）"),
        "{out}"
    );
    let m = &measures_of(&dept, DEPT)[0];
    assert_eq!(m["years"]["2024"]["halves"]["H2"]["status"], "下半期の状況");
    let store = Store::open(Path::new(&dept)).unwrap();
    let history = store
        .cell_history(&CellKey {
            measure_id: local,
            year: 2024,
            field: Field::Status(Half::H2),
        })
        .unwrap();
    assert_eq!(history[0].old_value, "破棄する状況");
    assert_eq!(history[0].source, "パッケージ p2.json");
}

#[test]
fn refused_packages_change_nothing_and_say_why() {
    let dir = TempDir::new();
    let (main, dept) = first_cycle(&dir);
    let p1 = dir.path("p1.json");
    let other = dir.path("危機管理室.json");
    package(&main, "危機管理室", &other);
    ok(&["period", "next", "--db", &main]);
    let p2a = dir.path("p2a.json");
    package(&main, DEPT, &p2a);
    let p2b = dir.path("p2b.json");
    package(&main, DEPT, &p2b);
    ok(&["update", "--db", &dept, "--package", p2b.to_str().unwrap()]);

    let text = std::fs::read_to_string(&p2b).unwrap();
    let altered = dir.path("altered.json");
    std::fs::write(&altered, text.replacen("令和７年度", "令和８年度", 1)).unwrap();
    let broken = dir.path("broken.json");
    std::fs::write(&broken, &text.as_bytes()[..text.len() / 2]).unwrap();
    let submission = dir.path("s1.json");
    let missing = dir.path("ない.json");
    let cases: Vec<(&Path, String)> = vec![
        (
            &other,
            "危機管理室.json: 危機管理室 宛てのパッケージです。このデータベースは こども支援課 のものなので取り込めません".into(),
        ),
        (
            &p1,
            "p1.json: 令和６年度 下半期 のパッケージです。このデータベースは既に 令和７年度 上半期 のパッケージ（".into(),
        ),
        (
            &p2a,
            "p2a.json: 令和７年度 上半期 のパッケージですが、このデータベースが取り込んだ同じ期のパッケージ（".into(),
        ),
        (
            &altered,
            "altered.json は壊れています（チェックサムが一致しません）".into(),
        ),
        (&broken, "broken.json は壊れています".into()),
        (
            &submission,
            "s1.json は提出用パッケージではありません".into(),
        ),
        (&missing, "ない.json が見つかりません".into()),
    ];
    for (file, message) in &cases {
        refused(
            Path::new(&dept),
            &["update", "--db", &dept, "--package", file.to_str().unwrap()],
            message,
        );
    }
    // The coordinator's own database was made from no package.
    refused(
        Path::new(&main),
        &["update", "--db", &main, "--package", p2b.to_str().unwrap()],
        "このデータベースは提出用パッケージから作られていません",
    );
    // The package the database holds already: nothing to do, nothing changed.
    let before = snapshot(Path::new(&dept));
    let again = ok(&["update", "--db", &dept, "--package", p2b.to_str().unwrap()]);
    assert!(
        again.contains("p2b.json は取り込み済みのパッケージです"),
        "{again}"
    );
    assert_eq!(snapshot(Path::new(&dept)), before);
}

/// A package whose checksum is right but whose cells are not: refused as an edit would be.
#[test]
fn a_package_with_a_cell_no_edit_could_write_is_refused() {
    use sha2::{Digest, Sha256};
    let dir = TempDir::new();
    let (main, dept) = first_cycle(&dir);
    ok(&["period", "next", "--db", &main]);
    let p2 = dir.path("p2.json");
    package(&main, DEPT, &p2);
    let mut value: Value = serde_json::from_slice(&std::fs::read(&p2).unwrap()).unwrap();
    value["report"]["measures"][0]["years"]["2024"]["halves"]["H2"]["indicator"] = Value::from("◎");
    value.as_object_mut().unwrap().remove("checksum");
    let digest = Sha256::digest(serde_json::to_vec(&value).unwrap());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    value["checksum"] = Value::from(format!("sha256:{hex}"));
    let bad = dir.path("bad.json");
    std::fs::write(&bad, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
    refused(
        Path::new(&dept),
        &["update", "--db", &dept, "--package", bad.to_str().unwrap()],
        "bad.json: パッケージの内容を読めません（No.",
    );
}

mod acknowledged_edits {
    //! The property: whatever a department does with its packages — edits, submissions merged
    //! late, twice or never, the next period, a package issued again — every edit the
    //! coordinator acknowledged (merged and applied) is still in its report, unless a later
    //! acknowledged edit of the same cell replaced it.

    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use proptest::prelude::*;
    use shinchoku_core::edit::{self, CellEdit, EditError};
    use shinchoku_core::master;
    use shinchoku_core::model::{Actor, CellKey, Field, Source};
    use shinchoku_core::submission::{self, Package, Submission};
    use shinchoku_core::Store;

    use crate::common::TempDir;

    const DEPT: &str = "企画課";

    /// A small report: two measures of 企画課, one of another department, 令和６年度 下半期 open.
    const REPORT: &str = r#"{
      "title": "テスト",
      "fiscal_years": [{"year": 2024, "halves": {
          "H1": {"months": [4,5,6,7,8,9], "state": "closed"},
          "H2": {"months": [10,11,12,1,2,3], "state": "open"}}}],
      "measures": [
        {"no": 1, "pledge": "公約1", "content": "一", "target_date": "", "department": "企画課", "years": {}},
        {"no": 2, "pledge": "公約2", "content": "二", "target_date": "", "department": "企画課", "years": {}},
        {"no": 3, "pledge": "公約3", "content": "三", "target_date": "", "department": "財政課", "years": {}}
      ]}"#;

    #[derive(Debug, Clone)]
    enum Step {
        /// The department writes the n-th cell its package issued (modulo their count).
        Edit(usize, usize),
        /// It writes a submission file.
        Submit,
        /// The coordinator merges one of the last three submissions written (so out of order,
        /// late, or again).
        Merge(usize),
        /// An edit written in a submission that the coordinator merges at once.
        Round(usize, usize),
        /// The coordinator moves on to the next period and sends a package; the department
        /// takes it, submitting its unsent changes first or letting them go.
        NextPeriod { submit_first: bool },
        /// The coordinator issues the same period's package again; the department takes it.
        Reissue { submit_first: bool },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => (any::<usize>(), 0..3usize).prop_map(|(c, v)| Step::Edit(c, v)),
            3 => Just(Step::Submit),
            3 => (any::<usize>(), 0..3usize).prop_map(|(c, v)| Step::Round(c, v)),
            4 => any::<usize>().prop_map(Step::Merge),
            1 => any::<bool>().prop_map(|submit_first| Step::NextPeriod { submit_first }),
            1 => any::<bool>().prop_map(|submit_first| Step::Reissue { submit_first }),
        ]
    }

    struct World {
        dir: TempDir,
        main: Store,
        dept: Store,
        files: usize,
        /// Submissions written: the file and what it holds.
        written: Vec<(PathBuf, Submission)>,
        /// The coordinator's cell → the department's value it acknowledged last, with the
        /// package of the submission that brought it.
        acknowledged: BTreeMap<CellKey, (String, String)>,
    }

    impl World {
        fn new() -> World {
            let dir = TempDir::new();
            let mut main = Store::open_in_memory().unwrap();
            shinchoku_core::document::ReportDocument::from_json(REPORT)
                .unwrap()
                .load_into(&mut main, &Source::Sample)
                .unwrap();
            let path = dir.path("p0.json");
            submission::write_package(&mut main, DEPT, &path).unwrap();
            let dept = submission::init_from_package(&dir.path("dept.db"), &path).unwrap();
            World {
                dir,
                main,
                dept,
                files: 0,
                written: Vec::new(),
                acknowledged: BTreeMap::new(),
            }
        }

        fn file(&mut self, kind: &str) -> PathBuf {
            self.files += 1;
            self.dir.path(&format!("{kind}{}.json", self.files))
        }

        fn package(&self) -> Package {
            submission::package_of(&self.dept).unwrap()
        }

        fn submit(&mut self) {
            let path = self.file("s");
            let written = submission::write_submission(&mut self.dept, &path, None).unwrap();
            self.written.push((path, written.submission));
        }

        fn edit(&mut self, cell: usize, value: usize) {
            let package = self.package();
            let base = &package.base[cell % package.base.len()];
            // This database's measure of the coordinator's, in the package's order.
            let at = package
                .report
                .measures
                .iter()
                .position(|m| m.id == Some(base.measure_id))
                .unwrap();
            let local = self.dept.measures().unwrap()[at].id;
            let value = if base.field.is_indicator() {
                ["○", "△", ""][value]
            } else {
                ["あ", "い", ""][value]
            };
            let key = CellKey {
                measure_id: local,
                year: base.year,
                field: base.field,
            };
            let edited = edit::apply(
                &mut self.dept,
                &Actor::Department(DEPT.into()),
                &Source::App,
                &[CellEdit {
                    key,
                    value: value.into(),
                }],
            );
            match edited {
                // A year holds a note or entries: an edit that would make it hold both is
                // refused and writes nothing, so there is nothing to acknowledge.
                Err(EditError::NoteOverEntries { .. } | EditError::EntryUnderNote { .. }) => {}
                other => {
                    other.unwrap();
                }
            }
        }

        fn merge(&mut self, n: usize) {
            if self.written.is_empty() {
                return;
            }
            let back = n % self.written.len().min(3);
            let (path, submission) = self.written[self.written.len() - 1 - back].clone();
            let outcome =
                submission::merge_files(&mut self.main, std::slice::from_ref(&path)).unwrap();
            let Some(merged) = &outcome[0].merged else {
                return; // Refused (older, closed period) or merged before: nothing acknowledged.
            };
            assert!(
                merged.conflicts.is_empty(),
                "no one else wrote these cells: {outcome:?}"
            );
            let issued = self
                .main
                .issued_package(&submission.package_id)
                .unwrap()
                .unwrap()
                .1;
            for c in &submission.cells {
                let key = CellKey {
                    measure_id: c.measure_id,
                    year: c.year,
                    field: c.field,
                };
                let base = issued.cells.iter().find(|i| i.key == key).unwrap();
                // An edit is a value other than what the package issued, or than what an
                // earlier submission of the same package sent (a cell put back).
                let put_back = self
                    .acknowledged
                    .get(&key)
                    .is_some_and(|(_, package)| package == &submission.package_id);
                if c.value != base.value || put_back {
                    self.acknowledged
                        .insert(key, (c.value.clone(), submission.package_id.clone()));
                }
            }
        }

        /// Sends the department a new package and takes it in.
        fn new_package(&mut self, submit_first: bool) {
            let path = self.file("p");
            submission::write_package(&mut self.main, DEPT, &path).unwrap();
            let unsent = submission::unsent_changes(&self.dept).unwrap();
            if !unsent.is_empty() {
                // Refused as long as they are unsent, and nothing changes.
                let before = self.dept_cells();
                let err = submission::update_from_package(&mut self.dept, &path, false)
                    .unwrap_err()
                    .to_string();
                assert!(err.contains("未提出の変更"), "{err}");
                assert_eq!(self.dept_cells(), before);
                if submit_first {
                    self.submit();
                }
            }
            submission::update_from_package(&mut self.dept, &path, !submit_first).unwrap();
            // The department now holds the coordinator's values of its measures.
            let package = self.package();
            let local = self.dept.measures().unwrap();
            for (m, l) in package.report.measures.iter().zip(&local) {
                let id = m.id.unwrap();
                for y in self.main.fiscal_years().unwrap() {
                    for field in Field::ALL {
                        let key = |measure_id| CellKey {
                            measure_id,
                            year: y.year,
                            field,
                        };
                        let value = |store: &Store, k| {
                            store.cell(&k).unwrap().map(|c| c.value).unwrap_or_default()
                        };
                        assert_eq!(
                            value(&self.dept, key(l.id)),
                            value(&self.main, key(id)),
                            "{key:?}",
                            key = key(id)
                        );
                    }
                }
            }
            assert!(submission::unsent_changes(&self.dept).unwrap().is_empty());
        }

        fn dept_cells(&self) -> Vec<(CellKey, String)> {
            self.dept
                .cells()
                .unwrap()
                .into_values()
                .map(|c| (c.key, c.value))
                .collect()
        }

        fn check(&self) {
            for (key, (value, _)) in &self.acknowledged {
                let now = self
                    .main
                    .cell(key)
                    .unwrap()
                    .map(|c| c.value)
                    .unwrap_or_default();
                assert_eq!(&now, value, "acknowledged {key:?} lost");
            }
        }
    }

    proptest! {
        // 128 cases: a case that needs a package issued again between a submission and its
        // merge came up once in about 400 cases here, and was first found by a CI run.
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn no_acknowledged_edit_is_lost(steps in proptest::collection::vec(step(), 1..24)) {
            let mut world = World::new();
            for step in steps {
                match step {
                    Step::Edit(cell, value) => world.edit(cell, value),
                    Step::Submit => world.submit(),
                    Step::Merge(n) => world.merge(n),
                    Step::Round(cell, value) => {
                        world.edit(cell, value);
                        world.submit();
                        world.merge(0);
                    }
                    Step::NextPeriod { submit_first } => {
                        master::start_next_period(&mut world.main, "").unwrap();
                        world.new_package(submit_first);
                    }
                    Step::Reissue { submit_first } => world.new_package(submit_first),
                }
                world.check();
            }
        }
    }
}
