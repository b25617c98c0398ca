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
