//! The engine seam: everything that touches data outside the plan goes through [`Engine`].
//! The API builds lazy plans and calls these; Polars is the local engine (`exec::polars`),
//! and a second engine (Spark Connect) implements the same trait.

use std::path::Path;

use polars::prelude::{DataFrame, LazyFrame};

use super::cache::Cached;
use super::error::{LangError, Span};
use super::io::{Format, Options, SaveMode};
use super::job::JobRows;
use super::output::Watch;
use super::plan::Plan;
use super::value::Frame;
use super::views::Views;

/// An action to run as a job.
#[derive(Debug, Clone, Copy)]
pub struct JobSpec<'a> {
    /// The cell's execution count.
    pub cell: u32,
    /// `show`, `count`, `write.csv`, `%%sql`, …
    pub action: &'a str,
    /// What to record as its row count.
    pub rows: JobRows,
    /// The same query as PySpark calls, where the caller has it: what a remote engine
    /// sends (the local engine runs the LazyFrame).
    pub plan: Option<&'a Plan>,
}

/// A read: `spark.read.format(f).options(...).load(path)`.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The format.
    pub format: Format,
    /// The path as the user wrote it (`/data/...` is resolved by the engine).
    pub path: &'a str,
    /// Reader options.
    pub options: &'a Options,
    /// The path argument, for error carets.
    pub span: Span,
}

/// A write: `df.write.mode(m).options(...).format(f).save(path)`.
#[derive(Debug, Clone, Copy)]
pub struct Sink<'a> {
    /// The format.
    pub format: Format,
    /// The resolved target path.
    pub target: &'a Path,
    /// What to do when it exists.
    pub mode: SaveMode,
    /// Writer options.
    pub options: &'a Options,
    /// The path argument, for error carets.
    pub span: Span,
}

/// How a write ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// New output is in place.
    Done,
    /// Mode `ignore` left existing output as it was.
    Skipped,
}

/// An execution engine for lazy plans.
pub trait Engine: Send {
    /// Shown by `spark`: "lazy Polars", "Spark Connect at sc://…".
    fn describe(&self) -> String;
    /// Resolves a plan's schema (Spark analyses eagerly).
    fn analyze(&self, lf: LazyFrame) -> Result<Frame, LangError>;
    /// A lazy scan of a file or folder.
    fn read(&self, source: &Source<'_>) -> Result<LazyFrame, LangError>;
    /// SQL over the session's temp views.
    fn sql(&self, query: &str, views: &Views) -> Result<LazyFrame, LangError>;
    /// Runs `lf` as a job, polling `watch.cancel` and reporting progress to it.
    fn run(
        &self,
        job: JobSpec<'_>,
        lf: LazyFrame,
        watch: Watch<'_>,
    ) -> Result<DataFrame, LangError>;
    /// The rows of `frame` on this machine, for work the kernel does itself (charts);
    /// `None` when the frame's plan already runs here.
    fn fetch(
        &self,
        job: JobSpec<'_>,
        frame: &Frame,
        watch: Watch<'_>,
    ) -> Result<Option<DataFrame>, LangError>;
    /// Writes `frame`; new output replaces old only once it is complete.
    fn write(
        &self,
        cell: u32,
        frame: &Frame,
        sink: &Sink<'_>,
        watch: Watch<'_>,
    ) -> Result<Written, LangError>;
    /// The plan as `explain()` prints it, under a `== … ==` heading naming the engine.
    fn explain(&self, frame: &Frame) -> Result<String, LangError>;
    /// A plan whose one row holds the number of rows of `lf` in a column `count`,
    /// the cheapest way this engine has.
    fn count_plan(&self, lf: LazyFrame) -> LazyFrame;
    /// The files the plan reads (`inputFiles()`).
    fn input_files(&self, frame: &Frame) -> Result<Vec<String>, LangError>;
    /// Caches `frame` (listed as `name`, at Spark's storage `level`): the first job that
    /// reads it materialises it in memory, later ones reuse the rows.
    fn persist(&self, frame: &Frame, name: &str, level: &str) -> Cached;
    /// Drops cache `id`; false if there was none.
    fn unpersist(&self, id: usize) -> bool;
    /// Drops every cache.
    fn clear_cache(&self);
    /// Sends later queries to the Spark Connect server at `url` (`sc://…`); what `spark`
    /// now shows.
    fn use_remote(&self, url: &str) -> Result<String, LangError>;
    /// Whether its SQL is Spark's whole dialect (table literals, `range()`), so that queries
    /// go to it as written rather than through the kernel's rewrites.
    fn speaks_spark_sql(&self) -> bool;
    /// Makes `frame` queryable by SQL as `name` where the queries run (the session keeps
    /// its own list of views for the catalog).
    fn register_view(&self, name: &str, frame: &Frame) -> Result<(), LangError>;
}
