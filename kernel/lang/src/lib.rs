//! Faísca's language: a PySpark-flavoured DSL on lazy Polars. Parsing, evaluation, temp
//! views and SQL, magics, rendering and the job log. Knows nothing of ZeroMQ or Jupyter.

// Errors carry a span, a hint and a related span for the caret report; they are built only
// on failure paths, so their size costs nothing measurable.
#![allow(clippy::result_large_err)]

pub mod complete;
pub mod dataset;
pub mod error;
pub mod eval;
pub mod jobs;
pub mod lexer;
pub mod magics;
pub mod parser;
pub mod render;
pub mod session;
pub mod value;
mod write;

pub use complete::Readiness;
pub use error::{LangError, Span};
pub use jobs::{Job, JobLog, JobStatus};
pub use session::{
    CellError, Config, Display, Emit, Session, abort_running_queries, install_query_abort,
};

impl Session {
    /// Completion candidates for `code` at `cursor` (characters).
    pub fn complete(&self, code: &str, cursor: usize) -> (Vec<String>, usize, usize) {
        complete::complete(self, code, cursor)
    }
    /// Help for the name at `cursor`.
    pub fn inspect(&self, code: &str, cursor: usize) -> Option<Display> {
        complete::inspect(self, code, cursor)
    }
    /// Whether `code` can run as is.
    pub fn readiness(&self, code: &str) -> Readiness {
        complete::readiness(code)
    }
}
