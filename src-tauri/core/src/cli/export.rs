//! `export`: the consolidated report as .xlsx in the original layout, or CSV open data.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write (.xlsx, or .csv with --format csv).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

pub fn export(_db: &Path, _args: ExportArgs, _out: &mut dyn Write) -> Result<(), CliError> {
    Err(CliError::NotAvailable("export"))
}
