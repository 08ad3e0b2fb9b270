//! Arithmetic beyond the operators: the `try_` forms that give null instead of failing,
//! positive modulo, factorial, hypotenuse, logarithms to a base, banker's rounding,
//! inverse hyperbolic functions and the constants `e()` and `pi()`.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::{literal, to_column};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

macro_rules! binary {
    ($name:literal, $doc:literal, $fn:ident) => {
        Entry::function(
            F,
            concat!($name, "(left: ColumnOrName, right: ColumnOrName) -> Column"),
            $doc,
            $fn,
        )
    };
}

/// The entries.
pub const ENTRIES: &[Entry] = &[
    binary!("try_add", "Sum; null on overflow.", try_add),
    binary!(
        "try_subtract",
        "Difference; null on overflow.",
        try_subtract
    ),
    binary!("try_multiply", "Product; null on overflow.", try_multiply),
    binary!(
        "try_divide",
        "Quotient as a double; null when dividing by zero.",
        try_divide
    ),
    binary!("try_mod", "Remainder; null when dividing by zero.", try_mod),
    Entry::function(
        F,
        "pmod(dividend: ColumnOrName|int|float, divisor: ColumnOrName|int|float) -> Column",
        "The remainder with the divisor's sign made positive; null when dividing by zero.",
        pmod,
    ),
    Entry::function(
        F,
        "hypot(col1: ColumnOrName|int|float, col2: ColumnOrName|int|float) -> Column",
        "sqrt(a² + b²).",
        hypot,
    ),
    Entry::function(
        F,
        "factorial(col: ColumnOrName) -> Column",
        "n! for 0 ≤ n ≤ 20; null otherwise.",
        factorial,
    ),
    Entry::function(
        F,
        "log(arg1: ColumnOrName|float|int, arg2: ColumnOrName = None) -> Column",
        "log(x) is the natural logarithm; log(base, x) to a base; null where x ≤ 0.",
        log,
    ),
    Entry::function(
        F,
        "bround(col: ColumnOrName, scale: int|Column = None) -> Column",
        "Rounded half to even to `scale` decimals.",
        bround,
    ),
    Entry::function(
        F,
        "acosh(col: ColumnOrName) -> Column",
        "Inverse hyperbolic cosine.",
        acosh,
    ),
    Entry::function(
        F,
        "asinh(col: ColumnOrName) -> Column",
        "Inverse hyperbolic sine.",
        asinh,
    ),
    Entry::function(
        F,
        "atanh(col: ColumnOrName) -> Column",
        "Inverse hyperbolic tangent.",
        atanh,
    ),
    Entry::function(F, "e() -> Column", "Euler's number.", e),
    Entry::function(
        F,
        "atan2(col1: ColumnOrName|int|float, col2: ColumnOrName|int|float) -> Column",
        "The angle of the point (col2, col1), in radians.",
        atan2,
    ),
    Entry::function(
        F,
        "positive(col: ColumnOrName) -> Column",
        "The value itself.",
        unary_plus,
    ),
    Entry::function(F, "pi() -> Column", "π.", pi),
];

fn named(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

/// A number becomes a literal; anything else a column (strings name columns).
fn operand(v: &Value, span: Span) -> Result<Column, LangError> {
    match v {
        Value::Int(_) | Value::Float(_) => literal(v, span),
        other => to_column(other, span),
    }
}

fn operands(call: &Call, a: &str, b: &str) -> Result<(Column, Column), LangError> {
    Ok((
        operand(call.value(a), call.span_of(a))?,
        operand(call.value(b), call.span_of(b))?,
    ))
}

/// Integer arithmetic done in 128 bits and null where the result leaves 64; floats as
/// they are.
fn checked(l: Expr, r: Expr, op: fn(Expr, Expr) -> Expr) -> Expr {
    let wide = op(
        l.clone().cast(DataType::Int128),
        r.clone().cast(DataType::Int128),
    );
    let fits = wide
        .clone()
        .gt_eq(lit(i64::MIN as i128))
        .and(wide.clone().lt_eq(lit(i64::MAX as i128)));
    when(fits).then(op(l, r)).otherwise(lit(NULL))
}

fn try_op(call: &Call, op: fn(Expr, Expr) -> Expr) -> Result<Value, LangError> {
    let (l, r) = operands(call, "left", "right")?;
    let name = format!("{}({}, {})", call.name, l.name, r.name);
    named(checked(l.expr, r.expr, op), name)
}

fn try_add(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    try_op(&call, |a, b| a + b)
}
fn try_subtract(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    try_op(&call, |a, b| a - b)
}
fn try_multiply(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    try_op(&call, |a, b| a * b)
}
fn try_divide(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (l, r) = operands(&call, "left", "right")?;
    let divisor = r.expr.cast(DataType::Float64);
    let expr = when(divisor.clone().eq(lit(0.0)))
        .then(lit(NULL))
        .otherwise(l.expr.cast(DataType::Float64) / divisor);
    named(expr, format!("try_divide({}, {})", l.name, r.name))
}
fn try_mod(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (l, r) = operands(&call, "left", "right")?;
    // Spark's `%` keeps the dividend's sign (Polars' follows the divisor).
    let expr = when(r.expr.clone().eq(lit(0)))
        .then(lit(NULL))
        .otherwise(truncated_rem(l.expr, r.expr));
    named(expr, format!("try_mod({}, {})", l.name, r.name))
}

/// The remainder with the dividend's sign, as Java's `%`.
fn truncated_rem(a: Expr, b: Expr) -> Expr {
    let m = a.clone() % b.clone().abs();
    when(a.lt(lit(0)).and(m.clone().gt(lit(0))))
        .then(m.clone() - b.abs())
        .otherwise(m)
}

fn pmod(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (l, r) = operands(&call, "dividend", "divisor")?;
    let rem = truncated_rem(l.expr.clone(), r.expr.clone());
    let positive = when(rem.clone().lt(lit(0)))
        .then(truncated_rem(rem.clone() + r.expr.clone(), r.expr.clone()))
        .otherwise(rem);
    let expr = when(r.expr.eq(lit(0))).then(lit(NULL)).otherwise(positive);
    named(expr, format!("pmod({}, {})", l.name, r.name))
}

fn hypot(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (a, b) = operands(&call, "col1", "col2")?;
    let (x, y) = (
        a.expr.cast(DataType::Float64),
        b.expr.cast(DataType::Float64),
    );
    named(
        (x.clone() * x + y.clone() * y).sqrt(),
        format!("HYPOT({}, {})", a.name, b.name),
    )
}

fn factorial(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let table: Vec<i64> = (0..=20i64)
        .scan(1i64, |acc, n| {
            if n > 0 {
                *acc *= n;
            }
            Some(*acc)
        })
        .collect();
    let n = c.expr.cast(DataType::Int64);
    let in_range = n.clone().gt_eq(lit(0)).and(n.clone().lt_eq(lit(20)));
    let value = lit(Series::new("".into(), table))
        .implode(false)
        .list()
        .get(n, true);
    named(
        when(in_range).then(value).otherwise(lit(NULL)),
        format!("factorial({})", c.name),
    )
}

/// Null where `x` is not positive, as Spark's logarithms.
fn positive(x: Expr, f: impl FnOnce(Expr) -> Expr) -> Expr {
    let x = x.cast(DataType::Float64);
    when(x.clone().gt(lit(0.0)))
        .then(f(x))
        .otherwise(lit(NULL).cast(DataType::Float64))
}

fn log(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let first = operand(call.value("arg1"), call.span_of("arg1"))?;
    if call.is_none("arg2") {
        return named(
            positive(first.expr, |x| x.log(lit(std::f64::consts::E))),
            format!("ln({})", first.name),
        );
    }
    let x = to_column(call.value("arg2"), call.span_of("arg2"))?;
    let base = first.expr.cast(DataType::Float64);
    let expr = positive(x.expr, |x| {
        x.log(lit(std::f64::consts::E)) / base.clone().log(lit(std::f64::consts::E))
    });
    let label = match call.value("arg1") {
        Value::Float(f) => crate::core::rows::cell_text(&AnyValue::Float64(*f)),
        _ => first.name,
    };
    named(expr, format!("LOG({label}, {})", x.name))
}

fn bround(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = operand(call.value("col"), call.span_of("col"))?;
    let scale = match call.value("scale") {
        Value::None => 0,
        Value::Int(i) => *i,
        Value::Column(col) => match &col.expr {
            Expr::Literal(v) => v
                .to_any_value()
                .and_then(|a| a.extract::<i64>())
                .unwrap_or(0),
            _ => {
                return Err(LangError::unsupported(
                    "bround() with a scale from a column is not supported",
                )
                .at(call.span_of("scale")));
            }
        },
        other => {
            return Err(LangError::type_error(format!(
                "bround() scale must be an int, not {}",
                other.type_name()
            ))
            .at(call.span_of("scale")));
        }
    };
    named(
        c.expr
            .round(scale.clamp(0, 38) as u32, RoundMode::HalfToEven),
        format!("bround({}, {scale})", c.name),
    )
}

fn unary_float(call: &Call, label: &str, f: fn(Expr) -> Expr) -> Result<Value, LangError> {
    let c = call.column("col")?;
    named(
        f(c.expr.cast(DataType::Float64)),
        format!("{label}({})", c.name),
    )
}

fn acosh(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    // ln(x + sqrt(x² - 1)); NaN below 1, as Java's.
    unary_float(&call, "ACOSH", |x| {
        (x.clone() + (x.clone() * x - lit(1.0)).sqrt()).log(lit(std::f64::consts::E))
    })
}
fn asinh(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    unary_float(&call, "ASINH", |x| {
        (x.clone() + (x.clone() * x + lit(1.0)).sqrt()).log(lit(std::f64::consts::E))
    })
}
fn atanh(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    unary_float(&call, "ATANH", |x| {
        ((lit(1.0) + x.clone()) / (lit(1.0) - x)).log(lit(std::f64::consts::E)) * lit(0.5)
    })
}
fn atan2(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (y, x) = operands(&call, "col1", "col2")?;
    named(
        y.expr
            .cast(DataType::Float64)
            .arctan2(x.expr.cast(DataType::Float64)),
        format!("ATAN2({}, {})", y.name, x.name),
    )
}
fn unary_plus(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    named(c.expr, format!("(+ {})", c.name))
}
fn e(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    named(lit(std::f64::consts::E), "E()".into())
}
fn pi(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    named(lit(std::f64::consts::PI), "PI()".into())
}
