//! The licences of every crate built into shinchoku: each on the accepted list of `about.toml`
//! (docs/licences.md), and `licenses/THIRD-PARTY-NOTICES.txt`, which the app shows and the
//! package ships, exactly as `scripts/licenses.sh` (cargo-about) writes it from Cargo.lock now.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOTICES: &str = "licenses/THIRD-PARTY-NOTICES.txt";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    command.current_dir(root());
    command
}

/// cargo-about under `config`, offline: the notices on stdout, or a failure naming the crate.
/// Every target's crates are fetched first (a no-op once they are), so the offline run reads the
/// same licence files on every machine.
fn generate(config: &Path) -> Output {
    let fetch = cargo().args(["fetch", "--locked"]).output().unwrap();
    assert!(
        fetch.status.success(),
        "cargo fetch: {}",
        String::from_utf8_lossy(&fetch.stderr)
    );
    let out = cargo()
        .args([
            "about",
            "generate",
            "--frozen",
            "--workspace",
            "--fail",
            "-c",
        ])
        .arg(config)
        .arg("about.hbs")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("no such command"),
        "cargo-about is missing: cargo install --locked --features cli cargo-about@0.9.3 (scripts/install-deps.sh)"
    );
    out
}

#[test]
fn every_crate_is_under_an_accepted_licence_and_the_shipped_notices_are_current() {
    let out = generate(&root().join("about.toml"));
    assert!(
        out.status.success(),
        "a crate's licence is not accepted in about.toml (or cannot be read):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let generated = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(root().join(NOTICES)).unwrap();
    assert!(
        generated == committed,
        "{NOTICES} is not what cargo-about writes from Cargo.lock now: run scripts/licenses.sh and commit it"
    );
    for name in ["tauri ", "rusqlite ", "rust_xlsxwriter ", "calamine "] {
        assert!(committed.contains(name), "{name}is not in {NOTICES}");
    }
}

/// The check can fail: with MIT alone accepted, the Apache-2.0 and BSD crates are refused.
#[test]
fn a_licence_off_the_list_fails_the_check() {
    let config = std::fs::read_to_string(root().join("about.toml")).unwrap();
    let start = config.find("accepted = [").unwrap();
    let end = start + config[start..].find(']').unwrap() + 1;
    // No licence texts are needed to refuse one: the crates' roots are not even read.
    let narrow = format!("{}accepted = [\"MIT\"]{}", &config[..start], &config[end..])
        .replace("max-depth = 1", "max-depth = 0");
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("about.toml");
    std::fs::write(&path, narrow).unwrap();
    let out = generate(&path);
    assert!(
        !out.status.success(),
        "cargo-about accepted every crate with MIT alone"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Apache-2.0"), "{stderr}");
}
