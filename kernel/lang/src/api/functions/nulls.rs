//! Functions about missing values: testing for null and NaN, and choosing a replacement.
//! Row-wise `greatest`/`least` live here too: like `coalesce` they skip nulls across
//! columns.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "isnull(col: ColumnOrName) -> Column",
        "Whether the value is null.",
        isnull,
    ),
    Entry::function(
        F,
        "isnotnull(col: ColumnOrName) -> Column",
        "Whether the value is not null.",
        isnotnull,
    ),
    Entry::function(
        F,
        "nullif(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "Null where the two are equal, else the first.",
        nullif,
    ),
    Entry::function(
        F,
        "ifnull(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "The second where the first is null.",
        ifnull,
    ),
    Entry::function(
        F,
        "nvl(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "The second where the first is null.",
        ifnull,
    ),
    Entry::function(
        F,
        "nvl2(col1: ColumnOrName, col2: ColumnOrName, col3: ColumnOrName) -> Column",
        "The second where the first is not null, else the third.",
        nvl2,
    ),
    Entry::function(
        F,
        "zeroifnull(col: ColumnOrName) -> Column",
        "0 where the value is null.",
        zeroifnull,
    ),
    Entry::function(
        F,
        "nullifzero(col: ColumnOrName) -> Column",
        "Null where the value is 0.",
        nullifzero,
    ),
    Entry::function(
        F,
        "equal_null(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "Equality where two nulls are equal (`<=>`).",
        equal_null,
    ),
    Entry::function(
        F,
        "nanvl(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "The second where the first is NaN.",
        nanvl,
    ),
    Entry::function(
        F,
        "greatest(*cols: ColumnOrName) -> Column",
        "The largest non-null value across the columns.",
        greatest,
    ),
    Entry::function(
        F,
        "least(*cols: ColumnOrName) -> Column",
        "The smallest non-null value across the columns.",
        least,
    ),
];

fn named(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

/// The call's parameters as columns (strings name columns).
fn args<const N: usize>(call: &Call, params: [&str; N]) -> Result<[Column; N], LangError> {
    let mut out = Vec::with_capacity(N);
    for p in params {
        out.push(to_column(call.value(p), call.span_of(p))?);
    }
    Ok(out.try_into().unwrap_or_else(|_| unreachable!()))
}

fn label(call: &Call, cols: &[Column]) -> String {
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    format!("{}({})", call.name, names.join(", "))
}

fn isnull(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    named(c.expr.is_null(), format!("({} IS NULL)", c.name))
}
fn isnotnull(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    named(c.expr.is_not_null(), format!("({} IS NOT NULL)", c.name))
}
fn nullif(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let [a, b] = args(&call, ["col1", "col2"])?;
    let e = when(a.expr.clone().eq(b.expr.clone()).fill_null(lit(false)))
        .then(lit(NULL))
        .otherwise(a.expr.clone());
    named(e, label(&call, &[a, b]))
}
fn ifnull(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let [a, b] = args(&call, ["col1", "col2"])?;
    let e = coalesce(&[a.expr.clone(), b.expr.clone()]);
    named(e, label(&call, &[a, b]))
}
fn nvl2(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let [a, b, c] = args(&call, ["col1", "col2", "col3"])?;
    let e = when(a.expr.clone().is_not_null())
        .then(b.expr.clone())
        .otherwise(c.expr.clone());
    named(e, label(&call, &[a, b, c]))
}
fn zeroifnull(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    named(c.expr.fill_null(lit(0)), format!("zeroifnull({})", c.name))
}
fn nullifzero(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let e = when(c.expr.clone().eq(lit(0)).fill_null(lit(false)))
        .then(lit(NULL))
        .otherwise(c.expr);
    named(e, format!("nullifzero({})", c.name))
}
fn equal_null(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let [a, b] = args(&call, ["col1", "col2"])?;
    let e = a.expr.clone().eq_missing(b.expr.clone());
    named(e, label(&call, &[a, b]))
}
fn nanvl(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let [a, b] = args(&call, ["col1", "col2"])?;
    let e = when(a.expr.clone().is_nan().fill_null(lit(false)))
        .then(b.expr.clone())
        .otherwise(a.expr.clone());
    named(e, label(&call, &[a, b]))
}

fn extreme(call: &Call, largest: bool) -> Result<Value, LangError> {
    let cols: Vec<Column> = call
        .rest_flat()
        .iter()
        .map(|(v, s)| to_column(v, *s))
        .collect::<Result<_, _>>()?;
    if cols.len() < 2 {
        return Err(LangError::analysis(format!(
            "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{}` requires > 1 parameters but the actual number is {}.",
            call.name,
            cols.len()
        ))
        .at(call.span));
    }
    let exprs: Vec<Expr> = cols.iter().map(|c| c.expr.clone()).collect();
    let e = if largest {
        polars::lazy::dsl::max_horizontal(exprs)
    } else {
        polars::lazy::dsl::min_horizontal(exprs)
    }
    .map_err(|e| LangError::type_error(e.to_string()).at(call.span))?;
    named(e, label(call, &cols))
}
fn greatest(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    extreme(&call, true)
}
fn least(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    extreme(&call, false)
}
