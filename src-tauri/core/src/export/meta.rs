//! The hidden `_shinchoku` sheet: what the importer needs to read the sheet back and to merge
//! it (the revision, the exported period, where each measure's block is, and every exported
//! value as the merge base).

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::layout;
use super::sheet::Sheet;
use super::Selection;
use crate::model::{CellKey, Field, PeriodState};

/// The format tag and its version, read first by the importer.
pub const FORMAT: &str = "shinchoku-sheet";
pub const VERSION: &str = "1";
/// The row (0-based) where the block table and the cell table begin, with their headers.
pub const TABLE_ROW: u32 = 19;
pub const BLOCK_HEADER: [&str; 5] = ["measure_id", "first_row", "last_row", "no", "department"];
pub const CELL_HEADER: [&str; 5] = ["measure_id", "year", "field", "revision", "value"];
/// Column H, where the cell table begins.
const CELL_COL: u16 = 7;

/// The key/value rows at the top of the sheet.
pub fn settings(selection: &Selection<'_>) -> Vec<(&'static str, String)> {
    let open = selection.report.years.iter().find_map(|y| {
        y.halves
            .iter()
            .find(|h| h.state == PeriodState::Open)
            .map(|h| (y.year, h.half))
    });
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

/// One row of the cell table: the merge base of one exported cell.
struct BaseCell<'a> {
    measure_id: i64,
    year: i32,
    field: Field,
    revision: i64,
    value: &'a str,
}

/// The non-blank cells of the exported measures and years, in sheet order.
fn base_cells<'a>(selection: &Selection<'a>) -> Vec<BaseCell<'a>> {
    let report = selection.report;
    let mut cells = Vec::new();
    for measure in &selection.measures {
        for year in &selection.years {
            for field in Field::ALL {
                let key = CellKey {
                    measure_id: measure.id,
                    year: year.year,
                    field,
                };
                if let Some(cell) = report.cells.get(&key).filter(|c| !c.value.is_empty()) {
                    cells.push(BaseCell {
                        measure_id: measure.id,
                        year: year.year,
                        field,
                        revision: cell.revision,
                        value: &cell.value,
                    });
                }
            }
        }
    }
    cells
}

/// Writes the hidden sheet. The sheet streams (low memory), so it is written row by row:
/// the block table and the cell table share their rows.
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
    for (col, name) in BLOCK_HEADER.iter().enumerate() {
        ws.write_string(TABLE_ROW, col as u16, *name)?;
    }
    for (col, name) in CELL_HEADER.iter().enumerate() {
        ws.write_string(TABLE_ROW, CELL_COL + col as u16, *name)?;
    }
    let cells = base_cells(selection);
    for i in 0..sheet.blocks.len().max(cells.len()) {
        let row = TABLE_ROW + 1 + i as u32;
        if let Some(block) = sheet.blocks.get(i) {
            ws.write_number(row, 0, block.measure_id as f64)?;
            // 1-based, as Excel shows rows.
            ws.write_number(row, 1, f64::from(block.first_row + 1))?;
            ws.write_number(row, 2, f64::from(block.last_row + 1))?;
            ws.write_number(row, 3, f64::from(block.no))?;
            ws.write_string(row, 4, &block.department)?;
        }
        if let Some(cell) = cells.get(i) {
            ws.write_number(row, CELL_COL, cell.measure_id as f64)?;
            ws.write_number(row, CELL_COL + 1, f64::from(cell.year))?;
            ws.write_string(row, CELL_COL + 2, cell.field.code())?;
            ws.write_number(row, CELL_COL + 3, cell.revision as f64)?;
            ws.write_string(row, CELL_COL + 4, cell.value)?;
        }
    }
    Ok(())
}
