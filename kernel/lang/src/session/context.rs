//! The running cell as the API sees it: the session's views and engine, and an output
//! stream that renders each output as it comes.

use crate::api::call::{Args, bind};
use crate::api::entry::Kind;
use crate::api::registry::registry;
use crate::api::signature::{ParamKind, Ty};
use crate::core::conf::RuntimeConf;
use crate::core::config::Config;
use crate::core::context::Context;
use crate::core::engine::Engine;
use crate::core::error::{LangError, Span};
use crate::core::job::Job;
use std::cell::RefCell;

use crate::core::job::Progress;
use crate::core::output::{CancelCheck, Display, Emit, Output, ProgressSink, Watch};
use crate::core::value::{Module, Receiver, Value};
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

    fn attribute_names(&self, v: &Value) -> Vec<String> {
        let reg = registry();
        let names = match v {
            Value::Module(m) => reg.module_names(*m),
            other => match other.receiver() {
                Some(r) if r != Receiver::Global => reg.names(r),
                _ => Vec::new(),
            },
        };
        names.into_iter().map(str::to_string).collect()
    }

    fn call_function(
        &mut self,
        name: &str,
        args: Vec<(Value, Span)>,
        span: Span,
    ) -> Option<Result<Value, LangError>> {
        let reg = registry();
        let id = reg
            .in_module(Module::Functions, name)
            .or_else(|| sql_alias(name).and_then(|n| reg.in_module(Module::Functions, n)))?;
        let Kind::Method(run) = reg.entry(id).kind else {
            return None;
        };
        let sig = reg.signature(id);
        let positional: Vec<_> = sig
            .params
            .iter()
            .filter(|p| p.kind != ParamKind::KeywordOnly && p.kind != ParamKind::VarKw)
            .collect();
        let pos = args
            .into_iter()
            .enumerate()
            .map(|(i, (v, s))| {
                let param = positional
                    .get(i)
                    .or_else(|| positional.iter().find(|p| p.kind == ParamKind::VarArgs));
                (param.map_or(v.clone(), |p| sql_argument(v, p.ty, s)), s)
            })
            .collect();
        let call = Args {
            pos,
            kw: Vec::new(),
            span,
        };
        Some(bind(sig, Value::None, call).and_then(|c| run(self, c)))
    }
}

/// SQL's names for functions PySpark spells otherwise.
fn sql_alias(name: &str) -> Option<&'static str> {
    Some(match name {
        "substr" => "substring",
        "len" | "char_length" | "character_length" => "length",
        "ucase" => "upper",
        "lcase" => "lower",
        "power" => "pow",
        "std" => "stddev",
        _ => return None,
    })
}

/// A value from SQL as parameter type `ty` takes it: SQL's `'text'` (a literal column)
/// is text where the parameter takes a string but no column; a number is a literal
/// column where the parameter takes a column but no number.
fn sql_argument(v: Value, ty: Ty, span: Span) -> Value {
    if ty.accepts(&v) {
        return v;
    }
    match &v {
        Value::Column(c) => match &c.expr {
            polars::prelude::Expr::Literal(l) => l
                .extract_str()
                .map_or(v.clone(), |s| Value::Str(s.to_string())),
            _ => v,
        },
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::None => {
            crate::api::convert::literal(&v, span).map_or(v, |c| Value::Column(Box::new(c)))
        }
        _ => v,
    }
}
