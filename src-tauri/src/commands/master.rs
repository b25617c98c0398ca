//! The coordinator's period controls: open, close, reopen, start the next period.

use shinchoku_core::master;
use shinchoku_core::model::Half;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command(async)]
pub fn period_open(
    state: State<'_, AppState>,
    year: i32,
    half: Half,
    deadline: String,
) -> Result<(), CommandError> {
    state.with_store(|store| Ok(master::open_period(store, year, half, &deadline)?))
}

#[tauri::command(async)]
pub fn period_close(state: State<'_, AppState>, year: i32, half: Half) -> Result<(), CommandError> {
    state.with_store(|store| Ok(master::close_period(store, year, half)?))
}

#[tauri::command(async)]
pub fn period_reopen(
    state: State<'_, AppState>,
    year: i32,
    half: Half,
) -> Result<(), CommandError> {
    state.with_store(|store| Ok(master::reopen_period(store, year, half)?))
}

/// Returns the period now open, `[year, "H1"|"H2"]`.
#[tauri::command(async)]
pub fn period_start_next(
    state: State<'_, AppState>,
    deadline: String,
) -> Result<(i32, Half), CommandError> {
    state.with_store(|store| Ok(master::start_next_period(store, &deadline)?))
}
