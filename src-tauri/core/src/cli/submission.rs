//! `package`, `init --package`, `update`, `submit`, `merge`, `board`, `conflicts`, `resolve`: the
//! departments' round trip from the command line.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;
use crate::merge::{self, Choice};
use crate::model::{CellKey, Field};
use crate::store::Store;
use crate::submission::{self, Approval};

#[derive(Debug, Args)]
pub struct PackageArgs {
    /// The department (課) whose package to write.
    #[arg(long, value_name = "課", required_unless_present = "all")]
    pub department: Option<String>,
    /// Every department's package, into the folder given with --out.
    #[arg(long, conflicts_with = "department")]
    pub all: bool,
    /// The package file (or the folder, with --all).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The department's new request package (the next half-year, or the same one issued again).
    #[arg(long, value_name = "FILE")]
    pub package: PathBuf,
    /// Let go of changes made since the last submission and never sent (they stay in the
    /// history and the backup taken first).
    #[arg(long)]
    pub discard_unsent: bool,
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The 課長 who approved the submission (recorded with today's date).
    #[arg(long, value_name = "NAME")]
    pub approved_by: Option<String>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Submission files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    #[arg(long, value_name = "ID")]
    pub measure: i64,
    #[arg(long, value_name = "YEAR", value_parser = super::year_arg)]
    pub year: i32,
    /// The cell, e.g. h2_status.
    #[arg(long)]
    pub field: String,
    /// Whose value to keep: department, coordinator or base.
    #[arg(long, value_name = "department|coordinator|base")]
    pub take: String,
}

/// `init --package P`: a department's database started from its request package.
pub fn init_from_package(db: &Path, package: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    let store = submission::init_from_package(db, package)?;
    let package = submission::package_of(&store)?;
    writeln!(
        out,
        "{} を作成しました（{}、{}、実施内容 {} 件）",
        db.display(),
        package.department,
        package.period.label,
        package.report.measures.len()
    )?;
    Ok(())
}

/// `update --package P`: a department database takes its next package.
pub fn update(db: &Path, args: UpdateArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    let file = args
        .package
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let update = submission::update_from_package(&mut store, &args.package, args.discard_unsent)?;
    if update.already {
        writeln!(
            out,
            "{file} は取り込み済みのパッケージです（{}、{}）。何も変更していません",
            update.department, update.period
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{} を {file} で更新しました（{}、{} → {}、実施内容 {} 件）",
        db.display(),
        update.department,
        update.previous_period,
        update.period,
        update.measures
    )?;
    if !update.replaced.is_empty() {
        let shown: Vec<&str> = update.replaced.iter().take(5).map(String::as_str).collect();
        let more = update.replaced.len().saturating_sub(shown.len());
        writeln!(
            out,
            "  取りまとめの値に更新した欄 {} 件: {}{}",
            update.replaced.len(),
            shown.join("、"),
            if more > 0 {
                format!(" ほか {more} 件")
            } else {
                String::new()
            }
        )?;
    }
    if update.added_measures > 0 || update.removed_measures > 0 {
        writeln!(
            out,
            "  実施内容 追加 {} 件 / 削除 {} 件（削除した実施内容の履歴は残ります）",
            update.added_measures, update.removed_measures
        )?;
    }
    if !update.discarded.is_empty() {
        writeln!(
            out,
            "  未提出の変更 {} 件を破棄しました（履歴とバックアップに残っています）",
            update.discarded.len()
        )?;
    }
    if let Some(backup) = &update.backup {
        writeln!(out, "  更新前のバックアップ: {}", backup.name)?;
    }
    Ok(())
}

pub fn package(db: &Path, args: PackageArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    if args.all {
        std::fs::create_dir_all(&args.out)?;
        let written = submission::write_all_packages(&mut store, &args.out)?;
        writeln!(
            out,
            "{} 課分のパッケージを {} に作成しました",
            written.len(),
            args.out.display()
        )?;
    } else {
        let department = args.department.unwrap_or_default();
        let package = submission::write_package(&mut store, &department, &args.out)?;
        writeln!(
            out,
            "{} のパッケージを作成しました（{}、実施内容 {} 件）: {}",
            package.department,
            package.period.label,
            package.report.measures.len(),
            args.out.display()
        )?;
    }
    Ok(())
}

pub fn submit(db: &Path, args: SubmitArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    let approval = args.approved_by.map(|name| Approval {
        name,
        date: chrono::Local::now().format("%Y-%m-%d").to_string(),
    });
    let submission = submission::write_submission(&mut store, &args.out, approval)?;
    writeln!(
        out,
        "{} の提出ファイルを作成しました（{}、変更 {} 件）: {}",
        submission.submission.department,
        submission.submission.period.label,
        submission.changed_cells,
        args.out.display()
    )?;
    Ok(())
}

pub fn merge(db: &Path, args: MergeArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    let outcomes = submission::merge_files(&mut store, &args.files)?;
    let mut refused = 0;
    for o in &outcomes {
        if let Some(reason) = &o.refused {
            refused += 1;
            writeln!(out, "✗ {}: 取り込めません — {reason}", o.file)?;
        } else if o.already_merged {
            writeln!(
                out,
                "− {}（{}）: 取り込み済みのため何も変更していません",
                o.file, o.department
            )?;
        } else if let Some(m) = &o.merged {
            writeln!(
                out,
                "✓ {}（{}）: 反映 {} 件 / 変更なし {} 件 / 競合 {} 件",
                o.file,
                o.department,
                m.applied,
                m.unchanged,
                m.conflicts.len()
            )?;
        }
    }
    if refused > 0 {
        return Err(CliError::Usage(format!(
            "{refused} 件の提出ファイルを取り込めませんでした（ほかのファイルは上のとおり）"
        )));
    }
    Ok(())
}

pub fn board(db: &Path, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let store = Store::open(db)?;
    let board = submission::board(&store)?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &board).map_err(std::io::Error::other)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}{}",
        board.period.label,
        if board.period.deadline.is_empty() {
            String::new()
        } else {
            format!("（締切 {}）", board.period.deadline)
        }
    )?;
    for d in &board.departments {
        let mut state = match (&d.received_at, d.conflicts) {
            (None, _) => "未提出".to_string(),
            (Some(at), 0) => format!("受領 {at}（{}）", d.received_file.as_deref().unwrap_or("")),
            (Some(at), n) => format!("受領 {at}・競合 {n} 件"),
        };
        if d.settled > 0 {
            state.push_str(&format!("・解決済みの競合 {} 件", d.settled));
        }
        writeln!(out, "  {}: {state}", d.department)?;
    }
    writeln!(out, "\n{}", submission::reminder_text(&board))?;
    Ok(())
}

/// The waiting conflicts, then the settled ones with how, by whom and when; as JSON one list,
/// the waiting ones first, each with `settled` (null while it waits).
pub fn conflicts(db: &Path, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let store = Store::open(db)?;
    let waiting = merge::conflicts(&store)?;
    let settled = merge::settled_conflicts(&store)?;
    if json {
        let all: Vec<_> = waiting.iter().chain(&settled).collect();
        serde_json::to_writer_pretty(&mut *out, &all).map_err(std::io::Error::other)?;
        writeln!(out)?;
        return Ok(());
    }
    if waiting.is_empty() {
        writeln!(out, "競合はありません")?;
    }
    for c in &waiting {
        write_conflict(out, c)?;
    }
    if !settled.is_empty() {
        writeln!(out, "\n解決済みの競合:")?;
    }
    for c in &settled {
        write_conflict(out, c)?;
        if let Some(s) = &c.settled {
            writeln!(
                out,
                "  解決: {}（{}、{}）→ {}",
                s.how.label(),
                s.by,
                s.at,
                s.value
            )?;
        }
    }
    Ok(())
}

fn write_conflict(out: &mut dyn Write, c: &merge::Conflict) -> Result<(), CliError> {
    writeln!(
        out,
        "実施内容 ID {} {}年度 {}（{}、{}）",
        c.key.measure_id,
        c.key.year,
        c.key.field.label(),
        c.department,
        c.source
    )?;
    writeln!(
        out,
        "  元の値: {}\n  取りまとめ: {}\n  担当課: {}",
        c.base_value, c.coordinator_value, c.department_value
    )?;
    Ok(())
}

pub fn resolve(db: &Path, args: ResolveArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let field = Field::from_code(&args.field).ok_or_else(|| {
        CliError::Usage(format!(
            "項目「{}」はありません（例: h2_status）",
            args.field
        ))
    })?;
    let choice = match args.take.as_str() {
        "department" => Choice::Department,
        "coordinator" => Choice::Coordinator,
        "base" => Choice::Base,
        other => {
            return Err(CliError::Usage(format!(
                "--take「{other}」は department / coordinator / base のいずれかです"
            )))
        }
    };
    let mut store = Store::open(db)?;
    merge::resolve(
        &mut store,
        &CellKey {
            measure_id: args.measure,
            year: args.year,
            field,
        },
        choice,
    )?;
    writeln!(out, "競合を解決しました")?;
    Ok(())
}
