//! `measure`: the 実施内容 rows of the sheet, in sheet order.

use rusqlite::{Connection, OptionalExtension, Row};

use super::{Result, Store, Write};
use crate::model::{DepartmentId, Measure, MeasureId, PledgeId};

const COLUMNS: &str =
    "id, pledge_id, department_id, pledge_caption, content, target_date, position, last_year";

/// `report_meta` key: the highest measure id a new term removed; new ids start above it.
const MEASURE_ID_FLOOR: &str = "measure_id_floor";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Measure> {
    Ok(Measure {
        id: r.get(0)?,
        pledge_id: r.get(1)?,
        department_id: r.get(2)?,
        pledge_caption: r.get(3)?,
        content: r.get(4)?,
        target_date: r.get(5)?,
        position: r.get(6)?,
        last_year: r.get(7)?,
    })
}

fn list(conn: &Connection) -> rusqlite::Result<Vec<Measure>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM measure ORDER BY position, id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

fn find(conn: &Connection, id: MeasureId) -> rusqlite::Result<Option<Measure>> {
    // Cached: every edit of a merge checks its measure.
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM measure WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// What a new measure needs; the store gives it an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeasure {
    pub pledge_id: PledgeId,
    pub department_id: DepartmentId,
    pub pledge_caption: String,
    pub content: String,
    pub target_date: String,
    /// `None` puts it after every other measure.
    pub position: Option<i64>,
}

impl Store {
    pub fn measures(&self) -> Result<Vec<Measure>> {
        Ok(list(&self.conn)?)
    }

    pub fn measure(&self, id: MeasureId) -> Result<Option<Measure>> {
        Ok(find(&self.conn, id)?)
    }
}

impl Write<'_> {
    pub fn measures(&self) -> Result<Vec<Measure>> {
        Ok(list(&self.tx)?)
    }

    pub fn measure(&self, id: MeasureId) -> Result<Option<Measure>> {
        Ok(find(&self.tx, id)?)
    }

    pub fn add_measure(&mut self, new: NewMeasure) -> Result<MeasureId> {
        self.touched = true;
        let position = match new.position {
            Some(p) => p,
            None => self.tx.query_row(
                "SELECT coalesce(max(position), 0) + 1 FROM measure",
                [],
                |r| r.get(0),
            )?,
        };
        // An id is never given twice, not even after a new term removed every measure: department
        // databases pair measures by it, and the cells' history names it.
        let floor = super::meta::get(&self.tx, MEASURE_ID_FLOOR)?
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0);
        self.tx.execute(
            "INSERT INTO measure (id, pledge_id, department_id, pledge_caption, content, target_date, position)
             VALUES (max(?7, (SELECT coalesce(max(id), 0) FROM measure)) + 1, ?1, ?2, ?3, ?4, ?5, ?6)",
            (new.pledge_id, new.department_id, &new.pledge_caption, &new.content, &new.target_date, position, floor),
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Replaces the heading cells of a measure (pledge, department, text, date, order).
    pub fn update_measure(&mut self, measure: &Measure) -> Result<()> {
        self.touched = true;
        self.tx.execute(
            "UPDATE measure SET pledge_id = ?2, department_id = ?3, pledge_caption = ?4, content = ?5,
             target_date = ?6, position = ?7 WHERE id = ?1",
            (measure.id, measure.pledge_id, measure.department_id, &measure.pledge_caption,
             &measure.content, &measure.target_date, measure.position),
        )?;
        Ok(())
    }

    /// Removes every measure (and by cascade its cells), for a new term's report. Their ids are
    /// remembered so that no later measure takes one of them.
    pub fn clear_measures(&mut self) -> Result<()> {
        self.touched = true;
        let highest: i64 =
            self.tx
                .query_row("SELECT coalesce(max(id), 0) FROM measure", [], |r| r.get(0))?;
        let floor = super::meta::get(&self.tx, MEASURE_ID_FLOOR)?
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0);
        super::meta::put(&self.tx, MEASURE_ID_FLOOR, &highest.max(floor).to_string())?;
        self.tx.execute("DELETE FROM measure", [])?;
        Ok(())
    }

    pub fn delete_measure(&mut self, id: MeasureId) -> Result<()> {
        self.touched = true;
        self.tx.execute("DELETE FROM measure WHERE id = ?1", [id])?;
        Ok(())
    }
}
