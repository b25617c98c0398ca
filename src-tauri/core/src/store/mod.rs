//! The SQLite store of one report: one connection, opened with the same pragmas every time,
//! versioned migrations, and one transaction per user action.
//!
//! Each table has its own file adding typed methods to [`Store`] (read) and [`Write`] (write).

mod cells;
mod conflicts;
mod departments;
mod exports;
pub mod location;
mod measures;
mod meta;
pub mod migrate;
mod packages;
mod pledges;
mod reorganisations;
mod seen_values;
mod submissions;
mod years;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::model::{Actor, Source};

pub use cells::CellChange;
pub use conflicts::{Conflict, Settled, Settlement};
pub use location::{is_network_folder, sqlite_name};
pub use measures::NewMeasure;
pub use packages::{IssuedCell, IssuedPackage};
pub use reorganisations::{ChangeKind, NewReorganisation, Reorganisation};
pub use submissions::{MergedSubmission, ReceivedSubmission};

/// What can go wrong with the database file itself.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The path names no file (and we were not asked to create one).
    #[error("データベース {path} が見つかりません")]
    Missing { path: PathBuf },
    /// `init` on a path that already holds a file: we never overwrite a report.
    #[error("{path} は既に存在します。別のファイル名を指定してください")]
    AlreadyExists { path: PathBuf },
    /// The file is not an SQLite database (a spreadsheet, a text file, a damaged file).
    #[error("{path} は shinchoku のデータベースではありません（SQLite ファイルとして読めません）")]
    NotADatabase { path: PathBuf },
    /// Written by a newer shinchoku: opening it could lose what that version keeps.
    #[error("{path} は新しいバージョンの shinchoku で作成されています（形式 {found}、このアプリは {supported} まで）。アプリを更新してください")]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// Another program holds the database locked for longer than the busy timeout.
    #[error(
        "データベース {path} は他のプログラムが使用中です。しばらくしてからもう一度お試しください"
    )]
    Busy { path: PathBuf },
    /// A fiscal year outside the years a report can hold: the file was edited by hand.
    #[error("データベースに扱えない年度 {year} が記録されています。バックアップから復元してください（shinchoku restore --list）")]
    BadYear { year: i64 },
    /// A record we wrote ourselves no longer reads: the file was edited by hand.
    #[error("データベースの{what}が読めません。バックアップから復元してください（shinchoku restore --list）")]
    Damaged { what: String },
    /// The read-only copy of a past term's report: it can be read and exported, never changed.
    #[error("{} は過去の任期の報告（{} に保管）で、読み取り専用です。変更はできません（出力はできます）", path.as_ref().map_or("この報告".into(), |p| p.display().to_string()), crate::wareki::datetime_label(archived_at))]
    Archived {
        path: Option<PathBuf>,
        archived_at: String,
    },
    /// The path is a folder, a named pipe or a device, or cannot be read at all.
    #[error(transparent)]
    Unreadable(#[from] crate::reading::ReadError),
    /// A file of 0 bytes: SQLite would take it for a new database and write one into it.
    #[error("{path} は空のファイルです（0 バイト）。shinchoku のデータベースではありません。新しく作る場合は shinchoku init を使ってください")]
    Empty { path: PathBuf },
    /// A change asked of a database that cannot be written (a read-only file, folder, share or
    /// disc). Raised before anything is done, so no sheet and no backup is left behind.
    #[error("{path} は書き込みできない場所（読み取り専用）にあるため、変更できません。閲覧と出力はできます。変更するには、書き込みできるフォルダにコピーしてから開いてください")]
    ReadOnly { path: PathBuf },
    /// A database of an older shinchoku that cannot be written: it would need migrating first.
    #[error("{path} は古い形式のデータベースで、書き込みできない場所にあるため開けません。書き込みできるフォルダにコピーしてから開いてください")]
    ReadOnlyOutdated { path: PathBuf },
    /// Anything else SQLite reports, in the user's words; the original stays as the source for
    /// the log.
    #[error("データベースの操作に失敗しました（{}）", crate::os_message::sqlite(.0))]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The one owner of the database connection.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    journal: Journal,
    /// Opened read-only: the file, its folder or its disc cannot be written.
    read_only: bool,
    /// Keeps every save of this process off this database while it is open.
    _protection: Option<crate::safe_save::Protection>,
}

/// How the database keeps its transactions safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Journal {
    /// Write-ahead log: readers and the writer apart (a database on this computer).
    Wal,
    /// The rollback journal, for a database in a network folder, where WAL cannot work.
    Rollback,
    /// A database in memory.
    Memory,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens an existing report database, migrating it forward if it is older than this build.
    /// Where it cannot be written (a read-only file, folder, share or disc), it is opened
    /// read-only: it can be read and exported, and every change is refused before it starts.
    pub fn open(path: &Path) -> Result<Store> {
        check_database_file(path)?;
        match Store::open_as(path, Access::ReadWrite) {
            Err(e) if e.is_read_only_place() => Store::open_as(path, Access::ReadOnly),
            opened => opened,
        }
    }

    fn open_as(path: &Path, access: Access) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = match access {
            Access::ReadWrite => Connection::open_with_flags(
                location::sqlite_name(path),
                flags | OpenFlags::SQLITE_OPEN_READ_WRITE,
            )?,
            Access::ReadOnly => Connection::open_with_flags(
                read_only_uri(path),
                flags | OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
            )?,
        };
        Store::prepare(conn, Some(path.to_path_buf()))
    }

    /// Creates a new, empty report database; refuses to touch an existing file.
    pub fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(StoreError::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
        let conn = Connection::open(location::sqlite_name(path))?;
        Store::prepare(conn, Some(path.to_path_buf()))
    }

    /// Opens the file if it exists, creates it otherwise (the app's default database).
    pub fn open_or_create(path: &Path) -> Result<Store> {
        if path.exists() {
            Store::open(path)
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Sqlite(rusqlite::Error::InvalidPath(PathBuf::from(format!(
                        "{}: {e}",
                        dir.display()
                    ))))
                })?;
            }
            Store::create(path)
        }
    }

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Store> {
        Store::prepare(Connection::open_in_memory()?, None)
    }

    /// Checks the file before writing anything to it, then sets the pragmas and migrates.
    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        let shown = || path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        // Reading the version is the first access: a file that is not SQLite fails here,
        // and a newer one is refused here, before the WAL switch rewrites its header.
        let version = match migrate::schema_version(&conn) {
            Ok(v) => v,
            Err(e) if is_not_a_database(&e) => {
                return Err(StoreError::NotADatabase { path: shown() })
            }
            Err(e) if is_busy(&e) => return Err(StoreError::Busy { path: shown() }),
            Err(e) => return Err(e.into()),
        };
        if version > migrate::LATEST_VERSION {
            return Err(StoreError::TooNew {
                path: shown(),
                found: version,
                supported: migrate::LATEST_VERSION,
            });
        }
        let journal = match &path {
            None => Journal::Memory,
            Some(p) if location::is_network_folder(p) => Journal::Rollback,
            Some(_) => Journal::Wal,
        };
        // SQLite opens a write-protected file read-only by itself; a read-only place was
        // opened so on purpose. Either way nothing is written: no journal switch, no migration.
        let read_only = conn.is_readonly(rusqlite::MAIN_DB)?;
        if read_only {
            conn.busy_timeout(Duration::from_secs(5))?;
            if version < migrate::LATEST_VERSION {
                return Err(StoreError::ReadOnlyOutdated { path: shown() });
            }
        } else {
            configure(&conn, journal)?;
            migrate::apply(&mut conn, version)?;
        }
        let _protection = path.as_deref().map(crate::safe_save::protect);
        Ok(Store {
            conn,
            path,
            journal,
            read_only,
            _protection,
        })
    }

    /// Whether the database was opened read-only (it cannot be written where it is).
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Refuses at once when no change can be written: a database opened read-only, or a past
    /// term's copy. Actions that do something before their first write (a backup, a sheet)
    /// ask this first, so a refusal leaves nothing behind.
    pub fn check_writable(&self) -> Result<()> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone().unwrap_or_default(),
            });
        }
        if let Some(archived_at) = meta::archived_at(&self.conn)? {
            return Err(StoreError::Archived {
                path: self.path.clone(),
                archived_at,
            });
        }
        Ok(())
    }

    /// Which journal the database uses (the rollback journal in a network folder).
    pub fn journal(&self) -> Journal {
        self.journal
    }

    /// Where the database lives, `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs `read` inside one read transaction: everything it reads is from one moment, even
    /// while another connection writes.
    pub fn read_snapshot<T, E>(
        &self,
        read: impl FnOnce(&Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        self.conn.execute_batch("BEGIN").map_err(StoreError::from)?;
        let value = read(self);
        self.conn
            .execute_batch("COMMIT")
            .map_err(StoreError::from)?;
        value
    }

    /// Runs one user action in one transaction: everything `action` writes is committed together
    /// under one new report revision, or nothing is, when it returns an error.
    pub fn write<T, E>(
        &mut self,
        actor: &Actor,
        source: &Source,
        action: impl FnOnce(&mut Write<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        // The one rule of what may be written, asked before the write lock is taken. (A report
        // becomes a past term's only as the copy that `term new` writes, never while open.)
        self.check_writable()?;
        // IMMEDIATE: the write lock is taken first, so a second writer (the CLI beside the window)
        // waits for it under the busy timeout instead of failing at once when a read inside the
        // action would have to become a write.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let revision = meta::current_revision(&tx).map_err(StoreError::from)? + 1;
        let mut write = Write {
            tx,
            revision,
            actor: actor.label(),
            source: source.label(),
            at: chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
            touched: false,
        };
        let value = action(&mut write)?;
        write.finish().map_err(StoreError::from)?;
        Ok(value)
    }

    /// The report revision: how many writing actions the database has seen.
    pub fn revision(&self) -> Result<i64> {
        Ok(meta::current_revision(&self.conn)?)
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`: the problems found, empty when sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(row);
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        for row in stmt.query_map([], |r| {
            Ok(format!(
                "外部キー違反: {} の行 {}",
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?
            ))
        })? {
            problems.push(row?);
        }
        Ok(problems)
    }
}

/// One user action's transaction, with who and where it came from for the history.
pub struct Write<'a> {
    tx: Transaction<'a>,
    revision: i64,
    actor: String,
    source: String,
    at: String,
    touched: bool,
}

impl Write<'_> {
    /// The revision this action writes at.
    pub fn revision(&self) -> i64 {
        self.revision
    }

    /// The local time of this action, `YYYY-MM-DDTHH:MM:SS`.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// Marks the action as a change even when no cell changed (a log row, a conflict).
    pub fn touch(&mut self) {
        self.touched = true;
    }

    /// Commits; the revision advances only when something was written.
    fn finish(self) -> rusqlite::Result<()> {
        if self.touched {
            meta::set_revision(&self.tx, self.revision)?;
        }
        self.tx.commit()
    }
}

/// How a database file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadWrite,
    ReadOnly,
}

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Checks that `path` is a database file before SQLite opens it, since SQLite would wait on a
/// named pipe and would take an empty file for a new database and write one into it.
fn check_database_file(path: &Path) -> Result<()> {
    use std::io::Read;
    let (mut file, size) = crate::reading::open_regular(path).map_err(|e| match e {
        crate::reading::ReadError::Missing { path } => StoreError::Missing { path },
        other => StoreError::Unreadable(other),
    })?;
    if size == 0 {
        // A database whose pages are all still in its write-ahead log (a crash right after
        // its creation) has an empty main file: SQLite recovers it from the log.
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return Ok(());
        }
        return Err(StoreError::Empty {
            path: path.to_path_buf(),
        });
    }
    let mut header = [0u8; 16];
    let whole = file.read_exact(&mut header).is_ok();
    if !whole || &header != SQLITE_HEADER {
        return Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// The URI that opens `path` read-only. With no write-ahead log beside it, the file is also
/// `immutable`: SQLite then needs no `-shm` index, which it could not create in a read-only
/// folder, share or disc (and nothing can change the file there meanwhile).
fn read_only_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut wal = absolute.as_os_str().to_owned();
    wal.push("-wal");
    let has_log = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    let mut uri = String::from("file:");
    let text = absolute.to_string_lossy().replace('\\', "/");
    if !text.starts_with('/') {
        uri.push('/'); // C:/… becomes file:/C:/…
    }
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                uri.push(byte as char)
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri.push_str(if has_log {
        "?mode=ro"
    } else {
        "?mode=ro&immutable=1"
    });
    uri
}

impl StoreError {
    /// Whether opening failed because the file or its folder cannot be written, so that a
    /// read-only open would succeed.
    fn is_read_only_place(&self) -> bool {
        matches!(self, StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if matches!(f.code, rusqlite::ErrorCode::ReadOnly
                | rusqlite::ErrorCode::CannotOpen
                | rusqlite::ErrorCode::PermissionDenied))
    }
}

/// Removes a database file and its WAL companions (a database that failed half way through
/// its creation, never a user's report).
pub fn remove_files(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        let _ = std::fs::remove_file(path);
    }
}

/// The pragmas every connection gets.
fn configure(conn: &Connection, journal: Journal) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // WAL keeps readers and the writer apart and survives a killed process; memory databases
    // answer "memory" and stay as they are. In a network folder WAL's shared memory would not
    // be shared between the computers: the rollback journal locks the file itself instead.
    let mode = match journal {
        Journal::Rollback => "DELETE",
        Journal::Wal | Journal::Memory => "WAL",
    };
    conn.query_row(&format!("PRAGMA journal_mode = {mode}"), [], |_| Ok(()))?;
    // FULL: a committed half-year of entries must survive a power cut, not only a killed process.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.code == rusqlite::ErrorCode::NotADatabase)
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

impl Store {
    /// Copies this database into `dst` through SQLite's online backup API: a consistent copy
    /// even while another connection writes.
    pub(crate) fn copy_to(&self, dst: &mut Connection) -> rusqlite::Result<()> {
        rusqlite::backup::Backup::new(&self.conn, dst)?.run_to_completion(256, Duration::ZERO, None)
    }

    /// A pragma as this connection has it (`journal_mode`, `foreign_keys`, …), as text.
    pub fn pragma(&self, name: &str) -> Result<String> {
        Ok(self
            .conn
            .pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })?)
    }

    /// Overwrites this database with the contents of `src` through SQLite's backup API
    /// (one step: readers never see half of it), then migrates it forward: a copy made by an
    /// older build comes back at this build's schema. The caller refuses a newer `src`.
    pub(crate) fn restore_from(&mut self, src: &Connection) -> rusqlite::Result<()> {
        let backup = rusqlite::backup::Backup::new(src, &mut self.conn)?;
        backup.run_to_completion(1024, Duration::ZERO, None)?;
        drop(backup);
        let version = migrate::schema_version(&self.conn)?;
        migrate::apply(&mut self.conn, version)
    }
}
