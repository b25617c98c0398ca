//! `seen_value`: per issue and cell, a department's value last seen in a merge — the base of
//! that department's later returns of the same issue (docs/submission-format.md).

use rusqlite::{Connection, OptionalExtension};

use super::{Result, Store, Write};
use crate::model::CellKey;

fn one(conn: &Connection, department: &str, issue: &str, key: &CellKey) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT value FROM seen_value WHERE department = ?1 AND issue = ?2
             AND measure_id = ?3 AND year = ?4 AND field = ?5",
        )?
        .query_row(
            (
                department,
                issue,
                key.measure_id,
                key.year,
                key.field.code(),
            ),
            |r| r.get(0),
        )
        .optional()?)
}

impl Store {
    /// The department's value of a cell last seen in a merge of a return of `issue`.
    pub fn seen_value(
        &self,
        department: &str,
        issue: &str,
        key: &CellKey,
    ) -> Result<Option<String>> {
        one(&self.conn, department, issue, key)
    }
}

impl Write<'_> {
    /// See [`Store::seen_value`].
    pub fn seen_value(
        &self,
        department: &str,
        issue: &str,
        key: &CellKey,
    ) -> Result<Option<String>> {
        one(&self.tx, department, issue, key)
    }

    /// Records the department's value of a cell as seen for `issue`, replacing the earlier one.
    pub fn put_seen_value(
        &mut self,
        department: &str,
        issue: &str,
        key: &CellKey,
        value: &str,
    ) -> Result<()> {
        if self.seen_value(department, issue, key)?.as_deref() == Some(value) {
            return Ok(()); // Seen again: nothing new, and a repeated return writes nothing.
        }
        self.touched = true;
        self.tx
            .prepare_cached(
                "INSERT INTO seen_value (department, issue, measure_id, year, field, value, seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (department, issue, measure_id, year, field) DO UPDATE SET
                   value = excluded.value, seen_at = excluded.seen_at",
            )?
            .execute((
                department,
                issue,
                key.measure_id,
                key.year,
                key.field.code(),
                value,
                &self.at,
            ))?;
        Ok(())
    }

    /// Forgets every seen value, for a new term's report (its packages are forgotten too).
    pub fn clear_seen_values(&mut self) -> Result<()> {
        self.touched = true;
        self.tx.execute("DELETE FROM seen_value", [])?;
        Ok(())
    }
}
