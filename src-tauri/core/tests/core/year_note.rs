//! Year notes (備考: 達成済, R6年度より追加): printed across the year's whole block instead of
//! its cells, so a year holds a note or entries, never both (`model::year_note_clash`).
//! Whichever comes second is refused wherever values enter — `set`, the window's edit (both
//! `edit::apply`), a department's return, a loaded document — and export → import gives
//! back every value, notes included.

use proptest::prelude::*;
use shinchoku_core::document::{DocMeasureYear, DocumentError, ReportDocument};
use shinchoku_core::edit::{self, CellEdit, EditError};
use shinchoku_core::merge::{self, Incoming, IncomingCell, MergeError};
use shinchoku_core::model::{Actor, CellKey, Field, Half, PeriodState, Source};
use shinchoku_core::report::Report;
use shinchoku_core::sample;
use shinchoku_core::Store;

use crate::common::{measure_of, ok, refused, sample_db, sample_store, TempDir};
use crate::import::round_trip;

/// The sample's measure with a note in 令和６年度 (No.11 職員課, 達成済).
fn noted(report: &Report) -> (i64, String) {
    let m = report
        .measures
        .iter()
        .find(|m| report.value(m.id, 2024, Field::YearNote) == "達成済")
        .expect("the sample has a 達成済 in 令和６年度");
    (m.id, report.department_name(m.department_id).to_string())
}

/// The bug: `set --note 達成済` on a year with entries was taken; the sheet and the web page
/// then printed the note alone, and the sheet read back had lost the year's entries.
#[test]
fn bug_a_note_set_on_a_year_with_entries_hid_them() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let id = measure_of(&db, "こども支援課").to_string();
    let db_arg = db.to_str().unwrap();
    let out = refused(
        &db,
        &[
            "set",
            "--db",
            db_arg,
            "--measure",
            &id,
            "--year",
            "2024",
            "--note",
            "達成済",
        ],
        "令和６年度 備考: この年度には年度目標などの記入があるため、備考は書けません",
    );
    assert!(
        out.stderr.contains("先にこの年度の記入を消してください"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_entry_is_refused_while_its_year_has_a_note() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let (id, _) = noted(&Report::load(&Store::open(&db).unwrap()).unwrap());
    let id = id.to_string();
    let db_arg = db.to_str().unwrap();
    refused(
        &db,
        &[
            "set",
            "--db",
            db_arg,
            "--measure",
            &id,
            "--year",
            "2024",
            "--half",
            "H2",
            "--plan",
            "計画",
        ],
        "令和６年度 下半期 計画（短期目標）: この年度には備考「達成済」があるため書けません",
    );
    // Clearing the note and writing the entry is one action the rule allows.
    ok(&[
        "set",
        "--db",
        db_arg,
        "--measure",
        &id,
        "--year",
        "2024",
        "--half",
        "H2",
        "--plan",
        "計画",
        "--note",
        "",
    ]);
}

#[test]
fn a_note_may_replace_the_entries_cleared_in_the_same_action_in_any_order() {
    let mut store = sample_store();
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.set_period_state(2024, Half::H1, PeriodState::Open)
        })
        .unwrap();
    let report = Report::load(&store).unwrap();
    let id = report.measures[0].id;
    let key = |field| CellKey {
        measure_id: id,
        year: 2024,
        field,
    };
    // The note first, then the entries cleared: the rule holds for the action's result.
    let mut edits = vec![CellEdit {
        key: key(Field::YearNote),
        value: "達成済".into(),
    }];
    edits.extend(
        Field::ALL
            .into_iter()
            .filter(|&f| f != Field::YearNote)
            .map(|f| CellEdit {
                key: key(f),
                value: String::new(),
            }),
    );
    // An entry left (the 下半期 計画) is refused, naming the note's cell.
    let without_h2 = &edits[..6];
    let err = edit::apply(&mut store, &Actor::Coordinator, &Source::App, without_h2).unwrap_err();
    assert!(
        matches!(err, EditError::NoteOverEntries { key: k, entry, .. } if k == key(Field::YearNote) && entry == Field::Plan(Half::H2)),
        "{err:?}"
    );
    assert_eq!(err.key(), Some(key(Field::YearNote)));
    edit::apply(&mut store, &Actor::Coordinator, &Source::App, &edits).unwrap();
    let report = Report::load(&store).unwrap();
    assert_eq!(report.value(id, 2024, Field::YearNote), "達成済");
    assert_eq!(report.value(id, 2024, Field::Plan(Half::H2)), "");
}

#[test]
fn a_departments_return_writing_under_a_note_is_refused_whole() {
    let mut store = sample_store();
    let report = Report::load(&store).unwrap();
    let (id, department) = noted(&report);
    let incoming = Incoming {
        department,
        year: 2024,
        half: Half::H2,
        issue: merge::Issue::Sheet(None),
        cells: vec![IncomingCell {
            key: CellKey {
                measure_id: id,
                year: 2024,
                field: Field::Status(Half::H2),
            },
            base_revision: 0,
            base_value: String::new(),
            value: "続けています".into(),
        }],
        source: Source::SheetImport("return.xlsx".into()),
    };
    let err = merge::merge(&mut store, &incoming).unwrap_err();
    assert!(
        matches!(&err, MergeError::Edit(EditError::EntryUnderNote { note, .. }) if note == "達成済"),
        "{err:?}"
    );
    assert_eq!(Report::load(&store).unwrap().revision, report.revision);
}

#[test]
fn a_document_with_a_note_and_entries_in_one_year_is_refused() {
    let mut doc = sample::generate(2, &[2024]);
    let year = doc.measures[0].years.get_mut("2024").unwrap();
    year.note = Some("達成済".into());
    let mut store = Store::open_in_memory().unwrap();
    let err = doc.load_into(&mut store, &Source::Sample).unwrap_err();
    assert!(
        matches!(err, DocumentError::NoteAndEntries { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("備考「達成済」と年度目標の記入が両方あります"),
        "{err}"
    );
    assert!(store.measures().unwrap().is_empty(), "nothing is written");
}

/// A database written before the rule may hold both: `check` names each such year, so the
/// coordinator can choose what the sheet and the web page should show.
#[test]
fn check_names_each_year_holding_a_note_and_entries_from_before_the_rule() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let id = measure_of(&db, "こども支援課");
    let mut store = Store::open(&db).unwrap();
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            // As an older version wrote it, with no rule between.
            let key = CellKey {
                measure_id: id,
                year: 2024,
                field: Field::YearNote,
            };
            w.put_cell(&key, "達成済")
        })
        .unwrap();
    drop(store);
    let out = ok(&["check", "--db", db.to_str().unwrap()]);
    assert!(out.contains("備考と記入が両方ある年度 1 件"), "{out}");
    assert!(
        out.contains(&format!(
            "No.1 こども支援課（実施内容 ID {id}）令和６年度: 備考「達成済」と年度目標などの記入"
        )),
        "{out}"
    );
    let other = TempDir::new();
    let clean = sample_db(&other);
    assert!(!ok(&["check", "--db", clean.to_str().unwrap()]).contains("備考と記入"));
}

/// What one year of a generated measure becomes.
#[derive(Debug, Clone)]
enum YearShape {
    /// As generated: entries.
    Entries,
    /// A note instead of the entries.
    Note(String),
    /// Nothing at all.
    Blank,
}

fn year_shape() -> impl Strategy<Value = YearShape> {
    prop_oneof![
        2 => Just(YearShape::Entries),
        1 => Just(YearShape::Blank),
        1 => Just(YearShape::Note("達成済".into())),
        1 => Just(YearShape::Note("R6年度より追加".into())),
        2 => "[ぁ-んァ-ヶ一-龠0-9]{1,20}".prop_map(YearShape::Note),
    ]
}

/// A generated report of 6 measures over two years, each year shaped as drawn.
fn shaped(shapes: &[YearShape]) -> ReportDocument {
    let mut doc = sample::generate(6, &[2023, 2024]);
    let years = doc.measures.iter_mut().flat_map(|m| m.years.values_mut());
    for (year, shape) in years.zip(shapes.iter().cycle()) {
        match shape {
            YearShape::Entries => {}
            YearShape::Blank => *year = DocMeasureYear::default(),
            YearShape::Note(note) => {
                *year = DocMeasureYear {
                    note: Some(note.clone()),
                    ..DocMeasureYear::default()
                }
            }
        }
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    /// Export → import gives back every value, year notes included, whatever the years hold.
    #[test]
    fn export_then_import_gives_back_every_value_notes_included(
        shapes in prop::collection::vec(year_shape(), 12)
    ) {
        let doc = shaped(&shapes);
        let mut store = Store::open_in_memory().unwrap();
        doc.load_into(&mut store, &Source::Sample).unwrap();
        let report = Report::load(&store).unwrap();
        let notes = report.measures.iter().flat_map(|m| [2023, 2024].map(|y| report.value(m.id, y, Field::YearNote).to_string())).filter(|n| !n.is_empty()).count();
        let expected = shapes.iter().filter(|s| matches!(s, YearShape::Note(_))).count();
        prop_assert_eq!(notes, expected);
        round_trip(&store);
    }
}
