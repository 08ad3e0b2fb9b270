//! Aggregates that fold a group into one value other than a statistic: bitwise folds,
//! strings joined with a delimiter, and the `try_` sums that give null instead of failing.
//! As everywhere in Spark, a group with no non-null values gives null.

use polars::prelude::*;

use super::aggregates::spark_sum;
use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "bit_and(col: ColumnOrName) -> Column",
        "Bitwise AND of the non-null values.",
        bit_and,
    ),
    Entry::function(
        F,
        "bit_or(col: ColumnOrName) -> Column",
        "Bitwise OR of the non-null values.",
        bit_or,
    ),
    Entry::function(
        F,
        "bit_xor(col: ColumnOrName) -> Column",
        "Bitwise XOR of the non-null values.",
        bit_xor,
    ),
    Entry::function(
        F,
        "listagg(col: ColumnOrName, delimiter: str|None = None) -> Column",
        "The non-null strings joined with `delimiter` (nothing between them by default).",
        listagg,
    ),
    Entry::function(
        F,
        "string_agg(col: ColumnOrName, delimiter: str|None = None) -> Column",
        "The non-null strings joined with `delimiter`, as `listagg`.",
        listagg,
    ),
    Entry::function(
        F,
        "listagg_distinct(col: ColumnOrName, delimiter: str|None = None) -> Column",
        "The distinct non-null strings joined with `delimiter`.",
        listagg_distinct,
    ),
    Entry::function(
        F,
        "string_agg_distinct(col: ColumnOrName, delimiter: str|None = None) -> Column",
        "The distinct non-null strings joined with `delimiter`, as `listagg_distinct`.",
        listagg_distinct,
    ),
    Entry::function(
        F,
        "try_sum(col: ColumnOrName) -> Column",
        "Sum; null where Spark's would overflow.",
        try_sum,
    ),
    Entry::function(
        F,
        "try_avg(col: ColumnOrName) -> Column",
        "Mean; null where Spark's would overflow.",
        try_avg,
    ),
];

fn aggregate(expr: Expr, name: String) -> Result<Value, LangError> {
    let mut out = Column::new(expr, name);
    out.aggregate = true;
    Ok(Value::Column(Box::new(out)))
}

/// Null for a group without non-null values, else `e`.
fn unless_empty(input: &Expr, e: Expr) -> Expr {
    when(input.clone().count().gt(lit(0)))
        .then(e)
        .otherwise(lit(NULL))
}

fn bitwise(call: &Call, f: fn(Expr) -> Expr) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let e = c.expr.clone().drop_nulls();
    aggregate(
        unless_empty(&c.expr, f(e)),
        format!("{}({})", call.name, c.name),
    )
}
fn bit_and(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    bitwise(&call, Expr::bitwise_and)
}
fn bit_or(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    bitwise(&call, Expr::bitwise_or)
}
fn bit_xor(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    bitwise(&call, Expr::bitwise_xor)
}

fn joined(call: &Call, distinct: bool) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let delimiter = call.opt_str("delimiter")?;
    let mut values = c.expr.clone().drop_nulls();
    if distinct {
        values = values.unique_stable();
    }
    let text = values
        .cast(DataType::String)
        .str()
        .join(delimiter.as_deref().unwrap_or(""), true);
    let function = call.name.trim_end_matches("_distinct");
    let name = format!(
        "{function}({}{}, {})",
        if distinct { "DISTINCT " } else { "" },
        c.name,
        delimiter.as_deref().unwrap_or("NULL")
    );
    aggregate(unless_empty(&c.expr, text), name)
}
fn listagg(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    joined(&call, false)
}
fn listagg_distinct(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    joined(&call, true)
}

fn try_sum(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    aggregate(spark_sum(c.expr), format!("try_sum({})", c.name))
}
fn try_avg(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    aggregate(
        c.expr.cast(DataType::Float64).mean(),
        format!("try_avg({})", c.name),
    )
}
