//! The coordinator's period controls: open, close, reopen, start the next period.

use shinchoku_core::master;
use shinchoku_core::model::Half;
use tauri::State;

use super::iso_date;
use crate::error::CommandError;
use crate::state::AppState;
use crate::view::{MeasureInput, PeriodView};

/// The form field of a period's 締切.
const DEADLINE_FIELD: &str = "deadline";

#[tauri::command(async)]
pub fn period_open(
    state: State<'_, AppState>,
    year: i32,
    half: Half,
    deadline: String,
) -> Result<(), CommandError> {
    let deadline = iso_date(&deadline, DEADLINE_FIELD)?;
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

/// Returns the period now open.
#[tauri::command(async)]
pub fn period_start_next(
    state: State<'_, AppState>,
    deadline: String,
) -> Result<PeriodView, CommandError> {
    let deadline = iso_date(&deadline, DEADLINE_FIELD)?;
    state.with_store(|store| {
        let (year, half) = master::start_next_period(store, &deadline)?;
        Ok(PeriodView::new(year, half, &deadline))
    })
}

/// Adds a fiscal year with the months of its halves.
#[tauri::command(async)]
pub fn fiscal_year_add(
    state: State<'_, AppState>,
    year: i32,
    h1_months: Vec<u8>,
    h2_months: Vec<u8>,
) -> Result<(), CommandError> {
    state.with_store(|store| {
        Ok(master::add_fiscal_year(
            store, year, &h1_months, &h2_months,
        )?)
    })
}

#[tauri::command(async)]
pub fn half_months_set(
    state: State<'_, AppState>,
    year: i32,
    half: Half,
    months: Vec<u8>,
) -> Result<(), CommandError> {
    state.with_store(|store| Ok(master::set_half_months(store, year, half, &months)?))
}

#[tauri::command(async)]
pub fn period_deadline_set(
    state: State<'_, AppState>,
    year: i32,
    half: Half,
    deadline: String,
) -> Result<(), CommandError> {
    let deadline = iso_date(&deadline, DEADLINE_FIELD)?;
    state.with_store(|store| Ok(master::set_deadline(store, year, half, &deadline)?))
}

#[tauri::command(async)]
pub fn department_add(state: State<'_, AppState>, name: String) -> Result<i64, CommandError> {
    state.with_store(|store| Ok(master::add_department(store, &name)?))
}

/// Renames a department by its current name.
#[tauri::command(async)]
pub fn department_rename(
    state: State<'_, AppState>,
    name: String,
    new_name: String,
) -> Result<(), CommandError> {
    state.with_store(|store| {
        let id = store.department_by_name(&name)?.map(|d| d.id).unwrap_or(0);
        Ok(master::rename_department(store, id, &new_name)?)
    })
}

#[tauri::command(async)]
pub fn pledge_put(
    state: State<'_, AppState>,
    number: u32,
    title: String,
) -> Result<i64, CommandError> {
    state.with_store(|store| Ok(master::put_pledge(store, number, &title)?))
}

fn form(
    store: &shinchoku_core::Store,
    input: MeasureInput,
) -> Result<master::MeasureForm, CommandError> {
    let pledge = store
        .pledge_by_number(input.pledge_number)?
        .ok_or_else(|| CommandError {
            code: "master",
            message: format!(
                "公約 No.{} はありません。先に公約を登録してください",
                input.pledge_number
            ),
            field: Some("pledgeNumber".into()),
        })?;
    let department = store
        .department_by_name(&input.department)?
        .ok_or_else(|| CommandError {
            code: "master",
            message: format!(
                "担当課「{}」はありません。先に担当課を登録してください",
                input.department
            ),
            field: Some("department".into()),
        })?;
    Ok(master::MeasureForm {
        pledge_id: pledge.id,
        department_id: department.id,
        pledge_caption: input.pledge_caption,
        content: input.content,
        target_date: input.target_date,
    })
}

#[tauri::command(async)]
pub fn measure_add(state: State<'_, AppState>, measure: MeasureInput) -> Result<i64, CommandError> {
    state.with_store(|store| {
        let form = form(store, measure)?;
        Ok(master::add_measure(store, &form)?)
    })
}

#[tauri::command(async)]
pub fn measure_edit(
    state: State<'_, AppState>,
    id: i64,
    measure: MeasureInput,
) -> Result<(), CommandError> {
    state.with_store(|store| {
        let form = form(store, measure)?;
        Ok(master::edit_measure(store, id, &form)?)
    })
}

#[tauri::command(async)]
pub fn measure_move(state: State<'_, AppState>, id: i64, step: i32) -> Result<(), CommandError> {
    state.with_store(|store| Ok(master::move_measure(store, id, step)?))
}

/// Merges `departments` into `into` (new or existing): their measures move to it, and they go.
#[tauri::command(async)]
pub fn department_merge(
    state: State<'_, AppState>,
    into: String,
    departments: Vec<String>,
) -> Result<(), CommandError> {
    state.with_store(|store| {
        master::merge_departments(store, &into, &departments)?;
        Ok(())
    })
}

/// Retires a measure after `last_year` (the open period's year when none): it keeps its past
/// years and takes no entries after. Returns the last year.
#[tauri::command(async)]
pub fn measure_retire(
    state: State<'_, AppState>,
    id: i64,
    last_year: Option<i32>,
) -> Result<i32, CommandError> {
    state.with_store(|store| Ok(master::retire_measure(store, id, last_year)?))
}
