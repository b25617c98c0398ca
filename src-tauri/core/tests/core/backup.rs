//! Automatic backups: taken, listed, pruned, restored; a wrong name changes nothing.

use shinchoku_core::backup::{self, Reason};
use shinchoku_core::model::{Actor, CellKey, Field, Half, Source};
use shinchoku_core::Store;

use crate::common::{run, sample_db, snapshot, TempDir};

fn status_key(store: &Store) -> CellKey {
    let measure_id = store.measures().unwrap()[0].id;
    CellKey {
        measure_id,
        year: 2024,
        field: Field::Status(Half::H2),
    }
}

#[test]
fn a_backup_restores_the_report_as_it_was_and_keeps_the_state_before_restore() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let mut store = Store::open(&db).unwrap();
    let key = status_key(&store);
    let before = store
        .cell(&key)
        .unwrap()
        .map(|c| c.value)
        .unwrap_or_default();
    let taken = backup::take(&store, Reason::Merge).unwrap();
    assert_eq!(taken.reason, "統合の前");
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.put_cell(&key, "統合で上書きされた")
        })
        .unwrap();

    let restored = backup::restore(&mut store, &taken.name).unwrap();
    assert_eq!(restored.name, taken.name);
    assert_eq!(
        store
            .cell(&key)
            .unwrap()
            .map(|c| c.value)
            .unwrap_or_default(),
        before
    );
    assert!(store.integrity_problems().unwrap().is_empty());

    let list = backup::list(&db).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].reason, "復元の前");
    // Undoing the restore brings the overwritten value back.
    backup::restore(&mut store, &list[0].name).unwrap();
    assert_eq!(
        store.cell(&key).unwrap().unwrap().value,
        "統合で上書きされた"
    );
}

#[test]
fn only_the_newest_backups_are_kept() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let store = Store::open(&db).unwrap();
    for _ in 0..backup::KEEP + 3 {
        backup::take(&store, Reason::Import).unwrap();
    }
    let list = backup::list(&db).unwrap();
    assert_eq!(list.len(), backup::KEEP);
    assert!(
        list.windows(2).all(|w| w[0].taken_at >= w[1].taken_at),
        "newest first"
    );
}

#[test]
fn restoring_an_unknown_backup_changes_nothing() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let before = snapshot(&db);
    let out = run(&[
        "restore",
        "--db",
        db.to_str().unwrap(),
        "nothing-20240101-000000000-merge.db",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("バックアップ「nothing-20240101-000000000-merge.db」が見つかりません"),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&db), before);
}

#[test]
fn restore_list_shows_the_backups() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let empty = run(&["restore", "--db", db.to_str().unwrap(), "--list"]);
    assert!(
        empty.stdout.contains("バックアップはまだありません"),
        "{}",
        empty.stdout
    );
    let taken = backup::take(&Store::open(&db).unwrap(), Reason::Rollover).unwrap();
    let out = run(&["restore", "--db", db.to_str().unwrap(), "--list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(&taken.name));
    assert!(out.stdout.contains("期の切り替えの前"));
    let restored = run(&["restore", "--db", db.to_str().unwrap(), &taken.name]);
    assert_eq!(restored.code, 0, "{}", restored.stderr);
}

#[test]
fn an_in_memory_report_cannot_be_backed_up() {
    let store = Store::open_in_memory().unwrap();
    assert!(matches!(
        backup::take(&store, Reason::Manual),
        Err(backup::BackupError::InMemory)
    ));
}
