//! The one way the app reads a file it was handed (a submission, a package, a returned sheet, a
//! backup, the database itself): opened once, checked to be a regular file of bounded size
//! before anything is allocated for it, then read from that same handle.
//!
//! Opening by name twice would let the file change kind between the check and the read; a named
//! pipe opened for reading waits for a writer forever, so the open does not wait
//! (`O_NONBLOCK`, which regular files ignore) and the kind is checked on the open handle.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a handed file was not read; each names the file and says it in the user's words.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{} が見つかりません", path.display())]
    Missing { path: PathBuf },
    /// A folder, a named pipe, a device or a socket: nothing the app reads.
    #[error("{} は{kind}のため読み込めません。ファイルを指定してください", path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{} は大きすぎます（{size} バイト、上限 {limit} バイト）。{what}ではないようです", path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
        what: &'static str,
    },
    #[error("{} を読めません（{}）", path.display(), crate::os_message::io(source))]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Opens `path` for reading, without waiting on a pipe, and checks that it is a regular file
/// (a link to one is followed and fine). Returns the handle and the file's size.
pub fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    let io_error = |source: io::Error| match source.kind() {
        io::ErrorKind::NotFound => ReadError::Missing {
            path: path.to_path_buf(),
        },
        _ => ReadError::Io {
            path: path.to_path_buf(),
            source,
        },
    };
    // A folder: Windows refuses to open one as a file, Unix opens it; say the same on both.
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            kind: "フォルダ",
        });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io_error)?;
    let meta = file.metadata().map_err(io_error)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            kind: kind_of(&meta),
        });
    }
    Ok((file, meta.len()))
}

/// Reads the whole of the regular file `path`, refusing one larger than `limit` before reading
/// it (`what` names what was expected, for the refusal).
pub fn read_bounded(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    let (file, size) = open_regular(path)?;
    let too_large = |size| ReadError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
        what,
    };
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take`: a file that grows while it is read still stops at the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Checks that `path` is a regular file, for readers that open it by name themselves (SQLite).
pub fn check_regular(path: &Path) -> Result<u64, ReadError> {
    open_regular(path).map(|(_, size)| size)
}

/// What a file that is not a regular file is, in the user's words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "名前付きパイプ（特殊なファイル）";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "デバイス（特殊なファイル）";
        }
        if kind.is_socket() {
            return "ソケット（特殊なファイル）";
        }
    }
    if meta.is_dir() {
        "フォルダ"
    } else {
        "特殊なファイル"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_and_a_link_to_one_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("提出.json");
        std::fs::write(&file, b"{}").unwrap();
        assert_eq!(read_bounded(&file, 10, "提出ファイル").unwrap(), b"{}");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(read_bounded(&link, 10, "提出ファイル").unwrap(), b"{}");
        }
    }

    #[test]
    fn a_folder_a_missing_file_and_a_large_one_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_bounded(dir.path(), 10, "提出ファイル").unwrap_err();
        assert!(matches!(err, ReadError::NotAFile { .. }), "{err:?}");
        assert!(err.to_string().contains("フォルダ"), "{err}");
        let missing = dir.path().join("none.json");
        let err = read_bounded(&missing, 10, "提出ファイル").unwrap_err();
        assert!(matches!(err, ReadError::Missing { .. }), "{err:?}");
        let large = dir.path().join("large.json");
        std::fs::write(&large, [b' '; 11]).unwrap();
        let err = read_bounded(&large, 10, "提出ファイル").unwrap_err();
        assert!(err.to_string().contains("large.json"), "{err}");
        assert!(err.to_string().contains("上限 10 バイト"), "{err}");
    }

    /// Regression: `merge`, `import` and `init --package` waited forever on a named pipe.
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("submission.json");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
        let err = read_bounded(&fifo, 10, "提出ファイル").unwrap_err();
        assert!(matches!(err, ReadError::NotAFile { .. }), "{err:?}");
        assert!(err.to_string().contains("名前付きパイプ"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused() {
        let err = read_bounded(Path::new("/dev/zero"), 10, "提出ファイル").unwrap_err();
        assert!(err.to_string().contains("デバイス"), "{err}");
    }
}
