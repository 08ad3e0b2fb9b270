//! Aggregate functions, for `agg` and `select`.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

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
        "countDistinct(col: ColumnOrName) -> Column",
        "Distinct non-null values.",
        count_distinct,
    )
    .aliases(&["count_distinct"]),
    Entry::function(F, "sum(col: ColumnOrName) -> Column", "Sum.", sum),
    Entry::function(F, "avg(col: ColumnOrName) -> Column", "Mean.", avg).aliases(&["mean"]),
    Entry::function(F, "min(col: ColumnOrName) -> Column", "Minimum.", min),
    Entry::function(F, "max(col: ColumnOrName) -> Column", "Maximum.", max),
];

/// The aggregate `agg({"col": "name"})` asks for, named as Spark names it (`max(age)`;
/// `mean` is `avg`).
pub fn by_name(function: &str, c: &Column) -> Option<Column> {
    let (label, expr) = match function.to_lowercase().as_str() {
        "count" => ("count", c.expr.clone().count().cast(DataType::Int64)),
        "sum" => ("sum", c.expr.clone().sum()),
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
            aggregate(
                c.expr.count().cast(DataType::Int64),
                format!("count({})", c.name),
            )
        }
    }
}

fn count_distinct(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    aggregate(
        c.expr.drop_nulls().n_unique().cast(DataType::Int64),
        format!("count(DISTINCT {})", c.name),
    )
}

fn simple(call: &Call, label: &str, f: fn(Expr) -> Expr) -> Result<Value, LangError> {
    let c = call.column("col")?;
    aggregate(f(c.expr), format!("{label}({})", c.name))
}

fn sum(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    simple(&call, "sum", |e| e.sum())
}
fn avg(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    simple(&call, "avg", |e| e.cast(DataType::Float64).mean())
}
fn min(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    simple(&call, "min", |e| e.min())
}
fn max(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    simple(&call, "max", |e| e.max())
}
