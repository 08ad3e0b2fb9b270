//! What a cell produces: semantic outputs from the API, rendered into [`Display`]s by the
//! present layer; and the frontend-facing [`Emit`] stream.

use std::sync::Arc;

use polars::prelude::{DataFrame, SchemaRef};

use super::job::{Job, Progress};
use super::value::Value;

/// Something a cell shows: plain text plus an optional HTML twin, and any other
/// representations (a chart's Vega-Lite spec and SVG).
#[derive(Debug, Clone, PartialEq)]
pub struct Display {
    /// `text/plain`.
    pub text: String,
    /// `text/html`.
    pub html: Option<String>,
    /// More MIME types, e.g. `application/vnd.vegalite.v5+json`, `image/svg+xml`.
    pub extra: Vec<(&'static str, serde_json::Value)>,
}

impl Display {
    /// Text only.
    pub fn text(text: impl Into<String>) -> Self {
        Display {
            text: text.into(),
            html: None,
            extra: Vec::new(),
        }
    }
    /// Text and HTML.
    pub fn rich(text: impl Into<String>, html: impl Into<String>) -> Self {
        Display {
            text: text.into(),
            html: Some(html.into()),
            extra: Vec::new(),
        }
    }
}

/// A side output of a running cell, as the frontend receives it.
#[derive(Debug, Clone, PartialEq)]
pub enum Emit {
    /// Printed text (printSchema, explain, notices).
    Stdout(String),
    /// Text printed to standard error (`print(..., file=sys.stderr)`, warnings).
    Stderr(String),
    /// Help text for the frontend's pager (`help(x)`).
    Page(Display),
    /// A rich display (show, tables).
    Display(Display),
    /// Clear the cell's output (`clear_output(wait=...)`).
    ClearOutput(bool),
    /// A display the cell updates in place (a job's progress line): shown the first
    /// time, replaced by later ones with the same `id`.
    Live {
        /// The display id.
        id: String,
        /// What it shows now.
        display: Display,
        /// Whether this is the first showing.
        first: bool,
    },
}

/// What an API call or magic shows, before rendering.
#[derive(Clone)]
pub enum Output {
    /// Text on standard output.
    Stdout(String),
    /// Text on standard error.
    Stderr(String),
    /// Plain text as a result (`%lsmagic`).
    Text(String),
    /// Spark's `show()` grid of `df`, which holds up to `n + 1` rows.
    Grid {
        /// The rows, one more than shown when there are more.
        df: DataFrame,
        /// Rows to show.
        n: usize,
        /// Spark's truncate: 0 = off, else the widest cell.
        truncate: usize,
        /// `-RECORD` blocks instead of a grid.
        vertical: bool,
    },
    /// A value shown the way a cell's result is (`display(x)`).
    Value(Value),
    /// Help on a value, for the pager (`help(x)`).
    Help(Value),
    /// The words behind a prediction (`model.explain(text)`).
    Explanation {
        /// The text explained.
        text: String,
        /// The model's account of it.
        explanation: Arc<faisca_model::Explanation>,
        /// The predicted class' probability.
        probability: f64,
    },
    /// Temp views with their schemas (`%show_tables`).
    Views(Vec<(String, SchemaRef)>),
    /// The job log (`%jobs`).
    Jobs(Vec<Job>),
    /// Clear the cell's output.
    ClearOutput(bool),
}

/// Cooperative interrupt check, polled while actions run.
pub type CancelCheck<'a> = &'a (dyn Fn() -> bool + Sync);

/// Where a running job's progress goes.
pub trait ProgressSink {
    /// Told a few times a second while a job runs, and once when it ends.
    fn report(&self, progress: &Progress);
}

/// What a job runs under: the interrupt check and the progress report.
#[derive(Clone, Copy)]
pub struct Watch<'a> {
    /// Polled while it runs.
    pub cancel: CancelCheck<'a>,
    /// Told how far it is.
    pub report: &'a dyn ProgressSink,
}
