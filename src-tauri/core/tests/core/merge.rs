//! The three-way merge of departments' returns: taken, unchanged, conflicts, refusals, idempotence.

use proptest::prelude::*;
use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::merge::{self, Choice, Incoming, IncomingCell, Issue, MergeError};
use shinchoku_core::model::{Actor, CellKey, Field, Half, PeriodState, Source};
use shinchoku_core::report::Report;
use shinchoku_core::Store;

use crate::common::{sample_db, sample_store, snapshot, TempDir};

mod decision;

const OPEN_FIELDS: [Field; 4] = [
    Field::AnnualTarget,
    Field::Plan(Half::H2),
    Field::Indicator(Half::H2),
    Field::Status(Half::H2),
];

/// What a request package gives a department: its measures' open-period cells with their revisions.
fn package(store: &Store, department: &str) -> Vec<IncomingCell> {
    let report = Report::load(store).unwrap();
    let dept = store.department_by_name(department).unwrap().unwrap();
    let mut cells = Vec::new();
    for m in report
        .measures
        .iter()
        .filter(|m| m.department_id == dept.id)
    {
        for field in OPEN_FIELDS {
            let key = CellKey {
                measure_id: m.id,
                year: 2024,
                field,
            };
            let (value, revision) = report
                .cells
                .get(&key)
                .map(|c| (c.value.clone(), c.revision))
                .unwrap_or_default();
            cells.push(IncomingCell {
                key,
                base_revision: revision,
                base_value: value.clone(),
                value,
            });
        }
    }
    cells
}

fn incoming(department: &str, cells: Vec<IncomingCell>) -> Incoming {
    Incoming {
        department: department.into(),
        year: 2024,
        half: Half::H2,
        issue: Issue::Package("テスト".into()),
        cells,
        source: Source::Submission("テスト.json".into()),
    }
}

fn value(store: &Store, key: &CellKey) -> String {
    store
        .cell(key)
        .unwrap()
        .map(|c| c.value)
        .unwrap_or_default()
}

#[test]
fn a_change_made_only_by_the_department_is_taken_and_merging_again_changes_nothing() {
    let mut store = sample_store();
    let mut cells = package(&store, "こども支援課");
    cells[3].value = "１０月から助成を開始した。".into();
    cells[2].value = "〇".into();
    let ret = incoming("こども支援課", cells.clone());
    let outcome = merge::merge(&mut store, &ret).unwrap();
    assert_eq!(outcome.applied, 2);
    assert!(outcome.conflicts.is_empty());
    assert_eq!(value(&store, &cells[3].key), "１０月から助成を開始した。");
    assert_eq!(value(&store, &cells[2].key), "○");
    let history = store.cell_history(&cells[3].key).unwrap();
    assert_eq!(history[0].actor, "こども支援課");
    assert_eq!(history[0].source, "提出ファイル テスト.json");

    let revision = store.revision().unwrap();
    let again = merge::merge(&mut store, &ret).unwrap();
    assert_eq!(again.applied, 0);
    assert_eq!(
        store.revision().unwrap(),
        revision,
        "re-merging wrote something"
    );
}

#[test]
fn a_cell_changed_on_both_sides_waits_for_the_coordinator_and_is_resolved_by_choice() {
    let mut store = sample_store();
    let mut cells = package(&store, "こども支援課");
    let key = cells[3].key;
    edit::apply(
        &mut store,
        &Actor::Coordinator,
        &Source::App,
        &[CellEdit {
            key,
            value: "取りまとめの修正".into(),
        }],
    )
    .unwrap();
    cells[3].value = "担当課の記入".into();
    let outcome = merge::merge(&mut store, &incoming("こども支援課", cells)).unwrap();
    assert_eq!(outcome.conflicts, vec![key]);
    assert_eq!(
        value(&store, &key),
        "取りまとめの修正",
        "a conflict must not be applied"
    );
    let listed = merge::conflicts(&store).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].coordinator_value, "取りまとめの修正");
    assert_eq!(listed[0].department_value, "担当課の記入");

    merge::resolve(&mut store, &key, Choice::Department).unwrap();
    assert_eq!(value(&store, &key), "担当課の記入");
    assert!(merge::conflicts(&store).unwrap().is_empty());
    assert!(matches!(
        merge::resolve(&mut store, &key, Choice::Base),
        Err(MergeError::Refused(_))
    ));
}

#[test]
fn refused_returns_change_nothing_and_say_why() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let mut store = Store::open(&db).unwrap();
    let own = package(&store, "こども支援課");
    let other = package(&store, "危機管理室");
    let with = |mut cells: Vec<IncomingCell>, i: usize, v: &str| {
        cells[i].value = v.into();
        cells
    };
    let cases: Vec<(Incoming, &str)> = vec![
        (
            incoming("存在しない課", with(own.clone(), 3, "x")),
            "担当課「存在しない課」はこの報告にありません",
        ),
        (
            Incoming {
                half: Half::H1,
                ..incoming("こども支援課", with(own.clone(), 3, "x"))
            },
            "令和６年度 上半期 は締め切られています",
        ),
        (
            Incoming {
                year: 2031,
                ..incoming("こども支援課", with(own.clone(), 3, "x"))
            },
            "令和１３年度 下半期 はこの報告にない期です",
        ),
        (
            incoming("こども支援課", with(other.clone(), 3, "横から")),
            "危機管理室 の担当です",
        ),
        (
            incoming(
                "こども支援課",
                with(with(own.clone(), 3, "書かれない"), 2, "◎"),
            ),
            "指標「◎」は ☆○△× のいずれでもありません",
        ),
    ];
    for (ret, message) in cases {
        let before = snapshot(&db);
        let err = merge::merge(&mut store, &ret).unwrap_err();
        assert!(
            err.to_string().contains(message),
            "expected «{message}» in «{err}»"
        );
        assert_eq!(snapshot(&db), before, "«{message}» changed the database");
    }
}

#[test]
fn a_return_for_a_period_that_is_not_open_names_the_open_one() {
    let mut store = sample_store();
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.set_period_state(2024, Half::H2, PeriodState::Upcoming)
        })
        .unwrap();
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.set_period_state(2024, Half::H1, PeriodState::Open)
        })
        .unwrap();
    let ret = incoming("こども支援課", package(&store, "こども支援課"));
    let err = merge::merge(&mut store, &ret).unwrap_err();
    assert!(
        err.to_string()
            .contains("令和６年度 下半期 の提出ですが、受付中の期は 令和６年度 上半期 です"),
        "{err}"
    );
}

/// A department's edits: (index of the department, index of its cell, new text).
fn edits() -> impl Strategy<Value = Vec<(usize, usize, String)>> {
    prop::collection::vec(
        (
            0usize..4,
            0usize..8,
            prop_oneof!["[あ-ん]{1,6}", Just("○".to_string()), Just(String::new())],
        ),
        0..12,
    )
}

const DEPARTMENTS: [&str; 4] = ["こども支援課", "危機管理室", "道路建設課", "広報課"];

fn apply_department_edits(cells: &mut [Vec<IncomingCell>], edits: &[(usize, usize, String)]) {
    for (d, i, v) in edits {
        let list = &mut cells[*d];
        let n = list.len();
        let cell = &mut list[i % n];
        // Indicator cells take symbols, text cells text.
        cell.value = if cell.key.field.is_indicator() {
            if v.is_empty() {
                String::new()
            } else {
                "△".into()
            }
        } else {
            v.clone()
        };
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Packaging → editing → merging gives the same report as making the same edits directly.
    #[test]
    fn merging_returns_equals_editing_directly(dept_edits in edits()) {
        let mut merged = sample_store();
        let mut direct = sample_store();
        let mut cells: Vec<Vec<IncomingCell>> = DEPARTMENTS.iter().map(|d| package(&merged, d)).collect();
        apply_department_edits(&mut cells, &dept_edits);
        for (d, list) in DEPARTMENTS.iter().zip(&cells) {
            merge::merge(&mut merged, &incoming(d, list.clone())).unwrap();
            let changes: Vec<CellEdit> = list.iter().filter(|c| c.value != c.base_value).map(|c| CellEdit { key: c.key, value: c.value.clone() }).collect();
            edit::apply(&mut direct, &Actor::Department(d.to_string()), &Source::App, &changes).unwrap();
        }
        let a = Report::load(&merged).unwrap();
        let b = Report::load(&direct).unwrap();
        let values = |r: &Report| r.cells.iter().map(|(k, c)| (*k, c.value.clone())).filter(|(_, v)| !v.is_empty()).collect::<Vec<_>>();
        prop_assert_eq!(values(&a), values(&b));
        prop_assert!(merge::conflicts(&merged).unwrap().is_empty());
    }

    /// Concurrent coordinator edits produce conflicts exactly where both sides changed a cell
    /// to different values.
    #[test]
    fn conflicts_arise_exactly_where_both_sides_changed(dept_edits in edits(), coord_edits in edits()) {
        let mut store = sample_store();
        let mut cells: Vec<Vec<IncomingCell>> = DEPARTMENTS.iter().map(|d| package(&store, d)).collect();
        let mut coordinator = cells.clone();
        apply_department_edits(&mut cells, &dept_edits);
        apply_department_edits(&mut coordinator, &coord_edits);
        let coord_changes: Vec<CellEdit> = coordinator.iter().flatten().filter(|c| c.value != c.base_value).map(|c| CellEdit { key: c.key, value: c.value.clone() }).collect();
        edit::apply(&mut store, &Actor::Coordinator, &Source::App, &coord_changes).unwrap();
        let mut expected = Vec::new();
        for (list, coord) in cells.iter().zip(&coordinator) {
            for (c, o) in list.iter().zip(coord) {
                if c.value != c.base_value && o.value != o.base_value && c.value != o.value {
                    expected.push(c.key);
                }
            }
        }
        let mut found = Vec::new();
        for (d, list) in DEPARTMENTS.iter().zip(&cells) {
            found.extend(merge::merge(&mut store, &incoming(d, list.clone())).unwrap().conflicts);
        }
        expected.sort();
        found.sort();
        prop_assert_eq!(found, expected);
    }
}
