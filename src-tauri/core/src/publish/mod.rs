//! The report as a static web page for the city's website: `index.html`, one stylesheet and the
//! CSV open data in one folder, with no script, nothing loaded from elsewhere and no image but
//! inline SVG.
//!
//! Like the sheet, the page is a pure mapping from the [`Report`] ([`html`], [`chart`]) built
//! from the same pieces (the selection of years, the sheet's title, the tally's counts, the
//! legend's meanings, the CSV) followed by one safe save per file. The same report gives the same
//! bytes: nothing in the page comes from the clock. The stylesheet holds the print layout: A3
//! landscape, the header rows repeated on every page and no measure split across two pages.

mod chart;
mod html;

use std::path::{Path, PathBuf};

use crate::export::{self, csv, ExportError, ExportOptions, Selection};
use crate::report::Report;
use crate::safe_save::{self, SaveError};
use crate::wareki;

/// The page, named as a web server serves a folder.
pub const PAGE: &str = "index.html";
/// The one stylesheet, screen and print.
pub const STYLESHEET: &str = "style.css";
/// The open data beside the page, as `export --format csv` writes it.
pub const CSV: &str = "report.csv";

/// The stylesheet's text: the same for every report.
pub const STYLE: &str = include_str!("style.css");

/// The three files of a site, before they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub html: String,
    pub csv: String,
    pub measures: usize,
    pub years: Vec<i32>,
    /// Data rows of the CSV.
    pub rows: usize,
}

/// What was written, for the message shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishSummary {
    /// The page itself (`DIR/index.html`).
    pub page: PathBuf,
    pub measures: usize,
    pub years: Vec<i32>,
    /// Bytes of `index.html`.
    pub page_bytes: usize,
    /// Data rows of the CSV.
    pub rows: usize,
}

impl PublishSummary {
    /// 令和５年度・令和６年度
    pub fn years_label(&self) -> String {
        years_label(&self.years)
    }
}

fn years_label(years: &[i32]) -> String {
    years
        .iter()
        .map(|&y| wareki::fiscal_year_label(y))
        .collect::<Vec<_>>()
        .join("・")
}

/// Why the site could not be written. A refused site writes nothing; a failure while writing
/// leaves each file either as it was or whole.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The output names a file: the site is a folder of files.
    #[error("{path} はファイルです。公開用ページは index.html などを入れるフォルダに出力します。フォルダを指定してください")]
    NotAFolder { path: PathBuf },
    /// The output folder could not be made (its parent is a file, or not writable).
    #[error("公開用ページの出力先フォルダ {path} を作成できません。書き込みできる場所か確認してください（{source}）")]
    CreateFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The years asked for are not in the report, or it has none.
    #[error(transparent)]
    Select(#[from] ExportError),
    /// Writing a file failed: not writable, a full disk, a folder under the file's name.
    #[error(transparent)]
    Write(#[from] SaveError),
}

/// Builds the site of the report for `years` (`None`: the current year and the one before, as
/// the sheet's export chooses them).
pub fn site(report: &Report, years: Option<Vec<i32>>) -> Result<Site, ExportError> {
    let options = ExportOptions {
        years,
        department: None,
    };
    let selection = Selection::new(report, &options)?;
    let (csv, rows) = csv::build(&selection);
    Ok(Site {
        html: html::page(&selection, rows),
        csv,
        measures: selection.measures.len(),
        years: selection.years.iter().map(|y| y.year).collect(),
        rows,
    })
}

/// Writes the site into the folder `dir` (made when missing): the CSV and the stylesheet first,
/// then the page that links to them, each through the safe save.
pub fn publish(
    report: &Report,
    years: Option<Vec<i32>>,
    dir: &Path,
) -> Result<PublishSummary, PublishError> {
    if dir.exists() && !dir.is_dir() {
        return Err(PublishError::NotAFolder {
            path: dir.to_path_buf(),
        });
    }
    // Everything is checked and built before the folder is made: a refusal leaves no trace.
    let site = site(report, years)?;
    std::fs::create_dir_all(dir).map_err(|source| PublishError::CreateFolder {
        path: dir.to_path_buf(),
        source,
    })?;
    let page = dir.join(PAGE);
    safe_save::save(&dir.join(CSV), site.csv.as_bytes())?;
    safe_save::save(&dir.join(STYLESHEET), STYLE.as_bytes())?;
    safe_save::save(&page, site.html.as_bytes())?;
    Ok(PublishSummary {
        page,
        measures: site.measures,
        years: site.years,
        page_bytes: site.html.len(),
        rows: site.rows,
    })
}

/// The title of the page: the sheet's, with the range of the pledges shown.
fn title(selection: &Selection<'_>) -> String {
    export::sheet::title(selection.report, &selection.measures)
}
