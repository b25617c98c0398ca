//! `fiscal_year` and `half_year`: the 年度 of the report and their halves as reporting periods.

use rusqlite::Connection;

use super::{Result, Store, StoreError, Write};
use crate::model::{FiscalYear, Half, HalfYear, PeriodState};
use crate::wareki::Year;

fn months_text(months: &[u8]) -> String {
    months
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_months(text: &str) -> Vec<u8> {
    text.split(',')
        .filter_map(|m| m.trim().parse().ok())
        .collect()
}

fn list(conn: &Connection) -> Result<Vec<FiscalYear>> {
    let mut stmt = conn.prepare_cached(
        "SELECT y.year, h.half, h.months, h.state, h.deadline
         FROM fiscal_year y JOIN half_year h ON h.year = y.year ORDER BY y.year, h.half",
    )?;
    let mut years: Vec<FiscalYear> = Vec::new();
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for row in rows {
        let (year, half, months, state, deadline) = row?;
        // A year no build of ours writes (a hand-edited file): refused here, before any date
        // or label is made of it.
        let year = Year::new(year)
            .map_err(|_| StoreError::BadYear { year })?
            .get();
        let half: Half = half.parse().unwrap_or(Half::H1);
        let half_year = HalfYear {
            half,
            months: parse_months(&months),
            state: PeriodState::parse(&state).unwrap_or(PeriodState::Closed),
            deadline,
        };
        match years.last_mut() {
            Some(last) if last.year == year => *last.half_mut(half) = half_year,
            _ => {
                let mut fy = FiscalYear::new(year);
                *fy.half_mut(half) = half_year;
                years.push(fy);
            }
        }
    }
    Ok(years)
}

impl FiscalYear {
    /// A normal year (April–September, October–March), both halves upcoming.
    pub fn new(year: i32) -> FiscalYear {
        let half = |half: Half| HalfYear {
            half,
            months: half.default_months(),
            state: PeriodState::Upcoming,
            deadline: String::new(),
        };
        FiscalYear {
            year,
            halves: [half(Half::H1), half(Half::H2)],
        }
    }
}

impl Store {
    /// Every fiscal year of the report, oldest first.
    pub fn fiscal_years(&self) -> Result<Vec<FiscalYear>> {
        list(&self.conn)
    }

    pub fn fiscal_year(&self, year: i32) -> Result<Option<FiscalYear>> {
        Ok(list(&self.conn)?.into_iter().find(|y| y.year == year))
    }

    /// The period departments are writing now, if one is open.
    pub fn open_period(&self) -> Result<Option<(i32, Half)>> {
        Ok(crate::model::open_period(&list(&self.conn)?))
    }
}

impl Write<'_> {
    /// Removes the fiscal years before `first`, for a new term's report (after their cells).
    pub fn remove_years_before(&mut self, first: i32) -> Result<()> {
        self.touched = true;
        self.tx
            .execute("DELETE FROM fiscal_year WHERE year < ?1", [first])?;
        Ok(())
    }

    pub fn fiscal_years(&self) -> Result<Vec<FiscalYear>> {
        list(&self.tx)
    }

    /// Adds or replaces a fiscal year with its halves (months, state, deadline).
    pub fn put_fiscal_year(&mut self, year: &FiscalYear) -> Result<()> {
        self.touched = true;
        self.tx.execute(
            "INSERT OR IGNORE INTO fiscal_year (year) VALUES (?1)",
            [year.year],
        )?;
        for h in &year.halves {
            self.tx.execute(
                "INSERT INTO half_year (year, half, months, state, deadline) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (year, half) DO UPDATE SET months = excluded.months,
                   state = excluded.state, deadline = excluded.deadline",
                (year.year, h.half.code(), months_text(&h.months), h.state.as_str(), &h.deadline),
            )?;
        }
        Ok(())
    }

    /// Sets one period's state; opening a period closes no other by itself (the rules layer does).
    pub fn set_period_state(&mut self, year: i32, half: Half, state: PeriodState) -> Result<()> {
        self.touched = true;
        self.tx.execute(
            "UPDATE half_year SET state = ?3 WHERE year = ?1 AND half = ?2",
            (year, half.code(), state.as_str()),
        )?;
        Ok(())
    }

    pub fn set_period_deadline(&mut self, year: i32, half: Half, deadline: &str) -> Result<()> {
        self.touched = true;
        self.tx.execute(
            "UPDATE half_year SET deadline = ?3 WHERE year = ?1 AND half = ?2",
            (year, half.code(), deadline),
        )?;
        Ok(())
    }
}
