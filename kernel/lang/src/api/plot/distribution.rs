//! Distributions of numeric columns, aggregated by the engine: hist (bins), box
//! (quartiles, whiskers, outliers) and kde (a binned Gaussian kernel density).

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::run_action;
use crate::core::chart::{BoxStats, ChartData, ChartKind, Series};
use crate::core::context::Context;
use crate::core::error::{LangError, Span, polars_error};
use crate::core::value::Value;

use super::shared::{chart, finite, float_at, numbers, numeric_columns};

/// Outliers a box plot draws at most per column.
const MAX_OUTLIERS: usize = 1000;
/// Bins the density estimate sums over (binned KDE: exact to well under a pixel).
const KDE_BINS: usize = 2048;
/// Points a density curve has by default, as PySpark's.
const KDE_POINTS: usize = 1000;

/// Counts of `c` in `bins` equal bins over `[lo, hi]` (the last bin includes `hi`).
fn bin_counts(
    ctx: &mut dyn Context,
    action: &str,
    lf: LazyFrame,
    c: &str,
    lo: f64,
    hi: f64,
    bins: usize,
) -> Result<Vec<u64>, LangError> {
    let width = (hi - lo) / bins as f64;
    let bin = ((col(c).cast(DataType::Float64) - lit(lo)) / lit(width))
        .floor()
        .clip(lit(0.0), lit((bins - 1) as f64))
        .cast(DataType::Int64)
        .alias("bin");
    let counted = lf
        .select([bin])
        .drop_nulls(None)
        .group_by([col("bin")])
        .agg([len().alias("n")]);
    let df = run_action(ctx, action, counted)?;
    let mut counts = vec![0u64; bins];
    let b = df.column("bin").map_err(polars_error)?;
    let n = df
        .column("n")
        .and_then(|n| n.cast(&DataType::UInt64))
        .map_err(polars_error)?;
    let (b, n) = (
        b.i64().map_err(polars_error)?,
        n.u64().map_err(polars_error)?,
    );
    for (b, n) in b.iter().zip(n.iter()) {
        if let (Some(b), Some(n)) = (b, n) {
            counts[(b.max(0) as usize).min(bins - 1)] += n;
        }
    }
    Ok(counts)
}

/// The smallest and largest value over `cols` (nulls and NaN aside), in one job.
fn range(
    ctx: &mut dyn Context,
    action: &str,
    lf: &LazyFrame,
    cols: &[String],
) -> Result<Option<(f64, f64)>, LangError> {
    let mut exprs = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        let v = col(c.as_str()).cast(DataType::Float64);
        let v = v.clone().filter(v.is_not_nan());
        exprs.push(v.clone().min().alias(format!("lo{i}")));
        exprs.push(v.max().alias(format!("hi{i}")));
    }
    let df = run_action(ctx, action, lf.clone().select(exprs))?;
    let mut out: Option<(f64, f64)> = None;
    for i in 0..cols.len() {
        if let (Some(lo), Some(hi)) = (
            float_at(&df, &format!("lo{i}")),
            float_at(&df, &format!("hi{i}")),
        ) {
            out = Some(match out {
                Some((a, b)) => (a.min(lo), b.max(hi)),
                None => (lo, hi),
            });
        }
    }
    Ok(out.filter(|(lo, hi)| lo.is_finite() && hi.is_finite()))
}

pub(super) fn hist(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let cols = numeric_columns(&f, &call, "column")?;
    let bins = call.int("bins")?;
    if !(1..=10_000).contains(&bins) {
        return Err(LangError::new(
            "PySparkValueError",
            format!("bins must be between 1 and 10000, got {bins}"),
        )
        .at(call.span_of("bins")));
    }
    let bins = bins as usize;
    let action = "plot.hist";
    // As numpy: an empty or constant column still gets a unit-wide range.
    let (lo, hi) = match range(ctx, action, &f.lf, &cols)? {
        Some((lo, hi)) if hi > lo => (lo, hi),
        Some((v, _)) => (v - 0.5, v + 0.5),
        None => (0.0, 1.0),
    };
    let edges: Vec<f64> = (0..=bins)
        .map(|i| lo + (hi - lo) * i as f64 / bins as f64)
        .collect();
    let mut series = Vec::new();
    for c in &cols {
        let counts = bin_counts(ctx, action, f.lf.clone(), c, lo, hi, bins)?;
        series.push(Series {
            name: c.clone(),
            values: counts.into_iter().map(|n| Some(n as f64)).collect(),
        });
    }
    Ok(chart(
        &call,
        ChartKind::Hist,
        ChartData::Bins { edges, series },
        None,
    ))
}

pub(super) fn box_plot(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let cols = numeric_columns(&f, &call, "column")?;
    let action = "plot.box";
    // One scan for every column's quartiles and mean. Spark's percentile_approx returns
    // values of the data: the inverted CDF.
    let q = |c: &str, p: f64| finite(c).quantile(lit(p), QuantileMethod::Equiprobable);
    let mut exprs = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        exprs.push(q(c, 0.25).alias(format!("q1_{i}")));
        exprs.push(q(c, 0.5).alias(format!("median_{i}")));
        exprs.push(q(c, 0.75).alias(format!("q3_{i}")));
        exprs.push(finite(c).mean().alias(format!("mean_{i}")));
    }
    let stats = run_action(ctx, action, f.lf.clone().select(exprs))?;
    // (column, q1, median, q3, mean, fences); an all-null column draws no box, as in PySpark.
    let mut quartiles = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        let get = |n: &str| float_at(&stats, &format!("{n}_{i}"));
        if let (Some(q1), Some(median), Some(q3), Some(mean)) =
            (get("q1"), get("median"), get("q3"), get("mean"))
        {
            let iqr = q3 - q1;
            quartiles.push((c, q1, median, q3, mean, q1 - 1.5 * iqr, q3 + 1.5 * iqr));
        }
    }
    // One more scan for every column's whiskers: the extreme values inside the fences.
    let mut exprs = Vec::new();
    for (i, (c, .., low, high)) in quartiles.iter().enumerate() {
        let v = finite(c);
        let inside = v.clone().gt_eq(lit(*low)).and(v.clone().lt_eq(lit(*high)));
        exprs.push(
            v.clone()
                .filter(inside.clone())
                .min()
                .alias(format!("lo_{i}")),
        );
        exprs.push(v.filter(inside).max().alias(format!("hi_{i}")));
    }
    let whiskers = if exprs.is_empty() {
        DataFrame::empty()
    } else {
        run_action(ctx, action, f.lf.clone().select(exprs))?
    };
    let mut boxes = Vec::new();
    let mut clipped = false;
    for (i, (c, q1, median, q3, mean, low, high)) in quartiles.into_iter().enumerate() {
        // Outliers stop at the first MAX_OUTLIERS + 1, so this reads only what it needs.
        let outliers = run_action(
            ctx,
            action,
            f.lf.clone()
                .select([finite(c).alias("v")])
                .filter(col("v").lt(lit(low)).or(col("v").gt(lit(high))))
                .limit(MAX_OUTLIERS as IdxSize + 1),
        )?;
        let mut out: Vec<f64> = numbers(&outliers, "v")?.into_iter().flatten().collect();
        if out.len() > MAX_OUTLIERS {
            out.truncate(MAX_OUTLIERS);
            clipped = true;
        }
        boxes.push(BoxStats {
            name: c.clone(),
            q1,
            median,
            q3,
            mean,
            whisker_low: float_at(&whiskers, &format!("lo_{i}")).unwrap_or(q1),
            whisker_high: float_at(&whiskers, &format!("hi_{i}")).unwrap_or(q3),
            outliers: out,
        });
    }
    let note = clipped.then(|| format!("at most {MAX_OUTLIERS} outliers per column are drawn"));
    Ok(chart(&call, ChartKind::Box, ChartData::Boxes(boxes), note))
}

pub(super) fn kde(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let cols = numeric_columns(&f, &call, "column")?;
    let action = "plot.kde";
    let bw_factor = match call.value("bw_method") {
        Value::None => None,
        _ => Some(call.float("bw_method")?),
    };
    if bw_factor.is_some_and(|b| !(b > 0.0 && b.is_finite())) {
        return Err(
            LangError::new("PySparkValueError", "bw_method must be a positive number")
                .at(call.span_of("bw_method")),
        );
    }
    // One pass for every column's range, spread and count; the grid spans them all.
    let mut exprs = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        let v = finite(c);
        exprs.push(v.clone().min().alias(format!("lo_{i}")));
        exprs.push(v.clone().max().alias(format!("hi_{i}")));
        exprs.push(v.clone().std(1).alias(format!("std_{i}")));
        exprs.push(v.count().cast(DataType::Float64).alias(format!("n_{i}")));
    }
    let stats = run_action(ctx, action, f.lf.clone().select(exprs))?;
    let stat = |name: &str, i: usize| float_at(&stats, &format!("{name}_{i}"));
    let (lo, hi) = (0..cols.len())
        .filter_map(|i| Some((stat("lo", i)?, stat("hi", i)?)))
        .reduce(|(a, b), (lo, hi)| (a.min(lo), b.max(hi)))
        .unwrap_or((0.0, 1.0));
    let grid: Vec<f64> = match call.value("ind") {
        Value::None => linspace(lo - 0.5 * (hi - lo), hi + 0.5 * (hi - lo), KDE_POINTS),
        Value::Int(n) if (1..=100_000).contains(n) => {
            linspace(lo - 0.5 * (hi - lo), hi + 0.5 * (hi - lo), *n as usize)
        }
        Value::List(items) => items
            .iter()
            .map(|v| match v {
                Value::Int(i) => Ok(*i as f64),
                Value::Float(x) => Ok(*x),
                other => Err(LangError::type_error(format!(
                    "ind must hold numbers, got {}",
                    other.type_name()
                ))
                .at(call.span_of("ind"))),
            })
            .collect::<Result<_, _>>()?,
        _ => {
            return Err(LangError::new(
                "PySparkValueError",
                "ind must be a number of points (1 to 100000) or a list of numbers",
            )
            .at(call.span_of("ind")));
        }
    };
    let mut series = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        let (Some(clo), Some(chi), Some(std), Some(n)) =
            (stat("lo", i), stat("hi", i), stat("std", i), stat("n", i))
        else {
            return Err(too_few_for_kde(c, call.span));
        };
        if n < 2.0 || std <= 0.0 || !std.is_finite() {
            return Err(too_few_for_kde(c, call.span));
        }
        // scipy's gaussian_kde: bandwidth = factor × standard deviation, Scott's factor
        // n^(-1/5) unless given.
        let h = bw_factor.unwrap_or_else(|| n.powf(-0.2)) * std;
        let counts = bin_counts(
            ctx,
            action,
            f.lf.clone(),
            c,
            clo,
            chi.max(clo + f64::EPSILON),
            KDE_BINS,
        )?;
        let width = (chi - clo) / KDE_BINS as f64;
        let norm = 1.0 / (n * h * (2.0 * std::f64::consts::PI).sqrt());
        let density = grid
            .iter()
            .map(|&x| {
                let sum: f64 = counts
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| **k > 0)
                    .map(|(b, k)| {
                        let center = clo + (b as f64 + 0.5) * width;
                        let z = (x - center) / h;
                        *k as f64 * (-0.5 * z * z).exp()
                    })
                    .sum();
                Some(sum * norm)
            })
            .collect();
        series.push(Series {
            name: c.clone(),
            values: density,
        });
    }
    Ok(chart(
        &call,
        ChartKind::Kde,
        ChartData::Density { grid, series },
        None,
    ))
}

fn too_few_for_kde(c: &str, span: Span) -> LangError {
    LangError::new(
        "PySparkValueError",
        format!("a density estimate of '{c}' needs at least two distinct values"),
    )
    .at(span)
}

fn linspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![lo];
    }
    (0..n)
        .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_points() {
        assert_eq!(linspace(0.0, 1.0, 3), vec![0.0, 0.5, 1.0]);
        assert_eq!(linspace(2.0, 5.0, 1), vec![2.0]);
    }
}
