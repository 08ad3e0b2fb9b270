//! Turning columns into rows and back: `unpivot` (`melt`) and `transpose`.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{check_names, frame_value, run_action};
use crate::api::convert::{as_names, to_column};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, polars_error};
use crate::core::value::{Receiver, Value};

const DF: Receiver = Receiver::DataFrame;
const ROW: &str = "__unpivot_row";
const POSITION: &str = "__unpivot_position";

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "unpivot(ids: str|list|Column, values: str|list|Column = None, variableColumnName: str = 'variable', valueColumnName: str = 'value') -> DataFrame",
        "A row per id and value column: the column's name in `variableColumnName`, its value in `valueColumnName` (all value columns when `values` is None).",
        unpivot,
    )
    .aliases(&["melt"]),
    Entry::method(
        DF,
        "transpose(indexColumn: ColumnOrName = None) -> DataFrame",
        "Rows as columns, named by the index column's values (the first column's by default); runs a job.",
        transpose,
    ),
];

fn names(call: &Call, param: &str) -> Result<Vec<String>, LangError> {
    match call.value(param) {
        Value::Column(c) => Ok(vec![c.name.clone()]),
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(|v| match v {
                Value::Column(c) => Ok(c.name.clone()),
                other => as_names(other, call.span_of(param)).map(|mut n| n.remove(0)),
            })
            .collect(),
        other => as_names(other, call.span_of(param)),
    }
}

fn unpivot(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let ids = names(&call, "ids")?;
    let values = if call.is_none("values") {
        f.columns()
            .into_iter()
            .filter(|c| !ids.contains(c))
            .collect()
    } else {
        names(&call, "values")?
    };
    check_names(&f, &ids, call.span_of("ids"))?;
    check_names(&f, &values, call.span_of("values"))?;
    if values.is_empty() {
        return Err(LangError::analysis(
            "[UNPIVOT_REQUIRES_VALUE_COLUMNS] At least one value column needs to be specified for UNPIVOT, all columns specified as ids.",
        )
        .at(call.span));
    }
    let (variable, value) = (
        call.str("variableColumnName")?,
        call.str("valueColumnName")?,
    );
    // One part per value column; rows come back in the input's order, value columns in turn.
    let numbered = f.current_lf().with_row_index(ROW, None);
    let parts: Vec<LazyFrame> = values
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let mut exprs = vec![col(ROW), lit(k as u32).alias(POSITION)];
            exprs.extend(ids.iter().map(|i| col(i.as_str())));
            exprs.push(lit(v.as_str()).alias(variable.as_str()));
            exprs.push(col(v.as_str()).alias(value.as_str()));
            numbered.clone().select(exprs)
        })
        .collect();
    let args = UnionArgs {
        to_supertypes: true,
        ..Default::default()
    };
    let lf = concat(parts, args)
        .map_err(polars_error)?
        .sort([ROW, POSITION], SortMultipleOptions::default())
        .drop(by_name([ROW, POSITION], true, false));
    frame_value(ctx, lf, call.span)
}

fn transpose(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let index = if call.is_none("indexColumn") {
        f.columns().first().cloned().ok_or_else(|| {
            LangError::analysis(
                "[TRANSPOSE_NO_COLUMNS] a frame without columns cannot be transposed",
            )
            .at(call.span)
        })?
    } else {
        to_column(call.value("indexColumn"), call.span_of("indexColumn"))?.name
    };
    check_names(&f, std::slice::from_ref(&index), call.span)?;
    let df = run_action(ctx, "transpose", f.current_lf())?;
    let names: Vec<String> = df
        .column(&index)
        .map_err(polars_error)?
        .cast(&DataType::String)
        .map_err(polars_error)?
        .as_materialized_series()
        .iter()
        .map(|v| crate::core::rows::cell_text(&v))
        .collect();
    let mut rest = df.drop(&index).map_err(polars_error)?;
    let out = rest
        .transpose(Some("key"), Some(either::Either::Right(names)))
        .map_err(polars_error)?;
    frame_value(ctx, out.lazy(), call.span)
}
