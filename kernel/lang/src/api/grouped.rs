//! GroupedData: aggregations after `groupBy`.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{check_names, frame_value};
use crate::api::convert::as_str;
use crate::api::entry::Entry;
use crate::api::functions::aggregates::{by_name, spark_sum};
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::value::{Grouped, Receiver, Value};

const GD: Receiver = Receiver::GroupedData;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        GD,
        "count() -> DataFrame",
        "Rows per group, as column `count`.",
        count,
    ),
    Entry::method(
        GD,
        "agg(*exprs: Column|list|dict) -> DataFrame",
        "Aggregate columns per group: `agg(count(\"*\"), avg(\"preco\"))`.",
        agg,
    ),
    Entry::method(
        GD,
        "sum(*cols: str) -> DataFrame",
        "Sum of numeric columns per group (all numeric columns by default).",
        sum,
    ),
    Entry::method(
        GD,
        "avg(*cols: str) -> DataFrame",
        "Mean of numeric columns per group.",
        avg,
    )
    .aliases(&["mean"]),
    Entry::method(
        GD,
        "min(*cols: str) -> DataFrame",
        "Minimum per group.",
        min,
    ),
    Entry::method(
        GD,
        "max(*cols: str) -> DataFrame",
        "Maximum per group.",
        max,
    ),
];

fn grouped(call: &Call) -> Result<&Grouped, LangError> {
    match &call.this {
        Value::Grouped(g) => Ok(g),
        other => Err(call.wrong_receiver(other)),
    }
}

fn group(g: &Grouped, aggs: Vec<Expr>) -> Result<LazyFrame, LangError> {
    if let Some(sets) = &g.sets {
        return grouping_sets(g, sets, aggs);
    }
    Ok(if g.keys.is_empty() {
        g.frame.lf.clone().select(aggs)
    } else {
        g.frame.lf.clone().group_by(g.keys.clone()).agg(aggs)
    })
}

/// `rollup`/`cube`: one aggregation per grouping set, stacked, the keys a set leaves out
/// null in its rows.
fn grouping_sets(
    g: &Grouped,
    sets: &[Vec<usize>],
    aggs: Vec<Expr>,
) -> Result<LazyFrame, LangError> {
    let names: Vec<PlSmallStr> = g
        .keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            k.clone()
                .meta()
                .output_name()
                .unwrap_or_else(|_| format!("key{i}").into())
        })
        .collect();
    let parts: Vec<LazyFrame> = sets
        .iter()
        .map(|set| {
            let base = g.frame.lf.clone();
            let grouped = if set.is_empty() {
                base.select(aggs.clone())
            } else {
                base.group_by(set.iter().map(|i| g.keys[*i].clone()).collect::<Vec<_>>())
                    .agg(aggs.clone())
            };
            // Every part has every key, null where the set leaves it out, in key order.
            let mut cols: Vec<Expr> = names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    if set.contains(&i) {
                        col(n.clone())
                    } else {
                        lit(NULL).alias(n.clone())
                    }
                })
                .collect();
            cols.extend(aggs.iter().map(|a| {
                col(a
                    .clone()
                    .meta()
                    .output_name()
                    .unwrap_or_else(|_| "agg".into()))
            }));
            grouped.select(cols)
        })
        .collect();
    let args = UnionArgs {
        to_supertypes: true,
        ..Default::default()
    };
    concat(parts, args).map_err(crate::core::error::polars_error)
}

/// `agg(...)` over `g`: every item must be an aggregate column.
pub fn aggregate(
    ctx: &mut dyn Context,
    g: &Grouped,
    items: &[(Value, Span)],
    span: Span,
) -> Result<Value, LangError> {
    let mut aggs = Vec::new();
    for (v, s) in items {
        match v {
            Value::Column(c) => aggs.push(c.named()),
            Value::Dict(pairs) => {
                for (k, f) in pairs.iter() {
                    let (Value::Str(name), Value::Str(function)) = (k, f) else {
                        return Err(LangError::type_error(
                            "agg() takes a dict of column name to function name, both str",
                        )
                        .at(*s));
                    };
                    crate::api::common::check_columns(&g.frame, &[(name.as_str(), *s)])?;
                    let c = crate::api::convert::plain_col(name);
                    let a = by_name(function, &c).ok_or_else(|| {
                        LangError::new(
                            "AnalysisException",
                            format!("[UNRESOLVED_ROUTINE] Cannot resolve routine `{function}`"),
                        )
                        .at(*s)
                        .with_hint("one of count, sum, avg, mean, min, max, first, last")
                    })?;
                    aggs.push(a.named());
                }
            }
            other => {
                return Err(LangError::type_error(format!(
                    "agg() takes aggregate columns such as count(\"x\"), got {}",
                    other.type_name()
                ))
                .at(*s)
                .with_hint(
                    "write agg(max(\"preco\"), count(\"*\")) or agg({\"preco\": \"max\"})",
                ));
            }
        }
    }
    if aggs.is_empty() {
        return Err(LangError::type_error("agg() needs at least one aggregate column").at(span));
    }
    frame_value(ctx, group(g, aggs)?, span)
}

fn count(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let g = grouped(&call)?;
    let lf = group(g, vec![len().cast(DataType::Int64).alias("count")])?;
    frame_value(ctx, lf, call.span)
}

fn agg(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let g = grouped(&call)?;
    aggregate(ctx, g, &call.rest_flat(), call.span)
}

/// `sum`/`avg`/`min`/`max` over the named (or all numeric) columns.
fn numeric(
    ctx: &mut dyn Context,
    call: &Call,
    label: &str,
    f: fn(Expr) -> Expr,
) -> Result<Value, LangError> {
    let g = grouped(call)?;
    let names: Vec<String> = if call.rest().is_empty() {
        g.frame
            .schema
            .iter()
            .filter(|(_, t)| t.is_primitive_numeric())
            .map(|(n, _)| n.to_string())
            .collect()
    } else {
        call.rest()
            .iter()
            .map(|(v, s)| as_str(v, *s))
            .collect::<Result<_, _>>()?
    };
    check_names(&g.frame, &names, call.span)?;
    let aggs = names
        .iter()
        .map(|n| f(col(n.as_str())).alias(format!("{label}({n})")))
        .collect();
    frame_value(ctx, group(g, aggs)?, call.span)
}

fn sum(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    numeric(ctx, &call, "sum", spark_sum)
}
fn avg(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    numeric(ctx, &call, "avg", |c| c.cast(DataType::Float64).mean())
}
fn min(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    numeric(ctx, &call, "min", |c| c.min())
}
fn max(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    numeric(ctx, &call, "max", |c| c.max())
}
