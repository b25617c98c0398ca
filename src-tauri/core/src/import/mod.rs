//! Reading a sheet in the original layout back into the report: our own export (round trip,
//! with the hidden `_shinchoku` sheet) and sheets edited or made by hand in Excel.
//!
//! Reading ([`read_xlsx`]) is pure: bytes in, a [`SheetRead`] out. What to do with it is in
//! [`apply`]: a new report, a department's return through the three-way merge, or a preview.

pub mod apply;
mod blocks;
mod cells;
pub mod grid;
pub mod limits;
pub mod meta;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Reader, SheetVisible, Xlsx};

pub use apply::{
    apply, department_named, import_new, incoming, merge_return, preview, Applied, CellChange,
    ImportPreview, ReadSummary, YearSummary,
};
pub use meta::{BaseCell, MetaBlock, SheetMeta};

use crate::document::{DocHalf, DocHalfYear, DocMeasure, DocMeasureYear, DocYear, ReportDocument};
use crate::indicator::IndicatorError;
use crate::model::{Field, Half, MeasureId, PeriodState};
use crate::wareki;
use cells::sheet_grid;
use grid::Grid;
use limits::{guarded, CellBudget};

/// The main sheet's name in our export; other names are accepted too (Sheet1 …).
pub const MAIN_SHEET: &str = "重点政策";
/// The tally sheet, ignored on import.
pub const TALLY_SHEET: &str = "集計";

/// Everything read from a sheet: pure data, nothing written yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRead {
    /// The file name, for messages and the history.
    pub file_name: String,
    /// The worksheet the report was found in.
    pub sheet: String,
    pub title: String,
    /// The fiscal-year blocks of the header, left to right, with the months of each half.
    pub years: Vec<ReadYear>,
    /// Measure blocks, top to bottom.
    pub measures: Vec<ReadMeasure>,
    /// The hidden sheet of our export, when present.
    pub meta: Option<SheetMeta>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadYear {
    pub year: i32,
    pub months: [Vec<u8>; 2],
}

/// One measure block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadMeasure {
    /// Rows of the block, 1-based as Excel shows them.
    pub first_row: u32,
    pub last_row: u32,
    pub no: u32,
    pub pledge: String,
    pub content: String,
    pub target_date: String,
    pub department: String,
    /// The measure's id in the exporting database, from `_shinchoku`.
    pub measure_id: Option<MeasureId>,
    /// Non-blank cells by (fiscal year, field); indicators in their canonical glyph.
    pub cells: BTreeMap<(i32, Field), String>,
    /// Value cells that hold a formula, by (fiscal year, field): none of them is in `cells`,
    /// whatever value Excel cached, and none is read as blank either.
    pub formulas: BTreeMap<(i32, Field), FormulaCell>,
    /// The rows of 年度目標, 計画, 進捗 指標 and 進捗 状況, 1-based; `None` where the block has
    /// no such row. For messages that name a cell's row.
    pub field_rows: [Option<u32>; 4],
}

impl ReadMeasure {
    /// The row a field of the block is on, 1-based: a year's note and the year's own cells on
    /// the 年度目標 row, the block's first row when the block lacks the field's row.
    pub fn row_of(&self, field: Field) -> u32 {
        let kind = match field {
            Field::AnnualTarget | Field::AnnualIndicator | Field::YearNote => 0,
            Field::Plan(_) => 1,
            Field::Indicator(_) => 2,
            Field::Status(_) => 3,
        };
        self.field_rows[kind].unwrap_or(self.first_row)
    }

    /// The formula a field's cell holds, when it holds one.
    pub fn formula(&self, year: i32, field: Field) -> Option<&FormulaCell> {
        self.formulas.get(&(year, field))
    }

    /// A cell's text, "" when blank.
    pub fn value(&self, year: i32, field: Field) -> &str {
        self.cells.get(&(year, field)).map_or("", String::as_str)
    }
}

/// A value cell of a block that holds a formula. Its cached value is what Excel computed
/// (`=1/0` caches 「#DIV/0!」, `=HYPERLINK(…)` its label) or nothing (openpyxl writes none),
/// never what a department typed: the cell is not taken and the preview names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaCell {
    /// `重点政策!L7`
    pub place: String,
    /// `=1/0`, as Excel's formula bar shows it.
    pub formula: String,
}

/// Why a sheet could not be imported. Nothing is written when import fails.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Missing, not a regular file (a folder, a named pipe), larger than any report's sheet,
    /// or unreadable.
    #[error(transparent)]
    Read(crate::reading::ReadError),
    /// Not a zip, not an xlsx, or a broken one; the reader's own words stay for the log.
    #[error("{file} を Excel ファイル（.xlsx）として読めません。Excel で保存し直したファイルか確認してください")]
    NotXlsx {
        file: String,
        #[source]
        source: calamine::XlsxError,
    },
    /// A file whose parts are damaged beyond what the reader can take.
    #[error("{file} は壊れていて読めません")]
    Damaged { file: String },
    /// No sheet of the workbook has the header of the original layout.
    #[error("{file} に報告の表が見つかりません（見出し {missing} がありません）")]
    NoHeader { file: String, missing: String },
    /// The header has the headings but no fiscal-year block (令和N年度 with 上半期・下半期).
    #[error("{file} のシート「{sheet}」の見出しに年度（令和N年度 と 上半期・下半期）がありません")]
    NoYears { file: String, sheet: String },
    /// A cell that cannot be read.
    #[error("{place}: {message}")]
    Cell { place: String, message: String },
    /// An indicator cell that is not ☆○△×.
    #[error("{place}: {source}")]
    Indicator {
        place: String,
        #[source]
        source: IndicatorError,
    },
    /// A sheet with far more cells than a report has.
    #[error("{file} のシート「{sheet}」は大きすぎて読み込めません（報告の表ではないようです）")]
    TooLarge { file: String, sheet: String },
    /// The file itself is larger than any report ([`limits::MAX_FILE_BYTES`]).
    #[error("{file} は大きすぎます（{mb} MB、上限 {max_mb} MB）")]
    FileTooLarge { file: String, mb: u64, max_mb: u64 },
    /// The package holds more parts than a workbook has ([`limits::MAX_ENTRIES`]).
    #[error("{file} は中の部品が多すぎます（{count} 個、上限 {max} 個）")]
    TooManyParts {
        file: String,
        count: usize,
        max: usize,
    },
    /// One part unpacks larger than a report's ([`limits::MAX_ENTRY_BYTES`],
    /// [`limits::MAX_PART_BYTES`]).
    #[error("{file} は大きすぎます（中の {part} が展開後 {max_mb} MB の上限を超えます）")]
    PartTooLarge {
        file: String,
        part: String,
        max_mb: u64,
    },
    /// All parts together unpack larger than a report's ([`limits::MAX_TOTAL_BYTES`]).
    #[error("{file} は大きすぎます（展開後の合計が上限 {max_mb} MB を超えます）")]
    ExpandedTooLarge { file: String, max_mb: u64 },
    /// A part packed far tighter than a sheet packs: a "zip bomb" ([`limits::MAX_RATIO`]).
    #[error("{file} は不正なファイルです（中の {part} の圧縮率が {ratio} 倍、上限 {max} 倍）")]
    Overpacked {
        file: String,
        part: String,
        ratio: u64,
        max: u64,
    },
    /// A part that unpacks past its declared size, or whose checksum fails.
    #[error("{file} は壊れていて読めません（中の {part} が申告の大きさを超えるか、壊れています）")]
    DamagedPart { file: String, part: String },
    /// The shared strings declare more strings than they hold (or more uses than a workbook's
    /// cells), which would make the reader reserve memory for them all.
    #[error("{file} は壊れていて読めません（中の {part} が文字列 {declared} 個を申告していますが、上限は {real} 個です）")]
    SharedStringCount {
        file: String,
        part: String,
        declared: String,
        real: u64,
    },
    /// More cells, blank ones included, than a workbook of reports has
    /// ([`limits::MAX_CELLS_READ`]).
    #[error("{file} のシート「{sheet}」はセルが多すぎて読み込めません（上限 {max} 個）")]
    TooManyCells {
        file: String,
        sheet: String,
        max: u64,
    },
    /// A cell or merged region beyond Excel's grid (1,048,576 rows × 16,384 columns).
    #[error(
        "{file} の {place} は Excel のシートの範囲（{max_rows} 行 × {max_cols} 列）の外にあります"
    )]
    OutsideGrid {
        file: String,
        place: String,
        max_rows: u32,
        max_cols: u32,
    },
    /// A cell text longer than Excel allows ([`limits::MAX_CELL_CHARS`]).
    #[error("{file} の {place} の文字が多すぎます（{chars} 文字、Excel のセルの上限 {max} 文字）")]
    CellTooLong {
        file: String,
        place: String,
        chars: usize,
        max: usize,
    },
    /// More text across the workbook than any report has ([`limits::MAX_TEXT_BYTES`]).
    #[error("{file} は文字が多すぎます（{place} まで読んで上限 {max_mb} MB を超えました）")]
    TooMuchText {
        file: String,
        place: String,
        max_mb: u64,
    },
    /// The sheet holds no measure block.
    #[error("{file} のシート「{sheet}」に実施内容がありません")]
    Empty { file: String, sheet: String },
    /// Importing a whole report into a database that already has one.
    #[error("このデータベースには既に報告があります。部署から戻ったシートなら --as-submission 課 を付けて取り込んでください（内容の確認だけなら --dry-run）")]
    NotEmpty,
    /// `--as-submission` names a 課 the report does not have.
    #[error("担当課「{0}」はこの報告にありません")]
    UnknownDepartment(String),
    /// `--as-submission` with a name refused by the one rule for names (`crate::name`).
    #[error(transparent)]
    Name(#[from] crate::name::NameError),
    /// The sheet was exported for another 課.
    #[error("このシートは「{sheet}」向けに書き出されたものです（指定は「{given}」）")]
    OtherDepartment { sheet: String, given: String },
    /// No period to merge into.
    #[error("受付中の期間がありません。取りまとめ担当が期間を開いてから取り込んでください")]
    NoPeriod,
    /// A block of the department's that the report does not have.
    #[error("{place}: No.{no}（{department}）「{content}」はこの報告にありません。新しい実施内容は取りまとめ担当がアプリで追加してください")]
    UnknownMeasure {
        place: String,
        no: u32,
        department: String,
        content: String,
    },
    #[error(transparent)]
    Document(#[from] crate::document::DocumentError),
    #[error(transparent)]
    Merge(#[from] crate::merge::MergeError),
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl ImportError {
    fn at(grid: &Grid, row: u32, col: u32, message: String) -> ImportError {
        ImportError::Cell {
            place: grid.place(row, col),
            message,
        }
    }
}

/// Reads a workbook's bytes. `file_name` is only used in messages.
///
/// The package is checked against [`limits`] before calamine opens it. Panics inside calamine
/// are caught around each of its calls ([`limits::guarded`]); our own code is not guarded, so
/// that the tests and the fuzzer see its panics.
pub fn read_xlsx(bytes: &[u8], file_name: &str) -> Result<SheetRead, ImportError> {
    limits::check_package(bytes, file_name)?;
    let not_xlsx = |source| ImportError::NotXlsx {
        file: file_name.to_string(),
        source,
    };
    let mut workbook: Xlsx<_> =
        guarded(file_name, || open_workbook_from_rs(Cursor::new(bytes)))?.map_err(not_xlsx)?;
    let sheets: Vec<(String, bool)> = guarded(file_name, || {
        workbook
            .sheets_metadata()
            .iter()
            .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
            .collect()
    })?;
    let mut budget = CellBudget::new();
    // Our sheet first, then the other visible sheets in order; never the tally or the metadata.
    let mut candidates: Vec<&str> = sheets
        .iter()
        .filter(|(n, _)| n == MAIN_SHEET)
        .map(|(n, _)| n.as_str())
        .collect();
    candidates.extend(
        sheets
            .iter()
            .filter(|(n, visible)| {
                *visible && n != MAIN_SHEET && n != TALLY_SHEET && n != meta::META_SHEET
            })
            .map(|(n, _)| n.as_str()),
    );
    let mut missing = vec!["ＮＯ．", "公約", "実施内容", "所管課等", "区分"];
    let mut found = None;
    for name in candidates {
        let grid = sheet_grid(&mut workbook, name, file_name, true, &mut budget)?;
        match grid::find_header(&grid) {
            Ok(header) => {
                found = Some((grid, header));
                break;
            }
            Err(m) if m.is_empty() => {
                return Err(ImportError::NoYears {
                    file: file_name.to_string(),
                    sheet: name.to_string(),
                })
            }
            Err(m) if m.len() < missing.len() => missing = m,
            Err(_) => {}
        }
    }
    let Some((grid, header)) = found else {
        return Err(ImportError::NoHeader {
            file: file_name.to_string(),
            missing: missing.join("・"),
        });
    };
    let mut measures = blocks::read(&grid, &header)?;
    if measures.is_empty() {
        return Err(ImportError::Empty {
            file: file_name.to_string(),
            sheet: grid.name.clone(),
        });
    }
    let meta = if sheets.iter().any(|(n, _)| n == meta::META_SHEET) {
        let meta_grid = sheet_grid(
            &mut workbook,
            meta::META_SHEET,
            file_name,
            false,
            &mut budget,
        )?;
        meta::read(&meta_grid)?
    } else {
        None
    };
    if let Some(meta) = &meta {
        // A block keeps its id only where the hidden sheet still describes it: rows inserted
        // by hand shift the blocks, and those are then matched by their headings instead.
        for m in &mut measures {
            m.measure_id = meta
                .blocks
                .iter()
                .find(|b| {
                    b.first_row == m.first_row && b.no == m.no && b.department == m.department
                })
                .map(|b| b.measure_id);
        }
    }
    Ok(SheetRead {
        file_name: file_name.to_string(),
        sheet: grid.name.clone(),
        title: header.title.clone(),
        years: header
            .years
            .iter()
            .map(|y| ReadYear {
                year: y.year,
                months: y.months.clone(),
            })
            .collect(),
        measures,
        meta,
    })
}

/// Reads a file; the message names the file when it cannot be read at all.
pub fn read_file(path: &std::path::Path) -> Result<SheetRead, ImportError> {
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bytes = crate::reading::read_bounded(path, limits::MAX_FILE_BYTES, "報告の Excel シート")
        .map_err(ImportError::Read)?;
    read_xlsx(&bytes, &file_name)
}

impl SheetRead {
    /// The report as a document, for a new database. Period states: the exported open period
    /// is open again, earlier halves closed, later ones upcoming; without `_shinchoku` the
    /// newest second half is open, as for the printed report.
    pub fn to_document(&self) -> ReportDocument {
        let period = self.meta.as_ref().and_then(|m| m.period);
        let state = |year: i32, half: Half| {
            period.map(|p| match (year, half).cmp(&p) {
                std::cmp::Ordering::Less => PeriodState::Closed,
                std::cmp::Ordering::Equal => PeriodState::Open,
                std::cmp::Ordering::Greater => PeriodState::Upcoming,
            })
        };
        let fiscal_years = self
            .years
            .iter()
            .map(|y| DocYear {
                year: y.year,
                label: wareki::fiscal_year_label(y.year),
                halves: Half::BOTH
                    .iter()
                    .map(|&h| {
                        (
                            h,
                            DocHalfYear {
                                label: h.label().to_string(),
                                months: y.months[h as usize].clone(),
                                state: state(y.year, h),
                                deadline: String::new(),
                            },
                        )
                    })
                    .collect(),
            })
            .collect();
        let text = |m: &ReadMeasure, y: i32, f: Field| {
            let v = m.value(y, f);
            (!v.is_empty()).then(|| v.to_string())
        };
        let measures = self
            .measures
            .iter()
            .map(|m| DocMeasure {
                no: m.no,
                id: None,
                pledge: m.pledge.clone(),
                content: m.content.clone(),
                target_date: m.target_date.clone(),
                department: m.department.clone(),
                years: self
                    .years
                    .iter()
                    .map(|y| {
                        let year = y.year;
                        let halves = Half::BOTH
                            .iter()
                            .map(|&h| {
                                (
                                    h,
                                    DocHalf {
                                        plan: text(m, year, Field::Plan(h)),
                                        indicator: text(m, year, Field::Indicator(h)),
                                        status: text(m, year, Field::Status(h)),
                                    },
                                )
                            })
                            .collect();
                        let doc = DocMeasureYear {
                            annual_target: text(m, year, Field::AnnualTarget),
                            annual_indicator: text(m, year, Field::AnnualIndicator),
                            note: text(m, year, Field::YearNote),
                            halves,
                        };
                        (year.to_string(), doc)
                    })
                    .collect(),
            })
            .collect();
        ReportDocument {
            title: self.title.clone(),
            fiscal_years,
            measures,
        }
    }

    /// What was read, counted.
    pub fn summary(&self) -> ReadSummary {
        let pledges: BTreeSet<u32> = self.measures.iter().map(|m| m.no).collect();
        let departments: BTreeSet<&str> = self
            .measures
            .iter()
            .map(|m| m.department.as_str())
            .collect();
        let years = self
            .years
            .iter()
            .map(|y| {
                let count = |pred: &dyn Fn(Field) -> bool| {
                    self.measures
                        .iter()
                        .flat_map(|m| m.cells.keys())
                        .filter(|(year, f)| *year == y.year && pred(*f))
                        .count()
                };
                YearSummary {
                    year: y.year,
                    label: wareki::fiscal_year_label(y.year),
                    year_cells: count(&|f| f.half().is_none()),
                    h1_cells: count(&|f| f.half() == Some(Half::H1)),
                    h2_cells: count(&|f| f.half() == Some(Half::H2)),
                }
            })
            .collect();
        ReadSummary {
            file_name: self.file_name.clone(),
            sheet: self.sheet.clone(),
            pledges: pledges.len(),
            measures: self.measures.len(),
            departments: departments.len(),
            years,
            has_metadata: self.meta.is_some(),
        }
    }
}
