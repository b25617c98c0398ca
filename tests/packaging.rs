//! The packaging configuration as the Tauri CLI reads it for each platform: `tauri.conf.json`
//! with the platform's file merged over it (JSON Merge Patch), parsed into tauri-utils' typed
//! `Config`, which refuses unknown keys and wrong types. A Windows installer cannot be built on
//! these Linux machines, so a misspelt key in `tauri.windows.conf.json` is caught here instead.
//! (`scripts/package.sh` builds the .deb and `scripts/install-test.sh` installs it.)

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tauri_utils::config::Config;
use tauri_utils::platform::Target;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The merged configuration for `target`, with the `--config` files given merged over it as the
/// CLI does, checked against the typed `Config`; and the files the platform's reading took.
fn merged(target: Target, extra: &[&str]) -> (Value, Vec<PathBuf>) {
    let (mut value, files) = tauri_utils::config::parse::read_from(target, root())
        .unwrap_or_else(|e| panic!("the configuration for {target:?} does not read: {e}"));
    for file in extra {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        merge_patch(&mut value, &serde_json::from_str(&text).unwrap());
    }
    if let Err(e) = serde_json::from_value::<Config>(value.clone()) {
        panic!("the configuration for {target:?} {extra:?} is not a Tauri 2 configuration: {e}");
    }
    (value, files)
}

/// JSON Merge Patch (RFC 7396), as the Tauri CLI merges `--config` files: objects merge key by
/// key, `null` removes, anything else replaces.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = json!({});
    }
    let map = target.as_object_mut().unwrap();
    for (key, value) in patch {
        if value.is_null() {
            map.remove(key);
        } else {
            merge_patch(map.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

/// What the Windows build adds with `--config` (docs/install-windows.md): shinchoku-cli.exe.
/// Not in tauri.windows.conf.json, since tauri-build checks at every compile that each resource
/// exists, and a plain `cargo build` has not made the release shinchoku-cli.exe.
const WINDOWS_CLI: &str = "packaging/windows/cli.conf.json";

#[test]
fn the_windows_installers_are_japanese_per_user_and_carry_webview2_for_closed_networks() {
    let (config, files) = merged(Target::Windows, &[WINDOWS_CLI]);
    assert!(
        files.iter().any(|f| f.ends_with("tauri.windows.conf.json")),
        "tauri.windows.conf.json was not merged: {files:?}"
    );
    let bundle = &config["bundle"];
    assert_eq!(bundle["targets"], json!(["nsis", "msi"]));
    let windows = &bundle["windows"];
    assert_eq!(windows["nsis"]["languages"], json!(["Japanese"]));
    assert_eq!(windows["nsis"]["installMode"], json!("currentUser"));
    assert_eq!(
        windows["webviewInstallMode"]["type"],
        json!("offlineInstaller")
    );
    assert_eq!(windows["wix"]["language"], json!(["ja-JP"]));
    // Fixed, so that every later MSI replaces an earlier one (docs/install-windows.md).
    assert_eq!(
        windows["wix"]["upgradeCode"],
        json!("06f1f777-1687-567d-a4e6-01c16f1649af")
    );
    // No key of signing is set in the repository: a build signs only with the IT section's own
    // --config file.
    for key in ["certificateThumbprint", "signCommand", "timestampUrl"] {
        assert!(windows[key].is_null(), "{key} is set in the repository");
    }
    // tauri-build needs an .ico for the Windows executable's resources.
    let icons: Vec<&str> = bundle["icon"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let ico = icons.iter().find(|i| i.ends_with(".ico"));
    assert!(
        ico.is_some_and(|i| root().join(i).is_file()),
        "no .ico among {icons:?}"
    );
    // The command line goes into the installation folder beside the app.
    assert_eq!(
        bundle["resources"]["target/release/shinchoku-cli.exe"],
        json!("shinchoku-cli.exe")
    );
    // The merge patch replaces a list: every file the other platforms ship (the licence
    // notices) must still be shipped on Windows, so `resources` is a map on both sides.
    let (base, _) = merged(Target::Linux, &[]);
    let shipped = |resources: &Value| -> Vec<String> {
        match resources {
            Value::Null => Vec::new(),
            Value::Object(map) => map.keys().cloned().collect(),
            other => panic!("bundle.resources must be a map {{source: target}}: {other}"),
        }
    };
    for file in shipped(&base["bundle"]["resources"]) {
        assert!(
            shipped(&bundle["resources"]).contains(&file),
            "{file} is not shipped on Windows"
        );
    }
    // Without the build's --config, every resource is a file of the repository: a plain
    // `cargo build` on Windows compiles (tauri-build refuses a missing resource).
    let (plain, _) = merged(Target::Windows, &[]);
    for file in shipped(&plain["bundle"]["resources"]) {
        assert!(
            root().join(&file).is_file(),
            "{file} is not in the repository"
        );
    }
}

#[test]
fn the_deb_carries_the_command_line_and_a_japanese_menu_entry() {
    let (config, files) = merged(Target::Linux, &[]);
    assert_eq!(
        files.len(),
        1,
        "Linux reads tauri.conf.json alone: {files:?}"
    );
    let bundle = &config["bundle"];
    assert_eq!(bundle["targets"], json!(["deb"]));
    let deb = &bundle["linux"]["deb"];
    assert_eq!(
        deb["files"]["/usr/bin/shinchoku-cli"],
        json!("target/release/shinchoku-cli")
    );
    // The binary is built before the app, so it is there for the bundle (and for tauri-build's
    // check of the Windows resources).
    let before = config["build"]["beforeBuildCommand"].as_str().unwrap_or("");
    assert!(
        before.contains("--bin shinchoku-cli") && before.contains("--release"),
        "build.beforeBuildCommand does not build shinchoku-cli: {before:?}"
    );
    // A double-click on a package or a submission opens the app: the bundle associates their
    // extensions (the ones the core names them with), and on Linux the desktop entry takes
    // the file and the MIME types are known by their glob.
    let associated: Vec<&str> = bundle["fileAssociations"]
        .as_array()
        .expect("file associations")
        .iter()
        .flat_map(|a| {
            a["ext"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_str().unwrap())
        })
        .collect();
    use shinchoku_core::submission::FileKind;
    assert_eq!(
        associated,
        [FileKind::PACKAGE_EXTENSION, FileKind::SUBMISSION_EXTENSION]
    );
    let mime = deb["files"]["/usr/share/mime/packages/shinchoku.xml"]
        .as_str()
        .expect("the MIME types are installed");
    let mime = std::fs::read_to_string(root().join(mime)).unwrap();
    for ext in &associated {
        assert!(
            mime.contains(&format!("<glob pattern=\"*.{ext}\"/>")),
            "{ext}"
        );
    }
    let template = deb["desktopTemplate"].as_str().expect("a desktop template");
    let desktop = std::fs::read_to_string(root().join(template)).unwrap();
    for line in [
        "Name[ja]=",
        "Comment[ja]=",
        "Exec={{exec}} %f",
        "MimeType={{mime_type}}",
        "Icon={{icon}}",
    ] {
        assert!(desktop.contains(line), "{template} has no {line}");
    }
    // The app and the desktop file agree on the window's Japanese name.
    let title = config["app"]["windows"][0]["title"].as_str().unwrap();
    assert!(
        desktop.contains(&format!("Name[ja]={title}")),
        "{template} does not name {title}"
    );
}
