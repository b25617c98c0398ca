//! The coordinator's master data and the reporting period.

use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::master::{self, MasterError, MeasureForm};
use shinchoku_core::model::{Actor, CellKey, Field, Half, PeriodState, Source};
use shinchoku_core::name::NameError;

use crate::common::sample_store;

fn state(store: &shinchoku_core::Store, year: i32, half: Half) -> PeriodState {
    store.fiscal_year(year).unwrap().unwrap().half(half).state
}

#[test]
fn start_next_period_opens_the_next_year_and_copies_no_cell() {
    let mut store = sample_store();
    assert_eq!(store.open_period().unwrap(), Some((2024, Half::H2)));
    let cells_before = store.cells().unwrap().len();
    let next = master::start_next_period(&mut store, "2025-10-15").unwrap();
    assert_eq!(next, (2025, Half::H1));
    assert_eq!(state(&store, 2024, Half::H2), PeriodState::Closed);
    assert_eq!(state(&store, 2025, Half::H1), PeriodState::Open);
    assert_eq!(
        store
            .fiscal_year(2025)
            .unwrap()
            .unwrap()
            .half(Half::H1)
            .deadline,
        "2025-10-15"
    );
    assert_eq!(store.cells().unwrap().len(), cells_before);
    assert_eq!(store.measures().unwrap().len(), 81);
}

#[test]
fn closed_period_refuses_edits_until_reopened() {
    let mut store = sample_store();
    let m = store.measures().unwrap()[0].id;
    let edit = CellEdit {
        key: CellKey {
            measure_id: m,
            year: 2024,
            field: Field::Status(Half::H2),
        },
        value: "テスト".into(),
    };
    master::close_period(&mut store, 2024, Half::H2).unwrap();
    assert!(edit::apply(
        &mut store,
        &Actor::Coordinator,
        &Source::App,
        std::slice::from_ref(&edit)
    )
    .is_err());
    master::reopen_period(&mut store, 2024, Half::H2).unwrap();
    assert_eq!(
        edit::apply(&mut store, &Actor::Coordinator, &Source::App, &[edit]).unwrap(),
        1
    );
}

#[test]
fn opening_a_period_closes_the_one_that_was_open() {
    let mut store = sample_store();
    master::open_period(&mut store, 2024, Half::H1, "2024-10-15").unwrap();
    assert_eq!(store.open_period().unwrap(), Some((2024, Half::H1)));
    assert_eq!(state(&store, 2024, Half::H2), PeriodState::Closed);
}

#[test]
fn reopening_an_open_period_is_refused_and_writes_nothing() {
    let mut store = sample_store();
    let revision = store.revision().unwrap();
    let err = master::reopen_period(&mut store, 2024, Half::H2).unwrap_err();
    assert!(matches!(err, MasterError::WrongState { .. }), "{err}");
    assert!(err.to_string().contains("令和６年度 下半期"), "{err}");
    assert_eq!(store.revision().unwrap(), revision);
}

#[test]
fn fiscal_year_with_short_months_and_bad_months_refused() {
    let mut store = sample_store();
    master::add_fiscal_year(
        &mut store,
        2025,
        &[4, 5, 6, 7, 8, 9],
        &[10, 11, 12, 1, 2, 3],
    )
    .unwrap();
    assert!(matches!(
        master::add_fiscal_year(&mut store, 2025, &[4], &[10]),
        Err(MasterError::YearExists { year: 2025 })
    ));
    let err = master::set_half_months(&mut store, 2025, Half::H1, &[13]).unwrap_err();
    assert_eq!(err.field(), Some("months"));
    // A short first half (a term starting in July) still meets 下半期 10-3.
    master::set_half_months(&mut store, 2025, Half::H1, &[7, 8, 9]).unwrap();
    assert_eq!(
        store
            .fiscal_year(2025)
            .unwrap()
            .unwrap()
            .half(Half::H1)
            .months,
        vec![7, 8, 9]
    );
}

#[test]
fn a_half_set_to_overlap_the_other_half_is_refused_and_nothing_changes() {
    let mut store = sample_store();
    master::add_fiscal_year(
        &mut store,
        2025,
        &[4, 5, 6, 7, 8, 9],
        &[10, 11, 12, 1, 2, 3],
    )
    .unwrap();
    let revision = store.revision().unwrap();
    let err = master::set_half_months(&mut store, 2025, Half::H1, &[10, 11, 12]).unwrap_err();
    assert!(
        matches!(
            err,
            MasterError::MonthTwice {
                year: 2025,
                month: 10
            }
        ),
        "{err}"
    );
    assert_eq!(err.field(), Some("months"));
    let err = master::set_half_months(&mut store, 2025, Half::H2, &[9, 10, 11]).unwrap_err();
    assert!(
        matches!(err, MasterError::MonthTwice { month: 9, .. }),
        "{err}"
    );
    assert_eq!(store.revision().unwrap(), revision);
}

#[test]
fn a_full_year_becomes_a_short_one_half_by_half() {
    let mut store = sample_store();
    master::add_fiscal_year(
        &mut store,
        2025,
        &[4, 5, 6, 7, 8, 9],
        &[10, 11, 12, 1, 2, 3],
    )
    .unwrap();
    // 下半期 first leaves 10-12 out for a moment; 上半期 then takes them.
    master::set_half_months(&mut store, 2025, Half::H2, &[1, 2, 3]).unwrap();
    master::set_half_months(&mut store, 2025, Half::H1, &[10, 11, 12]).unwrap();
    let year = store.fiscal_year(2025).unwrap().unwrap();
    assert_eq!(year.half(Half::H1).months, vec![10, 11, 12]);
    assert_eq!(year.half(Half::H2).months, vec![1, 2, 3]);
}

#[test]
fn added_measure_lands_after_its_pledge_and_can_be_moved() {
    let mut store = sample_store();
    let pledge = store.pledge_by_number(1).unwrap().unwrap();
    let dept = master::add_department(&mut store, "新設課").unwrap();
    let form = MeasureForm {
        pledge_id: pledge.id,
        department_id: dept,
        pledge_caption: String::new(),
        content: "新しい実施内容".into(),
        target_date: "R7.3".into(),
    };
    let id = master::add_measure(&mut store, &form).unwrap();
    let measures = store.measures().unwrap();
    let at = measures.iter().position(|m| m.id == id).unwrap();
    assert_eq!(measures[at - 1].pledge_id, pledge.id);
    assert_ne!(measures[at + 1].pledge_id, pledge.id);
    master::move_measure(&mut store, id, -1).unwrap();
    let moved = store.measures().unwrap();
    assert_eq!(moved[at - 1].id, id);
    let empty = MeasureForm {
        content: "  ".into(),
        ..form
    };
    assert!(matches!(
        master::add_measure(&mut store, &empty),
        Err(MasterError::Empty { .. })
    ));
}

#[test]
fn pledge_zero_and_empty_department_are_refused() {
    let mut store = sample_store();
    assert!(matches!(
        master::put_pledge(&mut store, 0, "x"),
        Err(MasterError::BadPledgeNumber(0))
    ));
    assert!(matches!(
        master::add_department(&mut store, " "),
        Err(MasterError::Empty { .. })
    ));
    let id = master::put_pledge(&mut store, 46, "新しい公約").unwrap();
    assert_eq!(store.pledge_by_number(46).unwrap().unwrap().id, id);
}

#[test]
fn a_new_department_spelled_like_an_existing_one_is_refused_and_the_same_spelling_found() {
    let mut store = sample_store();
    let existing = store
        .department_by_name("デジタル戦略課")
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        master::add_department(&mut store, " デジタル戦略課\u{3000}").unwrap(),
        existing
    );
    assert_eq!(
        master::add_department(&mut store, "テ\u{3099}シ\u{3099}タル戦略課").unwrap(),
        existing,
        "the decomposed spelling is the same name once composed"
    );
    let revision = store.revision().unwrap();
    for alike in ["ﾃﾞｼﾞﾀﾙ戦略課", "デジタル 戦略課", "デジタル\u{2003}戦略課"]
    {
        let err = master::add_department(&mut store, alike).unwrap_err();
        assert!(
            matches!(err, MasterError::Name(NameError::LookAlike { .. })),
            "{alike:?}: {err}"
        );
        assert!(err.to_string().contains("「デジタル戦略課」"), "{err}");
    }
    let err = master::add_department(&mut store, "デジタル戦略課\u{200B}").unwrap_err();
    assert_eq!(
        err.to_string(),
        "課名「デジタル戦略課<U+200B>」に見えない文字・制御文字（U+200B）が含まれています。取り除いて入力してください"
    );
    assert_eq!(store.revision().unwrap(), revision);
}

#[test]
fn a_pledge_title_with_a_control_character_or_over_200_characters_is_refused() {
    let mut store = sample_store();
    let revision = store.revision().unwrap();
    for bad in ["新しい\n公約", "公約\u{200B}", "\u{202E}公約"] {
        let err = master::put_pledge(&mut store, 46, bad).unwrap_err();
        assert!(
            matches!(err, MasterError::Name(NameError::Invisible { .. })),
            "{bad:?}: {err}"
        );
    }
    let err = master::put_pledge(&mut store, 46, &"公".repeat(201)).unwrap_err();
    assert!(err.to_string().contains("201 文字"), "{err}");
    assert_eq!(store.revision().unwrap(), revision);
    master::put_pledge(&mut store, 46, &"公".repeat(200)).unwrap();
}

#[test]
fn measure_text_keeps_its_line_breaks_but_no_other_control_character() {
    let mut store = sample_store();
    let measure = &store.measures().unwrap()[0];
    let form = MeasureForm {
        pledge_id: measure.pledge_id,
        department_id: measure.department_id,
        pledge_caption: String::new(),
        content: "一行目\n二行目".into(),
        target_date: String::new(),
    };
    master::add_measure(&mut store, &form).unwrap();
    let bell = MeasureForm {
        content: "鳴る\u{7}内容".into(),
        ..form
    };
    let err = master::add_measure(&mut store, &bell).unwrap_err();
    assert!(err.to_string().contains("U+0007"), "{err}");
}

#[test]
fn a_new_report_spelling_one_department_two_ways_is_refused_naming_the_measure() {
    let mut doc = shinchoku_core::sample::sample();
    let second = doc.measures[1].no;
    doc.measures[0].department = "デジタル戦略課".into();
    doc.measures[1].department = "ﾃﾞｼﾞﾀﾙ戦略課".into();
    let mut store = shinchoku_core::Store::open_in_memory().unwrap();
    let err = doc.load_into(&mut store, &Source::Sample).unwrap_err();
    assert!(
        err.to_string().starts_with(&format!(
            "No.{second} の担当課: 担当課「ﾃﾞｼﾞﾀﾙ戦略課」は既にある「デジタル戦略課」"
        )),
        "{err}"
    );
    assert!(
        store.departments().unwrap().is_empty(),
        "nothing of it was kept"
    );
    let mut doc = shinchoku_core::sample::sample();
    doc.measures[2].department = "企画\t課".into();
    let err = doc
        .load_into(
            &mut shinchoku_core::Store::open_in_memory().unwrap(),
            &Source::Sample,
        )
        .unwrap_err();
    assert!(err.to_string().contains("<U+0009>"), "{err}");
}
