//! Numeric functions.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// A one-column function: `name(col)`, shown as `LABEL(col)` as Spark names it.
macro_rules! unary {
    ($name:literal, $label:literal, $doc:literal, $f:expr) => {{
        fn run(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
            let c = call.column("col")?;
            let f: fn(Expr) -> Expr = $f;
            Ok(Value::Column(Box::new(Column::new(
                f(c.expr),
                format!("{}({})", $label, c.name),
            ))))
        }
        Entry::function(
            F,
            concat!($name, "(col: ColumnOrName) -> Column"),
            $doc,
            run,
        )
    }};
}

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "round(col: ColumnOrName, scale: int = 0) -> Column",
        "Rounded half away from zero to `scale` decimals.",
        round,
    ),
    Entry::function(
        F,
        "abs(col: ColumnOrName) -> Column",
        "Absolute value.",
        abs,
    ),
    unary!("sqrt", "SQRT", "Square root.", |e| e
        .cast(DataType::Float64)
        .sqrt()),
    unary!("cbrt", "CBRT", "Cube root.", |e| e
        .cast(DataType::Float64)
        .cbrt()),
    unary!("exp", "EXP", "e raised to the value.", |e| e
        .cast(DataType::Float64)
        .exp()),
    unary!("expm1", "EXPM1", "exp(x) - 1.", |e| e
        .cast(DataType::Float64)
        .exp()
        - lit(1.0)),
    unary!("ln", "ln", "Natural logarithm (null at or below 0).", |e| {
        positive_log(e, std::f64::consts::E)
    }),
    unary!(
        "log10",
        "LOG10",
        "Base-10 logarithm (null at or below 0).",
        |e| positive_log(e, 10.0)
    ),
    unary!(
        "log2",
        "LOG2",
        "Base-2 logarithm (null at or below 0).",
        |e| positive_log(e, 2.0)
    ),
    unary!("log1p", "LOG1P", "ln(1 + x).", |e| e
        .cast(DataType::Float64)
        .log1p()),
    unary!("sin", "SIN", "Sine (radians).", |e| e
        .cast(DataType::Float64)
        .sin()),
    unary!("cos", "COS", "Cosine (radians).", |e| e
        .cast(DataType::Float64)
        .cos()),
    unary!("tan", "TAN", "Tangent (radians).", |e| e
        .cast(DataType::Float64)
        .tan()),
    unary!("asin", "ASIN", "Arc sine.", |e| e
        .cast(DataType::Float64)
        .arcsin()),
    unary!("acos", "ACOS", "Arc cosine.", |e| e
        .cast(DataType::Float64)
        .arccos()),
    unary!("atan", "ATAN", "Arc tangent.", |e| e
        .cast(DataType::Float64)
        .arctan()),
    unary!("sinh", "SINH", "Hyperbolic sine.", |e| e
        .cast(DataType::Float64)
        .sinh()),
    unary!("cosh", "COSH", "Hyperbolic cosine.", |e| e
        .cast(DataType::Float64)
        .cosh()),
    unary!("tanh", "TANH", "Hyperbolic tangent.", |e| e
        .cast(DataType::Float64)
        .tanh()),
    unary!("cot", "COT", "Cotangent.", |e| lit(1.0)
        / e.cast(DataType::Float64).tan()),
    unary!("sec", "SEC", "Secant.", |e| lit(1.0)
        / e.cast(DataType::Float64).cos()),
    unary!("csc", "CSC", "Cosecant.", |e| lit(1.0)
        / e.cast(DataType::Float64).sin()),
    unary!("degrees", "DEGREES", "Radians to degrees.", |e| e
        .cast(DataType::Float64)
        .degrees()),
    unary!("radians", "RADIANS", "Degrees to radians.", |e| e
        .cast(DataType::Float64)
        .radians()),
    unary!("signum", "SIGNUM", "-1.0, 0.0 or 1.0.", |e| e
        .cast(DataType::Float64)
        .sign()),
    unary!("sign", "sign", "-1.0, 0.0 or 1.0.", |e| e
        .cast(DataType::Float64)
        .sign()),
    unary!(
        "floor",
        "FLOOR",
        "Largest integer not above (a bigint).",
        |e| e.cast(DataType::Float64).floor().cast(DataType::Int64)
    ),
    unary!(
        "ceil",
        "CEIL",
        "Smallest integer not below (a bigint).",
        |e| e.cast(DataType::Float64).ceil().cast(DataType::Int64)
    ),
    unary!(
        "ceiling",
        "ceiling",
        "Smallest integer not below (a bigint).",
        |e| e.cast(DataType::Float64).ceil().cast(DataType::Int64)
    ),
    unary!(
        "rint",
        "rint",
        "Nearest integer as a double, ties to even.",
        |e| e.cast(DataType::Float64).round(0, RoundMode::HalfToEven)
    ),
    unary!("negative", "negative", "The value negated.", |e| lit(0) - e),
    unary!(
        "isnan",
        "isnan",
        "Whether the value is NaN (false for null).",
        |e| e.cast(DataType::Float64).is_nan().fill_null(lit(false))
    ),
    Entry::function(
        F,
        "pow(col1: ColumnOrName|float|int, col2: ColumnOrName|float|int) -> Column",
        "`col1` raised to `col2`, as a double.",
        pow,
    )
    .aliases(&["power"]),
];

/// Spark's logarithms are null where the argument is not positive.
fn positive_log(e: Expr, base: f64) -> Expr {
    let x = e.cast(DataType::Float64);
    when(x.clone().gt(lit(0.0)))
        .then(x.log(lit(base)))
        .otherwise(lit(NULL).cast(DataType::Float64))
}

fn number_or_column(v: &Value, span: crate::core::error::Span) -> Result<Column, LangError> {
    match v {
        Value::Int(_) | Value::Float(_) => crate::api::convert::literal(v, span),
        other => crate::api::convert::to_column(other, span),
    }
}

fn pow(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let a = number_or_column(call.value("col1"), call.span_of("col1"))?;
    let b = number_or_column(call.value("col2"), call.span_of("col2"))?;
    Ok(Value::Column(Box::new(Column::new(
        a.expr
            .cast(DataType::Float64)
            .pow(b.expr.cast(DataType::Float64)),
        format!("POWER({}, {})", a.name, b.name),
    ))))
}

fn round(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let scale = call.int("scale")?;
    Ok(Value::Column(Box::new(Column::new(
        c.expr
            .round(scale.clamp(0, 38) as u32, RoundMode::HalfAwayFromZero),
        format!("round({}, {scale})", c.name),
    ))))
}

fn abs(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    Ok(Value::Column(Box::new(Column::new(
        c.expr.abs(),
        format!("abs({})", c.name),
    ))))
}
