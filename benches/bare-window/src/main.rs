// The bare window: Tauri's defaults, the page in dist/, no commands, no plugins.
fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the bare window did not start");
}
