//! Physical layout hints: partitioning, coalescing, join hints. A local session has one
//! partition and plans joins itself, so these keep the rows as they are; they are
//! accepted so that notebooks written for a cluster run unchanged. Their arguments are
//! still checked.

use crate::api::call::Call;
use crate::api::common::{columns_arg, derive_value};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Receiver, Value};

const DF: Receiver = Receiver::DataFrame;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "repartition(numPartitions: int|ColumnOrName = None, *cols: ColumnOrName) -> DataFrame",
        "Accepted; the local engine keeps one partition.",
        same_rows,
    ),
    Entry::method(
        DF,
        "repartitionByRange(numPartitions: int|ColumnOrName = None, *cols: ColumnOrName) -> DataFrame",
        "Accepted; the local engine keeps one partition.",
        same_rows,
    ),
    Entry::method(
        DF,
        "coalesce(numPartitions: int) -> DataFrame",
        "Accepted; the local engine keeps one partition.",
        same_rows,
    ),
    Entry::method(
        DF,
        "hint(name: str, *parameters: any) -> DataFrame",
        "Accepted; the local engine chooses its own join strategy.",
        same_rows,
    ),
    Entry::method(
        DF,
        "sortWithinPartitions(*cols: ColumnOrName|list|int, ascending: bool|list = True) -> DataFrame",
        "Sorts (one partition: the whole frame).",
        sort_within_partitions,
    ),
];

fn same_rows(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    // Named columns must exist, as in Spark.
    let named: Vec<_> = call
        .rest_flat()
        .into_iter()
        .filter(|(v, _)| matches!(v, Value::Str(_) | Value::Column(_)))
        .collect();
    columns_arg(&f, &named)?;
    if call.name == "coalesce" && call.int("numPartitions")? < 1 {
        return Err(LangError::new(
            "IllegalArgumentException",
            "requirement failed: Number of partitions must be positive.",
        )
        .at(call.span_of("numPartitions")));
    }
    Ok(Value::Frame(Box::new(f)))
}

fn sort_within_partitions(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let items = crate::api::dataframe::transforms::by_position(&f, call.rest_flat())?;
    let cols = columns_arg(&f, &items)?;
    let asc: Vec<bool> = match call.value("ascending") {
        Value::List(items) => items
            .iter()
            .map(|v| matches!(v, Value::Bool(true) | Value::Int(1)))
            .collect(),
        Value::Bool(b) => vec![*b; cols.len()],
        Value::Int(i) => vec![*i != 0; cols.len()],
        _ => vec![true; cols.len()],
    };
    let descending: Vec<bool> = cols
        .iter()
        .zip(asc.iter().chain(std::iter::repeat(&true)))
        .map(|(c, a)| c.descending.unwrap_or(!a))
        .collect();
    let exprs: Vec<_> = cols.iter().map(|c| c.expr.clone()).collect();
    let options = polars::prelude::SortMultipleOptions::default()
        .with_order_descending_multi(descending.clone())
        .with_nulls_last_multi(descending)
        .with_maintain_order(true);
    derive_value(ctx, f, call.span, |lf| {
        lf.sort_by_exprs(exprs.clone(), options.clone())
    })
}
