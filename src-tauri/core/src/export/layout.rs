//! The printed layout in one place: columns, widths, labels, fonts, page geometry, and the
//! estimate of how much room a text needs, from which row heights and page breaks follow.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, ProtectionOptions};

use crate::model::Field;

/// The sheet names agreed with the importer.
pub const MAIN_SHEET: &str = "重点政策";
pub const TALLY_SHEET: &str = "集計";
pub const META_SHEET: &str = "_shinchoku";

/// The font Japanese Excel users expect; LibreOffice substitutes a CJK Gothic for it.
pub const FONT_NAME: &str = "ＭＳ Ｐゴシック";
/// Shift-JIS charset, so that Excel picks the Japanese face of the font.
pub const FONT_CHARSET: u8 = 128;
pub const BODY_PT: f64 = 10.0;
pub const HEADER_PT: f64 = 10.0;
pub const TITLE_PT: f64 = 16.0;
/// Symbols are read from across a table: larger than the text.
pub const SYMBOL_PT: f64 = 16.0;
pub const NOTE_PT: f64 = 12.0;

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
pub const HALF_WIDTH_PX: u32 = 226;
pub const YEAR_INDICATOR_WIDTH_PX: u32 = 46;

/// Rows (0-based): title, legend, then the three header rows repeated on every page.
pub const ROW_TITLE: u32 = 0;
pub const ROW_LEGEND: u32 = 1;
pub const ROW_HEADER: u32 = 2;
pub const ROW_HALVES: u32 = 3;
pub const ROW_MONTHS: u32 = 4;
pub const FIRST_BLOCK_ROW: u32 = 5;
/// Rows of one measure: 年度目標, 計画, 進捗 指標, 進捗 状況.
pub const BLOCK_ROWS: u32 = 4;

pub const TITLE_HEIGHT_PT: f64 = 30.0;
pub const LEGEND_HEIGHT_PT: f64 = 34.0;
pub const HEADER_HEIGHT_PT: f64 = 20.0;
pub const HALVES_HEIGHT_PT: f64 = 20.0;
pub const MONTHS_HEIGHT_PT: f64 = 18.0;
/// The smallest row of a block, so that a symbol row keeps its symbol readable.
pub const MIN_ROW_PT: f64 = 24.0;
/// The tallest row Excel allows: a text that needs more is cut off in print.
pub const MAX_ROW_PT: f64 = 409.0;
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

/// A line of wrapped text, as a multiple of the font size: Noto Sans CJK (LibreOffice's
/// stand-in for MS PGothic) is the taller of the two.
const LINE_SPACING: f64 = 1.5;
/// Room above and below the text inside a cell, in points.
const CELL_PADDING_PT: f64 = 5.0;
/// Pixels lost to the cell's inner margins on a line.
const CELL_INNER_PX: f64 = 8.0;
/// Share of a line that wrapping fills on average: 禁則 (no 、。） at a line start) and
/// words of Latin text leave the end of some lines empty.
const WRAP_FILL: f64 = 0.92;

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

/// How wide a character prints, in ems: Japanese text is full width, ASCII about half.
fn char_em(c: char) -> f64 {
    match c {
        ' '..='~' => 0.6,
        '\u{FF61}'..='\u{FF9F}' => 0.6,
        _ => 1.0,
    }
}

/// How many lines `text` takes in a cell `width_px` wide at `font_pt`.
pub fn line_count(text: &str, width_px: f64, font_pt: f64) -> u32 {
    let em_px = font_pt * 96.0 / 72.0;
    let usable = ((width_px - CELL_INNER_PX) * WRAP_FILL).max(em_px);
    text.split('\n')
        .map(|line| {
            let width: f64 = line.chars().map(|c| char_em(c) * em_px).sum();
            ((width / usable).ceil() as u32).max(1)
        })
        .sum()
}

/// The height in points that `text` needs in a cell `width_px` wide.
pub fn text_height(text: &str, width_px: f64, font_pt: f64) -> f64 {
    if text.is_empty() {
        return 0.0;
    }
    f64::from(line_count(text, width_px, font_pt)) * font_pt * LINE_SPACING + CELL_PADDING_PT
}

/// The box a field's text prints in: its width in pixels, its font size, and how many rows of
/// the block it may fill (the year note stands across the whole block).
fn field_box(field: Field) -> (f64, f64, u32) {
    let half = f64::from(HALF_WIDTH_PX);
    match field {
        Field::AnnualTarget => (2.0 * half, BODY_PT, 1),
        Field::Plan(_) | Field::Status(_) => (half, BODY_PT, 1),
        Field::YearNote => (
            2.0 * half + f64::from(YEAR_INDICATOR_WIDTH_PX),
            NOTE_PT,
            BLOCK_ROWS,
        ),
        Field::AnnualIndicator | Field::Indicator(_) => {
            (f64::from(YEAR_INDICATOR_WIDTH_PX), SYMBOL_PT, 1)
        }
    }
}

/// How far a text runs past what its printed cell shows, for the message that refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{chars} 文字は長すぎます（印刷すると {lines} 行。欄に収まるのは {max_lines} 行、全角で約 {max_chars} 文字までです）")]
pub struct PrintOverflow {
    pub chars: usize,
    /// Printed lines the text takes, line breaks included.
    pub lines: u32,
    pub max_chars: usize,
    pub max_lines: u32,
}

/// Checks that `text` still prints whole in its field: no row may be taller than [`MAX_ROW_PT`].
pub fn check_print(field: Field, text: &str) -> Result<(), PrintOverflow> {
    let (width, font, rows) = field_box(field);
    if text_height(text, width, font) <= MAX_ROW_PT * f64::from(rows) {
        return Ok(());
    }
    Err(PrintOverflow {
        chars: text.chars().count(),
        lines: line_count(text, width, font),
        max_chars: max_print_chars(field),
        max_lines: max_print_lines(field),
    })
}

/// Whether `text` still prints whole in its field.
pub fn fits_in_print(field: Field, text: &str) -> bool {
    check_print(field, text).is_ok()
}

/// The most printed lines a field holds.
fn max_print_lines(field: Field) -> u32 {
    let (_, font, rows) = field_box(field);
    ((MAX_ROW_PT * f64::from(rows) - CELL_PADDING_PT) / (font * LINE_SPACING)).floor() as u32
}

/// The most full-width characters, without line breaks, that a field holds and still prints
/// whole: what messages quote as the limit.
pub fn max_print_chars(field: Field) -> usize {
    let (width, font, _) = field_box(field);
    let em_px = font * 96.0 / 72.0;
    // As `line_count` measures: a line's width over the usable width of the cell.
    let usable = ((width - CELL_INNER_PX) * WRAP_FILL).max(em_px);
    (f64::from(max_print_lines(field)) * usable / em_px).floor() as usize
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
    fn japanese_text_wraps_by_full_width_characters() {
        // 226 px at 10 pt: (226 - 8) * 0.92 / 13.33 ≈ 15 characters a line.
        assert_eq!(line_count(&"あ".repeat(15), 226.0, 10.0), 1);
        assert_eq!(line_count(&"あ".repeat(16), 226.0, 10.0), 2);
        assert_eq!(line_count("a\nb\n", 226.0, 10.0), 3);
        assert_eq!(line_count(&"1".repeat(25), 226.0, 10.0), 1);
    }

    #[test]
    fn the_print_limit_is_where_a_row_would_pass_409_points() {
        for field in Field::ALL.into_iter().filter(|f| !f.is_indicator()) {
            let max = max_print_chars(field);
            assert!(max > 100, "{field:?}: {max}");
            assert!(fits_in_print(field, &"あ".repeat(max)), "{field:?}");
            assert!(!fits_in_print(field, &"あ".repeat(max + 1)), "{field:?}");
        }
        // Line breaks count as the lines they make.
        assert!(!fits_in_print(
            Field::Status(crate::Half::H1),
            &"a\n".repeat(30)
        ));
    }

    #[test]
    fn a_wider_sheet_leaves_more_sheet_points_per_page() {
        assert!(page_budget_pt(&[3000]) > page_budget_pt(&[1500]));
        assert!(page_budget_pt(&[100]) > 700.0);
        assert_eq!(print_scale(&[100]), 1.0);
        assert!(print_scale(&column_widths(4)) < print_scale(&column_widths(2)));
    }
}
