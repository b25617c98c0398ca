//! The departments' round trip in the app: packages, submissions, merging, the board, conflicts.

use std::path::PathBuf;

use shinchoku_core::merge;
use shinchoku_core::report::Report;
use shinchoku_core::submission::{self, Approval};
use tauri::State;

use super::iso_date;
use crate::error::CommandError;
use crate::state::AppState;
use crate::view::{
    BoardView, CellKeyInput, ChoiceInput, ConflictView, FileOutcomeView, PackageUpdateView,
};

/// Every department's request package, into a folder the coordinator chose.
#[tauri::command(async)]
pub fn packages_write(state: State<'_, AppState>, folder: PathBuf) -> Result<usize, CommandError> {
    state.with_store(|store| Ok(submission::write_all_packages(store, &folder)?.len()))
}

/// This department database's submission, approved by the 課長 named on `approved_on` (any
/// spelling of a date; read only when a 課長 is named).
#[tauri::command(async)]
pub fn submission_write(
    state: State<'_, AppState>,
    path: PathBuf,
    approver: String,
    approved_on: String,
) -> Result<usize, CommandError> {
    let approval = match approver.trim() {
        "" => None,
        name => Some(Approval {
            name: name.to_string(),
            date: iso_date(&approved_on, "approvedOn")?,
        }),
    };
    state.with_store(|store| {
        let written = submission::write_submission(store, &path, approval)?;
        Ok(written.changed_cells)
    })
}

/// The next package into this department database: its period opens and the coordinator's
/// values replace the old ones. Refused with code `unsent` while changes were never submitted,
/// unless `discard_unsent` (the user chose to let them go; a backup keeps them).
#[tauri::command(async)]
pub fn package_update(
    state: State<'_, AppState>,
    path: PathBuf,
    discard_unsent: bool,
) -> Result<PackageUpdateView, CommandError> {
    state.with_store(|store| {
        let update = submission::update_from_package(store, &path, discard_unsent)?;
        Ok(PackageUpdateView::from_update(update))
    })
}

/// Whether this database was started from a package (a department's), and for which department.
#[tauri::command(async)]
pub fn submission_department(state: State<'_, AppState>) -> Result<Option<String>, CommandError> {
    state.with_store(|store| Ok(submission::package_of(store).ok().map(|p| p.department)))
}

/// Merges submission files (each all or nothing) and tells what happened to each.
#[tauri::command(async)]
pub fn submissions_merge(
    state: State<'_, AppState>,
    paths: Vec<PathBuf>,
) -> Result<Vec<FileOutcomeView>, CommandError> {
    state.with_store(|store| {
        let outcomes = submission::merge_files(store, &paths)?;
        Ok(outcomes.into_iter().map(FileOutcomeView::from).collect())
    })
}

/// The open period's board and the reminder mail for the departments still missing.
#[tauri::command(async)]
pub fn submission_board(state: State<'_, AppState>) -> Result<BoardView, CommandError> {
    state.with_store(|store| {
        let board = submission::board(store)?;
        let reminder = submission::reminder_text(&board);
        Ok(BoardView::new(board, reminder))
    })
}

/// The conflicts waiting for the coordinator, in sheet order, each named by its measure.
#[tauri::command(async)]
pub fn conflicts_list(state: State<'_, AppState>) -> Result<Vec<ConflictView>, CommandError> {
    state.with_store(|store| {
        let conflicts = merge::conflicts(store)?;
        let report = Report::load(store)?;
        Ok(conflicts
            .into_iter()
            .map(|c| ConflictView::new(&report, c))
            .collect())
    })
}

#[tauri::command(async)]
pub fn conflict_resolve(
    state: State<'_, AppState>,
    key: CellKeyInput,
    take: ChoiceInput,
) -> Result<(), CommandError> {
    state.with_store(|store| Ok(merge::resolve(store, &key.into(), take.into())?))
}
