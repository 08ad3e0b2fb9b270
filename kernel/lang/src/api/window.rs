//! Windows: `Window.partitionBy(...).orderBy(...)`, the ranking and offset functions, and
//! `column.over(window)` for them and for aggregates (whole partition, or running along
//! the order with Spark's default frame: every row up to the current one and its ties).

use std::sync::Arc;

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::{literal, to_column};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Receiver, RunningAggregate, Value, WindowFn, WindowSpec};

const W: Receiver = Receiver::WindowSpec;
const F: &[Module] = &[Module::Functions];

/// Spark's frame bounds (`Long.MinValue`, `Long.MaxValue`, 0).
const UNBOUNDED_PRECEDING: i64 = i64::MIN;
const UNBOUNDED_FOLLOWING: i64 = i64::MAX;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::constant(
        &[Module::Sql, Module::Window],
        "Window",
        "Builds window specs: Window.partitionBy(...).orderBy(...).",
        window,
    ),
    Entry::method(
        W,
        "partitionBy(*cols: ColumnOrName|list) -> WindowSpec",
        "Rows are grouped by these columns.",
        partition_by,
    ),
    Entry::method(
        W,
        "orderBy(*cols: ColumnOrName|list) -> WindowSpec",
        "Rows are ordered by these columns within each partition.",
        order_by,
    ),
    Entry::method(
        W,
        "rowsBetween(start: int, end: int) -> WindowSpec",
        "The frame in rows relative to the current one.",
        rows_between,
    ),
    Entry::method(
        W,
        "rangeBetween(start: int, end: int) -> WindowSpec",
        "The frame in order-value distance from the current row.",
        range_between,
    ),
    Entry::property(
        W,
        "unboundedPreceding",
        "The frame's start: the partition's first row.",
        unbounded_preceding,
    ),
    Entry::property(
        W,
        "unboundedFollowing",
        "The frame's end: the partition's last row.",
        unbounded_following,
    ),
    Entry::property(W, "currentRow", "The current row (0).", current_row),
    Entry::method(
        Receiver::Column,
        "over(window: any) -> Column",
        "A window or aggregate function computed over each row's window.",
        over,
    ),
    Entry::function(
        F,
        "row_number() -> Column",
        "1, 2, 3, … along the window's order.",
        row_number,
    ),
    Entry::function(
        F,
        "rank() -> Column",
        "Rank along the order, with gaps after ties.",
        rank,
    ),
    Entry::function(
        F,
        "dense_rank() -> Column",
        "Rank along the order, without gaps.",
        dense_rank,
    ),
    Entry::function(
        F,
        "percent_rank() -> Column",
        "(rank - 1) / (rows - 1) in the partition.",
        percent_rank,
    ),
    Entry::function(
        F,
        "cume_dist() -> Column",
        "Share of the partition's rows up to this one and its ties.",
        cume_dist,
    ),
    Entry::function(
        F,
        "ntile(n: int) -> Column",
        "The bucket 1..n of the row, buckets as even as can be.",
        ntile,
    ),
    Entry::function(
        F,
        "lag(col: ColumnOrName, offset: int = 1, default: any = None) -> Column",
        "The value `offset` rows before, or `default`.",
        lag,
    ),
    Entry::function(
        F,
        "lead(col: ColumnOrName, offset: int = 1, default: any = None) -> Column",
        "The value `offset` rows after, or `default`.",
        lead,
    ),
];

fn spec(call: &Call) -> Result<WindowSpec, LangError> {
    match &call.this {
        Value::Window(w) => Ok((**w).clone()),
        other => Err(call.wrong_receiver(other)),
    }
}

fn window(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Window(Box::default()))
}

fn columns(call: &Call) -> Result<Vec<Column>, LangError> {
    call.rest_flat()
        .iter()
        .map(|(v, s)| to_column(v, *s))
        .collect()
}

fn partition_by(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut w = spec(&call)?;
    w.partition = columns(&call)?;
    Ok(Value::Window(Box::new(w)))
}

fn order_by(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut w = spec(&call)?;
    w.order = columns(&call)?;
    Ok(Value::Window(Box::new(w)))
}

fn between(call: &Call, rows: bool) -> Result<Value, LangError> {
    let mut w = spec(call)?;
    w.frame = Some((rows, call.int("start")?, call.int("end")?));
    Ok(Value::Window(Box::new(w)))
}

fn rows_between(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    between(&call, true)
}

fn range_between(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    between(&call, false)
}

fn unbounded_preceding(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Int(UNBOUNDED_PRECEDING))
}

fn unbounded_following(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Int(UNBOUNDED_FOLLOWING))
}

fn current_row(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Int(0))
}

fn window_fn(f: WindowFn, name: &str) -> Result<Value, LangError> {
    let mut c = Column::new(lit(NULL), name);
    c.window = Some(Arc::new(f));
    Ok(Value::Column(Box::new(c)))
}

fn row_number(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    window_fn(WindowFn::RowNumber, "row_number()")
}
fn rank(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    window_fn(WindowFn::Rank, "RANK()")
}
fn dense_rank(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    window_fn(WindowFn::DenseRank, "DENSE_RANK()")
}
fn percent_rank(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    window_fn(WindowFn::PercentRank, "PERCENT_RANK()")
}
fn cume_dist(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    window_fn(WindowFn::CumeDist, "CUME_DIST()")
}
fn ntile(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let n = call.int("n")?;
    if n <= 0 {
        return Err(LangError::analysis(format!(
            "[INVALID_PARAMETER_VALUE] ntile needs a positive number of buckets, got {n}"
        ))
        .at(call.span_of("n")));
    }
    window_fn(WindowFn::Ntile(n), &format!("ntile({n})"))
}

fn shift(call: &Call, label: &str, sign: i64) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let offset = call.int("offset")?;
    let default = literal(call.value("default"), call.span_of("default"))?;
    let name = format!("{label}({}, {offset}, {})", c.name, default.name);
    window_fn(
        WindowFn::Shift {
            input: c.expr,
            offset: sign * offset,
            default: default.expr,
        },
        &name,
    )
}
fn lag(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    shift(&call, "lag", -1)
}
fn lead(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    shift(&call, "lead", 1)
}

/// `int_range` along the partition in window order: 0, 1, 2, …
fn position() -> Expr {
    int_range(lit(0), len(), 1, DataType::Int64)
}

fn over(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let w = match call.value("window") {
        Value::Window(w) => (**w).clone(),
        other => {
            return Err(LangError::type_error(format!(
                "over() takes a WindowSpec, got {}",
                other.type_name()
            ))
            .at(call.span_of("window")));
        }
    };
    let Some(f) = c.window.clone() else {
        return Err(LangError::analysis(format!(
            "[UNSUPPORTED_EXPR_FOR_WINDOW] Expression \"{}\" not supported within a window function.",
            c.name
        ))
        .at(call.span)
        .with_hint("use a window function (row_number, rank, lag, …) or an aggregate (sum, count, …)"));
    };
    let partition: Vec<Expr> = w.partition.iter().map(|p| p.expr.clone()).collect();
    let order: Vec<Expr> = w.order.iter().map(|o| o.expr.clone()).collect();
    let descending: Vec<bool> = w
        .order
        .iter()
        .map(|o| o.descending.unwrap_or(false))
        .collect();
    let ordered = |e: Expr| -> Result<Expr, LangError> {
        if order.is_empty() {
            return Err(LangError::analysis(format!(
                "[WINDOW_FUNCTION_WITHOUT_ORDER_BY] Window function {} requires an ORDER BY clause.",
                c.name
            ))
            .at(call.span)
            .with_hint("add .orderBy(...) to the window"));
        }
        window_over(
            e,
            &partition,
            Some((order.clone(), sort_options(&descending)?)),
        )
    };
    // Ranks compare the order keys; a struct of them orders as they do, column by column.
    let key = || -> Expr {
        if order.len() == 1 {
            order[0].clone()
        } else {
            as_struct(order.clone())
        }
    };
    // Spark ranks nulls too: first ascending, last descending; Polars leaves them null.
    let desc = descending.first().copied().unwrap_or(false);
    let rank_of = |method: RankMethod| -> Expr {
        let k = key();
        let ranked = k.clone().rank(
            RankOptions {
                method,
                descending: desc,
            },
            None,
        );
        let nulls = k.clone().null_count().cast(DataType::Float64);
        let non_null = k.clone().count().cast(DataType::Float64);
        let ranked = ranked.cast(DataType::Float64);
        let (null_rank, shifted) = match (method, desc) {
            (RankMethod::Dense, false) => (
                lit(1.0),
                ranked + when(nulls.gt(lit(0.0))).then(lit(1.0)).otherwise(lit(0.0)),
            ),
            (RankMethod::Dense, true) => (
                k.clone().drop_nulls().n_unique().cast(DataType::Float64) + lit(1.0),
                ranked,
            ),
            (RankMethod::Max, false) => (nulls.clone(), ranked + nulls),
            (RankMethod::Max, true) => (len().cast(DataType::Float64), ranked),
            (_, false) => (lit(1.0), ranked + nulls),
            (_, true) => (non_null + lit(1.0), ranked),
        };
        when(k.is_null()).then(null_rank).otherwise(shifted)
    };
    let expr = match &*f {
        WindowFn::RowNumber => ordered((position() + lit(1)).cast(DataType::Int32))?,
        WindowFn::Rank => ordered(rank_of(RankMethod::Min).cast(DataType::Int32))?,
        WindowFn::DenseRank => ordered(rank_of(RankMethod::Dense).cast(DataType::Int32))?,
        WindowFn::PercentRank => ordered(
            when(len().gt(lit(1)))
                .then(
                    (rank_of(RankMethod::Min).cast(DataType::Float64) - lit(1.0))
                        / (len().cast(DataType::Float64) - lit(1.0)),
                )
                .otherwise(lit(0.0)),
        )?,
        WindowFn::CumeDist => ordered(
            rank_of(RankMethod::Max).cast(DataType::Float64) / len().cast(DataType::Float64),
        )?,
        WindowFn::Ntile(n) => {
            let (n, count, rn) = (lit(*n), len().cast(DataType::Int64), position());
            let q = count.clone() / n.clone();
            let r = count % n;
            let big = r.clone() * (q.clone() + lit(1));
            ordered(
                when(rn.clone().lt(big.clone()))
                    .then(rn.clone() / (q.clone() + lit(1)) + lit(1))
                    .otherwise(
                        (rn - big) / when(q.clone().gt(lit(0))).then(q).otherwise(lit(1))
                            + r
                            + lit(1),
                    )
                    .cast(DataType::Int32),
            )?
        }
        WindowFn::Shift {
            input,
            offset,
            default,
        } => {
            let k = offset.unsigned_abs() as i64;
            let shifted = input.clone().shift(lit(-*offset));
            let inside = if *offset < 0 {
                position().gt_eq(lit(k))
            } else {
                position().lt(len().cast(DataType::Int64) - lit(k))
            };
            ordered(when(inside).then(shifted).otherwise(default.clone()))?
        }
        WindowFn::Aggregate { input, kind } => {
            aggregate_over(&c, input, *kind, &w, &partition, &order, &descending)?
        }
    };
    let mut out = Column::new(expr, c.name.clone());
    let keys: Vec<Expr> = partition.iter().chain(&order).cloned().collect();
    let flags: Vec<bool> = partition
        .iter()
        .map(|_| false)
        .chain(descending.iter().copied())
        .collect();
    out.window_order = Some(Arc::new((keys, flags)));
    Ok(Value::Column(Box::new(out)))
}

/// Spark's order: ascending with nulls first, descending with nulls last. The engine takes
/// one direction for all keys.
fn sort_options(descending: &[bool]) -> Result<SortOptions, LangError> {
    let d = descending.first().copied().unwrap_or(false);
    if descending.iter().any(|x| *x != d) {
        return Err(LangError::unsupported(
            "a window ordered ascending on some columns and descending on others is not supported yet",
        )
        .with_hint("order the window in one direction"));
    }
    Ok(SortOptions::default()
        .with_order_descending(d)
        .with_nulls_last(d))
}

/// `e` per partition (and in order), or over every row when there is neither.
fn window_over(
    e: Expr,
    partition: &[Expr],
    order: Option<(Vec<Expr>, SortOptions)>,
) -> Result<Expr, LangError> {
    if partition.is_empty() && order.is_none() {
        return Ok(e);
    }
    // Without a partition, the whole frame is one (a constant key).
    let part = if partition.is_empty() {
        vec![lit(true)]
    } else {
        partition.to_vec()
    };
    e.over_with_options(Some(part), order, Default::default())
        .map_err(|err| LangError::analysis(err.to_string()))
}

/// An aggregate over the window: the whole partition without an order (or with a frame
/// of the whole partition); otherwise running along the order, ties sharing a value.
fn aggregate_over(
    c: &Column,
    input: &Expr,
    kind: RunningAggregate,
    w: &WindowSpec,
    partition: &[Expr],
    order: &[Expr],
    descending: &[bool],
) -> Result<Expr, LangError> {
    let whole =
        order.is_empty() || matches!(w.frame, Some((_, UNBOUNDED_PRECEDING, UNBOUNDED_FOLLOWING)));
    if whole {
        return window_over(c.expr.clone(), partition, None);
    }
    let rows = match w.frame {
        None => false,
        Some((is_rows, UNBOUNDED_PRECEDING, 0)) => is_rows,
        Some((is_rows, start, end)) => {
            return Err(LangError::unsupported(format!(
                "a {} frame from {start} to {end} is not supported yet",
                if is_rows { "rowsBetween" } else { "rangeBetween" }
            ))
            .with_hint("frames from Window.unboundedPreceding to Window.currentRow, or the whole partition, are"));
        }
    };
    let x = input.clone();
    // Spark skips nulls and is null until the first value; Polars' cumulative functions
    // are null at every null.
    let seen = x.clone().cum_count(false).gt(lit(0));
    let running = match kind {
        RunningAggregate::Sum => x.clone().fill_null(lit(0)).cum_sum(false),
        RunningAggregate::Count => x.clone().cum_count(false).cast(DataType::Int64),
        RunningAggregate::Min => x
            .clone()
            .cum_min(false)
            .fill_null_with_strategy(FillNullStrategy::Forward(None)),
        RunningAggregate::Max => x
            .clone()
            .cum_max(false)
            .fill_null_with_strategy(FillNullStrategy::Forward(None)),
        RunningAggregate::Avg => {
            x.clone()
                .cast(DataType::Float64)
                .fill_null(lit(0.0))
                .cum_sum(false)
                / x.clone().cum_count(false).cast(DataType::Float64)
        }
    };
    let running = if kind == RunningAggregate::Count {
        running
    } else {
        when(seen).then(running).otherwise(lit(NULL))
    };
    let value = if rows {
        running
    } else {
        // RANGE frame: tied rows all take the value at the last row of their tie, found
        // as that row's position filled backwards over the tie.
        let key = if order.len() == 1 {
            order[0].clone()
        } else {
            as_struct(order.to_vec())
        };
        let last_of_tie = position()
            .eq(len().cast(DataType::Int64) - lit(1))
            .or(key.clone().neq_missing(key.shift(lit(-1))));
        let at = when(last_of_tie)
            .then(position())
            .otherwise(lit(NULL))
            .fill_null_with_strategy(FillNullStrategy::Backward(None));
        running.gather(at, true)
    };
    window_over(
        value,
        partition,
        Some((order.to_vec(), sort_options(descending)?)),
    )
}
