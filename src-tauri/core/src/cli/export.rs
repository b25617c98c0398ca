//! `export`: the consolidated report as .xlsx in the original layout, or CSV open data.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::CliError;
use crate::export::{self, ExportOptions};
use crate::report::Report;
use crate::store::Store;

/// The kind of file to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The printed layout, for the council and for departments to fill in.
    Xlsx,
    /// Open data: one row per measure, year and half (UTF-8 with BOM).
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write (.xlsx, or .csv with --format csv).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Fiscal years by their start year, comma-separated (default: the current and the previous).
    #[arg(long, value_name = "2023,2024", value_delimiter = ',', value_parser = super::year_arg)]
    pub years: Option<Vec<i32>>,
    /// Only the measures of this department (課).
    #[arg(long, value_name = "課")]
    pub department: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Xlsx)]
    pub format: Format,
}

pub fn export(db: &Path, args: ExportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    let options = ExportOptions {
        years: args.years,
        department: args.department,
    };
    let summary = match args.format {
        Format::Xlsx => export::export_sheet(&mut store, &options, &args.out)?,
        Format::Csv => export::export_csv(&Report::load(&store)?, &options, &args.out)?,
    };
    match args.format {
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
