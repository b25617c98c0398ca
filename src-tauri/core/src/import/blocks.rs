//! The measure blocks of the sheet: rows told apart by their 区分 text, heading cells merged
//! or repeated, indicators in any glyph, year notes written across a year.

use std::collections::BTreeMap;

use super::grid::{label_key, Grid, Header};
use super::{FormulaCell, ImportError, ReadMeasure};
use crate::indicator::IndicatorCell;
use crate::model::{Field, Half};

/// The four rows of a block, in sheet order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Target,
    Plan,
    Indicator,
    Status,
}

const KINDS: [Kind; 4] = [Kind::Target, Kind::Plan, Kind::Indicator, Kind::Status];

/// What the 区分 text of a row says; "計画\n(短期目標）", "進捗 指標 ☆○△×" and the like.
fn kind_of(text: &str) -> Option<Kind> {
    let key = label_key(text);
    if key.contains("年度目標") {
        Some(Kind::Target)
    } else if key.contains("計画") || key.contains("短期目標") {
        Some(Kind::Plan)
    } else if key.contains("状況") {
        Some(Kind::Status)
    } else if key.contains("指標") {
        Some(Kind::Indicator)
    } else {
        None
    }
}

/// The rows of one block, by kind.
struct Rows {
    first: u32,
    last: u32,
    by_kind: BTreeMap<Kind, u32>,
}

/// Reads every block below the header.
pub fn read(grid: &Grid, header: &Header) -> Result<Vec<ReadMeasure>, ImportError> {
    let first_year_col = header
        .years
        .iter()
        .map(|y| y.h1)
        .min()
        .unwrap_or(header.kind + 1);
    let mut blocks: Vec<Rows> = Vec::new();
    for row in header.first_data_row..grid.rows() {
        let kind_text: String = (header.kind..first_year_col.max(header.kind + 1))
            .map(|c| grid.text(row, c))
            .collect::<Vec<_>>()
            .join(" ");
        if label_key(&kind_text) == "区分" {
            // A header repeated inside the sheet by hand.
            continue;
        }
        let has_data = grid.row_has_data(row);
        let kind = kind_of(&kind_text);
        match (kind, blocks.last_mut()) {
            (Some(Kind::Target), _) | (Some(_), None) => blocks.push(Rows {
                first: row,
                last: row,
                by_kind: BTreeMap::from([(kind.unwrap_or(Kind::Target), row)]),
            }),
            (Some(k), Some(block)) if !block.by_kind.contains_key(&k) => {
                block.by_kind.insert(k, row);
                block.last = row;
            }
            (Some(_), Some(_)) => {
                return Err(ImportError::at(
                    grid,
                    row,
                    header.kind,
                    format!(
                        "区分「{}」の行が一つの実施内容に二度あります",
                        kind_text.trim()
                    ),
                ))
            }
            // A row without a readable 区分: the next row of the block, in the usual order.
            (None, Some(block)) if has_data && block.by_kind.len() < KINDS.len() => {
                let next = KINDS.iter().find(|k| !block.by_kind.contains_key(k));
                if let Some(&k) = next {
                    block.by_kind.insert(k, row);
                    block.last = row;
                }
            }
            (None, _) if has_data => {
                return Err(ImportError::at(
                    grid,
                    row,
                    header.kind,
                    "区分（年度目標・計画・進捗）が読めない行です".to_string(),
                ))
            }
            (None, _) => {}
        }
    }
    blocks.iter().map(|b| measure(grid, header, b)).collect()
}

fn measure(grid: &Grid, header: &Header, rows: &Rows) -> Result<ReadMeasure, ImportError> {
    // Merged heading cells hold their text in the first row; unmerged ones may repeat it.
    let heading = |col: u32| -> String {
        (rows.first..=rows.last)
            .map(|r| grid.text(r, col))
            .find(|t| !t.is_empty())
            .unwrap_or_default()
    };
    let no_text = heading(header.no);
    let digits = crate::fold::fold(&no_text);
    let digits = digits.trim_start_matches(['N', 'o', 'O', '.', '．', 'Ｎ', 'ｏ', 'Ｏ']);
    let Ok(no) = digits.trim().parse::<u32>() else {
        return Err(ImportError::at(
            grid,
            rows.first,
            header.no,
            format!("ＮＯ．「{no_text}」が番号として読めません"),
        ));
    };
    let content = heading(header.content);
    let department = heading(header.department);
    for (text, col, name) in [
        (&content, header.content, "実施内容"),
        (&department, header.department, "所管課等"),
    ] {
        if text.is_empty() {
            return Err(ImportError::at(
                grid,
                rows.first,
                col,
                format!("No.{no} の{name}が空です"),
            ));
        }
    }
    let mut cells = BTreeMap::new();
    let mut formulas = BTreeMap::new();
    for year in &header.years {
        let target_row = rows.by_kind.get(&Kind::Target).copied();
        let note_row = target_row.unwrap_or(rows.first);
        let across = grid.merged_rows(note_row, year.h1) > 1;
        if let Some(formula) = grid.formula(note_row, year.h1).filter(|_| across) {
            // A formula across the year's block stands where a note would: the year is left
            // as the report holds it.
            formulas.insert(
                (year.year, Field::YearNote),
                FormulaCell {
                    place: grid.place(note_row, year.h1),
                    formula: formula.to_string(),
                },
            );
            continue;
        }
        if let Some(note) = year_note(grid, rows, target_row, year.h1, year.indicator) {
            cells.insert((year.year, Field::YearNote), note);
            continue;
        }
        let mut put = |field: Field, kind: Kind, col: u32| -> Result<(), ImportError> {
            let Some(&row) = rows.by_kind.get(&kind) else {
                return Ok(());
            };
            let mut col = col;
            if field == Field::AnnualTarget
                && grid.text(row, col).is_empty()
                && grid.formula(row, col).is_none()
            {
                // 年度目標 typed into the 下半期 column of an unmerged row.
                col = year.h2;
            }
            if let Some(formula) = grid.formula(row, col) {
                formulas.insert(
                    (year.year, field),
                    FormulaCell {
                        place: grid.place(row, col),
                        formula: formula.to_string(),
                    },
                );
                return Ok(());
            }
            let text = grid.text(row, col);
            let value = if field.is_indicator() {
                IndicatorCell::parse(&text)
                    .map_err(|source| ImportError::Indicator {
                        place: grid.place(row, col),
                        source,
                    })?
                    .map(|cell| cell.as_text().to_string())
                    .unwrap_or_default()
            } else {
                text
            };
            if !value.is_empty() {
                cells.insert((year.year, field), value);
            }
            Ok(())
        };
        put(Field::AnnualTarget, Kind::Target, year.h1)?;
        put(Field::AnnualIndicator, Kind::Target, year.indicator)?;
        for half in Half::BOTH {
            let col = year.half(half);
            put(Field::Plan(half), Kind::Plan, col)?;
            put(Field::Indicator(half), Kind::Indicator, col)?;
            put(Field::Status(half), Kind::Status, col)?;
        }
    }
    Ok(ReadMeasure {
        first_row: rows.first + 1,
        last_row: rows.last + 1,
        no,
        pledge: heading(header.pledge),
        content,
        target_date: header.target_date.map(heading).unwrap_or_default(),
        department,
        measure_id: None,
        cells,
        formulas,
        field_rows: KINDS.map(|k| rows.by_kind.get(&k).map(|row| row + 1)),
    })
}

/// A note written across a whole year's block ("達成済", "R6年度より追加"): a text merged down
/// the block from the 年度目標 cell, or, unmerged, a note-like text with the year otherwise
/// empty or repeating it.
fn year_note(
    grid: &Grid,
    rows: &Rows,
    target_row: Option<u32>,
    first_col: u32,
    last_col: u32,
) -> Option<String> {
    let row = target_row.unwrap_or(rows.first);
    let text = grid.text(row, first_col);
    if text.is_empty() || grid.formula(row, first_col).is_some() {
        return None;
    }
    if grid.merged_rows(row, first_col) > 1 {
        return Some(text);
    }
    let key = label_key(&text);
    let note_like = key.starts_with("達成済") || key.ends_with("より追加") || key == "廃止";
    let rest_blank_or_same = (rows.first..=rows.last)
        .flat_map(|r| (first_col..=last_col).map(move |c| (r, c)))
        .filter(|&(r, c)| (r, c) != (row, first_col))
        .all(|(r, c)| {
            let t = grid.text(r, c);
            t.is_empty() || t == text
        });
    (note_like && rest_blank_or_same).then_some(text)
}
