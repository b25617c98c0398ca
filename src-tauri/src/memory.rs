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
