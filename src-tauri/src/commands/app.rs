//! The app itself: its log folder, and closing the window once the page has saved.

use tauri_plugin_opener::OpenerExt;

use crate::error::CommandError;
use crate::logging;

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

/// Closes the window. The page calls it in answer to a close request, once what was typed is
/// written (see `lib.rs`, where the request is held); `destroy` does not ask again.
#[tauri::command]
pub fn window_close(window: tauri::WebviewWindow) {
    tracing::info!("window closed after the page saved");
    let _ = window.destroy();
}
