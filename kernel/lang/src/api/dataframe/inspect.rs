//! Looking at a DataFrame without running it (`printSchema`, `explain`), and its
//! statistics (`describe`, `summary`).

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{check_names, frame_value};
use crate::api::convert::as_str;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, polars_error};
use crate::core::output::Output;
use crate::core::types::schema_tree;
use crate::core::value::{Receiver, Value};

const DF: Receiver = Receiver::DataFrame;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "printSchema(level: int = None) -> None",
        "Prints the schema as a tree (`level` nested levels deep). Not a job.",
        print_schema,
    ),
    Entry::method(
        DF,
        "explain(extended: bool|str = None, mode: str = None) -> None",
        "Prints the optimized plan that would run. Not a job.",
        explain,
    ),
    Entry::method(
        DF,
        "describe(*cols: str|list) -> DataFrame",
        "count, mean, stddev, min and max of each column.",
        describe,
    ),
    Entry::method(
        DF,
        "summary(*statistics: str) -> DataFrame",
        "The statistics (count, mean, stddev, min, percentages such as `25%`, max; those by default) of each column.",
        summary,
    ),
];

fn print_schema(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let mut text = String::from("root\n");
    let mut tree = String::new();
    for (n, t) in f.schema.iter() {
        schema_tree(&mut tree, n, t, 0);
    }
    let level = call.opt_int("level")?.unwrap_or(i64::MAX).max(1) as usize;
    for line in tree.lines() {
        // A line's depth is how many ` |   ` come before its ` |-- `.
        if line.matches(" |   ").count() < level {
            text.push_str(line);
            text.push('\n');
        }
    }
    ctx.emit(Output::Stdout(text));
    Ok(Value::None)
}

fn explain(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let plan = ctx.engine().explain(&f)?;
    let mut text = format!(
        "{}\n\n== Calls (engine-neutral) ==\n{}\n",
        plan.trim_end(),
        f.plan
    );
    if call.given("extended") || call.given("mode") {
        text.push_str("(Faísca has one plan to show: the optimized one, for every mode)\n");
    }
    ctx.emit(Output::Stdout(text));
    Ok(Value::None)
}

fn describe(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let cols: Vec<String> = if call.rest_flat().is_empty() {
        f.columns()
    } else {
        call.rest_flat()
            .iter()
            .map(|(v, s)| as_str(v, *s))
            .collect::<Result<_, _>>()?
    };
    check_names(&f, &cols, call.span)?;
    let stats = ["count", "mean", "stddev", "min", "max"].map(String::from);
    let all = statistics(&f, &cols, &stats, call.span)?;
    frame_value(ctx, all, call.span)
}

fn summary(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let given: Vec<String> = call
        .rest_flat()
        .iter()
        .map(|(v, s)| as_str(v, *s))
        .collect::<Result<_, _>>()?;
    let stats = if given.is_empty() {
        ["count", "mean", "stddev", "min", "25%", "50%", "75%", "max"]
            .map(String::from)
            .to_vec()
    } else {
        given
    };
    let all = statistics(&f, &f.columns(), &stats, call.span)?;
    frame_value(ctx, all, call.span)
}

/// One row per statistic, one string column per column of `f`, as Spark's `summary`.
fn statistics(
    f: &crate::core::value::Frame,
    cols: &[String],
    stats: &[String],
    span: crate::core::error::Span,
) -> Result<LazyFrame, LangError> {
    let mut parts = Vec::new();
    for label in stats {
        let percent = label
            .strip_suffix('%')
            .and_then(|p| p.trim().parse::<f64>().ok())
            .filter(|p| (0.0..=100.0).contains(p));
        let measure: Box<dyn Fn(Expr) -> Expr> = match (label.as_str(), percent) {
            ("count", _) => Box::new(|e: Expr| e.count()),
            ("count_distinct", _) => Box::new(|e: Expr| e.drop_nulls().n_unique()),
            ("mean", _) => Box::new(|e: Expr| e.cast(DataType::Float64).mean()),
            ("stddev", _) => {
                Box::new(|e: Expr| crate::api::functions::aggregates::variance_of(e, 1).sqrt())
            }
            ("min", _) => Box::new(|e: Expr| e.min()),
            ("max", _) => Box::new(|e: Expr| e.max()),
            (_, Some(p)) => Box::new(move |e: Expr| percentile(e, p / 100.0)),
            _ => {
                return Err(LangError::new(
                    "IllegalArgumentException",
                    format!("{label} is not a recognised statistic"),
                )
                .at(span)
                .with_hint(
                    "count, count_distinct, mean, stddev, min, max or a percentage like 25%",
                ));
            }
        };
        let mut exprs = vec![lit(label.as_str()).alias("summary")];
        for c in cols {
            let numeric = f.schema.get(c).is_some_and(|t| t.is_primitive_numeric());
            let e = if numeric
                || matches!(label.as_str(), "count" | "count_distinct" | "min" | "max")
            {
                measure(col(c.as_str()))
            } else {
                lit(NULL)
            };
            exprs.push(e.cast(DataType::String).alias(c.as_str()));
        }
        parts.push(f.lf.clone().select(exprs));
    }
    concat(parts, UnionArgs::default()).map_err(polars_error)
}

/// Spark's percentile in `summary`: the smallest value with at least `p` of the values at
/// or below it.
fn percentile(e: Expr, p: f64) -> Expr {
    let values = e.drop_nulls().sort(SortOptions::default());
    let rank = (values.clone().len().cast(DataType::Float64) * lit(p))
        .ceil()
        .cast(DataType::Int64)
        - lit(1i64);
    let at = when(rank.clone().lt(lit(0i64)))
        .then(lit(0i64))
        .otherwise(rank);
    values.get(at, true)
}
