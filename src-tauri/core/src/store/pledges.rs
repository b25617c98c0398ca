//! `pledge`: the numbered 公約.

use rusqlite::{Connection, OptionalExtension};

use super::{Result, Store, Write};
use crate::model::{Pledge, PledgeId};

fn list(conn: &Connection) -> rusqlite::Result<Vec<Pledge>> {
    let mut stmt = conn.prepare_cached("SELECT id, number, title FROM pledge ORDER BY number")?;
    let rows = stmt.query_map([], |r| {
        Ok(Pledge {
            id: r.get(0)?,
            number: r.get(1)?,
            title: r.get(2)?,
        })
    })?;
    rows.collect()
}

fn find(conn: &Connection, number: u32) -> rusqlite::Result<Option<Pledge>> {
    conn.prepare_cached("SELECT id, number, title FROM pledge WHERE number = ?1")?
        .query_row([number], |r| {
            Ok(Pledge {
                id: r.get(0)?,
                number: r.get(1)?,
                title: r.get(2)?,
            })
        })
        .optional()
}

impl Store {
    pub fn pledges(&self) -> Result<Vec<Pledge>> {
        Ok(list(&self.conn)?)
    }

    pub fn pledge_by_number(&self, number: u32) -> Result<Option<Pledge>> {
        Ok(find(&self.conn, number)?)
    }
}

impl Write<'_> {
    /// Removes every pledge, for a new term's report (after its measures).
    pub fn clear_pledges(&mut self) -> Result<()> {
        self.touched = true;
        self.tx.execute("DELETE FROM pledge", [])?;
        Ok(())
    }

    pub fn pledges(&self) -> Result<Vec<Pledge>> {
        Ok(list(&self.tx)?)
    }

    pub fn pledge_by_number(&self, number: u32) -> Result<Option<Pledge>> {
        Ok(find(&self.tx, number)?)
    }

    /// The pledge with that number; created with `title` when missing, its title updated otherwise.
    pub fn upsert_pledge(&mut self, number: u32, title: &str) -> Result<PledgeId> {
        self.touched = true;
        if let Some(found) = find(&self.tx, number)? {
            if found.title != title {
                self.tx.execute(
                    "UPDATE pledge SET title = ?2 WHERE id = ?1",
                    (found.id, title),
                )?;
            }
            return Ok(found.id);
        }
        self.tx.execute(
            "INSERT INTO pledge (number, title) VALUES (?1, ?2)",
            (number, title),
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn delete_pledge(&mut self, id: PledgeId) -> Result<()> {
        self.touched = true;
        self.tx.execute("DELETE FROM pledge WHERE id = ?1", [id])?;
        Ok(())
    }
}
