//! `conflict`: cells changed both by the coordinator and by a department since the department's
//! base, waiting for the coordinator's choice. A later return of the same department replaces its
//! earlier conflict on the same cell.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::cells::key_at;
use super::{Result, Store, Write};
use crate::model::CellKey;

/// A conflict waiting for the coordinator, shown side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub key: CellKey,
    pub department: String,
    pub base_value: String,
    pub coordinator_value: String,
    pub department_value: String,
    /// Where the department's value came from (file name).
    pub source: String,
    pub received_at: String,
}

fn list(conn: &Connection) -> Result<Vec<Conflict>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.measure_id, c.year, c.field, c.department, c.base_value, c.coordinator_value,
           c.department_value, c.source, c.received_at
         FROM conflict c JOIN measure m ON m.id = c.measure_id ORDER BY m.position, c.year, c.field",
    )?;
    let rows = stmt.query_map([], |r| {
        let Some(key) = key_at(r, 0)? else {
            return Ok(None);
        };
        Ok(Some(Conflict {
            key,
            department: r.get(3)?,
            base_value: r.get(4)?,
            coordinator_value: r.get(5)?,
            department_value: r.get(6)?,
            source: r.get(7)?,
            received_at: r.get(8)?,
        }))
    })?;
    let mut out = Vec::new();
    for conflict in rows {
        out.extend(conflict?);
    }
    Ok(out)
}

impl Store {
    /// The conflicts waiting for the coordinator, in sheet order.
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        list(&self.conn)
    }

    /// How many conflicts of a department wait.
    pub fn conflict_count(&self, department: &str) -> Result<usize> {
        Ok(self
            .conn
            .prepare_cached("SELECT count(*) FROM conflict WHERE department = ?1")?
            .query_row([department], |r| r.get(0))?)
    }
}

impl Write<'_> {
    /// Removes every waiting conflict, for a new term's report.
    pub fn clear_conflicts(&mut self) -> Result<()> {
        self.touched = true;
        self.tx.execute("DELETE FROM conflict", [])?;
        Ok(())
    }

    /// The values of the conflict waiting on a cell: base, coordinator's, department's.
    pub fn conflict_values(&self, key: &CellKey) -> Result<Option<(String, String, String)>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT base_value, coordinator_value, department_value FROM conflict
                 WHERE measure_id = ?1 AND year = ?2 AND field = ?3",
            )?
            .query_row((key.measure_id, key.year, key.field.code()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?)
    }

    /// Records a conflict, replacing the one on the same cell.
    pub fn put_conflict(&mut self, conflict: &Conflict) -> Result<()> {
        self.touched = true;
        let key = conflict.key;
        self.tx.execute(
            "INSERT INTO conflict (measure_id, year, field, department, base_value, coordinator_value,
               department_value, source, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (measure_id, year, field) DO UPDATE SET department = excluded.department,
               base_value = excluded.base_value, coordinator_value = excluded.coordinator_value,
               department_value = excluded.department_value, source = excluded.source,
               received_at = excluded.received_at",
            rusqlite::params![
                key.measure_id,
                key.year,
                key.field.code(),
                conflict.department,
                conflict.base_value,
                conflict.coordinator_value,
                conflict.department_value,
                conflict.source,
                conflict.received_at,
            ],
        )?;
        Ok(())
    }

    /// Closes the conflict on a cell (only a department's own, when one is named); whether one
    /// was closed.
    pub fn clear_conflict(&mut self, key: &CellKey, department: Option<&str>) -> Result<bool> {
        let removed = self
            .tx
            .prepare_cached(
                "DELETE FROM conflict WHERE measure_id = ?1 AND year = ?2 AND field = ?3
                 AND (?4 IS NULL OR department = ?4)",
            )?
            .execute((key.measure_id, key.year, key.field.code(), department))?;
        if removed > 0 {
            self.touched = true;
        }
        Ok(removed > 0)
    }
}
