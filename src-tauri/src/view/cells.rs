//! A cell as the UI names it: its address both ways, its full Japanese name, its history.

use serde::{Deserialize, Serialize};
use shinchoku_core::model::{CellKey, Field, MeasureId};
use shinchoku_core::report::Report;
use shinchoku_core::store::CellChange;
use shinchoku_core::wareki;

/// A cell's address in the UI's words, `{measureId, year, field}` with the field's code
/// (`h2_status`): what the UI sends, and what it gets back to send again (a conflict's key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CellKeyInput {
    pub measure_id: MeasureId,
    pub year: i32,
    pub field: Field,
}

impl From<CellKeyInput> for CellKey {
    fn from(key: CellKeyInput) -> CellKey {
        CellKey {
            measure_id: key.measure_id,
            year: key.year,
            field: key.field,
        }
    }
}

impl From<CellKey> for CellKeyInput {
    fn from(key: CellKey) -> CellKeyInput {
        CellKeyInput {
            measure_id: key.measure_id,
            year: key.year,
            field: key.field,
        }
    }
}

/// How much of its printed cell a text fills, for the hint under a field (see `print::Room`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintRoomView {
    pub chars: usize,
    pub max_chars: usize,
    pub lines: u32,
    pub max_lines: u32,
    /// Whether a save of it is accepted: the edit's own check.
    pub fits: bool,
}

impl From<shinchoku_core::print::Room> for PrintRoomView {
    fn from(room: shinchoku_core::print::Room) -> Self {
        PrintRoomView {
            chars: room.chars,
            max_chars: room.max_chars,
            lines: room.lines,
            max_lines: room.max_lines,
            fits: room.fits,
        }
    }
}

/// A cell's history, newest first, under the cell's full name.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CellHistoryView {
    /// No.3 企画課 令和６年度 下半期 進捗状況
    pub label: String,
    pub entries: Vec<CellChangeView>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CellChangeView {
    /// What `cell_restore` takes.
    pub id: i64,
    /// As stored: local time, `YYYY-MM-DDTHH:MM:SS`.
    pub changed_at: String,
    /// 2026年11月29日 10:05
    pub changed_at_label: String,
    /// 取りまとめ or the department's name.
    pub actor: String,
    pub source: String,
    pub old_value: String,
    pub new_value: String,
}

impl CellHistoryView {
    pub fn new(report: &Report, key: &CellKey, changes: Vec<CellChange>) -> CellHistoryView {
        CellHistoryView {
            label: report.cell_name(key),
            entries: changes
                .into_iter()
                .map(|c| CellChangeView {
                    id: c.id,
                    changed_at_label: wareki::datetime_label(&c.changed_at),
                    changed_at: c.changed_at,
                    actor: c.actor,
                    source: c.source,
                    old_value: c.old_value,
                    new_value: c.new_value,
                })
                .collect(),
        }
    }
}
