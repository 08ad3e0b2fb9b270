//! Column references, literals, conditionals and ordering.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::column::when_column;
use crate::api::convert::{literal, plain_col, to_column, value_column};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::types::spark_type;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(F, "col(col: str) -> Column", "A column by name.", col_fn).aliases(&["column"]),
    Entry::function(F, "lit(col: any) -> Column", "A constant column.", lit_fn),
    Entry::function(
        F,
        "when(condition: Column, value: any) -> Column",
        "A conditional: when(c, v).when(c2, v2).otherwise(o).",
        when_fn,
    ),
    Entry::function(
        F,
        "typeof(col: ColumnOrName) -> Column",
        "The Spark type name of the column's values (`bigint`, `array<string>`, …).",
        typeof_fn,
    ),
    Entry::function(
        F,
        "coalesce(*cols: ColumnOrName) -> Column",
        "The first non-null value of the columns.",
        coalesce_fn,
    ),
    Entry::function(
        F,
        "asc(col: ColumnOrName) -> Column",
        "Ascending order of a column, for orderBy.",
        asc,
    ),
    Entry::function(
        F,
        "desc(col: ColumnOrName) -> Column",
        "Descending order of a column, for orderBy.",
        desc,
    ),
    Entry::function(
        F,
        "asc_nulls_first(col: ColumnOrName) -> Column",
        "Ascending order, nulls first.",
        asc,
    ),
    Entry::function(
        F,
        "asc_nulls_last(col: ColumnOrName) -> Column",
        "Ascending order, nulls last.",
        asc,
    ),
    Entry::function(
        F,
        "desc_nulls_first(col: ColumnOrName) -> Column",
        "Descending order, nulls first.",
        desc,
    ),
    Entry::function(
        F,
        "desc_nulls_last(col: ColumnOrName) -> Column",
        "Descending order, nulls last.",
        desc,
    ),
    Entry::function(
        F,
        "monotonically_increasing_id() -> Column",
        "0, 1, 2, … in row order.",
        monotonically_increasing_id,
    ),
];

fn col_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(plain_col(&call.str("col")?))))
}

fn lit_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    literal(call.value("col"), call.span_of("col")).map(|c| Value::Column(Box::new(c)))
}

fn when_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let cond = call.column("condition")?;
    let value = value_column(call.value("value"), call.span_of("value"))?;
    let mut out = when_column(vec![(cond.expr, value.expr)], None);
    out.name = format!("CASE WHEN {} THEN {} END", cond.name, value.name);
    Ok(Value::Column(Box::new(out)))
}

fn coalesce_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let cols = call
        .rest()
        .iter()
        .map(|(v, s)| to_column(v, *s))
        .collect::<Result<Vec<Column>, _>>()?;
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    let label = format!("coalesce({})", names.join(", "));
    let exprs: Vec<Expr> = cols.iter().map(|c| c.expr.clone()).collect();
    Ok(Value::Column(Box::new(Column::new(
        coalesce(&exprs),
        label,
    ))))
}

fn ordered(call: &Call, descending: bool) -> Result<Value, LangError> {
    Ok(crate::api::column::ordered(
        call.column("col")?,
        descending,
        call.name,
    ))
}

fn asc(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    ordered(&call, false)
}

fn desc(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    ordered(&call, true)
}

fn monotonically_increasing_id(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(
        int_range(lit(0i64), len().cast(DataType::Int64), 1, DataType::Int64),
        "monotonically_increasing_id()",
    ))))
}

fn typeof_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    // The type is known only once the plan resolves it, so the name is made at run time.
    let expr = c.expr.map(
        |values| {
            let name = spark_type(values.dtype());
            Ok(polars::prelude::Column::new(
                values.name().clone(),
                vec![name; values.len()],
            ))
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::String)),
    );
    Ok(Value::Column(Box::new(Column::new(
        expr,
        format!("typeof({})", c.name),
    ))))
}
