//! `department` and `measure`: the April reorganisation from the command line — departments
//! renamed, merged and split, measures moved and ended, and the history of who owned what.
//! master.rs holds every rule; nothing here decides one.

use std::io::Write;
use std::path::Path;

use clap::Subcommand;
use serde::Serialize;

use super::CliError;
use crate::master::{self, Reorganised};
use crate::model::MeasureId;
use crate::store::{Reorganisation, Store};
use crate::wareki;

#[derive(Debug, Subcommand)]
pub enum DepartmentCommand {
    /// Rename a department (改称); packages issued under the old name are answered with the new.
    Rename {
        #[arg(value_name = "課")]
        department: String,
        #[arg(value_name = "新しい課名")]
        name: String,
    },
    /// Merge departments into one (統合), new or existing; the merged ones are removed.
    Merge {
        /// The department that takes their measures (created when new).
        #[arg(long, value_name = "課")]
        into: String,
        /// The departments merged into it.
        #[arg(value_name = "課", required = true)]
        departments: Vec<String>,
    },
    /// Split a department (分割): --to 新課A:12,13 --to 新課B:14; measures not named stay.
    Split {
        #[arg(value_name = "課")]
        department: String,
        /// A department (new or existing) and the ids of the measures it takes, as
        /// `shinchoku list` shows them.
        #[arg(long = "to", value_name = "課:ID,ID", required = true)]
        parts: Vec<String>,
    },
    /// Every recorded change of ownership, oldest first.
    History {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MeasureCommand {
    /// Give a measure to another department of the report (移管).
    Move {
        #[arg(long, value_name = "ID")]
        measure: MeasureId,
        #[arg(long, value_name = "課")]
        to: String,
    },
    /// End a measure (終了): its years up to the last stay; no package issues a later year.
    Retire {
        #[arg(long, value_name = "ID")]
        measure: MeasureId,
        /// Its last fiscal year (2025 = 令和７年度); by default the open period's year.
        #[arg(long, value_name = "YEAR", value_parser = super::year_arg)]
        after: Option<i32>,
    },
    /// Who owned a measure when, and whether it ended.
    History {
        #[arg(long, value_name = "ID")]
        measure: MeasureId,
        #[arg(long)]
        json: bool,
    },
}

fn ids(ids: &[MeasureId]) -> String {
    ids.iter()
        .map(|id| format!("ID {id}"))
        .collect::<Vec<_>>()
        .join("、")
}

/// 2026年4月1日 10:05 統合 課A → 新課（課A は廃止）
fn history_line(change: &Reorganisation) -> String {
    format!(
        "{} {} {}",
        wareki::datetime_label(&change.changed_at),
        change.kind.label(),
        master::change_description(change)
    )
}

fn print_json(out: &mut dyn Write, value: &impl Serialize) -> Result<(), CliError> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
    writeln!(out)?;
    Ok(())
}

/// What a merge or split did, after its first line.
fn print_reorganised(out: &mut dyn Write, done: &Reorganised) -> Result<(), CliError> {
    if !done.created.is_empty() {
        writeln!(out, "  新設した課: {}", done.created.join("・"))?;
    }
    if !done.removed.is_empty() {
        writeln!(
            out,
            "  廃止した課: {}（履歴に残ります）",
            done.removed.join("・")
        )?;
    }
    writeln!(
        out,
        "  新しいパッケージを発行してください（shinchoku package）。組織改正の前に発行したパッケージの提出は受け付けません"
    )?;
    Ok(())
}

pub fn department(
    db: &Path,
    command: DepartmentCommand,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    // Read before the database is opened: a typing error touches nothing.
    let parts = match &command {
        DepartmentCommand::Split { parts, .. } => parts
            .iter()
            .map(|p| master::parse_split_part(p))
            .collect::<Result<Vec<_>, _>>()?,
        _ => Vec::new(),
    };
    let mut store = Store::open(db)?;
    match command {
        DepartmentCommand::Rename { department, name } => {
            let department =
                crate::name::department(&department, "課名").map_err(master::MasterError::from)?;
            let Some(found) = store.department_by_name(&department)? else {
                return Err(master::missing_department(&store, &department)?.into());
            };
            master::rename_department(&mut store, found.id, &name)?;
            // As stored: trimmed and composed by the rename.
            let renamed = store
                .departments()?
                .into_iter()
                .find(|d| d.id == found.id)
                .map_or_else(|| name.trim().to_string(), |d| d.name);
            writeln!(out, "{} を {renamed} に改称しました", found.name)?;
        }
        DepartmentCommand::Merge { into, departments } => {
            let done = master::merge_departments(&mut store, &into, &departments)?;
            writeln!(
                out,
                "{} を {} に統合しました（実施内容 {} 件）",
                done.removed.join("・"),
                into.trim(),
                done.moved.len()
            )?;
            print_reorganised(out, &done)?;
        }
        DepartmentCommand::Split { department, .. } => {
            let done = master::split_department(&mut store, &department, &parts)?;
            let shares: Vec<String> = parts
                .iter()
                .map(|(name, ids_of)| format!("{} に {}", name.trim(), ids(ids_of)))
                .collect();
            writeln!(
                out,
                "{} を分割しました: {}",
                department.trim(),
                shares.join("、")
            )?;
            if !done.kept.is_empty() {
                writeln!(
                    out,
                    "  {} に残る実施内容 {} 件: {}",
                    department.trim(),
                    done.kept.len(),
                    ids(&done.kept)
                )?;
            }
            print_reorganised(out, &done)?;
        }
        DepartmentCommand::History { json } => {
            let changes = store.reorganisations()?;
            if json {
                return print_json(out, &changes);
            }
            if changes.is_empty() {
                writeln!(out, "組織改正の記録はありません")?;
            }
            for change in &changes {
                writeln!(out, "{}", history_line(change))?;
            }
        }
    }
    Ok(())
}

/// `measure history --json`: a measure's owner now and its recorded changes.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MeasureHistory {
    measure_id: MeasureId,
    department: String,
    last_year: Option<i32>,
    changes: Vec<Reorganisation>,
}

pub fn measure(db: &Path, command: MeasureCommand, out: &mut dyn Write) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    match command {
        MeasureCommand::Move { measure, to } => {
            let from = master::transfer_measure(&mut store, measure, &to)?;
            // As the report spells it: ﾃﾞｼﾞﾀﾙ戦略課 typed is デジタル戦略課.
            let to = store
                .measure(measure)?
                .and_then(|m| {
                    store
                        .departments()
                        .ok()?
                        .into_iter()
                        .find(|d| d.id == m.department_id)
                })
                .map_or_else(|| to.trim().to_string(), |d| d.name);
            writeln!(
                out,
                "実施内容 ID {measure} を {from} から {to} に移管しました。{from} と {to} に新しいパッケージを発行してください（shinchoku package）"
            )?;
        }
        MeasureCommand::Retire { measure, after } => {
            let last = master::retire_measure(&mut store, measure, after)?;
            writeln!(
                out,
                "実施内容 ID {measure} を {} で終了にしました。{} までの記入はそのまま残り、以後の年度の欄はパッケージに含めません",
                wareki::fiscal_year_label(last),
                wareki::fiscal_year_label(last)
            )?;
        }
        MeasureCommand::History { measure, json } => {
            let found = store
                .measure(measure)?
                .ok_or(crate::master::MasterError::UnknownMeasure(measure))?;
            let department = store
                .departments()?
                .into_iter()
                .find(|d| d.id == found.department_id)
                .map(|d| d.name)
                .unwrap_or_default();
            let history = MeasureHistory {
                measure_id: measure,
                department,
                last_year: found.last_year,
                changes: store
                    .reorganisations()?
                    .into_iter()
                    .filter(|c| c.measure_id == Some(measure))
                    .collect(),
            };
            if json {
                return print_json(out, &history);
            }
            writeln!(
                out,
                "実施内容 ID {measure}: 担当 {}{}",
                history.department,
                history
                    .last_year
                    .map(|y| format!("（{} で終了）", wareki::fiscal_year_label(y)))
                    .unwrap_or_default()
            )?;
            if history.changes.is_empty() {
                writeln!(out, "  担当の変更はありません")?;
            }
            for change in &history.changes {
                writeln!(out, "  {}", history_line(change))?;
            }
        }
    }
    Ok(())
}
