//! Feeds arbitrary bytes to the submission reader: it may refuse them, it must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = shinchoku_core::submission::parse_submission(data, "fuzz.json");
});
