//! The session: variables, temp views, the job log, and cell execution.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use polars::prelude::*;

use crate::error::{LangError, Span};
use crate::jobs::{JobLog, JobStatus};
use crate::parser::{Stmt, parse};
use crate::render;
use crate::value::{Frame, Value};

/// Something a cell shows: plain text plus an optional HTML twin.
#[derive(Debug, Clone, PartialEq)]
pub struct Display {
    /// `text/plain`.
    pub text: String,
    /// `text/html`.
    pub html: Option<String>,
}

impl Display {
    /// Text only.
    pub fn text(text: impl Into<String>) -> Self {
        Display {
            text: text.into(),
            html: None,
        }
    }
    /// Text and HTML.
    pub fn rich(text: impl Into<String>, html: impl Into<String>) -> Self {
        Display {
            text: text.into(),
            html: Some(html.into()),
        }
    }
}

/// A side output of a running cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Emit {
    /// Printed text (printSchema, explain, notices).
    Stdout(String),
    /// Text printed to standard error (`print(..., file=sys.stderr)`).
    Stderr(String),
    /// Help text for the frontend's pager (`help(x)`).
    Page(Display),
    /// A rich display (show, tables).
    Display(Display),
    /// Clear the cell's output (`clear_output(wait=...)`).
    ClearOutput(bool),
}

/// Settings fixed when the kernel starts.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where `/data/...` paths point when `/data` itself does not exist.
    pub data_dir: Option<PathBuf>,
    /// Where `/model/...` paths point when `/model` itself does not exist.
    pub model_dir: Option<PathBuf>,
    /// The most rows a pandas-style table renders.
    pub max_rows: usize,
    /// The jobs page, shown when `spark` is evaluated.
    pub jobs_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: None,
            model_dir: None,
            max_rows: 60,
            jobs_url: None,
        }
    }
}

impl Config {
    /// Reads `FAISCA_DATA_DIR`, `FAISCA_MODEL_DIR` and `FAISCA_MAX_ROWS`.
    pub fn from_env() -> Self {
        let dir = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Config {
            data_dir: dir("FAISCA_DATA_DIR"),
            model_dir: dir("FAISCA_MODEL_DIR"),
            max_rows: std::env::var("FAISCA_MAX_ROWS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(60),
            jobs_url: None,
        }
    }

    /// Maps `/data/...` and `/model/...` to the configured directories, so notebooks work the
    /// same in the container and on a laptop.
    pub fn resolve(&self, path: &str) -> PathBuf {
        for (prefix, dir) in [("/data", &self.data_dir), ("/model", &self.model_dir)] {
            if let Some(dir) = dir
                && (path == prefix || path.starts_with(&format!("{prefix}/")))
            {
                return dir.join(path[prefix.len()..].trim_start_matches('/'));
            }
        }
        PathBuf::from(path)
    }
}

/// Cooperative interrupt check, polled while actions run.
pub type CancelCheck<'a> = &'a (dyn Fn() -> bool + Sync);

/// A notebook's state: variables, temp views and jobs. Survives every error.
pub struct Session {
    pub(crate) vars: HashMap<String, Value>,
    pub(crate) views: BTreeMap<String, Frame>,
    pub(crate) jobs: JobLog,
    pub(crate) config: Config,
}

impl Session {
    /// A fresh session with `spark` defined.
    pub fn new(config: Config) -> Self {
        let mut vars = HashMap::new();
        vars.insert("spark".to_string(), Value::Spark);
        Session {
            vars,
            views: BTreeMap::new(),
            jobs: JobLog::new(),
            config,
        }
    }

    /// The job log, for the jobs page.
    pub fn jobs(&self) -> JobLog {
        self.jobs.clone()
    }

    /// Sets the jobs page address shown by `spark`.
    pub fn set_jobs_url(&mut self, url: Option<String>) {
        self.config.jobs_url = url;
    }

    /// Names of the session's variables.
    pub fn variable_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.vars.keys().cloned().collect();
        names.sort();
        names
    }

    /// Runs a cell. Side outputs go to `emit`; the last expression's value is returned.
    /// On error, variables assigned by earlier statements of the cell are kept, as Python
    /// does; nothing else changes.
    pub fn execute(
        &mut self,
        code: &str,
        cell: u32,
        cancel: CancelCheck<'_>,
        emit: &mut dyn FnMut(Emit),
    ) -> Result<Option<Display>, CellError> {
        let trimmed = code.trim_start();
        if trimmed.starts_with("%%") {
            return crate::magics::cell_magic(self, code, cell, cancel)
                .map_err(|e| CellError::new(e, code));
        }
        // Line magics become blank lines so spans and line numbers stay true.
        let mut masked = String::with_capacity(code.len());
        let mut magics: Vec<(usize, String)> = Vec::new();
        for line in code.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            if body.trim_start().starts_with('%') && !line_in_brackets(&masked) {
                magics.push((masked.len(), body.trim().to_string()));
                masked.push_str(&" ".repeat(body.len()));
                masked.push_str(&line[body.len()..]);
            } else {
                masked.push_str(line);
            }
        }
        let stmts = parse(&masked).map_err(|e| CellError::new(e, code))?;
        enum Step<'s> {
            Stmt(&'s Stmt),
            Magic(&'s str),
        }
        let mut steps: Vec<(usize, Step<'_>)> = stmts
            .iter()
            .map(|s| (stmt_start(s), Step::Stmt(s)))
            .collect();
        steps.extend(magics.iter().map(|(at, m)| (*at, Step::Magic(m.as_str()))));
        steps.sort_by_key(|(at, _)| *at);

        let mut last: Option<Display> = None;
        let n = steps.len();
        for (i, (at, step)) in steps.into_iter().enumerate() {
            let is_last = i + 1 == n;
            let shown = match step {
                Step::Magic(m) => {
                    // Point at the magic's line (it was blanked out of the parsed code).
                    let start = at + (code[at..].len() - code[at..].trim_start().len());
                    crate::magics::line_magic(self, m).map_err(|e| {
                        CellError::new(e.at(Span::new(start, start + m.len())), code)
                    })?
                }
                Step::Stmt(stmt) => {
                    let mut ev = crate::eval::Eval {
                        session: self,
                        src: code,
                        cell,
                        cancel,
                        emit: &mut *emit,
                    };
                    let value = ev.statement(stmt).map_err(|e| CellError::new(e, code))?;
                    match value {
                        Some(v) if is_last => {
                            ev.display_value(&v).map_err(|e| CellError::new(e, code))?
                        }
                        _ => None,
                    }
                }
            };
            if is_last {
                last = shown;
            }
        }
        Ok(last)
    }

    /// Runs `lf` as a job named `action`, polling `cancel`; records it in the job log with
    /// the row count `rows` says.
    pub(crate) fn run_job(
        &self,
        cell: u32,
        action: &str,
        lf: LazyFrame,
        cancel: CancelCheck<'_>,
        rows: JobRows,
    ) -> Result<DataFrame, LangError> {
        let plan = lf
            .clone()
            .describe_optimized_plan()
            .unwrap_or_else(|e| format!("(plan unavailable: {e})"));
        let job = self.jobs.start(cell, action, plan);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name(format!("job-{action}"))
            .spawn(move || {
                // Polars checks its abort flag as the streaming engine polls its tasks; an
                // interrupt sets it (`abort_running_queries`) and the query unwinds to here.
                let run = |engine: Engine| {
                    let lf = lf.clone();
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        polars::error::abort::catch_polars_abort(std::panic::AssertUnwindSafe(
                            // One plan gives one result; `Multiple` only comes from multi-sink plans.
                            || lf.collect_with_engine(engine).map(|r| r.unwrap_single()),
                        ))
                    }))
                };
                // The streaming engine is fast and stops promptly on interrupt; if it hits
                // one of its own bugs (a panic), the in-memory engine runs the plan instead.
                let caught = match run(Engine::Streaming) {
                    Err(panic) => {
                        tracing::warn!(
                            "streaming engine failed ({}); retrying in memory",
                            panic_text(panic.as_ref())
                        );
                        run(Engine::InMemory)
                    }
                    ok => ok,
                };
                let outcome = match caught {
                    Ok(Ok(result)) => QueryOutcome::Done(result),
                    Ok(Err(_aborted)) => QueryOutcome::Aborted,
                    Err(_panic) => QueryOutcome::Broken("the query engine panicked"),
                };
                let _ = tx.send(outcome);
            })
            .map_err(|e| LangError::new("RuntimeError", format!("cannot start job: {e}")))?;
        let outcome = loop {
            match rx.recv_timeout(Duration::from_millis(10)) {
                Ok(outcome) => break outcome,
                // The query thread is abandoned; its result is dropped when it ends.
                Err(RecvTimeoutError::Timeout) if cancel() => break QueryOutcome::Aborted,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    break QueryOutcome::Broken("the query thread stopped");
                }
            }
        };
        match outcome {
            QueryOutcome::Done(Ok(df)) => {
                let shown = match rows {
                    JobRows::All => Some(df.height()),
                    JobRows::AtMost(n) => Some(df.height().min(n)),
                    JobRows::Unknown => None,
                };
                self.jobs.finish(job, JobStatus::Succeeded, shown, None);
                Ok(df)
            }
            QueryOutcome::Aborted => {
                self.jobs
                    .finish(job, JobStatus::Cancelled, None, Some("interrupted".into()));
                Err(interrupted())
            }
            QueryOutcome::Done(Err(e)) => {
                let err = crate::eval::polars_error(e);
                self.jobs
                    .finish(job, JobStatus::Failed, None, Some(err.to_string()));
                Err(err)
            }
            QueryOutcome::Broken(why) => {
                let err = LangError::new("RuntimeError", why);
                self.jobs
                    .finish(job, JobStatus::Failed, None, Some(err.to_string()));
                Err(err)
            }
        }
    }
}

/// What a job reports as its row count.
#[derive(Debug, Clone, Copy)]
pub(crate) enum JobRows {
    /// Every row collected.
    All,
    /// The rows shown: `show(n)` and `%%sql` fetch one more row than they show.
    AtMost(usize),
    /// A sink (a write) returns no rows to count.
    Unknown,
}

/// How a query thread ended.
enum QueryOutcome {
    Done(PolarsResult<DataFrame>),
    Aborted,
    Broken(&'static str),
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

static ABORT_INSTALLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Lets interrupts stop running Polars queries: installs Polars' abort mechanism (a SIGINT
/// handler that flags running queries). Call once at start; afterwards SIGINT no longer
/// kills the process, it interrupts queries.
pub fn install_query_abort() {
    if !ABORT_INSTALLED.swap(true, std::sync::atomic::Ordering::SeqCst) {
        polars::error::abort::register_polars_abort_mechanism();
    }
}

/// Asks every running Polars query to stop (raises SIGINT on this process, which Polars'
/// handler turns into an abort flag). A no-op until [`install_query_abort`] ran.
pub fn abort_running_queries() {
    if ABORT_INSTALLED.load(std::sync::atomic::Ordering::SeqCst) {
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGINT);
    }
}

/// The error an interrupted cell ends with.
pub fn interrupted() -> LangError {
    LangError::new(
        "KeyboardInterrupt",
        "the running job was cancelled; the session's variables are intact",
    )
}

/// Whether the text so far leaves a bracket open (a `%` there is the modulo operator).
fn line_in_brackets(before: &str) -> bool {
    match crate::lexer::tokenize(before) {
        Err(e) => e.incomplete && e.message.contains("never closed"),
        Ok(_) => false,
    }
}

fn stmt_start(stmt: &Stmt) -> usize {
    match stmt {
        Stmt::Assign(targets, _) => targets.first().map_or(0, |(_, s)| s.start),
        Stmt::Expr(e) => e.span.start,
        Stmt::Import { span, .. } => span.start,
    }
}

/// A failed cell: the error and the code its span refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct CellError {
    /// What went wrong.
    pub error: LangError,
    /// The report lines (message, line, caret, hint).
    pub traceback: Vec<String>,
}

impl CellError {
    fn new(error: LangError, code: &str) -> Self {
        let traceback = error.report(code);
        CellError { error, traceback }
    }
}

/// Renders a collected frame the way `show()` does.
pub fn show_display(df: &DataFrame, n: usize, truncate: usize) -> Display {
    Display::rich(
        render::show_grid(df, n, truncate),
        render::show_html(df, n, truncate),
    )
}

/// Suggests the closest of `candidates` to `name`.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
