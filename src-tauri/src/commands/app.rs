//! The app itself: what it is and where its files are, its log folder, and closing the window
//! once the page has saved.

use tauri_plugin_opener::OpenerExt;

use crate::error::CommandError;
use crate::logging;
use crate::state::AppState;
use crate::view::{AboutView, OpenedFileView};

/// 「このアプリについて」: the version, where the database, the logs and the backups are, and the
/// licences.
#[tauri::command]
pub fn about(state: tauri::State<'_, AppState>) -> AboutView {
    AboutView::new(&state.db_path, &logging::folder())
}

/// Opens the folder of the log files in the file manager.
#[tauri::command(async)]
pub fn logs_open(app: tauri::AppHandle) -> Result<(), CommandError> {
    let folder = logging::folder();
    std::fs::create_dir_all(&folder).map_err(|e| {
        CommandError::internal(&format!(
            "ログフォルダ {} を作成できません: {e}",
            folder.display()
        ))
    })?;
    app.opener()
        .open_path(folder.to_string_lossy(), None::<&str>)
        .map_err(|e| {
            CommandError::internal(&format!(
                "ログフォルダ {} を開けません: {e}",
                folder.display()
            ))
        })
}

/// Shows a file the app has just written (a submission) in the file manager, selected.
#[tauri::command(async)]
pub fn file_reveal(app: tauri::AppHandle, path: std::path::PathBuf) -> Result<(), CommandError> {
    app.opener().reveal_item_in_dir(&path).map_err(|e| {
        tracing::warn!(path = %path.display(), "reveal failed: {e}");
        CommandError::internal(&format!(
            "{} のフォルダを開けません。エクスプローラーなどで開いてください",
            path.display()
        ))
    })
}

/// Closes the window. The page calls it in answer to a close request, once what was typed is
/// written (see `lib.rs`, where the request is held); `destroy` does not ask again.
#[tauri::command]
pub fn window_close(window: tauri::WebviewWindow) {
    tracing::info!("window closed after the page saved");
    let _ = window.destroy();
}

/// Names a file that answers the next native file dialog instead of the user: set by the
/// end-to-end tests only, since WebDriver cannot click in a native dialog.
pub const TEST_DIALOG_ANSWER_ENV: &str = "SHINCHOKU_TEST_DIALOG_ANSWER";

#[derive(Debug, serde::Serialize)]
pub struct ScriptedAnswer {
    /// A path, a list of paths, or null for a cancel.
    pub answer: serde_json::Value,
}

/// The tests' answer to a file dialog, or `None` (the window opens the real dialog). Under the
/// tests the answer file is used once; without one the dialog is cancelled, never left open
/// where no one can click.
#[tauri::command]
pub fn test_dialog_answer() -> Option<ScriptedAnswer> {
    let file = std::env::var_os(TEST_DIALOG_ANSWER_ENV)?;
    let answer = std::fs::read_to_string(&file)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(serde_json::Value::Null);
    let _ = std::fs::remove_file(&file);
    tracing::info!("file dialog answered by the test run: {answer}");
    Some(ScriptedAnswer { answer })
}

/// Takes the file the app was asked to open, if any: the page handles it once.
#[tauri::command]
pub fn opened_file(state: tauri::State<'_, AppState>) -> Option<OpenedFileView> {
    let file = state
        .opened_file
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()?;
    Some(OpenedFileView::new(&file))
}
