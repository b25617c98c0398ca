//! `publish`: the report as an accessible web page for the city's website, with its stylesheet
//! and the CSV open data, in one folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;
use crate::publish;
use crate::report::Report;
use crate::store::Store;

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The folder to write index.html, style.css, report.csv and pledges.csv to (made when missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Fiscal years by their start year, comma-separated (default: the current and the previous).
    #[arg(long, value_name = "2023,2024", value_delimiter = ',', value_parser = super::year_arg)]
    pub years: Option<Vec<i32>>,
}

pub fn publish(db: &Path, args: PublishArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let report = Report::load(&Store::open(db)?)?;
    let summary = publish::publish(&report, args.years, &args.out)?;
    writeln!(
        out,
        "{} に公開用ページを書き出しました（実施内容 {} 件、{}、{} KB、{} を同じフォルダに）",
        summary.page.display(),
        summary.measures,
        summary.years_label(),
        summary.page_bytes.div_ceil(1024),
        publish::FILES[1..].join("、"),
    )?;
    Ok(())
}
