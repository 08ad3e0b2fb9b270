//! Functions computed value by value in Rust, for what no Polars expression computes
//! (edit distances, digests, time zones): the values arrive as Python values, so each
//! function is written once, over `Value`.

use polars::prelude::*;

use crate::core::rows::any_to_value;
use crate::core::value::Value;

/// `f` applied to each value of `e` (nulls stay null), giving `out` values.
pub fn per_value(
    e: Expr,
    out: DataType,
    f: impl Fn(&Value) -> Value + Send + Sync + 'static,
) -> Expr {
    let dtype = out.clone();
    e.map(
        move |c| {
            let s = c.as_materialized_series();
            let values: Vec<AnyValue<'static>> = s
                .iter()
                .map(|v| match any_to_value(v.into_static()) {
                    Value::None => AnyValue::Null,
                    v => match f(&v) {
                        Value::Str(t) => AnyValue::StringOwned(t.into()),
                        Value::Int(i) => AnyValue::Int64(i),
                        Value::Float(x) => AnyValue::Float64(x),
                        Value::Bool(b) => AnyValue::Boolean(b),
                        Value::Date(d) => AnyValue::Date(
                            (d - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch"))
                                .num_days() as i32,
                        ),
                        Value::Timestamp(t) => AnyValue::Datetime(
                            t.and_utc().timestamp_micros(),
                            TimeUnit::Microseconds,
                            None,
                        ),
                        _ => AnyValue::Null,
                    },
                })
                .collect();
            let series =
                Series::from_any_values_and_dtype(s.name().clone(), &values, &dtype, false)?;
            Ok(series.into_column())
        },
        move |_, field| Ok(Field::new(field.name().clone(), out.clone())),
    )
}

/// `f` over pairs of values from two columns.
pub fn per_pair(
    a: Expr,
    b: Expr,
    out: DataType,
    f: impl Fn(&Value, &Value) -> Value + Send + Sync + 'static,
) -> Expr {
    let pair = as_struct(vec![a.alias("a"), b.alias("b")]);
    per_value(pair, out, move |v| match v {
        Value::Row(fields) if fields.len() == 2 => {
            if matches!(fields[0].1, Value::None) || matches!(fields[1].1, Value::None) {
                Value::None
            } else {
                f(&fields[0].1, &fields[1].1)
            }
        }
        _ => Value::None,
    })
}

/// `f` over the values of several columns at once (as one struct); null where any is.
pub fn per_row(
    exprs: Vec<Expr>,
    out: DataType,
    f: impl Fn(&[Value]) -> Value + Send + Sync + 'static,
) -> Expr {
    per_row_nullable(exprs, out, move |values| {
        if values.iter().any(|v| matches!(v, Value::None)) {
            Value::None
        } else {
            f(values)
        }
    })
}

/// `f` over rows of several columns where a row may be invalid: `Err(message)` makes the
/// row null when `lenient` (Spark's `try_` functions), and fails the job otherwise.
pub fn per_row_checked(
    exprs: Vec<Expr>,
    out: DataType,
    lenient: bool,
    f: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static,
) -> Expr {
    let first_error = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let seen = first_error.clone();
    let e = per_row_nullable(exprs, out, move |vs| match f(vs) {
        Ok(v) => v,
        Err(message) => {
            if !lenient {
                seen.lock().expect("not poisoned").get_or_insert(message);
            }
            Value::None
        }
    });
    if lenient {
        return e;
    }
    e.map(
        move |c| match first_error.lock().expect("not poisoned").take() {
            Some(message) => Err(polars_err!(ComputeError: "{message}")),
            None => Ok(c),
        },
        |_, f| Ok(f.clone()),
    )
}

/// `f` over the values of several columns at once, nulls included.
pub fn per_row_nullable(
    exprs: Vec<Expr>,
    out: DataType,
    f: impl Fn(&[Value]) -> Value + Send + Sync + 'static,
) -> Expr {
    let fields: Vec<Expr> = exprs
        .into_iter()
        .enumerate()
        .map(|(i, e)| e.alias(format!("f{i}")))
        .collect();
    per_value(as_struct(fields), out, move |v| match v {
        Value::Row(fields) => {
            let values: Vec<Value> = fields.iter().map(|(_, v)| v.clone()).collect();
            f(&values)
        }
        _ => Value::None,
    })
}
