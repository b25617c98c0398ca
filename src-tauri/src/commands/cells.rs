//! Editing cells from the report view.

use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::model::{Actor, Source};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Writes one cell as `actor` (a department's name, or None for the coordinator).
#[tauri::command(async)]
pub fn cell_set(
    state: State<'_, AppState>,
    edit: CellEdit,
    department: Option<String>,
) -> Result<usize, CommandError> {
    let actor = department
        .map(Actor::Department)
        .unwrap_or(Actor::Coordinator);
    state.with_store(|store| Ok(edit::apply(store, &actor, &Source::App, &[edit])?))
}
