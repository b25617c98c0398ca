//! The importer on damaged files: mutated exports (bytes of the package, and the XML inside it
//! re-packed) and the inputs the fuzzer found (tests/fuzz-regressions/). It may refuse a file;
//! it must never panic. Panics are not caught here: the importer catches those of calamine
//! itself, and one of ours fails the test.

use std::io::{Cursor, Read, Write};

use shinchoku_core::export::{self, ExportOptions};
use shinchoku_core::import;
use shinchoku_core::report::Report;

use crate::common::{sample_store, TempDir};

/// The sample exported with the default options, as bytes.
pub fn sample_export() -> Vec<u8> {
    let dir = TempDir::new();
    let path = dir.path("seed.xlsx");
    let report = Report::load(&sample_store()).unwrap();
    export::export_xlsx(&report, &ExportOptions::default(), &path).unwrap();
    std::fs::read(path).unwrap()
}

/// A small deterministic generator (xorshift), so that a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens that push a reader to its edges: huge references, quotes, numbers out of range.
const TOKENS: [&[u8]; 8] = [
    b"\"",
    b"<",
    b"r=\"XFD1048576\"",
    b"99999999999999999999",
    b"-1",
    b"<mergeCell ref=\"A1:XFD1048576\"/>",
    b"t=\"s\"",
    b"&#0;",
];

fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) {
    let len = bytes.len().max(1);
    match rng.below(5) {
        0 => {
            let i = rng.below(len);
            if let Some(b) = bytes.get_mut(i) {
                *b ^= 1 << rng.below(8);
            }
        }
        1 => {
            let start = rng.below(len).min(bytes.len());
            let end = (start + 1 + rng.below(64)).min(bytes.len());
            bytes.drain(start..end);
        }
        2 => {
            let start = rng.below(len).min(bytes.len());
            let end = (start + 1 + rng.below(64)).min(bytes.len());
            let copy = bytes[start..end].to_vec();
            bytes.splice(start..start, copy);
        }
        3 => {
            // Change a digit: cell references, merged ranges, numbers, row indices.
            let digits: Vec<usize> = (0..bytes.len())
                .filter(|&i| bytes[i].is_ascii_digit())
                .collect();
            if !digits.is_empty() {
                let i = digits[rng.below(digits.len())];
                bytes[i] = b'0' + rng.below(10) as u8;
            }
        }
        _ => {
            let at = rng.below(len).min(bytes.len());
            let token = TOKENS[rng.below(TOKENS.len())];
            bytes.splice(at..at, token.iter().copied());
        }
    }
}

/// The package with one of its parts replaced.
pub fn repack(package: &[u8], part: &str, new: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        writer
            .start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        writer
            .write_all(if name == part { new } else { &data })
            .unwrap();
    }
    writer.finish().unwrap().into_inner()
}

pub fn part(package: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).unwrap();
    let mut data = Vec::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_end(&mut data)
        .unwrap();
    data
}

/// Runs the importer on `bytes`: whether it read the file. A panic fails the calling test.
fn reads(bytes: &[u8]) -> bool {
    import::read_xlsx(bytes, "fuzz.xlsx").is_ok()
}

/// Names what was being read when a test panics, so that the input can be replayed.
struct Replay(String);

impl Drop for Replay {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("the importer panicked on {}", self.0);
        }
    }
}

#[test]
fn mutated_exports_are_refused_or_read_never_panicking() {
    let seed = sample_export();
    let parts = [
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "xl/worksheets/sheet3.xml",
        "xl/workbook.xml",
    ];
    let originals: Vec<Vec<u8>> = parts.iter().map(|p| part(&seed, p)).collect();
    let (mut read, mut refused) = (0, 0);
    for case in 1..=160u64 {
        let mut rng = Rng(case.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let bytes = if case % 4 == 0 {
            let mut bytes = seed.clone();
            for _ in 0..=rng.below(4) {
                mutate(&mut bytes, &mut rng);
            }
            bytes
        } else {
            let which = rng.below(parts.len());
            let mut xml = originals[which].clone();
            for _ in 0..=rng.below(4) {
                mutate(&mut xml, &mut rng);
            }
            repack(&seed, parts[which], &xml)
        };
        let replay = Replay(format!("case {case}"));
        if reads(&bytes) {
            read += 1;
        } else {
            refused += 1;
        }
        drop(replay);
    }
    // The mutations reach past the zip layer: some files are still read, some refused.
    assert!(read > 10 && refused > 10, "read {read}, refused {refused}");
}

/// Every file of tests/fuzz-regressions/ (but its README) goes to the importer: the workbooks
/// the fuzzer found, the crafted ones of `import_limits`, and the indicator inputs as bytes that
/// are no workbook at all.
#[test]
fn inputs_the_fuzzer_found_are_refused_or_read_never_panicking() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut workbooks = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let _replay = Replay(path.display().to_string());
        reads(&bytes);
        workbooks += usize::from(path.extension().is_some_and(|e| e == "xlsx"));
    }
    assert!(workbooks >= 8, "{workbooks} workbooks in {}", dir.display());
}

/// The fuzzer's seeds, the sample's export and a few mutated ones, read without a panic. Written to
/// `SHINCHOKU_FUZZ_SEEDS` when set (scripts/fuzz.sh does), else to a temporary folder.
#[test]
fn fuzz_seeds_are_written_and_read_without_a_panic() {
    let temp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("SHINCHOKU_FUZZ_SEEDS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let seed = sample_export();
    std::fs::write(dir.join("seed-export.xlsx"), &seed).unwrap();
    let sheet = part(&seed, "xl/worksheets/sheet1.xml");
    for case in 1..=4u64 {
        let mut rng = Rng(case.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut xml = sheet.clone();
        mutate(&mut xml, &mut rng);
        std::fs::write(
            dir.join(format!("seed-mutated-{case}.xlsx")),
            repack(&seed, "xl/worksheets/sheet1.xml", &xml),
        )
        .unwrap();
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let _ = shinchoku_core::import::read_xlsx(&bytes, "seed.xlsx");
    }
}

#[test]
fn a_value_typed_in_the_last_cell_of_a_sheet_does_not_exhaust_memory() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "ＮＯ．").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    reads(&bytes);
}

/// Inputs the indicator fuzz target found (`indicator-*.txt`): the parser's promises hold for them.
#[test]
fn indicator_inputs_the_fuzzer_found_keep_the_parsers_promises() {
    use shinchoku_core::indicator::{normalize, IndicatorCell};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("indicator-") && name.ends_with(".txt")) {
            continue;
        }
        seen += 1;
        let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
        match IndicatorCell::parse(&text) {
            Ok(Some(cell)) => {
                assert_eq!(normalize(cell.as_text()).unwrap(), cell.as_text(), "{name}")
            }
            Ok(None) => assert!(normalize(&text).unwrap().is_empty(), "{name}"),
            Err(e) => assert_eq!(
                e.text, text,
                "{name}: the message must show the text as typed"
            ),
        }
    }
    assert!(
        seen > 0,
        "no indicator regression inputs in {}",
        dir.display()
    );
}
