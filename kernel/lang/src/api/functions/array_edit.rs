//! Array functions that make a new array from old ones: adding, removing and reordering
//! elements, and the set operations between two arrays.

use polars::prelude::*;

use super::arrays::{index, named};
use crate::api::call::Call;
use crate::api::convert::value_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "array_append(col: ColumnOrName, value: any) -> Column",
        "The array with `value` added at the end (null for a null array).",
        array_append,
    ),
    Entry::function(
        F,
        "array_prepend(col: ColumnOrName, value: any) -> Column",
        "The array with `value` added at the front (null for a null array).",
        array_prepend,
    ),
    Entry::function(
        F,
        "array_insert(arr: ColumnOrName, pos: int, value: any) -> Column",
        "`value` inserted at 1-based `pos` (negative from the end; past the end pads with nulls).",
        array_insert,
    ),
    Entry::function(
        F,
        "array_remove(col: ColumnOrName, element: any) -> Column",
        "The array without the elements equal to `element`.",
        array_remove,
    ),
    Entry::function(
        F,
        "array_position(col: ColumnOrName, value: any) -> Column",
        "1-based position of the first element equal to `value`; 0 when absent.",
        array_position,
    ),
    Entry::function(
        F,
        "array_compact(col: ColumnOrName) -> Column",
        "The array without its nulls.",
        array_compact,
    ),
    Entry::function(
        F,
        "array_distinct(col: ColumnOrName) -> Column",
        "The array without repeated elements, first occurrences kept in order.",
        array_distinct,
    ),
    Entry::function(
        F,
        "array_repeat(col: ColumnOrName, count: int|Column) -> Column",
        "An array holding the value `count` times.",
        array_repeat,
    ),
    Entry::function(
        F,
        "flatten(col: ColumnOrName) -> Column",
        "An array of arrays as one array (null when an inner array is null).",
        flatten,
    ),
    Entry::function(
        F,
        "sequence(start: ColumnOrName, stop: ColumnOrName, step: ColumnOrName|None = None) -> Column",
        "Integers from `start` to `stop` inclusive, by `step` (1 or -1 by default).",
        sequence,
    ),
    Entry::function(
        F,
        "shuffle(col: ColumnOrName, seed: int|None = None) -> Column",
        "The array in random order.",
        shuffle,
    ),
    Entry::function(
        F,
        "array_union(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "Elements of either array, without repeats.",
        array_union,
    ),
    Entry::function(
        F,
        "array_intersect(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "Elements of both arrays, without repeats.",
        array_intersect,
    ),
    Entry::function(
        F,
        "array_except(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "Elements of the first array not in the second, without repeats.",
        array_except,
    ),
    Entry::function(
        F,
        "arrays_overlap(a1: ColumnOrName, a2: ColumnOrName) -> Column",
        "Whether the arrays share a non-null element; null when they don't but one holds a null.",
        arrays_overlap,
    ),
];

/// Null where the array is null, else `expr`.
fn keep_null(array: &Expr, expr: Expr) -> Expr {
    when(array.clone().is_null())
        .then(lit(NULL))
        .otherwise(expr)
}

fn array_append(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let v = value_column(call.value("value"), call.span_of("value"))?;
    let joined = concat_list([c.expr.clone(), v.expr]).map_err(|e| polars_type(e, &call))?;
    named(
        keep_null(&c.expr, joined),
        "array_append",
        &[&c.name, &v.name],
    )
}

fn array_prepend(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let v = value_column(call.value("value"), call.span_of("value"))?;
    let joined = concat_list([v.expr, c.expr.clone()]).map_err(|e| polars_type(e, &call))?;
    named(
        keep_null(&c.expr, joined),
        "array_prepend",
        &[&c.name, &v.name],
    )
}

fn polars_type(e: PolarsError, call: &Call) -> LangError {
    LangError::type_error(e.to_string()).at(call.span)
}

fn array_insert(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("arr")?;
    let pos = call.int("pos")?;
    let v = value_column(call.value("value"), call.span_of("value"))?;
    if pos == 0 {
        return Err(LangError::new(
            "SparkRuntimeException",
            "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).",
        )
        .at(call.span_of("pos")));
    }
    let a = c.expr.clone();
    let len = a.clone().list().len().cast(DataType::Int64);
    let inserted = if pos > 0 {
        let before = a.clone().list().head(lit(pos - 1));
        let after = a.clone().list().slice(lit(pos - 1), lit(i64::MAX));
        // Past the end, Spark pads with nulls up to the position.
        let padding = lit(NULL)
            .cast(DataType::Int64)
            .repeat_by((lit(pos - 1) - len).clip_min(lit(0)));
        let padding = padding.list().eval(element().cast(DataType::Null));
        concat_list([before, padding, v.expr.clone(), after])
    } else {
        let kept = (len + lit(pos + 1)).clip_min(lit(0));
        concat_list([
            a.clone().list().head(kept),
            v.expr.clone(),
            a.clone().list().tail(lit(-pos - 1)),
        ])
    }
    .map_err(|e| polars_type(e, &call))?;
    named(
        keep_null(&a, inserted),
        "array_insert",
        &[&c.name, &pos.to_string(), &v.name],
    )
}

/// A literal element for an operation run inside each array (`list.eval` sees only
/// the array's elements, not other columns).
fn element_literal(call: &Call, param: &str, what: &str) -> Result<(Expr, String), LangError> {
    let v = value_column(call.value(param), call.span_of(param))?;
    if matches!(call.value(param), Value::Column(_)) {
        return Err(LangError::unsupported(format!(
            "{what} with a column as the element is not supported"
        ))
        .at(call.span_of(param))
        .with_hint("pass the element as a constant"));
    }
    Ok((v.expr, v.name))
}

fn array_remove(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let (e, label) = element_literal(&call, "element", "array_remove")?;
    let expr = c
        .expr
        .list()
        .eval(element().filter(element().neq(e).fill_null(lit(true))));
    named(expr, "array_remove", &[&c.name, &label])
}

fn array_position(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let (e, label) = element_literal(&call, "value", "array_position")?;
    let found = c
        .expr
        .clone()
        .list()
        .eval(element().index_of(e))
        .list()
        .first();
    let position = (found.cast(DataType::Int64) + lit(1i64)).fill_null(lit(0i64));
    named(
        keep_null(&c.expr, position),
        "array_position",
        &[&c.name, &label],
    )
}

fn array_compact(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    named(c.expr.list().drop_nulls(), "array_compact", &[&c.name])
}

fn array_distinct(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let expr = c.expr.list().eval(element().unique_stable());
    named(expr, "array_distinct", &[&c.name])
}

fn array_repeat(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let (n, label) = index(&call, "count")?;
    let expr = c.expr.repeat_by(n.clip_min(lit(0)));
    named(expr, "array_repeat", &[&c.name, &label])
}

fn flatten(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let any_null = c
        .expr
        .clone()
        .list()
        .eval(element().is_null().any(true))
        .list()
        .first();
    let flat = c
        .expr
        .clone()
        .list()
        .eval(element().explode(ExplodeOptions {
            empty_as_null: false,
            keep_nulls: true,
        }));
    let expr = when(any_null.fill_null(lit(false)))
        .then(lit(NULL))
        .otherwise(keep_null(&c.expr, flat));
    named(expr, "flatten", &[&c.name])
}

fn sequence(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let start = value_column(call.value("start"), call.span_of("start"))?;
    let stop = value_column(call.value("stop"), call.span_of("stop"))?;
    let (step, mut args) = (
        if call.is_none("step") {
            when(start.expr.clone().lt_eq(stop.expr.clone()))
                .then(lit(1i64))
                .otherwise(lit(-1i64))
        } else {
            value_column(call.value("step"), call.span_of("step"))?.expr
        },
        vec![start.name.clone(), stop.name.clone()],
    );
    if !call.is_none("step") {
        args.push(value_column(call.value("step"), call.span_of("step"))?.name);
    }
    let step = step.cast(DataType::Int64);
    // Inclusive of `stop`: one step past it in the step's direction.
    let end = stop.expr.cast(DataType::Int64) + step.clone().sign();
    let expr = int_ranges(start.expr.cast(DataType::Int64), end, step, DataType::Int64);
    let labels: Vec<&str> = args.iter().map(String::as_str).collect();
    named(expr, "sequence", &labels)
}

fn shuffle(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let seed = call.opt_int("seed")?.map(|s| s as u64);
    let expr = c.expr.list().eval(element().shuffle(seed));
    named(expr, "shuffle", &[&c.name])
}

fn pair(call: &Call, a: &str, b: &str) -> Result<(Expr, Expr, [String; 2]), LangError> {
    let x = call.column(a)?;
    let y = call.column(b)?;
    Ok((x.expr, y.expr, [x.name, y.name]))
}

fn array_union(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (a, b, [x, y]) = pair(&call, "col1", "col2")?;
    named(a.list().union(b), "array_union", &[&x, &y])
}

fn array_intersect(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (a, b, [x, y]) = pair(&call, "col1", "col2")?;
    named(a.list().set_intersection(b), "array_intersect", &[&x, &y])
}

fn array_except(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (a, b, [x, y]) = pair(&call, "col1", "col2")?;
    named(a.list().set_difference(b), "array_except", &[&x, &y])
}

fn arrays_overlap(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (a, b, [x, y]) = pair(&call, "a1", "a2")?;
    let common = a
        .clone()
        .list()
        .set_intersection(b.clone())
        .list()
        .drop_nulls()
        .list()
        .len()
        .gt(lit(0));
    let has_null = |e: &Expr| {
        e.clone()
            .list()
            .eval(element().is_null().any(true))
            .list()
            .first()
            .fill_null(lit(false))
    };
    let nonempty = |e: &Expr| e.clone().list().len().gt(lit(0));
    let expr = when(a.clone().is_null().or(b.clone().is_null()))
        .then(lit(NULL))
        .when(common)
        .then(lit(true))
        .when(
            nonempty(&a)
                .and(nonempty(&b))
                .and(has_null(&a).or(has_null(&b))),
        )
        .then(lit(NULL))
        .otherwise(lit(false));
    named(expr, "arrays_overlap", &[&x, &y])
}
