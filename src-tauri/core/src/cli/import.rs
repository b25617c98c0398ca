//! `import`: read a sheet in the original layout into the database — a new report into an
//! empty (or new) database, or a department's return with `--as-submission`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::CliError;
use crate::import::{self, Applied, ImportPreview, SheetRead};
use crate::merge::MergeOutcome;
use crate::report::Report;
use crate::store::Store;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The sheet to read (.xlsx).
    pub file: PathBuf,
    /// A department's return: merge its cells into the existing report as this 課's submission.
    #[arg(long, value_name = "課")]
    pub as_submission: Option<String>,
    /// Show what would be read and changed; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ImportJson<'a> {
    dry_run: bool,
    preview: &'a ImportPreview,
    #[serde(skip_serializing_if = "Option::is_none")]
    merge: Option<&'a MergeOutcome>,
}

pub fn import(db: &Path, args: ImportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let read = import::read_file(&args.file)?;
    if !db.exists() {
        if args.as_submission.is_some() {
            return Err(CliError::Usage(format!(
                "{} がありません。部署の返送は既存の報告に取り込みます",
                db.display()
            )));
        }
        let preview = import::preview(None, &read, None);
        if !args.dry_run {
            let mut store = Store::create(db)?;
            if let Err(e) = import::apply(&mut store, &read, None) {
                // A half-made database is worse than none.
                drop(store);
                crate::store::remove_files(db);
                return Err(e.into());
            }
        }
        return print(out, &args, &read, &preview, None);
    }
    let mut store = Store::open(db)?;
    let report = Report::load(&store)?;
    let department = args
        .as_submission
        .as_deref()
        .map(|typed| import::department_named(&report, typed))
        .transpose()?;
    let department = department.as_deref();
    let preview = import::preview(Some(&report), &read, department);
    if args.dry_run {
        // What the import would refuse is refused here too, with nothing written.
        if let (false, Some(department)) = (preview.creates_report, department) {
            import::incoming(&store, &report, &read, department)?;
        }
        return print(out, &args, &read, &preview, None);
    }
    let merged = match import::apply(&mut store, &read, department)? {
        Applied::Created(_) => None,
        Applied::Merged(outcome) => Some(outcome),
    };
    print(out, &args, &read, &preview, merged.as_ref())
}

fn print(
    out: &mut dyn Write,
    args: &ImportArgs,
    read: &SheetRead,
    preview: &ImportPreview,
    merged: Option<&MergeOutcome>,
) -> Result<(), CliError> {
    if args.json {
        let json = ImportJson {
            dry_run: args.dry_run,
            preview,
            merge: merged,
        };
        let text = serde_json::to_string_pretty(&json).map_err(std::io::Error::other)?;
        writeln!(out, "{text}")?;
        return Ok(());
    }
    let s = &preview.summary;
    writeln!(
        out,
        "{}（シート「{}」）: 公約 {} 件、実施内容 {} 件、担当課 {} 課{}",
        read.file_name,
        s.sheet,
        s.pledges,
        s.measures,
        s.departments,
        if s.has_metadata {
            ""
        } else {
            "（書き出し情報なし: 現在の値との差分として扱います）"
        }
    )?;
    for y in &s.years {
        writeln!(
            out,
            "  {}: 年度目標など {} 件、上半期 {} 件、下半期 {} 件",
            y.label, y.year_cells, y.h1_cells, y.h2_cells
        )?;
    }
    if !preview.creates_report {
        writeln!(out, "変更されるセル {} 件:", preview.changes.len())?;
        for c in &preview.changes {
            writeln!(
                out,
                "  {}行 No.{} {} {}: 「{}」→「{}」",
                c.row, c.no, c.department, c.label, c.old, c.new
            )?;
        }
        for u in &preview.unmatched {
            writeln!(out, "  報告にない実施内容: {u}")?;
        }
    }
    // Formulas are named whether the sheet makes a new report or is a return.
    if !preview.refused.is_empty() {
        writeln!(out, "取り込まないセル {} 件:", preview.refused.len())?;
        for r in &preview.refused {
            writeln!(out, "  {r}")?;
        }
    }
    match (args.dry_run, merged) {
        (true, _) => writeln!(out, "確認のみ: 何も書き込んでいません")?,
        (false, Some(m)) => writeln!(
            out,
            "取り込みました: 反映 {} 件、変更なし {} 件、競合 {} 件（競合は取りまとめ担当が選びます）",
            m.applied,
            m.unchanged,
            m.conflicts.len()
        )?,
        (false, None) => writeln!(out, "新しい報告として取り込みました")?,
    }
    Ok(())
}
