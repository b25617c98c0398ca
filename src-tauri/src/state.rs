//! The app's state: the one owner of the report database.

use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use shinchoku_core::Store;

use crate::error::CommandError;

pub struct AppState {
    /// Where the report lives (`--db`, or the app-data default).
    pub db_path: PathBuf,
    /// Opened lazily: on first start the user first chooses the sample or an empty report.
    store: Mutex<Option<Store>>,
    /// When the process started, for the start-up time the UI reports once it is editable.
    pub started_at: std::time::SystemTime,
    /// A package or submission the app was asked to open (a double-click on the file, at start
    /// or by a second launch), until the page takes it.
    pub opened_file: Mutex<Option<PathBuf>>,
}

impl AppState {
    pub fn new(db_path: PathBuf, started_at: std::time::SystemTime) -> AppState {
        AppState {
            db_path,
            store: Mutex::new(None),
            started_at,
            opened_file: Mutex::new(None),
        }
    }

    /// Runs `f` with the open store, opening the database on first use.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let mut guard = self.lock();
        if guard.is_none() {
            *guard = Some(Store::open(&self.db_path)?);
        }
        let Some(store) = guard.as_mut() else {
            return Err(CommandError::internal("データベースを開けませんでした"));
        };
        // The window's boundary, the one place a panic of ours is caught: the core's tests and
        // fuzzers call the core directly and see every panic; here a bug in one action must not
        // take the window down or leave later actions waiting forever. The action's transaction
        // rolled back while unwinding, and the panic hook has logged where it happened.
        panic::catch_unwind(AssertUnwindSafe(|| f(store))).unwrap_or_else(|_| {
            Err(CommandError::internal(&format!(
                "内部エラーのため、この操作は取り消されました。入力済みの内容はそのままです。ログ（{}）を添えて担当者に連絡してください",
                crate::logging::folder().display()
            )))
        })
    }

    /// The store's lock. A panic while it was held rolled its transaction back, so the store is
    /// sound: a poisoned lock is taken over, never a reason to refuse every later command.
    fn lock(&self) -> MutexGuard<'_, Option<Store>> {
        self.store.lock().unwrap_or_else(|poisoned| {
            tracing::warn!("the store's lock was poisoned by a panic; taken over");
            poisoned.into_inner()
        })
    }

    /// Keeps a store made elsewhere (a department database made from a package) as the open one.
    pub fn replace(&self, store: Store) -> Result<(), CommandError> {
        let mut guard = self.lock();
        *guard = Some(store);
        Ok(())
    }

    /// Creates the database (empty or with the sample) and keeps it open.
    pub fn create(
        &self,
        f: impl FnOnce(&mut Store) -> Result<(), CommandError>,
    ) -> Result<(), CommandError> {
        let mut guard = self.lock();
        let mut store = Store::open_or_create(&self.db_path)?;
        f(&mut store)?;
        *guard = Some(store);
        Ok(())
    }
}
