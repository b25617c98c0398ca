//! `package`, `submit`, `merge` (and `init --package`): the departments' round trip.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;

#[derive(Debug, Args)]
pub struct PackageArgs {
    #[arg(long, value_name = "課")]
    pub department: String,
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Submission files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// `init --package P`: a department's database started from its request package.
pub fn init_from_package(
    _db: &Path,
    _package: &Path,
    _out: &mut dyn Write,
) -> Result<(), CliError> {
    Err(CliError::NotAvailable("init --package"))
}

pub fn package(_db: &Path, _args: PackageArgs, _out: &mut dyn Write) -> Result<(), CliError> {
    Err(CliError::NotAvailable("package"))
}

pub fn submit(_db: &Path, _args: SubmitArgs, _out: &mut dyn Write) -> Result<(), CliError> {
    Err(CliError::NotAvailable("submit"))
}

pub fn merge(_db: &Path, _args: MergeArgs, _out: &mut dyn Write) -> Result<(), CliError> {
    Err(CliError::NotAvailable("merge"))
}
