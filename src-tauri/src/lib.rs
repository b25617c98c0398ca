//! The shinchoku desktop app: parses the command line, then either runs a subcommand (no window)
//! or builds the Tauri app around the core's [`Store`]. Commands live in `commands/<feature>.rs`.

mod commands;
mod error;
mod state;

use clap::Parser;
use shinchoku_core::cli::{self, Cli};

use crate::state::AppState;

/// Entry point of the binary; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Some(command) => {
            let mut stdout = std::io::stdout().lock();
            match cli::execute(cli.db.as_deref(), command, &mut stdout) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("エラー: {e}");
                    1
                }
            }
        }
        None => run_window(cli.db.unwrap_or_else(cli::default_db_path)),
    }
}

/// Opens the window on the database at `db` (created on first start).
fn run_window(db: std::path::PathBuf) -> i32 {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::new(db))
        .invoke_handler(tauri::generate_handler![
            commands::report::report_status,
            commands::report::report_create,
            commands::report::report_view,
            commands::cells::cell_set,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("エラー: アプリを起動できません: {e}");
            1
        }
    }
}
