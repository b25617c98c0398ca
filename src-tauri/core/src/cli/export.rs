//! `export`: the consolidated report as .xlsx in the original layout, or CSV open data.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;
use crate::export::{self, ExportOptions, Format};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write: .xlsx, or .csv for CSV open data.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Fiscal years by their start year, comma-separated (default: the current and the previous).
    #[arg(long, value_name = "2023,2024", value_delimiter = ',', value_parser = super::year_arg)]
    pub years: Option<Vec<i32>>,
    /// Only the measures of this department (課).
    #[arg(long, value_name = "課")]
    pub department: Option<String>,
    /// The kind of file; by default chosen by the file's name as the window does (.csv: CSV,
    /// else xlsx).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

pub fn export(db: &Path, args: ExportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    let options = ExportOptions {
        years: args.years,
        department: args.department,
    };
    let format = args.format.unwrap_or_else(|| Format::of_path(&args.out));
    let summary = export::write(&mut store, &options, &args.out, format)?;
    match format {
        Format::Xlsx => writeln!(
            out,
            "{} に書き出しました（実施内容 {} 件、{}、印刷 {} ページ）",
            summary.path.display(),
            summary.measures,
            summary.years_label(),
            summary.pages
        )?,
        Format::Csv => writeln!(
            out,
            "{} に書き出しました（実施内容 {} 件、{}、{} 行）",
            summary.path.display(),
            summary.measures,
            summary.years_label(),
            summary.rows
        )?,
    }
    Ok(())
}
