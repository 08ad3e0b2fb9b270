//! Statistics: `approxQuantile`, `corr`, `cov` answered as Python values, the tables
//! `crosstab` and `freqItems`, and the questions `isEmpty` and `scalar` that run a small
//! job.

use std::sync::Arc;

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{check_names, run_action};
use crate::api::convert::{as_float, as_names};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, polars_error};
use crate::core::rows::any_to_value;
use crate::core::value::{Column, Receiver, Value};

const DF: Receiver = Receiver::DataFrame;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "approxQuantile(col: str|list, probabilities: list, relativeError: float) -> list",
        "Quantiles of numeric columns (computed exactly), nulls ignored.",
        approx_quantile,
    ),
    Entry::method(
        DF,
        "corr(col1: str, col2: str, method: str = None) -> float",
        "Pearson correlation of two columns.",
        corr,
    ),
    Entry::method(
        DF,
        "cov(col1: str, col2: str) -> float",
        "Sample covariance of two columns.",
        cov_fn,
    ),
    Entry::method(
        DF,
        "crosstab(col1: str, col2: str) -> DataFrame",
        "A table of counts: one row per value of `col1`, one column per value of `col2` (runs a job to find them).",
        crosstab,
    ),
    Entry::method(
        DF,
        "freqItems(cols: list, support: float = None) -> DataFrame",
        "Each column's values seen in at least `support` (1% by default) of the rows, as an array.",
        freq_items,
    ),
    Entry::method(
        DF,
        "isEmpty() -> bool",
        "Whether the frame has no rows (reads at most one).",
        is_empty,
    ),
    Entry::method(
        DF,
        "scalar() -> Column",
        "The single value of a one-row, one-column frame, as a column (runs the query now).",
        scalar,
    ),
];

/// Spark's exact quantile: the value at rank ⌈p·n⌉ of the sorted non-null values.
fn quantile_of(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

fn approx_quantile(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let single = matches!(call.value("col"), Value::Str(_));
    let names = as_names(call.value("col"), call.span_of("col"))?;
    check_names(&f, &names, call.span_of("col"))?;
    let span = call.span_of("probabilities");
    let probabilities: Vec<f64> = match call.value("probabilities") {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(|v| as_float(v, span))
            .collect::<Result<_, _>>()?,
        other => vec![as_float(other, span)?],
    };
    if let Some(p) = probabilities.iter().find(|p| !(0.0..=1.0).contains(*p)) {
        return Err(LangError::new(
            "PySparkValueError",
            format!("[NOT_IN_RANGE] probabilities must be in [0, 1], got {p}"),
        )
        .at(span));
    }
    if call.float("relativeError")? < 0.0 {
        return Err(LangError::new(
            "PySparkValueError",
            "[NEGATIVE_VALUE] Value for `relativeError` must be >= 0.",
        )
        .at(call.span_of("relativeError")));
    }
    let mut out = Vec::new();
    for name in &names {
        let lf = f.current_lf().select([col(name.as_str())
            .cast(DataType::Float64)
            .drop_nulls()
            .sort(Default::default())]);
        let df = run_action(ctx, "approxQuantile", lf)?;
        let sorted: Vec<f64> = df
            .column(name.as_str())
            .and_then(|c| c.f64().map(|ca| ca.into_no_null_iter().collect()))
            .map_err(polars_error)?;
        let values: Vec<Value> = probabilities
            .iter()
            .filter_map(|p| quantile_of(&sorted, *p).map(Value::Float))
            .collect();
        out.push(Value::List(Arc::new(values)));
    }
    Ok(if single {
        out.pop().unwrap_or(Value::List(Arc::new(Vec::new())))
    } else {
        Value::List(Arc::new(out))
    })
}

/// One float from a one-value aggregate over two columns.
fn pair_statistic(
    ctx: &mut dyn Context,
    call: &Call,
    f_expr: impl Fn(Expr, Expr) -> Expr,
) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let (a, b) = (call.str("col1")?, call.str("col2")?);
    check_names(&f, &[a.clone(), b.clone()], call.span)?;
    let x = col(a.as_str()).cast(DataType::Float64);
    let y = col(b.as_str()).cast(DataType::Float64);
    let df = run_action(
        ctx,
        call.name,
        f.current_lf().select([f_expr(x, y).alias("v")]),
    )?;
    let v = df
        .column("v")
        .and_then(|c| c.get(0).map(|v| any_to_value(v.into_static())))
        .map_err(polars_error)?;
    Ok(v)
}

fn corr(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    if let Some(m) = call.opt_str("method")?
        && m != "pearson"
    {
        return Err(LangError::new(
            "PySparkValueError",
            format!("[VALUE_NOT_PEARSON] Value for `method` only supports 'pearson', got '{m}'."),
        )
        .at(call.span_of("method")));
    }
    pair_statistic(ctx, &call, pearson_corr)
}

fn cov_fn(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    pair_statistic(ctx, &call, |x, y| cov(x, y, 1))
}

fn crosstab(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let (c1, c2) = (call.str("col1")?, call.str("col2")?);
    check_names(&f, &[c1.clone(), c2.clone()], call.span)?;
    let text = |c: &str| col(c).cast(DataType::String).fill_null(lit("null"));
    let values = run_action(
        ctx,
        "crosstab",
        f.current_lf()
            .select([text(&c2).alias("v")])
            .unique(None, UniqueKeepStrategy::Any)
            .sort(["v"], SortMultipleOptions::default()),
    )?;
    let column = values.column("v").map_err(polars_error)?;
    let values: Vec<String> = column
        .as_materialized_series()
        .iter()
        .map(|v| v.get_str().unwrap_or("null").to_string())
        .collect();
    let key = format!("{c1}_{c2}");
    let counts: Vec<Expr> = values
        .iter()
        .map(|v| {
            text(&c2)
                .eq(lit(v.as_str()))
                .cast(DataType::Int64)
                .sum()
                .alias(v.as_str())
        })
        .collect();
    let lf = f
        .current_lf()
        .group_by([text(&c1).alias(key.as_str())])
        .agg(counts);
    crate::api::common::frame_value(ctx, lf, call.span)
}

fn freq_items(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let cols = as_names(call.value("cols"), call.span_of("cols"))?;
    check_names(&f, &cols, call.span_of("cols"))?;
    let support = match call.value("support") {
        Value::None => 0.01,
        v => as_float(v, call.span_of("support"))?,
    };
    if !(1e-4..=1.0).contains(&support) {
        return Err(LangError::new(
            "PySparkValueError",
            format!("[VALUE_NOT_BETWEEN] support should be between 1e-4 and 1, got {support}"),
        )
        .at(call.span_of("support")));
    }
    let exprs: Vec<Expr> = cols
        .iter()
        .map(|c| {
            let seen = len()
                .over([col(c.as_str())])
                .map_err(|e| LangError::analysis(e.to_string()).at(call.span))?
                .cast(DataType::Float64);
            let enough = seen.gt_eq(len().cast(DataType::Float64) * lit(support));
            Ok(col(c.as_str())
                .filter(enough)
                .unique_stable()
                .implode(false)
                .alias(format!("{c}_freqItems")))
        })
        .collect::<Result<_, LangError>>()?;
    let lf = f.current_lf().select(exprs);
    crate::api::common::frame_value(ctx, lf, call.span)
}

fn is_empty(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let df = run_action(ctx, "isEmpty", f.current_lf().limit(1))?;
    Ok(Value::Bool(df.height() == 0))
}

fn scalar(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    if f.schema.len() != 1 {
        return Err(LangError::analysis(format!(
            "[INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN] Scalar subquery must return only one column, but got {}.",
            f.schema.len()
        ))
        .at(call.span));
    }
    let df = run_action(ctx, "scalar", f.current_lf().limit(2))?;
    if df.height() > 1 {
        return Err(LangError::new(
            "SparkException",
            "[SCALAR_SUBQUERY_TOO_MANY_ROWS] More than one row returned by a subquery used as an expression.",
        )
        .at(call.span));
    }
    let c = &df.columns()[0];
    let value = if df.height() == 0 {
        Series::full_null("".into(), 1, c.dtype())
    } else {
        c.as_materialized_series().clone()
    };
    let expr = lit(value.with_name("".into())).first();
    Ok(Value::Column(Box::new(Column::new(
        expr,
        "scalarsubquery()",
    ))))
}
