//! The built-in sample loads losslessly: every text and symbol of the JSON is in the database.

use serde_json::Value;
use shinchoku_core::indicator;
use shinchoku_core::model::{Field, Half, PeriodState};
use shinchoku_core::report::Report;
use shinchoku_core::sample::SAMPLE_JSON;

use crate::common::sample_store;

fn text(v: &Value) -> String {
    v.as_str().unwrap_or("").to_string()
}

fn symbol(v: &Value) -> String {
    indicator::normalize(v.as_str().unwrap_or("")).expect("sample symbols are valid")
}

#[test]
fn loading_the_sample_keeps_every_text_and_symbol() {
    let report = Report::load(&sample_store()).unwrap();
    let json: Value = serde_json::from_str(SAMPLE_JSON).unwrap();
    let measures = json["measures"].as_array().unwrap();
    assert_eq!(report.measures.len(), measures.len());
    assert_eq!(report.title, json["title"].as_str().unwrap());
    let mut compared = 0;
    for (m, j) in report.measures.iter().zip(measures) {
        let pledge = report.pledge(m.pledge_id).unwrap();
        assert_eq!(pledge.number as u64, j["no"].as_u64().unwrap());
        assert_eq!(report.pledge_cell(m), text(&j["pledge"]));
        assert_eq!(m.content, text(&j["content"]));
        assert_eq!(m.target_date, text(&j["target_date"]));
        assert_eq!(
            report.department_name(m.department_id),
            text(&j["department"])
        );
        for (year, y) in j["years"].as_object().unwrap() {
            let year: i32 = year.parse().unwrap();
            let cell = |f| report.value(m.id, year, f).to_string();
            assert_eq!(cell(Field::AnnualTarget), text(&y["annual_target"]));
            assert_eq!(cell(Field::AnnualIndicator), symbol(&y["annual_indicator"]));
            assert_eq!(cell(Field::YearNote), text(&y["note"]));
            for half in Half::BOTH {
                let h = &y["halves"][half.code()];
                assert_eq!(
                    cell(Field::Plan(half)),
                    text(&h["plan"]),
                    "No.{} {year} {half}",
                    j["no"]
                );
                assert_eq!(cell(Field::Indicator(half)), symbol(&h["indicator"]));
                assert_eq!(cell(Field::Status(half)), text(&h["status"]));
                compared += 3;
            }
        }
    }
    assert_eq!(compared, 81 * 2 * 2 * 3);
}

#[test]
fn sample_keeps_the_withheld_dash_and_canonical_glyphs() {
    let report = Report::load(&sample_store()).unwrap();
    let values: Vec<&str> = report.cells.values().map(|c| c.value.as_str()).collect();
    assert!(values.contains(&"‐（未公表のため）"));
    assert!(!values.iter().any(|v| *v == "〇" || *v == "◯" || *v == "☓"));
}

#[test]
fn sample_years_have_the_short_first_year_and_the_open_period() {
    let report = Report::load(&sample_store()).unwrap();
    assert_eq!(report.years.len(), 2);
    assert_eq!(report.years[0].label(), "令和５年度");
    assert_eq!(report.years[0].half(Half::H1).months, vec![10, 11, 12]);
    assert_eq!(report.years[0].half(Half::H2).months, vec![1, 2, 3]);
    assert_eq!(
        report.years[1].half(Half::H1).months,
        vec![4, 5, 6, 7, 8, 9]
    );
    assert_eq!(report.years[1].half(Half::H2).state, PeriodState::Open);
    assert_eq!(report.years[1].half(Half::H1).state, PeriodState::Closed);
    assert_eq!(report.pledge_range(), Some((1, 45)));
}

#[test]
fn sample_year_notes_are_kept() {
    let report = Report::load(&sample_store()).unwrap();
    let notes: Vec<&str> = report
        .cells
        .iter()
        .filter(|(k, _)| k.field == Field::YearNote)
        .map(|(_, c)| c.value.as_str())
        .collect();
    assert_eq!(notes.iter().filter(|n| **n == "達成済").count(), 3);
    assert_eq!(notes.iter().filter(|n| **n == "R6年度より追加").count(), 4);
}
