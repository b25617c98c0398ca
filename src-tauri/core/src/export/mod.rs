//! The consolidated report as an .xlsx sheet in the original printed layout (重点政策, with a
//! 集計 sheet and the hidden `_shinchoku` sheet the importer reads), or as CSV open data.
//!
//! Export is a pure mapping from the [`Report`] to cells ([`sheet`], [`tally`], [`meta`],
//! [`csv`]) followed by one save ([`crate::safe_save`]): the bytes go to a temporary file beside
//! the target, which is then renamed over it, so a failed export never leaves half a file.

pub mod csv;
pub mod input;
pub mod layout;
pub mod meta;
pub mod sheet;
pub mod tally;

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use crate::model::{Actor, FiscalYear, Measure, Source};
use crate::report::Report;
use crate::safe_save::{self, folder_of, SaveError};
use crate::store::Store;
use crate::wareki;

/// What to export. The default: every department, the current fiscal year and the one before.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Fiscal years by their start year; `None` = the current year and the previous one.
    pub years: Option<Vec<i32>>,
    /// Only this department's measures (課 name); `None` = all.
    pub department: Option<String>,
}

/// What was written, for the message shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub measures: usize,
    pub years: Vec<i32>,
    /// Printed pages of the main sheet (xlsx) or data rows (csv).
    pub pages: usize,
    pub rows: usize,
}

impl ExportSummary {
    /// 令和５年度・令和６年度
    pub fn years_label(&self) -> String {
        self.years
            .iter()
            .map(|&y| wareki::fiscal_year_label(y))
            .collect::<Vec<_>>()
            .join("・")
    }
}

/// Why an export failed. Nothing is written when it fails.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A requested fiscal year is not in the report.
    #[error("{year} 年度（{label}）はこの報告にありません（あるのは {available}）")]
    UnknownYear {
        year: i32,
        label: String,
        available: String,
    },
    /// The report has no fiscal year at all.
    #[error("この報告には年度がありません。先に年度を登録してください")]
    NoYears,
    /// The requested department owns no measure of the report (or does not exist).
    #[error("担当課「{name}」はこの報告にありません")]
    UnknownDepartment { name: String },
    /// The folder of the target does not exist.
    #[error("保存先のフォルダ {folder} がありません。{path} に保存できません")]
    MissingFolder { folder: PathBuf, path: PathBuf },
    /// Writing or renaming failed: no permission, the file is open in Excel, the disk is full.
    #[error(transparent)]
    Write(#[from] SaveError),
    /// The database could not be read or the export recorded.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// rust_xlsxwriter refused the sheet: a bug of ours, kept with its cause.
    #[error("Excel ファイルを作成できません（{path}）: {source}")]
    Xlsx {
        path: PathBuf,
        #[source]
        source: XlsxError,
    },
}

/// The measures and years an export covers.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub report: &'a Report,
    pub years: Vec<&'a FiscalYear>,
    pub measures: Vec<&'a Measure>,
    pub department: Option<String>,
}

/// The year being reported on: the one with the open half, else the newest.
fn current_year(report: &Report) -> Option<i32> {
    report
        .open_period()
        .map(|(year, _)| year)
        .or(report.years.last().map(|y| y.year))
}

impl<'a> Selection<'a> {
    /// Resolves the options against the report, refusing unknown years and departments.
    pub fn new(report: &'a Report, options: &ExportOptions) -> Result<Selection<'a>, ExportError> {
        let years: Vec<&FiscalYear> = match &options.years {
            Some(wanted) => {
                let mut years = Vec::new();
                for &year in wanted {
                    let found = report.year(year).ok_or_else(|| ExportError::UnknownYear {
                        year,
                        label: wareki::fiscal_year_label(year),
                        available: report
                            .years
                            .iter()
                            .map(|y| y.label())
                            .collect::<Vec<_>>()
                            .join("・"),
                    })?;
                    if !years.iter().any(|y: &&FiscalYear| y.year == year) {
                        years.push(found);
                    }
                }
                years.sort_by_key(|y| y.year);
                years
            }
            None => {
                let current = current_year(report).ok_or(ExportError::NoYears)?;
                let shown: Vec<&FiscalYear> =
                    report.years.iter().filter(|y| y.year <= current).collect();
                shown[shown.len().saturating_sub(2)..].to_vec()
            }
        };
        if years.is_empty() {
            return Err(ExportError::NoYears);
        }
        let department = options
            .department
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        let measures: Vec<&Measure> = report
            .measures
            .iter()
            .filter(|m| match department {
                Some(d) => report.department_name(m.department_id) == d,
                None => true,
            })
            .collect();
        if let (Some(name), true) = (department, measures.is_empty()) {
            return Err(ExportError::UnknownDepartment {
                name: name.to_string(),
            });
        }
        Ok(Selection {
            report,
            years,
            measures,
            department: department.map(str::to_string),
        })
    }
}

/// The deflate level of the xlsx container.
pub const ZIP_LEVEL: u8 = 3;

/// Fixed document times: the same report gives the same bytes.
fn properties(title: &str) -> Result<DocProperties, XlsxError> {
    let time = ExcelDateTime::from_ymd(2024, 4, 1)?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author("shinchoku")
        .set_creation_datetime(&time))
}

/// The workbook's bytes: 重点政策, 集計 and the hidden `_shinchoku`.
pub fn xlsx_bytes(selection: &Selection<'_>) -> Result<(Vec<u8>, sheet::Sheet), XlsxError> {
    let sheet = sheet::build(selection);
    let mut workbook = Workbook::new();
    // Level 3, as Excel itself writes: saving spends most of its time compressing, and level 3
    // is about 30 % faster than the default 6 for a file about 5 % larger (rust_xlsxwriter's
    // performance notes).
    workbook.set_zip_compression_level(ZIP_LEVEL);
    workbook.set_default_format(
        &layout::default_format(),
        layout::DEFAULT_ROW_HEIGHT_PX,
        layout::DEFAULT_COL_WIDTH_PX,
    )?;
    workbook.set_properties(&properties(&sheet::title(
        selection.report,
        &selection.measures,
    ))?);
    // A department's workbook is locked whole but for its input cells: the tally only reads
    // the report, and the hidden sheet is the export's own record.
    let protect = |ws: &mut Worksheet| {
        if sheet.protected {
            ws.protect_with_options(&layout::protection());
        }
    };
    sheet::write(workbook.add_worksheet_with_low_memory()?, &sheet)?;
    let tally_sheet = workbook.add_worksheet();
    protect(tally_sheet);
    tally::write(tally_sheet, &tally::tally(selection))?;
    let meta_sheet = workbook.add_worksheet_with_low_memory()?;
    protect(meta_sheet);
    meta::write(meta_sheet, selection, &sheet)?;
    Ok((workbook.save_to_buffer()?, sheet))
}

/// Writes the report as .xlsx in the original layout.
pub fn export_xlsx(
    report: &Report,
    options: &ExportOptions,
    path: &Path,
) -> Result<ExportSummary, ExportError> {
    let selection = Selection::new(report, options)?;
    check_folder(path)?;
    let (bytes, sheet) = xlsx_bytes(&selection).map_err(|source| ExportError::Xlsx {
        path: path.to_path_buf(),
        source,
    })?;
    save(path, &bytes)?;
    Ok(summary(&selection, path, sheet.pages(), sheet.blocks.len()))
}

/// Exports the sheet of a store's report and records the export, so that the sheet can come back
/// as a department's return with its revision as the merge base. A past term's report is only
/// read: its sheets come back to no one, and nothing is recorded. Nor is it for a database that
/// cannot be written (a disc, a read-only share): its sheet is written, and a return of it is
/// merged as one without a known export.
pub fn export_sheet(
    store: &mut Store,
    options: &ExportOptions,
    path: &Path,
) -> Result<ExportSummary, ExportError> {
    let report = Report::load(store)?;
    let summary = export_xlsx(&report, options, path)?;
    let department = options.department.clone().unwrap_or_default();
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !store.read_only() && store.archived_at()?.is_none() {
        store.write(&Actor::Coordinator, &Source::App, |w| {
            w.log_sheet_export(report.revision, &department, &file)
        })?;
    }
    Ok(summary)
}

/// Writes the report as CSV open data: one row per measure, year and half.
pub fn export_csv(
    report: &Report,
    options: &ExportOptions,
    path: &Path,
) -> Result<ExportSummary, ExportError> {
    let selection = Selection::new(report, options)?;
    check_folder(path)?;
    let (text, rows) = csv::build(&selection);
    save(path, text.as_bytes())?;
    Ok(summary(&selection, path, 0, rows))
}

fn summary(selection: &Selection<'_>, path: &Path, pages: usize, rows: usize) -> ExportSummary {
    ExportSummary {
        path: path.to_path_buf(),
        measures: selection.measures.len(),
        years: selection.years.iter().map(|y| y.year).collect(),
        pages,
        rows,
    }
}

fn check_folder(path: &Path) -> Result<(), ExportError> {
    let folder = folder_of(path);
    if folder.is_dir() {
        Ok(())
    } else {
        Err(ExportError::MissingFolder {
            folder,
            path: path.to_path_buf(),
        })
    }
}

/// Writes `bytes` through the app's one safe save ([`crate::safe_save`]): a new temporary file
/// in the target's folder, flushed, then renamed over the target; on failure the target is
/// left as it was.
pub fn save(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    check_folder(path)?;
    Ok(safe_save::save(path, bytes)?)
}
