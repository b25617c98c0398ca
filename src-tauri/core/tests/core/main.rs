//! Integration tests of shinchoku-core in one binary, one module per area of the crate.

mod common;

mod backup;
mod bad_input;
mod cli;
mod crash;
mod department_sheet;
mod everyday;
mod export;
mod export_pdf;
mod hostile;
mod import;
mod import_formula;
mod import_fuzz;
mod import_limits;
mod master;
mod merge;
mod new_term;
mod period;
mod publish;
mod reorganisation;
mod sample;
mod store;
mod submission;
mod term;
mod update;
mod year_note;
