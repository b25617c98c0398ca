//! Tauri commands, one file per feature. Each takes the state, calls one core function and maps
//! the error; nothing here decides a rule.

pub mod app;
pub mod cells;
pub mod export;
pub mod import;
pub mod master;
pub mod report;
pub mod submission;
