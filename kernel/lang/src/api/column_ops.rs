//! Column methods beyond comparison and arithmetic operators: null-safe equality, NaN
//! tests, pattern matching ignoring case, bitwise operations and casts that give null
//! instead of failing.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::value_column;
use crate::api::entry::Entry;
use crate::api::functions::regex::like_regex;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::types::parse_type;
use crate::core::value::{Column, Receiver, Value};

const COL: Receiver = Receiver::Column;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        COL,
        "eqNullSafe(other: any) -> Column",
        "Equality where null equals null (`<=>`); NaN equals NaN.",
        eq_null_safe,
    ),
    Entry::method(
        COL,
        "isNaN() -> Column",
        "Whether the value is NaN.",
        is_nan,
    ),
    Entry::method(
        COL,
        "ilike(other: str) -> Column",
        "SQL LIKE ignoring case.",
        ilike,
    ),
    Entry::method(
        COL,
        "rlike(other: str) -> Column",
        "Whether the string has a match of the regular expression.",
        rlike,
    ),
    Entry::method(
        COL,
        "bitwiseAND(other: any) -> Column",
        "Bitwise AND.",
        bitwise_and,
    ),
    Entry::method(
        COL,
        "bitwiseOR(other: any) -> Column",
        "Bitwise OR.",
        bitwise_or,
    ),
    Entry::method(
        COL,
        "bitwiseXOR(other: any) -> Column",
        "Bitwise XOR.",
        bitwise_xor,
    ),
    Entry::method(
        COL,
        "try_cast(dataType: any) -> Column",
        "Cast to the type; null where a value does not convert.",
        try_cast,
    ),
];

fn derived(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

fn other(call: &Call) -> Result<Column, LangError> {
    value_column(call.value("other"), call.span_of("other"))
}

fn eq_null_safe(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let o = other(&call)?;
    let name = match call.value("other") {
        Value::Float(f) if f.is_nan() => "NaN".to_string(),
        _ => o.name.clone(),
    };
    // Polars' NaN is not equal to itself; Spark's `<=>` says it is.
    let both_nan = c
        .expr
        .clone()
        .cast(DataType::Float64)
        .is_nan()
        .and(o.expr.clone().cast(DataType::Float64).is_nan())
        .fill_null(lit(false));
    let expr = match call.value("other") {
        Value::Str(_) | Value::Column(_) | Value::None | Value::Bool(_) => {
            c.expr.clone().eq_missing(o.expr)
        }
        _ => c.expr.clone().eq_missing(o.expr).or(both_nan),
    };
    derived(expr, format!("({} <=> {name})", c.name))
}

fn is_nan(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    derived(
        c.expr
            .cast(DataType::Float64)
            .is_nan()
            .fill_null(lit(false)),
        format!("isnan({})", c.name),
    )
}

fn ilike(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let pattern = call.str("other")?;
    derived(
        c.expr
            .str()
            .contains(lit(like_regex(&pattern, '\\', true)), true),
        format!("ilike({}, {pattern})", c.name),
    )
}

fn rlike(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let pattern = call.str("other")?;
    crate::api::functions::strings::check_regex(&pattern, call.span_of("other"))?;
    derived(
        c.expr.str().contains(lit(pattern.clone()), true),
        format!("RLIKE({}, {pattern})", c.name),
    )
}

fn bitwise(call: &Call, symbol: &str, f: fn(Expr, Expr) -> Expr) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let o = other(call)?;
    derived(
        f(c.expr, o.expr),
        format!("({} {symbol} {})", c.name, o.name),
    )
}
fn bitwise_and(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    bitwise(&call, "&", Expr::and)
}
fn bitwise_or(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    bitwise(&call, "|", Expr::or)
}
fn bitwise_xor(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    bitwise(&call, "^", Expr::xor)
}

fn try_cast(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let dtype = match call.value("dataType") {
        Value::Type(t) => t.clone(),
        Value::Str(name) => parse_type(name).ok_or_else(|| {
            LangError::new("ParseException", format!("unknown data type '{name}'"))
                .at(call.span_of("dataType"))
        })?,
        other => {
            return Err(LangError::type_error(format!(
                "try_cast() takes a DataType or a type name, not {}",
                other.type_name()
            ))
            .at(call.span_of("dataType")));
        }
    };
    // Polars' cast is lenient: a value that does not convert becomes null.
    derived(c.expr.cast(dtype), c.name)
}
