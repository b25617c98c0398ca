//! One instance: a second launch hands over to the running window and exits, so the same
//! database is never opened twice. Needs a display (Xvfb, started by scripts/test.sh) and a
//! D-Bus session bus, which the test starts itself with dbus-run-session.

use std::process::Command;

#[test]
fn a_second_launch_exits_and_leaves_the_first_window_running() {
    let display = std::env::var("DISPLAY")
        .expect("DISPLAY is not set: run the tests through scripts/test.sh, which starts Xvfb");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let exe = env!("CARGO_BIN_EXE_shinchoku");
    let init = Command::new(exe)
        .args(["init", "--sample", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    // Inside one session bus: start the first window, wait until it is up, launch a second one
    // and report how it ended and whether the first is still alive.
    let script = r#"
        "$EXE" --db "$DB" >/dev/null 2>&1 &
        first=$!
        sleep 6
        timeout 15 "$EXE" --db "$DB" >/dev/null 2>&1
        echo "second=$?"
        if kill -0 $first 2>/dev/null; then echo "first=running"; kill $first; else echo "first=gone"; fi
    "#;
    let out = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", script])
        .env("EXE", exe)
        .env("DB", &db)
        .env("DISPLAY", display)
        .output()
        .expect("dbus-run-session is missing: install the Debian package dbus (scripts/install-deps.sh)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("second=0"),
        "the second launch did not hand over and exit: {stdout}"
    );
    assert!(
        stdout.contains("first=running"),
        "the first window did not survive: {stdout}"
    );
}

/// A second launch for another database cannot switch the open window's report: the first window
/// says which database it has open and which was asked for (a dialog, and its log).
#[test]
fn a_second_launch_for_another_database_says_which_one_is_open() {
    let display = std::env::var("DISPLAY")
        .expect("DISPLAY is not set: run the tests through scripts/test.sh, which starts Xvfb");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let other = dir.path().join("other.db");
    let exe = env!("CARGO_BIN_EXE_shinchoku");
    for path in [&db, &other] {
        let init = Command::new(exe)
            .args(["init", "--sample", "--db"])
            .arg(path)
            .output()
            .unwrap();
        assert!(init.status.success());
    }
    let data = dir.path().join("data");
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
        .env("XDG_DATA_HOME", &data)
        .env("DISPLAY", display)
        .output()
        .expect("dbus-run-session is missing: install the Debian package dbus (scripts/install-deps.sh)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("second=0"), "{stdout}");
    assert!(stdout.contains("first=running"), "{stdout}");
    assert!(
        stdout.contains("既に") && stdout.contains("other.db"),
        "the first window did not say which database is open: {stdout}"
    );
}
