//! The print model: the box each cell of a measure prints in and how much text it holds, the
//! one estimate of how much room a text needs. The edit refuses a text that would not print whole
//! and the window hints at the limit from it ([`room`]); the export sizes rows and pages
//! with it (`export::layout` re-exports it beside the rest of the printed layout). It sits below
//! both, so that the edit does not depend on the export.

use crate::model::Field;

/// Font sizes of the sheet's body text, a year's note, and the symbols.
pub const BODY_PT: f64 = 10.0;
pub const NOTE_PT: f64 = 12.0;
/// Symbols are read from across a table: larger than the text.
pub const SYMBOL_PT: f64 = 16.0;
/// The width in pixels of a half's column and of the year's indicator column.
pub const HALF_WIDTH_PX: u32 = 226;
pub const YEAR_INDICATOR_WIDTH_PX: u32 = 46;
/// Rows of one measure: 年度目標, 計画, 進捗 指標, 進捗 状況.
pub const BLOCK_ROWS: u32 = 4;
/// The tallest row Excel allows: a text that needs more is cut off in print.
pub const MAX_ROW_PT: f64 = 409.0;

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

/// How much of its printed cell a text fills: the lines it takes against the lines the cell
/// holds, and the same in characters. What the window's hint shows as the user types; `fits` is
/// [`check_print`]'s answer, so the hint and the save never disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Room {
    pub chars: usize,
    pub max_chars: usize,
    /// Printed lines, line breaks included.
    pub lines: u32,
    pub max_lines: u32,
    pub fits: bool,
}

/// The [`Room`] `text` takes in `field`; `None` for an indicator, which holds one symbol.
pub fn room(field: Field, text: &str) -> Option<Room> {
    if field.is_indicator() {
        return None;
    }
    let (width, font, _) = field_box(field);
    Some(Room {
        chars: text.chars().count(),
        max_chars: max_print_chars(field),
        lines: if text.is_empty() {
            0
        } else {
            line_count(text, width, font)
        },
        max_lines: max_print_lines(field),
        fits: check_print(field, text).is_ok(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_room_a_text_takes_agrees_with_the_check_at_every_length() {
        let field = Field::Status(crate::Half::H2);
        let max = max_print_chars(field);
        for text in [
            String::new(),
            "あ".repeat(max),
            "あ".repeat(max + 1),
            // Line breaks: far fewer characters, yet too many lines.
            "あ\n".repeat(max_print_lines(field) as usize + 1),
        ] {
            let room = room(field, &text).unwrap();
            assert_eq!(room.fits, fits_in_print(field, &text), "{room:?}");
            assert_eq!(room.fits, room.lines <= room.max_lines, "{room:?}");
            assert_eq!(room.max_chars, max);
        }
        assert!(room(Field::Indicator(crate::Half::H1), "○").is_none());
    }

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
}
