//! What an API entry may use while it runs: the engine, the session's views, settings,
//! and an output stream. The session implements it; the API sees only this trait.

use super::conf::RuntimeConf;
use super::config::Config;
use super::engine::Engine;
use super::error::{LangError, Span};
use super::job::Job;
use super::output::{CancelCheck, Output, Watch};
use super::value::Value;
use super::views::Views;

/// A running cell, as the API sees it.
pub trait Context {
    /// The engine plans run on.
    fn engine(&self) -> &dyn Engine;
    /// The session's temp views.
    fn views(&self) -> &Views;
    /// The session's temp views, to change.
    fn views_mut(&mut self) -> &mut Views;
    /// `spark.conf`: the session's runtime settings.
    fn conf(&self) -> &RuntimeConf;
    /// `spark.conf`, to change.
    fn conf_mut(&mut self) -> &mut RuntimeConf;
    /// Start-up settings.
    fn config(&self) -> &Config;
    /// Shows something now (before the cell's result).
    fn emit(&mut self, out: Output);
    /// The interrupt check.
    fn cancel(&self) -> CancelCheck<'_>;
    /// The interrupt check and the progress report, for jobs.
    fn watch(&self) -> Watch<'_>;
    /// The cell's execution count.
    fn cell(&self) -> u32;
    /// The text at `span` in the running cell.
    fn source_at(&self, span: Span) -> &str;
    /// A copy of the job log.
    fn jobs(&self) -> Vec<Job>;
    /// Calls the `pyspark.sql.functions` function `name` (any case) with positional
    /// arguments, as a SQL expression calls it; `None` when there is no such function.
    /// Constants from SQL convert to what each parameter takes (`'x'` is text where the
    /// parameter is a string, a literal column where it is a column).
    fn call_function(
        &mut self,
        name: &str,
        args: Vec<(Value, Span)>,
        span: Span,
    ) -> Option<Result<Value, LangError>>;
    /// Calls a callable value — a notebook `def` or `lambda`, or an API function — as
    /// `f(*args, **kwargs)` in a cell would. Only a cell's evaluator runs notebook code.
    fn call_value(
        &mut self,
        f: Value,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        span: Span,
    ) -> Result<Value, LangError> {
        let _ = (args, kwargs, span);
        Err(LangError::type_error(format!(
            "'{}' cannot be called here",
            f.type_name()
        )))
    }
    /// The parameter names of a notebook function (`lambda k, v: …` → `k`, `v`); `None`
    /// for anything else.
    fn params_of(&self, f: &Value) -> Option<Vec<String>> {
        let _ = f;
        None
    }
    /// The API's attribute names on `v` (a module's functions, an object's methods and
    /// properties), for `dir()`.
    fn attribute_names(&self, v: &Value) -> Vec<String>;
}
