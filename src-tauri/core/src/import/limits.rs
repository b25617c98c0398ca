//! What a workbook may hold before and while it is read: the package is checked before calamine
//! opens it, and the cells are counted while calamine streams them, so that a crafted file is
//! refused with a message instead of exhausting memory, hanging or aborting the app.
//!
//! Numbers are set far above the largest real report (the 2,000-measure export over two years:
//! a 0.9 MB file of 16 parts, 7.5 MB unpacked, its main sheet 4.3 MB, its shared strings 1.7 MB)
//! and far below what would hurt a city hall's desktop PC.

use std::io::{Cursor, Read};
use std::panic::AssertUnwindSafe;

use super::ImportError;

/// The file as picked: our largest export is 0.9 MB; a sheet re-saved by Excel with a logo or a
/// few pictures stays well under this.
pub const MAX_FILE_BYTES: u64 = 50 * MB;
/// Parts in the package: our export has 16, Excel's own files a few dozen.
pub const MAX_ENTRIES: usize = 1_000;
/// One part unpacked, as the package declares it: the largest real part is 4.3 MB.
pub const MAX_ENTRY_BYTES: u64 = 256 * MB;
/// All parts unpacked together, as declared: 7.5 MB in the largest real export.
pub const MAX_TOTAL_BYTES: u64 = 512 * MB;
/// Unpacked ÷ packed size of one part. Sheet XML packs 5–25 times; a "zip bomb" packs about 1,000
/// times.
pub const MAX_RATIO: u64 = 200;
/// Parts smaller than this unpacked are not held to [`MAX_RATIO`]: a short run of repeated bytes
/// packs very well and costs nothing.
pub const RATIO_FREE_BYTES: u64 = MB;
/// A part that is not a worksheet (shared strings, styles, workbook, relationships …) really
/// unpacked: the shared strings of the largest export are 1.7 MB. They are read whole by calamine
/// when it opens the file, before a single cell is counted, so they are unpacked here first.
pub const MAX_PART_BYTES: u64 = 32 * MB;
/// Cells calamine hands over, blank ones too, across the workbook: the 2,000-measure export
/// has about 300,000. Each costs reading time even when blank, so this bounds the time too.
pub const MAX_CELLS_READ: u64 = 5_000_000;
/// Bytes of text read into the grids across the workbook: a few MB in the largest export.
pub const MAX_TEXT_BYTES: u64 = 64 * MB;
/// Excel's own limit on one cell's text, in characters: the export's, one number for both ways.
pub use crate::export::layout::MAX_CELL_CHARS;
/// Excel's grid: rows and columns of a worksheet (A1:XFD1048576).
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLS: u32 = 16_384;

const MB: u64 = 1024 * 1024;

/// Whole megabytes, rounded up, for messages.
pub(crate) fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(MB)
}

/// Runs one call into a reading library (calamine, or the zip reader it stands on). Fuzzing found
/// panics inside calamine on damaged parts (a reversed range "B2:A1" overflowing in its dimension
/// parser): such a file is refused as damaged. Only the library call is guarded: a panic of our
/// own code stays a panic, for the tests and the fuzzer to see.
pub(crate) fn guarded<T>(file_name: &str, call: impl FnOnce() -> T) -> Result<T, ImportError> {
    std::panic::catch_unwind(AssertUnwindSafe(call)).map_err(|_| ImportError::Damaged {
        file: file_name.to_string(),
    })
}

/// Checks the package before calamine opens it: its size, its parts' declared sizes and packing
/// ratios, and the real contents of every part that is not a worksheet. Bytes that are not a zip
/// are left for calamine to refuse with its own reason (it also recognises password-protected
/// files).
pub fn check_package(bytes: &[u8], file_name: &str) -> Result<(), ImportError> {
    let file = || file_name.to_string();
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::FileTooLarge {
            file: file(),
            mb: megabytes(bytes.len() as u64),
            max_mb: megabytes(MAX_FILE_BYTES),
        });
    }
    let Ok(mut archive) = guarded(file_name, || zip::ZipArchive::new(Cursor::new(bytes)))? else {
        return Ok(());
    };
    if archive.len() > MAX_ENTRIES {
        return Err(ImportError::TooManyParts {
            file: file(),
            count: archive.len(),
            max: MAX_ENTRIES,
        });
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let Ok(entry) = archive.by_index_data(index) else {
            continue;
        };
        let part = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let (declared, packed) = (entry.size(), entry.compressed_size());
        if declared > MAX_ENTRY_BYTES {
            return Err(ImportError::PartTooLarge {
                file: file(),
                part,
                max_mb: megabytes(MAX_ENTRY_BYTES),
            });
        }
        if declared > RATIO_FREE_BYTES && declared / packed.max(1) > MAX_RATIO {
            return Err(ImportError::Overpacked {
                file: file(),
                part,
                ratio: declared / packed.max(1),
                max: MAX_RATIO,
            });
        }
        total = total.saturating_add(declared);
        if total > MAX_TOTAL_BYTES {
            return Err(ImportError::ExpandedTooLarge {
                file: file(),
                max_mb: megabytes(MAX_TOTAL_BYTES),
            });
        }
        if !is_worksheet(&part) {
            check_part(&mut archive, index, &part, file_name)?;
        }
    }
    Ok(())
}

/// Worksheets are streamed by calamine cell by cell and bounded there ([`CellBudget`]); unpacking
/// them here too would double the reading time of a large report. What calamine unpacks of one
/// is bounded by its declared size, held here to [`MAX_ENTRY_BYTES`] and [`MAX_RATIO`]: the zip
/// reader stops a part that unpacks past it (tests/core/import_limits.rs pins this). Any part
/// named like the shared strings is checked wherever it sits, since the package decides where
/// calamine looks.
fn is_worksheet(part: &str) -> bool {
    let lower = part.replace('\\', "/").to_ascii_lowercase();
    lower.contains("worksheets/")
        && lower.ends_with(".xml")
        && !lower.ends_with("sharedstrings.xml")
}

/// Unpacks one part with a cap, never trusting its declared size, and checks the shared
/// strings' counts against the strings really there.
fn check_part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    index: usize,
    part: &str,
    file_name: &str,
) -> Result<(), ImportError> {
    let damaged = || ImportError::DamagedPart {
        file: file_name.to_string(),
        part: part.to_string(),
    };
    let mut contents = Vec::new();
    let read = guarded(file_name, || {
        // A part the zip reader cannot open (an unknown packing method, a password) cannot be
        // opened by calamine either: calamine says why if it needs it.
        let Ok(entry) = archive.by_index(index) else {
            return Ok(0);
        };
        entry.take(MAX_PART_BYTES + 1).read_to_end(&mut contents)
    })?;
    // The zip reader stops a part that unpacks past its declared size with an error: such a
    // part is forged or damaged, as is one whose checksum fails.
    read.map_err(|_| damaged())?;
    if contents.len() as u64 > MAX_PART_BYTES {
        return Err(ImportError::PartTooLarge {
            file: file_name.to_string(),
            part: part.to_string(),
            max_mb: megabytes(MAX_PART_BYTES),
        });
    }
    if part.to_ascii_lowercase().ends_with("sharedstrings.xml") {
        check_shared_strings(&contents, part, file_name)?;
    }
    Ok(())
}

/// calamine reserves room for the `uniqueCount` the `<sst>` tag declares before reading a
/// string: a count above the strings really there would ask for terabytes and abort the app.
/// `count` is the number of cells using the strings, so it is held to the cells a workbook may
/// have instead.
fn check_shared_strings(xml: &[u8], part: &str, file_name: &str) -> Result<(), ImportError> {
    let strings = elements(xml, b"si").count() as u64;
    let Some(sst) = elements(xml, b"sst").next() else {
        return Ok(());
    };
    let tag = &xml[sst..xml[sst..]
        .iter()
        .position(|&b| b == b'>')
        .map_or(xml.len(), |end| sst + end)];
    for (name, max) in [("uniqueCount", strings), ("count", MAX_CELLS_READ)] {
        let Some(value) = attribute(tag, name.as_bytes()) else {
            continue;
        };
        // Anything but plain digits within the limit is refused: calamine's own number parser
        // may read more forms than ours.
        let declared = std::str::from_utf8(value)
            .ok()
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_none_or(|d| d > max) {
            return Err(ImportError::SharedStringCount {
                file: file_name.to_string(),
                part: part.to_string(),
                declared: String::from_utf8_lossy(value).chars().take(40).collect(),
                real: max,
            });
        }
    }
    Ok(())
}

/// Where elements named `local` start (just after `<`), with or without a namespace prefix
/// (`<si>`, `<x:si …>`). A plain byte scan: text inside comments or CDATA may be counted too,
/// which only lets a count through up to the part's size, already capped.
fn elements<'a>(xml: &'a [u8], local: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    xml.iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'<')
        .map(|(at, _)| at + 1)
        .filter(move |&start| {
            let name_end = xml[start..]
                .iter()
                .position(|&b| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n'))
                .map_or(xml.len(), |n| start + n);
            let name = &xml[start..name_end];
            let local_name = name
                .iter()
                .rposition(|&b| b == b':')
                .map_or(name, |colon| &name[colon + 1..]);
            local_name == local && name_end < xml.len()
        })
}

/// An attribute's raw value in a start tag (`uniqueCount="12"`).
fn attribute<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut rest = tag;
    while let Some(at) = rest.windows(name.len()).position(|w| w == name) {
        let before = at.checked_sub(1).map(|i| rest[i]);
        let after = &rest[at + name.len()..];
        let after = trim_start(after);
        if before.is_some_and(|b| b.is_ascii_whitespace()) && after.first() == Some(&b'=') {
            let value = trim_start(&after[1..]);
            let quote = *value.first()?;
            if quote == b'"' || quote == b'\'' {
                let end = value[1..].iter().position(|&b| b == quote)?;
                return Some(&value[1..1 + end]);
            }
            return None;
        }
        rest = &rest[at + name.len()..];
    }
    None
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[skip..]
}

/// What the cells of one workbook may still take: cells read and bytes of text. Shared by every
/// sheet read from the file.
pub(crate) struct CellBudget {
    cells_read: u64,
    text_bytes: u64,
}

impl CellBudget {
    pub(crate) fn new() -> CellBudget {
        CellBudget {
            cells_read: 0,
            text_bytes: 0,
        }
    }

    /// Counts one cell as calamine hands it over, blank or not.
    pub(crate) fn count_cell(&mut self, file_name: &str, sheet: &str) -> Result<(), ImportError> {
        self.cells_read += 1;
        if self.cells_read > MAX_CELLS_READ {
            return Err(ImportError::TooManyCells {
                file: file_name.to_string(),
                sheet: sheet.to_string(),
                max: MAX_CELLS_READ,
            });
        }
        Ok(())
    }

    /// Takes a cell's text before it is copied: Excel's limit on one cell, then the workbook's
    /// budget. `place` is only built for the message.
    pub(crate) fn take_text(
        &mut self,
        text: &str,
        file_name: &str,
        place: impl FnOnce() -> String,
    ) -> Result<(), ImportError> {
        // A text of no more bytes than the limit has no more characters either: only longer
        // ones are counted.
        if text.len() > MAX_CELL_CHARS {
            let chars = text.chars().count();
            if chars > MAX_CELL_CHARS {
                return Err(ImportError::CellTooLong {
                    file: file_name.to_string(),
                    place: place(),
                    chars,
                    max: MAX_CELL_CHARS,
                });
            }
        }
        self.text_bytes += text.len() as u64;
        if self.text_bytes > MAX_TEXT_BYTES {
            return Err(ImportError::TooMuchText {
                file: file_name.to_string(),
                place: place(),
                max_mb: megabytes(MAX_TEXT_BYTES),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_string_elements_are_found_with_or_without_a_prefix() {
        let xml = br#"<?xml?><x:sst xmlns:x="n" count="3" uniqueCount="2"><x:si><x:t>a</x:t></x:si><si/><sistem/></x:sst>"#;
        assert_eq!(elements(xml, b"si").count(), 2);
        let sst = elements(xml, b"sst").next().unwrap();
        assert_eq!(attribute(&xml[sst..], b"uniqueCount"), Some(&b"2"[..]));
        assert_eq!(attribute(&xml[sst..], b"count"), Some(&b"3"[..]));
        assert!(check_shared_strings(xml, "xl/sharedStrings.xml", "a.xlsx").is_ok());
    }

    #[test]
    fn a_unique_count_above_the_strings_there_is_refused() {
        let xml = br#"<sst uniqueCount="1000000000000"><si><t>a</t></si></sst>"#;
        let err = check_shared_strings(xml, "xl/sharedStrings.xml", "a.xlsx").unwrap_err();
        assert!(
            matches!(err, ImportError::SharedStringCount { real: 1, .. }),
            "{err}"
        );
        let xml = br#"<sst uniqueCount=" 1e12"><si/></sst>"#;
        assert!(check_shared_strings(xml, "xl/sharedStrings.xml", "a.xlsx").is_err());
    }

    #[test]
    fn only_parts_under_worksheets_are_left_to_the_cell_reader() {
        assert!(is_worksheet("xl/worksheets/sheet1.xml"));
        assert!(!is_worksheet("xl/worksheets/_rels/sheet1.xml.rels"));
        assert!(!is_worksheet("xl/worksheets/sharedStrings.xml"));
        assert!(!is_worksheet("xl/styles.xml"));
    }
}
