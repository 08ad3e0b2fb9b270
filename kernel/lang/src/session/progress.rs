//! The live progress line: nothing for fast jobs; past half a second a line that updates
//! in place a few times a second; at the end, a one-line summary in its place.

use std::time::{Duration, Instant};

use crate::core::job::Progress;
use crate::core::output::Emit;
use crate::present::progress::{progress_display, summary_display};

/// Jobs shorter than this show nothing.
const SHOW_AFTER: Duration = Duration::from_millis(500);
/// Updates at most this often (each is an IOPub message).
const UPDATE_EVERY: Duration = Duration::from_millis(200);

/// Which job's line is on screen and when it last changed.
#[derive(Debug, Default)]
pub struct LiveProgress {
    shown: Option<usize>,
    updated: Option<Instant>,
}

/// The display id of job `job`'s line: unique across kernels feeding one frontend.
fn display_id(job: usize) -> String {
    format!("faisca-{}-job-{job}", std::process::id())
}

impl LiveProgress {
    /// What to send for this report, if anything.
    pub fn next(&mut self, p: &Progress) -> Option<Emit> {
        let id = display_id(p.job);
        if p.end.is_some() {
            // Only a line that was shown becomes a summary.
            return (self.shown == Some(p.job)).then(|| Emit::Live {
                id,
                display: summary_display(p),
                first: false,
            });
        }
        if p.elapsed < SHOW_AFTER {
            return None;
        }
        let first = self.shown != Some(p.job);
        if !first && self.updated.is_some_and(|t| t.elapsed() < UPDATE_EVERY) {
            return None;
        }
        self.shown = Some(p.job);
        self.updated = Some(Instant::now());
        Some(Emit::Live {
            id,
            display: progress_display(p),
            first,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::job::JobStatus;

    fn at(ms: u64, end: Option<(JobStatus, Option<usize>)>) -> Progress {
        Progress {
            job: 7,
            action: "count".into(),
            elapsed: Duration::from_millis(ms),
            bytes_read: 0,
            bytes_total: None,
            end,
        }
    }

    #[test]
    fn fast_jobs_show_nothing() {
        let mut live = LiveProgress::default();
        assert!(live.next(&at(450, None)).is_none());
        assert!(
            live.next(&at(480, Some((JobStatus::Succeeded, Some(1)))))
                .is_none()
        );
    }

    #[test]
    fn slow_jobs_show_a_line_then_its_summary() {
        let mut live = LiveProgress::default();
        match live.next(&at(600, None)) {
            Some(Emit::Live {
                first: true, id, ..
            }) => assert!(id.ends_with("-job-7")),
            other => panic!("{other:?}"),
        }
        // Too soon for another update.
        assert!(live.next(&at(650, None)).is_none());
        match live.next(&at(900, Some((JobStatus::Succeeded, Some(3))))) {
            Some(Emit::Live {
                first: false,
                display,
                ..
            }) => {
                assert_eq!(display.text, "job 7 · 3 rows · 0.9 s")
            }
            other => panic!("{other:?}"),
        }
    }
}
