//! The job log: one record per action, like Spark's Web UI. Shared with the jobs page,
//! which only reads it.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::Utc;

use crate::core::job::{Job, JobStatus};

/// A cheaply cloneable handle on the session's jobs.
#[derive(Debug, Clone, Default)]
pub struct JobLog {
    jobs: Arc<Mutex<Vec<Job>>>,
}

/// A job in progress; finish it with [`JobLog::finish`].
#[derive(Debug)]
pub struct RunningJob {
    id: usize,
    started: Instant,
}

impl RunningJob {
    /// Its id in the log.
    pub fn id(&self) -> usize {
        self.id
    }
}

impl JobLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Job>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records the start of a job.
    pub fn start(&self, cell: u32, action: &str, plan: String) -> RunningJob {
        let mut jobs = self.lock();
        let id = jobs.len();
        jobs.push(Job {
            id,
            cell,
            action: action.to_string(),
            started_at: Utc::now(),
            duration_ms: None,
            rows: None,
            status: JobStatus::Running,
            plan,
            error: None,
            bytes_read: None,
            bytes_total: None,
            in_memory: None,
        });
        RunningJob {
            id,
            started: Instant::now(),
        }
    }

    /// Records how far a running job has read.
    pub fn progress(&self, job: &RunningJob, bytes_read: u64, bytes_total: Option<u64>) {
        let mut jobs = self.lock();
        if let Some(j) = jobs.get_mut(job.id) {
            j.bytes_read = Some(bytes_read);
            j.bytes_total = bytes_total;
        }
    }

    /// Records that a job read `bytes` of kept file columns instead of parsing the files.
    pub fn in_memory(&self, job: &RunningJob, bytes: u64) {
        if let Some(j) = self.lock().get_mut(job.id) {
            j.in_memory = Some(bytes);
        }
    }

    /// Adds a line to a job's plan: how it ran, known once it has.
    pub fn add_to_plan(&self, job: &RunningJob, line: &str) {
        if let Some(j) = self.lock().get_mut(job.id) {
            j.plan.push('\n');
            j.plan.push_str(line);
        }
    }

    /// Records how a job ended.
    pub fn finish(
        &self,
        job: RunningJob,
        status: JobStatus,
        rows: Option<usize>,
        error: Option<String>,
    ) {
        let mut jobs = self.lock();
        if let Some(j) = jobs.get_mut(job.id) {
            j.duration_ms = Some(job.started.elapsed().as_secs_f64() * 1000.0);
            j.status = status;
            j.rows = rows;
            j.error = error;
        }
    }

    /// A copy of every job, oldest first.
    pub fn snapshot(&self) -> Vec<Job> {
        self.lock().clone()
    }

    /// One job by id.
    pub fn get(&self, id: usize) -> Option<Job> {
        self.lock().get(id).cloned()
    }

    /// How many jobs ran.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no job ran yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_start_and_finish() {
        let log = JobLog::new();
        let job = log.start(3, "show", "plan".into());
        assert_eq!(log.snapshot()[0].status, JobStatus::Running);
        log.finish(job, JobStatus::Succeeded, Some(4), None);
        let j = log.get(0).unwrap();
        assert_eq!(
            (j.cell, j.action.as_str(), j.rows, j.status),
            (3, "show", Some(4), JobStatus::Succeeded)
        );
        assert!(j.duration_ms.is_some());
        assert_eq!(log.len(), 1);
    }
}
