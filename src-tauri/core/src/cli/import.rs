//! `import`: read a sheet in the original layout into the database.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The sheet to read (.xlsx).
    pub file: PathBuf,
}

pub fn import(_db: &Path, _args: ImportArgs, _out: &mut dyn Write) -> Result<(), CliError> {
    Err(CliError::NotAvailable("import"))
}
