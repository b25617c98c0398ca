//! Reading and writing package and submission files: JSON with a SHA-256 checksum over the
//! canonical form of everything else in the file (keys sorted, no spaces), and for a
//! submission an HMAC-SHA256 of the same canonical form under its package's secret.
//!
//! The checksum proves only that the file arrived whole: anyone can compute it again. The MAC
//! proves that the file was written from the package the coordinator issued to that department.

use std::path::Path;

use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::VERSION;
use crate::safe_save::{self, SaveError};

/// No package or submission comes near this (2,000 measures write a few MB): a larger file is
/// refused before it is read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file could not be read or written; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Missing, not a regular file (a folder, a named pipe), or unreadable.
    #[error(transparent)]
    Read(crate::reading::ReadError),
    /// The safe save failed; the file under that name, if any, is as it was.
    #[error(transparent)]
    Write(#[from] SaveError),
    #[error("{file} は大きすぎます（{size} バイト、上限 {max} バイト）。提出ファイルやパッケージではないようです", max = MAX_FILE_BYTES)]
    TooLarge { file: String, size: u64 },
    #[error("{file} は壊れています（JSON として読めません: {message}）")]
    Json { file: String, message: String },
    #[error("{file} は{expected}ではありません")]
    WrongKind {
        file: String,
        expected: &'static str,
    },
    #[error("{file} は形式 1 の{expected}です。形式 1 は作成元を証明できないため受け付けません。取りまとめ担当が新しいパッケージを配布し、そこから作り直してください")]
    Unsigned {
        file: String,
        expected: &'static str,
    },
    #[error("{file} は形式のバージョン {found} で作られています（このアプリは {VERSION}）。アプリを更新するか、作成元に確認してください")]
    Version { file: String, found: u64 },
    #[error("{file} は壊れています（チェックサムが一致しません）。送られたファイルをもう一度受け取ってください")]
    Checksum { file: String },
}

/// A file as read: its content, the checksum of its canonical form, and the MAC it carries.
pub struct FileRead<T> {
    pub content: T,
    pub checksum: String,
    canonical: Vec<u8>,
    mac: Option<String>,
}

impl<T> FileRead<T> {
    /// Whether the file's MAC is the one `secret` makes of its canonical form (constant time).
    pub fn signed_with(&self, secret: &str) -> bool {
        let (Some(mac), Some(key)) = (self.mac.as_deref(), hex_decode(secret)) else {
            return false;
        };
        let Some(tag) = hex_decode(mac) else {
            return false;
        };
        let mut hmac = new_hmac(&key);
        hmac.update(&self.canonical);
        hmac.verify_slice(&tag).is_ok()
    }
}

type HmacSha256 = Hmac<Sha256>;

fn new_hmac(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// A new random secret for a package, hex: 32 bytes from the operating system.
pub fn new_secret() -> Result<String, getrandom::Error> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key)?;
    Ok(hex(&key))
}

/// The file name as shown to users.
pub fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn canonical(value: &Value) -> Vec<u8> {
    // serde_json's maps are sorted by key (no `preserve_order`): one text for one content.
    serde_json::to_vec(value).expect("a JSON value serialises")
}

fn checksum_of(canonical: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(canonical)))
}

/// Writes `content` with its checksum and, given a secret, its MAC, through the app's one safe
/// save: whole or not at all, never through a link planted in a shared folder.
pub fn write<T: Serialize>(
    path: &Path,
    content: &T,
    secret: Option<&str>,
) -> Result<(), FileError> {
    let json_error = |e: serde_json::Error| FileError::Json {
        file: name(path),
        message: crate::os_message::json(&e),
    };
    let mut value = serde_json::to_value(content).map_err(json_error)?;
    let canonical = canonical(&value);
    if let Value::Object(map) = &mut value {
        map.insert("checksum".into(), Value::String(checksum_of(&canonical)));
        if let Some(key) = secret.and_then(hex_decode) {
            let mut hmac = new_hmac(&key);
            hmac.update(&canonical);
            let tag = hmac.finalize().into_bytes();
            map.insert(
                "mac".into(),
                Value::String(format!("hmac-sha256:{}", hex(&tag))),
            );
        }
    }
    let text = serde_json::to_string_pretty(&value).map_err(json_error)?;
    Ok(safe_save::save(path, text.as_bytes())?)
}

/// Reads a file of the given format, checking that it is a regular file and its size first,
/// then kind, version and checksum.
pub fn read<T: DeserializeOwned>(path: &Path, format: &str) -> Result<FileRead<T>, FileError> {
    let file = name(path);
    let bytes = crate::reading::read_bounded(path, MAX_FILE_BYTES, "提出ファイルやパッケージ")
        .map_err(|e| match e {
            crate::reading::ReadError::TooLarge { size, .. } => FileError::TooLarge {
                file: file.clone(),
                size,
            },
            other => FileError::Read(other),
        })?;
    parse(&bytes, &file, format)
}

/// Parses the bytes of a file named `file`, checking kind, version and checksum.
pub fn parse<T: DeserializeOwned>(
    bytes: &[u8],
    file: &str,
    format: &str,
) -> Result<FileRead<T>, FileError> {
    let file = file.to_string();
    let mut value: Value = serde_json::from_slice(bytes).map_err(|e| FileError::Json {
        file: file.clone(),
        message: crate::os_message::json(&e),
    })?;
    let expected = if format.ends_with("package") {
        "提出用パッケージ"
    } else {
        "提出ファイル"
    };
    if value.get("format").and_then(Value::as_str) != Some(format) {
        return Err(FileError::WrongKind { file, expected });
    }
    match value.get("version").and_then(Value::as_u64).unwrap_or(0) {
        1 => return Err(FileError::Unsigned { file, expected }),
        v if v == u64::from(VERSION) => {}
        found => return Err(FileError::Version { file, found }),
    }
    let map = value.as_object_mut();
    let stated = map.as_ref().and_then(|m| m.get("checksum")).cloned();
    let mac = value
        .as_object_mut()
        .and_then(|m| {
            m.remove("checksum");
            m.remove("mac")
        })
        .and_then(|m| m.as_str().map(str::to_string))
        .and_then(|m| m.strip_prefix("hmac-sha256:").map(str::to_string));
    let canonical = canonical(&value);
    let checksum = checksum_of(&canonical);
    if stated.as_ref().and_then(Value::as_str) != Some(checksum.as_str()) {
        return Err(FileError::Checksum { file });
    }
    let content = serde_json::from_value(value).map_err(|e| FileError::Json {
        file,
        message: crate::os_message::json(&e),
    })?;
    Ok(FileRead {
        content,
        checksum,
        canonical,
        mac,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mac_verifies_only_under_its_own_secret_and_content() {
        let secret = new_secret().unwrap();
        let other = new_secret().unwrap();
        assert_ne!(secret, other);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let content =
            serde_json::json!({"format": "shinchoku-submission", "version": VERSION, "x": 1});
        write(&path, &content, Some(&secret)).unwrap();
        let read: FileRead<Value> = read(&path, "shinchoku-submission").unwrap();
        assert!(read.signed_with(&secret));
        assert!(!read.signed_with(&other));
        assert!(!read.signed_with("not hex"));
        // Rewritten with a recomputed checksum: the checksum passes, the MAC does not.
        let mut value: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let mac = value["mac"].clone();
        value.as_object_mut().unwrap().remove("checksum");
        value.as_object_mut().unwrap().remove("mac");
        value["x"] = Value::from(2);
        let sum = checksum_of(&canonical(&value));
        value["checksum"] = Value::String(sum);
        value["mac"] = mac;
        let forged: FileRead<Value> = parse(
            &serde_json::to_vec(&value).unwrap(),
            "s.json",
            "shinchoku-submission",
        )
        .unwrap();
        assert!(!forged.signed_with(&secret));
    }

    #[test]
    fn version_one_files_are_refused_as_unsigned() {
        let bytes = br#"{"format":"shinchoku-submission","version":1}"#;
        let err = parse::<Value>(bytes, "old.json", "shinchoku-submission")
            .err()
            .unwrap();
        assert!(matches!(err, FileError::Unsigned { .. }), "{err}");
        assert!(err.to_string().contains("old.json"));
    }
}
