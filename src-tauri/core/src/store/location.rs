//! Where a database file lives: on this computer, or in a network folder (SMB, NFS), where
//! SQLite's WAL cannot work (its shared memory index is visible to one host only) and the
//! rollback journal is used instead.

use std::borrow::Cow;
use std::path::Path;

/// File systems of network folders as Linux names them in `/proc/self/mountinfo`.
#[cfg(not(windows))]
const NETWORK_FILE_SYSTEMS: [&str; 8] = [
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "9p",
    "fuse.sshfs",
    "afs",
];

/// Whether `db` is in a network folder. Errs on the side of "no" when it cannot tell: the WAL
/// then stays, as it did before this check.
pub fn is_network_folder(db: &Path) -> bool {
    if is_unc(&db.to_string_lossy()) {
        return true;
    }
    #[cfg(windows)]
    {
        drive::is_remote(db)
    }
    #[cfg(not(windows))]
    {
        mount_file_system(db).is_some_and(|fs| NETWORK_FILE_SYSTEMS.contains(&fs.as_str()))
    }
}

/// `\\server\share\…` and `//server/share/…`: a UNC path is a network share on Windows.
/// `\\?\C:\…` and `\\.\C:\…` are local paths in the verbatim and device forms (what
/// `std::fs::canonicalize` returns on Windows); in those forms only `\\?\UNC\…` is a share.
fn is_unc(shown: &str) -> bool {
    if let Some(rest) = shown
        .strip_prefix("\\\\?\\")
        .or_else(|| shown.strip_prefix("\\\\.\\"))
    {
        return rest
            .get(..4)
            .is_some_and(|unc| unc.eq_ignore_ascii_case("UNC\\"));
    }
    shown.starts_with("\\\\") || shown.starts_with("//")
}

/// A drive letter mapped to a share (`N:` → `\\fileserver\共有`, how city halls hand out their
/// shared folders) is a network folder that no UNC prefix shows: Windows says so per drive.
#[cfg(windows)]
mod drive {
    use std::path::{Component, Path, Prefix};

    /// GetDriveTypeW's answer for a network drive.
    const DRIVE_REMOTE: u32 = 4;

    #[link(name = "kernel32")]
    extern "system" {
        fn GetDriveTypeW(root: *const u16) -> u32;
    }

    /// Whether the drive that holds `db` (a relative path is taken from the current folder) is
    /// a network drive.
    pub fn is_remote(db: &Path) -> bool {
        let Ok(full) = std::path::absolute(db) else {
            return false;
        };
        let Some(Component::Prefix(prefix)) = full.components().next() else {
            return false;
        };
        let letter = match prefix.kind() {
            Prefix::Disk(letter) | Prefix::VerbatimDisk(letter) => letter,
            Prefix::UNC(..) | Prefix::VerbatimUNC(..) => return true,
            _ => return false,
        };
        let root: Vec<u16> = format!("{}:\\", letter as char)
            .encode_utf16()
            .chain([0])
            .collect();
        // SAFETY: `root` is a NUL-terminated UTF-16 string that lives through the call, which
        // only reads it.
        unsafe { GetDriveTypeW(root.as_ptr()) == DRIVE_REMOTE }
    }
}

/// The name SQLite is given for the database file `db`. Windows refuses a path of MAX_PATH (260)
/// characters or more to CreateFileW unless it is in the `\\?\` form (a program may opt out of
/// the limit only with a manifest and a machine-wide policy). Rust's std writes that form for its
/// own file calls, so exports and backups reach a deep folder, but SQLite does not: a database
/// there could not be opened. So a long path, counted with SQLite's `-journal` suffix, goes to
/// SQLite absolute and in that form; a shorter one as it is. Elsewhere the path is unchanged.
pub fn sqlite_name(db: &Path) -> Cow<'_, Path> {
    #[cfg(windows)]
    if let Some(long) = verbatim_if_long(db) {
        return Cow::Owned(long);
    }
    Cow::Borrowed(db)
}

/// `db` in the `\\?\` form when it (with `-journal`) would reach MAX_PATH; `None` when it is
/// short enough, already verbatim, a device path, or cannot be made absolute.
#[cfg(windows)]
fn verbatim_if_long(db: &Path) -> Option<std::path::PathBuf> {
    /// MAX_PATH less its terminating NUL, less the longest suffix SQLite adds (`-journal`).
    const LONGEST: usize = 259 - "-journal".len();
    // GetFullPathNameW: absolute, `/` turned to `\`, `.` and `..` resolved, as the form needs.
    let full = std::path::absolute(db).ok()?;
    let text = full.to_str()?;
    if text.encode_utf16().count() <= LONGEST
        || text.starts_with("\\\\?\\")
        || text.starts_with("\\\\.\\")
    {
        return None;
    }
    Some(match text.strip_prefix("\\\\") {
        Some(share) => format!("\\\\?\\UNC\\{share}").into(),
        None => format!("\\\\?\\{text}").into(),
    })
}

/// The file system type of the mount that holds `db` (Linux; `None` elsewhere).
#[cfg(not(windows))]
fn mount_file_system(db: &Path) -> Option<String> {
    let folder = db.parent().filter(|p| !p.as_os_str().is_empty())?;
    let folder = std::fs::canonicalize(folder).ok()?;
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    mountinfo
        .lines()
        .filter_map(|line| {
            // `… mount_point options [optional fields] - fstype source …`
            let (left, right) = line.split_once(" - ")?;
            let mount_point = left.split(' ').nth(4)?.replace("\\040", " ");
            let fs = right.split(' ').next()?.to_string();
            folder
                .starts_with(&mount_point)
                .then_some((mount_point.len(), fs))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, fs)| fs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unc_paths_are_network_folders_and_a_temp_folder_is_not() {
        assert!(is_network_folder(Path::new(r"\\server\share\shinchoku.db")));
        assert!(is_network_folder(Path::new("//server/share/shinchoku.db")));
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_network_folder(&dir.path().join("report.db")));
    }

    /// Regression: every path starting with two backslashes was taken for a share, so a local
    /// database opened by its canonical name on Windows (`\\?\C:\…`) lost WAL for nothing.
    #[test]
    fn a_local_path_in_the_verbatim_form_is_no_network_folder_but_a_verbatim_unc_one_is() {
        assert!(!is_unc("\\\\?\\C:\\Users\\山田 太郎\\shinchoku.db"));
        assert!(!is_unc("\\\\.\\C:\\Users\\shinchoku.db"));
        assert!(is_unc("\\\\?\\UNC\\server\\share\\shinchoku.db"));
        assert!(is_unc("\\\\?\\unc\\server\\share\\shinchoku.db"));
        assert!(!is_unc("\\\\?\\"));
    }

    /// Regression: SQLite was given the path as typed, which Windows refuses past MAX_PATH (260)
    /// without the `\\?\` form, so a report in a deep folder of a shared drive could not be
    /// opened (exports and backups, through Rust's std, could be written there).
    #[cfg(windows)]
    #[test]
    fn a_long_path_goes_to_sqlite_in_the_verbatim_form_and_a_short_one_as_it_is() {
        let short = Path::new("C:\\Users\\山田 太郎\\デスクトップ\\report.db");
        assert_eq!(sqlite_name(short), Cow::Borrowed(short));
        let folder = "令和６年度 重点政策 進捗状況 各課からの提出物 保管用".repeat(3);
        let long = format!("C:\\Users\\山田 太郎\\{folder}\\{folder}\\{folder}\\報告.db");
        assert_eq!(
            sqlite_name(Path::new(&long)).to_str().unwrap(),
            format!("\\\\?\\{long}")
        );
        let share = format!("\\\\fileserver\\共有\\{folder}\\{folder}\\{folder}\\報告.db");
        assert_eq!(
            sqlite_name(Path::new(&share)).to_str().unwrap(),
            format!("\\\\?\\UNC\\{}", &share[2..])
        );
        let slashes = long.replace('\\', "/");
        assert_eq!(
            sqlite_name(Path::new(&slashes)).to_str().unwrap(),
            format!("\\\\?\\{long}")
        );
        let verbatim = format!("\\\\?\\{long}");
        assert_eq!(
            sqlite_name(Path::new(&verbatim)).to_str().unwrap(),
            verbatim
        );
    }

    #[cfg(windows)]
    #[test]
    fn a_canonical_local_path_on_windows_is_no_network_folder() {
        let dir = tempfile::tempdir().unwrap();
        let canonical = std::fs::canonicalize(dir.path()).unwrap();
        assert!(canonical.to_string_lossy().starts_with("\\\\?\\"));
        assert!(!is_network_folder(&canonical.join("report.db")));
        assert!(!is_network_folder(Path::new("report.db")));
    }

    /// Regression: a database on a drive letter mapped to a share (`N:\`) kept WAL, whose
    /// shared memory one computer's SQLite cannot see another's, since only UNC paths were taken
    /// for shares. Run where a mapped drive is named in SHINCHOKU_NETWORK_DRIVE (scripts/windows.sh
    /// makes one in Wine); elsewhere it checks the local drive only.
    #[cfg(windows)]
    #[test]
    fn a_database_on_a_mapped_network_drive_is_in_a_network_folder() {
        if let Ok(drive) = std::env::var("SHINCHOKU_NETWORK_DRIVE") {
            assert!(is_network_folder(
                &Path::new(&format!("{drive}\\")).join("shinchoku.db")
            ));
            assert!(is_network_folder(
                &Path::new(&format!("\\\\?\\{drive}\\")).join("x.db")
            ));
        }
        assert!(!is_network_folder(Path::new("C:\\shinchoku.db")));
    }
}
