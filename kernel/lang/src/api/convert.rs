//! Python values as the API's argument types: strings, numbers, columns, literals.

use polars::prelude::{DataType, Expr, NULL, TimeUnit, col, lit};

use crate::core::error::{LangError, Span};
use crate::core::value::{Column, Value};

/// A bare reference to the input column `name`.
pub fn plain_col(name: &str) -> Column {
    let mut c = Column::new(col(name), name);
    c.plain = true;
    // `col('name')`, so that an engine elsewhere resolves it by name.
    c.plan = std::sync::Arc::new(crate::core::plan::Plan::Call {
        name: "col",
        receiver: None,
        args: vec![(
            "col",
            crate::core::plan::Arg::Literal(Value::Str(name.into()).repr()),
        )],
    });
    c
}

/// Strings name columns; columns pass through; anything else is an error.
pub fn to_column(v: &Value, span: Span) -> Result<Column, LangError> {
    match v {
        Value::Column(c) => Ok((**c).clone()),
        Value::Str(name) => Ok(plain_col(name)),
        other => Err(LangError::type_error(format!(
            "expected a column or a column name, got {}",
            other.type_name()
        ))
        .at(span)
        .with_hint("wrap constants in lit(...)")),
    }
}

/// Values on the right of comparisons and in `when()`: constants become literals.
pub fn value_column(v: &Value, span: Span) -> Result<Column, LangError> {
    match v {
        Value::Column(c) => Ok((**c).clone()),
        other => literal(other, span),
    }
}

/// `lit(v)`: a constant column named as Spark names it.
pub fn literal(v: &Value, span: Span) -> Result<Column, LangError> {
    let (expr, name): (Expr, String) = match v {
        Value::Str(s) => (lit(s.clone()), s.clone()),
        Value::Int(i) => (lit(*i), i.to_string()),
        Value::Float(f) => (lit(*f), v.repr()),
        Value::Bool(b) => (lit(*b), b.to_string()),
        Value::None => (lit(NULL), "NULL".to_string()),
        Value::Date(d) => (
            lit(d.to_string()).cast(DataType::Date),
            format!("DATE '{d}'"),
        ),
        Value::Timestamp(t) => (
            lit(t.and_utc().timestamp_micros())
                .cast(DataType::Datetime(TimeUnit::Microseconds, None)),
            format!("TIMESTAMP '{}'", t.format("%Y-%m-%d %H:%M:%S%.f")),
        ),
        Value::Column(c) => return Ok((**c).clone()),
        other => {
            return Err(LangError::type_error(format!(
                "cannot make a literal column from {}",
                other.type_name()
            ))
            .at(span));
        }
    };
    Ok(Column::new(expr, name))
}

/// A string argument.
pub fn as_str(v: &Value, span: Span) -> Result<String, LangError> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        other => Err(mismatch("a string", other, span)),
    }
}

/// An integer argument (`True` counts as 1, as in Python).
pub fn as_int(v: &Value, span: Span) -> Result<i64, LangError> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        other => Err(mismatch("an integer", other, span)),
    }
}

/// A number argument; numeric strings convert as `float()` does.
pub fn as_float(v: &Value, span: Span) -> Result<f64, LangError> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        Value::Str(s) => s.trim().parse().map_err(|_| {
            LangError::new(
                "ValueError",
                format!("could not convert string to float: {s:?}"),
            )
            .at(span)
        }),
        other => Err(mismatch("a number", other, span)),
    }
}

/// A boolean argument (`"true"` and `"false"` as Spark's options write them).
pub fn as_bool(v: &Value, span: Span) -> Result<bool, LangError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Int(i) => Ok(*i != 0),
        Value::Str(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::Str(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(mismatch("True or False", other, span)),
    }
}

/// A list of strings (a single string counts as a list of one).
pub fn as_names(v: &Value, span: Span) -> Result<Vec<String>, LangError> {
    match v {
        Value::Str(s) => Ok(vec![s.clone()]),
        Value::List(items) | Value::Tuple(items) => items.iter().map(|i| as_str(i, span)).collect(),
        other => Err(mismatch("a list of column names", other, span)),
    }
}

/// An option value as Spark keeps it: text.
pub fn option_text(v: &Value, span: Span) -> Result<String, LangError> {
    Ok(match v {
        Value::Str(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::None => String::new(),
        other => return Err(mismatch("a string, number or boolean", other, span)),
    })
}

fn mismatch(expected: &str, got: &Value, span: Span) -> LangError {
    LangError::type_error(format!("expected {expected}, got {}", got.type_name())).at(span)
}

/// The text of a literal string column (`lit("yyyy-MM-dd")`), if it is one.
pub fn literal_text(e: &polars::prelude::Expr) -> Option<String> {
    match e {
        polars::prelude::Expr::Literal(v) => v.extract_str().map(str::to_string),
        _ => None,
    }
}
