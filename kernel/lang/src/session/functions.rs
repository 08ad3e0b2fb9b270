//! Functions the notebook defines: `def` and `lambda`. A call runs the body with its own
//! variables; names it does not assign are read from the notebook's variables at call
//! time, as Python reads globals.

use std::collections::HashMap;
use std::sync::Arc;

use crate::api::call::Args;
use crate::core::error::{LangError, Span};
use crate::core::plan::{Arg, Plan};
use crate::core::types::spark_type;
use crate::core::value::{UserFn, Value};
use crate::syntax::ast::{Expr, Param, Stmt};

use super::blocks::Flow;
use super::eval::Eval;

/// Calls nest at most this deep: past it, a RecursionError rather than a crash.
pub const MAX_CALL_DEPTH: usize = 200;

/// What runs when the function is called.
pub enum Body {
    /// A `def`'s statements.
    Block(Vec<Stmt>),
    /// A `lambda`'s expression.
    Expr(Expr),
}

/// A defined function's code: parameters (with defaults evaluated at definition) and body.
pub struct Code {
    /// `(name, default)` in order.
    pub params: Vec<(String, Option<Value>)>,
    /// The body.
    pub body: Body,
}

/// Wraps code as a value.
pub fn make(name: &str, code: Code) -> Value {
    Value::UserFn(UserFn {
        name: name.into(),
        code: Arc::new(code),
        returns: None,
    })
}

/// The code inside a function value.
pub fn code_of(f: &UserFn) -> Option<&Code> {
    f.code.downcast_ref::<Code>()
}

/// The function's own variables from the call's arguments, as Python binds them.
pub fn bind(
    name: &str,
    code: &Code,
    positional: Vec<Value>,
    keywords: Vec<(String, Value, Span)>,
) -> Result<HashMap<String, Value>, LangError> {
    if positional.len() > code.params.len() {
        return Err(LangError::type_error(format!(
            "{name}() takes {} positional argument{} but {} were given",
            code.params.len(),
            if code.params.len() == 1 { "" } else { "s" },
            positional.len()
        )));
    }
    let mut locals: HashMap<String, Value> = HashMap::new();
    for ((p, _), v) in code.params.iter().zip(positional) {
        locals.insert(p.clone(), v);
    }
    for (k, v, span) in keywords {
        if !code.params.iter().any(|(p, _)| *p == k) {
            return Err(LangError::type_error(format!(
                "{name}() got an unexpected keyword argument '{k}'"
            ))
            .at(span));
        }
        if locals.insert(k.clone(), v).is_some() {
            return Err(LangError::type_error(format!(
                "{name}() got multiple values for argument '{k}'"
            ))
            .at(span));
        }
    }
    let mut missing = Vec::new();
    for (p, default) in &code.params {
        if !locals.contains_key(p) {
            match default {
                Some(d) => {
                    locals.insert(p.clone(), d.clone());
                }
                None => missing.push(format!("'{p}'")),
            }
        }
    }
    if !missing.is_empty() {
        return Err(LangError::type_error(format!(
            "{name}() missing {} required positional argument{}: {}",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            missing.join(" and ")
        )));
    }
    Ok(locals)
}

impl Eval<'_, '_> {
    /// `def name(params): body` binds the function to `name`.
    pub(super) fn define(
        &mut self,
        name: &str,
        params: &[Param],
        body: &[Stmt],
    ) -> Result<(), LangError> {
        let params = self.param_defaults(params)?;
        let f = make(
            name,
            Code {
                params,
                body: Body::Block(body.to_vec()),
            },
        );
        self.vars.insert(name.to_string(), f);
        Ok(())
    }

    /// `lambda params: body` as a function value.
    pub(super) fn lambda(&mut self, params: &[Param], body: &Expr) -> Result<Value, LangError> {
        let params = self.param_defaults(params)?;
        Ok(make(
            "<lambda>",
            Code {
                params,
                body: Body::Expr(body.clone()),
            },
        ))
    }

    /// Parameters with their defaults evaluated now, as Python does at `def`.
    pub(super) fn param_defaults(
        &mut self,
        params: &[Param],
    ) -> Result<Vec<(String, Option<Value>)>, LangError> {
        params
            .iter()
            .map(|p| {
                let d = p.default.as_ref().map(|e| self.expr(e)).transpose()?;
                Ok((p.name.clone(), d))
            })
            .collect()
    }

    /// Runs a notebook-defined function with its own variables.
    pub(super) fn call_user(&mut self, f: &UserFn, args: Args) -> Result<Value, LangError> {
        let Some(code) = code_of(f) else {
            return Err(LangError::type_error(format!(
                "'{}' cannot be called",
                f.name
            )));
        };
        if self.depth >= MAX_CALL_DEPTH {
            return Err(LangError::new(
                "RecursionError",
                format!(
                    "maximum recursion depth exceeded ({} calls deep)",
                    MAX_CALL_DEPTH
                ),
            )
            .with_hint("recursion this deep needs a loop instead"));
        }
        // A UDF takes columns: a string names one, as in PySpark.
        let udf_args: Option<Vec<String>> = f.returns.as_ref().map(|_| {
            args.pos
                .iter()
                .map(|(v, _)| match v {
                    Value::Column(c) => c.name.clone(),
                    Value::Str(s) => s.clone(),
                    other => other.repr(),
                })
                .collect()
        });
        let positional: Vec<Value> = args
            .pos
            .into_iter()
            .map(|(v, _)| match (&f.returns, v) {
                (Some(_), Value::Str(name)) => {
                    Value::Column(Box::new(crate::api::convert::plain_col(&name)))
                }
                (_, v) => v,
            })
            .collect();
        let mut locals = bind(&f.name, code, positional, args.kw)?;
        let globals: &HashMap<String, Value> = match self.globals {
            Some(g) => g,
            None => self.vars,
        };
        let mut inner = Eval {
            vars: &mut locals,
            globals: Some(globals),
            depth: self.depth + 1,
            ctx: &mut *self.ctx,
        };
        // Each call nests the evaluator once more; grow the stack rather than overflow it.
        let result =
            stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || inner.run_body(&code.body));
        match (&f.returns, udf_args) {
            (Some(returns), Some(names)) => udf_result(&f.name, returns, &names, result),
            _ => result,
        }
    }

    fn run_body(&mut self, body: &Body) -> Result<Value, LangError> {
        let inner = self;
        match body {
            Body::Expr(e) => inner.expr(e),
            Body::Block(body) => {
                for stmt in body {
                    match inner.exec(stmt)? {
                        Flow::Return(v) => return Ok(v),
                        Flow::Next(_) => {}
                        // The parser keeps loop jumps inside their loops.
                        Flow::Break | Flow::Continue => break,
                    }
                }
                Ok(Value::None)
            }
        }
    }
}

/// A UDF's result: its body ran once on whole columns, so it is a column expression,
/// cast to the declared type and named `f(args)` as Spark names a UDF's column.
fn udf_result(
    name: &str,
    returns: &polars::prelude::DataType,
    args: &[String],
    result: Result<Value, LangError>,
) -> Result<Value, LangError> {
    let hint = "a pandas UDF here runs as column arithmetic (s + 1, s * 2, sf.upper(s), …); \
                pandas methods (apply, map, .str, …) need pandas, which Faísca does not run";
    match result {
        Ok(Value::Column(c)) => {
            let shown = format!("{name}({})", args.join(", "));
            let mut out =
                crate::core::value::Column::new(c.expr.cast(returns.clone()), shown.clone());
            // `body.cast(type).alias(name)`: an engine elsewhere runs the body's calls.
            let cast = Arc::new(Plan::Call {
                name: "cast",
                receiver: Some(c.plan.clone()),
                args: vec![(
                    "dataType",
                    Arg::Literal(Value::Str(spark_type(returns)).repr()),
                )],
            });
            out.plan = Arc::new(Plan::Call {
                name: "alias",
                receiver: Some(cast),
                args: vec![("alias", Arg::Literal(Value::Str(shown).repr()))],
            });
            Ok(Value::Column(Box::new(out)))
        }
        Ok(other) => Err(LangError::unsupported(format!(
            "the UDF `{name}` returned {} instead of a column expression",
            other.type_name()
        ))
        .with_hint(hint)),
        Err(e) => Err(e.with_hint(hint)),
    }
}
