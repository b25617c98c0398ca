//! The hidden `_shinchoku` sheet of our own export: the period and department it was exported
//! for, the revision, where each measure's block is, and every exported value (the merge base).
//!
//! Version 2 (now written) has one row per measure with a column per year and field; version 1
//! had a second table beside the blocks with one row per cell and its own revision.

use std::collections::BTreeMap;

use super::grid::Grid;
use super::ImportError;
use crate::model::{CellKey, Field, Half, MeasureId};
use crate::wareki::Year;

pub const META_SHEET: &str = "_shinchoku";
const FORMAT: &str = "shinchoku-sheet";

/// What the hidden sheet says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetMeta {
    /// The report revision at export.
    pub revision: i64,
    /// The 課 the sheet was exported for, `None` for the whole report.
    pub department: Option<String>,
    /// The open period at export.
    pub period: Option<(i32, Half)>,
    pub years: Vec<i32>,
    /// Measure blocks: (first row, last row) 1-based → measure id, with its ＮＯ. and 課.
    pub blocks: Vec<MetaBlock>,
    /// The exported value of each non-blank cell and its revision.
    pub base: BTreeMap<CellKey, BaseCell>,
    /// The base revision of a cell that was blank at export: the export's revision (version 2),
    /// 0 in version 1, which did not say.
    pub blank_revision: i64,
}

impl SheetMeta {
    /// The merge base of a cell: its revision and value at export.
    pub fn base_of(&self, key: &CellKey) -> (i64, String) {
        self.base
            .get(key)
            .map_or((self.blank_revision, String::new()), |b| {
                (b.revision, b.value.clone())
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaBlock {
    pub measure_id: MeasureId,
    pub first_row: u32,
    pub last_row: u32,
    pub no: u32,
    pub department: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseCell {
    pub revision: i64,
    pub value: String,
}

/// Reads the sheet; `Ok(None)` when it is not ours (another format tag).
pub fn read(grid: &Grid) -> Result<Option<SheetMeta>, ImportError> {
    let mut settings = BTreeMap::new();
    let mut table_row = None;
    for row in 0..grid.rows() {
        let key = grid.text(row, 0);
        if key == "measure_id" {
            table_row = Some(row);
            break;
        }
        if !key.is_empty() {
            settings.insert(key, grid.text(row, 1));
        }
    }
    if settings.get("format").map(String::as_str) != Some(FORMAT) {
        return Ok(None);
    }
    let bad = |row: u32, col: u32, what: &str| {
        ImportError::at(
            grid,
            row,
            col,
            format!("{what}が読めません（非表示シートが壊れています）"),
        )
    };
    let int = |row: u32, col: u32, what: &str| -> Result<i64, ImportError> {
        grid.text(row, col)
            .parse::<i64>()
            .map_err(|_| bad(row, col, what))
    };
    let mut meta = SheetMeta {
        revision: settings
            .get("revision")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        department: settings
            .get("department")
            .filter(|d| !d.is_empty())
            .cloned(),
        period: settings
            .get("period_year")
            .and_then(|y| y.parse::<Year>().ok())
            .map(Year::get)
            .zip(settings.get("period_half").and_then(|h| h.parse().ok())),
        years: settings
            .get("years")
            .map(|y| {
                y.split(',')
                    .filter_map(|y| y.trim().parse::<Year>().ok())
                    .map(Year::get)
                    .collect()
            })
            .unwrap_or_default(),
        ..SheetMeta::default()
    };
    let Some(table_row) = table_row else {
        return Ok(Some(meta));
    };
    let version = settings.get("version").map(String::as_str).unwrap_or("1");
    // Version 2: value columns after the block's five, named `2024/h2_status`.
    let mut value_columns = Vec::new();
    if version != "1" {
        meta.blank_revision = meta.revision;
        for col in 5..grid.cols() {
            let header = grid.text(table_row, col);
            let parsed = header.split_once('/').and_then(|(year, field)| {
                Some((year.parse::<Year>().ok()?.get(), Field::from_code(field)?))
            });
            match parsed {
                Some((year, field)) => value_columns.push((col, year, field)),
                None if header.is_empty() => {}
                None => return Err(bad(table_row, col, "列見出し")),
            }
        }
    }
    for row in table_row + 1..grid.rows() {
        if !grid.text(row, 0).is_empty() {
            let no = int(row, 3, "ＮＯ．")?;
            let measure_id = int(row, 0, "measure_id")?;
            meta.blocks.push(MetaBlock {
                measure_id,
                first_row: int(row, 1, "first_row")? as u32,
                last_row: int(row, 2, "last_row")? as u32,
                no: u32::try_from(no).map_err(|_| bad(row, 3, "ＮＯ．"))?,
                department: grid.text(row, 4),
            });
            for &(col, year, field) in &value_columns {
                let value = grid.text(row, col);
                if !value.is_empty() {
                    let key = CellKey {
                        measure_id,
                        year,
                        field,
                    };
                    let revision = meta.revision;
                    meta.base.insert(key, BaseCell { revision, value });
                }
            }
        }
        if version == "1" && !grid.text(row, 7).is_empty() {
            let field = Field::from_code(&grid.text(row, 9)).ok_or_else(|| bad(row, 9, "field"))?;
            let key = CellKey {
                measure_id: int(row, 7, "measure_id")?,
                year: Year::new(int(row, 8, "year")?)
                    .map_err(|_| bad(row, 8, "year"))?
                    .get(),
                field,
            };
            meta.base.insert(
                key,
                BaseCell {
                    revision: int(row, 10, "revision")?,
                    value: grid.text(row, 11),
                },
            );
        }
    }
    Ok(Some(meta))
}

#[cfg(test)]
mod tests {
    use calamine::Data;

    use super::*;
    use crate::export::meta::BLOCK_HEADER;

    /// A hidden sheet of the given version: its settings, then the table's header (the block
    /// columns and `columns`) on row 20 and `rows` below it.
    fn sheet(version: &str, columns: &[&str], rows: &[&[&str]]) -> Grid {
        let settings = [
            ["format", FORMAT],
            ["version", version],
            ["revision", "40"],
            ["department", "道路課"],
            ["period_year", "2024"],
            ["period_half", "H2"],
            ["years", "2024"],
        ];
        let header: Vec<&str> = BLOCK_HEADER.iter().chain(columns).copied().collect();
        let mut grid = Grid::new(META_SHEET, Vec::new());
        let mut put = |row: usize, texts: &[&str]| {
            for (col, text) in texts.iter().enumerate() {
                grid.put(row as u32, col as u32, &Data::String(text.to_string()));
            }
        };
        for (row, pair) in settings.iter().enumerate() {
            put(row, pair);
        }
        put(19, &header);
        for (i, texts) in rows.iter().enumerate() {
            put(20 + i, texts);
        }
        grid
    }

    fn key(measure_id: i64, field: Field) -> CellKey {
        CellKey {
            measure_id,
            year: 2024,
            field,
        }
    }

    #[test]
    fn version_2_gives_every_base_cell_the_export_revision() {
        let grid = sheet(
            "2",
            &["2024/annual_target", "2024/h2_status"],
            &[
                &["7", "6", "9", "3", "道路課", "舗装", ""],
                &["8", "10", "13", "3", "道路課", "", "完了"],
            ],
        );
        let meta = read(&grid).unwrap().unwrap();
        assert_eq!(meta.revision, 40);
        assert_eq!(meta.period, Some((2024, Half::H2)));
        assert_eq!(meta.blocks.len(), 2);
        assert_eq!(
            (meta.blocks[1].first_row, meta.blocks[1].last_row),
            (10, 13)
        );
        assert_eq!(
            meta.base_of(&key(7, Field::AnnualTarget)),
            (40, "舗装".into())
        );
        assert_eq!(
            meta.base_of(&key(8, Field::Status(Half::H2))),
            (40, "完了".into())
        );
        assert_eq!(
            meta.base_of(&key(7, Field::Status(Half::H2))),
            (40, String::new()),
            "blank at export, as of the export's revision"
        );
        assert_eq!(meta.base.len(), 2);
    }

    #[test]
    fn version_2_refuses_a_value_column_it_cannot_name() {
        let err = read(&sheet("2", &["2024/colour"], &[]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("_shinchoku!F20"), "{err}");
    }

    #[test]
    fn version_1_keeps_each_cells_own_revision() {
        let cell_table = ["", "", "measure_id", "year", "field", "revision", "value"];
        let row = [
            "7",
            "6",
            "9",
            "3",
            "道路課",
            "",
            "",
            "7",
            "2024",
            "h1_plan",
            "12",
            "計画",
        ];
        let meta = read(&sheet("1", &cell_table, &[&row])).unwrap().unwrap();
        assert_eq!(meta.blocks.len(), 1);
        assert_eq!(
            meta.base_of(&key(7, Field::Plan(Half::H1))),
            (12, "計画".into())
        );
        assert_eq!(
            meta.base_of(&key(7, Field::AnnualTarget)),
            (0, String::new())
        );
    }
}
