//! The app's log: a daily file in the app-data folder's `logs/`, the last two weeks kept.
//! Users never read it; it is what a coordinator sends when asking for help.

use std::path::PathBuf;

use tracing_appender::rolling::{RollingFileAppender, Rotation};

/// How many daily files are kept.
const KEEP_DAYS: usize = 14;

/// The folder the log files are written to.
pub fn folder() -> PathBuf {
    dirs_data_dir()
        .join(shinchoku_core::APP_IDENTIFIER)
        .join("logs")
}

fn dirs_data_dir() -> PathBuf {
    shinchoku_core::cli::default_db_path()
        .parent()
        .and_then(|p| p.parent())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Starts logging to the daily file; returns the guard that flushes it at exit.
/// Logging is never a reason not to start: without a writable folder the app runs unlogged.
pub fn init() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    std::fs::create_dir_all(folder()).ok()?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("shinchoku")
        .filename_suffix("log")
        .max_log_files(KEEP_DAYS)
        .build(folder())
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("SHINCHOKU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
