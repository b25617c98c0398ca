//! Integration tests of shinchoku-core in one binary, one module per area of the crate.

mod common;

mod cli;
mod export;
mod export_pdf;
mod sample;
mod store;
