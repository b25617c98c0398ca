//! One worksheet's cells streamed from calamine into a [`Grid`]: within Excel's grid and the
//! workbook's [`CellBudget`], text measured before it is copied, formulas marked apart from the
//! values they cached.

use std::collections::HashMap;

use calamine::{Data, DataRef, Xlsx, XlsxFormulaMetadata};

use super::grid::{self, Grid};
use super::limits::{self, guarded, CellBudget};
use super::ImportError;

/// More cells than a report of this kind can have (2,000 measures fill about 100,000): a
/// sheet beyond it is refused rather than read into memory.
const MAX_CELLS: usize = 2_000_000;

/// Reads one sheet into a grid, within Excel's grid and the workbook's [`CellBudget`].
pub(super) fn sheet_grid<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Xlsx<RS>,
    name: &str,
    file_name: &str,
    with_merges: bool,
    budget: &mut CellBudget,
) -> Result<Grid, ImportError> {
    let not_xlsx = |source| ImportError::NotXlsx {
        file: file_name.to_string(),
        source,
    };
    // calamine reads merged regions in a pass of their own over the sheet's XML: only for
    // the sheet whose merges mean something (year notes), not for `_shinchoku`.
    let merges: Vec<_> = if with_merges {
        guarded(file_name, || workbook.merge_cells_by_sheet_name(name))?
            .map_err(not_xlsx)?
            .into_iter()
            .map(|d| (d.start, d.end))
            .collect()
    } else {
        Vec::new()
    };
    for &(start, end) in &merges {
        if !within_excel(start) || !within_excel(end) {
            let range = format!(
                "{}:{}",
                grid::cell_ref(start.0, start.1),
                grid::cell_ref(end.0, end.1)
            );
            return Err(outside_grid(file_name, format!("{name}!{range}")));
        }
    }
    let mut grid = Grid::new(name, merges);
    let mut reader =
        guarded(file_name, || workbook.worksheet_cells_reader(name))?.map_err(not_xlsx)?;
    // The texts of shared formulas by their index, kept here rather than asking calamine to
    // expand them: its expanding reader reserves a slot for every index up to the largest
    // `si` a file declares, and a crafted `si="1000000000000"` would exhaust memory.
    let mut shared: HashMap<usize, String> = HashMap::new();
    while let Some(cell) =
        guarded(file_name, || reader.next_cell_with_formula_metadata())?.map_err(not_xlsx)?
    {
        budget.count_cell(file_name, name)?;
        let (row, col) = cell.pos;
        if !within_excel((row, col)) {
            return Err(outside_grid(file_name, grid.place(row, col)));
        }
        // Text is measured while calamine still lends it (a shared string is one copy for
        // every cell using it), and only copied once within the limits.
        let borrowed: Option<&str> = match &cell.value {
            DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
                Some(text)
            }
            DataRef::SharedString(text) => Some(text),
            _ => None,
        };
        let text = match borrowed {
            Some(text) => {
                budget.take_text(text, file_name, || grid.place(row, col))?;
                grid::clean_text(text)
            }
            None => grid::data_text(&Data::from(cell.value.clone())),
        };
        grid.put_text(row, col, text);
        if let Some(formula) = &cell.formula {
            let text = match formula {
                XlsxFormulaMetadata::Normal { formula } => formula.clone(),
                XlsxFormulaMetadata::Shared {
                    shared_index,
                    formula,
                    ..
                } => {
                    shared.insert(*shared_index, formula.clone());
                    formula.clone()
                }
                // A cell filled from a shared formula: named by the formula it was filled
                // from (its references as written in the first cell).
                XlsxFormulaMetadata::SharedDerived { shared_index } => {
                    shared.get(shared_index).cloned().unwrap_or_default()
                }
                // A kind a later calamine adds: still a formula, named by its cell alone.
                _ => String::new(),
            };
            // Every formula's text is measured, a filled one too: a shared formula filled into
            // many cells costs its length in each.
            budget.take_text(&text, file_name, || grid.place(row, col))?;
            grid.put_formula(row, col, format!("={text}"));
        }
        if grid.cell_count() > MAX_CELLS {
            return Err(ImportError::TooLarge {
                file: file_name.to_string(),
                sheet: name.to_string(),
            });
        }
    }
    Ok(grid)
}

/// Within Excel's grid, A1:XFD1048576 (0-based row and column).
fn within_excel((row, col): (u32, u32)) -> bool {
    row < limits::MAX_ROWS && col < limits::MAX_COLS
}

fn outside_grid(file_name: &str, place: String) -> ImportError {
    ImportError::OutsideGrid {
        file: file_name.to_string(),
        place,
        max_rows: limits::MAX_ROWS,
        max_cols: limits::MAX_COLS,
    }
}
