//! What every chart family uses: column checks with PySpark's errors, reading collected
//! columns, and wrapping the result as a `Figure`.

use std::sync::Arc;

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{check_names, run_action};
use crate::core::chart::{Chart, ChartData, ChartKind};
use crate::core::context::Context;
use crate::core::error::{LangError, Span, polars_error};
use crate::core::types::spark_type;
use crate::core::value::{Frame, Value};

/// Rows a chart draws at most, as Spark's `spark.sql.pyspark.plotting.max_rows`: bar,
/// barh and pie take the first ones; line, area and scatter a sample.
pub const MAX_ROWS: usize = 1000;

/// The error PySpark raises for a non-numeric column where numbers are plotted.
pub(super) fn not_numeric(param: &str, dtype: &DataType, span: Span) -> LangError {
    LangError::new(
        "PySparkTypeError",
        format!(
            "[PLOT_NOT_NUMERIC_COLUMN_ARGUMENT] Argument {param} must be a numerical column for plotting, got {}.",
            spark_type(dtype)
        ),
    )
    .at(span)
}

/// `param`'s column names, checked to exist and be numeric; when not given, every
/// numeric column.
pub(super) fn numeric_columns(
    f: &Frame,
    call: &Call,
    param: &str,
) -> Result<Vec<String>, LangError> {
    let span = call.span_of(param);
    let names = match call.opt_names(param)? {
        Some(names) => {
            check_names(f, &names, span)?;
            names
        }
        None => {
            let all: Vec<String> = f
                .schema
                .iter()
                .filter(|(_, t)| t.is_primitive_numeric())
                .map(|(n, _)| n.to_string())
                .collect();
            if all.is_empty() {
                return Err(LangError::new(
                    "PySparkTypeError",
                    "[PLOT_NOT_NUMERIC_COLUMN_ARGUMENT] the DataFrame has no numerical column to plot.",
                )
                .at(call.span));
            }
            return Ok(all);
        }
    };
    for n in &names {
        let t = f.schema.get(n.as_str()).unwrap_or(&DataType::Null);
        if !t.is_primitive_numeric() {
            return Err(not_numeric(param, t, span));
        }
    }
    Ok(names)
}

pub(super) fn chart(call: &Call, kind: ChartKind, data: ChartData, note: Option<String>) -> Value {
    Value::Chart(Arc::new(Chart {
        kind,
        title: call.opt_str("title").ok().flatten(),
        data,
        note,
    }))
}

/// A column of `df` as numbers (nulls as `None`).
pub(super) fn numbers(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, LangError> {
    let c = df
        .column(name)
        .and_then(|c| c.cast(&DataType::Float64))
        .map_err(polars_error)?;
    let ca = c.f64().map_err(polars_error)?;
    Ok(ca.iter().collect())
}

/// A column of `df` as labels (`None` for null, as PySpark's charts label it).
pub(super) fn labels(df: &DataFrame, name: &str) -> Result<Vec<String>, LangError> {
    let c = df
        .column(name)
        .and_then(|c| c.cast(&DataType::String))
        .map_err(polars_error)?;
    let ca = c.str().map_err(polars_error)?;
    Ok(ca.iter().map(|v| v.unwrap_or("None").to_string()).collect())
}

pub(super) fn count_rows(
    ctx: &mut dyn Context,
    action: &str,
    lf: LazyFrame,
) -> Result<usize, LangError> {
    let df = run_action(ctx, action, lf.select([len().alias("n")]))?;
    Ok(df
        .column("n")
        .ok()
        .and_then(|c| c.get(0).ok())
        .and_then(|v| v.extract::<u64>())
        .unwrap_or(0) as usize)
}

pub(super) fn float_at(df: &DataFrame, name: &str) -> Option<f64> {
    df.column(name)
        .ok()?
        .cast(&DataType::Float64)
        .ok()?
        .f64()
        .ok()?
        .get(0)
}

/// A column's values as floats, nulls and NaN left out.
pub(super) fn finite(c: &str) -> Expr {
    let v = col(c).cast(DataType::Float64);
    v.clone()
        .filter(v.clone().is_not_null().and(v.is_not_nan()))
}
