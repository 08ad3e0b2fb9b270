//! Actions: each runs the plan as a job.

use std::sync::Arc;

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{idx, limit_plan, run_action, run_planned, run_shown};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, interrupted};
use crate::core::output::Output;
use crate::core::plan::Plan;
use crate::core::rows::{rows, rows_memory};
use crate::core::value::{Frame, Receiver, Value};

const DF: Receiver = Receiver::DataFrame;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "show(n: int = 20, truncate: bool|int = True, vertical: bool = False) -> None",
        "Prints the first `n` rows as Spark's grid (or `-RECORD` blocks).",
        show,
    ),
    Entry::method(DF, "count() -> int", "The number of rows.", count),
    Entry::method(
        DF,
        "collect() -> list",
        "Every row, as `Row` values.",
        collect,
    ),
    Entry::method(
        DF,
        "head(n: int = None) -> Row|list",
        "The first row, or the first `n` rows as a list.",
        head,
    ),
    Entry::method(
        DF,
        "take(num: int) -> list",
        "The first `num` rows as a list.",
        take,
    ),
    Entry::method(DF, "first() -> Row", "The first row, or None.", first),
    Entry::method(
        DF,
        "tail(num: int) -> list",
        "The last `num` rows as a list.",
        tail,
    ),
    Entry::method(
        DF,
        "toLocalIterator(prefetchPartitions: bool = False) -> list",
        "Every row, to iterate over (collected: Faísca has one partition).",
        collect,
    ),
    Entry::method(
        DF,
        "toPandas() -> pandas.DataFrame",
        "Collects into a pandas-style table (rendered up to FAISCA_MAX_ROWS rows).",
        to_pandas,
    ),
    Entry::method(
        DF,
        "display() -> None",
        "Shows the first rows as a table.",
        display,
    ),
];

fn show(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let n = call.int("n")?.clamp(0, i64::from(u32::MAX)) as usize;
    let truncate = match call.value("truncate") {
        Value::Bool(true) => 20,
        Value::Bool(false) => 0,
        _ => call.int("truncate")?.max(0) as usize,
    };
    let df = run_shown(ctx, "show", &f, n)?;
    let vertical = call.bool("vertical")?;
    ctx.emit(Output::Grid {
        df,
        n,
        truncate,
        vertical,
    });
    Ok(Value::None)
}

fn count(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    // `df.groupBy().count()`, as PySpark's Spark Connect client counts.
    let grouped = Arc::new(Plan::Call {
        name: "groupBy",
        receiver: Some(f.plan.clone()),
        args: Vec::new(),
    });
    let counted = Plan::Call {
        name: "count",
        receiver: Some(grouped),
        args: Vec::new(),
    };
    let lf = ctx.engine().count_plan(f.lf);
    let df = run_planned(ctx, "count", lf, Some(&counted))?;
    let n = df
        .column("count")
        .ok()
        .and_then(|c| c.get(0).ok())
        .and_then(|v| v.extract::<i64>())
        .unwrap_or(0);
    Ok(Value::Int(n))
}

fn collect(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let df = run_planned(ctx, "collect", f.lf, Some(&f.plan))?;
    Ok(Value::List(Arc::new(python_rows(
        ctx,
        &df,
        usize::MAX,
        "collect()",
    )?)))
}

fn first_rows(
    ctx: &mut dyn Context,
    call: &Call,
    action: &str,
    n: i64,
) -> Result<Vec<Value>, LangError> {
    let f = call.this_frame()?;
    let plan = limit_plan(&f.plan, idx(n) as usize);
    let df = run_planned(ctx, action, f.lf.limit(idx(n)), Some(&plan))?;
    python_rows(ctx, &df, idx(n) as usize, &format!("{action}({n})"))
}

/// Collected data as Python rows, within the memory budget and answering an interrupt.
fn python_rows(
    ctx: &mut dyn Context,
    df: &DataFrame,
    limit: usize,
    what: &str,
) -> Result<Vec<Value>, LangError> {
    let n = df.height().min(limit);
    ctx.config().check_memory(
        rows_memory(df, n),
        &format!("{what} of {n} rows as Python Rows"),
    )?;
    rows(df, limit, ctx.cancel()).ok_or_else(interrupted)
}

fn head(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    match call.opt_int("n")? {
        Some(n) => Ok(Value::List(Arc::new(first_rows(ctx, &call, "head", n)?))),
        None => Ok(first_rows(ctx, &call, "head", 1)?
            .pop()
            .unwrap_or(Value::None)),
    }
}

fn take(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let n = call.int("num")?;
    Ok(Value::List(Arc::new(first_rows(ctx, &call, "take", n)?)))
}

fn tail(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let n = call.int("num")?;
    let f = call.this_frame()?;
    let df = run_action(ctx, "tail", f.lf.tail(idx(n)))?;
    Ok(Value::List(Arc::new(python_rows(
        ctx,
        &df,
        idx(n) as usize,
        &format!("tail({n})"),
    )?)))
}

fn first(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(first_rows(ctx, &call, "first", 1)?
        .pop()
        .unwrap_or(Value::None))
}

fn to_pandas(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let df = run_planned(ctx, "toPandas", f.lf, Some(&f.plan))?;
    Ok(Value::Pandas(Arc::new(df)))
}

fn display(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    show_table(ctx, &f)
}

/// `display(df)`: the first FAISCA_MAX_ROWS rows as an untruncated grid.
pub fn show_table(ctx: &mut dyn Context, frame: &Frame) -> Result<Value, LangError> {
    let n = ctx.config().max_rows;
    let df = run_shown(ctx, "display", frame, n)?;
    ctx.emit(Output::Grid {
        df,
        n,
        truncate: 0,
        vertical: false,
    });
    Ok(Value::None)
}
