//! Faísca's language: a PySpark-flavoured DSL on lazy Polars. Knows nothing of ZeroMQ or
//! Jupyter. Layers, bottom up (a module imports only from its own layer or below; see
//! docs/architecture.md):
//!
//! - `core`: spans and errors, values, outputs, the engine trait and the API's context;
//! - `syntax`: tokens, tree, parser;
//! - `api`: the registry of everything a cell can call, and its implementations;
//! - `exec`: the job log and the local Polars engine; `present`: every renderer;
//! - `session`: a notebook's state, driving cell → magic or parse → evaluate → present.

// Errors carry a span, a hint and a related span for the caret report; they are built only
// on failure paths, so their size costs nothing measurable.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod core;
pub mod exec;
pub mod present;
pub mod session;
pub mod syntax;

pub use crate::core::config::Config;
/// The Polars release the engine is built on (the jobs page's Environment tab).
pub const POLARS_VERSION: &str = polars::VERSION;
pub use crate::core::error::{LangError, Span};
pub use crate::core::job::{Job, JobStatus};
pub use crate::core::output::{Display, Emit};
pub use exec::abort::{abort_running_queries, install_query_abort};
pub use exec::dataset;
pub use exec::jobs::JobLog;
pub use exec::polars::CacheStore;
pub use session::{CellError, Readiness, Session};
