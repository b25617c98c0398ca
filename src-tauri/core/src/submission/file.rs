//! Reading and writing package and submission files: JSON with a SHA-256 checksum over the
//! canonical form of everything else in the file (keys sorted, no spaces).

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::VERSION;
use crate::safe_save::{self, SaveError};

/// Why a file could not be read or written; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{file} を読めません: {source}")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// The safe save failed; the file under that name, if any, is as it was.
    #[error(transparent)]
    Write(#[from] SaveError),
    #[error("{file} は壊れています（JSON として読めません: {message}）")]
    Json { file: String, message: String },
    #[error("{file} は{expected}ではありません")]
    WrongKind {
        file: String,
        expected: &'static str,
    },
    #[error("{file} は形式のバージョン {found} で作られています（このアプリは {VERSION}）。アプリを更新するか、作成元に確認してください")]
    Version { file: String, found: u64 },
    #[error("{file} のチェックサムが一致しません。ファイルが壊れているか、書き換えられています")]
    Checksum { file: String },
}

/// The file name as shown to users.
pub fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn checksum(value: &Value) -> String {
    let canonical = serde_json::to_vec(value).expect("a JSON value serialises");
    let digest = Sha256::digest(&canonical);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Writes `content` with its checksum through the app's one safe save: whole or not at all,
/// never through a link planted in a shared folder.
pub fn write<T: Serialize>(path: &Path, content: &T) -> Result<(), FileError> {
    let mut value = serde_json::to_value(content).map_err(|e| FileError::Json {
        file: name(path),
        message: e.to_string(),
    })?;
    let sum = checksum(&value);
    if let Value::Object(map) = &mut value {
        map.insert("checksum".into(), Value::String(sum));
    }
    let text = serde_json::to_string_pretty(&value).map_err(|e| FileError::Json {
        file: name(path),
        message: e.to_string(),
    })?;
    Ok(safe_save::save(path, text.as_bytes())?)
}

/// Reads a file of the given format, checking version and checksum; returns it with its checksum.
pub fn read_with_checksum<T: DeserializeOwned>(
    path: &Path,
    format: &str,
) -> Result<(T, String), FileError> {
    let file = name(path);
    let bytes = std::fs::read(path).map_err(|source| FileError::Read {
        file: file.clone(),
        source,
    })?;
    parse(&bytes, &file, format)
}

/// Parses the bytes of a file named `file`, checking kind, version and checksum.
pub fn parse<T: DeserializeOwned>(
    bytes: &[u8],
    file: &str,
    format: &str,
) -> Result<(T, String), FileError> {
    let file = file.to_string();
    let mut value: Value = serde_json::from_slice(bytes).map_err(|e| FileError::Json {
        file: file.clone(),
        message: e.to_string(),
    })?;
    let expected = if format.ends_with("package") {
        "提出用パッケージ"
    } else {
        "提出ファイル"
    };
    if value.get("format").and_then(Value::as_str) != Some(format) {
        return Err(FileError::WrongKind { file, expected });
    }
    let version = value.get("version").and_then(Value::as_u64).unwrap_or(0);
    if version != u64::from(VERSION) {
        return Err(FileError::Version {
            file,
            found: version,
        });
    }
    let stated = value.as_object_mut().and_then(|m| m.remove("checksum"));
    let actual = checksum(&value);
    if stated.as_ref().and_then(Value::as_str) != Some(actual.as_str()) {
        return Err(FileError::Checksum { file });
    }
    let content = serde_json::from_value(value).map_err(|e| FileError::Json {
        file,
        message: e.to_string(),
    })?;
    Ok((content, actual))
}

pub fn read<T: DeserializeOwned>(path: &Path, format: &str) -> Result<T, FileError> {
    read_with_checksum(path, format).map(|(content, _)| content)
}
