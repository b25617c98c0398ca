//! The hidden `_shinchoku` sheet: what the importer needs to read the sheet back and to merge
//! it (the revision, the exported period, where each measure's block is, and every exported
//! value as the merge base).
//!
//! One row per measure: its block, then one column per exported year and field holding the
//! value as exported. The values are the main sheet's strings again, so the workbook's shared
//! string table stores them once and each costs the hidden sheet only a reference. The merge
//! base revision of every cell is the report revision of the export: a cell's own revision is
//! never above it, and a coordinator's later change always is.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::layout;
use super::sheet::Sheet;
use super::Selection;
use crate::model::{CellKey, Field, FiscalYear};

/// The format tag and its version, read first by the importer. Version 1 had one row per cell
/// with its own revision; the importer still reads it.
pub const FORMAT: &str = "shinchoku-sheet";
pub const VERSION: &str = "2";
/// The row (0-based) where the block table begins, with its header.
pub const TABLE_ROW: u32 = 19;
pub const BLOCK_HEADER: [&str; 5] = ["measure_id", "first_row", "last_row", "no", "department"];

/// The header of a base value column: `2024/h2_status`.
pub fn value_header(year: i32, field: Field) -> String {
    format!("{year}/{}", field.code())
}

/// The key/value rows at the top of the sheet.
pub fn settings(selection: &Selection<'_>) -> Vec<(&'static str, String)> {
    let open = selection.report.open_period();
    vec![
        ("format", FORMAT.to_string()),
        ("version", VERSION.to_string()),
        ("revision", selection.report.revision.to_string()),
        (
            "department",
            selection.department.clone().unwrap_or_default(),
        ),
        (
            "period_year",
            open.map(|(y, _)| y.to_string()).unwrap_or_default(),
        ),
        (
            "period_half",
            open.map(|(_, h)| h.code().to_string()).unwrap_or_default(),
        ),
        (
            "years",
            selection
                .years
                .iter()
                .map(|y| y.year.to_string())
                .collect::<Vec<_>>()
                .join(","),
        ),
    ]
}

/// The (year, field) of each value column, in column order.
fn value_columns(years: &[&FiscalYear]) -> Vec<(i32, Field)> {
    years
        .iter()
        .flat_map(|y| Field::ALL.map(|field| (y.year, field)))
        .collect()
}

/// Writes the hidden sheet, row by row (it streams, low memory).
pub fn write(
    ws: &mut Worksheet,
    selection: &Selection<'_>,
    sheet: &Sheet,
) -> Result<(), XlsxError> {
    ws.set_name(layout::META_SHEET)?;
    ws.set_hidden(true);
    for (row, (key, value)) in settings(selection).iter().enumerate() {
        ws.write_string(row as u32, 0, *key)?;
        ws.write_string(row as u32, 1, value)?;
    }
    let first_value_col = BLOCK_HEADER.len() as u16;
    let columns = value_columns(&selection.years);
    for (col, name) in BLOCK_HEADER.iter().enumerate() {
        ws.write_string(TABLE_ROW, col as u16, *name)?;
    }
    for (i, &(year, field)) in columns.iter().enumerate() {
        ws.write_string(
            TABLE_ROW,
            first_value_col + i as u16,
            value_header(year, field),
        )?;
    }
    let cells = &selection.report.cells;
    for (i, block) in sheet.blocks.iter().enumerate() {
        let row = TABLE_ROW + 1 + i as u32;
        ws.write_number(row, 0, block.measure_id as f64)?;
        // 1-based, as Excel shows rows.
        ws.write_number(row, 1, f64::from(block.first_row + 1))?;
        ws.write_number(row, 2, f64::from(block.last_row + 1))?;
        ws.write_number(row, 3, f64::from(block.no))?;
        ws.write_string(row, 4, &block.department)?;
        for (j, &(year, field)) in columns.iter().enumerate() {
            let key = CellKey {
                measure_id: block.measure_id,
                year,
                field,
            };
            if let Some(cell) = cells.get(&key).filter(|c| !c.value.is_empty()) {
                let value = super::layout::clamp_to_cell(&cell.value);
                ws.write_string(row, first_value_col + j as u16, value.as_ref())?;
            }
        }
    }
    Ok(())
}
