//! The built-in sample (the city's report for 令和５・６年度, 81 measures) and generated reports
//! of any size for benchmarks and tests.

use std::collections::BTreeMap;

use crate::document::{DocHalf, DocHalfYear, DocMeasure, DocMeasureYear, DocYear, ReportDocument};
use crate::model::{Half, PeriodState};
use crate::wareki;

/// The reconstructed printed report, as shipped with the app.
pub const SAMPLE_JSON: &str = include_str!("../data/report-r5-r6.json");

/// The sample as a document. The embedded file is tested, so this cannot fail at run time.
pub fn sample() -> ReportDocument {
    ReportDocument::from_json(SAMPLE_JSON).expect("the embedded sample is valid")
}

/// A report of `measures` measures over `years` (oldest first), every cell filled, for benchmarks
/// and scale tests. Deterministic: the same arguments give the same document.
pub fn generate(measures: usize, years: &[i32]) -> ReportDocument {
    const DEPARTMENTS: usize = 40;
    const SYMBOLS: [&str; 5] = ["○", "○", "☆", "△", "×"];
    let newest = years.iter().copied().max().unwrap_or(2024);
    let fiscal_years = years
        .iter()
        .map(|&year| DocYear {
            year,
            label: wareki::fiscal_year_label(year),
            halves: Half::BOTH
                .iter()
                .map(|&h| {
                    let state = if year == newest && h == Half::H2 {
                        PeriodState::Open
                    } else {
                        PeriodState::Closed
                    };
                    (
                        h,
                        DocHalfYear {
                            label: h.label().into(),
                            months: h.default_months(),
                            state: Some(state),
                            deadline: String::new(),
                        },
                    )
                })
                .collect(),
        })
        .collect();
    let pledges = (measures / 2).max(1);
    let measures = (0..measures)
        .map(|i| {
            let no = (i * pledges / measures.max(1)) as u32 + 1;
            let department = format!("第{}課", wareki::full_width((i % DEPARTMENTS) as i32 + 1));
            let years = years
                .iter()
                .enumerate()
                .map(|(y, &year)| {
                    let symbol = |k: usize| SYMBOLS[(i + y + k) % SYMBOLS.len()].to_string();
                    let halves: BTreeMap<Half, DocHalf> = Half::BOTH
                        .iter()
                        .enumerate()
                        .map(|(k, &h)| {
                            (h, DocHalf {
                                plan: Some(format!("{}の{}に向けた関係機関との協議および実施計画の策定（{}）", department, h.label(), i + 1)),
                                indicator: Some(symbol(k)),
                                status: Some(format!(
                                    "【進捗】\n関係課と連携し、事業の準備を進めた。説明会を{}回開催し、延べ{}人が参加した。\n引き続き、課題の整理と周知に取り組む。",
                                    (i + k) % 7 + 1,
                                    (i * 13 + k) % 400 + 20
                                )),
                            })
                        })
                        .collect();
                    (year.to_string(), DocMeasureYear {
                        annual_target: Some(format!("事業{}の制度設計と運用開始に向けた準備", i + 1)),
                        annual_indicator: Some(symbol(2)),
                        note: None,
                        halves,
                    })
                })
                .collect();
            DocMeasure {
                no,
                id: None,
                pledge: format!("重点政策{}の推進", no),
                content: format!(
                    "　市民生活の向上を図るため、{}が所管する事業{}を実施する。\n　関係機関と連携し、対象者への周知と申請手続の簡素化を進め、年度ごとに達成度を確認するものである。",
                    department,
                    i + 1
                ),
                target_date: if i % 3 == 0 { "年度ごとに達成度を確認".into() } else { format!("R{}.{}", (newest - 2018), i % 12 + 1) },
                department,
                years,
            }
        })
        .collect();
    ReportDocument {
        title: "市長が掲げた重点政策".into(),
        fiscal_years,
        measures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_sample_has_the_printed_reports_size() {
        let doc = sample();
        assert_eq!(doc.measures.len(), 81);
        let pledges: std::collections::BTreeSet<_> = doc.measures.iter().map(|m| m.no).collect();
        assert_eq!(pledges.len(), 45);
        let departments: std::collections::BTreeSet<_> =
            doc.measures.iter().map(|m| &m.department).collect();
        assert_eq!(departments.len(), 41);
    }

    #[test]
    fn generated_report_is_deterministic_and_sized() {
        let a = generate(100, &[2023, 2024]);
        assert_eq!(a.measures.len(), 100);
        assert_eq!(a, generate(100, &[2023, 2024]));
    }
}
