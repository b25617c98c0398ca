//! What the files hold: the request package and the submission, as written to JSON (format
//! version 2, docs/submission-format.md), and the two kinds of file by their extension.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::document::ReportDocument;
use crate::model::{Field, Half};

/// The format version this build writes and reads.
pub const VERSION: u32 = 2;
pub(super) const PACKAGE_FORMAT: &str = "shinchoku-package";
pub(super) const SUBMISSION_FORMAT: &str = "shinchoku-submission";

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
