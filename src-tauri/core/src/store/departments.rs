//! `department`: the 課 that own measures.

use rusqlite::{Connection, OptionalExtension};

use super::{Result, Store, Write};
use crate::model::{Department, DepartmentId};

fn list(conn: &Connection) -> rusqlite::Result<Vec<Department>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM department ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok(Department {
            id: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    rows.collect()
}

/// The department `name` refers to: the one spelled so, else the one of the same identity
/// (`crate::name::find`: ﾃﾞｼﾞﾀﾙ戦略課 finds デジタル戦略課). A city has a few dozen departments,
/// so they are compared here rather than by a key column.
fn find(conn: &Connection, name: &str) -> rusqlite::Result<Option<Department>> {
    Ok(crate::name::find(&list(conn)?, name).cloned())
}

fn name_of(conn: &Connection, id: DepartmentId) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT name FROM department WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

impl Store {
    pub fn departments(&self) -> Result<Vec<Department>> {
        Ok(list(&self.conn)?)
    }

    pub fn department_by_name(&self, name: &str) -> Result<Option<Department>> {
        Ok(find(&self.conn, name)?)
    }
}

impl Write<'_> {
    pub fn departments(&self) -> Result<Vec<Department>> {
        Ok(list(&self.tx)?)
    }

    pub fn department_by_name(&self, name: &str) -> Result<Option<Department>> {
        Ok(find(&self.tx, name)?)
    }

    /// A department's name by id.
    pub fn department_name(&self, id: DepartmentId) -> Result<Option<String>> {
        Ok(name_of(&self.tx, id)?)
    }

    /// The department of that name, created when it does not exist yet.
    pub fn ensure_department(&mut self, name: &str) -> Result<DepartmentId> {
        if let Some(found) = find(&self.tx, name)? {
            return Ok(found.id);
        }
        self.touched = true;
        self.tx
            .execute("INSERT INTO department (name) VALUES (?1)", [name.trim()])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn rename_department(&mut self, id: DepartmentId, name: &str) -> Result<()> {
        self.touched = true;
        self.tx.execute(
            "UPDATE department SET name = ?2 WHERE id = ?1",
            (id, name.trim()),
        )?;
        Ok(())
    }
}
