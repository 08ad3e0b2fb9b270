//! Blocks: `for`, `while`, `if` and `with`, and the `break`/`continue` they pass along.

use std::sync::Arc;

use crate::api::operators::truthy;
use crate::core::error::{LangError, Span};
use crate::core::value::Value;

/// Where control goes after a statement.
pub enum Flow {
    /// On to the next statement; an expression statement's value.
    Next(Option<Value>),
    /// Out of the innermost loop.
    Break,
    /// To the innermost loop's next round.
    Continue,
    /// Out of the function, with its result.
    Return(Value),
}

/// The items a `for` walks over, or an error naming what cannot be iterated.
pub fn items_of(v: Value, span: Span) -> Result<Vec<Value>, LangError> {
    Ok(match v {
        Value::List(items) | Value::Tuple(items) => items.to_vec(),
        Value::Dict(pairs) => pairs.iter().map(|(k, _)| k.clone()).collect(),
        Value::Row(fields) => fields.into_iter().map(|(_, v)| v).collect(),
        Value::Str(s) => s.chars().map(|c| Value::Str(c.to_string())).collect(),
        Value::Column(_) => {
            return Err(LangError::type_error("Column is not iterable")
                .at(span)
                .with_hint("a Column is an expression over every row: select it, or collect() the DataFrame and loop over its rows"));
        }
        Value::Frame(_) => {
            return Err(LangError::type_error("'DataFrame' object is not iterable")
                .at(span)
                .with_hint(
                    "loop over df.collect() for its rows, or df.columns for its column names",
                ));
        }
        other => {
            return Err(LangError::type_error(format!(
                "'{}' object is not iterable",
                other.type_name()
            ))
            .at(span));
        }
    })
}

/// A condition's truth; a Column has none, as PySpark says.
pub fn condition(v: &Value, span: Span) -> Result<bool, LangError> {
    if matches!(v, Value::Column(_)) {
        return Err(LangError::new(
            "PySparkValueError",
            "[CANNOT_CONVERT_COLUMN_INTO_BOOL] Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not' when building DataFrame boolean expressions.",
        )
        .at(span));
    }
    Ok(truthy(v))
}

/// `__enter__`: the manager and the value `as` binds.
pub fn enter(manager: Value, span: Span) -> Result<(Value, Value), LangError> {
    match &manager {
        Value::TempDir(path) => {
            let bound = Value::Str(path.to_string());
            Ok((manager, bound))
        }
        other => Err(LangError::type_error(format!(
            "'{}' object does not support the context manager protocol",
            other.type_name()
        ))
        .at(span)
        .with_hint("Faísca's context managers: tempfile.TemporaryDirectory()")),
    }
}

/// `__exit__`: a temporary directory goes away with what is in it.
pub fn exit(manager: &Value) {
    if let Value::TempDir(path) = manager {
        let _ = std::fs::remove_dir_all(Arc::as_ref(path));
    }
}
