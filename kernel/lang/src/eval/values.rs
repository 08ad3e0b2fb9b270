//! Argument conversions and the operators on plain values and columns.

use super::*;

pub(crate) fn plain_col(name: &str) -> Column {
    let mut c = Column::new(col(name), name);
    c.plain = true;
    c
}

/// Strings name columns; columns pass through; anything else is an error.
pub(crate) fn to_column(v: &Value, span: Span) -> Result<Column, LangError> {
    match v {
        Value::Column(c) => Ok(c.clone()),
        Value::Str(name) => Ok(plain_col(name)),
        other => Err(LangError::type_error(format!(
            "expected a column or a column name, got {}",
            other.type_name()
        ))
        .at(span)
        .with_hint("wrap constants in lit(...)")),
    }
}

/// Values on the right of comparisons and in when(): constants become literals.
pub(crate) fn value_column(v: &Value, span: Span) -> Result<Column, LangError> {
    match v {
        Value::Column(c) => Ok(c.clone()),
        other => literal(other, span),
    }
}

pub(crate) fn literal(v: &Value, span: Span) -> Result<Column, LangError> {
    let (expr, name) = match v {
        Value::Str(s) => (lit(s.clone()), s.clone()),
        Value::Int(i) => (lit(*i), i.to_string()),
        Value::Float(f) => (lit(*f), f.to_string()),
        Value::Bool(b) => (lit(*b), b.to_string()),
        Value::None => (lit(NULL), "NULL".to_string()),
        Value::Column(c) => return Ok(c.clone()),
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

pub(crate) fn parse_type(name: &str) -> Option<DataType> {
    let n = name.trim().to_lowercase();
    let n = n.trim_end_matches("()").trim_end_matches("type");
    Some(match n {
        "string" | "str" | "varchar" => DataType::String,
        "int" | "integer" | "int32" => DataType::Int32,
        "bigint" | "long" | "int64" => DataType::Int64,
        "smallint" | "short" => DataType::Int16,
        "tinyint" | "byte" => DataType::Int8,
        "double" | "float64" => DataType::Float64,
        "float" | "real" | "float32" => DataType::Float32,
        "boolean" | "bool" => DataType::Boolean,
        "date" => DataType::Date,
        "timestamp" => DataType::Datetime(TimeUnit::Microseconds, None),
        _ => return None,
    })
}

/// Spark's error for an unknown column, listing the columns and suggesting the closest.
pub(crate) fn unresolved_column(name: &str, columns: &[String]) -> LangError {
    let listed: Vec<String> = columns.iter().map(|c| format!("`{c}`")).collect();
    let err = LangError::analysis(format!(
        "[UNRESOLVED_COLUMN] A column with name `{name}` cannot be resolved. Available columns: [{}].",
        listed.join(", ")
    ));
    match closest(name, columns.iter().map(String::as_str)) {
        Some(c) => err.with_hint(format!("did you mean `{c}`?")),
        None => err,
    }
}

pub(crate) fn check_columns(f: &Frame, names: &[(&str, Span)]) -> Result<(), LangError> {
    match names.iter().find(|(name, _)| !f.schema.contains(name)) {
        Some((name, span)) => Err(unresolved_column(name, &f.columns()).at(*span)),
        None => Ok(()),
    }
}

pub(crate) fn frame_arg(args: &Args, i: usize, name: &str, func: &str) -> Result<Frame, LangError> {
    match args.require(i, name, func)? {
        (Value::Frame(f), _) => Ok(f.clone()),
        (other, s) => Err(LangError::type_error(format!(
            "{func}() needs a DataFrame, got {}",
            other.type_name()
        ))
        .at(s)),
    }
}

pub(crate) fn as_str(v: &Value, span: Span) -> Result<String, LangError> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        other => Err(LangError::type_error(format!(
            "expected a string, got {}",
            other.type_name()
        ))
        .at(span)),
    }
}

pub(crate) fn as_int(v: &Value, span: Span) -> Result<i64, LangError> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        other => Err(LangError::type_error(format!(
            "expected an integer, got {}",
            other.type_name()
        ))
        .at(span)),
    }
}

pub(crate) fn as_float(v: &Value, span: Span) -> Result<f64, LangError> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        Value::Str(s) => s.trim().parse().map_err(|_| {
            LangError::new(
                "ValueError",
                format!("could not convert string to float: {s:?}"),
            )
            .at(span)
        }),
        other => Err(LangError::type_error(format!(
            "expected a number, got {}",
            other.type_name()
        ))
        .at(span)),
    }
}

pub(crate) fn as_bool(v: &Value, span: Span) -> Result<bool, LangError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Int(i) => Ok(*i != 0),
        Value::Str(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::Str(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(LangError::type_error(format!(
            "expected True or False, got {}",
            other.type_name()
        ))
        .at(span)),
    }
}

pub(crate) fn str_arg(args: &Args, i: usize, name: &str, func: &str) -> Result<String, LangError> {
    let (v, s) = args.require(i, name, func)?;
    as_str(v, s)
}

pub(crate) fn int_arg(args: &Args, i: usize, name: &str, func: &str) -> Result<i64, LangError> {
    let (v, s) = args.require(i, name, func)?;
    as_int(v, s)
}

pub(crate) fn binary(op: BinOp, l: Value, r: Value) -> Result<Value, LangError> {
    use Value::*;
    if let (Column(_), _) | (_, Column(_)) = (&l, &r) {
        let lc = value_column(&l, Span::default())?;
        let rc = value_column(&r, Span::default())?;
        let (a, b) = (lc.expr, rc.expr);
        let expr = match op {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::Div => a.cast(DataType::Float64) / b.cast(DataType::Float64),
            BinOp::FloorDiv => a.floor_div(b),
            BinOp::Mod => a % b,
            BinOp::Pow => a.pow(b),
            BinOp::Eq => a.eq(b),
            BinOp::Ne => a.neq(b),
            BinOp::Lt => a.lt(b),
            BinOp::Le => a.lt_eq(b),
            BinOp::Gt => a.gt(b),
            BinOp::Ge => a.gt_eq(b),
            BinOp::BitAnd => a.and(b),
            BinOp::BitOr => a.or(b),
            BinOp::And | BinOp::Or => {
                return Err(LangError::type_error(format!(
                    "`{}` cannot combine columns",
                    op.symbol()
                ))
                .with_hint(if op == BinOp::And {
                    "use `&` and wrap each condition in parentheses"
                } else {
                    "use `|` and wrap each condition in parentheses"
                }));
            }
        };
        let name = format!("({} {} {})", lc.name, op.symbol(), rc.name);
        return Ok(Value::Column(crate::value::Column::new(expr, name)));
    }
    let num = |v: &Value| match v {
        Int(i) => Some(*i as f64),
        Float(f) => Some(*f),
        Bool(b) => Some(f64::from(u8::from(*b))),
        _ => Option::None,
    };
    Ok(match (op, &l, &r) {
        (BinOp::Add, Str(a), Str(b)) => Str(format!("{a}{b}")),
        (BinOp::Add, List(a), List(b)) => List(a.iter().chain(b).cloned().collect()),
        (BinOp::Mul, Str(a), Int(n)) => Str(a.repeat((*n).max(0) as usize)),
        (BinOp::Eq, _, _) => Bool(values_equal(&l, &r)),
        (BinOp::Ne, _, _) => Bool(!values_equal(&l, &r)),
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
        (_, Int(a), Int(b)) if !matches!(op, BinOp::Div | BinOp::Pow) => match op {
            BinOp::Add => Int(a.checked_add(*b).ok_or_else(overflow)?),
            BinOp::Sub => Int(a.checked_sub(*b).ok_or_else(overflow)?),
            BinOp::Mul => Int(a.checked_mul(*b).ok_or_else(overflow)?),
            BinOp::FloorDiv | BinOp::Mod if *b == 0 => {
                return Err(LangError::new(
                    "ZeroDivisionError",
                    "integer division or modulo by zero",
                ));
            }
            BinOp::FloorDiv => Int(a.div_euclid(*b)),
            BinOp::Mod => Int(a.rem_euclid(*b)),
            BinOp::Lt => Bool(a < b),
            BinOp::Le => Bool(a <= b),
            BinOp::Gt => Bool(a > b),
            BinOp::Ge => Bool(a >= b),
            BinOp::BitAnd => Int(a & b),
            BinOp::BitOr => Int(a | b),
            _ => unreachable!("handled above"),
        },
        _ => match (num(&l), num(&r)) {
            (Some(a), Some(b)) => match op {
                BinOp::Add => Float(a + b),
                BinOp::Sub => Float(a - b),
                BinOp::Mul => Float(a * b),
                BinOp::Div if b == 0.0 => {
                    return Err(LangError::new("ZeroDivisionError", "division by zero"));
                }
                BinOp::Div => Float(a / b),
                BinOp::FloorDiv => Float((a / b).floor()),
                BinOp::Mod => Float(a.rem_euclid(b)),
                BinOp::Pow => {
                    if let (Int(x), Int(y)) = (&l, &r)
                        && *y >= 0
                        && *y < 64
                    {
                        x.checked_pow(*y as u32)
                            .map(Int)
                            .unwrap_or(Float(a.powf(b)))
                    } else {
                        Float(a.powf(b))
                    }
                }
                BinOp::Lt => Bool(a < b),
                BinOp::Le => Bool(a <= b),
                BinOp::Gt => Bool(a > b),
                BinOp::Ge => Bool(a >= b),
                _ => return Err(unsupported_op(op, &l, &r)),
            },
            _ => match (op, &l, &r) {
                (BinOp::Lt, Str(a), Str(b)) => Bool(a < b),
                (BinOp::Gt, Str(a), Str(b)) => Bool(a > b),
                (BinOp::Le, Str(a), Str(b)) => Bool(a <= b),
                (BinOp::Ge, Str(a), Str(b)) => Bool(a >= b),
                _ => return Err(unsupported_op(op, &l, &r)),
            },
        },
    })
}

pub(crate) fn overflow() -> LangError {
    LangError::new("OverflowError", "integer overflow (integers are 64-bit)")
}

pub(crate) fn unsupported_op(op: BinOp, l: &Value, r: &Value) -> LangError {
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

pub(crate) fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => (*x as f64) == *y,
        _ => a.repr() == b.repr(),
    }
}

pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::None => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::List(i) | Value::Tuple(i) => !i.is_empty(),
        _ => true,
    }
}

pub(crate) fn unary(op: UnOp, v: Value) -> Result<Value, LangError> {
    Ok(match (op, v) {
        (UnOp::Neg, Value::Int(i)) => Value::Int(-i),
        (UnOp::Neg, Value::Float(f)) => Value::Float(-f),
        (UnOp::Pos, v @ (Value::Int(_) | Value::Float(_))) => v,
        (UnOp::Not, v) if !matches!(v, Value::Column(_)) => Value::Bool(!truthy(&v)),
        (UnOp::Invert, Value::Column(c)) => Value::Column(crate::value::Column::new(
            c.expr.not(),
            format!("(NOT {})", c.name),
        )),
        (UnOp::Neg, Value::Column(c)) => Value::Column(crate::value::Column::new(
            lit(0) - c.expr,
            format!("(- {})", c.name),
        )),
        (UnOp::Not, Value::Column(_)) => {
            return Err(
                LangError::type_error("`not` cannot negate a column").with_hint("use `~col(...)`")
            );
        }
        (UnOp::Invert, Value::Int(i)) => Value::Int(!i),
        (op, v) => {
            return Err(LangError::type_error(format!(
                "bad operand type for unary {op:?}: '{}'",
                v.type_name()
            )));
        }
    })
}
