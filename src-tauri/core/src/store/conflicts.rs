//! `conflict`: cells changed both by the coordinator and by a department since the department's
//! base, waiting for the coordinator's choice, and once settled, how. A later return of the same
//! department replaces its earlier conflict on the same cell; a new conflict on a cell replaces
//! the settled one.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::cells::key_at;
use super::{Result, Store, Write};
use crate::model::CellKey;

/// A conflict, the three values side by side: waiting for the coordinator, or settled.
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
    /// The issue the return answered (a package id, or a sheet's; see `merge::Incoming`): the
    /// department's value decided here is the base of its later returns of the same issue.
    #[serde(skip)]
    pub issue: String,
    /// `None` while it waits.
    pub settled: Option<Settled>,
}

/// How a conflict was settled, when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settled {
    pub how: Settlement,
    /// 取りまとめ, or the department whose later return settled it.
    pub by: String,
    pub at: String,
    /// What the cell held once settled.
    pub value: String,
}

/// How a conflict ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Settlement {
    /// The coordinator took the department's value.
    Department,
    /// The coordinator kept the report's value.
    Coordinator,
    /// The coordinator went back to the value both started from.
    Base,
    /// The coordinator wrote something else.
    Other,
    /// The department's later return holds what the report holds.
    Agreed,
    /// The department's later return was applied over it (the coordinator's change had gone).
    Superseded,
}

impl Settlement {
    const ALL: [Settlement; 6] = [
        Settlement::Department,
        Settlement::Coordinator,
        Settlement::Base,
        Settlement::Other,
        Settlement::Agreed,
        Settlement::Superseded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Settlement::Department => "department",
            Settlement::Coordinator => "coordinator",
            Settlement::Base => "base",
            Settlement::Other => "other",
            Settlement::Agreed => "agreed",
            Settlement::Superseded => "superseded",
        }
    }

    pub fn from_code(code: &str) -> Option<Settlement> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As shown to users: the conflicts list, the board and the cell's history.
    pub fn label(self) -> &'static str {
        match self {
            Settlement::Department => "担当課の値を採用",
            Settlement::Coordinator => "取りまとめの値を維持",
            Settlement::Base => "元の値に戻す",
            Settlement::Other => "別の値を記入",
            Settlement::Agreed => "担当課が取りまとめの値に合わせた",
            Settlement::Superseded => "担当課の再提出を反映",
        }
    }
}

fn list(conn: &Connection, settled: bool) -> Result<Vec<Conflict>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.measure_id, c.year, c.field, c.department, c.base_value, c.coordinator_value,
           c.department_value, c.source, c.received_at, c.issue, c.settled_at, c.settled_by,
           c.settlement, c.settled_value
         FROM conflict c JOIN measure m ON m.id = c.measure_id
         WHERE (c.settled_at IS NOT NULL) = ?1
         ORDER BY m.position, c.year, c.field",
    )?;
    let rows = stmt.query_map([settled], |r| {
        let Some(key) = key_at(r, 0)? else {
            return Ok(None);
        };
        let settled = match r.get::<_, Option<String>>(10)? {
            Some(at) => Some(Settled {
                at,
                by: r.get(11)?,
                // Written by this version or a newer one: a settlement unknown here is shown as
                // the coordinator's own value.
                how: Settlement::from_code(&r.get::<_, String>(12)?).unwrap_or(Settlement::Other),
                value: r.get(13)?,
            }),
            None => None,
        };
        Ok(Some(Conflict {
            key,
            department: r.get(3)?,
            base_value: r.get(4)?,
            coordinator_value: r.get(5)?,
            department_value: r.get(6)?,
            source: r.get(7)?,
            received_at: r.get(8)?,
            issue: r.get(9)?,
            settled,
        }))
    })?;
    let mut out = Vec::new();
    for conflict in rows {
        out.extend(conflict?);
    }
    Ok(out)
}

fn count(conn: &Connection, department: &str, settled: bool) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM conflict WHERE department = ?1
             AND (settled_at IS NOT NULL) = ?2",
        )?
        .query_row((department, settled), |r| r.get(0))?)
}

impl Store {
    /// The conflicts waiting for the coordinator, in sheet order.
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        list(&self.conn, false)
    }

    /// The conflicts settled, the last of each cell, in sheet order.
    pub fn settled_conflicts(&self) -> Result<Vec<Conflict>> {
        list(&self.conn, true)
    }

    /// How many conflicts of a department wait.
    pub fn conflict_count(&self, department: &str) -> Result<usize> {
        count(&self.conn, department, false)
    }

    /// How many conflicts of a department were settled (the last of each cell).
    pub fn settled_conflict_count(&self, department: &str) -> Result<usize> {
        count(&self.conn, department, true)
    }
}

impl Write<'_> {
    /// Removes every conflict, for a new term's report.
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
                 WHERE measure_id = ?1 AND year = ?2 AND field = ?3 AND settled_at IS NULL",
            )?
            .query_row((key.measure_id, key.year, key.field.code()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?)
    }

    /// Records a waiting conflict, replacing the one on the same cell, waiting or settled.
    pub fn put_conflict(&mut self, conflict: &Conflict) -> Result<()> {
        self.touched = true;
        let key = conflict.key;
        self.tx.execute(
            "INSERT INTO conflict (measure_id, year, field, department, base_value, coordinator_value,
               department_value, source, received_at, issue) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (measure_id, year, field) DO UPDATE SET department = excluded.department,
               base_value = excluded.base_value, coordinator_value = excluded.coordinator_value,
               department_value = excluded.department_value, source = excluded.source,
               received_at = excluded.received_at, issue = excluded.issue, settled_at = NULL,
               settled_by = '', settlement = '', settled_value = ''",
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
                conflict.issue,
            ],
        )?;
        Ok(())
    }

    /// Settles the conflict waiting on a cell (only a department's own, when one is named) by
    /// this action's actor, now, leaving the cell holding `value`; whether one was settled.
    pub fn settle_conflict(
        &mut self,
        key: &CellKey,
        department: Option<&str>,
        how: Settlement,
        value: &str,
    ) -> Result<bool> {
        let settled = self
            .tx
            .prepare_cached(
                "UPDATE conflict SET settled_at = ?5, settled_by = ?6, settlement = ?7,
                   settled_value = ?8
                 WHERE measure_id = ?1 AND year = ?2 AND field = ?3 AND settled_at IS NULL
                 AND (?4 IS NULL OR department = ?4)",
            )?
            .execute(rusqlite::params![
                key.measure_id,
                key.year,
                key.field.code(),
                department,
                self.at,
                self.actor,
                how.code(),
                value,
            ])?;
        if settled > 0 {
            self.touched = true;
        }
        Ok(settled > 0)
    }
}
