//! The hidden `_shinchoku` sheet of our own export: the period and department it was exported
//! for, the revision, where each measure's block is, and every exported value (the merge base).

use std::collections::BTreeMap;

use super::grid::Grid;
use super::ImportError;
use crate::model::{CellKey, Field, Half, MeasureId};

pub const META_SHEET: &str = "_shinchoku";
const FORMAT: &str = "shinchoku-sheet";

/// What the hidden sheet says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetMeta {
    /// The report revision at export.
    pub revision: i64,
    /// The 課 the sheet was exported for, `None` for the whole report.
    pub department: Option<String>,
    /// The open period at export.
    pub period: Option<(i32, Half)>,
    pub years: Vec<i32>,
    /// Measure blocks: (first row, last row) 1-based → measure id, with its ＮＯ. and 課.
    pub blocks: Vec<MetaBlock>,
    /// The exported value of each non-blank cell and its revision.
    pub base: BTreeMap<CellKey, BaseCell>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaBlock {
    pub measure_id: MeasureId,
    pub first_row: u32,
    pub last_row: u32,
    pub no: u32,
    pub department: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseCell {
    pub revision: i64,
    pub value: String,
}

/// Reads the sheet; `Ok(None)` when it is not ours (another format tag).
pub fn read(grid: &Grid) -> Result<Option<SheetMeta>, ImportError> {
    let mut settings = BTreeMap::new();
    let mut table_row = None;
    for row in 0..grid.rows() {
        let key = grid.text(row, 0);
        if key == "measure_id" {
            table_row = Some(row);
            break;
        }
        if !key.is_empty() {
            settings.insert(key, grid.text(row, 1));
        }
    }
    if settings.get("format").map(String::as_str) != Some(FORMAT) {
        return Ok(None);
    }
    let bad = |row: u32, col: u32, what: &str| {
        ImportError::at(
            grid,
            row,
            col,
            format!("{what}が読めません（非表示シートが壊れています）"),
        )
    };
    let int = |row: u32, col: u32, what: &str| -> Result<i64, ImportError> {
        grid.text(row, col)
            .parse::<i64>()
            .map_err(|_| bad(row, col, what))
    };
    let mut meta = SheetMeta {
        revision: settings
            .get("revision")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        department: settings
            .get("department")
            .filter(|d| !d.is_empty())
            .cloned(),
        period: settings
            .get("period_year")
            .and_then(|y| y.parse().ok())
            .zip(settings.get("period_half").and_then(|h| h.parse().ok())),
        years: settings
            .get("years")
            .map(|y| y.split(',').filter_map(|y| y.trim().parse().ok()).collect())
            .unwrap_or_default(),
        ..SheetMeta::default()
    };
    let Some(table_row) = table_row else {
        return Ok(Some(meta));
    };
    for row in table_row + 1..grid.rows() {
        if !grid.text(row, 0).is_empty() {
            let no = int(row, 3, "ＮＯ．")?;
            meta.blocks.push(MetaBlock {
                measure_id: int(row, 0, "measure_id")?,
                first_row: int(row, 1, "first_row")? as u32,
                last_row: int(row, 2, "last_row")? as u32,
                no: u32::try_from(no).map_err(|_| bad(row, 3, "ＮＯ．"))?,
                department: grid.text(row, 4),
            });
        }
        if !grid.text(row, 7).is_empty() {
            let field = Field::from_code(&grid.text(row, 9)).ok_or_else(|| bad(row, 9, "field"))?;
            let key = CellKey {
                measure_id: int(row, 7, "measure_id")?,
                year: i32::try_from(int(row, 8, "year")?).map_err(|_| bad(row, 8, "year"))?,
                field,
            };
            meta.base.insert(
                key,
                BaseCell {
                    revision: int(row, 10, "revision")?,
                    value: grid.text(row, 11),
                },
            );
        }
    }
    Ok(Some(meta))
}
