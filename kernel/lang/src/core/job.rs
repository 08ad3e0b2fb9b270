//! One record per action (show, count, write, …), like a job in Spark's Web UI.

use chrono::{DateTime, Utc};

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// Still executing.
    Running,
    /// Finished.
    Succeeded,
    /// Raised an error.
    Failed,
    /// Stopped by an interrupt.
    Cancelled,
}

impl JobStatus {
    /// Spark's wording.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Running => "RUNNING",
            JobStatus::Succeeded => "SUCCEEDED",
            JobStatus::Failed => "FAILED",
            JobStatus::Cancelled => "CANCELLED",
        }
    }
}

/// One executed action.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// 0, 1, 2, … in start order.
    pub id: usize,
    /// The notebook cell's execution count.
    pub cell: u32,
    /// What triggered it: `show`, `count`, `write.csv`, `%%sql`, …
    pub action: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// Wall time, once finished.
    pub duration_ms: Option<f64>,
    /// Rows produced, once finished.
    pub rows: Option<usize>,
    /// Where it is.
    pub status: JobStatus,
    /// The optimized plan that ran.
    pub plan: String,
    /// The error, for failed jobs.
    pub error: Option<String>,
    /// Input bytes read, as last measured (a lower bound once the job ends).
    pub bytes_read: Option<u64>,
    /// The inputs' total size, when the job reads files.
    pub bytes_total: Option<u64>,
    /// Bytes of files' columns it read from memory instead of parsing the files.
    pub in_memory: Option<u64>,
}

/// A running job as the engine reports it, a few times a second, and once when it ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The job's id in the log.
    pub job: usize,
    /// `show`, `count`, …
    pub action: String,
    /// Wall time so far.
    pub elapsed: std::time::Duration,
    /// Input bytes read so far.
    pub bytes_read: u64,
    /// The inputs' total size, when the job reads files.
    pub bytes_total: Option<u64>,
    /// How it ended: status and rows; `None` while it runs.
    pub end: Option<(JobStatus, Option<usize>)>,
}

/// What a job reports as its row count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobRows {
    /// Every row collected.
    All,
    /// The rows shown: `show(n)` and `%%sql` fetch one more row than they show.
    AtMost(usize),
    /// A sink (a write) returns no rows to count.
    Unknown,
}
