//! Automatic backups: taken, listed (by exact name), pruned, restored; a wrong name, a damaged
//! copy or a newer one changes nothing.

use std::path::Path;

use rusqlite::Connection;
use shinchoku_core::backup::{self, Reason};
use shinchoku_core::model::{Actor, CellKey, Field, Half, Source};
use shinchoku_core::store::migrate;
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

/// The names in the backups folder of `db`, sorted.
fn backup_names(db: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(backup::folder(db))
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Regression: copies were listed by the prefix `<stem>-`, so the list of `report.db` held the
/// copies of `report-2023.db`, and pruning the first deleted the second's.
#[test]
fn the_copies_of_a_database_with_a_longer_name_are_neither_listed_nor_pruned() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let other = dir.path("report-2023.db");
    std::fs::copy(&db, &other).unwrap();
    let others: Vec<String> = (0..3)
        .map(|_| {
            backup::take(&Store::open(&other).unwrap(), Reason::Manual)
                .unwrap()
                .name
        })
        .collect();
    let store = Store::open(&db).unwrap();
    for _ in 0..backup::KEEP + 2 {
        backup::take(&store, Reason::Import).unwrap();
    }
    let own = backup::list(&db).unwrap();
    assert_eq!(own.len(), backup::KEEP);
    assert!(own.iter().all(|b| b.name.starts_with("report-20")));
    assert!(own.iter().all(|b| !others.contains(&b.name)));
    let listed: Vec<String> = backup::list(&other)
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(others.iter().all(|n| listed.contains(n)), "{listed:?}");
}

#[test]
fn only_names_that_read_exactly_as_a_copy_are_listed() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let taken = backup::take(&Store::open(&db).unwrap(), Reason::Merge).unwrap();
    let folder = backup::folder(&db);
    for look_alike in [
        "report-20240101-000000000-unknown.db",
        "report-20240101-000000000-merge-x.db",
        "report-20240101-000000000-merge-1.db",
        "report-20241301-000000000-merge.db",
        "report-20240101-250000000-merge.db",
        "report-2024010-000000000-merge.db",
        "report-20240101-000000000-merge.db.tmp",
        ".report-20240101-000000000-merge.db.a1b2c3.tmp",
        "report-20240101-000000000-merge.db-journal",
        "report-x-20240101-000000000-merge.db",
    ] {
        std::fs::write(folder.join(look_alike), b"").unwrap();
    }
    std::fs::create_dir(folder.join("report-20240102-000000000-merge.db")).unwrap();
    for real in [
        "report-20240101-000000-import.db",
        "report-20240101-000000123-before-restore.db",
        "report-20240101-000000123-before-restore-2.db",
    ] {
        std::fs::copy(&taken.path, folder.join(real)).unwrap();
    }
    let listed: Vec<String> = backup::list(&db)
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(
        listed,
        [
            taken.name.as_str(),
            "report-20240101-000000123-before-restore-2.db",
            "report-20240101-000000123-before-restore.db",
            "report-20240101-000000-import.db",
        ]
    );
}

/// A copy whose pages were damaged on disk (here: garbage over the second page).
fn damage(copy: &Path) {
    let mut bytes = std::fs::read(copy).unwrap();
    let page: usize = u16::from_be_bytes([bytes[16], bytes[17]]).into();
    bytes[page..page + 200].fill(0xA5);
    std::fs::write(copy, bytes).unwrap();
}

#[test]
fn restoring_a_damaged_copy_is_refused_and_changes_nothing() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let taken = backup::take(&Store::open(&db).unwrap(), Reason::Merge).unwrap();
    damage(&taken.path);
    // And a file that is no database at all, under a copy's name.
    let text = backup::folder(&db).join("report-20240101-000000000-manual.db");
    std::fs::write(&text, "これはデータベースではありません").unwrap();
    let before = snapshot(&db);
    let folder_before = backup_names(&db);
    for name in [taken.name.as_str(), "report-20240101-000000000-manual.db"] {
        let out = run(&["restore", "--db", db.to_str().unwrap(), name]);
        assert_eq!(out.code, 1, "{name}: {}", out.stdout);
        assert!(
            out.stderr
                .contains(&format!("バックアップ「{name}」は壊れている")),
            "{}",
            out.stderr
        );
        assert_eq!(snapshot(&db), before, "{name}: the report changed");
        assert_eq!(backup_names(&db), folder_before, "{name}: a copy was taken");
    }
}

/// The copy of `db` with its schema version set to `version`.
fn copy_at_version(db: &Path, version: i64) -> backup::BackupFile {
    let taken = backup::take(&Store::open(db).unwrap(), Reason::Manual).unwrap();
    let conn = Connection::open(&taken.path).unwrap();
    conn.pragma_update(None, "user_version", version).unwrap();
    conn.close().unwrap();
    taken
}

#[test]
fn restoring_a_copy_from_a_newer_version_is_refused_and_changes_nothing() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let taken = copy_at_version(&db, migrate::LATEST_VERSION + 1);
    let before = snapshot(&db);
    let out = run(&["restore", "--db", db.to_str().unwrap(), &taken.name]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains(&format!(
            "バックアップ「{}」は新しいバージョンの shinchoku で作成されています",
            taken.name
        )),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&db), before);
    assert_eq!(backup::list(&db).unwrap().len(), 1, "no copy was taken");
}

#[test]
fn a_copy_from_an_older_version_is_restored_at_the_latest_version() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    // A copy made before the submissions migration: version 1, without the tables of 2 to 5.
    let taken = copy_at_version(&db, 1);
    let conn = Connection::open(&taken.path).unwrap();
    conn.execute_batch(
        "DROP TABLE conflict; DROP TABLE submission_log; DROP TABLE package_log;
         DROP TABLE sheet_export_log; DROP TABLE reorganisation; DROP TABLE seen_value;
         ALTER TABLE measure DROP COLUMN last_year;",
    )
    .unwrap();
    conn.close().unwrap();
    let mut store = Store::open(&db).unwrap();
    backup::restore(&mut store, &taken.name).unwrap();
    assert_eq!(
        store.pragma("user_version").unwrap(),
        migrate::LATEST_VERSION.to_string()
    );
    // The tables the migration brings back are there again, empty.
    assert_eq!(store.conflicts().unwrap(), vec![]);
    assert_eq!(store.reorganisations().unwrap(), vec![]);
    assert!(store.integrity_problems().unwrap().is_empty());
}

/// Regression: the copy taken before a restore pruned the oldest copy, which could be the one
/// being restored.
#[test]
fn restoring_the_oldest_copy_keeps_it() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let mut store = Store::open(&db).unwrap();
    let key = status_key(&store);
    let value = |store: &Store| {
        store
            .cell(&key)
            .unwrap()
            .map(|c| c.value)
            .unwrap_or_default()
    };
    let before = value(&store);
    let oldest = backup::take(&store, Reason::Manual).unwrap();
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.put_cell(&key, "最古のコピーの後")
        })
        .unwrap();
    for _ in 1..backup::KEEP {
        backup::take(&store, Reason::Import).unwrap();
    }
    assert_eq!(backup::list(&db).unwrap().last().unwrap().name, oldest.name);

    backup::restore(&mut store, &oldest.name).unwrap();
    assert_eq!(value(&store), before);
    let list = backup::list(&db).unwrap();
    assert!(
        list.iter().any(|b| b.name == oldest.name),
        "the restored copy was pruned"
    );
    assert_eq!(list[0].reason, "復元の前");
    // Restored again (from the same copy): it is still there to be restored.
    backup::restore(&mut store, &oldest.name).unwrap();
    assert!(oldest.path.is_file());
    // The report stays in WAL mode after a restore from a copy that is not.
    assert_eq!(store.pragma("journal_mode").unwrap(), "wal");
}

#[test]
fn a_copy_is_one_whole_file_and_nothing_half_written_is_listed() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let mut store = Store::open(&db).unwrap();
    let taken = backup::take(&store, Reason::Manual).unwrap();
    backup::restore(&mut store, &taken.name).unwrap();
    // Only whole copies: no temporary file, and reading a copy left no -wal or -shm beside it.
    let names = backup_names(&db);
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".db")), "{names:?}");
    // What a copy killed half way leaves: its temporary file and SQLite's journal.
    let folder = backup::folder(&db);
    let half = std::fs::read(&taken.path).unwrap();
    std::fs::write(
        folder.join(format!(
            ".{}.Xy12Ab.tmp",
            taken.name.replace("manual", "merge")
        )),
        &half[..half.len() / 2],
    )
    .unwrap();
    std::fs::write(
        folder.join(format!(".{}.Xy12Ab.tmp-journal", taken.name)),
        b"",
    )
    .unwrap();
    let listed: Vec<String> = backup::list(&db)
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed.contains(&taken.name));
}
