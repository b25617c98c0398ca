//! The department's side: a database started from its package, and the submission it writes,
//! signed with the package's secret, recording what was sent.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::types::{
    Approval, Package, Submission, SubmittedCell, PACKAGE_FORMAT, SUBMISSION_FORMAT, VERSION,
};
use super::{file, now, FileError, SubmissionError};
use crate::model::{Actor, Field, Half, PeriodState, Source};
use crate::report::Report;
use crate::store::{Store, StoreError};

/// Where a department database keeps the package it was started from.
pub(super) const PACKAGE_SETTING: &str = "package";
/// In a department database: the coordinator's measure id of each local measure, as
/// `[[coordinator, local], …]`, recorded when the database was made from the package.
pub(super) const MEASURE_IDS_SETTING: &str = "package_measure_ids";
/// In a department database: the package and the revision at which the database last agreed
/// with what the coordinator holds or was sent — when it was made or updated from the package,
/// or when its last submission was written. A change after it is unsent.
pub(super) const SYNCED_SETTING: &str = "package_synced";

/// The value of [`SYNCED_SETTING`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Synced {
    pub(super) package_id: String,
    pub(super) revision: i64,
}

impl Synced {
    /// Recorded inside the action it describes: that action's revision.
    pub(super) fn record(
        w: &mut crate::store::Write<'_>,
        package_id: &str,
    ) -> Result<(), StoreError> {
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
    pub(super) fn of(store: &Store, package: &Package) -> Result<Option<Synced>, StoreError> {
        Ok(store
            .setting(SYNCED_SETTING)?
            .and_then(|text| serde_json::from_str::<Synced>(&text).ok())
            .filter(|s| s.package_id == package.package_id))
    }
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
