//! Editing cells from the report view, their history, and restoring an earlier value.

use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::model::{Actor, CellKey, Field, Source};
use shinchoku_core::report::Report;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;
use crate::view::{CellHistoryView, CellKeyInput, PrintRoomView};

fn actor(department: Option<String>) -> Actor {
    department
        .map(Actor::Department)
        .unwrap_or(Actor::Coordinator)
}

/// Writes one cell as a department (its name) or, with none, as the coordinator; `undo` when
/// the window's 元に戻す puts an earlier value back, so the history tells the two apart.
/// Returns the stored value (an indicator comes back in its canonical glyph).
#[tauri::command(async)]
pub fn cell_set(
    state: State<'_, AppState>,
    key: CellKeyInput,
    value: String,
    department: Option<String>,
    undo: Option<bool>,
) -> Result<String, CommandError> {
    let key = CellKey::from(key);
    let source = if undo == Some(true) {
        Source::Undo
    } else {
        Source::App
    };
    state.with_store(|store| {
        let edit = CellEdit { key, value };
        edit::apply(store, &actor(department), &source, &[edit])?;
        Ok(store.cell(&key)?.map(|c| c.value).unwrap_or_default())
    })
}

/// Why the user (`department` by name, or with none the coordinator) may not write the cell, in
/// the words the edit would refuse it with; `None` when they may.
#[tauri::command(async)]
pub fn cell_why_not(
    state: State<'_, AppState>,
    key: CellKeyInput,
    department: Option<String>,
) -> Result<Option<String>, CommandError> {
    state.with_store(|store| {
        let report = Report::load(store)?;
        Ok(
            edit::why_not_writable(&report, &actor(department), CellKey::from(key))
                .map(|refusal| refusal.to_string()),
        )
    })
}

/// How much of its printed cell `text` would fill in `field` (`None` for an indicator): the
/// window's hint, by the same rule the save applies.
#[tauri::command]
pub fn cell_room(field: Field, text: String) -> Option<PrintRoomView> {
    shinchoku_core::print::room(field, &text).map(PrintRoomView::from)
}

/// A cell's history, newest first, under the cell's full name.
#[tauri::command(async)]
pub fn cell_history(
    state: State<'_, AppState>,
    key: CellKeyInput,
) -> Result<CellHistoryView, CommandError> {
    let key = CellKey::from(key);
    state.with_store(|store| {
        let changes = store.cell_history(&key)?;
        let report = Report::load(store)?;
        Ok(CellHistoryView::new(&report, &key, changes))
    })
}

/// Puts a cell back to the value it had before a change of its history.
#[tauri::command(async)]
pub fn cell_restore(
    state: State<'_, AppState>,
    change_id: i64,
    department: Option<String>,
) -> Result<(), CommandError> {
    state.with_store(|store| {
        edit::restore(store, &actor(department), change_id)?;
        Ok(())
    })
}
