//! `import::limits`: workbooks crafted by editing one part of a real export (a count that asks
//! for terabytes, a cell past Excel's grid, a zip bomb …) are refused with a message naming the
//! file, and importing them leaves the database byte for byte as it was. Each crafted file is
//! also kept in tests/fuzz-regressions/ (`limits-*.xlsx`); `SHINCHOKU_WRITE_REGRESSIONS=1`
//! writes them anew.

use std::io::{Cursor, Read, Write};

use shinchoku_core::import::{self, limits, ImportError};

use crate::common::{import_sheet, sample_db, snapshot, TempDir};
use crate::import_fuzz::{part, repack, sample_export};

const SHARED_STRINGS: &str = "xl/sharedStrings.xml";
const MAIN_SHEET: &str = "xl/worksheets/sheet1.xml";

/// Reads `bytes` as `file`, expecting a refusal naming the file; imports the file into a sample
/// database, as a new report and as a department's return, expecting a refusal that changes
/// nothing. Keeps the file as a regression input. Returns the reader's refusal.
fn refused(file: &str, bytes: &[u8]) -> ImportError {
    let err = import::read_xlsx(bytes, file).unwrap_err();
    assert!(err.to_string().contains(file), "{err}");
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let before = snapshot(&db);
    let sheet = dir.path(file);
    std::fs::write(&sheet, bytes).unwrap();
    for extra in [&[][..], &["--as-submission", "道路維持課"]] {
        let out = import_sheet(&db, &sheet, extra);
        assert_eq!(out.code, 1, "{extra:?}: {}", out.stdout);
        assert!(out.stderr.contains(file), "{}", out.stderr);
    }
    assert_eq!(snapshot(&db), before, "the database changed");
    keep(file, bytes);
    err
}

/// Writes a crafted file into tests/fuzz-regressions/ when asked to, else checks it is there.
fn keep(file: &str, bytes: &[u8]) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(file);
    if std::env::var_os("SHINCHOKU_WRITE_REGRESSIONS").is_some() {
        std::fs::write(&path, bytes).unwrap();
    }
    assert!(path.exists(), "{} is not kept", path.display());
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

/// The export with `extra` inserted just before `</sheetData>` of the main sheet.
fn with_cells(extra: &str) -> Vec<u8> {
    let seed = sample_export();
    let sheet = text(part(&seed, MAIN_SHEET)).replacen(
        "</sheetData>",
        &(extra.to_string() + "</sheetData>"),
        1,
    );
    repack(&seed, MAIN_SHEET, sheet.as_bytes())
}

/// The `<sst>` tag's attribute value, as a number.
fn declared(xml: &str, attribute: &str) -> usize {
    let start = xml.find(&format!(" {attribute}=\"")).unwrap() + attribute.len() + 3;
    let end = start + xml[start..].find('"').unwrap();
    xml[start..end].parse().unwrap()
}

/// Column letters of a 0-based column.
fn column(mut col: usize) -> String {
    let mut letters = String::new();
    col += 1;
    while col > 0 {
        letters.insert(0, char::from(b'A' + ((col - 1) % 26) as u8));
        col = (col - 1) / 26;
    }
    letters
}

/// Rewrites the uncompressed size `part` declares, in its local header and in the central
/// directory, leaving its contents as they are.
fn declare_size(package: &mut [u8], part: &str, size: u32) {
    let mut patched = 0;
    for at in 0..package.len().saturating_sub(46) {
        // (signature, offset of the uncompressed size, of the name's length, of the name)
        let (size_at, name_len_at, name_at) = match &package[at..at + 4] {
            b"PK\x03\x04" => (22, 26, 30),
            b"PK\x01\x02" => (24, 28, 46),
            _ => continue,
        };
        let len = u16::from_le_bytes([package[at + name_len_at], package[at + name_len_at + 1]]);
        if package.get(at + name_at..at + name_at + len as usize) == Some(part.as_bytes()) {
            package[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(
        patched, 2,
        "{part}: a local header and a central directory entry"
    );
}

/// `xml` with `padding` bytes of spaces before `tag` (where the reader still reads): packs
/// about 1,000 times.
fn padded(xml: &[u8], tag: &str, padding: usize) -> Vec<u8> {
    let at = xml
        .windows(tag.len())
        .position(|w| w == tag.as_bytes())
        .unwrap();
    let mut out = xml[..at].to_vec();
    out.resize(at + padding, b' ');
    out.extend_from_slice(&xml[at..]);
    out
}

#[test]
fn a_shared_strings_count_of_a_trillion_is_refused_not_aborting() {
    let seed = sample_export();
    let xml = text(part(&seed, SHARED_STRINGS));
    let real = declared(&xml, "uniqueCount");
    let forged = xml.replacen(
        &format!("uniqueCount=\"{real}\""),
        "uniqueCount=\"1000000000000\"",
        1,
    );
    let bytes = repack(&seed, SHARED_STRINGS, forged.as_bytes());
    let err = refused("limits-shared-strings-unique-count.xlsx", &bytes);
    match err {
        ImportError::SharedStringCount {
            declared, real: r, ..
        } => {
            assert_eq!(declared, "1000000000000");
            assert_eq!(r, real as u64);
        }
        other => panic!("{other}"),
    }
}

#[test]
fn a_cell_beyond_excels_last_row_is_refused_not_hanging() {
    let bytes = with_cells(
        r#"<row r="4000000000"><c r="A4000000000" t="inlineStr"><is><t>x</t></is></c></row>"#,
    );
    let err = refused("limits-cell-beyond-grid.xlsx", &bytes);
    assert!(
        matches!(&err, ImportError::OutsideGrid { place, .. } if place == "重点政策!A4000000000"),
        "{err}"
    );
    assert!(err.to_string().contains("1048576 行"), "{err}");
}

#[test]
fn a_two_megabyte_shared_string_in_3000_cells_is_refused_before_it_is_copied() {
    let seed = sample_export();
    let xml = text(part(&seed, SHARED_STRINGS));
    let index = declared(&xml, "uniqueCount");
    let long = "長".repeat(700_000);
    let strings = xml
        .replacen(
            &format!("uniqueCount=\"{index}\""),
            &format!("uniqueCount=\"{}\"", index + 1),
            1,
        )
        .replacen("</sst>", &format!("<si><t>{long}</t></si></sst>"), 1);
    let cells: String = (0..3000)
        .map(|col| format!(r#"<c r="{}70000" t="s"><v>{index}</v></c>"#, column(col)))
        .collect();
    let sheet = text(part(&seed, MAIN_SHEET)).replacen(
        "</sheetData>",
        &format!(r#"<row r="70000">{cells}</row></sheetData>"#),
        1,
    );
    let bytes = repack(
        &repack(&seed, SHARED_STRINGS, strings.as_bytes()),
        MAIN_SHEET,
        sheet.as_bytes(),
    );
    let err = refused("limits-long-shared-string-in-3000-cells.xlsx", &bytes);
    assert!(
        matches!(&err, ImportError::CellTooLong { place, chars: 700_000, .. } if place == "重点政策!A70000"),
        "{err}"
    );
}

#[test]
fn a_cell_text_of_33000_characters_is_refused_with_its_place_and_count() {
    let bytes = with_cells(&format!(
        r#"<row r="60000"><c r="B60000" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "あ".repeat(33_000)
    ));
    let err = refused("limits-cell-text-33000.xlsx", &bytes);
    assert!(
        matches!(&err, ImportError::CellTooLong { place, chars: 33_000, max: 32_767, .. } if place == "重点政策!B60000"),
        "{err}"
    );
    assert!(err.to_string().contains("33000 文字"), "{err}");
}

#[test]
fn a_merged_region_beyond_excels_grid_is_refused() {
    let seed = sample_export();
    let sheet = text(part(&seed, MAIN_SHEET));
    let merge = r#"<mergeCell ref="A1048570:B1048580"/>"#;
    let sheet = if sheet.contains("</mergeCells>") {
        sheet.replacen("</mergeCells>", &format!("{merge}</mergeCells>"), 1)
    } else {
        sheet.replacen(
            "</sheetData>",
            &format!("</sheetData><mergeCells count=\"1\">{merge}</mergeCells>"),
            1,
        )
    };
    let bytes = repack(&seed, MAIN_SHEET, sheet.as_bytes());
    let err = refused("limits-merge-beyond-grid.xlsx", &bytes);
    assert!(
        matches!(&err, ImportError::OutsideGrid { place, .. } if place == "重点政策!A1048570:B1048580"),
        "{err}"
    );
}

#[test]
fn a_zip_bomb_declared_small_is_refused_unpacking_no_further() {
    let seed = sample_export();
    let xml = part(&seed, SHARED_STRINGS);
    // 40 MB of spaces, past the cap of a part that is not a worksheet even if the zip reader
    // stopped checking declared sizes, declared as the original's size.
    let mut bytes = repack(&seed, SHARED_STRINGS, &padded(&xml, "</sst>", 40 << 20));
    declare_size(&mut bytes, SHARED_STRINGS, xml.len() as u32);
    let err = refused("limits-zip-bomb-shared-strings.xlsx", &bytes);
    assert!(
        matches!(&err, ImportError::DamagedPart { part, .. } if part == SHARED_STRINGS),
        "{err}"
    );
}

#[test]
fn a_worksheet_unpacking_past_its_declared_size_is_refused() {
    // Worksheets are not unpacked before calamine reads them: the zip reader's own check of the
    // declared size stops it.
    let seed = sample_export();
    let xml = part(&seed, MAIN_SHEET);
    let mut bytes = repack(&seed, MAIN_SHEET, &padded(&xml, "</sheetData>", 8 << 20));
    declare_size(&mut bytes, MAIN_SHEET, xml.len() as u32);
    let err = refused("limits-worksheet-past-declared-size.xlsx", &bytes);
    assert!(matches!(err, ImportError::NotXlsx { .. }), "{err}");
}

#[test]
fn a_part_packed_like_a_zip_bomb_is_refused_by_its_ratio() {
    let seed = sample_export();
    let xml = part(&seed, MAIN_SHEET);
    let bytes = repack(&seed, MAIN_SHEET, &padded(&xml, "</sheetData>", 8 << 20));
    let err = refused("limits-overpacked-worksheet.xlsx", &bytes);
    assert!(
        matches!(&err, ImportError::Overpacked { part, ratio, max: limits::MAX_RATIO, .. } if part == MAIN_SHEET && *ratio > limits::MAX_RATIO),
        "{err}"
    );
}

#[test]
fn a_package_of_too_many_parts_is_refused() {
    let seed = sample_export();
    let mut archive = zip::ZipArchive::new(Cursor::new(&seed)).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(&data).unwrap();
    }
    for i in 0..limits::MAX_ENTRIES {
        writer
            .start_file(format!("customXml/item{i}.xml"), options)
            .unwrap();
        writer.write_all(b"<a/>").unwrap();
    }
    let bytes = writer.finish().unwrap().into_inner();
    let err = refused("limits-too-many-parts.xlsx", &bytes);
    assert!(
        matches!(
            err,
            ImportError::TooManyParts {
                max: limits::MAX_ENTRIES,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_file_larger_than_any_report_is_refused_unread() {
    let bytes = vec![0; limits::MAX_FILE_BYTES as usize + 1];
    let err = import::read_xlsx(&bytes, "巨大.xlsx").unwrap_err();
    assert!(matches!(err, ImportError::FileTooLarge { .. }), "{err}");
    assert!(err.to_string().contains("巨大.xlsx"), "{err}");
}

#[test]
fn our_own_export_is_within_every_limit() {
    import::read_xlsx(&sample_export(), "report.xlsx").unwrap();
}
