//! The shinchoku desktop app: parses the command line, then either runs a subcommand (no window)
//! or builds the Tauri app around the core's [`Store`]. Commands live in `commands/<feature>.rs`.

mod commands;
mod error;
mod logging;
mod memory;
mod state;
mod view;

use clap::Parser;
use shinchoku_core::cli::{self, Cli};
use tauri_plugin_dialog::DialogExt;

use crate::state::AppState;

/// Entry point of the binary; returns the process exit code. A subcommand runs as in
/// `shinchoku-cli` (the core's one copy of parsing, running and printing `エラー: …`); without
/// one, the window opens.
pub fn main() -> i32 {
    let cli = {
        let mut out = std::io::stdout().lock();
        let mut err = std::io::stderr().lock();
        match cli::parse(std::env::args_os(), &mut out, &mut err) {
            Ok(cli) => cli,
            Err(code) => return code,
        }
    };
    match cli.command {
        Some(command) => cli::run_command(
            cli.db.as_deref(),
            command,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        ),
        None => run_window(
            cli.db.unwrap_or_else(cli::default_db_path),
            cli.open.map(|file| absolute(&file)),
        ),
    }
}

/// `file` from where the app was started: the page is told the whole path.
fn absolute(file: &std::path::Path) -> std::path::PathBuf {
    std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf())
}

/// The file a second launch asked to open (a double-click while the window is open), made
/// whole against the second launch's folder.
fn file_to_open(args: &[String], cwd: &str) -> Option<std::path::PathBuf> {
    let file = Cli::try_parse_from(args).ok()?.open?;
    Some(std::path::Path::new(cwd).join(file))
}

/// What to tell the user when a second launch asked for another database than the open one:
/// one window owns one database, so the second launch cannot switch this window's report under
/// its user's hands.
fn other_database(args: &[String], cwd: &str, open: &std::path::Path) -> Option<String> {
    let asked = Cli::try_parse_from(args).ok()?.db?;
    let asked = std::path::Path::new(cwd).join(asked);
    (!shinchoku_core::safe_save::same_file(&asked, open)).then(|| {
        format!(
            "shinchoku は既に {} を開いています。{} を開くには、このウィンドウを閉じてからもう一度起動してください",
            open.display(),
            asked.display()
        )
    })
}

/// Why no window can be opened here, if none can: on Linux and the BSDs GTK needs an X11 or
/// Wayland display, and without one it panics deep inside its start-up. Said before anything
/// starts, with where the command line is.
fn no_display() -> Option<String> {
    let needs_display = cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    ));
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    (needs_display && !has_display).then(|| {
        "画面（ディスプレイ）がないため、ウィンドウを開けません。コマンドで操作する場合は shinchoku-cli を使ってください（例: shinchoku-cli check --db shinchoku.db、一覧は shinchoku-cli --help）".to_string()
    })
}

/// How long a close waits for the page to write what was typed: a page that does not answer
/// (not loaded yet, or broken) must not keep the window open.
const CLOSE_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Holds a request to close the window until the page has written what was typed (its autosave
/// waits 600 ms after the last key): the page saves, then closes the window through
/// `window_close`. After [`CLOSE_GRACE`] the window closes anyway.
fn hold_close_until_saved(window: &tauri::Window, event: &tauri::WindowEvent) {
    use tauri::Manager;
    let tauri::WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    let Some(webview) = window.get_webview_window(window.label()) else {
        return;
    };
    api.prevent_close();
    if webview
        .eval("window.shinchokuBeforeClose ? window.shinchokuBeforeClose() : window.__TAURI__.core.invoke('window_close')")
        .is_err()
    {
        let _ = webview.destroy();
        return;
    }
    std::thread::spawn(move || {
        std::thread::sleep(CLOSE_GRACE);
        tracing::warn!("the page did not answer the close request; closing");
        let _ = webview.destroy();
    });
}

/// Opens the window on the database at `db` (created on first start).
fn run_window(db: std::path::PathBuf, opened_file: Option<std::path::PathBuf>) -> i32 {
    if let Some(message) = no_display() {
        eprintln!("エラー: {message}");
        return 1;
    }
    let started_at = std::time::SystemTime::now();
    let _log = logging::init();
    tracing::info!(db = %db.display(), version = env!("CARGO_PKG_VERSION"), "starting");
    // Every panic reaches the log with its place, then the default report on stderr.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!("panic: {info}");
        default_hook(info);
    }));
    let result = tauri::Builder::default()
        // First: a second launch hands over to the running window instead of opening the
        // same database twice.
        .plugin(tauri_plugin_single_instance::init(|app, args, cwd| {
            use tauri::Manager;
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
                let state = app.state::<AppState>();
                if let Some(file) = file_to_open(&args, &cwd) {
                    tracing::info!(file = %file.display(), "second launch with a file to open");
                    *state.opened_file.lock().unwrap_or_else(|e| e.into_inner()) = Some(file);
                    use tauri::Emitter;
                    let _ = window.emit("file-opened", ());
                }
                let open = state.db_path.clone();
                if let Some(message) = other_database(&args, &cwd, &open) {
                    tracing::info!("second launch for another database: {message}");
                    let _ = window.set_title(&format!("shinchoku — {message}"));
                    app.dialog()
                        .message(message)
                        .title("shinchoku")
                        .kind(tauri_plugin_dialog::MessageDialogKind::Warning)
                        .show(|_| {});
                }
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage({
            let state = AppState::new(db, started_at);
            *state.opened_file.lock().unwrap_or_else(|e| e.into_inner()) = opened_file;
            state
        })
        .setup(|app| {
            memory::draw_without_compositing(app);
            Ok(())
        })
        .on_window_event(hold_close_until_saved)
        .invoke_handler(tauri::generate_handler![
            commands::report::report_status,
            commands::report::report_create,
            commands::report::report_create_from_package,
            commands::report::report_view,
            commands::report::report_overview,
            commands::cells::cell_set,
            commands::cells::cell_room,
            commands::cells::cell_why_not,
            commands::cells::cell_history,
            commands::cells::cell_restore,
            commands::master::period_open,
            commands::master::period_close,
            commands::master::period_reopen,
            commands::master::period_start_next,
            commands::master::period_deadline_set,
            commands::master::fiscal_year_add,
            commands::master::half_months_set,
            commands::master::department_add,
            commands::master::department_rename,
            commands::master::pledge_put,
            commands::master::measure_add,
            commands::master::measure_edit,
            commands::master::measure_move,
            commands::master::department_merge,
            commands::master::measure_retire,
            commands::app::opened_file,
            commands::term::term_start,
            commands::term::terms_list,
            commands::term::term_export,
            commands::term::department_split,
            commands::term::ownership_history,
            commands::app::about,
            commands::app::logs_open,
            commands::app::file_reveal,
            commands::app::window_close,
            commands::app::test_dialog_answer,
            commands::export::report_export,
            commands::publish::publish_site,
            commands::import::import_preview,
            commands::import::import_apply,
            commands::submission::packages_write,
            commands::submission::submission_write,
            commands::submission::package_update,
            commands::submission::submission_department,
            commands::submission::submissions_merge,
            commands::submission::submission_board,
            commands::submission::conflicts_list,
            commands::submission::conflict_resolve,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => 0,
        Err(e) => {
            tracing::error!("cannot start: {e}");
            eprintln!("エラー: アプリを起動できません: {e}");
            1
        }
    }
}
