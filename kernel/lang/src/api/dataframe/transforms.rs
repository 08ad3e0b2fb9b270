//! Lazy DataFrame transformations: projection, filtering, ordering, sampling.

use std::sync::Arc;

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{
    check_names, columns_arg, derive_value, frame_value, idx, new_frame, random_rows, run_action,
};
use crate::api::convert::{as_bool, as_float, plain_col};
use crate::api::entry::Entry;
use crate::api::sql_expr::sql_column;
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::value::{Column, Frame, Receiver, Value};

const DF: Receiver = Receiver::DataFrame;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "select(*cols: ColumnOrName|list) -> DataFrame",
        "Projects columns or expressions; `\"*\"` is every column.",
        select,
    ),
    Entry::method(
        DF,
        "selectExpr(*expr: str|list) -> DataFrame",
        "Projects SQL expressions.",
        select_expr,
    ),
    Entry::method(
        DF,
        "withColumn(colName: str, col: Column) -> DataFrame",
        "Adds a column, or replaces one of the same name.",
        with_column,
    ),
    Entry::method(
        DF,
        "withColumnRenamed(existing: str, new: str) -> DataFrame",
        "Renames a column; a missing one is ignored, as in Spark.",
        with_column_renamed,
    ),
    Entry::method(
        DF,
        "drop(*cols: ColumnOrName|list) -> DataFrame",
        "Drops columns; names that are not there are ignored, as in Spark.",
        drop,
    ),
    Entry::method(
        DF,
        "filter(condition: Column|str) -> DataFrame",
        "Keeps the rows where a Column or SQL condition holds.",
        filter,
    )
    .aliases(&["where"]),
    Entry::method(
        DF,
        "orderBy(*cols: ColumnOrName|list|int, ascending: bool|int|list = True) -> DataFrame",
        "Sorts; nulls first ascending and last descending, as in Spark.",
        order_by,
    )
    .aliases(&["sort"]),
    Entry::method(
        DF,
        "limit(num: int) -> DataFrame",
        "The first `num` rows.",
        limit,
    ),
    Entry::method(
        DF,
        "offset(num: int) -> DataFrame",
        "Skips the first `num` rows.",
        offset,
    ),
    Entry::method(
        DF,
        "zipWithIndex(indexColName: str = 'index') -> DataFrame",
        "Adds each row's 0-based position as a column.",
        zip_with_index,
    ),
    Entry::method(
        DF,
        "distinct() -> DataFrame",
        "Drops duplicate rows, keeping the first.",
        distinct,
    ),
    Entry::method(
        DF,
        "dropDuplicates(subset: str|list = None) -> DataFrame",
        "Drops rows duplicated in `subset` (all columns by default).",
        drop_duplicates,
    )
    .aliases(&["drop_duplicates"]),
    Entry::method(
        DF,
        "localCheckpoint(eager: bool = True) -> DataFrame",
        "Runs the plan now and continues from its result in memory: a fresh, shallow plan.",
        local_checkpoint,
    ),
    Entry::method(
        DF,
        "alias(alias: str) -> DataFrame",
        "Returns the DataFrame (aliases matter only to joins on expressions).",
        same,
    ),
    Entry::method(
        DF,
        "sample(withReplacement: bool|float = None, fraction: float = None, seed: int = None) -> DataFrame",
        "A random sample of about `fraction` of the rows, without replacement.",
        sample,
    ),
    Entry::method(
        DF,
        "randomSplit(weights: list, seed: int = None) -> list",
        "Splits the rows at random in proportion to `weights`.",
        random_split,
    ),
];

fn select(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let cols = columns_arg(&f, &call.rest_flat())?;
    if cols.iter().any(|c| c.generator.is_some()) {
        return crate::api::dataframe::generate::select_generating(ctx, f, &cols, call.span);
    }
    let exprs: Vec<Expr> = cols.iter().map(Column::named).collect();
    let order = window_order(&cols);
    derive_value(ctx, f, call.span, |lf| {
        sorted_for_windows(lf, &order).select(exprs.clone())
    })
}

/// The partition and order keys of the windows among `cols`.
fn window_order(cols: &[Column]) -> Vec<(Expr, bool)> {
    cols.iter()
        .filter_map(|c| c.window_order.as_ref())
        .flat_map(|w| w.0.iter().cloned().zip(w.1.iter().copied()))
        .collect()
}

/// Rows in the order Spark's window operator leaves them: by partition, then by order.
fn sorted_for_windows(lf: LazyFrame, keys: &[(Expr, bool)]) -> LazyFrame {
    if keys.is_empty() {
        return lf;
    }
    let (exprs, descending): (Vec<Expr>, Vec<bool>) = keys.iter().cloned().unzip();
    let nulls_last = descending.clone();
    lf.sort_by_exprs(
        exprs,
        SortMultipleOptions::default()
            .with_order_descending_multi(descending)
            .with_nulls_last_multi(nulls_last)
            .with_maintain_order(true),
    )
}

fn select_expr(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let mut cols = Vec::new();
    for (v, s) in call.rest_flat() {
        let Value::Str(sql) = v else {
            return Err(LangError::type_error("selectExpr() takes SQL expression strings").at(s));
        };
        cols.push(sql_column(ctx, &sql, s)?);
    }
    let cols = columns_arg(
        &f,
        &cols
            .into_iter()
            .map(|c| (Value::Column(Box::new(c)), call.span))
            .collect::<Vec<_>>(),
    )?;
    if cols.iter().any(|c| c.generator.is_some()) {
        return crate::api::dataframe::generate::select_generating(ctx, f, &cols, call.span);
    }
    let exprs: Vec<Expr> = cols.iter().map(Column::named).collect();
    derive_value(ctx, f, call.span, |lf| lf.select(exprs.clone()))
}

fn with_column(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let name = call.str("colName")?;
    let c = call.column("col")?;
    if let Some(g) = c.generator {
        // The existing columns, with the generated one added (or replaced) under `name`.
        let mut cols: Vec<Column> = f
            .columns()
            .iter()
            .filter(|n| **n != name)
            .map(|n| plain_col(n))
            .collect();
        let mut generated = Column::new(c.expr, name.as_str());
        generated.generator = Some(g);
        cols.push(generated);
        return crate::api::dataframe::generate::select_generating(ctx, f, &cols, call.span);
    }
    let order = window_order(std::slice::from_ref(&c));
    let expr = c.expr.alias(name.as_str());
    derive_value(ctx, f, call.span, |lf| {
        sorted_for_windows(lf, &order).with_column(expr.clone())
    })
}

fn with_column_renamed(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let (old, new) = (call.str("existing")?, call.str("new")?);
    if !f.schema.contains(&old) {
        return Ok(Value::Frame(Box::new(f)));
    }
    derive_value(ctx, f, call.span, |lf| {
        lf.rename([old.as_str()], [new.as_str()], true)
    })
}

fn drop(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let mut names = Vec::new();
    for (v, s) in call.rest_flat() {
        match v {
            Value::Str(n) => names.push(n),
            Value::Column(c) if c.plain => names.push(c.name.clone()),
            other => {
                return Err(LangError::type_error(format!(
                    "drop() takes column names, got {}",
                    other.type_name()
                ))
                .at(s));
            }
        }
    }
    names.retain(|n| f.schema.contains(n));
    derive_value(ctx, f, call.span, |lf| {
        lf.drop(by_name(names.clone(), true, false))
    })
}

fn filter(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let cond = match call.value("condition") {
        Value::Str(sql) => sql_column(ctx, &sql.clone(), call.span_of("condition"))?.expr,
        _ => call.column("condition")?.expr,
    };
    derive_value(ctx, f, call.span, |lf| lf.filter(cond.clone()))
}

/// `sort(1)`, `sort(-1)`: a column by its 1-based position, descending when negative.
pub fn by_position(f: &Frame, items: Vec<(Value, Span)>) -> Result<Vec<(Value, Span)>, LangError> {
    let names = f.columns();
    items
        .into_iter()
        .map(|(v, s)| match v {
            Value::Int(i) => {
                let at = i.unsigned_abs() as usize;
                let Some(name) = names.get(at.wrapping_sub(1)).filter(|_| i != 0) else {
                    return Err(LangError::new(
                        "IndexError",
                        format!("column ordinal must be between 1 and {} (or negative for descending), got {i}", names.len()),
                    )
                    .at(s));
                };
                let mut c = plain_col(name);
                c.descending = (i < 0).then_some(true);
                Ok((Value::Column(Box::new(c)), s))
            }
            other => Ok((other, s)),
        })
        .collect()
}

fn order_by(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let cols = columns_arg(&f, &by_position(&f, call.rest_flat())?)?;
    let span = call.span_of("ascending");
    let ascending: Vec<bool> = match call.value("ascending") {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(|v| as_bool(v, span))
            .collect::<Result<_, _>>()?,
        v => vec![as_bool(v, span)?; cols.len()],
    };
    let descending: Vec<bool> = cols
        .iter()
        .zip(ascending.iter().chain(std::iter::repeat(&true)))
        .map(|(c, asc)| c.descending.unwrap_or(!asc))
        .collect();
    // Spark puts nulls first when ascending and last when descending, unless told.
    let nulls_last: Vec<bool> = cols
        .iter()
        .zip(&descending)
        .map(|(c, d)| c.nulls_last.unwrap_or(*d))
        .collect();
    let options = SortMultipleOptions::default()
        .with_order_descending_multi(descending)
        .with_nulls_last_multi(nulls_last)
        .with_maintain_order(true);
    let exprs: Vec<Expr> = cols.iter().map(|c| c.expr.clone()).collect();
    derive_value(ctx, f, call.span, |lf| {
        lf.sort_by_exprs(exprs.clone(), options.clone())
    })
}

fn limit(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let n = idx(call.int("num")?);
    derive_value(ctx, f, call.span, |lf| lf.limit(n))
}

fn offset(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let n = call.int("num")?.max(0);
    derive_value(ctx, f, call.span, |lf| lf.slice(n, IdxSize::MAX))
}

fn zip_with_index(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let name = call.str("indexColName")?;
    derive_value(ctx, f, call.span, |lf| {
        lf.with_column(int_range(lit(0i64), len(), 1, DataType::Int64).alias(name.as_str()))
    })
}

fn distinct(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    unique(ctx, &call, None)
}

fn drop_duplicates(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let subset = match call.opt_names("subset")? {
        None => None,
        Some(names) => {
            check_names(&f, &names, call.span_of("subset"))?;
            Some(by_name(names, true, false))
        }
    };
    unique(ctx, &call, subset)
}

/// Rows unique in `subset` (all columns when `None`), the first of each kept.
fn unique(
    ctx: &mut dyn Context,
    call: &Call,
    subset: Option<Selector>,
) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let lf = f.lf.unique_stable(subset, UniqueKeepStrategy::First);
    frame_value(ctx, lf, call.span)
}

fn local_checkpoint(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let df = run_action(ctx, "localCheckpoint", f.lf)?;
    ctx.config()
        .check_memory(df.estimated_size() as u128, "the checkpointed DataFrame")
        .map_err(|e| e.at(call.span))?;
    frame_value(ctx, df.lazy(), call.span)
}

fn same(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    call.this_frame().map(|f| Value::Frame(Box::new(f)))
}

fn sample(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    // PySpark lets the fraction come first: sample(0.1, seed=1).
    let (replace, fraction) = match (call.value("withReplacement"), call.value("fraction")) {
        (Value::Float(x), Value::None) => (false, *x),
        (Value::Int(x), Value::None) => (false, *x as f64),
        (w, fr) => {
            let replace = !matches!(w, Value::None) && as_bool(w, call.span_of("withReplacement"))?;
            let fraction = match fr {
                Value::None => {
                    return Err(LangError::type_error("sample() needs a fraction").at(call.span));
                }
                v => as_float(v, call.span_of("fraction"))?,
            };
            (replace, fraction)
        }
    };
    if replace {
        return Err(
            LangError::unsupported("sample(withReplacement=True) is not supported")
                .at(call.span_of("withReplacement"))
                .with_hint("sample without replacement: df.sample(fraction, seed=...)"),
        );
    }
    if !(0.0..=1.0).contains(&fraction) {
        return Err(LangError::new(
            "IllegalArgumentException",
            format!("fraction must be in [0, 1] without replacement, got {fraction}"),
        )
        .at(call.span_of("fraction")));
    }
    let seed = call.opt_int("seed")?.unwrap_or(0) as u64;
    let lf = random_rows(f.lf, seed, |u| u.lt(lit(fraction)));
    frame_value(ctx, lf, call.span)
}

fn random_split(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let ws = call.span_of("weights");
    let (Value::List(items) | Value::Tuple(items)) = call.value("weights") else {
        return Err(LangError::type_error("randomSplit() takes a list of weights").at(ws));
    };
    let weights: Vec<f64> = items
        .iter()
        .map(|v| as_float(v, ws))
        .collect::<Result<_, _>>()?;
    let total: f64 = weights.iter().sum();
    if weights.iter().any(|w| *w < 0.0) || total <= 0.0 {
        return Err(LangError::new(
            "ValueError",
            "weights must be non-negative and sum to more than 0",
        )
        .at(ws));
    }
    let seed = call.opt_int("seed")?.unwrap_or(0) as u64;
    let mut parts = Vec::new();
    let mut acc = 0.0;
    for w in &weights {
        let lo = acc / total;
        acc += w;
        let hi = acc / total;
        let part = random_rows(f.lf.clone(), seed, |u| {
            u.clone().gt_eq(lit(lo)).and(u.lt(lit(hi)))
        });
        parts.push(Value::Frame(Box::new(new_frame(ctx, part, call.span)?)));
    }
    Ok(Value::List(Arc::new(parts)))
}
