//! The report as open data: one CSV row per measure, fiscal year and half, UTF-8 with a BOM so
//! that Excel opens it as Japanese text, symbols in their canonical glyphs.

use std::borrow::Cow;

use super::Selection;
use crate::indicator::{self, Indicator};
use crate::model::{Field, Half};
use crate::overview::{Change, Overview};

pub const HEADER: [&str; 16] = [
    "実施内容ID",
    "公約番号",
    "公約",
    "実施内容",
    "目標期日",
    "所管課等",
    "年度",
    "年度（和暦）",
    "半期",
    "対象月",
    "年度目標",
    "年度目標の指標",
    "年度の備考",
    "計画(短期目標)",
    "進捗 指標",
    "進捗 状況",
];

const BOM: &str = "\u{FEFF}";

/// First characters that make Excel (and other spreadsheets) read a CSV cell as a formula; tab
/// and carriage return are stripped by some of them before they look.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text that cannot become a formula when the CSV is opened in a spreadsheet: one beginning
/// like a formula (a status typed as `=HYPERLINK(…)`) gets the usual leading apostrophe, which
/// Excel shows as plain text.
fn inert(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Quotes a field when it holds a comma, a quote or a line break (RFC 4180), after making it
/// [`inert`].
fn field(out: &mut String, text: &str) {
    let text = inert(text);
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&text);
    }
}

fn row(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, f);
    }
    out.push_str("\r\n");
}

/// An indicator in its canonical glyph; a dash with a reason as written.
fn canonical(text: &str) -> String {
    indicator::normalize(text).unwrap_or_else(|_| text.to_string())
}

/// The whole file; returns the text and the number of data rows.
pub fn build(selection: &Selection<'_>) -> (String, usize) {
    let report = selection.report;
    let mut out = String::from(BOM);
    row(&mut out, &HEADER);
    let mut rows = 0;
    for m in &selection.measures {
        let no = report
            .pledge(m.pledge_id)
            .map_or(String::new(), |p| p.number.to_string());
        let id = m.id.to_string();
        let pledge = report.pledge_cell(m);
        for year in &selection.years {
            let value = |f: Field| report.value(m.id, year.year, f);
            let year_text = year.year.to_string();
            let label = year.label();
            let annual_indicator = canonical(value(Field::AnnualIndicator));
            for half in Half::BOTH {
                let months = year
                    .half(half)
                    .months
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join(" ");
                let indicator = canonical(value(Field::Indicator(half)));
                row(
                    &mut out,
                    &[
                        &id,
                        &no,
                        &pledge,
                        &m.content,
                        &m.target_date,
                        report.department_name(m.department_id),
                        &year_text,
                        &label,
                        half.label(),
                        &months,
                        value(Field::AnnualTarget),
                        &annual_indicator,
                        value(Field::YearNote),
                        value(Field::Plan(half)),
                        &indicator,
                        value(Field::Status(half)),
                    ],
                );
                rows += 1;
            }
        }
    }
    (out, rows)
}

/// The columns of the roll-up's CSV after the pledge and the half: how many of the pledge's
/// measures report in the half, how many hold each symbol, blank or other, and how many changed
/// which way since the half before (docs/overview.md).
pub fn pledge_header() -> Vec<String> {
    let mut header: Vec<String> = [
        "公約番号",
        "公約",
        "年度",
        "年度（和暦）",
        "半期",
        "実施内容の件数",
        "報告した実施内容の件数",
    ]
    .map(String::from)
    .to_vec();
    header.extend(Indicator::ALL.map(|m| format!("{}の件数", m.glyph())));
    header.extend(["空欄の件数".to_string(), "その他の件数".to_string()]);
    header.extend(Change::ALL.map(|c| format!("変化（{}）の件数", c.label())));
    header
}

/// The roll-up as open data: one row per pledge and half-year, one value per cell, the Western
/// year beside the Japanese era (the 総務省's rules for machine-readable tables). Returns the
/// text and the number of data rows.
pub fn pledges(overview: &Overview) -> (String, usize) {
    let mut out = String::from(BOM);
    let header = pledge_header();
    row(
        &mut out,
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let mut rows = 0;
    for pledge in &overview.pledges {
        let number = pledge.number.to_string();
        let title = pledge.title.replace('\n', " ");
        let measures = pledge.measures.len().to_string();
        for (p, period) in overview.periods.iter().enumerate() {
            let counts = pledge.counts.get(p).copied().unwrap_or_default();
            let changes = pledge.changes.get(p).copied().unwrap_or_default();
            let numbers: Vec<String> = std::iter::once(counts.total())
                .chain(counts.0)
                .chain(changes)
                .map(|n| n.to_string())
                .collect();
            let year = period.year.to_string();
            let label = crate::wareki::fiscal_year_label(period.year);
            let mut fields = vec![
                number.as_str(),
                &title,
                &year,
                &label,
                period.half.label(),
                &measures,
            ];
            fields.extend(numbers.iter().map(String::as_str));
            row(&mut out, &fields);
            rows += 1;
        }
    }
    (out, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_quotes_or_line_breaks_are_quoted() {
        let mut out = String::new();
        row(&mut out, &["a", "b,c", "say \"はい\"", "1行目\n2行目"]);
        assert_eq!(out, "a,\"b,c\",\"say \"\"はい\"\"\",\"1行目\n2行目\"\r\n");
    }

    #[test]
    fn a_text_beginning_like_a_formula_gets_an_apostrophe() {
        for text in ["=1+1", "+81", "-3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(inert(text), format!("'{text}"));
        }
        for text in ["道路の整備", "1-2", "‐（未公表のため）", "'既に", ""] {
            assert_eq!(inert(text), text);
        }
        let mut out = String::new();
        row(&mut out, &["=HYPERLINK(\"http://x\"&B2,\"詳細\")", "a"]);
        assert_eq!(
            out,
            "\"'=HYPERLINK(\"\"http://x\"\"&B2,\"\"詳細\"\")\",a\r\n"
        );
    }

    #[test]
    fn indicators_are_written_in_their_canonical_glyph() {
        assert_eq!(canonical("〇"), "○");
        assert_eq!(canonical("☓"), "×");
        assert_eq!(canonical("‐（未公表のため）"), "‐（未公表のため）");
    }
}
