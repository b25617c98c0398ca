//! Opening the report: first start, and the data the report view draws.

use shinchoku_core::model::{Role, Source};
use shinchoku_core::report::Report;
use shinchoku_core::sample;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;
use crate::view::{OverviewView, ReportStatus, ReportView};

#[tauri::command(async)]
pub fn report_status(state: State<'_, AppState>) -> ReportStatus {
    ReportStatus {
        db_path: state.db_path.display().to_string(),
        exists: state.db_path.exists(),
        started_at_ms: state
            .started_at
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64),
    }
}

/// First start: creates the database, with the built-in sample or empty.
#[tauri::command(async)]
pub fn report_create(state: State<'_, AppState>, with_sample: bool) -> Result<(), CommandError> {
    state.create(|store| {
        if with_sample && store.measures()?.is_empty() {
            sample::sample().load_into(store, &Source::Sample)?;
        }
        Ok(())
    })
}

/// First start of a department: its database made from the request package the coordinator sent.
#[tauri::command(async)]
pub fn report_create_from_package(
    state: State<'_, AppState>,
    package: std::path::PathBuf,
) -> Result<(), CommandError> {
    let store = shinchoku_core::submission::init_from_package(&state.db_path, &package)?;
    state.replace(store)
}

/// The term at a glance: each pledge's state and each measure's symbols over every half-year.
#[tauri::command(async)]
pub fn report_overview(state: State<'_, AppState>) -> Result<OverviewView, CommandError> {
    state.with_store(|store| {
        let report = Report::load(store)?;
        Ok(OverviewView::from_overview(
            &shinchoku_core::overview::Overview::of(&report),
        ))
    })
}

/// The report as the user sees it: as `department` (by name), or with none as the coordinator,
/// with the fields that user may write.
#[tauri::command(async)]
pub fn report_view(
    state: State<'_, AppState>,
    department: Option<String>,
) -> Result<ReportView, CommandError> {
    let role = department
        .as_deref()
        .map_or(Role::Coordinator, Role::Department);
    let view = state.with_store(|store| {
        let report = Report::load(store)?;
        let mut view = ReportView::from_report(&report, role);
        view.archived_at_label = store
            .archived_at()?
            .map(|at| shinchoku_core::wareki::datetime_label(&at));
        view.read_only = store.read_only() || view.archived_at_label.is_some();
        if view.read_only {
            view.measures.iter_mut().for_each(|m| m.writable.clear());
        }
        let mut conflicted: Vec<i64> = shinchoku_core::merge::conflicts(store)?
            .iter()
            .map(|c| c.key.measure_id)
            .collect();
        conflicted.dedup();
        view.conflict_measures = conflicted;
        Ok(view)
    });
    crate::memory::release_freed_memory_soon();
    view
}
