//! `cell` and `cell_change`: the values departments write, and the history of every change.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

use super::{Result, Store, Write};
use crate::model::{CellKey, CellValue, Field};

/// The cell key in three columns of a row, from `first` on: measure id, year and field code.
/// `None` for a field code this version does not know (a row written by a newer version).
pub(crate) fn key_at(r: &Row<'_>, first: usize) -> rusqlite::Result<Option<CellKey>> {
    let measure_id = r.get(first)?;
    let year = r.get(first + 1)?;
    let field: String = r.get(first + 2)?;
    Ok(Field::from_code(&field).map(|field| CellKey {
        measure_id,
        year,
        field,
    }))
}

fn all(conn: &Connection) -> rusqlite::Result<BTreeMap<CellKey, CellValue>> {
    let mut stmt =
        conn.prepare_cached("SELECT measure_id, year, field, value, revision FROM cell")?;
    let rows = stmt.query_map([], |r| {
        let Some(key) = key_at(r, 0)? else {
            return Ok(None);
        };
        Ok(Some(CellValue {
            key,
            value: r.get(3)?,
            revision: r.get(4)?,
        }))
    })?;
    let mut cells = BTreeMap::new();
    for cell in rows {
        if let Some(cell) = cell? {
            cells.insert(cell.key, cell);
        }
    }
    Ok(cells)
}

fn one(conn: &Connection, key: &CellKey) -> rusqlite::Result<Option<CellValue>> {
    // Cached: a merge or an import looks up one cell at a time, thousands of times.
    conn.prepare_cached(
        "SELECT value, revision FROM cell WHERE measure_id = ?1 AND year = ?2 AND field = ?3",
    )?
    .query_row((key.measure_id, key.year, key.field.code()), |r| {
        Ok(CellValue {
            key: *key,
            value: r.get(0)?,
            revision: r.get(1)?,
        })
    })
    .optional()
}

/// One entry of a cell's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellChange {
    pub id: i64,
    pub key: CellKey,
    pub old_value: String,
    pub new_value: String,
    pub revision: i64,
    /// Local time, `YYYY-MM-DDTHH:MM:SS`.
    pub changed_at: String,
    /// 取りまとめ or the department's name.
    pub actor: String,
    /// Where the change came from, as shown to users.
    pub source: String,
}

impl Store {
    /// Every written cell of the report.
    pub fn cells(&self) -> Result<BTreeMap<CellKey, CellValue>> {
        Ok(all(&self.conn)?)
    }

    /// One cell; `None` when it was never written (a blank cell).
    pub fn cell(&self, key: &CellKey) -> Result<Option<CellValue>> {
        Ok(one(&self.conn, key)?)
    }

    /// One entry of the history, by id.
    pub fn change(&self, id: i64) -> Result<Option<CellChange>> {
        let change = self
            .conn
            .query_row(
                "SELECT measure_id, year, field, old_value, new_value, revision, changed_at, actor, source
                 FROM cell_change WHERE id = ?1",
                [id],
                |r| {
                    let Some(key) = key_at(r, 0)? else {
                        return Ok(None);
                    };
                    Ok(Some(CellChange {
                        id,
                        key,
                        old_value: r.get(3)?,
                        new_value: r.get(4)?,
                        revision: r.get(5)?,
                        changed_at: r.get(6)?,
                        actor: r.get(7)?,
                        source: r.get(8)?,
                    }))
                },
            )
            .optional()?;
        Ok(change.flatten())
    }

    /// A cell's history, newest first.
    /// A cell's value as it was at report revision `revision`, with the revision it was written
    /// at (`revision` itself when it changed since): the cell now when it has not changed since,
    /// else the old value of its first change after that revision.
    pub fn value_at(&self, key: &CellKey, revision: i64) -> Result<(i64, String)> {
        let now = one(&self.conn, key)?;
        if let Some(now) = now.as_ref().filter(|c| c.revision <= revision) {
            return Ok((now.revision, now.value.clone()));
        }
        let before = self
            .conn
            .prepare_cached(
                "SELECT old_value FROM cell_change
                 WHERE measure_id = ?1 AND year = ?2 AND field = ?3 AND revision > ?4
                 ORDER BY id LIMIT 1",
            )?
            .query_row(
                (key.measure_id, key.year, key.field.code(), revision),
                |r| r.get::<_, String>(0),
            )
            .optional()?;
        Ok(match (now, before) {
            (None, _) => (0, String::new()),
            (Some(_), Some(old)) => (revision, old),
            // Changed since, with no history of it (written before the history existed).
            (Some(_), None) => (revision, String::new()),
        })
    }

    pub fn cell_history(&self, key: &CellKey) -> Result<Vec<CellChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, old_value, new_value, revision, changed_at, actor, source FROM cell_change
             WHERE measure_id = ?1 AND year = ?2 AND field = ?3 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map((key.measure_id, key.year, key.field.code()), |r| {
            Ok(CellChange {
                id: r.get(0)?,
                key: *key,
                old_value: r.get(1)?,
                new_value: r.get(2)?,
                revision: r.get(3)?,
                changed_at: r.get(4)?,
                actor: r.get(5)?,
                source: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Write<'_> {
    /// Removes every cell, for a new term's report; their history stays, for the record.
    pub fn clear_cells(&mut self) -> Result<()> {
        self.touched = true;
        self.tx.execute("DELETE FROM cell", [])?;
        Ok(())
    }

    pub fn cell(&self, key: &CellKey) -> Result<Option<CellValue>> {
        Ok(one(&self.tx, key)?)
    }

    pub fn cells(&self) -> Result<BTreeMap<CellKey, CellValue>> {
        Ok(all(&self.tx)?)
    }

    /// Records in a cell's history a decision that kept its value (a conflict settled by keeping
    /// the report's value): without it the history would not show that anything was decided.
    /// Its source names the decision; old and new value are the same.
    pub fn note_kept_cell(&mut self, key: &CellKey) -> Result<()> {
        let value = one(&self.tx, key)?.map(|c| c.value).unwrap_or_default();
        self.touched = true;
        self.tx
            .prepare_cached(
                "INSERT INTO cell_change (measure_id, year, field, old_value, new_value, revision,
                   changed_at, actor, source) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute((
                key.measure_id,
                key.year,
                key.field.code(),
                &value,
                self.revision,
                &self.at,
                &self.actor,
                &self.source,
            ))?;
        Ok(())
    }

    /// Writes a cell and records the change in its history. Writing the value a cell already
    /// holds changes nothing (no history entry, no new revision): re-imports are idempotent.
    /// Returns whether the cell changed. Callers validate the value first.
    pub fn put_cell(&mut self, key: &CellKey, value: &str) -> Result<bool> {
        let old = one(&self.tx, key)?.map(|c| c.value).unwrap_or_default();
        if old == value {
            return Ok(false);
        }
        self.touched = true;
        self.tx
            .prepare_cached(
                "INSERT INTO cell (measure_id, year, field, value, revision) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (measure_id, year, field) DO UPDATE SET value = excluded.value,
                   revision = excluded.revision",
            )?
            .execute((key.measure_id, key.year, key.field.code(), value, self.revision))?;
        self.tx
            .prepare_cached(
                "INSERT INTO cell_change (measure_id, year, field, old_value, new_value, revision,
                   changed_at, actor, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute((
                key.measure_id,
                key.year,
                key.field.code(),
                &old,
                value,
                self.revision,
                &self.at,
                &self.actor,
                &self.source,
            ))?;
        Ok(true)
    }
}
