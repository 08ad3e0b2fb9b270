//! The running cell as the API sees it: the session's views and engine, and an output
//! stream that renders each output as it comes.

use crate::core::conf::RuntimeConf;
use crate::core::config::Config;
use crate::core::context::Context;
use crate::core::engine::Engine;
use crate::core::error::Span;
use crate::core::job::Job;
use std::cell::RefCell;

use crate::core::job::Progress;
use crate::core::output::{CancelCheck, Display, Emit, Output, ProgressSink, Watch};
use crate::core::value::Value;
use crate::core::views::Views;
use crate::exec::jobs::JobLog;
use crate::present::values::{Look, display_value, render};

use super::help::help_page;
use super::progress::LiveProgress;

/// One cell's context.
pub struct CellContext<'a> {
    /// The session's temp views.
    pub views: &'a mut Views,
    /// The engine.
    pub engine: &'a dyn Engine,
    /// Settings.
    pub config: &'a Config,
    /// `spark.conf`.
    pub conf: &'a mut RuntimeConf,
    /// The job log.
    pub jobs: &'a JobLog,
    /// The cell's code, for carets.
    pub src: &'a str,
    /// The cell's execution count.
    pub cell: u32,
    /// The interrupt check.
    pub cancel: CancelCheck<'a>,
    /// Where rendered outputs go (shared with progress reports, which arrive through
    /// `&self` while a job runs).
    pub emit: RefCell<&'a mut dyn FnMut(Emit)>,
    /// The progress line on screen.
    pub live: RefCell<LiveProgress>,
}

impl CellContext<'_> {
    /// Sends a rendered output to the frontend.
    pub fn send(&self, e: Emit) {
        (self.emit.borrow_mut())(e);
    }

    /// Calls `f` with what renderers need to know, now.
    fn with_look<R>(&self, f: impl FnOnce(&Look<'_>) -> R) -> R {
        let engine = self.engine.describe();
        f(&Look {
            max_rows: self.config.max_rows,
            jobs_url: self.config.jobs_url.as_deref(),
            engine: &engine,
            views: self.views.len(),
            cancel: self.cancel,
        })
    }

    /// Renders `out` for the frontend.
    pub fn render(&self, out: Output) -> Option<Emit> {
        if let Output::Help(v) = &out {
            return Some(help_page(v));
        }
        self.with_look(|look| render(out, look))
    }

    /// A value as a cell's result.
    pub fn shown(&self, v: &Value) -> Option<Display> {
        self.with_look(|look| display_value(v, look))
    }
}

impl ProgressSink for CellContext<'_> {
    fn report(&self, progress: &Progress) {
        let next = self.live.borrow_mut().next(progress);
        if let Some(e) = next {
            self.send(e);
        }
    }
}

impl Context for CellContext<'_> {
    fn engine(&self) -> &dyn Engine {
        self.engine
    }
    fn views(&self) -> &Views {
        self.views
    }
    fn views_mut(&mut self) -> &mut Views {
        self.views
    }
    fn conf(&self) -> &RuntimeConf {
        self.conf
    }
    fn conf_mut(&mut self) -> &mut RuntimeConf {
        self.conf
    }
    fn config(&self) -> &Config {
        self.config
    }
    fn emit(&mut self, out: Output) {
        if let Some(e) = self.render(out) {
            self.send(e);
        }
    }
    fn cancel(&self) -> CancelCheck<'_> {
        self.cancel
    }
    fn watch(&self) -> Watch<'_> {
        Watch {
            cancel: self.cancel,
            report: self,
        }
    }
    fn cell(&self) -> u32 {
        self.cell
    }
    fn source_at(&self, span: Span) -> &str {
        self.src
            .get(span.start..span.end.min(self.src.len()))
            .unwrap_or("")
    }
    fn jobs(&self) -> Vec<Job> {
        self.jobs.snapshot()
    }
}
