//! The window without a display: started over SSH or by a scheduled task, `shinchoku` says that
//! no window can open here and where the command line is, and exits 1. Regression: it panicked
//! with a backtrace ("Failed to initialize gtk backend").

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[cfg(unix)]
#[test]
fn without_a_display_the_app_says_to_use_the_command_line_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_shinchoku"))
        .arg("--db")
        .arg(&db)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_DATA_HOME", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A window that opened after all must not keep the run waiting.
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the app did not exit without a display");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("エラー: "), "{stderr}");
    assert!(stderr.contains("shinchoku-cli"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!db.exists(), "nothing was made");
}
