//! The app's state: the one owner of the report database.

use std::path::PathBuf;
use std::sync::Mutex;

use shinchoku_core::Store;

use crate::error::CommandError;

pub struct AppState {
    /// Where the report lives (`--db`, or the app-data default).
    pub db_path: PathBuf,
    /// Opened lazily: on first start the user first chooses the sample or an empty report.
    store: Mutex<Option<Store>>,
    /// When the process started, for the start-up time the UI reports once it is editable.
    pub started_at: std::time::SystemTime,
}

impl AppState {
    pub fn new(db_path: PathBuf, started_at: std::time::SystemTime) -> AppState {
        AppState {
            db_path,
            store: Mutex::new(None),
            started_at,
        }
    }

    /// Runs `f` with the open store, opening the database on first use.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let mut guard = self.store.lock().map_err(|_| {
            CommandError::internal("データベースの状態が壊れています。アプリを再起動してください")
        })?;
        if guard.is_none() {
            *guard = Some(Store::open(&self.db_path)?);
        }
        let store = guard.as_mut().expect("opened above");
        f(store)
    }

    /// Keeps a store made elsewhere (a department database made from a package) as the open one.
    pub fn replace(&self, store: Store) -> Result<(), CommandError> {
        let mut guard = self.store.lock().map_err(|_| {
            CommandError::internal("データベースの状態が壊れています。アプリを再起動してください")
        })?;
        *guard = Some(store);
        Ok(())
    }

    /// Creates the database (empty or with the sample) and keeps it open.
    pub fn create(
        &self,
        f: impl FnOnce(&mut Store) -> Result<(), CommandError>,
    ) -> Result<(), CommandError> {
        let mut guard = self.store.lock().map_err(|_| {
            CommandError::internal("データベースの状態が壊れています。アプリを再起動してください")
        })?;
        let mut store = Store::open_or_create(&self.db_path)?;
        f(&mut store)?;
        *guard = Some(store);
        Ok(())
    }
}
