//! Three-way merge of a department's changes into the report, per cell, against the base
//! revision the department started from. Used by submissions and by sheets returned in Excel.
//!
//! CONTRACT (filled in by the submissions work; the sheet importer calls it as is):
//! a cell changed only by the department is taken; changed on both sides to different values
//! is a conflict kept for the coordinator and not applied; each `Incoming` is all or nothing.

use serde::Serialize;

use crate::model::{CellKey, Half, Source};
use crate::store::{Store, StoreError};

/// One cell as the department returns it, with what it was when the department received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingCell {
    pub key: CellKey,
    /// The cell's revision in the coordinator's database when it was sent out (0: never written).
    pub base_revision: i64,
    /// The cell's value when it was sent out.
    pub base_value: String,
    /// The department's value now.
    pub value: String,
}

/// A department's return: a submission file or a sheet filled in Excel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub department: String,
    /// The reporting period it answers.
    pub year: i32,
    pub half: Half,
    pub cells: Vec<IncomingCell>,
    /// Recorded in the history of every cell it changes.
    pub source: Source,
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeOutcome {
    /// Cells written.
    pub applied: usize,
    /// Cells the department did not change, or changed to what the report already holds.
    pub unchanged: usize,
    /// Cells changed on both sides: kept for the coordinator to choose, nothing written for them.
    pub conflicts: Vec<CellKey>,
}

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Merges `incoming` into the report as one action.
pub fn merge(_store: &mut Store, _incoming: &Incoming) -> Result<MergeOutcome, MergeError> {
    Err(MergeError::Refused("統合はまだ使えません".into()))
}
