//! Files and values made by a careless or hostile sender: each is refused with a Japanese message
//! naming the file and the place, or merged under the coordinator's own records, and a refusal
//! leaves the database byte for byte unchanged.

use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use shinchoku_core::master::{self, MeasureForm};
use shinchoku_core::Store;

use crate::common::{list_json, measure_of, run, sample_db, snapshot, TempDir};

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.code, 0, "{args:?}: {}{}", out.stdout, out.stderr);
    out.stdout
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Rewrites a package or submission as a sender with the documented format can: `edit` changes
/// the content, the checksum is computed again, and the MAC too when `secret` is given (else the
/// old MAC stays).
fn rewrite(path: &Path, out: &Path, secret: Option<&str>, edit: impl FnOnce(&mut Value)) {
    let mut value: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let map = value.as_object_mut().unwrap();
    map.remove("checksum");
    let old_mac = map.remove("mac");
    edit(&mut value);
    let canonical = serde_json::to_vec(&value).unwrap();
    let map = value.as_object_mut().unwrap();
    map.insert(
        "checksum".into(),
        format!("sha256:{}", hex(&Sha256::digest(&canonical))).into(),
    );
    let mac = match secret {
        Some(secret) => {
            let key: Vec<u8> = (0..secret.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&secret[i..i + 2], 16).unwrap())
                .collect();
            let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
            mac.update(&canonical);
            Some(format!("hmac-sha256:{}", hex(&mac.finalize().into_bytes())).into())
        }
        None => old_mac,
    };
    if let Some(mac) = mac {
        map.insert("mac".into(), mac);
    }
    std::fs::write(out, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn status_of(db: &Path, measure: i64) -> String {
    let listed = list_json(db);
    let m = listed["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == measure)
        .unwrap()
        .clone();
    m["years"]["2024"]["halves"]["H2"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn set_status(db: &Path, measure: i64, status: &str) {
    ok(&[
        "set",
        "--db",
        db.to_str().unwrap(),
        "--measure",
        &measure.to_string(),
        "--year",
        "2024",
        "--half",
        "H2",
        "--status",
        status,
    ]);
}

/// The coordinator's database, packages for two departments, and the first department's
/// database made from its package.
struct Exchange {
    dir: TempDir,
    main: PathBuf,
    package_a: PathBuf,
    package_b: PathBuf,
    dept_a: PathBuf,
}

const A: &str = "こども支援課";
const B: &str = "危機管理室";

impl Exchange {
    fn new() -> Exchange {
        let dir = TempDir::new();
        let main = sample_db(&dir);
        let package = |dept: &str, name: &str| {
            let path = dir.path(name);
            ok(&[
                "package",
                "--db",
                main.to_str().unwrap(),
                "--department",
                dept,
                "--out",
                path.to_str().unwrap(),
            ]);
            path
        };
        let package_a = package(A, "a.json");
        let package_b = package(B, "b.json");
        let dept_a = dir.path("a.db");
        ok(&[
            "init",
            "--db",
            dept_a.to_str().unwrap(),
            "--package",
            package_a.to_str().unwrap(),
        ]);
        Exchange {
            dir,
            main,
            package_a,
            package_b,
            dept_a,
        }
    }

    fn submit(&self, name: &str) -> PathBuf {
        let path = self.dir.path(name);
        ok(&[
            "submit",
            "--db",
            self.dept_a.to_str().unwrap(),
            "--out",
            path.to_str().unwrap(),
        ]);
        path
    }

    /// Merges and expects a refusal naming the file with `message`, nothing changed.
    fn refused(&self, file: &Path, message: &str) {
        let before = snapshot(&self.main);
        let out = run(&[
            "merge",
            "--db",
            self.main.to_str().unwrap(),
            file.to_str().unwrap(),
        ]);
        let printed = format!("{}{}", out.stdout, out.stderr);
        assert_eq!(out.code, 1, "not refused: {printed}");
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(printed.contains(name), "the file is not named: {printed}");
        assert!(
            printed.contains(message),
            "expected «{message}» in «{printed}»"
        );
        assert_eq!(
            snapshot(&self.main),
            before,
            "the refusal changed the database"
        );
    }

    fn merge(&self, file: &Path) -> String {
        ok(&[
            "merge",
            "--db",
            self.main.to_str().unwrap(),
            file.to_str().unwrap(),
        ])
    }
}

#[test]
fn a_submission_rewritten_with_a_fresh_checksum_is_refused_as_not_from_its_package() {
    let x = Exchange::new();
    set_status(&x.dept_a, measure_of(&x.dept_a, A), "部署の入力");
    let sent = x.submit("sent.json");
    let forged = x.dir.path("forged.json");
    rewrite(&sent, &forged, None, |v| {
        for cell in v["cells"].as_array_mut().unwrap() {
            cell["value"] = "書き換え".into();
        }
    });
    x.refused(&forged, "署名が一致しません");
    // The checksum now only says the file arrived whole.
    let damaged = x.dir.path("damaged.json");
    let text = std::fs::read_to_string(&sent).unwrap();
    std::fs::write(&damaged, text.replacen("部署の入力", "部署の入カ", 1)).unwrap();
    x.refused(
        &damaged,
        "damaged.json は壊れています（チェックサムが一致しません）",
    );
}

#[test]
fn a_submission_rewritten_to_name_another_department_is_refused() {
    let x = Exchange::new();
    let main_b = measure_of(&x.main, B);
    let sent = x.submit("sent.json");
    let package_b = json(&x.package_b);
    // Everything of department B's package named, B's measure written, the MAC kept.
    let as_b = x.dir.path("as_b.json");
    rewrite(&sent, &as_b, None, |v| {
        v["department"] = B.into();
        v["packageId"] = package_b["packageId"].clone();
        v["cells"][0]["measureId"] = main_b.into();
        v["cells"][0]["value"] = "乗っ取り".into();
    });
    x.refused(&as_b, "署名が一致しません");
    // Signed with A's own secret (its database holds it), but writing B's measure.
    let secret_a = json(&x.package_a)["secret"].as_str().unwrap().to_string();
    let b_cell = x.dir.path("b_cell.json");
    rewrite(&sent, &b_cell, Some(&secret_a), |v| {
        v["cells"][0]["measureId"] = main_b.into();
        v["cells"][0]["value"] = "乗っ取り".into();
    });
    x.refused(
        &b_cell,
        &format!("実施内容 ID {main_b} の 令和６年度 年度目標 は {A} に発行していない欄です"),
    );
    // A's secret with B's name: the department and period come from the coordinator's record.
    let b_name = x.dir.path("b_name.json");
    rewrite(&sent, &b_name, Some(&secret_a), |v| {
        v["department"] = B.into()
    });
    x.refused(
        &b_name,
        "発行したパッケージ（こども支援課、令和６年度 下半期）と一致しません",
    );
}

#[test]
fn a_signed_submission_listing_one_cell_twice_is_refused_whole_naming_the_cell() {
    let x = Exchange::new();
    let main_a = measure_of(&x.main, A);
    let sent = x.submit("sent.json");
    let secret_a = json(&x.package_a)["secret"].as_str().unwrap().to_string();
    // Signed with the package's own secret: only the repeated cell is wrong.
    let twice = x.dir.path("twice.json");
    rewrite(&sent, &twice, Some(&secret_a), |v| {
        let cells = v["cells"].as_array_mut().unwrap();
        let first = cells[0].clone();
        let mut again = first.clone();
        again["value"] = "二度目".into();
        cells.push(again);
        cells[0]["value"] = "一度目".into();
    });
    x.refused(
        &twice,
        &format!("実施内容 ID {main_a} の 令和６年度 年度目標 が 2 回書かれています"),
    );
    // The same cell twice with the same value is refused too: never counted as two changes.
    let same = x.dir.path("same.json");
    rewrite(&sent, &same, Some(&secret_a), |v| {
        let cells = v["cells"].as_array_mut().unwrap();
        cells[0]["value"] = "同じ値".into();
        let again = cells[0].clone();
        cells.push(again);
    });
    x.refused(&same, "2 回書かれています");
}

#[test]
fn the_merge_base_is_the_coordinators_record_not_the_files_claim() {
    let x = Exchange::new();
    let main_a = measure_of(&x.main, A);
    // The coordinator writes the cell after issuing the package.
    set_status(&x.main, main_a, "取りまとめの修正");
    set_status(&x.dept_a, measure_of(&x.dept_a, A), "部署の入力");
    let sent = x.submit("sent.json");
    // The sender claims the coordinator's value as its base at a revision from the future (as
    // version 1 allowed): signed with its own secret, yet the claim is not read.
    let secret_a = json(&x.package_a)["secret"].as_str().unwrap().to_string();
    let claims = x.dir.path("claims.json");
    rewrite(&sent, &claims, Some(&secret_a), |v| {
        for cell in v["cells"].as_array_mut().unwrap() {
            cell["baseRevision"] = 1_000_000_000_000_000i64.into();
            cell["baseValue"] = "取りまとめの修正".into();
        }
    });
    let printed = x.merge(&claims);
    assert!(printed.contains("競合 1"), "{printed}");
    assert_eq!(status_of(&x.main, main_a), "取りまとめの修正");
}

#[test]
fn an_older_submission_merged_after_a_newer_one_is_refused() {
    let x = Exchange::new();
    let local = measure_of(&x.dept_a, A);
    set_status(&x.dept_a, local, "一回目");
    let first = x.submit("first.json");
    set_status(&x.dept_a, local, "二回目");
    let second = x.submit("second.json");
    x.merge(&second);
    x.refused(&first, "second.json");
    assert_eq!(status_of(&x.main, measure_of(&x.main, A)), "二回目");
    // In order, both are taken: the later one wins.
    let y = Exchange::new();
    let local = measure_of(&y.dept_a, A);
    set_status(&y.dept_a, local, "一回目");
    let first = y.submit("first.json");
    set_status(&y.dept_a, local, "二回目");
    let second = y.submit("second.json");
    y.merge(&first);
    y.merge(&second);
    assert_eq!(status_of(&y.main, measure_of(&y.main, A)), "二回目");
}

#[test]
fn values_stay_with_their_measure_after_a_measure_is_added_in_the_department() {
    let x = Exchange::new();
    let original = measure_of(&x.dept_a, A);
    let mut store = Store::open(&x.dept_a).unwrap();
    let measure = store.measure(original).unwrap().unwrap();
    // Added under the same pledge: it takes a position before or beside the original.
    master::add_measure(
        &mut store,
        &MeasureForm {
            pledge_id: measure.pledge_id,
            department_id: measure.department_id,
            pledge_caption: String::new(),
            content: "部署で追加した実施内容".into(),
            target_date: String::new(),
        },
    )
    .unwrap();
    let moved = store
        .measures()
        .unwrap()
        .into_iter()
        .find(|m| m.content == "部署で追加した実施内容")
        .unwrap();
    master::move_measure(&mut store, moved.id, -1).ok();
    drop(store);
    set_status(&x.dept_a, original, "元の実施内容の状況");
    let sent = x.submit("sent.json");
    x.merge(&sent);
    let main_a = measure_of(&x.main, A);
    assert_eq!(status_of(&x.main, main_a), "元の実施内容の状況");
}

#[test]
fn a_year_out_of_range_is_refused_wherever_it_arrives() {
    let x = Exchange::new();
    let main = x.main.to_str().unwrap();
    let before = snapshot(&x.main);
    let out = run(&[
        "set",
        "--db",
        main,
        "--measure",
        "1",
        "--year",
        "300000",
        "--half",
        "H2",
        "--status",
        "x",
    ]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("年度「300000」は扱えません"),
        "{}",
        out.stderr
    );
    let mut store = Store::open(&x.main).unwrap();
    let err = master::add_fiscal_year(&mut store, 300_000, &[4], &[10]).unwrap_err();
    assert!(err.to_string().contains("300000"), "{err}");
    drop(store);
    assert_eq!(snapshot(&x.main), before);
    // A submission whose period names year 300000, checksum and MAC made anew.
    let secret_a = json(&x.package_a)["secret"].as_str().unwrap().to_string();
    let sent = x.submit("sent.json");
    let far = x.dir.path("far.json");
    rewrite(&sent, &far, Some(&secret_a), |v| {
        v["period"]["year"] = 300_000.into()
    });
    x.refused(&far, "年度「300000」は扱えません");
    // A database holding such a year (edited by hand) is refused with a message, no panic.
    rusqlite::Connection::open(&x.main)
        .unwrap()
        .execute_batch(
            "INSERT INTO fiscal_year (year) VALUES (300000);
                        INSERT INTO half_year (year, half, months, state, deadline)
                        VALUES (300000, 'H1', '4', 'upcoming', '');",
        )
        .unwrap();
    let out = run(&["check", "--db", main]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("扱えない年度 300000"), "{}", out.stderr);
}

#[test]
fn a_version_one_file_is_refused_as_unsigned() {
    let x = Exchange::new();
    let sent = x.submit("sent.json");
    let old = x.dir.path("old.json");
    rewrite(&sent, &old, None, |v| v["version"] = 1.into());
    x.refused(&old, "形式 1 は作成元を証明できないため受け付けません");
}

#[test]
fn over_long_text_is_refused_with_its_count_and_never_breaks_the_export() {
    let x = Exchange::new();
    let main = x.main.to_str().unwrap();
    let measure = measure_of(&x.main, A).to_string();
    let long = "あ".repeat(33_000);
    let before = snapshot(&x.main);
    let out = run(&[
        "set",
        "--db",
        main,
        "--measure",
        &measure,
        "--year",
        "2024",
        "--half",
        "H2",
        "--status",
        &long,
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("33000 文字は長すぎます"),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&x.main), before);
    // Few characters on many lines: the message counts the lines that make it too tall.
    let lines = "一行\n".repeat(30);
    let out = run(&[
        "set",
        "--db",
        main,
        "--measure",
        &measure,
        "--year",
        "2024",
        "--half",
        "H2",
        "--status",
        &lines,
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("90 文字は長すぎます（印刷すると 31 行。欄に収まるのは 26 行"),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&x.main), before);
    // In a merge: the department's database holds what it was given by hand.
    set_status(&x.dept_a, measure_of(&x.dept_a, A), "短い");
    rusqlite::Connection::open(&x.dept_a)
        .unwrap()
        .execute(
            "UPDATE cell SET value = ?1 WHERE field = 'h2_status' AND year = 2024",
            [&long],
        )
        .unwrap();
    let sent = x.submit("long.json");
    x.refused(&sent, "33000 文字は長すぎます");
    // Already in the database (written before the limits): the export cuts, never fails.
    rusqlite::Connection::open(&x.main)
        .unwrap()
        .execute(
            "UPDATE cell SET value = ?1 WHERE measure_id = ?2 AND field = 'h2_status' AND year = 2024",
            (&long, measure.parse::<i64>().unwrap()),
        )
        .unwrap();
    let out_file = x.dir.path("long.xlsx");
    ok(&["export", "--db", main, "--out", out_file.to_str().unwrap()]);
    assert!(out_file.exists());
}
