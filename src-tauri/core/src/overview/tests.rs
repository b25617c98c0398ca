//! The roll-up on small reports made by hand, and a property over random ones.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::model::{CellKey, CellValue, Department, FiscalYear, HalfYear, PeriodState, Pledge};

const YEARS: [i32; 2] = [2023, 2024];

fn year(year: i32) -> FiscalYear {
    let half = |half: Half| HalfYear {
        half,
        months: half.default_months(),
        state: PeriodState::Closed,
        deadline: String::new(),
    };
    FiscalYear {
        year,
        halves: [half(Half::H1), half(Half::H2)],
    }
}

/// A report of two years: pledges No.1 to No.3, departments A課 and B課, and `measures` as
/// (pledge number, department, last year), their cells from `cells` as (measure index, year,
/// field, value).
fn report(measures: &[(u32, &str, Option<i32>)], cells: &[(usize, i32, Field, &str)]) -> Report {
    let departments = vec![
        Department {
            id: 1,
            name: "A課".into(),
        },
        Department {
            id: 2,
            name: "B課".into(),
        },
    ];
    let pledges = (1..=3)
        .map(|n| Pledge {
            id: i64::from(n) * 10,
            number: n,
            title: format!("公約{n}"),
        })
        .collect();
    let measures: Vec<Measure> = measures
        .iter()
        .enumerate()
        .map(|(i, &(pledge, department, last_year))| Measure {
            id: i as i64 + 100,
            pledge_id: i64::from(pledge) * 10,
            department_id: if department == "A課" { 1 } else { 2 },
            pledge_caption: String::new(),
            content: format!("実施内容{i}"),
            target_date: String::new(),
            position: i as i64,
            last_year,
        })
        .collect();
    let cells: BTreeMap<CellKey, CellValue> = cells
        .iter()
        .map(|&(m, year, field, value)| {
            let key = CellKey {
                measure_id: measures[m].id,
                year,
                field,
            };
            (
                key,
                CellValue {
                    key,
                    value: value.to_string(),
                    revision: 1,
                },
            )
        })
        .collect();
    Report::new(
        "報告".into(),
        1,
        departments,
        pledges,
        measures,
        YEARS.iter().map(|&y| year(y)).collect(),
        cells,
    )
}

const H1: Field = Field::Indicator(Half::H1);
const H2: Field = Field::Indicator(Half::H2);

#[test]
fn a_measure_with_no_symbols_counts_as_blank_and_has_no_latest_symbol() {
    let overview = Overview::of(&report(&[(1, "A課", None)], &[]));
    assert_eq!(overview.periods.len(), 4);
    let m = &overview.measures[0];
    assert_eq!(m.entries, vec![Entry::Blank; 4]);
    assert_eq!(m.latest, None);
    assert_eq!(m.changes(), vec![None; 4]);
    assert!(!m.needs_attention());
    for counts in &overview.totals {
        assert_eq!(counts.0, [0, 0, 0, 0, 1, 0]);
    }
    assert_eq!(overview.pledges[0].state(), "1 件中 記号なし1");
    assert_eq!(overview.newest_marked(), None);
}

#[test]
fn the_latest_symbol_is_the_newest_written_and_its_change_compares_with_the_half_before() {
    let overview = Overview::of(&report(
        &[(1, "A課", None)],
        &[(0, 2023, H1, "○"), (0, 2023, H2, "△"), (0, 2024, H1, "☆")],
    ));
    let m = &overview.measures[0];
    assert_eq!(
        m.changes(),
        vec![
            Some(Change::New),
            Some(Change::Worse),
            Some(Change::Better),
            None
        ]
    );
    // 令和６年度 下半期 is still blank: the latest symbol is the one of 上半期.
    assert_eq!(
        m.latest,
        Some(Latest {
            period: 2,
            mark: Indicator::Achieved,
            change: Change::Better
        })
    );
    assert_eq!(overview.changes[1], [0, 0, 1, 0]);
    assert_eq!(overview.newest_marked(), Some(2));
    assert_eq!(
        m.entries[1].describe(overview.periods[1]),
        "令和５年度 下半期：計画より遅れている"
    );
}

#[test]
fn a_symbol_after_a_blank_half_is_new_and_the_same_symbol_is_the_same() {
    let overview = Overview::of(&report(
        &[(1, "A課", None)],
        &[(0, 2023, H1, "△"), (0, 2024, H1, "△"), (0, 2024, H2, "△")],
    ));
    let m = &overview.measures[0];
    assert_eq!(
        m.changes(),
        vec![
            Some(Change::New),
            None,
            Some(Change::New),
            Some(Change::Same)
        ]
    );
    assert!(m.needs_attention(), "△ now needs attention");
}

#[test]
fn a_retired_measure_stops_reporting_after_its_last_year_and_keeps_its_last_symbol() {
    let overview = Overview::of(&report(
        &[(1, "A課", Some(2023)), (1, "A課", None)],
        &[(0, 2023, H2, "☆"), (1, 2023, H2, "○"), (1, 2024, H1, "○")],
    ));
    let retired = &overview.measures[0];
    assert_eq!(retired.entries[2], Entry::Ended);
    assert_eq!(retired.entries[3], Entry::Ended);
    assert_eq!(retired.latest.map(|l| l.mark), Some(Indicator::Achieved));
    assert_eq!(
        retired.entries[3].describe(overview.periods[3]),
        "令和６年度 下半期：終了後"
    );
    // Two measures report in 令和５年度, one in 令和６年度.
    assert_eq!(overview.totals[1].total(), 2);
    assert_eq!(overview.totals[2].total(), 1);
    assert_eq!(overview.totals[2].of(Indicator::OnTrack), 1);
    assert_eq!(overview.pledges[0].state(), "2 件中 ☆1 ○1");
}

#[test]
fn a_year_with_a_note_does_not_report_and_the_note_is_its_text() {
    let overview = Overview::of(&report(
        &[(2, "B課", None)],
        &[
            (0, 2023, Field::YearNote, "R6年度より追加"),
            (0, 2024, H1, "○"),
            (0, 2024, Field::Status(Half::H1), "順調に進んでいる\n詳細"),
        ],
    ));
    let m = &overview.measures[0];
    assert_eq!(m.entries[0], Entry::Note("R6年度より追加".into()));
    assert!(!m.entries[1].reports());
    assert_eq!(overview.totals[0].total(), 0);
    assert_eq!(overview.totals[2].total(), 1);
    // After a year that did not report, the first symbol is new.
    assert_eq!(m.latest.map(|l| l.change), Some(Change::New));
    assert_eq!(
        m.entries[0].describe(overview.periods[0]),
        "令和５年度 上半期：R6年度より追加"
    );
    assert_eq!(m.latest_status, Some((2, "順調に進んでいる\n詳細".into())));
}

#[test]
fn a_pledge_with_measures_of_several_departments_counts_them_all() {
    let overview = Overview::of(&report(
        &[
            (1, "A課", None),
            (3, "A課", None),
            (3, "B課", None),
            (3, "B課", None),
        ],
        &[
            (1, 2024, H1, "☆"),
            (2, 2024, H1, "○"),
            (2, 2024, H2, "×"),
            (3, 2024, H2, "‐（未公表のため）"),
        ],
    ));
    // Pledges by number; No.2 has no measure and is left out.
    let numbers: Vec<u32> = overview.pledges.iter().map(|p| p.number).collect();
    assert_eq!(numbers, vec![1, 3]);
    let third = &overview.pledges[1];
    assert_eq!(third.measures, vec![1, 2, 3]);
    let departments: Vec<&str> = third
        .measures
        .iter()
        .map(|&i| overview.measures[i].department.as_str())
        .collect();
    assert_eq!(departments, vec!["A課", "B課", "B課"]);
    assert_eq!(third.state(), "3 件中 ☆1 ×1 記号なし1");
    assert!(third.needs_attention, "× and worse than before");
    assert!(!overview.pledges[0].needs_attention);
    assert_eq!(third.counts[3].0, [0, 0, 0, 1, 1, 1]);
    assert_eq!(
        overview.measures[3].entries[3].describe(overview.periods[3]),
        "令和６年度 下半期：‐（未公表のため）"
    );
    assert_eq!(overview.latest.0, [1, 0, 0, 1, 2, 0]);
}

/// A random report: up to 12 measures over the three pledges, each maybe ended after 2023, and
/// each of its years either a note or random indicators.
fn random_report() -> impl Strategy<Value = Report> {
    let value = prop::sample::select(vec!["", "☆", "○", "△", "×", "‐（未公表）", "〇"]);
    let year = (prop::bool::weighted(0.15), value.clone(), value);
    let measure = (
        1u32..=3,
        prop::bool::ANY,
        prop::option::weighted(0.2, Just(2023)),
        prop::collection::vec(year, YEARS.len()),
    );
    prop::collection::vec(measure, 0..12).prop_map(|measures| {
        let heads: Vec<(u32, &str, Option<i32>)> = measures
            .iter()
            .map(|(p, a, last, _)| (*p, if *a { "A課" } else { "B課" }, *last))
            .collect();
        let mut cells = Vec::new();
        for (i, (_, _, _, years)) in measures.iter().enumerate() {
            for (&y, (note, h1, h2)) in YEARS.iter().zip(years) {
                if *note {
                    cells.push((i, y, Field::YearNote, "達成済"));
                } else {
                    cells.push((i, y, H1, *h1));
                    cells.push((i, y, H2, *h2));
                }
            }
        }
        report(&heads, &cells)
    })
}

proptest! {
    /// Every half's counts add up to the measures reporting in it, counted here from the cells
    /// themselves; the pledges' counts add up to the whole; a pledge's state to its measures.
    #[test]
    fn the_counts_add_up_to_the_measures_reported(report in random_report()) {
        let overview = Overview::of(&report);
        for (p, period) in overview.periods.iter().enumerate() {
            let reporting = report
                .measures
                .iter()
                .filter(|m| m.last_year.is_none_or(|last| period.year <= last))
                .filter(|m| report.value(m.id, period.year, Field::YearNote).is_empty())
                .count();
            prop_assert_eq!(overview.totals[p].total() as usize, reporting);
            let by_pledge = overview
                .pledges
                .iter()
                .fold(Counts::default(), |sum, pledge| sum.plus(&pledge.counts[p]));
            prop_assert_eq!(by_pledge, overview.totals[p]);
            let changed: u32 = overview.changes[p].iter().sum();
            let marked: u32 = Indicator::ALL.iter().map(|&m| overview.totals[p].of(m)).sum();
            prop_assert_eq!(changed, marked);
        }
        prop_assert_eq!(overview.latest.total() as usize, report.measures.len());
        for pledge in &overview.pledges {
            prop_assert_eq!(pledge.latest.total() as usize, pledge.measures.len());
            let state = pledge.state();
            let parts: u32 = state
                .split(' ')
                .skip(2)
                .map(|part| {
                    part.trim_start_matches(|c: char| !c.is_ascii_digit())
                        .parse::<u32>()
                        .unwrap_or(0)
                })
                .sum();
            prop_assert_eq!(parts as usize, pledge.measures.len(), "{}", state);
        }
    }
}

#[test]
fn the_latest_symbol_and_status_read_in_words() {
    let overview = Overview::of(&report(
        &[(1, "A課", None), (2, "A課", None), (3, "B課", None)],
        &[(0, 2024, H1, "○"), (1, 2024, H1, "△"), (2, 2024, H1, "×")],
    ));
    let attention: Vec<bool> = overview.pledges.iter().map(|p| p.needs_attention).collect();
    assert_eq!(attention, vec![false, true, true], "△ and × need attention");
    let m = &overview.measures[1];
    assert_eq!(
        m.latest_words(&overview.periods),
        "△ 計画より遅れている（令和６年度 上半期、新しく記入）"
    );
    assert_eq!(overview.measures[2].status_line(&overview.periods), "");
    assert_eq!(
        Overview::of(&report(&[(1, "A課", None)], &[])).measures[0].latest_words(&[]),
        NO_SYMBOL_YET
    );
}
