//! Higher-order functions: a notebook function (`lambda x: x * 2`, or a `def`) applied to
//! each element of an array or each entry of a map. The function runs once, on placeholder
//! columns for the element (and its index, or the entry's key and value); its column
//! result becomes one per-list expression (Polars' `list.eval`), so nothing runs per
//! element in the evaluator.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::types::{MAP_KEY, MAP_VALUE};
use crate::core::value::{Column, Module, Receiver, Value};

const F: &[Module] = &[Module::Functions];
const DF: Receiver = Receiver::DataFrame;
const COL: Receiver = Receiver::Column;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "transform(col: ColumnOrName, f: Callable) -> Column",
        "Each element replaced by `f(x)` (or `f(x, i)` with its 0-based index).",
        transform,
    ),
    Entry::function(
        F,
        "filter(col: ColumnOrName, f: Callable) -> Column",
        "The elements for which `f(x)` (or `f(x, i)`) is true.",
        filter,
    ),
    Entry::function(
        F,
        "exists(col: ColumnOrName, f: Callable) -> Column",
        "Whether `f(x)` holds for some element (null when it is null for some and true for none).",
        exists,
    ),
    Entry::function(
        F,
        "forall(col: ColumnOrName, f: Callable) -> Column",
        "Whether `f(x)` holds for every element (null when it is null for some and false for none).",
        forall,
    ),
    Entry::function(
        F,
        "zip_with(left: ColumnOrName, right: ColumnOrName, f: Callable) -> Column",
        "`f(x, y)` over the two arrays element by element; the shorter is padded with nulls.",
        zip_with,
    ),
    Entry::function(
        F,
        "arrays_zip(*cols: ColumnOrName) -> Column",
        "An array of structs: the i-th elements of each array (nulls past a shorter one's end).",
        arrays_zip,
    ),
    Entry::function(
        F,
        "transform_keys(col: ColumnOrName, f: Callable) -> Column",
        "The map with each key replaced by `f(k, v)`.",
        transform_keys,
    ),
    Entry::function(
        F,
        "transform_values(col: ColumnOrName, f: Callable) -> Column",
        "The map with each value replaced by `f(k, v)`.",
        transform_values,
    ),
    Entry::function(
        F,
        "map_filter(col: ColumnOrName, f: Callable) -> Column",
        "The map's entries for which `f(k, v)` is true.",
        map_filter,
    ),
    Entry::function(
        F,
        "map_zip_with(col1: ColumnOrName, col2: ColumnOrName, f: Callable) -> Column",
        "A map over both maps' keys with values `f(k, v1, v2)` (null where a map lacks the key).",
        map_zip_with,
    ),
    Entry::method(
        DF,
        "transform(func: Callable, *args: any, **kwargs: any) -> DataFrame",
        "`func(df, *args, **kwargs)`: chains a notebook function that takes and returns a DataFrame.",
        transform_frame,
    ),
    Entry::method(
        COL,
        "transform(f: Callable) -> Column",
        "`f(column)`: chains a function that takes and returns a column.",
        transform_column,
    ),
];

fn transform_frame(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    call_on_this(ctx, &call, "func")
}

fn transform_column(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    call_on_this(ctx, &call, "f")
}

/// `this.transform(f, …)`: `f(this, …)`.
fn call_on_this(ctx: &mut dyn Context, call: &Call, param: &str) -> Result<Value, LangError> {
    let f = call.value(param).clone();
    let mut args = vec![call.this.clone()];
    args.extend(call.rest().iter().map(|(v, _)| v.clone()));
    let kwargs = call
        .extra()
        .iter()
        .map(|(k, v, _)| (k.clone(), v.clone()))
        .collect();
    ctx.call_value(f, args, kwargs, call.span)
}

/// A placeholder column inside the per-list expression.
fn placeholder(expr: Expr, name: &str) -> Value {
    Value::Column(Box::new(Column::new(expr, name)))
}

/// `f` called on placeholders (as many as it takes, up to `available`), its result as a
/// column, and Spark's `lambdafunction(body, x, …)` label.
fn apply(
    ctx: &mut dyn Context,
    call: &Call,
    available: Vec<Expr>,
    default_names: &[&str],
    min: usize,
) -> Result<(Column, String), LangError> {
    let f = call.value("f").clone();
    let names = ctx
        .params_of(&f)
        .unwrap_or_else(|| default_names[..min].iter().map(|s| s.to_string()).collect());
    if names.len() < min || names.len() > available.len() {
        return Err(LangError::type_error(format!(
            "{}() takes a function of {}{} argument{}, not {}",
            call.name,
            min,
            if available.len() > min {
                format!(" or {}", available.len())
            } else {
                String::new()
            },
            if available.len() == 1 { "" } else { "s" },
            names.len()
        ))
        .at(call.span_of("f")));
    }
    let args: Vec<Value> = available
        .into_iter()
        .zip(&names)
        .map(|(e, n)| placeholder(e, n))
        .collect();
    let result = ctx.call_value(f, args, Vec::new(), call.span_of("f"))?;
    let body = to_column(&result, call.span_of("f"))?;
    let label = format!("lambdafunction({}, {})", body.name, names.join(", "));
    Ok((body, label))
}

fn index() -> Expr {
    int_range(lit(0), len(), 1, DataType::Int32)
}

fn field(name: &str) -> Expr {
    element().struct_().field_by_name(name)
}

fn result(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

fn transform(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let (body, label) = apply(ctx, &call, vec![element(), index()], &["x", "i"], 1)?;
    result(
        c.expr.list().eval(body.expr),
        format!("transform({}, {label})", c.name),
    )
}

fn filter(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let (body, label) = apply(ctx, &call, vec![element(), index()], &["x", "i"], 1)?;
    let keep = body.expr.fill_null(lit(false));
    result(
        c.expr.list().eval(element().filter(keep)),
        format!("filter({}, {label})", c.name),
    )
}

fn exists(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let (body, label) = apply(ctx, &call, vec![element()], &["x"], 1)?;
    result(
        c.expr.list().agg(body.expr.any(false)),
        format!("exists({}, {label})", c.name),
    )
}

fn forall(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let (body, label) = apply(ctx, &call, vec![element()], &["x"], 1)?;
    result(
        c.expr.list().agg(body.expr.all(false)),
        format!("forall({}, {label})", c.name),
    )
}

fn zip_with(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (l, r) = (call.column("left")?, call.column("right")?);
    let zipped = zip_lists(
        vec![l.expr.clone(), r.expr.clone()],
        vec!["0".into(), "1".into()],
    );
    let (body, label) = apply(ctx, &call, vec![field("0"), field("1")], &["x", "y"], 2)?;
    result(
        zipped.list().eval(body.expr),
        format!("zip_with({}, {}, {label})", l.name, r.name),
    )
}

fn arrays_zip(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let cols = call
        .rest_flat()
        .iter()
        .map(|(v, s)| to_column(v, *s))
        .collect::<Result<Vec<_>, _>>()?;
    let names: Vec<String> = cols.iter().map(|c| c.name.clone()).collect();
    let label = format!("arrays_zip({})", names.join(", "));
    result(
        zip_lists(cols.into_iter().map(|c| c.expr).collect(), names),
        label,
    )
}

fn transform_keys(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let (body, label) = apply(ctx, &call, entry_parts(), &["k", "v"], 2)?;
    let entry = as_struct(vec![body.expr.alias(MAP_KEY), field(MAP_VALUE)]);
    result(
        c.expr.list().eval(entry),
        format!("transform_keys({}, {label})", c.name),
    )
}

fn transform_values(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let (body, label) = apply(ctx, &call, entry_parts(), &["k", "v"], 2)?;
    let entry = as_struct(vec![field(MAP_KEY), body.expr.alias(MAP_VALUE)]);
    result(
        c.expr.list().eval(entry),
        format!("transform_values({}, {label})", c.name),
    )
}

fn map_filter(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let (body, label) = apply(ctx, &call, entry_parts(), &["k", "v"], 2)?;
    let keep = body.expr.fill_null(lit(false));
    result(
        c.expr.list().eval(element().filter(keep)),
        format!("map_filter({}, {label})", c.name),
    )
}

fn map_zip_with(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (a, b) = (call.column("col1")?, call.column("col2")?);
    let merged = merge_maps(a.expr.clone(), b.expr.clone());
    let parts = vec![field(MAP_KEY), field("v1"), field("v2")];
    let (body, label) = apply(ctx, &call, parts, &["k", "v1", "v2"], 3)?;
    let entry = as_struct(vec![field(MAP_KEY), body.expr.alias(MAP_VALUE)]);
    result(
        merged.list().eval(entry),
        format!("map_zip_with({}, {}, {label})", a.name, b.name),
    )
}

fn entry_parts() -> Vec<Expr> {
    vec![field(MAP_KEY), field(MAP_VALUE)]
}

/// The i-th elements of each list as a struct with fields `names`, padded with nulls to
/// the longest list; null where any list is null.
fn zip_lists(lists: Vec<Expr>, names: Vec<String>) -> Expr {
    let out_names = names.clone();
    let first = lists[0].clone();
    first.map_many(
        move |cols| {
            let lists: Vec<ListChunked> = cols
                .iter()
                .map(|c| c.as_materialized_series().list().cloned())
                .collect::<PolarsResult<_>>()?;
            let rows = lists.iter().map(|l| l.len()).max().unwrap_or(0);
            let mut out: Vec<Option<Series>> = Vec::with_capacity(rows);
            for i in 0..rows {
                let parts: Option<Vec<Series>> = lists
                    .iter()
                    .map(|l| l.get_as_series(if l.len() == 1 { 0 } else { i }))
                    .collect();
                let Some(parts) = parts else {
                    out.push(None);
                    continue;
                };
                let n = parts.iter().map(|p| p.len()).max().unwrap_or(0);
                let fields = parts
                    .into_iter()
                    .zip(&names)
                    .map(|(p, name)| {
                        let pad = n - p.len();
                        let p = p.extend_constant(AnyValue::Null, pad)?;
                        Ok(p.with_name(name.as_str().into()))
                    })
                    .collect::<PolarsResult<Vec<_>>>()?;
                let s = StructChunked::from_series("".into(), n, fields.iter())?.into_series();
                out.push(Some(s));
            }
            let mut ca: ListChunked = out.into_iter().collect();
            ca.rename(cols[0].name().clone());
            Ok(ca.into_series().into_column())
        },
        &lists[1..],
        move |_, fields| {
            let inner = fields
                .iter()
                .zip(&out_names)
                .map(|(f, n)| {
                    let t = match f.dtype() {
                        DataType::List(t) => (**t).clone(),
                        other => other.clone(),
                    };
                    // A literal's type (`dyn int`) is settled here: Polars needs a known one.
                    Field::new(
                        n.as_str().into(),
                        t.clone().materialize_unknown(true).unwrap_or(t),
                    )
                })
                .collect();
            Ok(Field::new(
                fields[0].name().clone(),
                DataType::List(Box::new(DataType::Struct(inner))),
            ))
        },
    )
}

/// Two maps' entries merged by key: `{key, v1, v2}` structs, the first map's keys in order,
/// then the second's new ones.
fn merge_maps(a: Expr, b: Expr) -> Expr {
    a.map_many(
        |cols| {
            let (l, r) = (
                cols[0].as_materialized_series().list()?.clone(),
                cols[1].as_materialized_series().list()?.clone(),
            );
            let rows = l.len().max(r.len());
            let mut out: Vec<Option<Series>> = Vec::with_capacity(rows);
            for i in 0..rows {
                let pick = |c: &ListChunked| c.get_as_series(if c.len() == 1 { 0 } else { i });
                let (Some(m1), Some(m2)) = (pick(&l), pick(&r)) else {
                    out.push(None);
                    continue;
                };
                out.push(Some(merge_entries(&m1, &m2)?));
            }
            let mut ca: ListChunked = out.into_iter().collect();
            ca.rename(cols[0].name().clone());
            Ok(ca.into_series().into_column())
        },
        &[b],
        |_, fields| {
            let parts = |f: &Field| -> (DataType, DataType) {
                match f.dtype() {
                    DataType::List(inner) => match &**inner {
                        DataType::Struct(fs) if fs.len() == 2 => {
                            (fs[0].dtype().clone(), fs[1].dtype().clone())
                        }
                        other => (other.clone(), other.clone()),
                    },
                    other => (other.clone(), other.clone()),
                }
            };
            let (k, v1) = parts(&fields[0]);
            let (_, v2) = parts(&fields[1]);
            let known = |t: DataType| t.clone().materialize_unknown(true).unwrap_or(t);
            let inner = DataType::Struct(vec![
                Field::new(MAP_KEY.into(), known(k)),
                Field::new("v1".into(), known(v1)),
                Field::new("v2".into(), known(v2)),
            ]);
            Ok(Field::new(
                fields[0].name().clone(),
                DataType::List(Box::new(inner)),
            ))
        },
    )
}

fn merge_entries(m1: &Series, m2: &Series) -> PolarsResult<Series> {
    let (e1, e2) = (m1.struct_()?, m2.struct_()?);
    let (k1, v1) = (e1.field_by_name(MAP_KEY)?, e1.field_by_name(MAP_VALUE)?);
    let (k2, v2) = (e2.field_by_name(MAP_KEY)?, e2.field_by_name(MAP_VALUE)?);
    let find = |k: &AnyValue, keys: &Series| -> Option<IdxSize> {
        keys.iter().position(|x| &x == k).map(|p| p as IdxSize)
    };
    let mut left: Vec<Option<IdxSize>> = Vec::new();
    let mut right: Vec<Option<IdxSize>> = Vec::new();
    let mut keys_from_right: Vec<IdxSize> = Vec::new();
    for (i, k) in k1.iter().enumerate() {
        left.push(Some(i as IdxSize));
        right.push(find(&k, &k2));
    }
    for (j, k) in k2.iter().enumerate() {
        if find(&k, &k1).is_none() {
            left.push(None);
            right.push(Some(j as IdxSize));
            keys_from_right.push(j as IdxSize);
        }
    }
    let mut keys = k1.clone();
    keys.append(&k2.take(&IdxCa::from_vec("".into(), keys_from_right))?)?;
    let left = IdxCa::from_iter_options("".into(), left.into_iter());
    let right = IdxCa::from_iter_options("".into(), right.into_iter());
    let n = keys.len();
    let fields = [
        keys.with_name(MAP_KEY.into()),
        v1.take(&left)?.with_name("v1".into()),
        v2.take(&right)?.with_name("v2".into()),
    ];
    Ok(StructChunked::from_series("".into(), n, fields.iter())?.into_series())
}
