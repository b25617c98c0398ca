//! Feeds arbitrary text to the indicator parser: a value, a blank, a dash with its reason, or an
//! error that shows the text — never a panic, and what it accepts reads back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shinchoku_core::indicator::{normalize, IndicatorCell};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match IndicatorCell::parse(text) {
        Ok(Some(cell)) => assert_eq!(normalize(cell.as_text()).unwrap(), cell.as_text()),
        Ok(None) => assert!(normalize(text).unwrap().is_empty()),
        Err(e) => assert_eq!(e.text, text),
    }
});
