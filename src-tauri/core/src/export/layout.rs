//! The printed layout in one place: columns, widths, labels, fonts, page geometry, and the
//! estimate of how much room a text needs, from which row heights and page breaks follow.
//!
//! The cell boxes and that estimate are the print model ([`crate::print`]), which the edit asks
//! too; they are re-exported here so that the layout reads whole.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, ProtectionOptions};

pub use crate::print::{
    check_print, fits_in_print, line_count, max_print_chars, text_height, PrintOverflow,
    BLOCK_ROWS, BODY_PT, HALF_WIDTH_PX, MAX_ROW_PT, NOTE_PT, SYMBOL_PT, YEAR_INDICATOR_WIDTH_PX,
};

/// The sheet names agreed with the importer.
pub const MAIN_SHEET: &str = "重点政策";
pub const TALLY_SHEET: &str = "集計";
pub const META_SHEET: &str = "_shinchoku";

/// The font Japanese Excel users expect; LibreOffice substitutes a CJK Gothic for it.
pub const FONT_NAME: &str = "ＭＳ Ｐゴシック";
/// Shift-JIS charset, so that Excel picks the Japanese face of the font.
pub const FONT_CHARSET: u8 = 128;
pub const HEADER_PT: f64 = 10.0;
pub const TITLE_PT: f64 = 16.0;

/// Columns of the heading part (0-based).
pub const COL_NO: u16 = 0;
pub const COL_PLEDGE: u16 = 1;
pub const COL_CONTENT: u16 = 2;
pub const COL_TARGET_DATE: u16 = 3;
pub const COL_DEPARTMENT: u16 = 4;
/// 区分 takes two columns: 進捗 on the left, 指標 / 状況 beside it.
pub const COL_KIND: u16 = 5;
pub const COL_KIND_SUB: u16 = 6;
/// The first fiscal-year block; each year has 上半期, 下半期 and 指標.
pub const COL_FIRST_YEAR: u16 = 7;
pub const YEAR_COLS: u16 = 3;

/// Column widths in pixels, heading columns first, then one year block.
pub const HEADING_WIDTHS_PX: [u32; 7] = [46, 112, 196, 78, 84, 34, 62];

/// Rows (0-based): title, legend, then the three header rows repeated on every page.
pub const ROW_TITLE: u32 = 0;
pub const ROW_LEGEND: u32 = 1;
pub const ROW_HEADER: u32 = 2;
pub const ROW_HALVES: u32 = 3;
pub const ROW_MONTHS: u32 = 4;
pub const FIRST_BLOCK_ROW: u32 = 5;

pub const TITLE_HEIGHT_PT: f64 = 30.0;
pub const LEGEND_HEIGHT_PT: f64 = 34.0;
pub const HEADER_HEIGHT_PT: f64 = 20.0;
pub const HALVES_HEIGHT_PT: f64 = 20.0;
pub const MONTHS_HEIGHT_PT: f64 = 18.0;
/// The smallest row of a block, so that a symbol row keeps its symbol readable.
pub const MIN_ROW_PT: f64 = 24.0;
/// The most characters Excel keeps in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

pub const HEADINGS: [&str; 5] = ["ＮＯ．", "公約", "実施内容", "目標期日", "所管課等"];
pub const KIND: &str = "区分";
pub const ANNUAL_TARGET: &str = "年度目標";
pub const PLAN: &str = "計画\n(短期目標)";
pub const PROGRESS: &str = "進捗";
pub const PROGRESS_INDICATOR: &str = "指標\n☆○△×";
pub const PROGRESS_STATUS: &str = "状況";
pub const YEAR_INDICATOR: &str = "指標\n☆○△×";
pub const LEGEND: &str = "【指標欄に記載する記号】\n☆ … 実施済み、目標達成　○ … 計画どおり進行中　△ … 計画より遅れている　× … 未着手、断念 など";
/// The drop-down of every indicator cell.
pub const SYMBOLS: [&str; 4] = ["☆", "○", "△", "×"];
/// Cells listed in one drop-down rule; Excel reads long lists, but keeps rules modest.
pub const CELLS_PER_VALIDATION: usize = 256;
/// The tint of a department's input cells: the pale yellow the window gives the open period
/// (`--open` in ui/style.css). It prints as a faint tone that leaves the text as legible as on
/// white, so a department's printed draft shows what it filled in.
pub const INPUT_FILL: u32 = 0xFFF8E1;
/// `&P` is Excel's page number field.
pub const FOOTER: &str = "&C&P ページ";

/// A3 = paper size 8 in the OOXML page set-up.
pub const PAPER_A3: u8 = 8;
/// A3 landscape in points.
pub const PAGE_WIDTH_PT: f64 = 1190.55;
pub const PAGE_HEIGHT_PT: f64 = 841.89;
/// Margins in inches: left, right, top, bottom, header, footer.
pub const MARGINS_IN: (f64, f64, f64, f64, f64, f64) = (0.3, 0.3, 0.5, 0.6, 0.2, 0.3);
/// Share of a page that measures may fill: rounding in Excel's and LibreOffice's own
/// pagination must never push the last measure of a page onto the next one.
pub const PAGE_FILL: f64 = 0.94;

/// The pixel width of each column of a sheet with `years` fiscal-year blocks.
pub fn column_widths(years: usize) -> Vec<u32> {
    let mut widths = HEADING_WIDTHS_PX.to_vec();
    for _ in 0..years {
        widths.extend([HALF_WIDTH_PX, HALF_WIDTH_PX, YEAR_INDICATOR_WIDTH_PX]);
    }
    widths
}

/// The first column of the `index`-th fiscal-year block.
pub fn year_col(index: usize) -> u16 {
    COL_FIRST_YEAR + YEAR_COLS * index as u16
}

/// The text as a cell can hold it: past [`MAX_CELL_CHARS`] Excel (and rust_xlsxwriter) refuse
/// the whole file, so a text written before the limits existed is cut rather than the export
/// failing for everyone.
pub fn clamp_to_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => std::borrow::Cow::Owned(text[..end].to_string()),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// The scale the sheet prints at, fitted to one page wide: 1.0 when it fits as it is.
pub fn print_scale(widths_px: &[u32]) -> f64 {
    let (left, right, ..) = MARGINS_IN;
    let printable_width = PAGE_WIDTH_PT - (left + right) * 72.0;
    let sheet_width_pt = f64::from(widths_px.iter().sum::<u32>()) * 0.75;
    (printable_width / sheet_width_pt).min(1.0)
}

/// How the sheet prints: the height that measures may fill on one page, in the sheet's points,
/// given that the page is scaled to fit one page wide ([`print_scale`]).
pub fn page_budget_pt(widths_px: &[u32]) -> f64 {
    let (_, _, top, bottom, _, _) = MARGINS_IN;
    let printable_height = PAGE_HEIGHT_PT - (top + bottom) * 72.0;
    printable_height / print_scale(widths_px) * PAGE_FILL
}

/// The cell styles of the main sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Title,
    Legend,
    Header,
    /// Text of a measure, wrapped, top-left.
    Text,
    /// Short texts centred: ＮＯ., 目標期日, 所管課等.
    Centered,
    /// The labels of 区分.
    Label,
    Symbol,
    /// A year note across a year's block.
    Note,
    /// Bordered, empty.
    Blank,
}

fn base() -> Format {
    Format::new()
        .set_font_name(FONT_NAME)
        .set_font_charset(FONT_CHARSET)
        .set_font_size(BODY_PT)
        .set_text_wrap()
}

fn bordered() -> Format {
    base().set_border(FormatBorder::Thin)
}

impl Style {
    pub fn format(self) -> Format {
        match self {
            Style::Title => base()
                .set_font_size(TITLE_PT)
                .set_bold()
                .set_align(FormatAlign::VerticalCenter),
            Style::Legend => base().set_align(FormatAlign::VerticalCenter),
            Style::Header => bordered()
                .set_font_size(HEADER_PT)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xDDEBF7)),
            Style::Text => bordered().set_align(FormatAlign::Top),
            Style::Centered => bordered()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            Style::Label => bordered()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xF2F2F2)),
            Style::Symbol => bordered()
                .set_font_size(SYMBOL_PT)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            Style::Note => bordered()
                .set_font_size(NOTE_PT)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            Style::Blank => bordered(),
        }
    }

    /// The format of an input cell of this style in a department's sheet: unlocked, so that it
    /// can be typed in under the sheet's protection, and tinted so that it is found at a glance.
    pub fn input_format(self) -> Format {
        self.format()
            .set_unlocked()
            .set_background_color(Color::RGB(INPUT_FILL))
    }

    /// The font size a text of this style is measured at.
    pub fn font_pt(self) -> f64 {
        match self {
            Style::Title => TITLE_PT,
            Style::Symbol => SYMBOL_PT,
            Style::Note => NOTE_PT,
            _ => BODY_PT,
        }
    }
}

/// What a department's protected sheet still allows: selecting any cell (to copy, to read a
/// long text), resizing rows and columns (a long 状況 needs a taller row), and the drop-downs,
/// which Excel offers on unlocked cells. Nothing else: no password either, as the protection
/// guards against slips (a pasted block over the headings, a typed-over 実施内容), not people;
/// what a sheet returns outside its input cells is refused at import anyway.
pub fn protection() -> ProtectionOptions {
    ProtectionOptions {
        select_locked_cells: true,
        select_unlocked_cells: true,
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    }
}

/// The workbook's default font: MS PGothic 11 with its own column metrics (72 px columns).
pub fn default_format() -> Format {
    Format::new()
        .set_font_name(FONT_NAME)
        .set_font_charset(FONT_CHARSET)
        .set_font_size(11)
}
pub const DEFAULT_ROW_HEIGHT_PX: u32 = 18;
pub const DEFAULT_COL_WIDTH_PX: u32 = 72;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wider_sheet_leaves_more_sheet_points_per_page() {
        assert!(page_budget_pt(&[3000]) > page_budget_pt(&[1500]));
        assert!(page_budget_pt(&[100]) > 700.0);
        assert_eq!(print_scale(&[100]), 1.0);
        assert!(print_scale(&column_widths(4)) < print_scale(&column_widths(2)));
    }
}
