//! Request packages and submissions: the departments' round trip, file format version 2
//! (docs/submission-format.md, docs/security.md).
//!
//! The coordinator issues a package per department (its measures, their values, the open
//! period) and keeps what it issued: the cells with their values and revisions, and a random
//! secret. The department fills the package in its own database and writes a submission signed
//! with that secret; the coordinator checks the signature and merges the cells it issued, with a
//! three-way merge per cell against its own record of the base.

mod board;
mod file;
mod file_names;
mod update;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::backup;
use crate::document::{DocumentError, ReportDocument};
use crate::merge::{self, Incoming, IncomingCell, Issue, MergeError, MergeOutcome};
use crate::model::{period_label, Actor, CellKey, Field, Half, PeriodState, Source};
use crate::report::Report;
use crate::store::{IssuedCell, IssuedPackage, ReceivedSubmission, Store, StoreError};

pub use board::{board, reminder_text, Board, DepartmentStatus};
pub use file::FileError;
pub use file_names::{package_name_parts, MAX_NAME_BYTES, MAX_NAME_CHARS};
pub use update::{unsent_changes, update_from_package, PackageUpdate, UnsentCell};

/// The format version this build writes and reads.
pub const VERSION: u32 = 2;
const PACKAGE_FORMAT: &str = "shinchoku-package";
const SUBMISSION_FORMAT: &str = "shinchoku-submission";

/// The files a person passes on, by their own extension: the installed app opens them on a
/// double-click (the bundle's file associations). Their content is JSON, and `.json` names of
/// earlier versions are read the same; the content, never the name, decides what is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FileKind {
    /// `<課>.shinchoku-package`: a request package from the coordinator.
    Package,
    /// `<課>.shinchoku-submission`: a department's submission.
    Submission,
}

impl FileKind {
    pub const PACKAGE_EXTENSION: &str = "shinchoku-package";
    pub const SUBMISSION_EXTENSION: &str = "shinchoku-submission";

    /// What a file opened by a double-click is, by its extension; `None` for any other file.
    pub fn of_path(path: &Path) -> Option<FileKind> {
        match path.extension()?.to_str()? {
            e if e.eq_ignore_ascii_case(Self::PACKAGE_EXTENSION) => Some(FileKind::Package),
            e if e.eq_ignore_ascii_case(Self::SUBMISSION_EXTENSION) => Some(FileKind::Submission),
            _ => None,
        }
    }
}
/// Where a department database keeps the package it was started from.
const PACKAGE_SETTING: &str = "package";
/// In a department database: the coordinator's measure id of each local measure, as
/// `[[coordinator, local], …]`, recorded when the database was made from the package.
const MEASURE_IDS_SETTING: &str = "package_measure_ids";
/// In a department database: the package and the revision at which the database last agreed
/// with what the coordinator holds or was sent — when it was made or updated from the package,
/// or when its last submission was written. A change after it is unsent.
const SYNCED_SETTING: &str = "package_synced";

/// The value of [`SYNCED_SETTING`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Synced {
    package_id: String,
    revision: i64,
}

impl Synced {
    /// Recorded inside the action it describes: that action's revision.
    fn record(w: &mut crate::store::Write<'_>, package_id: &str) -> Result<(), StoreError> {
        let synced = Synced {
            package_id: package_id.to_string(),
            revision: w.revision(),
        };
        w.set_setting(
            SYNCED_SETTING,
            &serde_json::to_string(&synced).unwrap_or_default(),
        )
    }

    /// The record of `package`, `None` when there is none (a database made before it was kept)
    /// or it is of an earlier package.
    fn of(store: &Store, package: &Package) -> Result<Option<Synced>, StoreError> {
        Ok(store
            .setting(SYNCED_SETTING)?
            .and_then(|text| serde_json::from_str::<Synced>(&text).ok())
            .filter(|s| s.package_id == package.package_id))
    }
}

/// The reporting period a file answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    #[serde(deserialize_with = "crate::wareki::deserialize_year")]
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
    #[serde(deserialize_with = "crate::wareki::deserialize_year")]
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
    /// Random: names the coordinator's record of this issue.
    pub package_id: String,
    /// The key that signs the department's submission (HMAC-SHA256), hex. Only this
    /// department's database holds it besides the coordinator's.
    pub secret: String,
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

/// One cell of a submission: the department's value. Its base is the coordinator's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmittedCell {
    pub measure_id: i64,
    #[serde(deserialize_with = "crate::wareki::deserialize_year")]
    pub year: i32,
    pub field: Field,
    pub value: String,
}

/// A department's submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Submission {
    pub format: String,
    pub version: u32,
    /// The package it answers.
    pub package_id: String,
    pub department: String,
    pub period: Period,
    pub package_revision: i64,
    /// The department database's revision when written: a later submission has a higher one.
    pub department_revision: i64,
    pub submitted_at: String,
    pub approved_by: Option<Approval>,
    pub cells: Vec<SubmittedCell>,
}

/// Why a package or submission could not be made or taken. Nothing is changed when one is.
#[derive(Debug, thiserror::Error)]
pub enum SubmissionError {
    #[error("担当課「{0}」はこの報告にありません")]
    UnknownDepartment(String),
    /// A department's name refused where it entered (`crate::name`).
    #[error(transparent)]
    Name(#[from] crate::name::NameError),
    /// A package asked for a department that a reorganisation made disappear.
    #[error("{gone}。{} のパッケージを作成してください", gone.successors_label())]
    DepartmentGone { gone: crate::master::DepartmentGone },
    #[error("受付中の期がありません。取りまとめ担当が期を開いてから作成してください")]
    NoOpenPeriod,
    #[error("このデータベースは提出用パッケージから作られていません（shinchoku init --package で作成してください）")]
    NotADepartmentDatabase,
    #[error("このデータベースは形式 1 のパッケージから作られています。取りまとめ担当から新しいパッケージを受け取り、shinchoku init --package で作り直してください")]
    OldPackage,
    #[error("安全な乱数を得られないため、パッケージを作れません: {0}")]
    Random(String),
    #[error("{file}: {reason}")]
    Refused { file: String, reason: String },
    /// A new package would replace changes the department never sent.
    #[error("{file} を取り込めません: 未提出の変更が {count} 件あります（{cells}）。取り込むと取りまとめの値に置き換わります。先に shinchoku submit で提出ファイルを作成して取りまとめ担当に送るか、破棄してよければ --discard-unsent を付けて実行してください。データベースは変更していません")]
    Unsent {
        file: String,
        count: usize,
        cells: String,
    },
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
    crate::model::open_half(&years)
        .map(|(y, h)| Period {
            year: y.year,
            half: h.half,
            label: period_label(y.year, h.half),
            deadline: h.deadline.clone(),
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
    let department = crate::name::department(department, "担当課")?;
    let Some(dept) = store.department_by_name(&department)? else {
        return Err(
            match crate::master::missing_department(store, &department) {
                Ok(crate::master::MasterError::Gone(gone)) => {
                    SubmissionError::DepartmentGone { gone }
                }
                Err(crate::master::MasterError::Store(e)) => e.into(),
                _ => SubmissionError::UnknownDepartment(crate::name::shown(&department)),
            },
        );
    };
    package_from(store, &Report::load(store)?, &dept)
}

/// The package of one department from `report`, the store's report read once for every package
/// issued together: reading and converting the whole report again for each of 41 departments
/// was most of the time a full cycle took at 2,000 measures (benches/cycle.rs).
/// The department is given as the store holds it: `--all` never looks a name up again.
fn package_from(
    store: &Store,
    report: &Report,
    dept: &crate::model::Department,
) -> Result<Package, SubmissionError> {
    let period = open_period(store)?;
    // A measure that ended before the period is no longer the department's to report.
    let ended = store.measure_last_years()?;
    let reports = |id: i64| crate::model::reports_in(ended.get(&id).copied(), period.year);
    let doc =
        ReportDocument::from_report_where(report, |m| m.department_id == dept.id && reports(m.id));
    let mut base = Vec::new();
    for m in report
        .measures
        .iter()
        .filter(|m| m.department_id == dept.id && reports(m.id))
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
    let random = || file::new_secret().map_err(|e| SubmissionError::Random(e.to_string()));
    Ok(Package {
        format: PACKAGE_FORMAT.into(),
        version: VERSION,
        package_id: random()?[..32].to_string(),
        secret: random()?,
        department: dept.name.clone(),
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
    issue(store, package, path)
}

/// Logs a package's issue, then writes it to `path`.
fn issue(store: &mut Store, package: Package, path: &Path) -> Result<Package, SubmissionError> {
    // Recorded first: a package file that exists was always issued. A target no save may
    // replace (the database itself) is refused before the record.
    crate::safe_save::check_target(path).map_err(file::FileError::from)?;
    log_package(store, &package, path)?;
    file::write(path, &package, None)?;
    Ok(package)
}

/// Writes every department's package into `folder`, one file each, named by
/// [`package_name_parts`] (`<課>.shinchoku-package`, or `<課> (ID n).shinchoku-package` when
/// two names make one file name). Every package is made before the first is written, so a
/// department that cannot be packaged stops the run before any file is.
pub fn write_all_packages(
    store: &mut Store,
    folder: &Path,
) -> Result<Vec<PathBuf>, SubmissionError> {
    let report = Report::load(store)?;
    let departments = store.departments()?;
    let packages = departments
        .iter()
        .map(|dept| package_from(store, &report, dept))
        .collect::<Result<Vec<_>, _>>()?;
    let mut written = Vec::with_capacity(packages.len());
    for (part, package) in package_name_parts(&departments).into_iter().zip(packages) {
        let path = folder.join(format!("{part}.{}", FileKind::PACKAGE_EXTENSION));
        issue(store, package, &path)?;
        written.push(path);
    }
    Ok(written)
}

fn log_package(store: &mut Store, package: &Package, path: &Path) -> Result<(), StoreError> {
    let issued = IssuedPackage {
        package_id: package.package_id.clone(),
        department: package.department.clone(),
        year: package.period.year,
        half: package.period.half,
        revision: package.revision,
        secret: package.secret.clone(),
        file: file::name(path),
        issued_at: package.issued_at.clone(),
        cells: package
            .base
            .iter()
            .map(|b| IssuedCell {
                key: CellKey {
                    measure_id: b.measure_id,
                    year: b.year,
                    field: b.field,
                },
                revision: b.revision,
                value: b.value.clone(),
            })
            .collect(),
    };
    store.write(&Actor::Coordinator, &Source::App, |w| {
        w.log_package(&issued)
    })
}

/// Starts a department's database from its package (`shinchoku init --package`).
pub fn init_from_package(db: &Path, package_path: &Path) -> Result<Store, SubmissionError> {
    let package: Package = file::read(package_path, PACKAGE_FORMAT)?.content;
    let mut store = Store::create(db)?;
    let loaded = (|| -> Result<(), SubmissionError> {
        package
            .report
            .load_into(&mut store, &Source::Package(file::name(package_path)))?;
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
            w.set_setting(PACKAGE_SETTING, &text)?;
            // Measures were created in the package's order just now: pair them here, once.
            let mut local = w.measures()?;
            local.sort_by_key(|m| m.position);
            let pairs: Vec<(i64, i64)> = package
                .report
                .measures
                .iter()
                .zip(&local)
                .filter_map(|(origin, local)| Some((origin.id?, local.id)))
                .collect();
            let pairs = serde_json::to_string(&pairs).unwrap_or_default();
            w.set_setting(MEASURE_IDS_SETTING, &pairs)?;
            Synced::record(w, &package.package_id)
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
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| SubmissionError::NotADepartmentDatabase)?;
    if value.get("secret").is_none() {
        return Err(SubmissionError::OldPackage);
    }
    serde_json::from_value(value).map_err(|_| SubmissionError::NotADepartmentDatabase)
}

/// Makes the submission of a department database: every cell of the package's period with its
/// base and the department's value now.
pub fn make_submission(
    store: &Store,
    approved_by: Option<Approval>,
) -> Result<Submission, SubmissionError> {
    submission_from(store, &package_of(store)?, approved_by)
}

/// The submission of a department database answering `package`, the one it was made from.
fn submission_from(
    store: &Store,
    package: &Package,
    approved_by: Option<Approval>,
) -> Result<Submission, SubmissionError> {
    let report = Report::load(store)?;
    // Paired by id when the database was made: measures added or moved since do not shift
    // values onto another measure.
    let local_of: std::collections::HashMap<i64, i64> = store
        .setting(MEASURE_IDS_SETTING)?
        .and_then(|text| serde_json::from_str::<Vec<(i64, i64)>>(&text).ok())
        .ok_or(SubmissionError::OldPackage)?
        .into_iter()
        .collect();
    let cells = package
        .base
        .iter()
        .filter_map(|b| {
            let local = *local_of.get(&b.measure_id)?;
            Some(SubmittedCell {
                measure_id: b.measure_id,
                year: b.year,
                field: b.field,
                value: report.value(local, b.year, b.field).to_string(),
            })
        })
        .collect();
    Ok(Submission {
        format: SUBMISSION_FORMAT.into(),
        version: VERSION,
        package_id: package.package_id.clone(),
        department: package.department.clone(),
        period: package.period.clone(),
        package_revision: package.revision,
        department_revision: store.revision()?,
        submitted_at: now(),
        approved_by,
        cells,
    })
}

/// Reads a submission from bytes as the merge does (kind, version, checksum), for tools and
/// the fuzzer; `file` names it in messages.
pub fn parse_submission(bytes: &[u8], file: &str) -> Result<Submission, FileError> {
    file::parse(bytes, file, SUBMISSION_FORMAT).map(|read| read.content)
}

/// A submission as written, with how many of its cells differ from what the package issued.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenSubmission {
    pub submission: Submission,
    pub changed_cells: usize,
}

/// Writes the submission file, signed with the package's secret, and records that what it
/// holds was sent: a later package replaces nothing unsent (see [`unsent_changes`]).
pub fn write_submission(
    store: &mut Store,
    path: &Path,
    approved_by: Option<Approval>,
) -> Result<WrittenSubmission, SubmissionError> {
    let package = package_of(store)?;
    let submission = submission_from(store, &package, approved_by)?;
    file::write(path, &submission, Some(&package.secret))?;
    // After the file is whole: a record without its file would hide unsent changes. What was
    // sent is the database at the submission's revision, the one recorded.
    let actor = Actor::Department(package.department.clone());
    store.write(&actor, &Source::App, |w| {
        w.set_setting(
            SYNCED_SETTING,
            &serde_json::to_string(&Synced {
                package_id: package.package_id.clone(),
                revision: submission.department_revision,
            })
            .unwrap_or_default(),
        )
    })?;
    let issued: std::collections::HashMap<(i64, i32, Field), &str> = package
        .base
        .iter()
        .map(|b| ((b.measure_id, b.year, b.field), b.value.as_str()))
        .collect();
    let changed_cells = submission
        .cells
        .iter()
        .filter(|c| issued.get(&(c.measure_id, c.year, c.field)) != Some(&c.value.as_str()))
        .count();
    Ok(WrittenSubmission {
        submission,
        changed_cells,
    })
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
        let refused = |department: &str, reason: String| FileOutcome {
            file: name.clone(),
            department: department.to_string(),
            merged: None,
            already_merged: false,
            refused: Some(reason),
        };
        let read = match file::read::<Submission>(path, SUBMISSION_FORMAT) {
            Ok(read) => read,
            Err(e) => {
                outcomes.push(refused("", e.to_string()));
                continue;
            }
        };
        if store.submission_seen(&read.checksum)? {
            outcomes.push(FileOutcome {
                file: name,
                department: read.content.department,
                merged: None,
                already_merged: true,
                refused: None,
            });
            continue;
        }
        let incoming = match authenticate(store, &read, &name) {
            Ok(incoming) => incoming,
            Err(e @ SubmissionError::Refused { .. }) => {
                outcomes.push(refused(&read.content.department, e.to_string()));
                continue;
            }
            Err(e) => return Err(e),
        };
        if !backed_up {
            backup::take(store, backup::Reason::Merge)?;
            backed_up = true;
        }
        let submission = &read.content;
        let actor = Actor::Department(incoming.department.clone());
        let result = store.write(&actor, &incoming.source, |w| {
            let outcome = merge::merge_in(w, &incoming)?;
            let approval = submission.approved_by.clone().unwrap_or(Approval {
                name: String::new(),
                date: String::new(),
            });
            w.log_submission(&ReceivedSubmission {
                department: &incoming.department,
                year: incoming.year,
                half: incoming.half,
                file: &name,
                checksum: &read.checksum,
                approved_by: &approval.name,
                approved_on: &approval.date,
                package_id: &submission.package_id,
                department_revision: submission.department_revision,
                applied: outcome.applied,
                unchanged: outcome.unchanged,
                conflicts: outcome.conflicts.len(),
            })?;
            Ok::<_, MergeError>(outcome)
        });
        match result {
            Ok(outcome) => outcomes.push(FileOutcome {
                file: name,
                department: incoming.department,
                merged: Some(outcome),
                already_merged: false,
                refused: None,
            }),
            Err(MergeError::Store(e)) => return Err(e.into()),
            Err(e) => outcomes.push(refused(&incoming.department, e.to_string())),
        }
    }
    Ok(outcomes)
}

/// Checks a submission against the coordinator's own records and makes the return to merge:
/// its package was issued here, it is signed with that package's secret, it is not older than
/// one merged already, and it holds only cells that package issued. The base of every cell is
/// the issued record, never the file's claim. A refusal is [`SubmissionError::Refused`].
fn authenticate(
    store: &Store,
    read: &file::FileRead<Submission>,
    name: &str,
) -> Result<Incoming, SubmissionError> {
    let submission = &read.content;
    let refuse = |reason: String| SubmissionError::Refused {
        file: name.to_string(),
        reason,
    };
    let Some((order, package)) = store.issued_package(&submission.package_id)? else {
        return Err(refuse(format!(
            "このデータベースが発行したパッケージ（{}）から作られた提出ファイルではありません。別の取りまとめデータベースのものか、パッケージを作り直す前のものです",
            submission.package_id
        )));
    };
    let department = package.department.clone();
    if !read.signed_with(&package.secret) {
        return Err(refuse(format!(
            "署名が一致しません。{department} に配布したパッケージから作られたファイルではないか、作成後に書き換えられています。{department} に提出し直してもらってください"
        )));
    }
    if submission.department != department
        || submission.period.year != package.year
        || submission.period.half != package.half
    {
        return Err(refuse(format!(
            "提出ファイルの担当課・期が、発行したパッケージ（{department}、{}）と一致しません",
            period_label(package.year, package.half)
        )));
    }
    // Issued before a reorganisation that took its department or one of its measures away:
    // named with the department that answers for them now.
    let issued: Vec<(i64, i32)> = package
        .cells
        .iter()
        .map(|c| (c.key.measure_id, c.key.year))
        .collect();
    if let Some(reason) =
        crate::master::superseded_package(store, &department, package.revision, &issued)?
    {
        return Err(refuse(reason));
    }
    if let Some(newest) = store.newest_submission(&department, package.year, package.half)? {
        if (order, submission.department_revision)
            < (newest.package_order, newest.department_revision)
        {
            return Err(refuse(format!(
                "{department} のより新しい提出（{}、{} に統合）を統合済みです。古い提出は統合しません",
                newest.file, newest.received_at
            )));
        }
    }
    let issued: std::collections::HashMap<CellKey, &IssuedCell> =
        package.cells.iter().map(|c| (c.key, c)).collect();
    let mut cells = Vec::with_capacity(submission.cells.len());
    // A cell listed twice would be applied twice and counted as two changes, the later value
    // silently winning: a file our submit never writes, so it is refused whole.
    let mut listed = std::collections::HashSet::with_capacity(submission.cells.len());
    for c in &submission.cells {
        let key = CellKey {
            measure_id: c.measure_id,
            year: c.year,
            field: c.field,
        };
        if !listed.insert(key) {
            return Err(refuse(format!(
                "実施内容 ID {} の {} {} が 2 回書かれています。どちらの値を取るか決められないため、このファイルは統合しません。{department} に提出し直してもらってください",
                c.measure_id,
                crate::wareki::fiscal_year_label(c.year),
                c.field.label()
            )));
        }
        let Some(base) = issued.get(&key) else {
            return Err(refuse(format!(
                "実施内容 ID {} の {} {} は {department} に発行していない欄です",
                c.measure_id,
                crate::wareki::fiscal_year_label(c.year),
                c.field.label()
            )));
        };
        cells.push(IncomingCell {
            key,
            base_revision: base.revision,
            base_value: base.value.clone(),
            value: c.value.clone(),
        });
    }
    // A later submission of the same package takes as its base what the coordinator saw of the
    // earlier ones (the merge's rule): a cell put back to what the package issued is a change.
    Ok(Incoming {
        department,
        year: package.year,
        half: package.half,
        issue: Issue::Package(submission.package_id.clone()),
        cells,
        source: Source::Submission(name.to_string()),
    })
}
