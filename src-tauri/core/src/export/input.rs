//! The cells a department fills in on a sheet: the one rule that decides both which cells of a
//! department's export are unlocked (and tinted) and which cells of a returned sheet the import
//! takes. A cell the export locked is never taken back, even when someone removed the sheet's
//! protection and changed it: the import names it instead.

use crate::model::{check_writable, Field, FiscalYear, Half, Role};
use crate::report::Report;

/// The input cells of one department in one reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputCells<'a> {
    /// The 課 whose measures are filled in.
    pub department: &'a str,
    /// The period being reported on (the one open at export).
    pub period: (i32, Half),
}

impl<'a> InputCells<'a> {
    /// The input cells of `department` in the report's open period; `None` while no period is
    /// open, when a department has nothing to fill in.
    pub fn open(report: &Report, department: &'a str) -> Option<InputCells<'a>> {
        report
            .open_period()
            .map(|period| InputCells { department, period })
    }

    /// Whether the cell `field` of `year` in a measure of `department` that reports until
    /// `last_year` ([`Measure::last_year`]) is an input cell: a cell the department may write
    /// ([`check_writable`], the same rule as typing in the window: its own measures, a period
    /// not closed, nothing after an ended measure's last year) among the period's 計画, 指標 and
    /// 状況 and the year's 年度目標 and its 指標. A year's note is the coordinator's, and earlier
    /// or later halves are not being reported on.
    ///
    /// [`Measure::last_year`]: crate::model::Measure::last_year
    pub fn contains(
        &self,
        department: &str,
        last_year: Option<i32>,
        year: &FiscalYear,
        field: Field,
    ) -> bool {
        let in_sheet = match field {
            Field::Plan(half) | Field::Indicator(half) | Field::Status(half) => {
                (year.year, half) == self.period
            }
            Field::AnnualTarget | Field::AnnualIndicator => true,
            Field::YearNote => false,
        };
        in_sheet
            && check_writable(
                Role::Department(self.department),
                department,
                last_year,
                year,
                field,
            )
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PeriodState;

    fn year(year: i32, states: [PeriodState; 2]) -> FiscalYear {
        FiscalYear::with_states(year, states)
    }

    #[test]
    fn only_the_open_half_and_a_writable_year_are_input_cells() {
        use PeriodState::{Closed, Open, Upcoming};
        let inputs = InputCells {
            department: "企画課",
            period: (2024, Half::H2),
        };
        let current = year(2024, [Closed, Open]);
        for half in Half::BOTH {
            for field in [
                Field::Plan(half),
                Field::Indicator(half),
                Field::Status(half),
            ] {
                assert_eq!(
                    inputs.contains("企画課", None, &current, field),
                    half == Half::H2,
                    "{field:?}"
                );
                assert!(
                    !inputs.contains("道路課", None, &current, field),
                    "{field:?}"
                );
            }
        }
        assert!(inputs.contains("企画課", None, &current, Field::AnnualTarget));
        assert!(inputs.contains("企画課", None, &current, Field::AnnualIndicator));
        assert!(!inputs.contains("企画課", None, &current, Field::YearNote));
        assert!(!inputs.contains("道路課", None, &current, Field::AnnualTarget));

        // A closed year: nothing; the next year: its target while it can be written, as in
        // the window, but none of its halves.
        let earlier = year(2023, [Closed, Closed]);
        assert!(Field::ALL
            .iter()
            .all(|&f| !inputs.contains("企画課", None, &earlier, f)));
        let next = year(2025, [Upcoming, Upcoming]);
        assert!(inputs.contains("企画課", None, &next, Field::AnnualTarget));
        assert!(!inputs.contains("企画課", None, &next, Field::Status(Half::H2)));

        // A measure that ended with 2024 takes its last year's cells, and nothing of 2025.
        assert!(inputs.contains("企画課", Some(2024), &current, Field::Status(Half::H2)));
        assert!(Field::ALL
            .iter()
            .all(|&f| !inputs.contains("企画課", Some(2024), &next, f)));
        // One that ended with 2023 takes nothing in the open period.
        assert!(Field::ALL
            .iter()
            .all(|&f| !inputs.contains("企画課", Some(2023), &current, f)));
    }
}
