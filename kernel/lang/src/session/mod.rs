//! The top layer: a notebook's session. Drives each cell: magic or parse, evaluate
//! through the API registry, present the results.

mod blocks;
mod calling;
mod complete;
mod context;
mod eval;
mod functions;
mod help;
mod magics;
mod progress;

use std::collections::HashMap;

use crate::core::conf::RuntimeConf;
use crate::core::config::Config;
use crate::core::engine::Engine;
use crate::core::error::{LangError, interrupted};
use crate::core::output::{CancelCheck, Display, Emit};
use crate::core::value::Value;
use crate::core::views::Views;
use crate::exec::engines::Engines;
use crate::exec::jobs::JobLog;
use crate::exec::polars::{CacheStore, PolarsEngine};
use crate::syntax::ast::Stmt;
use crate::syntax::parser::parse;

pub use complete::Readiness;
use context::CellContext;
use eval::Eval;

/// A notebook's state: variables, temp views and jobs. Survives every error.
pub struct Session {
    vars: HashMap<String, Value>,
    views: Views,
    jobs: JobLog,
    cache: CacheStore,
    engine: Box<dyn Engine>,
    config: Config,
    conf: RuntimeConf,
}

impl Session {
    /// A fresh session with `spark` defined, on the local Polars engine (or the Spark
    /// Connect server of `config.remote`).
    pub fn new(config: Config) -> Self {
        let jobs = JobLog::new();
        let cache = CacheStore::default();
        let local = PolarsEngine::new(jobs.clone(), cache.clone(), config.clone());
        let remote = config.remote.clone();
        let engine = Box::new(Engines::new(local, remote, jobs.clone(), config.clone()));
        let mut vars = HashMap::new();
        vars.insert("spark".to_string(), Value::Spark);
        Session {
            vars,
            views: Views::default(),
            jobs,
            cache,
            engine,
            config,
            conf: RuntimeConf::default(),
        }
    }

    /// The job log, for the jobs page.
    pub fn jobs(&self) -> JobLog {
        self.jobs.clone()
    }

    /// The cached DataFrames, for the jobs page's Storage tab.
    pub fn cache(&self) -> CacheStore {
        self.cache.clone()
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

    /// Completion candidates for `code` at `cursor` (characters).
    pub fn complete(&self, code: &str, cursor: usize) -> (Vec<String>, usize, usize) {
        complete::complete(&self.vars, &self.views, code, cursor)
    }

    /// Help for the name at `cursor`.
    pub fn inspect(&self, code: &str, cursor: usize) -> Option<Display> {
        complete::inspect(&self.vars, self.engine.as_ref(), code, cursor)
    }

    /// Whether `code` can run as is.
    pub fn readiness(&self, code: &str) -> Readiness {
        complete::readiness(code)
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
        let done = self.run_cell(code, cell, cancel, emit)?;
        // Work that checks `cancel` without failing (rendering stops early) ends here.
        if cancel() {
            return Err(CellError::new(interrupted(), code));
        }
        Ok(done)
    }

    fn run_cell(
        &mut self,
        code: &str,
        cell: u32,
        cancel: CancelCheck<'_>,
        emit: &mut dyn FnMut(Emit),
    ) -> Result<Option<Display>, CellError> {
        let Session {
            vars,
            views,
            jobs,
            engine,
            config,
            conf,
            ..
        } = self;
        let mut ctx = CellContext {
            views,
            engine: engine.as_ref(),
            config,
            conf,
            jobs,
            src: code,
            cell,
            cancel,
            emit: std::cell::RefCell::new(emit),
            live: Default::default(),
        };
        if code.trim_start().starts_with("%%") {
            let done = magics::cell_magic(&mut ctx, code).map_err(|e| CellError::new(e, code))?;
            return Ok(finish_magic(&mut ctx, vars, done));
        }
        let (masked, magics) = blank_line_magics(code);
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
                    let done = magics::line_magic(&mut ctx, m, start)
                        .map_err(|e| CellError::new(e, code))?;
                    finish_magic(&mut ctx, vars, done)
                }
                Step::Stmt(stmt) => {
                    let mut ev = Eval {
                        vars: &mut *vars,
                        globals: None,
                        depth: 0,
                        ctx: &mut ctx,
                    };
                    let value = ev.statement(stmt).map_err(|e| CellError::new(e, code))?;
                    match value {
                        Some(v) if is_last => ctx.shown(&v),
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
}

/// Stores what a magic asked to store and renders its result.
fn finish_magic(
    ctx: &mut CellContext<'_>,
    vars: &mut HashMap<String, Value>,
    done: crate::api::magics::MagicResult,
) -> Option<Display> {
    if done.reset {
        vars.retain(|name, _| name == "spark");
        vars.entry("spark".to_string()).or_insert(Value::Spark);
    }
    if let Some((name, value)) = done.store {
        vars.insert(name, value);
    }
    match ctx.render(done.output?)? {
        Emit::Display(d) => Some(d),
        other => {
            ctx.send(other);
            None
        }
    }
}

/// The cell with its line magics blanked out (so spans and line numbers stay true), and
/// each magic with where it was.
fn blank_line_magics(code: &str) -> (String, Vec<(usize, String)>) {
    let mut masked = String::with_capacity(code.len());
    let mut magics = Vec::new();
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
    (masked, magics)
}

/// Whether the text so far leaves a bracket open (a `%` there is the modulo operator).
fn line_in_brackets(before: &str) -> bool {
    match crate::syntax::lexer::tokenize(before) {
        Err(e) => e.incomplete && e.message.contains("never closed"),
        Ok(_) => false,
    }
}

fn stmt_start(stmt: &Stmt) -> usize {
    match stmt {
        Stmt::Assign(targets, _) => targets.first().map_or(0, |(_, s)| s.start),
        Stmt::Expr(e) => e.span.start,
        Stmt::Del(names) => names.first().map_or(0, |(_, s)| s.start),
        Stmt::Import { span, .. }
        | Stmt::Try { span, .. }
        | Stmt::Assert { span, .. }
        | Stmt::For { span, .. }
        | Stmt::While { span, .. }
        | Stmt::If { span, .. }
        | Stmt::With { span, .. }
        | Stmt::Def { span, .. }
        | Stmt::Return(_, span)
        | Stmt::Break(span)
        | Stmt::Continue(span) => span.start,
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
