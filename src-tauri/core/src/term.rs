//! A new term (任期): a new mayor's pledges start a new report. The report of the term that ends
//! is kept as a read-only copy in the `terms` folder beside the database, where it can still be
//! read and exported (`shinchoku export --db <copy>`); the database goes on for the new term with
//! its departments and its fiscal years from the new term's first one, and no pledge, measure,
//! cell, package or submission of the past term.
//!
//! The copy is written (whole, by the safe save) before the report is emptied, and the emptying is
//! one transaction: a failure at any point leaves the report as it was.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::backup::{self, BackupError};
use crate::model::{Actor, Source};
use crate::report::Report;
use crate::store::{Store, StoreError};
use crate::wareki;

/// Why a new term could not be started, or a past term not read.
#[derive(Debug, thiserror::Error)]
pub enum TermError {
    /// A database in memory has no folder to keep its past term in.
    #[error("メモリ上のデータベースでは新しい任期を始められません")]
    InMemory,
    /// The report has no fiscal year: there is no term to end.
    #[error("報告に年度がないため、新しい任期を始められません")]
    NoYears,
    /// The first year of the new term is not one of the report's years.
    #[error("{} は報告の年度にありません（{}）。先に年度を追加してください（shinchoku year add）", wareki::fiscal_year_label(*year), known)]
    UnknownYear { year: i32, known: String },
    /// A title the sheet could not print in its title row (the original's is 20 characters).
    #[error("表題が長すぎます（{chars} 文字）。{MAX_TITLE_CHARS} 文字までにしてください")]
    TitleTooLong { chars: usize },
    /// The copy's name is taken: a past term is never overwritten.
    #[error("過去の任期の保管先 {path} は既にあります。別の名前を指定してください（--archive）")]
    ArchiveExists { path: PathBuf },
    /// The folder of past terms cannot be made or read.
    #[error(
        "過去の任期のフォルダ {path} を使えません（{}）",
        crate::os_message::io(source)
    )]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The longest title a new term may have: the sheet prints it in one row of its title.
pub const MAX_TITLE_CHARS: usize = 100;

/// What the new term starts with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewTerm {
    /// The new report's title; `None` keeps the current one.
    pub title: Option<String>,
    /// The new term's first fiscal year; `None`: the year of the open period, else the last.
    pub first_year: Option<i32>,
    /// Where the past term's copy goes; `None`: [`default_archive`].
    pub archive: Option<PathBuf>,
}

/// What was done, for the message to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TermStarted {
    /// The past term's read-only copy.
    pub archive: PathBuf,
    /// 令和３年度〜令和６年度: the years the copy holds.
    pub archived_years: String,
    pub archived_measures: usize,
    pub first_year: i32,
    pub departments: usize,
}

/// A past term's copy, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchivedTerm {
    pub path: PathBuf,
    pub title: String,
    /// 令和３年度〜令和６年度
    pub years: String,
    pub measures: usize,
    /// 2026年11月29日 10:15
    pub archived_at: String,
}

/// The folder of past terms' copies of `db`.
pub fn folder(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("terms")
}

/// `terms/<stem>-<first>-<last>.db`: the past term's copy, named by its fiscal years.
pub fn default_archive(db: &Path, report: &Report) -> Option<PathBuf> {
    let (first, last) = (report.years.first()?.year, report.years.last()?.year);
    let stem = db
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "shinchoku".into());
    Some(folder(db).join(format!("{stem}-{first}-{last}.db")))
}

fn years_label(report: &Report) -> String {
    match (report.years.first(), report.years.last()) {
        (Some(first), Some(last)) if first.year != last.year => format!(
            "{}〜{}",
            wareki::fiscal_year_label(first.year),
            wareki::fiscal_year_label(last.year)
        ),
        (Some(only), _) => wareki::fiscal_year_label(only.year),
        _ => String::new(),
    }
}

/// Ends the report's term: writes its read-only copy, then empties the report for the new term
/// (keeping the departments and the years from `new.first_year`). The coordinator's action.
pub fn start_new_term(store: &mut Store, new: &NewTerm) -> Result<TermStarted, TermError> {
    let title = new
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if let Some(chars) = title.map(|t| t.chars().count()) {
        if chars > MAX_TITLE_CHARS {
            return Err(TermError::TitleTooLong { chars });
        }
    }
    let db = store.path().ok_or(TermError::InMemory)?.to_path_buf();
    let report = Report::load(store)?;
    let last = report.years.last().ok_or(TermError::NoYears)?.year;
    let first_year = match new.first_year {
        Some(year) => year,
        None => report.open_period().map_or(last, |(year, _)| year),
    };
    if report.year(first_year).is_none() {
        return Err(TermError::UnknownYear {
            year: first_year,
            known: report
                .years
                .iter()
                .map(|y| wareki::fiscal_year_label(y.year))
                .collect::<Vec<_>>()
                .join("・"),
        });
    }
    let archive = match &new.archive {
        Some(path) => path.clone(),
        None => default_archive(&db, &report).ok_or(TermError::NoYears)?,
    };
    if archive.exists() {
        return Err(TermError::ArchiveExists { path: archive });
    }
    if let Some(dir) = archive.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| TermError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    backup::copy_into(store, &archive, |copy| {
        let mut copy = Store::open(copy)?;
        copy.write(&Actor::Coordinator, &Source::App, |w| w.mark_archived())?;
        Ok(())
    })?;

    store.write(&Actor::Coordinator, &Source::App, |w| {
        w.clear_conflicts()?;
        w.clear_submission_log()?;
        w.clear_package_log()?;
        w.clear_seen_values()?;
        w.clear_sheet_export_log()?;
        w.clear_reorganisations()?;
        w.clear_cells()?;
        w.clear_measures()?;
        w.clear_pledges()?;
        w.remove_years_before(first_year)?;
        if let Some(title) = title {
            w.set_title(title)?;
        }
        Ok::<_, TermError>(())
    })?;
    Ok(TermStarted {
        archive,
        archived_years: years_label(&report),
        archived_measures: report.measures.len(),
        first_year,
        departments: report.departments.len(),
    })
}

/// The past terms kept beside `db`, oldest first. A file in the folder that is not a past
/// term's copy (not a report, or a working one) is left out.
pub fn list(db: &Path) -> Result<Vec<ArchivedTerm>, TermError> {
    let dir = folder(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(TermError::Folder { path: dir, source }),
    };
    let mut terms = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "db") || !path.is_file() {
            continue;
        }
        let Ok(store) = Store::open(&path) else {
            continue;
        };
        let Ok(Some(archived_at)) = store.archived_at() else {
            continue;
        };
        let Ok(report) = Report::load(&store) else {
            continue;
        };
        terms.push(ArchivedTerm {
            title: report.title.clone(),
            years: years_label(&report),
            measures: report.measures.len(),
            archived_at: wareki::datetime_label(&archived_at),
            path,
        });
    }
    terms.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(terms)
}
