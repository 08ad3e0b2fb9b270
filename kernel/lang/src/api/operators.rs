//! Python's operators on plain values, and Spark's on columns (`col("a") + 1`).

use polars::prelude::*;

use crate::core::error::{LangError, Span};
use crate::core::value::{Column, Value};
use crate::syntax::ast::{BinOp, UnOp};

use super::convert::value_column;

/// `l op r`.
pub fn binary(op: BinOp, l: Value, r: Value) -> Result<Value, LangError> {
    match op {
        BinOp::Is => return Ok(Value::Bool(identical(&l, &r))),
        BinOp::IsNot => return Ok(Value::Bool(!identical(&l, &r))),
        BinOp::In => return contains(&r, &l).map(Value::Bool),
        BinOp::NotIn => return contains(&r, &l).map(|b| Value::Bool(!b)),
        _ => {}
    }
    if let (Value::Column(_), _) | (_, Value::Column(_)) = (&l, &r) {
        return column_binary(op, &l, &r);
    }
    Ok(match (op, &l, &r) {
        (BinOp::Add, Value::Str(a), Value::Str(b)) => Value::Str(format!("{a}{b}")),
        (BinOp::Add, Value::List(a), Value::List(b)) => {
            Value::List(a.iter().chain(b.iter()).cloned().collect::<Vec<_>>().into())
        }
        (BinOp::Mul, Value::Str(a), Value::Int(n)) => Value::Str(repeat(a, *n)?),
        (BinOp::Mul, Value::List(items), Value::Int(n))
        | (BinOp::Mul, Value::Int(n), Value::List(items)) => {
            Value::List(repeat_items(items, *n)?.into())
        }
        (BinOp::Eq, _, _) => Value::Bool(values_equal(&l, &r)),
        (BinOp::Ne, _, _) => Value::Bool(!values_equal(&l, &r)),
        // Python's `and`/`or` return an operand.
        (BinOp::And, _, _) => {
            if truthy(&l) {
                r
            } else {
                l
            }
        }
        (BinOp::Or, _, _) => {
            if truthy(&l) {
                l
            } else {
                r
            }
        }
        (_, Value::Int(a), Value::Int(b)) if !matches!(op, BinOp::Div | BinOp::Pow) => {
            int_binary(op, *a, *b)?
        }
        (BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge, Value::List(a), Value::List(b))
        | (BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge, Value::Tuple(a), Value::Tuple(b)) => {
            sequence_order(op, a, b)?
        }
        // A Row is a tuple.
        (BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge, Value::Row(a), Value::Row(b)) => {
            let values =
                |r: &[(String, Value)]| r.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>();
            sequence_order(op, &values(a), &values(b))?
        }
        _ => match (number(&l), number(&r)) {
            (Some(a), Some(b)) => float_binary(op, &l, &r, a, b)?,
            _ => match (op, &l, &r) {
                (BinOp::Lt, Value::Str(a), Value::Str(b)) => Value::Bool(a < b),
                (BinOp::Gt, Value::Str(a), Value::Str(b)) => Value::Bool(a > b),
                (BinOp::Le, Value::Str(a), Value::Str(b)) => Value::Bool(a <= b),
                (BinOp::Ge, Value::Str(a), Value::Str(b)) => Value::Bool(a >= b),
                _ => return Err(unsupported_op(op, &l, &r)),
            },
        },
    })
}

/// Spark's operators on columns: a new column named `(a op b)`.
fn column_binary(op: BinOp, l: &Value, r: &Value) -> Result<Value, LangError> {
    let lc = value_column(l, Span::default())?;
    let rc = value_column(r, Span::default())?;
    let (a, b) = (lc.expr, rc.expr);
    let expr = match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a.cast(DataType::Float64) / b.cast(DataType::Float64),
        BinOp::FloorDiv => a.floor_div(b),
        BinOp::Mod => a % b,
        BinOp::Pow => a.cast(DataType::Float64).pow(b.cast(DataType::Float64)),
        BinOp::Eq => a.eq(b),
        BinOp::Ne => a.neq(b),
        BinOp::Lt => a.lt(b),
        BinOp::Le => a.lt_eq(b),
        BinOp::Gt => a.gt(b),
        BinOp::Ge => a.gt_eq(b),
        BinOp::BitAnd => a.and(b),
        BinOp::BitOr => a.or(b),
        BinOp::Is | BinOp::IsNot | BinOp::In | BinOp::NotIn => {
            unreachable!("handled before columns")
        }
        BinOp::And | BinOp::Or => {
            let hint = if op == BinOp::And {
                "use `&` and wrap each condition in parentheses"
            } else {
                "use `|` and wrap each condition in parentheses"
            };
            return Err(
                LangError::type_error(format!("`{}` cannot combine columns", op.symbol()))
                    .with_hint(hint),
            );
        }
    };
    // Spark's SQL spelling of the operator in the column's name.
    let name = match op {
        BinOp::Eq => format!("({} = {})", lc.name, rc.name),
        BinOp::Ne => format!("(NOT ({} = {}))", lc.name, rc.name),
        BinOp::BitAnd => format!("({} AND {})", lc.name, rc.name),
        BinOp::BitOr => format!("({} OR {})", lc.name, rc.name),
        BinOp::Pow => format!("POWER({}, {})", lc.name, rc.name),
        _ => format!("({} {} {})", lc.name, op.symbol(), rc.name),
    };
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

/// Python's ordering of lists and tuples: by the first elements that differ, else by length.
fn sequence_order(op: BinOp, a: &[Value], b: &[Value]) -> Result<Value, LangError> {
    match a.iter().zip(b).find(|(x, y)| !values_equal(x, y)) {
        Some((x, y)) => binary(op, x.clone(), y.clone()),
        None => int_binary(op, a.len() as i64, b.len() as i64),
    }
}

/// Python's `is`, for the values a notebook compares that way (`x is None`, `flag is True`).
fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Column(_), _) | (_, Value::Column(_)) => false,
        (Value::Int(_) | Value::Str(_), _) => {
            a.repr() == b.repr() && a.type_name() == b.type_name()
        }
        _ => false,
    }
}

/// Python's `item in container`.
fn contains(container: &Value, item: &Value) -> Result<bool, LangError> {
    if matches!(item, Value::Column(_)) {
        return Err(
            column_as_bool().with_hint("to test a column's values use col(\"x\").isin([...])")
        );
    }
    Ok(match container {
        Value::List(items) | Value::Tuple(items) => items.iter().any(|v| values_equal(v, item)),
        Value::Row(fields) => fields.iter().any(|(_, v)| values_equal(v, item)),
        Value::Dict(_) => container.dict_get(item).is_some(),
        Value::Str(s) => match item {
            Value::Str(part) => s.contains(part.as_str()),
            other => {
                return Err(LangError::type_error(format!(
                    "'in <string>' requires string as left operand, not {}",
                    other.type_name()
                )));
            }
        },
        Value::Column(_) => {
            return Err(
                LangError::type_error("`in` does not test a Column's values")
                    .with_hint("use col(\"x\").isin([...])"),
            );
        }
        other => {
            return Err(LangError::type_error(format!(
                "argument of type '{}' is not iterable",
                other.type_name()
            )));
        }
    })
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

/// 64-bit integer arithmetic; overflow is an error, not a wrap.
fn int_binary(op: BinOp, a: i64, b: i64) -> Result<Value, LangError> {
    Ok(match op {
        BinOp::Add => Value::Int(a.checked_add(b).ok_or_else(overflow)?),
        BinOp::Sub => Value::Int(a.checked_sub(b).ok_or_else(overflow)?),
        BinOp::Mul => Value::Int(a.checked_mul(b).ok_or_else(overflow)?),
        BinOp::FloorDiv | BinOp::Mod if b == 0 => {
            return Err(LangError::new(
                "ZeroDivisionError",
                "integer division or modulo by zero",
            ));
        }
        // Python floors toward negative infinity; the remainder takes the divisor's sign.
        BinOp::FloorDiv => {
            let q = a.checked_div(b).ok_or_else(overflow)?;
            Value::Int(if a % b != 0 && ((a < 0) != (b < 0)) {
                q - 1
            } else {
                q
            })
        }
        BinOp::Mod => {
            let r = a.checked_rem(b).unwrap_or(0);
            Value::Int(if r != 0 && ((r < 0) != (b < 0)) {
                r + b
            } else {
                r
            })
        }
        BinOp::Lt => Value::Bool(a < b),
        BinOp::Le => Value::Bool(a <= b),
        BinOp::Gt => Value::Bool(a > b),
        BinOp::Ge => Value::Bool(a >= b),
        BinOp::BitAnd => Value::Int(a & b),
        BinOp::BitOr => Value::Int(a | b),
        _ => return Err(unsupported_op(op, &Value::Int(a), &Value::Int(b))),
    })
}

/// Float arithmetic (and `int ** int`, exact while it fits).
fn float_binary(op: BinOp, l: &Value, r: &Value, a: f64, b: f64) -> Result<Value, LangError> {
    Ok(match op {
        BinOp::Add => Value::Float(a + b),
        BinOp::Sub => Value::Float(a - b),
        BinOp::Mul => Value::Float(a * b),
        BinOp::Div if b == 0.0 => {
            return Err(LangError::new("ZeroDivisionError", "division by zero"));
        }
        BinOp::Div => Value::Float(a / b),
        BinOp::FloorDiv | BinOp::Mod if b == 0.0 => {
            return Err(LangError::new(
                "ZeroDivisionError",
                "float floor division or modulo by zero",
            ));
        }
        BinOp::FloorDiv => Value::Float((a / b).floor()),
        // Python's float modulo also takes the divisor's sign.
        BinOp::Mod => Value::Float(a - b * (a / b).floor()),
        BinOp::Pow => power(l, r, a, b)?,
        BinOp::Lt => Value::Bool(a < b),
        BinOp::Le => Value::Bool(a <= b),
        BinOp::Gt => Value::Bool(a > b),
        BinOp::Ge => Value::Bool(a >= b),
        _ => return Err(unsupported_op(op, l, r)),
    })
}

/// `**` as Python computes it: exact for integers (an `OverflowError` past 64 bits, where
/// Python would grow the integer), a float for negative exponents, a `ZeroDivisionError`
/// for zero to a negative power and an `OverflowError` when a float result is out of range.
fn power(l: &Value, r: &Value, a: f64, b: f64) -> Result<Value, LangError> {
    if a == 0.0 && b < 0.0 {
        return Err(LangError::new(
            "ZeroDivisionError",
            "0.0 cannot be raised to a negative power",
        ));
    }
    if let (Value::Int(x), Value::Int(y)) = (l, r)
        && *y >= 0
    {
        return match u32::try_from(*y).ok().and_then(|y| x.checked_pow(y)) {
            Some(v) => Ok(Value::Int(v)),
            // 0, 1 and -1 to any power fit; anything else past a u32 exponent does not.
            None if *x == 0 || *x == 1 => Ok(Value::Int(*x)),
            None if *x == -1 => Ok(Value::Int(if y % 2 == 0 { 1 } else { -1 })),
            None => Err(overflow()),
        };
    }
    let v = a.powf(b);
    if v.is_infinite() && a.is_finite() && b.is_finite() {
        return Err(LangError::new(
            "OverflowError",
            "(34, 'Numerical result out of range')",
        ));
    }
    if v.is_nan() && a < 0.0 && b.fract() != 0.0 {
        return Err(LangError::new(
            "ValueError",
            "a negative number to a fractional power is complex; Faísca has no complex numbers",
        ));
    }
    Ok(Value::Float(v))
}

/// Integer overflow.
pub fn overflow() -> LangError {
    LangError::new(
        "OverflowError",
        "integer overflow: Faísca's integers are 64-bit (Python's would grow)",
    )
    .with_hint("use floats for very large numbers, e.g. 2.0 ** 64")
}

/// No such operator for these types.
pub fn unsupported_op(op: BinOp, l: &Value, r: &Value) -> LangError {
    let mut err = LangError::type_error(format!(
        "unsupported operand types for {}: '{}' and '{}'",
        op.symbol(),
        l.type_name(),
        r.type_name()
    ));
    if matches!(l, Value::Str(_)) || matches!(r, Value::Str(_)) {
        err = err.with_hint("to compare or combine a column, use col(\"name\")");
    }
    err
}

/// Python's `==` on plain values.
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => (*x as f64) == *y,
        _ => a.repr() == b.repr(),
    }
}

/// PySpark's error for a Column where Python wants a bool (`if`, `in`, `bool()`).
pub fn column_as_bool() -> LangError {
    LangError::new(
        "PySparkValueError",
        "[CANNOT_CONVERT_COLUMN_INTO_BOOL] Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not' when building DataFrame boolean expressions.",
    )
}

/// A condition's truth (`if`, `while`, `x if c else y`); a Column has none.
pub fn condition(v: &Value) -> Result<bool, LangError> {
    match v {
        Value::Column(_) => Err(column_as_bool()),
        other => Ok(truthy(other)),
    }
}

/// Python's truth value.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::None => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::List(i) | Value::Tuple(i) => !i.is_empty(),
        Value::Dict(d) => !d.is_empty(),
        Value::Row(f) => !f.is_empty(),
        _ => true,
    }
}

/// `op v`.
pub fn unary(op: UnOp, v: Value) -> Result<Value, LangError> {
    Ok(match (op, v) {
        (UnOp::Neg, Value::Int(i)) => Value::Int(i.checked_neg().ok_or_else(overflow)?),
        (UnOp::Neg, Value::Float(f)) => Value::Float(-f),
        (UnOp::Pos, v @ (Value::Int(_) | Value::Float(_))) => v,
        (UnOp::Not, v) if !matches!(v, Value::Column(_)) => Value::Bool(!truthy(&v)),
        (UnOp::Invert, Value::Column(c)) => Value::Column(Box::new(Column::new(
            c.expr.not(),
            format!("(NOT {})", c.name),
        ))),
        (UnOp::Neg, Value::Column(c)) => Value::Column(Box::new(Column::new(
            lit(0) - c.expr,
            format!("(- {})", c.name),
        ))),
        (UnOp::Not, Value::Column(_)) => {
            return Err(
                LangError::type_error("`not` cannot negate a column").with_hint("use `~col(...)`")
            );
        }
        (UnOp::Invert, Value::Int(i)) => Value::Int(!i),
        (UnOp::Neg, Value::Bool(b)) => Value::Int(-i64::from(b)),
        (UnOp::Pos, Value::Bool(b)) => Value::Int(i64::from(b)),
        (op, v) => {
            return Err(LangError::type_error(format!(
                "bad operand type for unary {op:?}: '{}'",
                v.type_name()
            )));
        }
    })
}

/// `text * n`, refusing results over 1 GiB instead of aborting on allocation.
/// `[x] * n`, bounded as strings are (a list item is counted as 8 bytes).
fn repeat_items(items: &[Value], n: i64) -> Result<Vec<Value>, LangError> {
    let n = n.max(0) as usize;
    match items.len().checked_mul(n) {
        Some(len) if len <= 1 << 27 => Ok(items.iter().cloned().cycle().take(len).collect()),
        _ => Err(LangError::new(
            "MemoryError",
            "the repeated list would be larger than 1 GiB",
        )),
    }
}

fn repeat(text: &str, n: i64) -> Result<String, LangError> {
    let n = n.max(0) as usize;
    match text.len().checked_mul(n) {
        Some(bytes) if bytes <= 1 << 30 => Ok(text.repeat(n)),
        _ => Err(LangError::new(
            "MemoryError",
            "the repeated string would be larger than 1 GiB",
        )),
    }
}
