//! The file names of `package --all`: one per department, never two departments in one file,
//! valid on Windows and Linux, and short (docs/submission-format.md, "Package files").

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::model::Department;

/// The most characters of a name part (before `.shinchoku-package`). Windows' MAX_PATH is 260
/// characters for the whole path; the folder (a shared drive, a user's Desktop) often takes 100
/// or more, the extension 18. The longest real department name is 12 characters.
pub const MAX_NAME_CHARS: usize = 60;
/// The most bytes of a name part in UTF-8: Linux takes 255 bytes for a name, with the extension
/// (18) and an id suffix (at most 25) 180 stays under it; 60 Japanese characters are 180 bytes,
/// 60 emoji would be 240.
pub const MAX_NAME_BYTES: usize = 180;

/// Windows refuses these as a file's name, with or without an extension (`CON.txt` too), in any
/// case.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A name as a file name part, the same on Windows and Linux: what either refuses in a name
/// (`/ \ : * ? " < > |`, control and invisible characters) and every space become `_`
/// (on NTFS `課:旧` would name a hidden stream of the file `課`, not a file); NFC, as macOS
/// stores names; cut to `max` characters; a leading dot (hidden on Linux) and a trailing dot
/// (dropped by Windows) become `_`; a reserved device name (`CON`, `com1.x`) gets `_` in front.
fn sanitised(name: &str, max: usize, max_bytes: usize) -> String {
    let mut bytes = 0;
    let mut part: Vec<char> = name
        .nfc()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_whitespace() || c.is_control() => '_',
            c if crate::name::invisible(c) => '_',
            c => c,
        })
        .take(max)
        .take_while(|c| {
            bytes += c.len_utf8();
            bytes <= max_bytes
        })
        .collect();
    if part.is_empty() {
        part.push('_');
    }
    if part[0] == '.' {
        part[0] = '_';
    }
    if let Some(last) = part.last_mut() {
        if *last == '.' {
            *last = '_';
        }
    }
    let part: String = part.into_iter().collect();
    let stem = part.split('.').next().unwrap_or_default();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        // One character longer than `max` at most: still far under every limit.
        return format!("_{part}");
    }
    part
}

/// The key two file names clash by on a case-insensitive file system (Windows, macOS).
fn clash_key(part: &str) -> String {
    part.nfc().flat_map(char::to_lowercase).collect()
}

/// The name part of each department's package file, in the order given: the department's name
/// made safe ([`sanitised`]). When two departments' parts are the same, ignoring case, each of
/// them gets ` (ID n)` with its department id: stable from one `--all` to the next, since ids
/// never change, and unique, since no plain part holds a space. So two departments never
/// share a file, whatever their names.
pub fn package_name_parts(departments: &[Department]) -> Vec<String> {
    let plain: Vec<String> = departments
        .iter()
        .map(|d| sanitised(&d.name, MAX_NAME_CHARS, MAX_NAME_BYTES))
        .collect();
    let mut count: HashMap<String, usize> = HashMap::new();
    for part in &plain {
        *count.entry(clash_key(part)).or_default() += 1;
    }
    departments
        .iter()
        .zip(plain)
        .map(|(d, part)| {
            if count[&clash_key(&part)] == 1 {
                return part;
            }
            let suffix = format!(" (ID {})", d.id);
            let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
            let room_bytes = MAX_NAME_BYTES.saturating_sub(suffix.len());
            format!("{}{suffix}", sanitised(&d.name, room, room_bytes))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(names: &[&str]) -> Vec<String> {
        let departments: Vec<Department> = names
            .iter()
            .enumerate()
            .map(|(i, n)| Department {
                id: i as i64 + 1,
                name: n.to_string(),
            })
            .collect();
        package_name_parts(&departments)
    }

    #[test]
    fn a_department_name_makes_a_file_name_windows_and_linux_accept() {
        assert_eq!(parts(&["企画課"]), ["企画課"]);
        assert_eq!(
            parts(&["企画課:旧/政策 課?*\"<>|\\\t"]),
            ["企画課_旧_政策_課________"]
        );
        assert_eq!(parts(&["こども　支援課"]), ["こども_支援課"]);
        assert_eq!(
            parts(&["CON", "com1.課", "課.", ".課"]),
            ["_CON", "_com1.課", "課_", "_課"]
        );
    }

    #[test]
    fn names_that_differ_only_where_a_file_name_cannot_get_distinct_stable_parts() {
        let got = parts(&["a/b", "a:b", "A|B", "企画課"]);
        assert_eq!(got, ["a_b (ID 1)", "a_b (ID 2)", "A_B (ID 3)", "企画課"]);
    }

    #[test]
    fn a_long_name_is_cut_and_still_unique() {
        let long = "課".repeat(300);
        let longer = format!("{long}x");
        let emoji = "🏛".repeat(100);
        let got = parts(&[&long, &longer, &emoji]);
        for part in &got {
            assert!(part.chars().count() <= MAX_NAME_CHARS, "{part}");
            assert!(part.len() + ".shinchoku-package".len() <= 255, "{part}");
        }
        assert_ne!(got[0], got[1]);
    }
}
