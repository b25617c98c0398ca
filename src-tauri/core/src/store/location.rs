//! Where a database file lives: on this computer, or in a network folder (SMB, NFS), where
//! SQLite's WAL cannot work (its shared memory index is visible to one host only) and the
//! rollback journal is used instead.

use std::path::Path;

/// File systems of network folders as Linux names them in `/proc/self/mountinfo`.
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
    let shown = db.to_string_lossy();
    // `\\server\share\…` and `//server/share/…`: a UNC path is a network share on Windows.
    if shown.starts_with("\\\\") || shown.starts_with("//") {
        return true;
    }
    mount_file_system(db).is_some_and(|fs| NETWORK_FILE_SYSTEMS.contains(&fs.as_str()))
}

/// The file system type of the mount that holds `db` (Linux; `None` elsewhere).
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
}
