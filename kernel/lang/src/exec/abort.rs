//! Interrupts for running Polars queries.

use std::sync::atomic::{AtomicBool, Ordering};

static ABORT_INSTALLED: AtomicBool = AtomicBool::new(false);

/// Lets interrupts stop running Polars queries: installs Polars' abort mechanism (a SIGINT
/// handler that flags running queries). Call once at start; afterwards SIGINT no longer
/// kills the process, it interrupts queries.
pub fn install_query_abort() {
    if !ABORT_INSTALLED.swap(true, Ordering::SeqCst) {
        polars::error::abort::register_polars_abort_mechanism();
    }
}

/// Asks every running Polars query to stop (raises SIGINT on this process, which Polars'
/// handler turns into an abort flag). A no-op until [`install_query_abort`] ran.
pub fn abort_running_queries() {
    if ABORT_INSTALLED.load(Ordering::SeqCst) {
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGINT);
    }
}
