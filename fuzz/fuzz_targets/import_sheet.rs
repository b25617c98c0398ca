//! Feeds arbitrary bytes to the sheet importer: it may refuse them, it must never panic.
//! Seeds: scripts/fuzz.sh writes exports and mutated exports into corpus/import_sheet/.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;

static DEFAULT_HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    // libfuzzer-sys aborts in its panic hook, even for a panic the importer catches itself
    // (it turns panics inside calamine into a "damaged file" error). Back to the default
    // hook: a panic that escapes the importer still aborts, in libfuzzer-sys's catch_unwind.
    // The importer guards calamine's calls alone, so a panic of our own code escapes and is found.
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    let _ = shinchoku_core::import::read_xlsx(data, "fuzz.xlsx");
});
