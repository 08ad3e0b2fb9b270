//! Nulls and replaced values: `fillna`/`na.fill`, `dropna`/`na.drop`, `replace`/
//! `na.replace`, with Spark's rules (a value only touches columns of its own type; `subset`
//! limits each).

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{check_names, derive_value};
use crate::api::convert::literal;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Frame, Receiver, Value};

const FILL_DOC: &str =
    "Replaces nulls in the columns whose type matches `value` (in `subset`, if given).";
const REPLACE_DOC: &str = "Replaces values equal to `to_replace` (a value, a list, or a dict of old to new) with `value`, in the columns of their type (in `subset`).";
const DROP_DOC: &str =
    "Drops rows with nulls: `how` any/all, or fewer than `thresh` non-nulls (in `subset`).";

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        Receiver::DataFrame,
        "fillna(value: int|float|str|bool|dict, subset: str|list = None) -> DataFrame",
        FILL_DOC,
        fill,
    ),
    Entry::method(
        Receiver::DataFrame,
        "dropna(how: str = 'any', thresh: int = None, subset: str|list = None) -> DataFrame",
        DROP_DOC,
        drop,
    ),
    Entry::method(
        Receiver::NaFunctions,
        "fill(value: int|float|str|bool|dict, subset: str|list = None) -> DataFrame",
        FILL_DOC,
        fill,
    ),
    Entry::method(
        Receiver::DataFrame,
        "replace(to_replace: any, value: any = None, subset: str|list = None) -> DataFrame",
        REPLACE_DOC,
        replace,
    ),
    Entry::method(
        Receiver::NaFunctions,
        "replace(to_replace: any, value: any = None, subset: str|list = None) -> DataFrame",
        REPLACE_DOC,
        replace,
    ),
    Entry::method(
        Receiver::NaFunctions,
        "drop(how: str = 'any', thresh: int = None, subset: str|list = None) -> DataFrame",
        DROP_DOC,
        drop,
    ),
];

/// The columns `subset` names (checked), or every column.
fn subset(f: &Frame, call: &Call) -> Result<Vec<String>, LangError> {
    match call.opt_names("subset")? {
        Some(names) => {
            check_names(f, &names, call.span_of("subset"))?;
            Ok(names)
        }
        None => Ok(f.columns()),
    }
}

fn fill(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let value = call.value("value").clone();
    if let Value::Dict(pairs) = &value {
        return fill_per_column(ctx, f, &call, pairs);
    }
    let fill = literal(&value, call.span_of("value"))?.expr;
    let names = subset(&f, &call)?;
    let exprs: Vec<Expr> = names
        .iter()
        .filter(|n| {
            f.schema.get(n.as_str()).is_some_and(|t| match value {
                Value::Str(_) => t.is_string(),
                Value::Bool(_) => t.is_bool(),
                _ => t.is_primitive_numeric(),
            })
        })
        .map(|n| col(n.as_str()).fill_null(fill.clone()))
        .collect();
    derive_value(ctx, f, call.span, |lf| lf.with_columns(exprs.clone()))
}

/// `fillna({"age": 50, "name": "unknown"})`: each column its own value (subset ignored,
/// as in Spark).
fn fill_per_column(
    ctx: &mut dyn Context,
    f: Frame,
    call: &Call,
    pairs: &[(Value, Value)],
) -> Result<Value, LangError> {
    let span = call.span_of("value");
    let mut exprs = Vec::new();
    for (k, v) in pairs {
        let Value::Str(name) = k else {
            return Err(LangError::type_error(format!(
                "fillna() dict keys must be column names (str), got {}",
                k.type_name()
            ))
            .at(span));
        };
        check_names(&f, std::slice::from_ref(name), span)?;
        let t = f
            .schema
            .get(name.as_str())
            .cloned()
            .unwrap_or(DataType::Null);
        let fill = literal(v, span)?.expr;
        exprs.push(col(name.as_str()).fill_null(fill).cast(t));
    }
    derive_value(ctx, f, call.span, |lf| lf.with_columns(exprs.clone()))
}

fn replace(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let span = call.span_of("to_replace");
    let list = |v: &Value| match v {
        Value::List(xs) | Value::Tuple(xs) => Some(xs.to_vec()),
        _ => None,
    };
    let pairs: Vec<(Value, Value)> = match call.value("to_replace") {
        Value::Dict(pairs) => pairs.to_vec(),
        old => {
            if !call.given("value") && !matches!(old, Value::Dict(_)) {
                return Err(LangError::type_error(
                    "value argument is required when to_replace is not a dictionary.",
                )
                .at(call.span));
            }
            let new = call.value("value");
            match (list(old), list(new)) {
                (Some(olds), Some(news)) if olds.len() == news.len() => {
                    olds.into_iter().zip(news).collect()
                }
                (Some(olds), Some(news)) => {
                    return Err(LangError::new(
                        "ValueError",
                        format!(
                            "to_replace and value lists should be of the same length. Got {} and {}",
                            olds.len(),
                            news.len()
                        ),
                    )
                    .at(span));
                }
                (Some(olds), None) => olds.into_iter().map(|o| (o, new.clone())).collect(),
                (None, _) => vec![(old.clone(), new.clone())],
            }
        }
    };
    let kind = |v: &Value| match v {
        Value::Str(_) => Some(0),
        Value::Bool(_) => Some(1),
        Value::Int(_) | Value::Float(_) => Some(2),
        _ => None,
    };
    let names = subset(&f, &call)?;
    let mut exprs = Vec::new();
    for n in &names {
        let Some(t) = f.schema.get(n.as_str()).cloned() else {
            continue;
        };
        let column_kind = if t.is_string() {
            Some(0)
        } else if t.is_bool() {
            Some(1)
        } else if t.is_primitive_numeric() {
            Some(2)
        } else {
            None
        };
        let mut e: Option<Expr> = None;
        for (old, new) in pairs.iter().rev() {
            if kind(old).is_none() || kind(old) != column_kind {
                continue;
            }
            let then = literal(new, span)?.expr.cast(t.clone());
            let test = col(n.as_str()).eq(literal(old, span)?.expr);
            e = Some(
                when(test)
                    .then(then)
                    .otherwise(e.unwrap_or_else(|| col(n.as_str()))),
            );
        }
        if let Some(e) = e {
            exprs.push(e.cast(t).alias(n.as_str()));
        }
    }
    derive_value(ctx, f, call.span, |lf| lf.with_columns(exprs.clone()))
}

fn drop(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let names = subset(&f, &call)?;
    // Spark counts NaN as missing too, in floating-point columns.
    let floats: Vec<bool> = names
        .iter()
        .map(|n| f.schema.get(n).is_some_and(DataType::is_float))
        .collect();
    let present = || {
        names.iter().zip(&floats).map(|(n, float)| {
            let c = col(n.as_str());
            if *float {
                c.clone()
                    .is_not_null()
                    .and(c.is_nan().not().fill_null(lit(true)))
            } else {
                c.is_not_null()
            }
        })
    };
    let keep = match (
        call.opt_int("thresh")?,
        call.str("how")?.to_lowercase().as_str(),
    ) {
        (Some(t), _) => {
            let non_null = present()
                .map(|e| e.cast(DataType::Int64))
                .reduce(|a, b| a + b)
                .unwrap_or(lit(0i64));
            non_null.gt_eq(lit(t))
        }
        (None, "any") => present().reduce(|a, b| a.and(b)).unwrap_or(lit(true)),
        (None, "all") => present().reduce(|a, b| a.or(b)).unwrap_or(lit(true)),
        (None, other) => {
            return Err(LangError::new(
                "IllegalArgumentException",
                format!("how ('{other}') should be 'any' or 'all'"),
            )
            .at(call.span_of("how")));
        }
    };
    derive_value(ctx, f, call.span, |lf| lf.filter(keep.clone()))
}
