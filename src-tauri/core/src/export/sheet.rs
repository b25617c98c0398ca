//! The main sheet 重点政策 as a pure mapping from the report to cells, row heights and page
//! breaks, then its writing with rust_xlsxwriter.

use rust_xlsxwriter::{utility::row_col_to_cell, DataValidation, Worksheet, XlsxError};

use super::input::InputCells;
use super::layout::{self, Style};
use super::Selection;
use crate::model::{Field, FiscalYear, Half, Measure};
use crate::report::Report;

/// One cell of the sheet, or a merged range of cells (first = last for a single cell).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub first_row: u32,
    pub first_col: u16,
    pub last_row: u32,
    pub last_col: u16,
    pub text: String,
    pub style: Style,
    /// A cell the department fills in ([`InputCells`]): unlocked and tinted in its sheet.
    pub input: bool,
}

impl Cell {
    fn single(row: u32, col: u16, text: impl Into<String>, style: Style) -> Cell {
        Cell::merged(row, col, row, col, text, style)
    }

    fn merged(
        first_row: u32,
        first_col: u16,
        last_row: u32,
        last_col: u16,
        text: impl Into<String>,
        style: Style,
    ) -> Cell {
        Cell {
            first_row,
            first_col,
            last_row,
            last_col,
            text: text.into(),
            style,
            input: false,
        }
    }

    fn input(self, input: bool) -> Cell {
        Cell { input, ..self }
    }

    fn is_merged(&self) -> bool {
        self.first_row != self.last_row || self.first_col != self.last_col
    }
}

/// The rows of one measure, for page breaks and the importer's map.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub measure_id: i64,
    pub first_row: u32,
    pub last_row: u32,
    pub no: u32,
    pub department: String,
}

/// The whole main sheet, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub cells: Vec<Cell>,
    /// Pixel width of each column.
    pub widths: Vec<u32>,
    /// Height in points of each row.
    pub heights: Vec<f64>,
    pub blocks: Vec<Block>,
    /// First rows of the pages after the first.
    pub page_breaks: Vec<u32>,
    /// The cells that get the ☆○△× drop-down.
    pub indicator_cells: Vec<(u32, u16)>,
    /// A department's sheet: every cell but its input cells is locked.
    pub protected: bool,
}

impl Sheet {
    pub fn last_col(&self) -> u16 {
        self.widths.len() as u16 - 1
    }

    pub fn pages(&self) -> usize {
        self.page_breaks.len() + 1
    }
}

/// 市長が掲げた重点政策No.1~45, the range following the exported measures.
pub fn title(report: &Report, measures: &[&Measure]) -> String {
    // A stored title may already carry the range of the report it came from: replace it.
    let base = match report.title.rfind("No.") {
        Some(i) => &report.title[..i],
        None => report.title.as_str(),
    };
    let numbers = measures
        .iter()
        .filter_map(|m| report.pledge(m.pledge_id))
        .map(|p| p.number);
    match (numbers.clone().min(), numbers.max()) {
        (Some(lo), Some(hi)) if lo == hi => format!("{base}No.{lo}"),
        (Some(lo), Some(hi)) => format!("{base}No.{lo}~{hi}"),
        _ => base.to_string(),
    }
}

/// Maps the selection to the sheet.
pub fn build(selection: &Selection<'_>) -> Sheet {
    let report = selection.report;
    let widths = layout::column_widths(selection.years.len());
    let last_col = widths.len() as u16 - 1;
    let mut cells = Vec::with_capacity(selection.measures.len() * 40 + 32);
    let mut heights = vec![
        layout::TITLE_HEIGHT_PT,
        layout::LEGEND_HEIGHT_PT,
        layout::HEADER_HEIGHT_PT,
        layout::HALVES_HEIGHT_PT,
        layout::MONTHS_HEIGHT_PT,
    ];
    cells.push(Cell::merged(
        layout::ROW_TITLE,
        0,
        layout::ROW_TITLE,
        last_col,
        title(report, &selection.measures),
        Style::Title,
    ));
    cells.push(Cell::merged(
        layout::ROW_LEGEND,
        0,
        layout::ROW_LEGEND,
        last_col,
        layout::legend(),
        Style::Legend,
    ));
    header(&mut cells, &selection.years);

    // A department's sheet goes out to be filled in Excel: only its input cells are open. The
    // consolidated sheet is the coordinator's own, printed and published, and stays open.
    let protected = selection.department.is_some();
    let inputs = selection
        .department
        .as_deref()
        .and_then(|department| InputCells::open(report, department));
    let mut blocks = Vec::with_capacity(selection.measures.len());
    let mut indicator_cells = Vec::new();
    let mut row = layout::FIRST_BLOCK_ROW;
    for measure in &selection.measures {
        let block_cells = measure_block(report, measure, &selection.years, row, inputs.as_ref());
        // A drop-down on a locked cell would only open to refuse the choice.
        indicator_cells.extend(
            block_cells
                .iter()
                .filter(|c| c.style == Style::Symbol && (c.input || !protected))
                .map(|c| (c.first_row, c.first_col)),
        );
        heights.extend(block_heights(&block_cells, &widths, row));
        cells.extend(block_cells);
        blocks.push(Block {
            measure_id: measure.id,
            first_row: row,
            last_row: row + layout::BLOCK_ROWS - 1,
            no: report.pledge(measure.pledge_id).map_or(0, |p| p.number),
            department: report.department_name(measure.department_id).to_string(),
        });
        row += layout::BLOCK_ROWS;
    }
    let page_breaks = page_breaks(&blocks, &heights, &widths);
    Sheet {
        cells,
        widths,
        heights,
        blocks,
        page_breaks,
        indicator_cells,
        protected,
    }
}

/// The three header rows: headings merged down, then per year 上半期 / 下半期 / 指標 and the months.
fn header(cells: &mut Vec<Cell>, years: &[&FiscalYear]) {
    let (top, halves, months) = (layout::ROW_HEADER, layout::ROW_HALVES, layout::ROW_MONTHS);
    for (col, heading) in layout::HEADINGS.iter().enumerate() {
        cells.push(Cell::merged(
            top,
            col as u16,
            months,
            col as u16,
            *heading,
            Style::Header,
        ));
    }
    cells.push(Cell::merged(
        top,
        layout::COL_KIND,
        months,
        layout::COL_KIND_SUB,
        layout::KIND,
        Style::Header,
    ));
    for (i, year) in years.iter().enumerate() {
        let col = layout::year_col(i);
        cells.push(Cell::merged(
            top,
            col,
            top,
            col + 2,
            year.label(),
            Style::Header,
        ));
        for half in Half::BOTH {
            let c = col + half as u16;
            cells.push(Cell::single(halves, c, half.label(), Style::Header));
            cells.push(Cell::single(
                months,
                c,
                year.half(half).months_label(),
                Style::Header,
            ));
        }
        cells.push(Cell::merged(
            halves,
            col + 2,
            months,
            col + 2,
            layout::indicator_heading(),
            Style::Header,
        ));
    }
}

/// The cells of one measure's block starting at `row`; `inputs` marks the cells its department
/// fills in, in a department's sheet.
fn measure_block(
    report: &Report,
    m: &Measure,
    years: &[&FiscalYear],
    row: u32,
    inputs: Option<&InputCells<'_>>,
) -> Vec<Cell> {
    let department = report.department_name(m.department_id);
    let last = row + layout::BLOCK_ROWS - 1;
    let (target, plan, indicator, status) = (row, row + 1, row + 2, row + 3);
    let no = report
        .pledge(m.pledge_id)
        .map_or(String::new(), |p| p.number.to_string());
    let mut cells = vec![
        Cell::merged(
            row,
            layout::COL_NO,
            last,
            layout::COL_NO,
            no,
            Style::Centered,
        ),
        Cell::merged(
            row,
            layout::COL_PLEDGE,
            last,
            layout::COL_PLEDGE,
            report.pledge_cell(m),
            Style::Text,
        ),
        Cell::merged(
            row,
            layout::COL_CONTENT,
            last,
            layout::COL_CONTENT,
            m.content.clone(),
            Style::Text,
        ),
        Cell::merged(
            row,
            layout::COL_TARGET_DATE,
            last,
            layout::COL_TARGET_DATE,
            m.target_date.clone(),
            Style::Centered,
        ),
        Cell::merged(
            row,
            layout::COL_DEPARTMENT,
            last,
            layout::COL_DEPARTMENT,
            department,
            Style::Centered,
        ),
        Cell::merged(
            target,
            layout::COL_KIND,
            target,
            layout::COL_KIND_SUB,
            layout::ANNUAL_TARGET,
            Style::Label,
        ),
        Cell::merged(
            plan,
            layout::COL_KIND,
            plan,
            layout::COL_KIND_SUB,
            layout::PLAN,
            Style::Label,
        ),
        Cell::merged(
            indicator,
            layout::COL_KIND,
            status,
            layout::COL_KIND,
            layout::PROGRESS,
            Style::Label,
        ),
        Cell::single(
            indicator,
            layout::COL_KIND_SUB,
            layout::indicator_heading(),
            Style::Label,
        ),
        Cell::single(
            status,
            layout::COL_KIND_SUB,
            layout::PROGRESS_STATUS,
            Style::Label,
        ),
    ];
    for (i, year) in years.iter().enumerate() {
        let col = layout::year_col(i);
        let value = |field: Field| report.value(m.id, year.year, field).to_string();
        let input =
            |field: Field| inputs.is_some_and(|i| i.contains(department, m.last_year, year, field));
        let note = value(Field::YearNote);
        if !note.is_empty() {
            // The note stands for the whole year: written across its block, as printed; the
            // year then has no entries to hide (`model::year_note_clash`).
            cells.push(Cell::merged(row, col, last, col + 2, note, Style::Note));
            continue;
        }
        cells.push(
            Cell::merged(
                target,
                col,
                target,
                col + 1,
                value(Field::AnnualTarget),
                Style::Text,
            )
            .input(input(Field::AnnualTarget)),
        );
        cells.push(
            Cell::single(
                target,
                col + 2,
                value(Field::AnnualIndicator),
                Style::Symbol,
            )
            .input(input(Field::AnnualIndicator)),
        );
        cells.push(Cell::merged(plan, col + 2, last, col + 2, "", Style::Blank));
        for half in Half::BOTH {
            let c = col + half as u16;
            for (r, field, style) in [
                (plan, Field::Plan(half), Style::Text),
                (indicator, Field::Indicator(half), Style::Symbol),
                (status, Field::Status(half), Style::Text),
            ] {
                cells.push(Cell::single(r, c, value(field), style).input(input(field)));
            }
        }
    }
    cells
}

/// The heights of a block's rows: each row as tall as its tallest own cell, then the last row
/// grown until every cell merged down the block has room for all its lines.
fn block_heights(cells: &[Cell], widths: &[u32], first_row: u32) -> Vec<f64> {
    let rows = layout::BLOCK_ROWS as usize;
    let mut heights = vec![layout::MIN_ROW_PT; rows];
    let width = |c: &Cell| -> f64 {
        widths[c.first_col as usize..=c.last_col as usize]
            .iter()
            .map(|&w| f64::from(w))
            .sum()
    };
    let need = |c: &Cell| layout::text_height(&c.text, width(c), c.style.font_pt());
    for cell in cells.iter().filter(|c| c.first_row == c.last_row) {
        let i = (cell.first_row - first_row) as usize;
        heights[i] = heights[i].max(need(cell));
    }
    for cell in cells.iter().filter(|c| c.first_row != c.last_row) {
        let (a, b) = (
            (cell.first_row - first_row) as usize,
            (cell.last_row - first_row) as usize,
        );
        let have: f64 = heights[a..=b].iter().sum();
        let want = need(cell);
        if want > have {
            heights[b] += want - have;
        }
    }
    // Whole points keep the file and the pagination free of float noise. A text longer than a
    // row can show (written before the limits, or by hand) is cut in print, never a failed
    // export: Excel refuses rows above its maximum.
    heights
        .iter()
        .map(|h| h.ceil().min(layout::MAX_ROW_PT))
        .collect()
}

/// Page breaks so that no measure is split: measures fill a page until the next would not fit.
fn page_breaks(blocks: &[Block], heights: &[f64], widths_px: &[u32]) -> Vec<u32> {
    let budget = layout::page_budget_pt(widths_px);
    let repeated: f64 = heights[layout::ROW_HEADER as usize..=layout::ROW_MONTHS as usize]
        .iter()
        .sum();
    let title: f64 = heights[..layout::ROW_HEADER as usize].iter().sum();
    let mut breaks = Vec::new();
    let mut used = title + repeated;
    for block in blocks {
        let h: f64 = heights[block.first_row as usize..=block.last_row as usize]
            .iter()
            .sum();
        if used + h > budget && used > title + repeated {
            breaks.push(block.first_row);
            used = repeated;
        }
        used += h;
    }
    breaks
}

/// Writes the sheet: widths, heights, cells, drop-downs and the page set-up.
pub fn write(ws: &mut Worksheet, sheet: &Sheet) -> Result<(), XlsxError> {
    ws.set_name(layout::MAIN_SHEET)?;
    for (col, &w) in sheet.widths.iter().enumerate() {
        ws.set_column_width_pixels(col as u16, w)?;
    }
    for (row, &h) in sheet.heights.iter().enumerate() {
        ws.set_row_height(row as u32, h)?;
    }
    let styles = [
        Style::Title,
        Style::Legend,
        Style::Header,
        Style::Text,
        Style::Centered,
        Style::Label,
        Style::Symbol,
        Style::Note,
        Style::Blank,
    ];
    let formats: Vec<((Style, bool), rust_xlsxwriter::Format)> = styles
        .iter()
        .map(|&s| ((s, false), s.format()))
        .chain(styles.iter().map(|&s| ((s, true), s.input_format())))
        .collect();
    let format = |cell: &Cell| {
        formats
            .iter()
            .find(|(key, _)| *key == (cell.style, cell.input))
            .map(|(_, f)| f)
            .unwrap_or(&formats[0].1)
    };
    // The sheet streams (low memory): rows must be written in order.
    let mut cells: Vec<&Cell> = sheet.cells.iter().collect();
    cells.sort_by_key(|c| (c.first_row, c.first_col));
    for cell in cells {
        let f = format(cell);
        if cell.is_merged() {
            ws.merge_range(
                cell.first_row,
                cell.first_col,
                cell.last_row,
                cell.last_col,
                layout::clamp_to_cell(&cell.text).as_ref(),
                f,
            )?;
        } else if cell.text.is_empty() {
            ws.write_blank(cell.first_row, cell.first_col, f)?;
        } else {
            let text = layout::clamp_to_cell(&cell.text);
            ws.write_string_with_format(cell.first_row, cell.first_col, text.as_ref(), f)?;
        }
    }
    // One validation per run of cells, each listing its cells: thousands of single-cell
    // validations would make the file larger and slower to write and to open.
    let mut symbols = sheet.indicator_cells.clone();
    symbols.sort_by_key(|&(row, col)| (col, row));
    for chunk in symbols.chunks(layout::CELLS_PER_VALIDATION) {
        let (row, col) = chunk[0];
        let range = chunk
            .iter()
            .map(|&(r, c)| row_col_to_cell(r, c))
            .collect::<Vec<_>>()
            .join(" ");
        let dropdown = DataValidation::new()
            .allow_list_strings(&layout::SYMBOLS)?
            .set_error_message("指標は ☆ ○ △ × のいずれかを選んでください")?
            .set_multi_range(range);
        ws.add_data_validation(row, col, row, col, &dropdown)?;
    }
    let (left, right, top, bottom, header, footer) = layout::MARGINS_IN;
    ws.set_paper_size(layout::PAPER_A3)
        .set_landscape()
        .set_margins(left, right, top, bottom, header, footer)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_footer(layout::FOOTER);
    ws.set_repeat_rows(layout::ROW_HEADER, layout::ROW_MONTHS)?;
    if !sheet.page_breaks.is_empty() {
        ws.set_page_breaks(&sheet.page_breaks)?;
    }
    ws.set_freeze_panes(layout::FIRST_BLOCK_ROW, 0)?;
    if sheet.protected {
        ws.protect_with_options(&layout::protection());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merged_heading_taller_than_its_rows_grows_the_last_row() {
        let widths = layout::column_widths(1);
        let long = "あ".repeat(300);
        let cells = vec![
            Cell::merged(
                10,
                layout::COL_CONTENT,
                13,
                layout::COL_CONTENT,
                long.clone(),
                Style::Text,
            ),
            Cell::single(11, layout::year_col(0), "計画", Style::Text),
        ];
        let heights = block_heights(&cells, &widths, 10);
        let need = layout::text_height(&long, f64::from(widths[2]), layout::BODY_PT);
        assert!(heights.iter().sum::<f64>() >= need);
        assert_eq!(heights[0], layout::MIN_ROW_PT);
        assert!(heights[3] > heights[1], "the extra goes to the 状況 row");
    }

    #[test]
    fn pages_break_only_before_a_block_that_would_not_fit() {
        let blocks: Vec<Block> = (0..6)
            .map(|i| Block {
                measure_id: i,
                first_row: layout::FIRST_BLOCK_ROW + 4 * i as u32,
                last_row: layout::FIRST_BLOCK_ROW + 4 * i as u32 + 3,
                no: 1,
                department: String::new(),
            })
            .collect();
        // Blocks of 4 × 100 pt: at most one beside the title and headers on a page.
        let mut heights = vec![30.0, 34.0, 20.0, 20.0, 18.0];
        heights.extend([100.0; 24]);
        let breaks = page_breaks(&blocks, &heights, &[1600]);
        assert_eq!(breaks, vec![9, 13, 17, 21, 25]);
    }
}
