//! Gives freed memory back to the system after each cell. glibc's allocator keeps freed
//! pages of a large result (a million collected rows) mapped, so `rows = None` freed
//! nothing the system could see; `malloc_trim` returns them. It runs on its own thread so
//! a cell's reply never waits for it.

use std::sync::mpsc::{Sender, channel};

/// Asks the trimming thread to run once the current cell is done.
#[derive(Clone)]
pub struct Trimmer(Option<Sender<()>>);

impl Trimmer {
    /// Starts the thread (on glibc; elsewhere trimming does nothing).
    pub fn start() -> Self {
        if !cfg!(all(target_os = "linux", target_env = "gnu")) {
            return Trimmer(None);
        }
        let (tx, rx) = channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("malloc-trim".into())
            .stack_size(64 * 1024)
            .spawn(move || {
                while rx.recv().is_ok() {
                    // Requests that queued up while trimming need one more pass, not many.
                    while rx.try_recv().is_ok() {}
                    trim();
                }
            });
        Trimmer(spawned.ok().map(|_| tx))
    }

    /// Requests a trim; never blocks.
    pub fn request(&self) {
        if let Some(tx) = &self.0 {
            let _ = tx.send(());
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    // SAFETY: malloc_trim only releases free memory; it is thread-safe in glibc.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}
