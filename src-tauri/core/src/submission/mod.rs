//! Request packages and submissions: the departments' round trip, file format version 1
//! (docs/submission-format.md).
//!
//! The coordinator issues a package per department (its measures, their values, the open
//! period, and each cell's base revision); the department fills it in its own database and
//! writes a submission; the coordinator merges submissions with a three-way merge per cell.

mod board;
mod file;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::backup;
use crate::document::{DocumentError, ReportDocument};
use crate::merge::{self, Incoming, IncomingCell, MergeError, MergeOutcome};
use crate::model::{period_label, Actor, CellKey, Field, Half, PeriodState, Source};
use crate::report::Report;
use crate::store::{Store, StoreError};

pub use board::{board, reminder_text, Board, DepartmentStatus};
pub use file::FileError;

/// The format version this build writes and reads.
pub const VERSION: u32 = 1;
const PACKAGE_FORMAT: &str = "shinchoku-package";
const SUBMISSION_FORMAT: &str = "shinchoku-submission";
/// Where a department database keeps the package it was started from.
const PACKAGE_SETTING: &str = "package";

/// The reporting period a file answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    pub half: Half,
    pub label: String,
    #[serde(default)]
    pub deadline: String,
}

/// One cell as it was when the package was issued: the merge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseCell {
    pub measure_id: i64,
    pub year: i32,
    pub field: Field,
    pub revision: i64,
    pub value: String,
}

/// A department's request package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Package {
    pub format: String,
    pub version: u32,
    pub department: String,
    pub period: Period,
    /// The coordinator's report revision when issued.
    pub revision: i64,
    pub issued_at: String,
    /// The department's measures with every cell of every year (ids are the coordinator's).
    pub report: ReportDocument,
    /// The cells the department may write in the period, with their base revisions.
    pub base: Vec<BaseCell>,
}

/// Who approved a submission in the department (課長).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub name: String,
    /// `YYYY-MM-DD`
    pub date: String,
}

/// One cell of a submission: the base and the department's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmittedCell {
    pub measure_id: i64,
    pub year: i32,
    pub field: Field,
    pub base_revision: i64,
    pub base_value: String,
    pub value: String,
}

/// A department's submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Submission {
    pub format: String,
    pub version: u32,
    pub department: String,
    pub period: Period,
    pub package_revision: i64,
    pub submitted_at: String,
    pub approved_by: Option<Approval>,
    pub cells: Vec<SubmittedCell>,
}

/// Why a package or submission could not be made or taken. Nothing is changed when one is.
#[derive(Debug, thiserror::Error)]
pub enum SubmissionError {
    #[error("担当課「{0}」はこの報告にありません")]
    UnknownDepartment(String),
    #[error("受付中の期がありません。取りまとめ担当が期を開いてから作成してください")]
    NoOpenPeriod,
    #[error("このデータベースは提出用パッケージから作られていません（shinchoku init --package で作成してください）")]
    NotADepartmentDatabase,
    #[error("{file}: {reason}")]
    Refused { file: String, reason: String },
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error(transparent)]
    Backup(#[from] backup::BackupError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn now() -> String {
    chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn open_period(store: &Store) -> Result<Period, SubmissionError> {
    let years = store.fiscal_years()?;
    years
        .iter()
        .find_map(|y| {
            y.halves
                .iter()
                .find(|h| h.state == PeriodState::Open)
                .map(|h| Period {
                    year: y.year,
                    half: h.half,
                    label: period_label(y.year, h.half),
                    deadline: h.deadline.clone(),
                })
        })
        .ok_or(SubmissionError::NoOpenPeriod)
}

/// The cells a department writes in a period: the year's own and the half's.
fn period_fields(half: Half) -> [Field; 6] {
    [
        Field::AnnualTarget,
        Field::AnnualIndicator,
        Field::YearNote,
        Field::Plan(half),
        Field::Indicator(half),
        Field::Status(half),
    ]
}

/// Makes the request package of one department.
pub fn make_package(store: &Store, department: &str) -> Result<Package, SubmissionError> {
    let dept = store
        .department_by_name(department)?
        .ok_or_else(|| SubmissionError::UnknownDepartment(department.to_string()))?;
    let period = open_period(store)?;
    let report = Report::load(store)?;
    let mut doc = ReportDocument::from_report(&report);
    doc.measures.retain(|m| m.department == dept.name);
    let mut base = Vec::new();
    for m in report
        .measures
        .iter()
        .filter(|m| m.department_id == dept.id)
    {
        for field in period_fields(period.half) {
            let key = CellKey {
                measure_id: m.id,
                year: period.year,
                field,
            };
            let (value, revision) = report
                .cells
                .get(&key)
                .map(|c| (c.value.clone(), c.revision))
                .unwrap_or_default();
            base.push(BaseCell {
                measure_id: m.id,
                year: period.year,
                field,
                revision,
                value,
            });
        }
    }
    Ok(Package {
        format: PACKAGE_FORMAT.into(),
        version: VERSION,
        department: dept.name,
        period,
        revision: report.revision,
        issued_at: now(),
        report: doc,
        base,
    })
}

/// Writes one department's package to `path` and logs its issue.
pub fn write_package(
    store: &mut Store,
    department: &str,
    path: &Path,
) -> Result<Package, SubmissionError> {
    let package = make_package(store, department)?;
    file::write(path, &package)?;
    log_package(store, &package, path)?;
    Ok(package)
}

/// Writes every department's package into `folder` (`<課>.shinchoku-package.json`).
pub fn write_all_packages(
    store: &mut Store,
    folder: &Path,
) -> Result<Vec<PathBuf>, SubmissionError> {
    let mut written = Vec::new();
    for dept in store.departments()? {
        let path = folder.join(format!(
            "{}.shinchoku-package.json",
            dept.name.replace(['/', '\\', '　', ' '], "_")
        ));
        write_package(store, &dept.name, &path)?;
        written.push(path);
    }
    Ok(written)
}

fn log_package(store: &mut Store, package: &Package, path: &Path) -> Result<(), StoreError> {
    store.write(&Actor::Coordinator, &Source::App, |w| {
        w.touch();
        w.conn().execute(
            "INSERT INTO package_log (department, year, half, file, revision, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            (&package.department, package.period.year, package.period.half.code(), file::name(path), package.revision, &package.issued_at),
        )?;
        Ok(())
    })
}

/// Starts a department's database from its package (`shinchoku init --package`).
pub fn init_from_package(db: &Path, package_path: &Path) -> Result<Store, SubmissionError> {
    let package: Package = file::read(package_path, PACKAGE_FORMAT)?;
    let mut store = Store::create(db)?;
    let loaded = (|| -> Result<(), SubmissionError> {
        package
            .report
            .load_into(&mut store, &Source::Submission(file::name(package_path)))?;
        let text = serde_json::to_string(&package).map_err(|e| FileError::Json {
            file: file::name(package_path),
            message: e.to_string(),
        })?;
        store.write(&Actor::Coordinator, &Source::App, |w| {
            // The department writes the package's period and nothing else.
            for y in w.fiscal_years()? {
                for h in Half::BOTH {
                    let open = y.year == package.period.year && h == package.period.half;
                    w.set_period_state(
                        y.year,
                        h,
                        if open {
                            PeriodState::Open
                        } else {
                            PeriodState::Closed
                        },
                    )?;
                }
            }
            w.set_setting(PACKAGE_SETTING, &text)
        })?;
        Ok(())
    })();
    if let Err(e) = loaded {
        drop(store);
        crate::store::remove_files(db);
        return Err(e);
    }
    Ok(store)
}

/// The package a department database was started from.
pub fn package_of(store: &Store) -> Result<Package, SubmissionError> {
    let text = store
        .setting(PACKAGE_SETTING)?
        .ok_or(SubmissionError::NotADepartmentDatabase)?;
    serde_json::from_str(&text).map_err(|_| SubmissionError::NotADepartmentDatabase)
}

/// Makes the submission of a department database: every cell of the package's period with its
/// base and the department's value now.
pub fn make_submission(
    store: &Store,
    approved_by: Option<Approval>,
) -> Result<Submission, SubmissionError> {
    let package = package_of(store)?;
    let report = Report::load(store)?;
    // Measures were created in the package's order, so position i is the package's i-th measure.
    let local: Vec<i64> = report.measures.iter().map(|m| m.id).collect();
    let origin: Vec<i64> = package
        .report
        .measures
        .iter()
        .map(|m| m.id.unwrap_or_default())
        .collect();
    let cells = package
        .base
        .iter()
        .filter_map(|b| {
            let i = origin.iter().position(|&id| id == b.measure_id)?;
            let value = report.value(*local.get(i)?, b.year, b.field).to_string();
            Some(SubmittedCell {
                measure_id: b.measure_id,
                year: b.year,
                field: b.field,
                base_revision: b.revision,
                base_value: b.value.clone(),
                value,
            })
        })
        .collect();
    Ok(Submission {
        format: SUBMISSION_FORMAT.into(),
        version: VERSION,
        department: package.department,
        period: package.period,
        package_revision: package.revision,
        submitted_at: now(),
        approved_by,
        cells,
    })
}

/// Reads a submission from bytes as the merge does (kind, version, checksum), for tools and
/// the fuzzer; `file` names it in messages.
pub fn parse_submission(bytes: &[u8], file: &str) -> Result<Submission, FileError> {
    file::parse(bytes, file, SUBMISSION_FORMAT).map(|(s, _)| s)
}

/// Writes the submission file.
pub fn write_submission(
    store: &Store,
    path: &Path,
    approved_by: Option<Approval>,
) -> Result<Submission, SubmissionError> {
    let submission = make_submission(store, approved_by)?;
    file::write(path, &submission)?;
    Ok(submission)
}

/// What happened to one submission file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileOutcome {
    pub file: String,
    pub department: String,
    /// Present when merged.
    pub merged: Option<MergeOutcome>,
    /// The same file was merged before: nothing was done.
    pub already_merged: bool,
    /// Why it was refused (nothing of it was applied).
    pub refused: Option<String>,
}

/// Merges submission files, each all or nothing; a refused file does not stop the others.
/// A backup is taken before the first file that changes something.
pub fn merge_files(
    store: &mut Store,
    paths: &[PathBuf],
) -> Result<Vec<FileOutcome>, SubmissionError> {
    let mut outcomes = Vec::new();
    let mut backed_up = store.path().is_none();
    for path in paths {
        let name = file::name(path);
        let refused = |department: String, reason: String| FileOutcome {
            file: name.clone(),
            department,
            merged: None,
            already_merged: false,
            refused: Some(reason),
        };
        let (submission, checksum) =
            match file::read_with_checksum::<Submission>(path, SUBMISSION_FORMAT) {
                Ok(read) => read,
                Err(e) => {
                    outcomes.push(refused(String::new(), e.to_string()));
                    continue;
                }
            };
        let seen: bool = store
            .conn()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM submission_log WHERE checksum = ?1)",
                [&checksum],
                |r| r.get(0),
            )
            .map_err(StoreError::from)?;
        if seen {
            outcomes.push(FileOutcome {
                file: name,
                department: submission.department,
                merged: None,
                already_merged: true,
                refused: None,
            });
            continue;
        }
        if !backed_up {
            backup::take(store, backup::Reason::Merge)?;
            backed_up = true;
        }
        let incoming = Incoming {
            department: submission.department.clone(),
            year: submission.period.year,
            half: submission.period.half,
            cells: submission
                .cells
                .iter()
                .map(|c| IncomingCell {
                    key: CellKey {
                        measure_id: c.measure_id,
                        year: c.year,
                        field: c.field,
                    },
                    base_revision: c.base_revision,
                    base_value: c.base_value.clone(),
                    value: c.value.clone(),
                })
                .collect(),
            source: Source::Submission(name.clone()),
        };
        let actor = Actor::Department(submission.department.clone());
        let result = store.write(&actor, &incoming.source, |w| {
            let outcome = merge::merge_in(w, &incoming)?;
            w.touch();
            let approval = submission.approved_by.clone().unwrap_or(Approval { name: String::new(), date: String::new() });
            w.conn()
                .execute(
                    "INSERT INTO submission_log (department, year, half, file, checksum, approved_by, approved_on,
                       received_at, applied, unchanged, conflicts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    (&submission.department, submission.period.year, submission.period.half.code(), &name, &checksum,
                     &approval.name, &approval.date, w.at().to_string(), outcome.applied, outcome.unchanged, outcome.conflicts.len()),
                )
                .map_err(StoreError::from)?;
            Ok::<_, MergeError>(outcome)
        });
        match result {
            Ok(outcome) => outcomes.push(FileOutcome {
                file: name,
                department: submission.department,
                merged: Some(outcome),
                already_merged: false,
                refused: None,
            }),
            Err(MergeError::Store(e)) => return Err(e.into()),
            Err(e) => outcomes.push(refused(submission.department, e.to_string())),
        }
    }
    Ok(outcomes)
}
