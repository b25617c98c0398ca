//! Receiving submissions: each file read, authenticated against the coordinator's own record of
//! the package it answers, and merged all or nothing.

use std::path::PathBuf;

use serde::Serialize;

use super::types::{Approval, Submission, SUBMISSION_FORMAT};
use super::{file, FileError, SubmissionError};
use crate::backup;
use crate::merge::{self, Incoming, IncomingCell, Issue, MergeError, MergeOutcome};
use crate::model::{period_label, Actor, CellKey, Source};
use crate::store::{IssuedCell, ReceivedSubmission, Store};

/// Reads a submission from bytes as the merge does (kind, version, checksum), for tools and
/// the fuzzer; `file` names it in messages.
pub fn parse_submission(bytes: &[u8], file: &str) -> Result<Submission, FileError> {
    file::parse(bytes, file, SUBMISSION_FORMAT).map(|read| read.content)
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
