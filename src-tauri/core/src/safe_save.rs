//! The one way the app saves a file (exports, packages, submissions, backups): the bytes go to a
//! new temporary file beside the target, reach the disk, and only then take the target's name.
//!
//! So a crash, a full disk or a file held open by Excel never leaves half a file under the
//! target's name, and a link planted in a shared folder is never written through: the temporary
//! file has a random name and is created new (`O_EXCL`), which fails on anything already there,
//! a symbolic link included, instead of following it.

use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tempfile::NamedTempFile;

/// Why a file could not be saved; each names the file. An existing file under the target's name
/// is left as it was, except after [`SaveError::SyncFolder`], when it has been replaced.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The temporary file cannot be made: the folder is missing, read-only or full.
    #[error("{path} に保存できません。保存先のフォルダ {folder} があり、書き込みできる場所か確認してください（{}）", crate::os_message::io(source))]
    Folder {
        path: PathBuf,
        folder: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A folder holds the target's name; it is never replaced by a file.
    #[error("{path} に保存できません。同じ名前のフォルダがあります")]
    IsFolder { path: PathBuf },
    /// The target is the report's own database (or one of its journal files), under this name,
    /// another spelling of it or a link to it: saving there would replace the report.
    #[error("{path} には保存できません。開いている報告のデータベース {database} と同じファイルです。別のファイル名を指定してください")]
    IsDatabase { path: PathBuf, database: PathBuf },
    /// Writing or flushing the bytes failed, usually a full disk.
    #[error(
        "{path} に保存できません。ディスクの空き容量を確認してください（{}）",
        crate::os_message::io(source)
    )]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// Another program holds the target open without sharing it (Excel keeps an open workbook
    /// so on Windows): the old file stays, and closing it is all the user needs to do.
    #[error("{path} は他のアプリ（Excel など）で開かれているため保存できません。閉じてからもう一度保存してください")]
    InUse {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The rename over the target failed: the file is open in another program, or read-only.
    #[error("{path} に保存できません。ファイルが Excel など他のアプリで開かれていないか、書き込みできる場所か確認してください（{}）", crate::os_message::io(source))]
    Replace {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The new file is in place, but the folder's record of it could not be flushed to disk, so
    /// a power cut now could still bring the old file back.
    #[error("{path} は保存しましたが、ディスクへの書き込みを確認できません。もう一度保存してください（{}）", crate::os_message::io(source))]
    SyncFolder {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// A file being saved: a new temporary file in the target's folder, which takes the target's
/// name on [`PendingFile::commit`] and is removed if dropped before.
#[derive(Debug)]
pub struct PendingFile {
    temp: NamedTempFile,
    target: PathBuf,
}

impl PendingFile {
    /// Creates the temporary file beside `target`: `.<name>.<random>.tmp`, which no reader of
    /// the folder (backup lists, the user) takes for the file itself.
    pub fn create(target: &Path) -> Result<PendingFile, SaveError> {
        check_target(target)?;
        let folder = folder_of(target);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // tempfile makes its files private (0600); a saved export or package is an ordinary file
        // that colleagues open from a shared folder, so it gets the usual 0666 less the umask.
        #[cfg(unix)]
        builder.permissions(
            <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o666),
        );
        let temp = builder
            .tempfile_in(&folder)
            .map_err(|source| SaveError::Folder {
                path: target.to_path_buf(),
                folder,
                source,
            })?;
        Ok(PendingFile {
            temp,
            target: target.to_path_buf(),
        })
    }

    /// Where the bytes go until the commit (for writers that open the file themselves, such as
    /// SQLite's backup).
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// The temporary file, to write to.
    pub fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// Flushes the bytes to disk, renames the temporary file over the target and flushes the
    /// folder, so the new name survives a power cut. On failure before the rename the temporary
    /// file is removed and the target is untouched.
    pub fn commit(self) -> Result<(), SaveError> {
        let PendingFile { temp, target } = self;
        // fdatasync: the contents and the size, all a rename needs to publish a whole file (the
        // times and other metadata may lag). It also flushes what another handle on the same file
        // wrote, such as SQLite's.
        temp.as_file()
            .sync_data()
            .map_err(|source| SaveError::Write {
                path: target.clone(),
                source,
            })?;
        // On failure the error hands the temporary file back; dropping it removes it.
        temp.persist(&target).map_err(|e| {
            if crate::os_message::is_in_use(&e.error) || held_open_elsewhere(&target) {
                SaveError::InUse {
                    path: target.clone(),
                    source: e.error,
                }
            } else {
                SaveError::Replace {
                    path: target.clone(),
                    source: e.error,
                }
            }
        })?;
        sync_folder(&folder_of(&target)).map_err(|source| SaveError::SyncFolder {
            path: target.clone(),
            source,
        })
    }
}

/// Refuses a target that no save may replace: the open database (or one of its journals),
/// under any spelling, or a folder. Asked by every save, and by actions that record a file in
/// the database before they write it, so that a refusal leaves no record of a file never made.
pub fn check_target(target: &Path) -> Result<(), SaveError> {
    if let Some(database) = protected_file_at(target) {
        return Err(SaveError::IsDatabase {
            path: target.to_path_buf(),
            database,
        });
    }
    if target.is_dir() {
        return Err(SaveError::IsFolder {
            path: target.to_path_buf(),
        });
    }
    // Asked here too, so that an action recording a file before it writes it (a package's
    // issue) records nothing for a file Excel holds.
    if held_open_elsewhere(target) {
        return Err(SaveError::InUse {
            path: target.to_path_buf(),
            source: std::io::Error::from_raw_os_error(WINDOWS_SHARING_VIOLATION),
        });
    }
    Ok(())
}

/// Windows' ERROR_SHARING_VIOLATION, the cause a refused save over a held file carries.
const WINDOWS_SHARING_VIOLATION: i32 = 32;

/// Whether another program holds `target` open without sharing it. Windows refuses to replace
/// such a file with "access denied" (found under Wine), the answer a read-only file also gets:
/// asking for the file alone tells the two apart, with a sharing violation.
#[cfg(windows)]
fn held_open_elsewhere(target: &Path) -> bool {
    use std::os::windows::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .share_mode(0)
        .open(target)
        .is_err_and(|e| crate::os_message::is_in_use(&e))
}

#[cfg(not(windows))]
fn held_open_elsewhere(_target: &Path) -> bool {
    false
}

/// Saves `bytes` as `target`, whole or not at all.
pub fn save(target: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let mut pending = PendingFile::create(target)?;
    pending
        .file()
        .write_all(bytes)
        .map_err(|source| SaveError::Write {
            path: target.to_path_buf(),
            source,
        })?;
    pending.commit()
}

/// The databases this process has open: no save may replace one of them or its journal files.
/// Kept here, where every save passes, so that no command and no save dialog can forget it.
static PROTECTED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A database registered as protected for as long as this value lives (the store holds it).
#[derive(Debug)]
pub struct Protection {
    path: PathBuf,
}

/// Protects `database` from every save until the returned value is dropped.
pub fn protect(database: &Path) -> Protection {
    let path = std::path::absolute(database).unwrap_or_else(|_| database.to_path_buf());
    lock_protected().push(path.clone());
    Protection { path }
}

impl Drop for Protection {
    fn drop(&mut self) {
        let mut protected = lock_protected();
        if let Some(i) = protected.iter().position(|p| *p == self.path) {
            protected.swap_remove(i);
        }
    }
}

fn lock_protected() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A list of paths cannot be left half-changed by a panic: take it as it is.
    PROTECTED.lock().unwrap_or_else(|e| e.into_inner())
}

/// The protected database that `target` is, or is a journal of, if any.
pub fn protected_file_at(target: &Path) -> Option<PathBuf> {
    let protected = lock_protected().clone();
    protected.into_iter().find(|db| {
        // SQLite's companions: the write-ahead log, its index, the rollback journal.
        ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
            let mut companion = db.as_os_str().to_owned();
            companion.push(suffix);
            same_file(target, Path::new(&companion))
        })
    })
}

/// Whether two paths name one file: the same file behind links, `..` or another spelling, or
/// one file under two hard links. A name that does not exist yet matches by its folder.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let Ok(same) = same_file::is_same_file(a, b) {
        return same;
    }
    // One side missing (a journal not made yet): the same folder and the same name.
    let resolved = |p: &Path| -> Option<(PathBuf, std::ffi::OsString)> {
        let folder = std::fs::canonicalize(folder_of(p)).ok()?;
        Some((folder, p.file_name()?.to_owned()))
    };
    match (resolved(a), resolved(b)) {
        (Some((fa, na)), Some((fb, nb))) if fa == fb => {
            // Windows' names are case-insensitive: 報告.DB is 報告.db there.
            if cfg!(windows) {
                na.to_string_lossy().to_lowercase() == nb.to_string_lossy().to_lowercase()
            } else {
                na == nb
            }
        }
        _ => false,
    }
}

/// The folder a file goes to ("." for a bare file name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Flushes a folder's entries (a rename is a change of the folder, not of the file).
#[cfg(unix)]
pub fn sync_folder(folder: &Path) -> io::Result<()> {
    File::open(folder)?.sync_all()
}

/// Windows cannot open a folder as a file without FILE_FLAG_BACKUP_SEMANTICS, and does not need
/// to: NTFS journals the rename (MoveFileEx) itself, and there is no call to flush a folder.
#[cfg(not(unix))]
pub fn sync_folder(_folder: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_file_is_written_whole_with_nothing_left_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("報告.xlsx");
        save(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["報告.xlsx"]);
    }

    #[test]
    fn an_existing_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("package.json");
        std::fs::write(&target, b"old, and longer than the new one").unwrap();
        save(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["package.json"]);
    }

    // Unix only: Windows has no permission bits; a new file takes its folder's ACL.
    #[cfg(unix)]
    #[test]
    fn a_saved_file_is_readable_by_others_as_an_ordinary_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("package.json");
        save(&target, b"{}").unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "{mode:o}");
    }

    /// Regression: packages were written to the fixed `.NAME.tmp` and exports to
    /// `.NAME.<pid>.tmp` with `fs::write`, which follows a link planted under that name in a
    /// shared folder and overwrites whatever it points to.
    // Unix only: planting a symbolic link on Windows needs an administrator or developer mode.
    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_a_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, b"keep me").unwrap();
        let target = dir.path().join("package.json");
        for planted in [
            ".package.json.tmp".to_string(),
            format!(".package.json.{}.tmp", std::process::id()),
        ] {
            std::os::unix::fs::symlink(&victim, dir.path().join(planted)).unwrap();
        }
        save(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert!(!std::fs::symlink_metadata(&target)
            .unwrap()
            .file_type()
            .is_symlink());
    }

    /// The temporary file is created new: were its random name guessed and planted as a link,
    /// the creation would fail (and tempfile try another name) rather than open the link.
    // Unix only: on Windows a link cannot be planted without an administrator or developer mode.
    #[cfg(unix)]
    #[test]
    fn the_temporary_file_is_created_new_and_is_no_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("export.xlsx");
        let pending = PendingFile::create(&target).unwrap();
        let meta = std::fs::symlink_metadata(pending.temp_path()).unwrap();
        assert!(meta.file_type().is_file());
        assert_eq!(meta.len(), 0);
        let temp = pending.temp_path().to_path_buf();
        drop(pending);
        assert!(!temp.exists(), "dropped before the commit: removed");
        assert!(!target.exists());
    }

    #[test]
    fn a_folder_under_the_target_name_is_refused_and_nothing_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.xlsx");
        std::fs::create_dir(&target).unwrap();
        let err = save(&target, b"new").unwrap_err();
        assert!(matches!(err, SaveError::IsFolder { .. }), "{err:?}");
        assert!(err.to_string().contains(&target.display().to_string()));
        assert_eq!(names(dir.path()), ["report.xlsx"]);
        assert!(target.is_dir());
    }

    /// Windows semantics, run under Wine: a workbook Excel holds open (read, shared for reading
    /// only) cannot be replaced. The save says so in the user's words, leaves the old file as
    /// it was and no temporary file beside it.
    #[cfg(windows)]
    #[test]
    fn a_file_open_in_excel_is_named_and_left_as_it_was() {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_SHARE_READ: u32 = 1;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("報告.xlsx");
        std::fs::write(&target, b"old").unwrap();
        // Excel: the workbook open, others may read it but not write, rename or delete it.
        let excel = std::fs::OpenOptions::new()
            .read(true)
            .share_mode(FILE_SHARE_READ)
            .open(&target)
            .unwrap();
        let err = save(&target, b"new").unwrap_err();
        assert!(matches!(err, SaveError::InUse { .. }), "{err:?}");
        let said = err.to_string();
        assert!(
            said.contains("他のアプリ（Excel など）で開かれているため保存できません")
                && said.contains("報告.xlsx"),
            "{said}"
        );
        drop(excel);
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["報告.xlsx"]);
    }

    #[test]
    fn a_failed_rename_removes_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.xlsx");
        let mut pending = PendingFile::create(&target).unwrap();
        pending.file().write_all(b"new").unwrap();
        // A folder appears under the name between the write and the rename.
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("inside.txt"), b"keep me").unwrap();
        let err = pending.commit().unwrap_err();
        assert!(matches!(err, SaveError::Replace { .. }), "{err:?}");
        assert!(err.to_string().contains("保存できません"), "{err}");
        assert_eq!(names(dir.path()), ["report.xlsx"]);
        assert_eq!(
            std::fs::read(target.join("inside.txt")).unwrap(),
            b"keep me"
        );
    }

    #[test]
    fn a_missing_folder_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("nowhere").join("report.xlsx");
        let err = save(&target, b"new").unwrap_err();
        assert!(matches!(err, SaveError::Folder { .. }), "{err:?}");
        assert!(err.to_string().contains(&target.display().to_string()));
        assert!(!dir.path().join("nowhere").exists());
    }

    // Unix only: the read-only attribute of a Windows folder does not stop files being made in it.
    #[cfg(unix)]
    #[test]
    fn an_unwritable_folder_leaves_the_old_file_and_no_temporary_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("submission.json");
        std::fs::write(&target, b"old").unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
        // root writes anywhere: then there is no unwritable folder to test with.
        let probe = dir.path().join("probe");
        if std::fs::write(&probe, b"").is_ok() {
            let _ = std::fs::remove_file(&probe);
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
            eprintln!("skipped: this user can write to a read-only folder");
            return;
        }
        let err = save(&target, b"new").unwrap_err();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(matches!(err, SaveError::Folder { .. }), "{err:?}");
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["submission.json"]);
    }
}
