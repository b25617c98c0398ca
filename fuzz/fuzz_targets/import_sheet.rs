//! Feeds arbitrary bytes to the sheet importer: it may refuse them, it must never panic.
//! Seeds: `cargo test -p shinchoku-core --test core write_fuzz_seeds -- --ignored` writes
//! exports and mutated exports into corpus/import_sheet/.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = shinchoku_core::import::read_xlsx(data, "fuzz.xlsx");
});
