//! The one folding of typed text: NFKC, so that what an input method or Excel writes in full
//! width (digits, letters, signs), half-width kana and ligatures such as ㋿ read as one
//! spelling. Dates and years, months and measure ids, the importer's headings and numbers, and
//! the identity of department names all fold through it; the window folds with NFKC as well.

use unicode_normalization::UnicodeNormalization;

/// `text` folded: ２０２４ → 2024, Ｒ６ → R6, （ → (, ㋿ → 令和, ﾃﾞｼﾞﾀﾙ → デジタル.
pub fn fold(text: &str) -> String {
    chars(text).collect()
}

/// The characters of `text` folded, for a caller that filters or maps them further.
pub fn chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.nfkc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_half_width_kana_and_era_ligatures_fold_to_one_spelling() {
        assert_eq!(fold("２０２４年４月～９月"), "2024年4月~9月");
        assert_eq!(fold("Ｒ６．１１．２９"), "R6.11.29");
        assert_eq!(fold("（短期目標）ＮＯ．"), "(短期目標)NO.");
        assert_eq!(fold("㋿元年"), "令和元年");
        assert_eq!(fold("㍻31年"), "平成31年");
        assert_eq!(fold("ﾃﾞｼﾞﾀﾙ戦略課"), "デジタル戦略課");
        // Japanese text itself stays as it is.
        assert_eq!(fold("令和６年度 上半期"), "令和6年度 上半期");
        assert_eq!(fold("計画どおり進行中"), "計画どおり進行中");
    }
}
