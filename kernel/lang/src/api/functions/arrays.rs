//! Array functions: building arrays, asking about them, and taking them apart.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::column_access::{Key, item_expr};
use crate::api::convert::{to_column, value_column};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "array(*cols: ColumnOrName|list) -> Column",
        "An array column from the given columns, row by row.",
        array,
    ),
    Entry::function(
        F,
        "array_contains(col: ColumnOrName, value: any) -> Column",
        "Whether the array holds `value` (null for a null array).",
        array_contains,
    ),
    Entry::function(
        F,
        "size(col: ColumnOrName) -> Column",
        "Number of elements (null for a null array).",
        size,
    )
    .aliases(&["array_size", "cardinality"]),
    Entry::function(
        F,
        "sort_array(col: ColumnOrName, asc: bool = True) -> Column",
        "The array sorted; nulls first ascending, last descending.",
        sort_array,
    ),
    Entry::function(
        F,
        "array_sort(col: ColumnOrName, comparator: any = None) -> Column",
        "The array sorted ascending, nulls last; a comparator function is not supported.",
        array_sort,
    ),
    Entry::function(
        F,
        "array_min(col: ColumnOrName) -> Column",
        "Smallest element, nulls skipped.",
        array_min,
    ),
    Entry::function(
        F,
        "array_max(col: ColumnOrName) -> Column",
        "Largest element, nulls skipped.",
        array_max,
    ),
    Entry::function(
        F,
        "array_join(col: ColumnOrName, delimiter: str, null_replacement: str|None = None) -> Column",
        "Elements joined with `delimiter`; nulls skipped, or replaced by `null_replacement`.",
        array_join,
    ),
    Entry::function(
        F,
        "element_at(col: ColumnOrName, extraction: int|str|Column) -> Column",
        "The element at a 1-based index (negative from the end; null past the end), or a map's value for a key.",
        element_at,
    )
    .aliases(&["try_element_at"]),
    Entry::function(
        F,
        "get(col: ColumnOrName, index: int|Column) -> Column",
        "The element at a 0-based index; null past the end.",
        get,
    ),
    Entry::function(
        F,
        "slice(x: ColumnOrName, start: int|Column, length: int|Column) -> Column",
        "`length` elements from 1-based `start` (negative from the end).",
        slice,
    ),
];

/// `name(arg, …)` as Spark names the result.
pub(super) fn named(expr: Expr, function: &str, args: &[&str]) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(
        expr,
        format!("{function}({})", args.join(", ")),
    ))))
}

fn list_col(call: &Call, param: &str) -> Result<Column, LangError> {
    call.column(param)
}

fn array(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let cols: Vec<Column> = call
        .rest_flat()
        .iter()
        .map(|(v, s)| to_column(v, *s))
        .collect::<Result<_, _>>()?;
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    let exprs: Vec<Expr> = cols.iter().map(|c| c.expr.clone()).collect();
    let expr = if exprs.is_empty() {
        lit(Series::new_empty(
            "".into(),
            &DataType::List(Box::new(DataType::String)),
        ))
    } else {
        concat_list(exprs).map_err(|e| LangError::type_error(e.to_string()).at(call.span))?
    };
    named(expr, "array", &names)
}

fn array_contains(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = list_col(&call, "col")?;
    let v = value_column(call.value("value"), call.span_of("value"))?;
    let expr = c.expr.list().contains(v.expr, false);
    named(expr, "array_contains", &[&c.name, &v.name])
}

fn size(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = list_col(&call, "col")?;
    let expr = c.expr.list().len().cast(DataType::Int32);
    named(expr, call.name, &[&c.name])
}

fn sort_array(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = list_col(&call, "col")?;
    let asc = call.bool("asc")?;
    let options = SortOptions::default()
        .with_order_descending(!asc)
        .with_nulls_last(!asc);
    let expr = c.expr.list().sort(options);
    named(
        expr,
        "sort_array",
        &[&c.name, if asc { "true" } else { "false" }],
    )
}

/// Spark's default comparator, as its column names show it.
const DEFAULT_COMPARATOR: &str = "lambdafunction((IF(((namedlambdavariable() IS NULL) AND (namedlambdavariable() IS NULL)), 0, (IF((namedlambdavariable() IS NULL), 1, (IF((namedlambdavariable() IS NULL), -1, (IF((namedlambdavariable() < namedlambdavariable()), -1, (IF((namedlambdavariable() > namedlambdavariable()), 1, 0)))))))))), namedlambdavariable(), namedlambdavariable())";

fn array_sort(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = list_col(&call, "col")?;
    if !matches!(call.value("comparator"), Value::None) {
        return Err(
            LangError::unsupported("array_sort() with a comparator is not supported")
                .at(call.span_of("comparator"))
                .with_hint("array_sort(col) sorts ascending with nulls last; sort_array(col, asc=False) sorts descending"),
        );
    }
    let options = SortOptions::default().with_nulls_last(true);
    named(
        c.expr.list().sort(options),
        "array_sort",
        &[&c.name, DEFAULT_COMPARATOR],
    )
}

fn array_min(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = list_col(&call, "col")?;
    named(c.expr.list().min(), "array_min", &[&c.name])
}

fn array_max(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = list_col(&call, "col")?;
    named(c.expr.list().max(), "array_max", &[&c.name])
}

fn array_join(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = list_col(&call, "col")?;
    let delimiter = call.str("delimiter")?;
    let replacement = call.opt_str("null_replacement")?;
    let items = match &replacement {
        Some(r) => c
            .expr
            .list()
            .eval(element().cast(DataType::String).fill_null(lit(r.clone()))),
        None => c.expr.list().eval(element().cast(DataType::String)),
    };
    let expr = items.list().join(lit(delimiter.clone()), true);
    let mut args = vec![c.name.as_str(), delimiter.as_str()];
    if let Some(r) = &replacement {
        args.push(r);
    }
    named(expr, "array_join", &args)
}

/// An index argument: an int, or a column of them.
pub(super) fn index(call: &Call, param: &str) -> Result<(Expr, String), LangError> {
    match call.value(param) {
        Value::Int(i) => Ok((lit(*i), i.to_string())),
        v => {
            let c = to_column(v, call.span_of(param))?;
            Ok((c.expr, c.name))
        }
    }
}

fn element_at(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = list_col(&call, "col")?;
    if let Value::Str(key) = call.value("extraction") {
        let expr = item_expr(c.expr, Key::Name(key.clone()));
        return named(expr, call.name, &[&c.name, key]);
    }
    if let Value::Int(0) = call.value("extraction") {
        return Err(LangError::new(
            "SparkRuntimeException",
            "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).",
        )
        .at(call.span_of("extraction")));
    }
    let (i, label) = index(&call, "extraction")?;
    // 1-based from the front, -1 the last element.
    let zero_based = when(i.clone().gt(lit(0)))
        .then(i.clone() - lit(1))
        .otherwise(i);
    let expr = c.expr.list().get(zero_based, true);
    named(expr, call.name, &[&c.name, &label])
}

fn get(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = list_col(&call, "col")?;
    let (i, label) = index(&call, "index")?;
    // Negative indexes are null in Spark's `get`, not counted from the end.
    let expr = when(i.clone().lt(lit(0)))
        .then(lit(NULL))
        .otherwise(c.expr.list().get(i, true));
    named(expr, "get", &[&c.name, &label])
}

fn slice(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("x")?;
    let (start, s_label) = index(&call, "start")?;
    let (length, l_label) = index(&call, "length")?;
    let offset = when(start.clone().gt(lit(0)))
        .then(start.clone() - lit(1))
        .otherwise(start);
    let expr = c.expr.list().slice(offset, length);
    named(expr, "slice", &[&c.name, &s_label, &l_label])
}
