//! shinchoku-core: the progress report of the mayor's pledges, its SQLite store and its rules.
//!
//! Nothing in this crate knows about windows: the Tauri app and the command line are thin
//! layers over the types and functions here, so every rule is testable with plain `cargo test`.

pub mod backup;
pub mod cli;
pub mod document;
pub mod edit;
pub mod export;
pub mod fold;
pub mod import;
pub mod indicator;
pub mod master;
pub mod merge;
pub mod model;
pub mod name;
pub mod os_message;
pub mod overview;
pub mod print;
pub mod publish;
pub mod reading;
pub mod report;
pub mod safe_save;
pub mod sample;
pub mod store;
pub mod submission;
pub mod term;
pub mod wareki;

/// The app identifier: the app-data folder is named after it, for the window and the CLI alike.
pub const APP_IDENTIFIER: &str = "jp.shinchoku.app";

pub use indicator::{Indicator, IndicatorCell, IndicatorError};
pub use model::{CellKey, Field, Half};
pub use store::{Store, StoreError};
