//! Automatic copies of the report before the actions that change much at once (merge, import,
//! period rollover, a department's new package), made with SQLite's online backup API so that a copy is always consistent.
//!
//! Copies live in a `backups` folder beside the database, named
//! `<stem>-<YYYYMMDD>-<HHMMSSmmm>-<reason>[-<n>].db`. A file is a copy of a database only when its
//! name reads exactly so, with a known reason: `report-2023-….db` is a copy of `report-2023.db`,
//! never of `report.db`. A copy is written under a temporary name by the [safe save] and takes
//! its real name only when whole, so a half-written copy is never listed. The newest [`KEEP`] are
//! kept.
//!
//! [safe save]: crate::safe_save

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use serde::Serialize;

use crate::safe_save::{PendingFile, SaveError};
use crate::store::{migrate, sqlite_name, Store, StoreError};

/// How many copies are kept; older ones are removed after each new copy.
pub const KEEP: usize = 20;

/// Why a copy was made; part of its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Merge,
    Import,
    Rollover,
    /// A department database before a new package replaced its values.
    PackageUpdate,
    /// The state just before a restore, so a restore can itself be undone.
    BeforeRestore,
    Manual,
}

impl Reason {
    const ALL: [Reason; 6] = [
        Reason::Merge,
        Reason::Import,
        Reason::Rollover,
        Reason::PackageUpdate,
        Reason::BeforeRestore,
        Reason::Manual,
    ];

    fn code(self) -> &'static str {
        match self {
            Reason::Merge => "merge",
            Reason::Import => "import",
            Reason::Rollover => "rollover",
            Reason::PackageUpdate => "package-update",
            Reason::BeforeRestore => "before-restore",
            Reason::Manual => "manual",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Reason::Merge => "統合の前",
            Reason::Import => "シート取込の前",
            Reason::Rollover => "期の切り替えの前",
            Reason::PackageUpdate => "パッケージ更新の前",
            Reason::BeforeRestore => "復元の前",
            Reason::Manual => "手動",
        }
    }
}

/// One backup copy, as listed to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupFile {
    pub path: PathBuf,
    /// The file name, which `restore` accepts.
    pub name: String,
    /// `YYYY-MM-DD HH:MM:SS`
    pub taken_at: String,
    /// Why it was taken, in Japanese.
    pub reason: String,
    /// The time (to the millisecond) and counter of the name, for sorting.
    #[serde(skip)]
    order: (NaiveDateTime, u32),
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A database in memory has nothing to copy beside.
    #[error("メモリ上のデータベースはバックアップできません")]
    InMemory,
    #[error(
        "バックアップ「{0}」が見つかりません（shinchoku restore --list で一覧を確認してください）"
    )]
    NotFound(String),
    #[error(
        "バックアップフォルダ {path} に書き込めません（{}）",
        crate::os_message::io(source)
    )]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "バックアップ {path} を作成または復元できません（{}）",
        crate::os_message::sqlite(source)
    )]
    Copy {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// The chosen copy is no sound SQLite file: restoring it would damage the report.
    #[error("バックアップ「{name}」は壊れているため復元できません（{detail}）。別のバックアップを選んでください。報告は変更していません")]
    Damaged { name: String, detail: String },
    /// The chosen copy was made by a newer shinchoku: this build could lose what it keeps.
    #[error("バックアップ「{name}」は新しいバージョンの shinchoku で作成されています（形式 {found}、このアプリは {supported} まで）。アプリを更新してから復元してください。報告は変更していません")]
    TooNew {
        name: String,
        found: i64,
        supported: i64,
    },
    /// The chosen copy is an SQLite file without a shinchoku report in it (version 0).
    #[error("バックアップ「{name}」は shinchoku の報告ではありません。別のバックアップを選んでください。報告は変更していません")]
    NotAReport { name: String },
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The folder the backups of `db` go to.
pub fn folder(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

fn stem(db: &Path) -> String {
    db.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "shinchoku".into())
}

/// Copies the open database to a new backup file and prunes old copies.
pub fn take(store: &Store, reason: Reason) -> Result<BackupFile, BackupError> {
    // A backup is taken only before a change: where no change can be written, say so now
    // rather than leave a copy behind that `restore --list` would offer for nothing.
    store.check_writable()?;
    let copy = write_copy(store, reason)?;
    let db = store.path().ok_or(BackupError::InMemory)?;
    prune(db, KEEP, None)?;
    Ok(copy)
}

/// Writes one copy of the open database, without pruning.
fn write_copy(store: &Store, reason: Reason) -> Result<BackupFile, BackupError> {
    let db = store.path().ok_or(BackupError::InMemory)?;
    let dir = folder(db);
    std::fs::create_dir_all(&dir).map_err(|source| BackupError::Folder {
        path: dir.clone(),
        source,
    })?;
    let now = chrono::Local::now();
    // Milliseconds keep copies taken in the same second in order.
    let stamp = now.format("%Y%m%d-%H%M%S%3f");
    let mut name = format!("{}-{stamp}-{}.db", stem(db), reason.code());
    // Two copies in one millisecond (a merge right after an import) get distinct names.
    let mut n = 1;
    while dir.join(&name).exists() {
        n += 1;
        name = format!("{}-{stamp}-{}-{n}.db", stem(db), reason.code());
    }
    let path = dir.join(&name);
    copy_into(store, &path, |_| Ok(()))?;
    Ok(describe(&stem(db), &path).expect("a name we just made parses"))
}

/// Writes a consistent copy of the open database to `path`, a new file, after `finish` has
/// had its say on the copy (a past term's copy is marked read-only there). SQLite writes the
/// copy into the safe save's new temporary file (`.<name>.<random>.tmp`, which `list` never
/// reads as a copy); it takes its real name only once whole and on disk.
pub fn copy_into(
    store: &Store,
    path: &Path,
    finish: impl FnOnce(&Path) -> Result<(), BackupError>,
) -> Result<(), BackupError> {
    let pending = PendingFile::create(path)?;
    let copy = || -> rusqlite::Result<()> {
        let mut dst = Connection::open(sqlite_name(pending.temp_path()))?;
        store.copy_to(&mut dst)?;
        // The pages came with the report's WAL flag; a copy is one self-contained file, so
        // reading it later leaves no -wal and -shm files beside it.
        dst.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        dst.close().map_err(|(_, e)| e)
    };
    // On failure `pending` is dropped, which removes the temporary file.
    copy().map_err(|source| BackupError::Copy {
        path: path.to_path_buf(),
        source,
    })?;
    finish(pending.temp_path())?;
    pending.commit()?;
    Ok(())
}

/// The backups of `db`, newest first.
pub fn list(db: &Path) -> Result<Vec<BackupFile>, BackupError> {
    let dir = folder(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(BackupError::Folder { path: dir, source }),
    };
    let stem = stem(db);
    let mut files: Vec<BackupFile> = entries
        .filter_map(Result::ok)
        // Plain files only: a link or a folder under a copy's name is nothing we wrote.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| describe(&stem, &e.path()))
        .collect();
    files.sort_by_key(|b| std::cmp::Reverse(b.order));
    Ok(files)
}

/// Reads a copy of the database named `stem` out of its file name: `None` unless the name is
/// exactly `<stem>-<YYYYMMDD>-<HHMMSS>[mmm]-<reason>[-<n>].db`, a real time, a known reason.
fn describe(stem: &str, path: &Path) -> Option<BackupFile> {
    let name = path.file_name()?.to_str()?.to_string();
    let rest = name
        .strip_prefix(stem)?
        .strip_prefix('-')?
        .strip_suffix(".db")?;
    let (date, rest) = rest.split_once('-')?;
    let (time, tail) = rest.split_once('-')?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if date.len() != 8 || !matches!(time.len(), 6 | 9) || !digits(date) || !digits(time) {
        return None;
    }
    let number = |s: &str| s.parse::<u32>().ok();
    // A real date and time (chrono refuses 20261340 or 256199): milliseconds when written.
    let shape = if time.len() == 9 {
        "%Y%m%d-%H%M%S%3f"
    } else {
        "%Y%m%d-%H%M%S"
    };
    let taken = NaiveDateTime::parse_from_str(&format!("{date}-{time}"), shape).ok()?;
    let (reason, counter) = Reason::ALL.into_iter().find_map(|reason| {
        let after = tail.strip_prefix(reason.code())?;
        if after.is_empty() {
            return Some((reason, 1));
        }
        // `take` numbers the second copy of a millisecond 2, the third 3, …
        let n = after.strip_prefix('-')?;
        (digits(n) && !n.starts_with('0'))
            .then(|| number(n))
            .flatten()
            .filter(|&n| n >= 2)
            .map(|n| (reason, n))
    })?;
    Some(BackupFile {
        path: path.to_path_buf(),
        taken_at: taken.format("%Y-%m-%d %H:%M:%S").to_string(),
        reason: reason.label().to_string(),
        order: (taken, counter),
        name,
    })
}

/// Removes all but the newest `keep` copies of `db`, never `spare` (the copy being restored).
fn prune(db: &Path, keep: usize, spare: Option<&Path>) -> Result<(), BackupError> {
    for old in list(db)?.into_iter().skip(keep) {
        if Some(old.path.as_path()) != spare {
            let _ = std::fs::remove_file(old.path);
        }
    }
    Ok(())
}

/// Opens a copy read-only and checks it is a whole shinchoku report this build can read;
/// nothing of the report is touched until it passes.
fn open_sound(copy: &BackupFile) -> Result<Connection, BackupError> {
    let failed = |source: rusqlite::Error| match &source {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) =>
        {
            BackupError::Damaged {
                name: copy.name.clone(),
                detail: "SQLite ファイルとして読めません".into(),
            }
        }
        _ => BackupError::Copy {
            path: copy.path.clone(),
            source,
        },
    };
    // A copy replaced by a folder, a pipe or an empty file is named, not opened (SQLite would
    // wait on a pipe, and read an empty file as an empty database).
    let damaged = |detail: String| BackupError::Damaged {
        name: copy.name.clone(),
        detail,
    };
    match crate::reading::check_regular(&copy.path) {
        Ok(0) => return Err(damaged("空のファイルです".into())),
        Ok(_) => {}
        Err(e) => return Err(damaged(e.to_string())),
    }
    let src =
        Connection::open_with_flags(sqlite_name(&copy.path), OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(failed)?;
    let problems: Vec<String> = src
        .prepare("PRAGMA integrity_check")
        .and_then(|mut stmt| {
            stmt.query_map([], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(failed)?;
    if problems != ["ok"] {
        return Err(BackupError::Damaged {
            name: copy.name.clone(),
            detail: problems.into_iter().next().unwrap_or_default(),
        });
    }
    let version = migrate::schema_version(&src).map_err(failed)?;
    if version > migrate::LATEST_VERSION {
        return Err(BackupError::TooNew {
            name: copy.name.clone(),
            found: version,
            supported: migrate::LATEST_VERSION,
        });
    }
    if version < 1 {
        return Err(BackupError::NotAReport {
            name: copy.name.clone(),
        });
    }
    Ok(src)
}

/// Replaces the report with a backup (by file name), after copying the current state aside.
/// The copy is checked first (integrity, schema version): a refusal leaves the report as it
/// was. The restore goes through the backup API into the open connection, so it is all or
/// nothing, and an older copy is migrated to this build's schema.
pub fn restore(store: &mut Store, name: &str) -> Result<BackupFile, BackupError> {
    store.check_writable()?;
    let db = store.path().ok_or(BackupError::InMemory)?.to_path_buf();
    let chosen = list(&db)?
        .into_iter()
        .find(|b| b.name == name)
        .ok_or_else(|| BackupError::NotFound(name.to_string()))?;
    let src = open_sound(&chosen)?;
    write_copy(store, Reason::BeforeRestore)?;
    store
        .restore_from(&src)
        .map_err(|source| BackupError::Copy {
            path: chosen.path.clone(),
            source,
        })?;
    // Pruned only now, and never the copy just restored: the user may want it again. The
    // restore is done, so a copy too many is no reason to report a failure.
    let _ = prune(&db, KEEP, Some(&chosen.path));
    Ok(chosen)
}
