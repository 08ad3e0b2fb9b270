//! The interpreter's own thread: cells, completion and inspection run there, one at a
//! time, with panics caught.

use std::panic::{AssertUnwindSafe, catch_unwind};

use serde_json::Value;
use tokio::sync::oneshot;

use super::publisher::{IopubOutput, Publisher};
use crate::Message;
use crate::interpreter::{
    CancelToken, Completion, ExecuteContext, ExecutionError, Interpreter, IsComplete, MimeBundle,
};

pub(super) type ExecuteOutcome = (Result<Option<MimeBundle>, ExecutionError>, Vec<Value>);

pub(super) enum Job {
    Execute {
        code: String,
        count: u32,
        parent: Box<Message>,
        done: oneshot::Sender<ExecuteOutcome>,
    },
    Complete {
        code: String,
        cursor: usize,
        done: oneshot::Sender<Completion>,
    },
    Inspect {
        code: String,
        cursor: usize,
        detail: u8,
        done: oneshot::Sender<Option<MimeBundle>>,
    },
    IsComplete {
        code: String,
        done: oneshot::Sender<IsComplete>,
    },
}

/// The interpreter's own thread. A panic inside the language becomes an error reply and
/// the kernel keeps serving.
/// The interpreter thread's stack: deep (but bounded) expressions and the query planner's
/// recursion fit with room to spare; only the pages touched are committed.
const INTERPRETER_STACK: usize = 256 << 20;

pub(super) struct Worker {
    pub(super) jobs: std::sync::mpsc::Sender<Job>,
}

impl Worker {
    pub(super) fn spawn(
        mut interpreter: Box<dyn Interpreter>,
        publisher: Publisher,
        cancel: CancelToken,
    ) -> Self {
        let (jobs, rx) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("interpreter".into())
            .stack_size(INTERPRETER_STACK)
            .spawn(move || {
                for job in rx {
                    run_job(interpreter.as_mut(), job, &publisher, &cancel);
                }
            })
            .expect("spawning the interpreter thread");
        Worker { jobs }
    }

    pub(super) async fn ask<T: Default>(&self, make: impl FnOnce(oneshot::Sender<T>) -> Job) -> T {
        let (done, wait) = oneshot::channel();
        if self.jobs.send(make(done)).is_err() {
            return T::default();
        }
        wait.await.unwrap_or_default()
    }

    /// Runs a cell; returns its result and any pager payloads.
    pub(super) async fn execute(
        &self,
        code: String,
        count: u32,
        parent: Message,
    ) -> ExecuteOutcome {
        let stopped = || internal_error("the interpreter thread has stopped");
        let (done, wait) = oneshot::channel();
        let job = Job::Execute {
            code,
            count,
            parent: Box::new(parent),
            done,
        };
        if self.jobs.send(job).is_err() {
            return (Err(stopped()), Vec::new());
        }
        wait.await.unwrap_or_else(|_| (Err(stopped()), Vec::new()))
    }

    pub(super) async fn complete(&self, code: &str, cursor: usize) -> Completion {
        let code = code.to_string();
        self.ask(|done| Job::Complete { code, cursor, done }).await
    }

    pub(super) async fn inspect(
        &self,
        code: &str,
        cursor: usize,
        detail: u8,
    ) -> Option<MimeBundle> {
        let code = code.to_string();
        self.ask(|done| Job::Inspect {
            code,
            cursor,
            detail,
            done,
        })
        .await
    }

    pub(super) async fn is_complete(&self, code: &str) -> IsComplete {
        let code = code.to_string();
        self.ask(|done| Job::IsComplete { code, done }).await
    }
}

pub(super) fn internal_error(what: &str) -> ExecutionError {
    ExecutionError {
        ename: "InternalError".into(),
        evalue: what.into(),
        traceback: vec![
            format!("InternalError: {what}"),
            "The kernel is still running; please report this.".into(),
        ],
    }
}

pub(super) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

pub(super) fn run_job(
    interpreter: &mut dyn Interpreter,
    job: Job,
    publisher: &Publisher,
    cancel: &CancelToken,
) {
    match job {
        Job::Execute {
            code,
            count,
            parent,
            done,
        } => {
            cancel.reset();
            let mut output = IopubOutput {
                publisher,
                parent: &parent,
                pages: Vec::new(),
            };
            let result = catch_unwind(AssertUnwindSafe(|| {
                let mut ctx = ExecuteContext {
                    execution_count: count,
                    output: &mut output,
                    cancel,
                };
                interpreter.execute(&code, &mut ctx)
            }))
            .unwrap_or_else(|payload| Err(internal_error(&panic_message(payload.as_ref()))));
            let _ = done.send((result, output.pages));
        }
        Job::Complete { code, cursor, done } => {
            let result = catch_unwind(AssertUnwindSafe(|| interpreter.complete(&code, cursor)));
            let _ = done.send(result.unwrap_or_default());
        }
        Job::Inspect {
            code,
            cursor,
            detail,
            done,
        } => {
            let result = catch_unwind(AssertUnwindSafe(|| {
                interpreter.inspect(&code, cursor, detail)
            }));
            let _ = done.send(result.unwrap_or_default());
        }
        Job::IsComplete { code, done } => {
            let result = catch_unwind(AssertUnwindSafe(|| interpreter.is_complete(&code)));
            let _ = done.send(result.unwrap_or_default());
        }
    }
}
