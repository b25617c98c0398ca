//! Numbered SQL migrations embedded at compile time; the version lives in `PRAGMA user_version`.

use rusqlite::Connection;

/// Every migration in order; the schema version is the count applied. Never edit a released one.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_submissions.sql"),
    include_str!("migrations/0003_signed_packages.sql"),
    include_str!("migrations/0004_reorganisation.sql"),
    include_str!("migrations/0005_decisions.sql"),
    include_str!("migrations/0006_return_revision.sql"),
];

/// The schema version this build writes.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// Reads `user_version`; fails on a file that is not SQLite, before anything is written.
pub fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Applies the migrations after `from` in one transaction and records the new version.
pub fn apply(conn: &mut Connection, from: i64) -> rusqlite::Result<()> {
    if from >= LATEST_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for sql in &MIGRATIONS[from as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", LATEST_VERSION)?;
    tx.commit()
}
