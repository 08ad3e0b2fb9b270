//! Adding, renaming and reshaping several columns at once: `withColumns`,
//! `withColumnsRenamed`, `toDF`, `to(schema)`.

use crate::api::call::Call;
use crate::api::common::derive_value;
use crate::api::convert::{as_str, value_column};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Receiver, Value};

const DF: Receiver = Receiver::DataFrame;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "withColumns(colsMap: dict) -> DataFrame",
        "Adds or replaces columns from a dict of name to Column, in order.",
        with_columns,
    ),
    Entry::method(
        DF,
        "withColumnsRenamed(colsMap: dict) -> DataFrame",
        "Renames columns from a dict of old to new name; unknown names are ignored.",
        with_columns_renamed,
    ),
    Entry::method(
        DF,
        "toDF(*cols: str) -> DataFrame",
        "The same rows under new column names, by position.",
        to_df,
    ),
    Entry::method(
        DF,
        "to(schema: DataType) -> DataFrame",
        "The columns the schema names, in its order, cast to its types.",
        to_schema,
    ),
];

fn to_schema(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let span = call.span_of("schema");
    let fields = match call.value("schema") {
        Value::Type(polars::prelude::DataType::Struct(fields)) => fields.clone(),
        other => {
            return Err(LangError::type_error(format!(
                "to() takes a StructType, not {}",
                other.type_name()
            ))
            .at(span));
        }
    };
    let names: Vec<String> = fields.iter().map(|f| f.name().to_string()).collect();
    crate::api::common::check_names(&f, &names, span)?;
    let exprs: Vec<polars::prelude::Expr> = fields
        .iter()
        .map(|fd| {
            polars::prelude::col(fd.name().clone())
                .strict_cast(fd.dtype().clone())
                .alias(fd.name().clone())
        })
        .collect();
    derive_value(ctx, f, call.span, |lf| lf.select(exprs.clone()))
}

/// A dict argument's entries.
fn dict_items(call: &Call, param: &str) -> Result<Vec<(Value, Value)>, LangError> {
    match call.value(param) {
        Value::Dict(items) => Ok(items.iter().cloned().collect()),
        other => Err(LangError::new(
            "PySparkTypeError",
            format!(
                "[NOT_DICT] Argument `{param}` should be a dict, got {}.",
                other.type_name()
            ),
        )
        .at(call.span_of(param))),
    }
}

fn with_columns(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let span = call.span_of("colsMap");
    let mut exprs = Vec::new();
    for (k, v) in dict_items(&call, "colsMap")? {
        let name = as_str(&k, span)?;
        exprs.push(value_column(&v, span)?.expr.alias(name.as_str()));
    }
    derive_value(ctx, f, call.span, |lf| lf.with_columns(exprs.clone()))
}

fn with_columns_renamed(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let span = call.span_of("colsMap");
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for (k, v) in dict_items(&call, "colsMap")? {
        let from = as_str(&k, span)?;
        if f.schema.contains(&from) {
            old.push(from);
            new.push(as_str(&v, span)?);
        }
    }
    derive_value(ctx, f, call.span, |lf| {
        lf.rename(old.clone(), new.clone(), true)
    })
}

fn to_df(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let names: Vec<String> = call
        .rest_flat()
        .iter()
        .map(|(v, s)| as_str(v, *s))
        .collect::<Result<_, _>>()?;
    if names.len() != f.schema.len() {
        return Err(LangError::new(
            "IllegalArgumentException",
            format!(
                "requirement failed: The number of columns doesn't match.\nOld column names ({}): {}\nNew column names ({}): {}",
                f.schema.len(),
                f.columns().join(", "),
                names.len(),
                names.join(", ")
            ),
        )
        .at(call.span));
    }
    let old = f.columns();
    derive_value(ctx, f, call.span, |lf| {
        lf.rename(old.clone(), names.clone(), true)
    })
}
