//! Functions the notebook defines: `def` and `lambda`. A call runs the body with its own
//! variables; names it does not assign are read from the notebook's variables at call
//! time, as Python reads globals.

use std::collections::HashMap;
use std::sync::Arc;

use crate::core::error::{LangError, Span};
use crate::core::value::{UserFn, Value};
use crate::syntax::ast::{Expr, Stmt};

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
        name: name.to_string(),
        code: Arc::new(code),
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
