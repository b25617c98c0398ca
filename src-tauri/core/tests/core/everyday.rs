//! Everyday trust: the user's own mistakes and the machine's edges. An output pointed at the
//! database, a named pipe or a device handed as a file, an empty file as a database, a
//! database that cannot be written, the command line's own refusals. Each ends in a Japanese
//! refusal that names the file with nothing changed, or in the right result.

use std::path::{Path, PathBuf};

use crate::common::{ok, refused, run, sample_db, snapshot, TempDir};
#[cfg(unix)]
use {
    crate::common::{names, Output},
    std::sync::mpsc,
    std::time::Duration,
};

/// A sample report, its department こども支援課's package and database, in `dir`.
fn coordinator_and_department(dir: &TempDir) -> (PathBuf, PathBuf, PathBuf) {
    let main = sample_db(dir);
    let package = dir.path("こども支援課.shinchoku-package");
    ok(&[
        "package",
        "--db",
        main.to_str().unwrap(),
        "--department",
        "こども支援課",
        "--out",
        package.to_str().unwrap(),
    ]);
    let dept = dir.path("dept.db");
    ok(&[
        "init",
        "--db",
        dept.to_str().unwrap(),
        "--package",
        package.to_str().unwrap(),
    ]);
    (main, package, dept)
}

/// The ways a careless user names the database as an output: itself, another spelling of
/// it, a link to it, a hard link to it, and its write-ahead log.
fn spellings_of(db: &Path, dir: &TempDir) -> Vec<PathBuf> {
    let name = db.file_name().unwrap();
    let folder = db.parent().unwrap();
    let mut spellings = vec![
        db.to_path_buf(),
        folder.join(".").join(name),
        folder
            .join("..")
            .join(folder.file_name().unwrap())
            .join(name),
    ];
    let hard = dir.path("hard-link.db");
    std::fs::hard_link(db, &hard).unwrap();
    spellings.push(hard);
    #[cfg(unix)]
    {
        let soft = dir.path("soft-link.xlsx");
        std::os::unix::fs::symlink(db, &soft).unwrap();
        spellings.push(soft);
    }
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    spellings.push(PathBuf::from(wal));
    spellings
}

/// Regression: `export --out c.db` on c.db replaced the report with a workbook, without a
/// backup; `export --format csv`, `package --out` and `submit --out` did the same.
#[test]
fn no_output_is_ever_written_over_the_database_it_reads() {
    let dir = TempDir::new();
    let (main, _, dept) = coordinator_and_department(&dir);
    let m = main.to_str().unwrap();
    let d = dept.to_str().unwrap();
    for out in spellings_of(&main, &dir) {
        let o = out.to_str().unwrap();
        for args in [
            vec!["export", "--db", m, "--out", o],
            vec!["export", "--db", m, "--out", o, "--format", "csv"],
            vec![
                "export",
                "--db",
                m,
                "--out",
                o,
                "--department",
                "こども支援課",
            ],
            vec![
                "package",
                "--db",
                m,
                "--department",
                "こども支援課",
                "--out",
                o,
            ],
        ] {
            let out = refused(&main, &args, "開いている報告のデータベース");
            assert!(out.stderr.contains(o), "{}", out.stderr);
        }
    }
    let before = snapshot(&dept);
    for out in [dept.clone(), dir.path("dept.db-shm")] {
        refused(
            &dept,
            &["submit", "--db", d, "--out", out.to_str().unwrap()],
            "開いている報告のデータベース",
        );
    }
    assert!(snapshot(&dept) == before, "submit changed the database");
    // Both databases still open and answer.
    ok(&["check", "--db", m]);
    ok(&["check", "--db", d]);
    // A past term's archive named as the database itself.
    refused(&main, &["term", "new", "--db", m, "--archive", m], m);
}

/// Runs `args` on a thread and gives up after a while: a command that waits on a pipe must
/// fail this test, not hang the run.
#[cfg(unix)]
fn run_within(args: Vec<String>, limit: Duration) -> Output {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let _ = tx.send(run(&args));
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("the command did not return within {limit:?}"))
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Regression: `merge`, `import` (even `--dry-run`) and `init --package` waited forever on
/// a named pipe; a pipe or a device as the database is refused too.
// Unix only: named pipes are made with mkfifo, and /dev/zero is a Unix device.
#[cfg(unix)]
#[test]
fn a_named_pipe_or_a_device_is_refused_at_once_wherever_a_file_is_read() {
    let dir = TempDir::new();
    let main = sample_db(&dir);
    let m = main.to_str().unwrap().to_string();
    let fifo = dir.path("提出.shinchoku-submission");
    mkfifo(&fifo);
    let f = fifo.to_str().unwrap().to_string();
    let fresh = dir.path("new.db").to_str().unwrap().to_string();
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let cases = [
        s(&["merge", "--db", &m, &f]),
        s(&["import", "--db", &m, &f, "--dry-run"]),
        s(&["import", "--db", &m, &f, "--as-submission", "こども支援課"]),
        s(&["init", "--db", &fresh, "--package", &f]),
        s(&["update", "--db", &m, "--package", &f]),
        s(&["check", "--db", &f]),
        s(&["list", "--db", &f]),
        s(&["check", "--db", "/dev/zero"]),
        s(&["merge", "--db", &m, "/dev/zero"]),
    ];
    for args in cases {
        let before = snapshot(&main);
        let out = run_within(args.clone(), Duration::from_secs(20));
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        // `merge` names each file's refusal on the standard output, then sums up.
        let said = format!("{}{}", out.stdout, out.stderr);
        assert!(
            said.contains("名前付きパイプ") || said.contains("デバイス"),
            "{args:?}: {said}"
        );
        assert!(snapshot(&main) == before, "{args:?} changed the database");
    }
    assert!(!Path::new(&fresh).exists(), "init made nothing");
}

/// Regression: `list --db z.db` on a 0-byte file exited 0 and wrote 104 KB into it, and
/// `check` said 「整合性: OK」.
#[test]
fn an_empty_file_is_no_database_and_is_never_written_into() {
    let dir = TempDir::new();
    let empty = dir.path("z.db");
    std::fs::write(&empty, b"").unwrap();
    let e = empty.to_str().unwrap();
    let sheet = dir.path("x.xlsx");
    let x = sheet.to_str().unwrap();
    for args in [
        vec!["check", "--db", e],
        vec!["list", "--db", e],
        vec!["board", "--db", e],
        vec![
            "set",
            "--db",
            e,
            "--measure",
            "1",
            "--year",
            "2024",
            "--half",
            "H2",
            "--status",
            "x",
        ],
        vec!["export", "--db", e, "--out", x],
        vec!["period", "next", "--db", e],
    ] {
        let out = run(&args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("空のファイル"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stderr.contains("z.db"), "{}", out.stderr);
        assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0, "{args:?}");
    }
    assert!(!dir.path("x.xlsx").exists());
    assert!(!dir.path("backups").exists());
    // A foreign file is named as such, not as a damaged database.
    let text = dir.path("memo.db");
    std::fs::write(&text, "メモ").unwrap();
    refused(
        &text,
        &["check", "--db", text.to_str().unwrap()],
        "shinchoku のデータベースではありません",
    );
    // A folder as the database.
    let folder = dir.path("folder.db");
    std::fs::create_dir(&folder).unwrap();
    let out = run(&["list", "--db", folder.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("フォルダ"), "{}", out.stderr);
}

/// The parser's refusals are Japanese, name the flag, and exit 2 (0 done, 1 refused, 2 usage).
#[test]
fn usage_errors_are_japanese_and_exit_2() {
    let dir = TempDir::new();
    let main = sample_db(&dir);
    let m = main.to_str().unwrap();
    for (args, expected) in [
        (
            vec!["export", "--db", m, "--out", "x", "--format", "pdf"],
            "--format",
        ),
        (vec!["check", "--db", m, "--bogus"], "--bogus"),
        (vec!["merge", "--db", m, "--take", "x"], "--take"),
        (vec!["export", "--db", m], "--out"),
        (
            vec![
                "set",
                "--db",
                m,
                "--measure",
                "x",
                "--year",
                "2024",
                "--half",
                "H2",
            ],
            "--measure",
        ),
        (
            vec![
                "period", "open", "--db", m, "--year", "1700", "--half", "H1",
            ],
            "--year",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("エラー: "),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
        for english in ["error:", "invalid value", "unexpected argument", "required"] {
            assert!(
                !out.stderr.contains(english),
                "{args:?}: «{english}» in {}",
                out.stderr
            );
        }
    }
}

/// The user id of `nobody`, to run a command as a user who cannot write where root can.
#[cfg(unix)]
const NOBODY: &str = "65534";

/// Runs the `shinchoku-cli` binary as `nobody` (from root), or as this user (who is then
/// already one that read-only places refuse).
#[cfg(unix)]
fn run_unprivileged(args: &[&str]) -> Output {
    let exe = env!("CARGO_BIN_EXE_shinchoku-cli");
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let mut command = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args([
            "--reuid",
            NOBODY,
            "--regid",
            NOBODY,
            "--clear-groups",
            "--",
            exe,
        ]);
        c
    } else {
        std::process::Command::new(exe)
    };
    let output = command.args(args).env("HOME", "/tmp").output().unwrap();
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Regression: in a read-only folder even `check`, `list` and `board` failed with SQLite's
/// English "attempt to write a readonly database"; on a read-only file `export` exited 1 but
/// wrote the sheet, and `period next` exited 1 but left a backup behind.
// Unix only: a read-only place is made with permission bits and another user (setpriv).
#[cfg(unix)]
#[test]
fn a_database_that_cannot_be_written_is_read_and_every_change_is_refused_first() {
    let dir = TempDir::new();
    chmod(dir.0.path(), 0o755);
    // A read-only folder (a disc, a read-only share): nobody may not write in it.
    let shelf = dir.path("shelf");
    std::fs::create_dir(&shelf).unwrap();
    let db = shelf.join("report.db");
    ok(&["init", "--db", db.to_str().unwrap(), "--sample"]);
    chmod(&db, 0o444);
    chmod(&shelf, 0o555);
    // Where nobody may write the outputs.
    let outbox = dir.path("outbox");
    std::fs::create_dir(&outbox).unwrap();
    chmod(&outbox, 0o777);
    let d = db.to_str().unwrap();
    let before = snapshot(&db);
    let listing = names(&shelf);
    for args in [
        vec!["check", "--db", d],
        vec!["list", "--db", d, "--json"],
        vec!["board", "--db", d],
        vec!["conflicts", "--db", d],
        vec!["restore", "--db", d, "--list"],
    ] {
        let out = run_unprivileged(&args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    let check = run_unprivileged(&["check", "--db", d]);
    assert!(check.stdout.contains("実施内容 81 件"), "{}", check.stdout);
    // The sheet and the page are read from it and written elsewhere.
    let sheet = outbox.join("報告.xlsx");
    let out = run_unprivileged(&["export", "--db", d, "--out", sheet.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(sheet.is_file());
    let site = outbox.join("公開");
    let out = run_unprivileged(&["publish", "--db", d, "--out", site.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Every change is refused before anything is done: no backup, no sheet, no journal.
    let m = "1";
    for args in [
        vec![
            "set",
            "--db",
            d,
            "--measure",
            m,
            "--year",
            "2024",
            "--half",
            "H2",
            "--status",
            "x",
        ],
        vec!["period", "next", "--db", d],
        vec![
            "period", "close", "--db", d, "--year", "2024", "--half", "H2",
        ],
        vec!["year", "add", "--db", d, "2025"],
        vec![
            "department",
            "rename",
            "--db",
            d,
            "こども支援課",
            "こども未来課",
        ],
    ] {
        let out = run_unprivileged(&args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("読み取り専用"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("attempt"), "{}", out.stderr);
    }
    assert!(
        snapshot(&db) == before,
        "a refused change changed the database"
    );
    assert_eq!(names(&shelf), listing, "nothing left beside the database");

    // A read-only file in a folder that can be written: the same, and no backup folder.
    chmod(&shelf, 0o777);
    let out = run_unprivileged(&["period", "next", "--db", d]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("読み取り専用"), "{}", out.stderr);
    assert!(!shelf.join("backups").exists(), "{:?}", names(&shelf));
    let out = run_unprivileged(&["list", "--db", d]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    chmod(&shelf, 0o755);
    chmod(&db, 0o644);
    // The report itself; a reader may leave SQLite's index beside it.
    assert!(
        std::fs::read(&db).unwrap() == before[0],
        "the database changed"
    );
}

/// Windows, under Wine: a package, a sheet or a submission over a file Excel holds open is
/// refused in the user's words, with nothing recorded in the database (a package's issue is
/// recorded before its file is written, so the check comes first).
#[cfg(windows)]
#[test]
fn an_output_held_open_by_excel_is_refused_and_nothing_is_recorded() {
    use std::os::windows::fs::OpenOptionsExt;
    const FILE_SHARE_READ: u32 = 1;
    let dir = TempDir::new();
    let main = sample_db(&dir);
    let m = main.to_str().unwrap();
    let held = dir.path("こども支援課.shinchoku-package");
    std::fs::write(&held, b"old").unwrap();
    let excel = std::fs::OpenOptions::new()
        .read(true)
        .share_mode(FILE_SHARE_READ)
        .open(&held)
        .unwrap();
    let h = held.to_str().unwrap();
    for args in [
        vec![
            "package",
            "--db",
            m,
            "--department",
            "こども支援課",
            "--out",
            h,
        ],
        vec!["export", "--db", m, "--out", h],
        vec!["export", "--db", m, "--out", h, "--format", "csv"],
    ] {
        refused(
            &main,
            &args,
            "他のアプリ（Excel など）で開かれているため保存できません",
        );
    }
    drop(excel);
    assert_eq!(std::fs::read(&held).unwrap(), b"old");
}
