//! `df.plot`: PySpark 4's plotting API. The engine aggregates (bins, quartiles, densities,
//! samples) so a chart carries only the points it draws, whatever the DataFrame's size.

use std::sync::Arc;

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{check_names, random_rows, run_action};
use crate::api::entry::Entry;
use crate::core::chart::{BoxStats, Chart, ChartData, ChartKind, Series, Xs};
use crate::core::config::thousands;
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::output::Output;
use crate::core::types::spark_type;
use crate::core::value::{Frame, Receiver, Value};

const PLOT: Receiver = Receiver::PlotAccessor;

/// Rows a chart draws at most, as Spark's `spark.sql.pyspark.plotting.max_rows`: bar,
/// barh and pie take the first ones; line, area and scatter a sample.
pub const MAX_ROWS: usize = 1000;
/// Outliers a box plot draws at most per column.
const MAX_OUTLIERS: usize = 1000;
/// Bins the density estimate sums over (binned KDE: exact to well under a pixel).
const KDE_BINS: usize = 2048;
/// Points a density curve has by default, as PySpark's.
const KDE_POINTS: usize = 1000;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        PLOT,
        "__call__(kind: str = 'line', x: str = None, y: str|list = None, column: str|list = None, bins: int = 10, bw_method: int|float = None, ind: int|list = None, *, title: str = None) -> Figure",
        "Plots as `kind` (line, bar, barh, scatter, area, pie, hist, box, kde).",
        by_kind,
    ),
    Entry::method(
        PLOT,
        "bar(x: str, y: str|list, *, title: str = None) -> Figure",
        "Vertical bars: `y` per `x` (the first 1,000 rows).",
        bar,
    ),
    Entry::method(
        PLOT,
        "barh(x: str, y: str|list, *, title: str = None) -> Figure",
        "Horizontal bars: `y` per `x` (the first 1,000 rows).",
        barh,
    ),
    Entry::method(
        PLOT,
        "line(x: str, y: str|list, *, title: str = None) -> Figure",
        "Lines of `y` over `x` (a sample of 1,000 rows when there are more).",
        line,
    ),
    Entry::method(
        PLOT,
        "area(x: str, y: str|list, *, title: str = None) -> Figure",
        "Stacked areas of `y` over `x` (a sample of 1,000 rows when there are more).",
        area,
    ),
    Entry::method(
        PLOT,
        "scatter(x: str, y: str, *, title: str = None) -> Figure",
        "Points of `y` against `x` (a sample of 1,000 rows when there are more).",
        scatter,
    ),
    Entry::method(
        PLOT,
        "pie(x: str, y: str, *, title: str = None) -> Figure",
        "Slices: `y` per `x` (the first 1,000 rows).",
        pie,
    ),
    Entry::method(
        PLOT,
        "hist(column: str|list = None, bins: int = 10, *, title: str = None) -> Figure",
        "Counts per bin of numeric columns, binned by the engine.",
        hist,
    ),
    Entry::method(
        PLOT,
        "box(column: str|list = None, *, title: str = None) -> Figure",
        "Quartiles, whiskers (1.5 IQR) and outliers of numeric columns.",
        box_plot,
    ),
    Entry::method(
        PLOT,
        "kde(bw_method: int|float = None, column: str|list = None, ind: int|list = None, *, title: str = None) -> Figure",
        "Gaussian kernel density of numeric columns (Scott's bandwidth by default).",
        kde,
    ),
    Entry::property(
        Receiver::DataFrame,
        "plot",
        "Charts of this DataFrame: `df.plot.bar(x=..., y=...)`, `df.plot(kind=...)`.",
        plot_accessor,
    ),
    Entry::method(
        Receiver::Figure,
        "show() -> None",
        "Displays the chart now.",
        show_figure,
    ),
];

fn plot_accessor(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    match v {
        Value::Frame(f) => Ok(Value::Plot(f)),
        other => Err(LangError::type_error(format!(
            "'{}' object has no attribute 'plot'",
            other.type_name()
        ))),
    }
}

fn show_figure(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    ctx.emit(Output::Value(call.this.clone()));
    Ok(Value::None)
}

/// Which parameters of `__call__` each kind reads.
fn params_of(kind: ChartKind) -> &'static [&'static str] {
    match kind {
        ChartKind::Hist => &["column", "bins"],
        ChartKind::Box => &["column"],
        ChartKind::Kde => &["column", "bw_method", "ind"],
        _ => &["x", "y"],
    }
}

fn by_kind(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("kind")?;
    let Some(kind) = ChartKind::from_name(&name) else {
        let kinds: Vec<&str> = ChartKind::ALL.iter().map(|(_, n)| *n).collect();
        return Err(LangError::new(
            "PySparkValueError",
            format!(
                "[UNSUPPORTED_PLOT_KIND] Plot kind '{name}' is not supported. Supported kinds are {}.",
                kinds.join(", ")
            ),
        )
        .at(call.span_of("kind")));
    };
    for p in ["x", "y", "column", "bins", "bw_method", "ind"] {
        if call.given(p) && !params_of(kind).contains(&p) {
            return Err(LangError::type_error(format!(
                "{}() got an unexpected keyword argument '{p}'",
                kind.name()
            ))
            .at(call.span_of(p)));
        }
    }
    match kind {
        ChartKind::Hist => hist(ctx, call),
        ChartKind::Box => box_plot(ctx, call),
        ChartKind::Kde => kde(ctx, call),
        xy_kind => {
            for p in ["x", "y"] {
                if call.is_none(p) {
                    return Err(LangError::type_error(format!(
                        "{}() missing required argument: '{p}'",
                        xy_kind.name()
                    ))
                    .at(call.span));
                }
            }
            xy(ctx, call, xy_kind)
        }
    }
}

fn bar(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Bar)
}
fn barh(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Barh)
}
fn line(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Line)
}
fn area(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Area)
}
fn scatter(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Scatter)
}
fn pie(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Pie)
}

/// The error PySpark raises for a non-numeric column where numbers are plotted.
fn not_numeric(param: &str, dtype: &DataType, span: Span) -> LangError {
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
fn numeric_columns(f: &Frame, call: &Call, param: &str) -> Result<Vec<String>, LangError> {
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

fn chart(call: &Call, kind: ChartKind, data: ChartData, note: Option<String>) -> Value {
    Value::Chart(Arc::new(Chart {
        kind,
        title: call.opt_str("title").ok().flatten(),
        data,
        note,
    }))
}

/// A column of `df` as numbers (nulls as `None`).
fn numbers(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, LangError> {
    let c = df
        .column(name)
        .and_then(|c| c.cast(&DataType::Float64))
        .map_err(crate::core::error::polars_error)?;
    let ca = c.f64().map_err(crate::core::error::polars_error)?;
    Ok(ca.iter().collect())
}

/// A column of `df` as labels (`None` for null, as PySpark's charts label it).
fn labels(df: &DataFrame, name: &str) -> Result<Vec<String>, LangError> {
    let c = df
        .column(name)
        .and_then(|c| c.cast(&DataType::String))
        .map_err(crate::core::error::polars_error)?;
    let ca = c.str().map_err(crate::core::error::polars_error)?;
    Ok(ca.iter().map(|v| v.unwrap_or("None").to_string()).collect())
}

fn count_rows(ctx: &mut dyn Context, action: &str, lf: LazyFrame) -> Result<usize, LangError> {
    let df = run_action(ctx, action, lf.select([len().alias("n")]))?;
    Ok(df
        .column("n")
        .ok()
        .and_then(|c| c.get(0).ok())
        .and_then(|v| v.extract::<u64>())
        .unwrap_or(0) as usize)
}

fn xy(ctx: &mut dyn Context, call: Call, kind: ChartKind) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let x = call.str("x")?;
    check_names(&f, std::slice::from_ref(&x), call.span_of("x"))?;
    let ys = call.opt_names("y")?.unwrap_or_default();
    check_names(&f, &ys, call.span_of("y"))?;
    for y in &ys {
        let t = f.schema.get(y.as_str()).unwrap_or(&DataType::Null);
        if !t.is_primitive_numeric() {
            return Err(not_numeric("y", t, call.span_of("y")));
        }
    }
    let action = format!("plot.{}", kind.name());
    // x may also be a y (`scatter(x='id', y='id')`): each column once.
    let mut names = vec![x.clone()];
    for y in &ys {
        if !names.contains(y) {
            names.push(y.clone());
        }
    }
    let exprs: Vec<Expr> = names.iter().map(|n| col(n.as_str())).collect();
    let lf = f.lf.select(exprs);
    let mut df = run_action(ctx, &action, lf.clone().limit(MAX_ROWS as IdxSize + 1))?;
    let mut note = None;
    if df.height() > MAX_ROWS {
        let sampled = matches!(kind, ChartKind::Line | ChartKind::Area | ChartKind::Scatter);
        if sampled {
            let total = count_rows(ctx, &action, lf.clone())?;
            let fraction = MAX_ROWS as f64 / total.max(1) as f64;
            df = run_action(
                ctx,
                &action,
                random_rows(lf, 0, move |u| u.lt(lit(fraction))).limit(MAX_ROWS as IdxSize),
            )?;
            note = Some(format!(
                "a sample of {} of {} rows (plots draw at most {MAX_ROWS})",
                thousands(df.height() as u64),
                thousands(total as u64)
            ));
        } else {
            df = df.head(Some(MAX_ROWS));
            note = Some(format!(
                "the first {MAX_ROWS} rows (plots draw at most {MAX_ROWS})"
            ));
        }
    }
    let numeric_x = f
        .schema
        .get(x.as_str())
        .is_some_and(|t| t.is_primitive_numeric());
    let by_x = matches!(kind, ChartKind::Line | ChartKind::Area | ChartKind::Scatter);
    if by_x && kind != ChartKind::Scatter {
        df = df
            .sort(
                [x.as_str()],
                SortMultipleOptions::default().with_nulls_last(true),
            )
            .map_err(crate::core::error::polars_error)?;
    }
    let xs = if by_x && numeric_x {
        Xs::Numbers(
            numbers(&df, &x)?
                .into_iter()
                .map(|v| v.unwrap_or(f64::NAN))
                .collect(),
        )
    } else {
        Xs::Labels(labels(&df, &x)?)
    };
    let series = ys
        .iter()
        .map(|y| {
            Ok(Series {
                name: y.clone(),
                values: numbers(&df, y)?,
            })
        })
        .collect::<Result<Vec<_>, LangError>>()?;
    Ok(chart(
        &call,
        kind,
        ChartData::Xy {
            x_name: x,
            xs,
            series,
        },
        note,
    ))
}

fn float_at(df: &DataFrame, name: &str) -> Option<f64> {
    df.column(name)
        .ok()?
        .cast(&DataType::Float64)
        .ok()?
        .f64()
        .ok()?
        .get(0)
}

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
    let b = df.column("bin").map_err(crate::core::error::polars_error)?;
    let n = df
        .column("n")
        .and_then(|n| n.cast(&DataType::UInt64))
        .map_err(crate::core::error::polars_error)?;
    let (b, n) = (
        b.i64().map_err(crate::core::error::polars_error)?,
        n.u64().map_err(crate::core::error::polars_error)?,
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

fn hist(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
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

/// A column's values as floats, nulls and NaN left out.
fn finite(c: &str) -> Expr {
    let v = col(c).cast(DataType::Float64);
    v.clone()
        .filter(v.clone().is_not_null().and(v.is_not_nan()))
}

fn box_plot(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
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

fn kde(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
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
    let (lo, hi) = range(ctx, action, &f.lf, &cols)?.unwrap_or((0.0, 1.0));
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
    for c in &cols {
        let v = col(c.as_str()).cast(DataType::Float64);
        let v = v
            .clone()
            .filter(v.clone().is_not_null().and(v.is_not_nan()));
        let stats = run_action(
            ctx,
            action,
            f.lf.clone().select([
                v.clone().min().alias("lo"),
                v.clone().max().alias("hi"),
                v.clone().std(1).alias("std"),
                v.clone().count().cast(DataType::Float64).alias("n"),
            ]),
        )?;
        let get = |n: &str| float_at(&stats, n);
        let (Some(clo), Some(chi), Some(std), Some(n)) =
            (get("lo"), get("hi"), get("std"), get("n"))
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
