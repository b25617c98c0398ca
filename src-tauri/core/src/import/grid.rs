//! One worksheet as text cells with its merged regions, and the header of the original layout
//! found in it: where the heading columns, the 区分 columns and each fiscal-year block are.

use std::collections::{HashMap, HashSet};

use calamine::Data;

use crate::model::Half;
use crate::wareki;

/// A sheet's non-blank cells as trimmed text, addressed by 0-based (row, col). Sparse: a value
/// typed far away (XFD1048576) costs one entry, not a dense range of the whole sheet.
pub struct Grid {
    pub name: String,
    cells: HashMap<(u32, u32), String>,
    rows_with_data: HashSet<u32>,
    rows: u32,
    cols: u32,
    /// Top-left corner → bottom-right corner of each merged region.
    merges: HashMap<(u32, u32), (u32, u32)>,
    /// Cells that hold a formula, with its text as Excel shows it ("=1/0"). Kept apart from
    /// the values: a formula's cached value (or none, as openpyxl writes it) is not what the
    /// department typed, and the import must name the cell instead of taking it.
    formulas: HashMap<(u32, u32), String>,
}

impl Grid {
    pub fn new(name: &str, merges: Vec<((u32, u32), (u32, u32))>) -> Grid {
        Grid {
            name: name.to_string(),
            cells: HashMap::new(),
            rows_with_data: HashSet::new(),
            rows: 0,
            cols: 0,
            merges: merges.into_iter().collect(),
            formulas: HashMap::new(),
        }
    }

    /// Marks a cell as holding a formula; its cached value, if any, is put as any value.
    pub fn put_formula(&mut self, row: u32, col: u32, formula: String) {
        self.formulas.insert((row, col), formula);
    }

    /// The formula of a cell, "=…", when it holds one.
    pub fn formula(&self, row: u32, col: u32) -> Option<&str> {
        self.formulas.get(&(row, col)).map(String::as_str)
    }

    /// Adds a cell as read; blank cells are not kept.
    pub fn put(&mut self, row: u32, col: u32, value: &Data) {
        self.put_text(row, col, data_text(value));
    }

    /// Adds a cell's text as [`data_text`] gives it; blank cells are not kept.
    pub fn put_text(&mut self, row: u32, col: u32, text: String) {
        if text.is_empty() {
            return;
        }
        self.rows = self.rows.max(row + 1);
        self.cols = self.cols.max(col + 1);
        self.rows_with_data.insert(row);
        self.cells.insert((row, col), text);
    }

    /// Cells kept, values and formulas: what the grid costs in memory.
    pub fn cell_count(&self) -> usize {
        self.cells.len() + self.formulas.len()
    }

    /// One past the last row with a value.
    pub fn rows(&self) -> u32 {
        self.rows
    }

    pub fn cols(&self) -> u32 {
        self.cols
    }

    pub fn row_has_data(&self, row: u32) -> bool {
        self.rows_with_data.contains(&row)
    }

    /// The cell's text: outer spaces and line breaks trimmed, inner line breaks kept.
    pub fn text(&self, row: u32, col: u32) -> String {
        self.cells.get(&(row, col)).cloned().unwrap_or_default()
    }

    /// How many rows a merged region starting at the cell spans (1 when not merged).
    pub fn merged_rows(&self, row: u32, col: u32) -> u32 {
        self.merges
            .get(&(row, col))
            .map_or(1, |&(last, _)| last.saturating_sub(row) + 1)
    }

    /// `重点政策!H23`
    pub fn place(&self, row: u32, col: u32) -> String {
        format!("{}!{}", self.name, cell_ref(row, col))
    }
}

/// A cell's value as text: numbers as Excel shows them, strings cleaned ([`clean_text`]).
pub fn data_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => clean_text(s),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Trims what Excel users leave around a text (spaces of any width, line breaks), turns CR LF
/// into LF and drops spaces at line ends, but keeps the lines.
pub fn clean_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.trim_end_matches(is_space))
        .collect();
    // A leading ideographic space is a paragraph indent (字下げ), written on purpose.
    lines
        .join("\n")
        .trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '\u{00A0}')
        .trim_end_matches(is_space)
        .to_string()
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{00A0}'
}

/// Text compared as a label: no spaces or line breaks, ASCII digits and brackets.
pub fn label_key(text: &str) -> String {
    crate::fold::chars(text)
        .filter(|c| !is_space(*c))
        .collect::<String>()
        .to_uppercase()
}

/// A1-style reference of a 0-based cell. Counted in u64: a crafted file may name a cell far
/// beyond Excel's grid (A4294967296), and the message must still say where.
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// The columns of one fiscal-year block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCols {
    pub year: i32,
    pub h1: u32,
    pub h2: u32,
    pub indicator: u32,
    pub months: [Vec<u8>; 2],
}

impl YearCols {
    pub fn half(&self, half: Half) -> u32 {
        match half {
            Half::H1 => self.h1,
            Half::H2 => self.h2,
        }
    }
}

/// Where things are in a sheet of the original layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The row of ＮＯ． (0-based).
    pub row: u32,
    /// The first row after the header.
    pub first_data_row: u32,
    pub no: u32,
    pub pledge: u32,
    pub content: u32,
    pub target_date: Option<u32>,
    pub department: u32,
    /// The 区分 columns: from here up to the first year block.
    pub kind: u32,
    pub years: Vec<YearCols>,
    /// The title above the header, when there is one.
    pub title: String,
}

/// Headings the header row must have, with how a user reads them.
const NEEDED: [&str; 5] = ["ＮＯ．", "公約", "実施内容", "所管課等", "区分"];

/// How far down the header is looked for.
const SEARCH_ROWS: u32 = 40;
/// Header rows below the ＮＯ． row: half labels, months.
const HEADER_DEPTH: u32 = 4;

/// Finds the header. `Err` lists the headings that were not found (empty: no year block).
pub fn find_header(grid: &Grid) -> Result<Header, Vec<&'static str>> {
    let cols = grid.cols();
    let Some(row) = (0..grid.rows().min(SEARCH_ROWS)).find(|&r| {
        (0..cols).any(|c| matches!(label_key(&grid.text(r, c)).as_str(), "NO." | "NO" | "NO．"))
    }) else {
        return Err(NEEDED.to_vec());
    };
    let depth_end = (row + HEADER_DEPTH).min(grid.rows());
    let mut found: [Option<u32>; 6] = [None; 6];
    let mut years: Vec<(u32, u32, i32)> = Vec::new();
    for r in row..depth_end {
        for c in 0..cols {
            let key = label_key(&grid.text(r, c));
            let slot = match key.as_str() {
                "NO." | "NO" | "NO．" => Some(0),
                "公約" => Some(1),
                "実施内容" => Some(2),
                "目標期日" => Some(3),
                k if k.starts_with("所管課") || k == "担当課" => Some(4),
                "区分" => Some(5),
                _ => None,
            };
            if let Some(i) = slot {
                found[i].get_or_insert(c);
            } else if let Some(year) = wareki::parse_fiscal_year_label(&key) {
                if !years.iter().any(|y| y.2 == year) {
                    years.push((r, c, year));
                }
            }
        }
    }
    let missing: Vec<&'static str> = [0, 1, 2, 4, 5]
        .iter()
        .zip(NEEDED)
        .filter(|(i, _)| found[**i].is_none())
        .map(|(_, name)| name)
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    years.sort_by_key(|y| y.1);
    let mut year_cols = Vec::new();
    let mut last_header_row = row;
    for (i, &(year_row, col, year)) in years.iter().enumerate() {
        let end = years.get(i + 1).map_or(cols, |y| y.1);
        let find = |pred: &dyn Fn(&str) -> bool| {
            (year_row + 1..depth_end).find_map(|r| {
                (col..end).find_map(|c| pred(&label_key(&grid.text(r, c))).then_some((r, c)))
            })
        };
        let (Some((half_row, h1)), Some((_, h2))) = (
            find(&|k| k.starts_with("上半期") || k == "上期"),
            find(&|k| k.starts_with("下半期") || k == "下期"),
        ) else {
            continue;
        };
        let indicator = find(&|k| k.starts_with("指標")).map_or(h2 + 1, |(_, c)| c);
        last_header_row = last_header_row.max(half_row);
        let month_row = half_row + 1;
        let months_in = |from: u32, to: u32| -> Vec<u8> {
            (from..to)
                .flat_map(|c| numbers(&grid.text(month_row, c)))
                .filter(|m| (1..=12).contains(m))
                .collect()
        };
        let mut months = [months_in(h1, h2), months_in(h2, indicator.max(h2 + 1))];
        if months.iter().any(|m| !m.is_empty()) && month_row < grid.rows() {
            last_header_row = last_header_row.max(month_row);
        }
        for (m, half) in months.iter_mut().zip(Half::BOTH) {
            if m.is_empty() {
                *m = half.default_months();
            }
        }
        year_cols.push(YearCols {
            year,
            h1,
            h2,
            indicator,
            months,
        });
    }
    if year_cols.is_empty() {
        return Err(Vec::new());
    }
    let title = (0..row)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .map(|(r, c)| grid.text(r, c))
        .find(|t| !t.is_empty() && !t.starts_with('【'))
        .unwrap_or_default();
    Ok(Header {
        row,
        first_data_row: last_header_row + 1,
        no: found[0].unwrap_or(0),
        pledge: found[1].unwrap_or(0),
        content: found[2].unwrap_or(0),
        target_date: found[3],
        department: found[4].unwrap_or(0),
        kind: found[5].unwrap_or(0),
        years: year_cols,
        title,
    })
}

/// The numbers written in a text ("10 11 12", "４月～９月" → 4, 9).
fn numbers(text: &str) -> Vec<u8> {
    crate::fold::fold(text)
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_read_like_excel() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(22, 7), "H23");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(u32::MAX, u32::MAX), "MWLQKWV4294967296");
    }

    #[test]
    fn texts_lose_outer_spaces_and_keep_inner_lines() {
        assert_eq!(
            clean_text(" 道路の整備 \r\n 二行目　\n"),
            "道路の整備\n 二行目"
        );
        assert_eq!(clean_text("\n　字下げ　"), "　字下げ");
        assert_eq!(label_key("計画\n(短期目標）"), "計画(短期目標)");
        assert_eq!(label_key("ＮＯ．"), "NO.");
        assert_eq!(label_key("ＮＯ ."), "NO.");
    }
}
