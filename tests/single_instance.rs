//! One instance: a second launch hands over to the running window and exits, so the same
//! database is never opened twice. Needs a display (Xvfb, started by scripts/test.sh) and a
//! D-Bus session bus, which the test starts itself with dbus-run-session.

use std::process::Command;

/// Opens a window on a sample `report.db`, then launches the app again on `asked` (a sample
/// database of that name in the same folder) inside one session bus. Returns what the script
/// printed: how the second launch ended (`second=…`), whether the first window still runs
/// (`first=…`), and the first window's log lines about another database.
fn second_launch(asked: &str) -> String {
    let display = std::env::var("DISPLAY")
        .expect("DISPLAY is not set: run the tests through scripts/test.sh, which starts Xvfb");
    let dir = tempfile::tempdir().unwrap();
    let exe = env!("CARGO_BIN_EXE_shinchoku");
    let (db, other) = (dir.path().join("report.db"), dir.path().join(asked));
    for path in [&db, &other] {
        if path.exists() {
            continue;
        }
        let init = Command::new(exe)
            .args(["init", "--sample", "--db"])
            .arg(path)
            .output()
            .unwrap();
        assert!(
            init.status.success(),
            "{}",
            String::from_utf8_lossy(&init.stderr)
        );
    }
    let script = r#"
        "$EXE" --db "$DB" >/dev/null 2>&1 &
        first=$!
        sleep 6
        timeout 15 "$EXE" --db "$OTHER" >/dev/null 2>&1
        echo "second=$?"
        sleep 2
        cat "$XDG_DATA_HOME"/jp.shinchoku.app/logs/* 2>/dev/null | grep "another database"
        if kill -0 $first 2>/dev/null; then echo "first=running"; kill $first; else echo "first=gone"; fi
    "#;
    let out = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", script])
        .env("EXE", exe)
        .env("DB", &db)
        .env("OTHER", &other)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("DISPLAY", display)
        .output()
        .expect("dbus-run-session is missing: install the Debian package dbus (scripts/install-deps.sh)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_second_launch_exits_and_leaves_the_first_window_running() {
    let stdout = second_launch("report.db");
    assert!(
        stdout.contains("second=0"),
        "the second launch did not hand over and exit: {stdout}"
    );
    assert!(
        stdout.contains("first=running"),
        "the first window did not survive: {stdout}"
    );
    assert!(
        !stdout.contains("既に"),
        "the same database is no other: {stdout}"
    );
}

/// A second launch for another database cannot switch the open window's report: the first window
/// says which database it has open and which was asked for (a dialog, and its log).
#[test]
fn a_second_launch_for_another_database_says_which_one_is_open() {
    let stdout = second_launch("other.db");
    assert!(stdout.contains("second=0"), "{stdout}");
    assert!(stdout.contains("first=running"), "{stdout}");
    assert!(
        stdout.contains("既に") && stdout.contains("other.db"),
        "the first window did not say which database is open: {stdout}"
    );
}

/// A package double-clicked while the department's window is open: the second launch hands the
/// file over and exits, and the open window takes it as the next package (its backup before the
/// update shows that it did).
#[test]
fn a_second_launch_with_a_package_hands_it_to_the_open_window() {
    let display = std::env::var("DISPLAY")
        .expect("DISPLAY is not set: run the tests through scripts/test.sh, which starts Xvfb");
    let dir = tempfile::tempdir().unwrap();
    let exe = env!("CARGO_BIN_EXE_shinchoku");
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let out = Command::new(exe).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let (main, dept) = (path("main.db"), path("dept.db"));
    let department = "こども支援課";
    run(&["init", "--sample", "--db", &main]);
    let package = |out: &str| {
        run(&[
            "package",
            "--db",
            &main,
            "--department",
            department,
            "--out",
            out,
        ])
    };
    package(&path("p1.shinchoku-package"));
    run(&[
        "init",
        "--db",
        &dept,
        "--package",
        &path("p1.shinchoku-package"),
    ]);
    run(&["year", "add", "2025", "--db", &main]);
    run(&["period", "next", "--db", &main]);
    package(&path("p2.shinchoku-package"));
    assert!(!run(&["restore", "--list", "--db", &dept]).contains("パッケージ更新の前"));

    let script = r#"
        "$EXE" --db "$DB" >/dev/null 2>&1 &
        first=$!
        sleep 6
        timeout 15 "$EXE" --db "$DB" "$FILE" >/dev/null 2>&1
        echo "second=$?"
        sleep 4
        if kill -0 $first 2>/dev/null; then echo "first=running"; kill $first; else echo "first=gone"; fi
    "#;
    let out = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", script])
        .env("EXE", exe)
        .env("DB", &dept)
        .env("FILE", path("p2.shinchoku-package"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("DISPLAY", display)
        .output()
        .expect("dbus-run-session is missing: install the Debian package dbus (scripts/install-deps.sh)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("second=0"), "{stdout}");
    assert!(stdout.contains("first=running"), "{stdout}");
    let backups = run(&["restore", "--list", "--db", &dept]);
    assert!(
        backups.contains("パッケージ更新の前"),
        "the open window did not take the package: {backups}"
    );
}
