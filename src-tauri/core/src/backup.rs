//! Automatic copies of the report before the actions that change much at once (merge, import,
//! period rollover), made with SQLite's online backup API so that a copy is always consistent.
//!
//! Copies live in a `backups` folder beside the database: `<name>-<YYYYMMDD-HHMMSS>-<reason>.db`;
//! the newest [`KEEP`] are kept.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::store::{Store, StoreError};

/// How many copies are kept; older ones are removed after each new copy.
pub const KEEP: usize = 20;

/// Why a copy was made; part of its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Merge,
    Import,
    Rollover,
    /// The state just before a restore, so a restore can itself be undone.
    BeforeRestore,
    Manual,
}

impl Reason {
    fn code(self) -> &'static str {
        match self {
            Reason::Merge => "merge",
            Reason::Import => "import",
            Reason::Rollover => "rollover",
            Reason::BeforeRestore => "before-restore",
            Reason::Manual => "manual",
        }
    }

    fn label(code: &str) -> &'static str {
        match code {
            "merge" => "統合の前",
            "import" => "シート取込の前",
            "rollover" => "期の切り替えの前",
            "before-restore" => "復元の前",
            _ => "手動",
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
    /// The time stamp and counter of the name, for sorting.
    #[serde(skip)]
    order: (String, u32),
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
    #[error("バックアップフォルダ {path} に書き込めません: {source}")]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("バックアップ {path} を作成または復元できません: {source}")]
    Copy {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
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
    // Two copies in one second (a merge right after an import) get distinct names.
    let mut n = 1;
    while dir.join(&name).exists() {
        n += 1;
        name = format!("{}-{stamp}-{}-{n}.db", stem(db), reason.code());
    }
    let path = dir.join(&name);
    let temp = dir.join(format!(".{name}.tmp"));
    let copy = || -> rusqlite::Result<()> {
        let mut dst = Connection::open(&temp)?;
        store.copy_to(&mut dst)?;
        dst.close().map_err(|(_, e)| e)
    };
    if let Err(source) = copy() {
        let _ = std::fs::remove_file(&temp);
        return Err(BackupError::Copy { path, source });
    }
    std::fs::rename(&temp, &path).map_err(|source| BackupError::Folder {
        path: path.clone(),
        source,
    })?;
    prune(db, KEEP)?;
    Ok(describe(&path).expect("a name we just made parses"))
}

/// The backups of `db`, newest first.
pub fn list(db: &Path) -> Result<Vec<BackupFile>, BackupError> {
    let dir = folder(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(BackupError::Folder { path: dir, source }),
    };
    let prefix = format!("{}-", stem(db));
    let mut files: Vec<BackupFile> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
        })
        .filter_map(|p| describe(&p))
        .collect();
    files.sort_by(|a, b| b.order.cmp(&a.order));
    Ok(files)
}

/// Reads the time and reason out of a backup's file name.
fn describe(path: &Path) -> Option<BackupFile> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let rest = name.strip_suffix(".db")?;
    // <stem>-YYYYMMDD-HHMMSS-<reason>[-n]; the stem itself may contain dashes.
    let parts: Vec<&str> = rest.split('-').collect();
    let i = parts
        .iter()
        .rposition(|p| p.len() == 8 && p.chars().all(|c| c.is_ascii_digit()))?;
    let (date, time) = (parts[i], *parts.get(i + 1)?);
    let tail = parts.get(i + 2..)?;
    let reason = tail
        .iter()
        .take_while(|p| p.parse::<u32>().is_err())
        .copied()
        .collect::<Vec<_>>()
        .join("-");
    let counter = tail.last().and_then(|p| p.parse().ok()).unwrap_or(1);
    Some(BackupFile {
        path: path.to_path_buf(),
        taken_at: format!(
            "{}-{}-{} {}:{}:{}",
            &date[..4],
            &date[4..6],
            &date[6..],
            time.get(..2)?,
            time.get(2..4)?,
            time.get(4..6)?
        ),
        reason: Reason::label(&reason).to_string(),
        order: (format!("{date}{time}"), counter),
        name,
    })
}

fn prune(db: &Path, keep: usize) -> Result<(), BackupError> {
    for old in list(db)?.into_iter().skip(keep) {
        let _ = std::fs::remove_file(old.path);
    }
    Ok(())
}

/// Replaces the report with a backup (by file name), after copying the current state aside.
/// The restore goes through the backup API into the open connection, so it is all or nothing.
pub fn restore(store: &mut Store, name: &str) -> Result<BackupFile, BackupError> {
    let db = store.path().ok_or(BackupError::InMemory)?.to_path_buf();
    let chosen = list(&db)?
        .into_iter()
        .find(|b| b.name == name)
        .ok_or_else(|| BackupError::NotFound(name.to_string()))?;
    // Refuse a copy that is not a sound shinchoku database before touching the report.
    let src = Connection::open_with_flags(&chosen.path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(
        |source| BackupError::Copy {
            path: chosen.path.clone(),
            source,
        },
    )?;
    take(store, Reason::BeforeRestore)?;
    store
        .restore_from(&src)
        .map_err(|source| BackupError::Copy {
            path: chosen.path.clone(),
            source,
        })?;
    Ok(chosen)
}
