//! A coordinator's decision stands (#25): a department's value the coordinator has seen is the
//! base of that department's later returns of the same issue, so a settled conflict is neither
//! undone nor raised again by a return that still carries that value.

use proptest::prelude::*;
use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::merge::{self, Choice, Incoming, IncomingCell, Issue, MergeOutcome};
use shinchoku_core::model::{Actor, CellKey, Half, Source};
use shinchoku_core::Store;

use super::{package, value};
use crate::common::sample_store;

const DEPARTMENT: &str = "こども支援課";

/// The one cell these tests follow: こども支援課's first measure, 2024 下半期 状況.
fn status_cell(store: &Store) -> IncomingCell {
    package(store, DEPARTMENT)[3].clone()
}

fn coordinator_writes(store: &mut Store, key: CellKey, value: &str) {
    edit::apply(
        store,
        &Actor::Coordinator,
        &Source::App,
        &[CellEdit {
            key,
            value: value.into(),
        }],
    )
    .unwrap();
}

/// A return of `issue` holding the department's `value` for the cell issued as `issued`.
fn returned(store: &mut Store, issue: &Issue, issued: &IncomingCell, value: &str) -> MergeOutcome {
    let ret = Incoming {
        department: DEPARTMENT.into(),
        year: 2024,
        half: Half::H2,
        issue: issue.clone(),
        cells: vec![IncomingCell {
            value: value.into(),
            ..issued.clone()
        }],
        source: Source::Submission("テスト.json".into()),
    };
    merge::merge(store, &ret).unwrap()
}

/// A returned Excel sheet of the department and period follows the same rule: its second return
/// still carrying the rejected value changes nothing.
#[test]
fn a_returned_sheet_does_not_undo_a_decision_on_its_earlier_return() {
    let mut store = sample_store();
    let issued = status_cell(&store);
    let sheet = Issue::Sheet(Some(store.revision().unwrap()));
    coordinator_writes(&mut store, issued.key, "取りまとめの値");
    assert_eq!(
        returned(&mut store, &sheet, &issued, "部署の値").conflicts,
        vec![issued.key]
    );
    merge::resolve(&mut store, &issued.key, Choice::Base).unwrap();
    let again = returned(&mut store, &sheet, &issued, "部署の値");
    assert_eq!((again.applied, again.unchanged), (0, 1));
    assert!(again.conflicts.is_empty());
    assert_eq!(value(&store, &issued.key), issued.base_value);
    // A sheet exported after the decision starts from what the report held then.
    let later = Issue::Sheet(Some(store.revision().unwrap()));
    let fresh = status_cell(&store);
    assert_eq!(returned(&mut store, &later, &fresh, "部署の値").applied, 1);
}

/// A decision is the base of the returns of the package it was made on, never of another one:
/// a package issued again starts from what the report held when it was issued.
#[test]
fn a_decision_on_one_package_is_not_the_base_of_the_next_package() {
    let mut store = sample_store();
    let issued = status_cell(&store);
    let first = Issue::Package("一回目".into());
    coordinator_writes(&mut store, issued.key, "取りまとめの値");
    returned(&mut store, &first, &issued, "部署の値");
    merge::resolve(&mut store, &issued.key, Choice::Coordinator).unwrap();
    // The next package issued the coordinator's value; its return keeps it: unchanged.
    let second = Issue::Package("二回目".into());
    let reissued = status_cell(&store);
    assert_eq!(reissued.base_value, "取りまとめの値");
    let kept = returned(&mut store, &second, &reissued, "取りまとめの値");
    assert_eq!((kept.applied, kept.unchanged), (0, 1));
    // The first package's return carrying the rejected value still changes nothing.
    let old = returned(&mut store, &first, &issued, "部署の値");
    assert_eq!((old.applied, old.unchanged, old.conflicts.len()), (0, 1, 0));
    assert_eq!(value(&store, &issued.key), "取りまとめの値");
}

/// A conflict the department settles itself, by returning the report's value, is listed as
/// settled by that department.
#[test]
fn a_conflict_the_department_agrees_to_is_settled_by_the_department() {
    let mut store = sample_store();
    let issued = status_cell(&store);
    let issue = Issue::Package("一回目".into());
    coordinator_writes(&mut store, issued.key, "取りまとめの値");
    returned(&mut store, &issue, &issued, "部署の値");
    returned(&mut store, &issue, &issued, "取りまとめの値");
    assert!(merge::conflicts(&store).unwrap().is_empty());
    let settled = merge::settled_conflicts(&store).unwrap();
    let how = settled[0].settled.as_ref().unwrap();
    assert_eq!(how.how, merge::Settlement::Agreed);
    assert_eq!(how.by, DEPARTMENT);
}

/// One step of a department and its coordinator on the followed cell.
#[derive(Debug, Clone)]
enum Step {
    /// The department writes one of [`VALUES`] in its own database.
    Department(usize),
    /// The department returns its database's value.
    Submit,
    /// The coordinator writes one of [`VALUES`].
    Coordinator(usize),
    /// The coordinator settles the waiting conflict, if any: department, coordinator, base,
    /// or a value of its own.
    Resolve(usize),
    /// A new package: the department's database takes the report's value.
    Reissue,
}

const VALUES: [&str; 4] = ["", "甲", "乙", "丙"];
const OWN_VALUE: &str = "丁";

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        prop_oneof![
            3 => (0..VALUES.len()).prop_map(Step::Department),
            4 => Just(Step::Submit),
            2 => (0..VALUES.len()).prop_map(Step::Coordinator),
            3 => (0..4usize).prop_map(Step::Resolve),
            1 => Just(Step::Reissue),
        ],
        1..24,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Over any sequence of edits, returns and resolutions: a resolved decision is never undone
    /// except by a later change of the cell by the department or the coordinator, and no
    /// conflict is raised twice for the same pair of values while neither side changed.
    #[test]
    fn a_settled_conflict_stays_settled(steps in steps()) {
        let mut store = sample_store();
        let mut issued = status_cell(&store);
        let mut issue = Issue::Package("p0".into());
        let mut packages = 0;
        let mut department = issued.base_value.clone();
        // Bumped whenever the department's own value changes, even back to an earlier one.
        let mut version = 0u32;
        // The version and value of the department's last return.
        let mut sent: Option<(u32, String)> = None;
        // The decision in force: the department's version it decided on, and the value it left
        // in the report.
        let mut decided: Option<(u32, String)> = None;
        // The pairs (coordinator's, department's) raised since either side last changed.
        let mut raised: Vec<(String, String)> = Vec::new();
        for step in steps {
            match step {
                Step::Department(i) => {
                    if department != VALUES[i] {
                        department = VALUES[i].to_string();
                        version += 1;
                    }
                }
                Step::Coordinator(i) => {
                    if value(&store, &issued.key) != VALUES[i] {
                        coordinator_writes(&mut store, issued.key, VALUES[i]);
                        decided = None;
                        raised.clear();
                    }
                }
                Step::Reissue => {
                    packages += 1;
                    issue = Issue::Package(format!("p{packages}"));
                    issued = status_cell(&store);
                    // The department's database takes the report's value.
                    if department != issued.base_value {
                        department = issued.base_value.clone();
                        version += 1;
                    }
                }
                Step::Resolve(choice) => {
                    let Some(waiting) = merge::conflicts(&store).unwrap().into_iter().next() else {
                        continue;
                    };
                    let choice = match choice {
                        0 => Choice::Department,
                        1 => Choice::Coordinator,
                        2 => Choice::Base,
                        _ => Choice::Other(OWN_VALUE.into()),
                    };
                    merge::resolve(&mut store, &issued.key, choice).unwrap();
                    let left = value(&store, &issued.key);
                    decided = sent
                        .as_ref()
                        .filter(|(_, v)| *v == waiting.department_value)
                        .map(|(at, _)| (*at, left));
                }
                Step::Submit => {
                    let before = value(&store, &issued.key);
                    let waiting_before = merge::conflicts(&store).unwrap();
                    if sent.as_ref().map(|(at, _)| *at) != Some(version) {
                        raised.clear();
                    }
                    let outcome = returned(&mut store, &issue, &issued, &department);
                    let after = value(&store, &issued.key);
                    match &decided {
                        Some((at, left)) if *at == version => {
                            prop_assert_eq!(&after, left, "a decision was undone");
                            prop_assert!(outcome.conflicts.is_empty(), "a settled conflict was raised again");
                        }
                        _ => decided = None,
                    }
                    if before != after {
                        raised.clear();
                    }
                    let waiting = merge::conflicts(&store).unwrap();
                    if !outcome.conflicts.is_empty() && waiting != waiting_before {
                        let pair = (waiting[0].coordinator_value.clone(), waiting[0].department_value.clone());
                        prop_assert!(!raised.contains(&pair), "raised twice: {:?}", pair);
                        raised.push(pair);
                    }
                    sent = Some((version, department.clone()));
                }
            }
        }
    }
}
