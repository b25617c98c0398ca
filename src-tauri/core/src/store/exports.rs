//! `sheet_export_log`: the sheets this database exported, by report revision. A returned sheet
//! names the revision it was exported at; only a revision found here is taken as its base.

use super::{Result, Store, Write};

impl Store {
    /// Whether a sheet was exported at `revision`, for `department` or for every department.
    pub fn sheet_exported_at(&self, revision: i64, department: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM sheet_export_log WHERE revision = ?1
                   AND (department = '' OR department = ?2))",
            )?
            .query_row((revision, department), |r| r.get(0))?)
    }
}

impl Write<'_> {
    /// Forgets the sheets exported, for a new term's report.
    pub fn clear_sheet_export_log(&mut self) -> Result<()> {
        self.touched = true;
        self.tx.execute("DELETE FROM sheet_export_log", [])?;
        Ok(())
    }

    /// Records an exported sheet. Not a change of the report: the revision stays.
    pub fn log_sheet_export(&mut self, revision: i64, department: &str, file: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sheet_export_log (revision, department, file, exported_at)
             VALUES (?1, ?2, ?3, ?4)",
            (revision, department, file, &self.at),
        )?;
        Ok(())
    }
}
