//! `period` and `year`: the coordinator's reporting periods and fiscal years from the command
//! line, through the same core functions as the window's buttons (master.rs holds every rule;
//! nothing here decides one).

use std::io::Write;
use std::path::Path;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::CliError;
use crate::master::{self, MasterError};
use crate::model::{period_label, Half};
use crate::store::Store;
use crate::wareki;

#[derive(Debug, Subcommand)]
pub enum PeriodCommand {
    /// Open a period for the departments (any other open period is closed, as in the window).
    Open {
        #[command(flatten)]
        period: PeriodArgs,
        /// 締切: 2025年9月30日, 令和7年9月30日, R7.9.30 or 2025-09-30 (kept as it was when omitted).
        #[arg(long, value_name = "DATE")]
        deadline: Option<String>,
    },
    /// Close an open period: nobody edits it until it is reopened.
    Close(PeriodArgs),
    /// Reopen a closed period (to correct an earlier half).
    Reopen(PeriodArgs),
    /// Close the open period and open the next one (a backup is taken first).
    Next {
        /// The new period's 締切, in any spelling of a date.
        #[arg(long, value_name = "DATE")]
        deadline: Option<String>,
        /// Print the period now open as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a period's 締切 ("" clears it).
    Deadline {
        #[command(flatten)]
        period: PeriodArgs,
        #[arg(long, value_name = "DATE")]
        deadline: String,
    },
}

#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// The fiscal year by its starting year (2025 = 令和７年度) or its label.
    #[arg(long, value_name = "YEAR", value_parser = super::year_arg)]
    pub year: i32,
    /// H1 (上半期) or H2 (下半期).
    #[arg(long, value_name = "H1|H2")]
    pub half: Half,
}

#[derive(Debug, Subcommand)]
pub enum YearCommand {
    /// Add a fiscal year with both halves upcoming.
    Add {
        /// The fiscal year by its starting year (2025 = 令和７年度) or its label.
        #[arg(value_name = "YEAR", value_parser = super::year_arg)]
        year: i32,
        /// The months of 上半期: 4-9, or a list 4,5,6,7,8,9 (default 4-9).
        #[arg(long, value_name = "MONTHS")]
        h1_months: Option<String>,
        /// The months of 下半期: 10-3 runs over the new year (default 10-3).
        #[arg(long, value_name = "MONTHS")]
        h2_months: Option<String>,
    },
}

/// The period now open, as `period next --json` prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct OpenedPeriod {
    year: i32,
    half: Half,
    /// 令和７年度 上半期
    label: String,
    /// As stored: `YYYY-MM-DD`, "" for none.
    deadline: String,
    /// The period closed by the rollover.
    closed: String,
}

/// A typed 締切 as stored; the message names the option it came from.
fn deadline(text: &str) -> Result<String, CliError> {
    wareki::parse_date_to_iso(text).map_err(|e| CliError::Usage(format!("--deadline: {e}")))
}

/// （締切 2025年9月30日）, or nothing without one.
fn deadline_note(stored: &str) -> String {
    if stored.is_empty() {
        String::new()
    } else {
        format!("（締切 {}）", wareki::stored_date_label(stored))
    }
}

fn open_now(store: &Store) -> Result<Option<(i32, Half)>, CliError> {
    Ok(store.open_period()?)
}

pub fn period(db: &Path, command: PeriodCommand, out: &mut dyn Write) -> Result<(), CliError> {
    // Dates are read before the database is opened: a typing error touches nothing.
    let typed = match &command {
        PeriodCommand::Open {
            deadline: Some(d), ..
        }
        | PeriodCommand::Next {
            deadline: Some(d), ..
        }
        | PeriodCommand::Deadline { deadline: d, .. } => Some(deadline(d)?),
        _ => None,
    };
    let mut store = Store::open(db)?;
    match command {
        PeriodCommand::Open { period, .. } => {
            let PeriodArgs { year, half } = period;
            let before = open_now(&store)?;
            // Omitted: the 締切 the period has (the window's form shows it filled in).
            let deadline = match typed {
                Some(d) => d,
                None => store
                    .fiscal_year(year)?
                    .map(|y| y.half(half).deadline.clone())
                    .unwrap_or_default(),
            };
            master::open_period(&mut store, year, half, &deadline)?;
            let closed = match before {
                Some((y, h)) if (y, h) != (year, half) => {
                    format!("。{} は締め切りました", period_label(y, h))
                }
                _ => String::new(),
            };
            writeln!(
                out,
                "{} を開きました{}{closed}",
                period_label(year, half),
                deadline_note(&deadline)
            )?;
        }
        PeriodCommand::Close(PeriodArgs { year, half }) => {
            master::close_period(&mut store, year, half)?;
            writeln!(out, "{} を締め切りました", period_label(year, half))?;
        }
        PeriodCommand::Reopen(PeriodArgs { year, half }) => {
            master::reopen_period(&mut store, year, half)?;
            writeln!(out, "{} を再開しました", period_label(year, half))?;
        }
        PeriodCommand::Next { json, .. } => {
            let before = open_now(&store)?;
            let deadline = typed.unwrap_or_default();
            let (year, half) = master::start_next_period(&mut store, &deadline)?;
            let closed = before.map(|(y, h)| period_label(y, h)).unwrap_or_default();
            if json {
                let opened = OpenedPeriod {
                    year,
                    half,
                    label: period_label(year, half),
                    deadline,
                    closed,
                };
                serde_json::to_writer_pretty(&mut *out, &opened).map_err(std::io::Error::other)?;
                writeln!(out)?;
                return Ok(());
            }
            writeln!(
                out,
                "{closed} を締め切り、{} を開始しました{}。切り替え前のバックアップを取りました（shinchoku restore --list）",
                period_label(year, half),
                deadline_note(&deadline)
            )?;
        }
        PeriodCommand::Deadline { period, .. } => {
            let PeriodArgs { year, half } = period;
            let deadline = typed.unwrap_or_default();
            master::set_deadline(&mut store, year, half, &deadline)?;
            if deadline.is_empty() {
                writeln!(out, "{} の締切を消しました", period_label(year, half))?;
            } else {
                writeln!(
                    out,
                    "{} の締切を {} にしました",
                    period_label(year, half),
                    wareki::stored_date_label(&deadline)
                )?;
            }
        }
    }
    Ok(())
}

/// 4〜9月, or 4・5・6月 when the months do not run one after another.
fn months_label(months: &[u8]) -> String {
    let consecutive = months.windows(2).all(|w| w[1] == w[0] % 12 + 1);
    match (months.first(), months.last()) {
        (Some(first), Some(last)) if consecutive && months.len() > 1 => {
            format!("{first}〜{last}月")
        }
        _ => format!(
            "{}月",
            months
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join("・")
        ),
    }
}

pub fn year(db: &Path, command: YearCommand, out: &mut dyn Write) -> Result<(), CliError> {
    let YearCommand::Add {
        year,
        h1_months,
        h2_months,
    } = command;
    let months = |typed: Option<String>, half: Half| -> Result<Vec<u8>, MasterError> {
        typed.map_or_else(|| Ok(half.default_months()), |t| master::parse_months(&t))
    };
    // Read before the database is opened: a typing error touches nothing.
    let h1 = months(h1_months, Half::H1)?;
    let h2 = months(h2_months, Half::H2)?;
    let mut store = Store::open(db)?;
    master::add_fiscal_year(&mut store, year, &h1, &h2)?;
    writeln!(
        out,
        "{} を追加しました（上半期 {}、下半期 {}）",
        wareki::fiscal_year_label(year),
        months_label(&h1),
        months_label(&h2)
    )?;
    Ok(())
}
