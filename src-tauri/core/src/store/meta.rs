//! `report_meta`: the report's title, its revision counter, and whether it is the read-only
//! copy of a past term.

use rusqlite::{Connection, OptionalExtension};

use super::{Result, Store, Write};

const REVISION: &str = "revision";
const TITLE: &str = "title";
/// Set in the copy a new term leaves of the report before it (`term::start_new_term`): when.
const ARCHIVED_AT: &str = "archived_at";

pub(super) fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM report_meta WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

pub(super) fn put(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO report_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

pub(super) fn archived_at(conn: &Connection) -> rusqlite::Result<Option<String>> {
    get(conn, ARCHIVED_AT)
}

pub(super) fn current_revision(conn: &Connection) -> rusqlite::Result<i64> {
    Ok(get(conn, REVISION)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

pub(super) fn set_revision(conn: &Connection, revision: i64) -> rusqlite::Result<()> {
    put(conn, REVISION, &revision.to_string())
}

impl Store {
    /// The report's title, 市長が掲げた重点政策 unless set.
    pub fn title(&self) -> Result<String> {
        Ok(get(&self.conn, TITLE)?.unwrap_or_else(|| "市長が掲げた重点政策".to_string()))
    }

    /// When this report became the read-only copy of a past term; `None` for a working report.
    pub fn archived_at(&self) -> Result<Option<String>> {
        Ok(get(&self.conn, ARCHIVED_AT)?)
    }

    /// A free setting of the report (an extension point for later features).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(get(&self.conn, key)?)
    }
}

impl Write<'_> {
    pub fn set_title(&mut self, title: &str) -> Result<()> {
        self.touched = true;
        Ok(put(&self.tx, TITLE, title)?)
    }

    /// Makes this report the read-only copy of a past term: every later write is refused.
    pub fn mark_archived(&mut self) -> Result<()> {
        self.touched = true;
        let at = self.at.clone();
        Ok(put(&self.tx, ARCHIVED_AT, &at)?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.touched = true;
        Ok(put(&self.tx, key, value)?)
    }
}
