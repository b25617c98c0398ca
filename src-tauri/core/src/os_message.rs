//! What the operating system and SQLite say when a file or the database fails, in the user's
//! words. The English original stays in the error's `source()` for the log; the message a user
//! reads carries only these sentences, so that a clerk knows what to do (close Excel, free the
//! disk, ask for write access) without reading "os error 32".

use std::io;

/// Windows' ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION: another program (Excel) holds
/// the file open without sharing it.
const WINDOWS_SHARING_VIOLATION: i32 = 32;
const WINDOWS_LOCK_VIOLATION: i32 = 33;
/// Windows' ERROR_USER_MAPPED_FILE: the file is mapped by another program.
const WINDOWS_USER_MAPPED_FILE: i32 = 1224;
/// Windows' ERROR_FILENAME_EXCED_RANGE: a path over MAX_PATH where long paths are off.
const WINDOWS_FILENAME_TOO_LONG: i32 = 206;

/// Whether another program holds the file open without sharing it (Windows' sharing and lock
/// violations; Excel keeps an open workbook so).
pub fn is_in_use(e: &io::Error) -> bool {
    cfg!(windows)
        && matches!(
            e.raw_os_error(),
            Some(WINDOWS_SHARING_VIOLATION | WINDOWS_LOCK_VIOLATION | WINDOWS_USER_MAPPED_FILE)
        )
}

/// Why an operation on a file failed, as a clerk reads it.
pub fn io(e: &io::Error) -> String {
    if is_in_use(e) {
        return "他のアプリで開かれています。閉じてからもう一度お試しください".into();
    }
    if let Some(code) = e.raw_os_error() {
        if cfg!(windows) && code == WINDOWS_FILENAME_TOO_LONG {
            return "パスが長すぎます。短い名前のフォルダを使ってください".into();
        }
    }
    use io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "ファイルまたはフォルダが見つかりません".into(),
        K::PermissionDenied => {
            "アクセスが許可されていません（読み取り専用か、権限がありません）".into()
        }
        K::ReadOnlyFilesystem => "読み取り専用の場所です".into(),
        K::StorageFull | K::QuotaExceeded => "ディスクの空き容量が足りません".into(),
        K::FileTooLarge => "ファイルが大きすぎます".into(),
        K::InvalidFilename => "ファイル名が長すぎるか、使えない文字を含んでいます".into(),
        K::IsADirectory => "フォルダです".into(),
        K::NotADirectory => "パスの途中がフォルダではありません".into(),
        K::AlreadyExists => "同じ名前のファイルがあります".into(),
        K::DirectoryNotEmpty => "フォルダが空ではありません".into(),
        K::ResourceBusy | K::ExecutableFileBusy => "他のプログラムが使用中です".into(),
        K::CrossesDevices => "別のドライブへは移動できません".into(),
        K::TimedOut | K::WouldBlock => "応答がありません".into(),
        K::Interrupted => "中断されました".into(),
        K::BrokenPipe => "出力先が閉じられました".into(),
        K::OutOfMemory => "メモリが足りません".into(),
        K::UnexpectedEof => "ファイルが途中で終わっています".into(),
        K::InvalidData => "内容が読めません".into(),
        _ => match e.raw_os_error() {
            Some(code) => format!("入出力に失敗しました（OS のエラー番号 {code}）"),
            None => "入出力に失敗しました".into(),
        },
    }
}

/// Why an SQLite operation failed, as a clerk reads it.
pub fn sqlite(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    match e {
        rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
            C::DatabaseCorrupt => {
                "データベースが壊れています。バックアップから復元してください（shinchoku restore --list）".into()
            }
            C::NotADatabase => "SQLite のデータベースではありません".into(),
            C::ReadOnly => "データベースが読み取り専用です".into(),
            C::DiskFull => "ディスクの空き容量が足りません".into(),
            C::CannotOpen => {
                "データベースを開けません（フォルダが書き込みできないか、見つかりません）".into()
            }
            C::PermissionDenied => "アクセスが許可されていません".into(),
            C::DatabaseBusy | C::DatabaseLocked => {
                "他のプログラムが使用中です。しばらくしてからもう一度お試しください".into()
            }
            C::SystemIoFailure => {
                "ディスクの読み書きに失敗しました（空き容量、ネットワーク、接続を確認してください）".into()
            }
            C::OutOfMemory => "メモリが足りません".into(),
            C::TooBig => "データが大きすぎます".into(),
            C::FileLockingProtocolFailed => {
                "ファイルのロックに失敗しました（ネットワークフォルダを確認してください）".into()
            }
            C::ConstraintViolation => "データの整合性の規則に反します".into(),
            _ => format!(
                "データベースの予期しないエラーです（SQLite のエラー番号 {}）",
                failure.extended_code
            ),
        },
        rusqlite::Error::InvalidPath(_) => "データベースのパスが正しくありません".into(),
        _ => "データベースの予期しないエラーです".into(),
    }
}

/// Where and why a JSON text does not parse, as a clerk reads it (serde's own words are
/// English and name Rust types).
pub fn json(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    // Our own types refuse a value in Japanese (a year out of range): that sentence is kept.
    let text = e.to_string();
    let own = text
        .split(" at line ")
        .next()
        .filter(|m| !m.is_ascii())
        .map(str::to_string);
    let what = match e.classify() {
        Category::Io => "読み込みに失敗しました".to_string(),
        Category::Syntax => "JSON の書き方が正しくありません".to_string(),
        Category::Data => own.unwrap_or_else(|| "項目の値の形が違います".to_string()),
        Category::Eof => "途中で終わっています".to_string(),
    };
    if e.line() == 0 {
        what.to_string()
    } else {
        format!("{} 行 {} 文字目: {what}", e.line(), e.column())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reason a user reads is Japanese: none carries the OS's English text.
    #[test]
    fn the_common_failures_read_in_japanese() {
        for kind in [
            io::ErrorKind::NotFound,
            io::ErrorKind::PermissionDenied,
            io::ErrorKind::StorageFull,
            io::ErrorKind::ReadOnlyFilesystem,
            io::ErrorKind::InvalidFilename,
            io::ErrorKind::Other,
        ] {
            let text = io(&io::Error::new(kind, "English original"));
            assert!(!text.contains("English"), "{text}");
            assert!(!text.is_ascii(), "{text}");
        }
        let disk_full = io(&io::Error::from_raw_os_error(28)); // ENOSPC on Linux
        if cfg!(target_os = "linux") {
            assert_eq!(disk_full, "ディスクの空き容量が足りません");
        }
        for code in [
            rusqlite::ErrorCode::DatabaseCorrupt,
            rusqlite::ErrorCode::ReadOnly,
            rusqlite::ErrorCode::DiskFull,
            rusqlite::ErrorCode::DatabaseBusy,
            rusqlite::ErrorCode::Unknown,
        ] {
            let e = rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error {
                    code,
                    extended_code: 1,
                },
                Some("database disk image is malformed".into()),
            );
            let text = sqlite(&e);
            assert!(!text.contains("malformed"), "{text}");
            assert!(!text.is_ascii(), "{text}");
        }
    }
}
