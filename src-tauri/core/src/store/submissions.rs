//! `submission_log`: every department return merged (submission files and returned sheets),
//! with what the merge did; it answers "seen before?" and "is this one older?".

use rusqlite::OptionalExtension;

use super::{Result, Store, Write};
use crate::model::{CellKey, Half};

/// One return as it is logged when merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedSubmission<'a> {
    pub department: &'a str,
    pub year: i32,
    pub half: Half,
    pub file: &'a str,
    /// SHA-256 of the file's canonical form: the same file merged twice is noticed.
    pub checksum: &'a str,
    pub approved_by: &'a str,
    pub approved_on: &'a str,
    /// Empty for a returned sheet.
    pub package_id: &'a str,
    pub department_revision: i64,
    pub applied: usize,
    pub unchanged: usize,
    pub conflicts: usize,
}

/// The newest submission of a department merged for a period, by package and revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedSubmission {
    /// The issue order of its package (see [`Store::issued_package`]).
    pub package_order: i64,
    pub department_revision: i64,
    pub file: String,
    pub received_at: String,
}

impl Store {
    /// Whether a file with this checksum was merged before.
    pub fn submission_seen(&self, checksum: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM submission_log WHERE checksum = ?1)")?
            .query_row([checksum], |r| r.get(0))?)
    }

    /// The newest signed submission merged for a department's period.
    pub fn newest_submission(
        &self,
        department: &str,
        year: i32,
        half: Half,
    ) -> Result<Option<MergedSubmission>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT p.id, s.department_revision, s.file, s.received_at
                 FROM submission_log s JOIN package_log p ON p.package_id = s.package_id
                 WHERE s.package_id <> '' AND s.department = ?1 AND s.year = ?2 AND s.half = ?3
                 ORDER BY p.id DESC, s.department_revision DESC LIMIT 1",
            )?
            .query_row((department, year, half.code()), |r| {
                Ok(MergedSubmission {
                    package_order: r.get(0)?,
                    department_revision: r.get(1)?,
                    file: r.get(2)?,
                    received_at: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// The submission files of `package_id` merged from `department`, each with when it was
    /// merged (the time of the changes it made), oldest first.
    pub fn package_returns(
        &self,
        department: &str,
        package_id: &str,
    ) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT file, received_at FROM submission_log
             WHERE department = ?1 AND package_id = ?2 AND package_id <> '' ORDER BY id",
        )?;
        let rows = stmt.query_map((department, package_id), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The last return of a department for a period: when, which file, approved by whom.
    pub fn last_return(
        &self,
        department: &str,
        year: i32,
        half: Half,
    ) -> Result<Option<(String, String, String)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT received_at, file, approved_by FROM submission_log WHERE department = ?1
                 AND year = ?2 AND half = ?3 ORDER BY id DESC LIMIT 1",
            )?
            .query_row((department, year, half.code()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?)
    }

    /// How many cells a department's returns for a period applied in all.
    pub fn applied_cells(&self, department: &str, year: i32, half: Half) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT coalesce(sum(applied), 0) FROM submission_log WHERE department = ?1
                 AND year = ?2 AND half = ?3",
            )?
            .query_row((department, year, half.code()), |r| r.get(0))?)
    }
}

impl Write<'_> {
    /// Forgets the merged returns, for a new term's report (the past term's copy keeps them).
    pub fn clear_submission_log(&mut self) -> Result<()> {
        self.touched = true;
        self.tx.execute("DELETE FROM submission_log", [])?;
        Ok(())
    }

    /// Whether a cell holds what `department`'s own submissions of the period wrote, and only
    /// they changed it since report revision `since`: the department's own earlier value, which
    /// its newer submission replaces without a conflict. A change of a return merged before the
    /// revision was logged (NULL) is no one's, so it stays a conflict as it was.
    pub fn written_by_own_submissions(
        &self,
        department: &str,
        year: i32,
        half: Half,
        key: &CellKey,
        since: i64,
    ) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached(
                "WITH own (revision) AS (
                   SELECT revision FROM submission_log WHERE department = ?4 AND year = ?5
                     AND half = ?6 AND package_id <> '' AND revision IS NOT NULL)
                 SELECT EXISTS (
                   SELECT 1 FROM cell WHERE measure_id = ?1 AND year = ?2 AND field = ?3
                     AND revision IN own)
                 AND NOT EXISTS (
                   SELECT 1 FROM cell_change WHERE measure_id = ?1 AND year = ?2 AND field = ?3
                     AND revision > ?7 AND revision NOT IN own)",
            )?
            .query_row(
                rusqlite::params![
                    key.measure_id,
                    key.year,
                    key.field.code(),
                    department,
                    year,
                    half.code(),
                    since
                ],
                |r| r.get(0),
            )?)
    }

    /// Logs a merged return in the merge's own transaction, at the revision its changes take.
    pub fn log_submission(&mut self, received: &ReceivedSubmission<'_>) -> Result<()> {
        self.touched = true;
        self.tx.execute(
            "INSERT INTO submission_log (department, year, half, file, checksum, approved_by,
               approved_on, received_at, applied, unchanged, conflicts, package_id,
               department_revision, revision)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            rusqlite::params![
                received.department,
                received.year,
                received.half.code(),
                received.file,
                received.checksum,
                received.approved_by,
                received.approved_on,
                self.at,
                received.applied,
                received.unchanged,
                received.conflicts,
                received.package_id,
                received.department_revision,
                self.revision,
            ],
        )?;
        Ok(())
    }
}
