//! The progress indicator ☆ ○ △ × and the many ways people type it.
//!
//! The printed report itself mixes 〇 (U+3007), ○ (U+25CB) and ◯ (U+25EF) for the same value,
//! so parsing is forgiving about glyphs and strict about meaning: four values and nothing else.

use std::fmt;
use std::str::FromStr;

/// One of the four progress values of the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    /// ☆ 実施済み、目標達成
    Achieved,
    /// ○ 計画どおり進行中
    OnTrack,
    /// △ 計画より遅れている
    Delayed,
    /// × 未着手、断念 など
    NotStarted,
}

/// The glyph of each value in the legend's order ([`Indicator::ALL`]): the one place the
/// sheet's drop-down, its headings and legend, and the tally's columns take them from.
pub const GLYPHS: [&str; 4] = ["☆", "○", "△", "×"];

/// The legend's wording of each value, in the same order.
const MEANINGS: [&str; 4] = [
    "実施済み、目標達成",
    "計画どおり進行中",
    "計画より遅れている",
    "未着手、断念 など",
];

impl Indicator {
    pub const ALL: [Indicator; 4] = [
        Indicator::Achieved,
        Indicator::OnTrack,
        Indicator::Delayed,
        Indicator::NotStarted,
    ];

    /// The one glyph the app stores and exports.
    pub fn glyph(self) -> &'static str {
        GLYPHS[self as usize]
    }

    /// The legend's wording, shown on hover and printed on the sheet.
    pub fn meaning(self) -> &'static str {
        MEANINGS[self as usize]
    }
}

/// The four glyphs written together, as the sheet's indicator headings print them: ☆○△×.
pub fn glyphs_joined() -> String {
    GLYPHS.concat()
}

/// The legend as one line: ☆ … 実施済み、目標達成　○ … 計画どおり進行中　…
pub fn legend_line() -> String {
    Indicator::ALL
        .map(|m| format!("{} … {}", m.glyph(), m.meaning()))
        .join("\u{3000}")
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.glyph())
    }
}

/// Text that is not one of the four symbols.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("指標「{text}」は ☆○△× のいずれでもありません")]
pub struct IndicatorError {
    /// What was typed, as typed.
    pub text: String,
}

/// Spaces people leave around a symbol: ASCII, ideographic (U+3000) and no-break.
fn trim_spaces(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{00A0}')
}

impl FromStr for Indicator {
    type Err = IndicatorError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut chars = trim_spaces(text).chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return Err(IndicatorError {
                text: text.to_string(),
            });
        };
        match c {
            '☆' | '★' | '✩' | '✰' => Ok(Indicator::Achieved),
            // 〇 is the kanji zero that IMEs offer first for まる. The letter O is not accepted:
            // it is as likely a typo as a circle, and the importer must say so.
            '○' | '〇' | '◯' | '⭕' => Ok(Indicator::OnTrack),
            '△' | '▲' | '▵' | '⊿' => Ok(Indicator::Delayed),
            '×' | '☓' | '✕' | '✖' | '╳' | '⨯' | 'x' | 'X' | 'ｘ' | 'Ｘ' => {
                Ok(Indicator::NotStarted)
            }
            _ => Err(IndicatorError {
                text: text.to_string(),
            }),
        }
    }
}

/// What an indicator cell of the report holds: a symbol, or a dash with the reason why there is none
/// (the report has "‐（未公表のため）"), which is kept and printed as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndicatorCell {
    Mark(Indicator),
    Withheld(String),
}

/// The dashes that open a "no symbol, because …" cell.
const DASHES: &[char] = &['‐', '-', '－', '―', '—', '–', 'ー', '−'];

impl IndicatorCell {
    /// Parses a cell as typed. Blank text is an empty cell (`Ok(None)`).
    pub fn parse(text: &str) -> Result<Option<IndicatorCell>, IndicatorError> {
        let trimmed = trim_spaces(text);
        if trimmed.is_empty() {
            return Ok(None);
        }
        if trimmed.starts_with(DASHES) {
            return Ok(Some(IndicatorCell::Withheld(trimmed.to_string())));
        }
        trimmed
            .parse()
            .map(|mark| Some(IndicatorCell::Mark(mark)))
            // The message shows the text as typed, spaces included.
            .map_err(|_| IndicatorError {
                text: text.to_string(),
            })
    }

    /// The text stored and exported: the canonical glyph, or the dash text as written.
    pub fn as_text(&self) -> &str {
        match self {
            IndicatorCell::Mark(mark) => mark.glyph(),
            IndicatorCell::Withheld(text) => text,
        }
    }

    pub fn mark(&self) -> Option<Indicator> {
        match self {
            IndicatorCell::Mark(mark) => Some(*mark),
            IndicatorCell::Withheld(_) => None,
        }
    }
}

/// Normalises a typed indicator to what the store keeps: "" for blank, the canonical glyph,
/// or the dash text.
pub fn normalize(text: &str) -> Result<String, IndicatorError> {
    Ok(IndicatorCell::parse(text)?
        .map(|cell| cell.as_text().to_string())
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glyphs_and_the_legend_read_as_the_printed_report_writes_them() {
        assert_eq!(glyphs_joined(), "☆○△×");
        assert_eq!(
            legend_line(),
            "☆ … 実施済み、目標達成　○ … 計画どおり進行中　△ … 計画より遅れている　× … 未着手、断念 など"
        );
        for (mark, glyph) in Indicator::ALL.into_iter().zip(GLYPHS) {
            assert_eq!(mark.glyph(), glyph);
            assert_eq!(glyph.parse::<Indicator>(), Ok(mark));
        }
    }

    #[test]
    fn every_glyph_people_type_parses_to_its_value() {
        let cases: &[(&str, Indicator)] = &[
            ("☆", Indicator::Achieved),
            ("★", Indicator::Achieved),
            ("○", Indicator::OnTrack),
            ("〇", Indicator::OnTrack),
            ("◯", Indicator::OnTrack),
            ("△", Indicator::Delayed),
            ("▲", Indicator::Delayed),
            ("×", Indicator::NotStarted),
            ("☓", Indicator::NotStarted),
            ("✕", Indicator::NotStarted),
            ("✖", Indicator::NotStarted),
            ("x", Indicator::NotStarted),
            ("X", Indicator::NotStarted),
            ("ｘ", Indicator::NotStarted),
            ("Ｘ", Indicator::NotStarted),
        ];
        for (text, expected) in cases {
            assert_eq!(text.parse::<Indicator>().as_ref(), Ok(expected), "{text}");
        }
    }

    #[test]
    fn surrounding_spaces_of_any_width_are_ignored() {
        assert_eq!(" ○ ".parse(), Ok(Indicator::OnTrack));
        assert_eq!("\u{3000}△\u{3000}".parse(), Ok(Indicator::Delayed));
        assert_eq!("\n☆\t".parse(), Ok(Indicator::Achieved));
    }

    #[test]
    fn anything_else_is_rejected_with_the_text_shown() {
        for text in ["", "○○", "◎", "丸", "1", "☆ ○", "OK", "Ｏ", "o"] {
            let err = text.parse::<Indicator>().unwrap_err();
            assert_eq!(err.text, text);
            assert!(err.to_string().contains(&format!("「{text}」")));
        }
    }

    #[test]
    fn canonical_glyph_round_trips() {
        for mark in Indicator::ALL {
            assert_eq!(mark.glyph().parse(), Ok(mark));
        }
    }

    #[test]
    fn dash_with_reason_is_kept_as_written() {
        let cell = IndicatorCell::parse(" ‐（未公表のため）").unwrap();
        assert_eq!(
            cell,
            Some(IndicatorCell::Withheld("‐（未公表のため）".into()))
        );
        assert_eq!(normalize("‐（未公表のため）").unwrap(), "‐（未公表のため）");
    }

    /// Found by cargo fuzz (target indicator): the error showed the trimmed text, not what was typed.
    #[test]
    fn regression_fuzz_error_shows_the_text_as_typed() {
        let err = IndicatorCell::parse(" ○-").unwrap_err();
        assert_eq!(err.text, " ○-");
    }

    #[test]
    fn blank_cell_is_empty_and_variants_normalise() {
        assert_eq!(IndicatorCell::parse("　").unwrap(), None);
        assert_eq!(normalize("〇").unwrap(), "○");
        assert_eq!(normalize("☓").unwrap(), "×");
        assert!(normalize("◎").is_err());
    }
}
