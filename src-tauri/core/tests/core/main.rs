//! Integration tests of shinchoku-core in one binary, one module per area of the crate.

mod common;

mod backup;
mod cli;
mod crash;
mod export;
mod export_pdf;
mod master;
mod sample;
mod store;
