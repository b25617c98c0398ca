//! The window's memory. On Linux, WebKitGTK's page is drawn without GPU compositing (see
//! [`draw_without_compositing`]).
//!
//! The app process's memory after a large, short-lived peak. Reading the report for the window
//! (2,000 measures × 4 years: the report, its view and the JSON, about 3 MB of it) frees
//! everything at once when the answer has gone, yet glibc keeps the freed pages of its per-thread
//! arenas: 34 MB of PSS stayed with the process. `malloc_trim` gives them back.

/// Long enough for the answer to have been handed to the window and its buffers freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const AFTER_THE_ANSWER: std::time::Duration = std::time::Duration::from_secs(2);

/// Gives the freed heap back to the OS a moment after the current command has answered (glibc
/// only: `malloc_trim` exists nowhere else, and elsewhere nothing is done).
pub fn release_freed_memory_soon() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    std::thread::spawn(|| {
        std::thread::sleep(AFTER_THE_ANSWER);
        // SAFETY: malloc_trim only returns free pages of the allocator's own heaps to the OS; it
        // touches no memory in use and is safe to call from any thread at any time.
        unsafe {
            libc::malloc_trim(0);
        }
    });
}

/// Draws the page without accelerated compositing, on Linux (WebKitGTK; WebView2 on Windows is
/// left as it is). A page of forms and text gains nothing from the GPU layers, and they cost the
/// most of its memory: measured on a PC without a GPU (Mesa's software GL, BENCHMARKS.md), the
/// web process of the 2,000-measure report took 265–304 MB composited and 160 MB without. The
/// IT section can still turn compositing on with WebKitGTK's own `WEBKIT_FORCE_COMPOSITING_MODE=1`.
pub fn draw_without_compositing(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        if std::env::var_os("WEBKIT_FORCE_COMPOSITING_MODE").is_some() {
            return;
        }
        let Some(window) = app.get_webview_window("main") else {
            return;
        };
        let done = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = WebViewExt::settings(&webview.inner()) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
        if let Err(e) = done {
            tracing::warn!("compositing left on: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}
