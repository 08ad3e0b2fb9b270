//! Aggregate functions, for `agg` and `select`.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::api::operators::binary;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::syntax::ast::BinOp;
use std::sync::Arc;

use crate::core::value::{Column, Module, RunningAggregate, Value, WindowFn};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "count(col: ColumnOrName|int) -> Column",
        "Non-null values; count(\"*\") counts rows.",
        count,
    ),
    Entry::function(
        F,
        "countDistinct(col: ColumnOrName, *cols: ColumnOrName) -> Column",
        "Distinct non-null values.",
        count_distinct,
    )
    .aliases(&["count_distinct"]),
    Entry::function(
        F,
        "sum(col: ColumnOrName|list) -> Column",
        "Sum (of a Python list, Python's sum).",
        sum,
    ),
    Entry::function(F, "avg(col: ColumnOrName) -> Column", "Mean.", avg).aliases(&["mean"]),
    Entry::function(
        F,
        "min(col: ColumnOrName|list) -> Column",
        "Minimum (of a Python list, Python's min).",
        min,
    ),
    Entry::function(
        F,
        "max(col: ColumnOrName|list) -> Column",
        "Maximum (of a Python list, Python's max).",
        max,
    ),
    Entry::function(
        F,
        "first(col: ColumnOrName, ignorenulls: bool = False) -> Column",
        "The first value of the group (the first non-null with `ignorenulls`).",
        first,
    )
    .aliases(&["first_value", "any_value"]),
    Entry::function(
        F,
        "last(col: ColumnOrName, ignorenulls: bool = False) -> Column",
        "The last value of the group (the last non-null with `ignorenulls`).",
        last,
    )
    .aliases(&["last_value"]),
    Entry::function(
        F,
        "collect_list(col: ColumnOrName) -> Column",
        "The group's non-null values as an array.",
        collect_list,
    )
    .aliases(&["array_agg"]),
    Entry::function(
        F,
        "collect_set(col: ColumnOrName) -> Column",
        "The group's distinct non-null values as an array.",
        collect_set,
    ),
    Entry::function(
        F,
        "stddev(col: ColumnOrName) -> Column",
        "Sample standard deviation.",
        stddev,
    )
    .aliases(&["std"]),
    Entry::function(
        F,
        "stddev_samp(col: ColumnOrName) -> Column",
        "Sample standard deviation.",
        stddev_samp,
    ),
    Entry::function(
        F,
        "stddev_pop(col: ColumnOrName) -> Column",
        "Population standard deviation.",
        stddev_pop,
    ),
    Entry::function(
        F,
        "variance(col: ColumnOrName) -> Column",
        "Sample variance.",
        variance,
    ),
    Entry::function(
        F,
        "var_samp(col: ColumnOrName) -> Column",
        "Sample variance.",
        var_samp,
    ),
    Entry::function(
        F,
        "var_pop(col: ColumnOrName) -> Column",
        "Population variance.",
        var_pop,
    ),
    Entry::function(
        F,
        "sum_distinct(col: ColumnOrName) -> Column",
        "Sum of the distinct values.",
        sum_distinct,
    )
    .aliases(&["sumDistinct"]),
    Entry::function(
        F,
        "count_if(col: ColumnOrName) -> Column",
        "Rows where the condition is true.",
        count_if,
    ),
    Entry::function(
        F,
        "bool_and(col: ColumnOrName) -> Column",
        "Whether every value is true.",
        bool_and,
    )
    .aliases(&["every"]),
    Entry::function(
        F,
        "bool_or(col: ColumnOrName) -> Column",
        "Whether some value is true.",
        bool_or,
    )
    .aliases(&["some"]),
    Entry::function(
        F,
        "max_by(col: ColumnOrName, ord: ColumnOrName, k: int = None) -> Column",
        "`col` where `ord` is largest (the `k` values with the largest `ord`, as an array).",
        max_by,
    ),
    Entry::function(
        F,
        "min_by(col: ColumnOrName, ord: ColumnOrName, k: int = None) -> Column",
        "`col` where `ord` is smallest (the `k` values with the smallest `ord`, as an array).",
        min_by,
    ),
    Entry::function(
        F,
        "median(col: ColumnOrName) -> Column",
        "The median.",
        median,
    ),
    Entry::function(
        F,
        "product(col: ColumnOrName) -> Column",
        "Product of the values.",
        product,
    ),
];

/// `label(col)` over one column.
fn over(call: &Call, label: &str, f: impl FnOnce(Expr) -> Expr) -> Result<Value, LangError> {
    let c = call.column("col")?;
    aggregate(f(c.expr), format!("{label}({})", c.name))
}

fn first(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let skip = call.bool("ignorenulls")?;
    over(&call, call.name, |e| {
        if skip {
            e.drop_nulls().first()
        } else {
            e.first()
        }
    })
}
fn last(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let skip = call.bool("ignorenulls")?;
    over(&call, call.name, |e| {
        if skip {
            e.drop_nulls().last()
        } else {
            e.last()
        }
    })
}
fn collect_list(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, "collect_list", |e| e.drop_nulls().implode(false))
}
fn collect_set(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, "collect_set", |e| {
        e.drop_nulls().unique_stable().implode(false)
    })
}
fn stddev(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, call.name, |e| variance_of(e, 1).sqrt())
}
fn stddev_samp(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, "stddev_samp", |e| variance_of(e, 1).sqrt())
}
fn stddev_pop(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, "stddev_pop", |e| variance_of(e, 0).sqrt())
}
fn variance(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, "variance", |e| variance_of(e, 1))
}
fn var_samp(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, "var_samp", |e| variance_of(e, 1))
}
fn var_pop(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, "var_pop", |e| variance_of(e, 0))
}

/// The variance of the non-null values with `ddof` degrees of freedom taken off, summed
/// in two passes (squares of distances from the mean) as Spark's answers come out; null
/// when there are not more than `ddof` values.
pub fn variance_of(e: Expr, ddof: u8) -> Expr {
    let x = e.cast(DataType::Float64);
    let n = x.clone().count().cast(DataType::Float64);
    let d = x.clone() - x.mean();
    let squares = (d.clone() * d).sum();
    let ddof = lit(ddof as f64);
    when(n.clone().gt(ddof.clone()))
        .then(squares / (n - ddof))
        .otherwise(lit(NULL).cast(DataType::Float64))
}
fn sum_distinct(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    aggregate(
        spark_sum(c.expr.drop_nulls().unique()),
        format!("sum(DISTINCT {})", c.name),
    )
}
fn count_if(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, "count_if", |e| {
        e.cast(DataType::Boolean).sum().cast(DataType::Int64)
    })
}
fn bool_and(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, call.name, |e| e.cast(DataType::Boolean).all(true))
}
fn bool_or(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, call.name, |e| e.cast(DataType::Boolean).any(true))
}
fn by(call: &Call, label: &str, largest: bool) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let o = to_column(call.value("ord"), call.span_of("ord"))?;
    if let Some(k) = call.opt_int("k")? {
        if k < 1 {
            return Err(LangError::analysis(format!(
                "[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] k must be positive, got {k}"
            ))
            .at(call.span_of("k")));
        }
        let options = SortOptions {
            descending: largest,
            nulls_last: true,
            ..Default::default()
        };
        let keep = o.expr.clone().is_not_null();
        let picked = c
            .expr
            .filter(keep.clone())
            .sort_by([o.expr.filter(keep)], SortMultipleOptions::from(&options))
            .head(Some(k as usize))
            .implode(false);
        return aggregate(picked, format!("{label}({}, {}, {k})", c.name, o.name));
    }
    let at = if largest {
        o.expr.arg_max()
    } else {
        o.expr.arg_min()
    };
    aggregate(
        c.expr.get(at, true),
        format!("{label}({}, {})", c.name, o.name),
    )
}
fn max_by(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    by(&call, "max_by", true)
}
fn min_by(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    by(&call, "min_by", false)
}
fn median(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, "median", |e| e.cast(DataType::Float64).median())
}
fn product(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, "product", |e| e.cast(DataType::Float64).product())
}

/// The aggregate `agg({"col": "name"})` asks for, named as Spark names it (`max(age)`;
/// `mean` is `avg`).
pub fn by_name(function: &str, c: &Column) -> Option<Column> {
    let (label, expr) = match function.to_lowercase().as_str() {
        "count" => ("count", c.expr.clone().count().cast(DataType::Int64)),
        "sum" => ("sum", spark_sum(c.expr.clone())),
        "avg" | "mean" => ("avg", c.expr.clone().cast(DataType::Float64).mean()),
        "min" => ("min", c.expr.clone().min()),
        "max" => ("max", c.expr.clone().max()),
        "first" => ("first", c.expr.clone().first()),
        "last" => ("last", c.expr.clone().last()),
        _ => return None,
    };
    let mut out = Column::new(expr, format!("{label}({})", c.name));
    out.aggregate = true;
    Some(out)
}

fn aggregate(expr: Expr, name: String) -> Result<Value, LangError> {
    let mut out = Column::new(expr, name);
    out.aggregate = true;
    Ok(Value::Column(Box::new(out)))
}

fn count(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    match call.value("col") {
        Value::Str(star) if star == "*" => {
            aggregate(len().cast(DataType::Int64), "count(1)".into())
        }
        Value::Int(1) => aggregate(len().cast(DataType::Int64), "count(1)".into()),
        v => {
            let c = to_column(v, call.span_of("col"))?;
            // A constant counts every row (none when it is null).
            let counted = match &c.expr {
                Expr::Literal(l) if l.is_null() => lit(0i64),
                Expr::Literal(_) => len().cast(DataType::Int64),
                e => e.clone().count().cast(DataType::Int64),
            };
            let mut out = Column::new(counted, format!("count({})", c.name));
            out.aggregate = true;
            out.window = Some(Arc::new(WindowFn::Aggregate {
                input: c.expr,
                kind: RunningAggregate::Count,
            }));
            Ok(Value::Column(Box::new(out)))
        }
    }
}

fn count_distinct(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut cols = vec![call.column("col")?];
    for (v, s) in call.rest() {
        cols.push(to_column(v, *s)?);
    }
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    let label = format!("count(DISTINCT {})", names.join(", "));
    // Rows where every column is non-null, counted once per distinct combination.
    let expr = if cols.len() == 1 {
        cols[0].expr.clone().drop_nulls().n_unique()
    } else {
        let all_present = cols
            .iter()
            .map(|c| c.expr.clone().is_not_null())
            .reduce(|a, b| a.and(b))
            .unwrap_or(lit(true));
        let row = as_struct(
            cols.iter()
                .enumerate()
                .map(|(i, c)| c.expr.clone().alias(format!("c{i}")))
                .collect::<Vec<_>>(),
        );
        row.filter(all_present).n_unique()
    };
    aggregate(expr.cast(DataType::Int64), label)
}

/// An aggregate that also runs along an ordered window (`sum(x).over(w)`).
fn running(
    call: &Call,
    label: &str,
    f: fn(Expr) -> Expr,
    kind: RunningAggregate,
) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let mut out = Column::new(f(c.expr.clone()), format!("{label}({})", c.name));
    out.aggregate = true;
    out.window = Some(Arc::new(WindowFn::Aggregate {
        input: c.expr,
        kind,
    }));
    Ok(Value::Column(Box::new(out)))
}

/// Spark's sum of no (non-null) values is null, where Polars' is 0.
pub fn spark_sum(e: Expr) -> Expr {
    when(e.clone().count().gt(lit(0)))
        .then(e.sum())
        .otherwise(lit(NULL))
}

/// `sum([1, 2])`, `max(xs)`: with every function in scope by bare name (as after
/// `from pyspark.sql.functions import *`), a Python list still gets Python's answer.
fn python_fold(call: &Call, op: &str) -> Option<Result<Value, LangError>> {
    let (Value::List(items) | Value::Tuple(items)) = call.value("col") else {
        return None;
    };
    let span = call.span_of("col");
    let mut acc: Option<Value> = None;
    for v in items.iter() {
        let next = match (&acc, op) {
            (None, _) => v.clone(),
            (Some(a), "sum") => match binary(BinOp::Add, a.clone(), v.clone()) {
                Ok(x) => x,
                Err(e) => return Some(Err(e.at(span))),
            },
            (Some(a), _) => {
                let cmp = if op == "min" { BinOp::Lt } else { BinOp::Gt };
                match binary(cmp, v.clone(), a.clone()) {
                    Ok(Value::Bool(true)) => v.clone(),
                    Ok(_) => a.clone(),
                    Err(e) => return Some(Err(e.at(span))),
                }
            }
        };
        acc = Some(next);
    }
    Some(match (acc, op) {
        (Some(v), _) => Ok(v),
        (None, "sum") => Ok(Value::Int(0)),
        (None, _) => {
            Err(LangError::new("ValueError", format!("{op}() arg is an empty sequence")).at(span))
        }
    })
}

fn sum(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    if let Some(r) = python_fold(&call, "sum") {
        return r;
    }
    running(&call, "sum", spark_sum, RunningAggregate::Sum)
}
fn avg(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    running(
        &call,
        "avg",
        |e| e.cast(DataType::Float64).mean(),
        RunningAggregate::Avg,
    )
}
fn min(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    if let Some(r) = python_fold(&call, "min") {
        return r;
    }
    running(&call, "min", |e| e.min(), RunningAggregate::Min)
}
fn max(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    if let Some(r) = python_fold(&call, "max") {
        return r;
    }
    running(&call, "max", |e| e.max(), RunningAggregate::Max)
}
