//! The store: migrations, refusal of foreign and newer files, pragmas, transactions.

use rusqlite::Connection;
use shinchoku_core::model::{Actor, CellKey, Field, Half, Source};
use shinchoku_core::store::migrate::LATEST_VERSION;
use shinchoku_core::{Store, StoreError};

use crate::common::{sample_store, snapshot, TempDir};

/// The first measure's 令和６年度 下半期 状況: its key and its value now.
fn first_h2_status(store: &Store) -> (CellKey, String) {
    let key = CellKey {
        measure_id: store.measures().unwrap()[0].id,
        year: 2024,
        field: Field::Status(Half::H2),
    };
    let value = store
        .cell(&key)
        .unwrap()
        .map(|c| c.value)
        .unwrap_or_default();
    (key, value)
}

#[test]
fn a_new_database_is_migrated_to_the_latest_version_with_wal_and_foreign_keys() {
    let dir = TempDir::new();
    let db = dir.path("new.db");
    let store = Store::create(&db).unwrap();
    assert_eq!(
        store.pragma("user_version").unwrap(),
        LATEST_VERSION.to_string()
    );
    assert_eq!(store.pragma("journal_mode").unwrap(), "wal");
    assert_eq!(store.pragma("foreign_keys").unwrap(), "1");
    assert!(store.integrity_problems().unwrap().is_empty());
}

#[test]
fn reopening_a_current_database_keeps_its_contents() {
    let dir = TempDir::new();
    let db = dir.path("r.db");
    {
        let mut store = Store::create(&db).unwrap();
        shinchoku_core::sample::sample()
            .load_into(&mut store, &Source::Sample)
            .unwrap();
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.measures().unwrap().len(), 81);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let dir = TempDir::new();
    let db = dir.path("report.xlsx");
    std::fs::write(
        &db,
        b"PK\x03\x04 this is a spreadsheet, not a database".repeat(50),
    )
    .unwrap();
    let before = snapshot(&db);
    let err = Store::open(&db).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("report.xlsx"));
    assert!(err.to_string().contains("データベースではありません"));
    assert_eq!(snapshot(&db), before);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = TempDir::new();
    let db = dir.path("future.db");
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE t (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = snapshot(&db);
    let err = Store::open(&db).unwrap_err();
    match &err {
        StoreError::TooNew {
            found, supported, ..
        } => {
            assert_eq!(*found, 99);
            assert_eq!(*supported, LATEST_VERSION);
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert!(err.to_string().contains("新しいバージョン"));
    assert_eq!(snapshot(&db), before);
}

#[test]
fn a_missing_database_is_reported_and_not_created() {
    let dir = TempDir::new();
    let db = dir.path("nothing.db");
    assert!(matches!(Store::open(&db), Err(StoreError::Missing { .. })));
    assert!(!db.exists());
}

#[test]
fn create_refuses_to_overwrite_an_existing_file() {
    let dir = TempDir::new();
    let db = dir.path("x.db");
    std::fs::write(&db, "keep me").unwrap();
    assert!(matches!(
        Store::create(&db),
        Err(StoreError::AlreadyExists { .. })
    ));
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "keep me");
}

#[test]
fn a_failed_action_writes_nothing() {
    let mut store = sample_store();
    let (key, _) = first_h2_status(&store);
    let revision = store.revision().unwrap();
    let result: Result<(), StoreError> = store.write(&Actor::Coordinator, &Source::App, |w| {
        w.put_cell(&key, "途中まで書いた")?;
        Err(StoreError::Busy { path: "x".into() })
    });
    assert!(result.is_err());
    assert_eq!(
        store
            .cell(&key)
            .unwrap()
            .map(|c| c.value)
            .unwrap_or_default(),
        shinchoku_core::report::Report::load(&store).unwrap().value(
            key.measure_id,
            2024,
            Field::Status(Half::H2)
        )
    );
    assert_ne!(
        store.cell(&key).unwrap().map(|c| c.value),
        Some("途中まで書いた".to_string())
    );
    assert_eq!(store.revision().unwrap(), revision);
}

#[test]
fn every_change_is_kept_in_the_history_with_who_and_where() {
    let mut store = sample_store();
    let (key, old) = first_h2_status(&store);
    store
        .write(
            &Actor::Department("こども支援課".into()),
            &Source::App,
            |w| w.put_cell(&key, "新しい状況"),
        )
        .unwrap();
    let history = store.cell_history(&key).unwrap();
    assert_eq!(history[0].old_value, old);
    assert_eq!(history[0].new_value, "新しい状況");
    assert_eq!(history[0].actor, "こども支援課");
    assert_eq!(history[0].source, "アプリで編集");
    assert_eq!(
        store.cell(&key).unwrap().unwrap().revision,
        store.revision().unwrap()
    );
}

#[test]
fn writing_the_same_value_again_changes_nothing() {
    let mut store = sample_store();
    let measure = store.measures().unwrap()[0].id;
    let key = CellKey {
        measure_id: measure,
        year: 2024,
        field: Field::Plan(Half::H1),
    };
    let value = store.cell(&key).unwrap().unwrap().value;
    let revision = store.revision().unwrap();
    let changed = store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.put_cell(&key, &value)
        })
        .unwrap();
    assert!(!changed);
    assert_eq!(store.revision().unwrap(), revision);
}

#[test]
fn restoring_a_history_entry_puts_the_old_value_back_and_is_itself_recorded() {
    let mut store = sample_store();
    let (key, original) = first_h2_status(&store);
    let edit = shinchoku_core::edit::CellEdit {
        key,
        value: "書き換え".into(),
    };
    shinchoku_core::edit::apply(&mut store, &Actor::Coordinator, &Source::App, &[edit]).unwrap();
    let change = store.cell_history(&key).unwrap()[0].id;
    shinchoku_core::edit::restore(&mut store, &Actor::Coordinator, change).unwrap();
    assert_eq!(store.cell(&key).unwrap().unwrap().value, original);
    let history = store.cell_history(&key).unwrap();
    assert_eq!(history[0].source, "履歴から復元");
    assert!(matches!(
        shinchoku_core::edit::restore(&mut store, &Actor::Coordinator, 999_999),
        Err(shinchoku_core::edit::EditError::UnknownChange(999_999))
    ));
}

/// Two writers and a reader on one database at once, as the window, a `shinchoku set` loop and
/// an export loop: every write succeeds (IMMEDIATE transactions wait under the busy timeout
/// instead of failing when a read would have to become a write).
#[test]
fn two_writers_and_an_exporter_on_one_database_all_succeed() {
    let dir = crate::common::TempDir::new();
    let db = crate::common::sample_db(&dir);
    let measures: Vec<i64> = Store::open(&db)
        .unwrap()
        .measures()
        .unwrap()
        .iter()
        .map(|m| m.id)
        .take(2)
        .collect();
    let writer = |measure: i64, db: std::path::PathBuf| {
        std::thread::spawn(move || {
            let mut store = Store::open(&db).unwrap();
            let mut failed = Vec::new();
            for i in 0..40 {
                let edit = shinchoku_core::edit::CellEdit {
                    key: shinchoku_core::CellKey {
                        measure_id: measure,
                        year: 2024,
                        field: shinchoku_core::Field::Status(shinchoku_core::Half::H2),
                    },
                    value: format!("書き込み {i}"),
                };
                if let Err(e) = shinchoku_core::edit::apply(
                    &mut store,
                    &shinchoku_core::model::Actor::Coordinator,
                    &shinchoku_core::model::Source::CommandLine,
                    &[edit],
                ) {
                    failed.push(e.to_string());
                }
            }
            failed
        })
    };
    let exporter = {
        let db = db.clone();
        let out = dir.path("loop.xlsx");
        std::thread::spawn(move || {
            let store = Store::open(&db).unwrap();
            let mut failed = Vec::new();
            for _ in 0..10 {
                let options = shinchoku_core::export::ExportOptions::default();
                let exported = shinchoku_core::report::Report::load(&store)
                    .map_err(|e| e.to_string())
                    .and_then(|report| {
                        shinchoku_core::export::export_xlsx(&report, &options, &out)
                            .map_err(|e| e.to_string())
                    });
                if let Err(e) = exported {
                    failed.push(e);
                }
            }
            failed
        })
    };
    let a = writer(measures[0], db.clone());
    let b = writer(measures[1], db.clone());
    let failed: Vec<String> = [a, b, exporter]
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert!(failed.is_empty(), "{} failed: {failed:?}", failed.len());
    let store = Store::open(&db).unwrap();
    assert!(store.integrity_problems().unwrap().is_empty());
}
