//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use shinchoku_core::cli;
use shinchoku_core::model::Source;
use shinchoku_core::Store;

/// A temporary folder that lives as long as the value.
pub struct TempDir(pub tempfile::TempDir);

impl TempDir {
    pub fn new() -> TempDir {
        TempDir(tempfile::tempdir().expect("temp dir"))
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
}

/// An in-memory store holding the built-in sample.
pub fn sample_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    shinchoku_core::sample::sample()
        .load_into(&mut store, &Source::Sample)
        .unwrap();
    store
}

/// A sample database file in `dir`, as `shinchoku init --sample` makes it.
pub fn sample_db(dir: &TempDir) -> PathBuf {
    let db = dir.path("report.db");
    let out = run(&["init", "--db", db.to_str().unwrap(), "--sample"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    db
}

/// What a CLI run printed and returned.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the command line in-process, as the binary does.
pub fn run(args: &[&str]) -> Output {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = cli::run(
        std::iter::once("shinchoku").chain(args.iter().copied()),
        &mut stdout,
        &mut stderr,
    );
    Output {
        code,
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// Runs the command line, which must succeed; its standard output.
pub fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out.stdout
}

/// A refused command: status 1, `message` on stderr, the database byte for byte as before.
pub fn refused(db: &Path, args: &[&str], message: &str) -> Output {
    let before = snapshot(db);
    let out = run(args);
    assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
    assert!(
        out.stderr.contains(message),
        "{args:?}: expected «{message}» in «{}»",
        out.stderr
    );
    // Not assert_eq: the two snapshots are whole databases, too long to print.
    assert!(snapshot(db) == before, "{args:?} changed the database");
    out
}

/// The database file and its WAL companions, byte for byte, to prove a refusal changed nothing.
pub fn snapshot(db: &Path) -> Vec<Vec<u8>> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            std::fs::read(PathBuf::from(p)).unwrap_or_default()
        })
        .collect()
}

/// `shinchoku list --json` of a database, which must succeed.
pub fn list_json(db: &Path) -> serde_json::Value {
    let out = run(&["list", "--db", db.to_str().unwrap(), "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

/// The id of the first measure of `department` in a database's listing.
pub fn measure_of(db: &Path, department: &str) -> i64 {
    list_json(db)["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["department"] == department)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// `shinchoku import --db <db> <sheet> <extra…>` through the CLI.
pub fn import_sheet(db: &Path, sheet: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "import",
        "--db",
        db.to_str().unwrap(),
        sheet.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// The names in `dir`, sorted: what a command left in a folder.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
