//! `reorganisation`: every change of who owns what (departments merged, split, renamed; measures
//! moved and ended), and `measure.last_year`, the year a measure ended with.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

use super::{Result, Store, StoreError, Write};
use crate::model::{DepartmentId, MeasureId};

/// What a reorganisation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Departments merged into one (統合).
    Merge,
    /// A department's measures shared out among others (分割).
    Split,
    /// A department renamed (改称).
    Rename,
    /// One measure given to another department (移管).
    Move,
    /// A measure ended after its last year (終了).
    Retire,
}

impl ChangeKind {
    fn code(self) -> &'static str {
        match self {
            ChangeKind::Merge => "merge",
            ChangeKind::Split => "split",
            ChangeKind::Rename => "rename",
            ChangeKind::Move => "move",
            ChangeKind::Retire => "retire",
        }
    }

    fn from_code(code: &str) -> Option<ChangeKind> {
        [
            ChangeKind::Merge,
            ChangeKind::Split,
            ChangeKind::Rename,
            ChangeKind::Move,
            ChangeKind::Retire,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    /// 統合, 分割, 改称, 移管, 終了
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Merge => "統合",
            ChangeKind::Split => "分割",
            ChangeKind::Rename => "改称",
            ChangeKind::Move => "移管",
            ChangeKind::Retire => "終了",
        }
    }
}

/// One recorded change of ownership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reorganisation {
    pub kind: ChangeKind,
    /// The measure that changed hands or ended; `None` when the row says a department is gone
    /// (merged, split or renamed into `to_department`).
    pub measure_id: Option<MeasureId>,
    pub from_department: String,
    pub to_department: String,
    /// For an ended measure: its last fiscal year.
    pub last_year: Option<i32>,
    /// The report revision of the change: packages issued at a lower one predate it.
    pub revision: i64,
    /// Local time, `YYYY-MM-DDTHH:MM:SS`.
    pub changed_at: String,
    pub actor: String,
}

/// A change to record; the action's revision, time and actor are added by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReorganisation<'a> {
    pub kind: ChangeKind,
    pub measure_id: Option<MeasureId>,
    pub from_department: &'a str,
    pub to_department: &'a str,
    pub last_year: Option<i32>,
}

const COLUMNS: &str =
    "kind, measure_id, from_department, to_department, last_year, revision, changed_at, actor";

fn from_row(r: &Row<'_>) -> rusqlite::Result<(String, Reorganisation)> {
    let kind: String = r.get(0)?;
    Ok((
        kind,
        Reorganisation {
            kind: ChangeKind::Merge,
            measure_id: r.get(1)?,
            from_department: r.get(2)?,
            to_department: r.get(3)?,
            last_year: r.get(4)?,
            revision: r.get(5)?,
            changed_at: r.get(6)?,
            actor: r.get(7)?,
        },
    ))
}

/// The changes made after `revision`, oldest first.
fn after(conn: &Connection, revision: i64) -> Result<Vec<Reorganisation>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM reorganisation WHERE revision > ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([revision], from_row)?;
    let mut changes = Vec::new();
    for row in rows {
        let (code, mut change) = row?;
        // Written by us under a CHECK: unreadable only if edited by hand.
        change.kind = ChangeKind::from_code(&code).ok_or_else(|| StoreError::Damaged {
            what: format!("組織改正の記録（{code}）"),
        })?;
        changes.push(change);
    }
    Ok(changes)
}

fn last_year(conn: &Connection, id: MeasureId) -> rusqlite::Result<Option<i32>> {
    Ok(conn
        .prepare_cached("SELECT last_year FROM measure WHERE id = ?1")?
        .query_row([id], |r| r.get::<_, Option<i32>>(0))
        .optional()?
        .flatten())
}

impl Store {
    /// Every recorded change of ownership, oldest first.
    pub fn reorganisations(&self) -> Result<Vec<Reorganisation>> {
        after(&self.conn, i64::MIN)
    }

    /// The changes made after report revision `revision` (a package's), oldest first.
    pub fn reorganisations_after(&self, revision: i64) -> Result<Vec<Reorganisation>> {
        after(&self.conn, revision)
    }

    /// The last year of every measure that ended.
    pub fn measure_last_years(&self) -> Result<HashMap<MeasureId, i32>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, last_year FROM measure WHERE last_year IS NOT NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Write<'_> {
    /// Forgets who owned the past term's measures, for a new term's report (its copy keeps it).
    pub fn clear_reorganisations(&mut self) -> Result<()> {
        self.touched = true;
        self.tx.execute("DELETE FROM reorganisation", [])?;
        Ok(())
    }

    pub fn reorganisations(&self) -> Result<Vec<Reorganisation>> {
        after(&self.tx, i64::MIN)
    }

    /// The last year of a measure, `None` while it continues (or when there is no such measure).
    pub fn measure_last_year(&self, id: MeasureId) -> Result<Option<i32>> {
        Ok(last_year(&self.tx, id)?)
    }

    /// Ends a measure after `year`, or lets it continue again (`None`).
    pub fn set_measure_last_year(&mut self, id: MeasureId, year: Option<i32>) -> Result<()> {
        self.touched = true;
        self.tx.execute(
            "UPDATE measure SET last_year = ?2 WHERE id = ?1",
            (id, year),
        )?;
        Ok(())
    }

    /// Records a change of ownership under this action's revision, time and actor.
    pub fn record_reorganisation(&mut self, change: &NewReorganisation<'_>) -> Result<()> {
        self.touched = true;
        self.tx
            .prepare_cached(
                "INSERT INTO reorganisation (kind, measure_id, from_department, to_department,
                   last_year, revision, changed_at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute((
                change.kind.code(),
                change.measure_id,
                change.from_department,
                change.to_department,
                change.last_year,
                self.revision,
                &self.at,
                &self.actor,
            ))?;
        Ok(())
    }

    /// Removes a department that owns no measure any more (merged or split away).
    pub fn delete_department(&mut self, id: DepartmentId) -> Result<()> {
        self.touched = true;
        self.tx
            .execute("DELETE FROM department WHERE id = ?1", [id])?;
        Ok(())
    }
}
