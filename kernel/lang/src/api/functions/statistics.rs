//! Statistical aggregates: correlation, covariance, linear regression over pairs, the
//! shape of a distribution and its most common value. Pairs count only where both values
//! are non-null, as in Spark; a statistic with no data, or a division by a zero variance,
//! is null (Polars would give NaN).

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

macro_rules! pair_stat {
    ($($name:literal, $doc:literal, $fn:ident;)*) => {
        &[$(Entry::function(F, concat!($name, "(y: ColumnOrName, x: ColumnOrName) -> Column"), $doc, $fn),)*]
    };
}

/// The regression entries (`y` first, as Spark).
pub const REGRESSION: &[Entry] = pair_stat! {
    "regr_count", "Number of pairs where both are non-null.", regr_count;
    "regr_avgx", "Mean of `x` over the non-null pairs.", regr_avgx;
    "regr_avgy", "Mean of `y` over the non-null pairs.", regr_avgy;
    "regr_sxx", "Sum of squared deviations of `x` over the non-null pairs.", regr_sxx;
    "regr_syy", "Sum of squared deviations of `y` over the non-null pairs.", regr_syy;
    "regr_sxy", "Sum of products of deviations over the non-null pairs.", regr_sxy;
    "regr_slope", "Slope of the least-squares line of `y` on `x`.", regr_slope;
    "regr_intercept", "Intercept of the least-squares line of `y` on `x`.", regr_intercept;
    "regr_r2", "Coefficient of determination of the least-squares line.", regr_r2;
};

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "corr(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "Pearson correlation coefficient.",
        corr,
    ),
    Entry::function(
        F,
        "covar_pop(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "Population covariance.",
        covar_pop,
    ),
    Entry::function(
        F,
        "covar_samp(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "Sample covariance.",
        covar_samp,
    ),
    Entry::function(
        F,
        "kurtosis(col: ColumnOrName) -> Column",
        "Excess kurtosis (population).",
        kurtosis,
    ),
    Entry::function(
        F,
        "skewness(col: ColumnOrName) -> Column",
        "Skewness (population).",
        skewness,
    ),
    Entry::function(
        F,
        "mode(col: ColumnOrName, deterministic: bool = False) -> Column",
        "The most frequent value; with `deterministic`, the smallest of the ties.",
        mode,
    ),
    Entry::function(
        F,
        "approx_count_distinct(col: ColumnOrName, rsd: float|None = None) -> Column",
        "Number of distinct non-null values (counted exactly here).",
        approx_count_distinct,
    )
    .aliases(&["approxCountDistinct"]),
];

fn aggregate(expr: Expr, name: String) -> Result<Value, LangError> {
    let mut out = Column::new(expr, name);
    out.aggregate = true;
    Ok(Value::Column(Box::new(out)))
}

/// A float statistic, null where Polars says NaN or infinity.
fn finite(e: Expr) -> Expr {
    let e = e.cast(DataType::Float64);
    when(e.clone().is_finite()).then(e).otherwise(lit(NULL))
}

/// The two columns as floats, each null where either is (so they count as pairs).
struct Pairs {
    y: Expr,
    x: Expr,
    label: String,
}

fn pairs(call: &Call, first: &str, second: &str) -> Result<Pairs, LangError> {
    let a = call.column(first)?;
    let b = call.column(second)?;
    let both = a
        .expr
        .clone()
        .is_not_null()
        .and(b.expr.clone().is_not_null());
    let keep = |e: Expr| {
        when(both.clone())
            .then(e.cast(DataType::Float64))
            .otherwise(lit(NULL))
    };
    Ok(Pairs {
        y: keep(a.expr),
        x: keep(b.expr),
        label: format!("{}, {}", a.name, b.name),
    })
}

fn named(call: &Call, p: &Pairs, expr: Expr) -> Result<Value, LangError> {
    aggregate(expr, format!("{}({})", call.name, p.label))
}

/// Null when there are no pairs.
fn with_pairs(p: &Pairs, e: Expr) -> Expr {
    when(p.x.clone().count().gt(lit(0)))
        .then(e)
        .otherwise(lit(NULL))
}

fn regr_count(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "y", "x")?;
    named(&call, &p, p.x.clone().count().cast(DataType::Int64))
}
fn regr_avgx(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "y", "x")?;
    named(&call, &p, p.x.clone().mean())
}
fn regr_avgy(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "y", "x")?;
    named(&call, &p, p.y.clone().mean())
}
/// Sum of squared deviations: the population variance times the count.
fn squares(p: &Pairs, e: &Expr) -> Expr {
    with_pairs(
        p,
        e.clone().var(0) * p.x.clone().count().cast(DataType::Float64),
    )
}
fn regr_sxx(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "y", "x")?;
    named(&call, &p, squares(&p, &p.x))
}
fn regr_syy(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "y", "x")?;
    named(&call, &p, squares(&p, &p.y))
}
fn regr_sxy(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "y", "x")?;
    let n = p.x.clone().count().cast(DataType::Float64);
    let e = with_pairs(&p, cov(p.x.clone(), p.y.clone(), 0) * n);
    named(&call, &p, finite(e))
}
fn slope(p: &Pairs) -> Expr {
    finite(cov(p.x.clone(), p.y.clone(), 0) / p.x.clone().var(0))
}
fn regr_slope(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "y", "x")?;
    named(&call, &p, slope(&p))
}
fn regr_intercept(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "y", "x")?;
    let e = p.y.clone().mean() - slope(&p) * p.x.clone().mean();
    named(&call, &p, e)
}
fn regr_r2(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "y", "x")?;
    let r = pearson_corr(p.x.clone(), p.y.clone());
    let e = when(p.x.clone().var(0).eq(lit(0.0)))
        .then(lit(NULL))
        .when(p.y.clone().var(0).eq(lit(0.0)))
        .then(lit(1.0))
        .otherwise(finite(r.clone() * r));
    named(&call, &p, with_pairs(&p, e))
}

fn corr(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "col1", "col2")?;
    named(&call, &p, finite(pearson_corr(p.y.clone(), p.x.clone())))
}
fn covar_pop(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "col1", "col2")?;
    named(&call, &p, finite(cov(p.y.clone(), p.x.clone(), 0)))
}
fn covar_samp(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = pairs(&call, "col1", "col2")?;
    named(&call, &p, finite(cov(p.y.clone(), p.x.clone(), 1)))
}

fn over(call: &Call, f: impl FnOnce(Expr) -> Expr) -> Result<Value, LangError> {
    let c = call.column("col")?;
    aggregate(f(c.expr), format!("{}({})", call.name, c.name))
}

/// The sum of the `k`-th powers of the deviations from the mean (Spark's formulas use
/// these sums, so the results round as Spark's do).
fn central(e: &Expr, k: i32) -> Expr {
    let d = e.clone() - e.clone().mean();
    (1..k).fold(d.clone(), |acc, _| acc * d.clone()).sum()
}
fn kurtosis(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, |e| {
        let e = e.cast(DataType::Float64);
        let n = e.clone().count().cast(DataType::Float64);
        let m2 = central(&e, 2);
        finite(n * central(&e, 4) / (m2.clone() * m2) - lit(3.0))
    })
}
fn skewness(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    over(&call, |e| {
        let e = e.cast(DataType::Float64);
        let n = e.clone().count().cast(DataType::Float64);
        let m2 = central(&e, 2);
        finite(n.sqrt() * central(&e, 3) / (m2.clone() * m2.sqrt()))
    })
}
fn mode(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let values = c.expr.drop_nulls();
    if call.bool("deterministic")? {
        aggregate(
            values.mode(false).min(),
            format!("mode() WITHIN GROUP (ORDER BY {} DESC)", c.name),
        )
    } else {
        aggregate(values.mode(true).first(), format!("mode({})", c.name))
    }
}
fn approx_count_distinct(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    aggregate(
        c.expr.drop_nulls().n_unique().cast(DataType::Int64),
        format!("approx_count_distinct({})", c.name),
    )
}
