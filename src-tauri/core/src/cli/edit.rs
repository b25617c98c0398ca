//! `set`: edit one measure's cells from the command line, under the same rules as the app.

use std::io::Write;

use clap::Args;

use super::CliError;
use crate::edit::{self, CellEdit};
use crate::model::{Actor, CellKey, Field, Half, Source};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The measure's id (see `shinchoku list`).
    #[arg(long, value_name = "ID")]
    pub measure: i64,
    /// The fiscal year by its starting year (2024 = 令和６年度).
    #[arg(long, value_name = "YEAR", value_parser = super::year_arg)]
    pub year: i32,
    /// H1 (上半期) or H2 (下半期); needed for --plan, --indicator and --status.
    #[arg(long, value_name = "H1|H2")]
    pub half: Option<Half>,
    /// 進捗 指標: ☆ ○ △ ×, or "" to clear.
    #[arg(long)]
    pub indicator: Option<String>,
    /// 進捗 状況.
    #[arg(long)]
    pub status: Option<String>,
    /// 計画(短期目標).
    #[arg(long)]
    pub plan: Option<String>,
    /// 年度目標.
    #[arg(long)]
    pub target: Option<String>,
    /// 年度目標の指標.
    #[arg(long)]
    pub annual_indicator: Option<String>,
    /// A note across the whole year (達成済 …).
    #[arg(long)]
    pub note: Option<String>,
    /// Act as this department (課): only its own measures may be edited.
    #[arg(long = "as", value_name = "課")]
    pub as_department: Option<String>,
}

pub fn set(store: &mut Store, args: SetArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut edits = Vec::new();
    let key = |field| CellKey {
        measure_id: args.measure,
        year: args.year,
        field,
    };
    for (field, value) in [
        (Field::AnnualTarget, &args.target),
        (Field::AnnualIndicator, &args.annual_indicator),
        (Field::YearNote, &args.note),
    ] {
        if let Some(value) = value {
            edits.push(CellEdit {
                key: key(field),
                value: value.clone(),
            });
        }
    }
    let per_half = [
        (&args.plan, Field::Plan as fn(Half) -> Field),
        (&args.indicator, Field::Indicator),
        (&args.status, Field::Status),
    ];
    if per_half.iter().any(|(v, _)| v.is_some()) {
        let half = args.half.ok_or_else(|| {
            CliError::Usage(
                "--plan / --indicator / --status には --half H1 または H2 が必要です".into(),
            )
        })?;
        for (value, field) in per_half {
            if let Some(value) = value {
                edits.push(CellEdit {
                    key: key(field(half)),
                    value: value.clone(),
                });
            }
        }
    }
    if edits.is_empty() {
        return Err(CliError::Usage(
            "変更する項目を指定してください（--indicator, --status, --plan, --target など）".into(),
        ));
    }
    let actor = match &args.as_department {
        Some(name) => {
            let Some(found) = store.department_by_name(name)? else {
                return Err(CliError::Usage(format!(
                    "担当課「{}」はこの報告にありません",
                    crate::name::shown(name.trim())
                )));
            };
            // As the report spells it: the history names one department one way.
            Actor::Department(found.name)
        }
        None => Actor::Coordinator,
    };
    let changed = edit::apply(store, &actor, &Source::CommandLine, &edits)?;
    writeln!(
        out,
        "実施内容 ID {} の {} 項目を更新しました（変更 {} 件）",
        args.measure,
        edits.len(),
        changed
    )?;
    Ok(())
}
