//! The context API entries see while a cell's evaluator runs them: the cell's context,
//! plus calls back into notebook code (`transform("xs", lambda x: x * 2)`,
//! `df.transform(f)`), which only the evaluator can run.

use crate::api::call::{Args, Call};
use crate::api::entry::CallFn;
use crate::core::conf::RuntimeConf;
use crate::core::config::Config;
use crate::core::context::Context;
use crate::core::engine::Engine;
use crate::core::error::{LangError, Span};
use crate::core::job::Job;
use crate::core::output::{CancelCheck, Output, Watch};
use crate::core::value::Value;
use crate::core::views::Views;

use super::eval::Eval;

/// An evaluator lent to an API entry.
pub struct Calling<'e, 's, 'c>(pub &'e mut Eval<'s, 'c>);

impl Eval<'_, '_> {
    /// Runs an API entry with this evaluator as its context.
    pub(super) fn run_entry(&mut self, run: CallFn, call: Call) -> Result<Value, LangError> {
        run(&mut Calling(self), call)
    }
}

impl Context for Calling<'_, '_, '_> {
    fn engine(&self) -> &dyn Engine {
        self.0.ctx.engine()
    }
    fn views(&self) -> &Views {
        self.0.ctx.views()
    }
    fn views_mut(&mut self) -> &mut Views {
        self.0.ctx.views_mut()
    }
    fn conf(&self) -> &RuntimeConf {
        self.0.ctx.conf()
    }
    fn conf_mut(&mut self) -> &mut RuntimeConf {
        self.0.ctx.conf_mut()
    }
    fn config(&self) -> &Config {
        self.0.ctx.config()
    }
    fn emit(&mut self, out: Output) {
        self.0.ctx.emit(out)
    }
    fn cancel(&self) -> CancelCheck<'_> {
        self.0.ctx.cancel()
    }
    fn watch(&self) -> Watch<'_> {
        self.0.ctx.watch()
    }
    fn cell(&self) -> u32 {
        self.0.ctx.cell()
    }
    fn source_at(&self, span: Span) -> &str {
        self.0.ctx.source_at(span)
    }
    fn jobs(&self) -> Vec<Job> {
        self.0.ctx.jobs()
    }
    fn attribute_names(&self, v: &Value) -> Vec<String> {
        self.0.ctx.attribute_names(v)
    }
    fn call_function(
        &mut self,
        name: &str,
        args: Vec<(Value, Span)>,
        span: Span,
    ) -> Option<Result<Value, LangError>> {
        self.0.ctx.call_function(name, args, span)
    }
    fn call_value(
        &mut self,
        f: Value,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        span: Span,
    ) -> Result<Value, LangError> {
        let args = Args {
            pos: args.into_iter().map(|v| (v, span)).collect(),
            kw: kwargs.into_iter().map(|(k, v)| (k, v, span)).collect(),
            span,
        };
        self.0.call(f, args)
    }
    fn params_of(&self, f: &Value) -> Option<Vec<String>> {
        match f {
            Value::UserFn(f) => super::functions::code_of(f)
                .map(|code| code.params.iter().map(|(name, _)| name.clone()).collect()),
            _ => None,
        }
    }
}
