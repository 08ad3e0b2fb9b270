//! `spark.createDataFrame`: a DataFrame from Python rows.

use polars::prelude::*;

use crate::api::convert::as_str;
use crate::core::error::{LangError, Span, polars_error};
use crate::core::rows::series_from_values;
use crate::core::types::parse_type;
use crate::core::value::Value;

/// `spark.createDataFrame(data, schema)`: rows of tuples, lists, Rows or scalars; a
/// schema of names or a DDL string (`"id int, descricao string"`).
pub fn create_dataframe(
    data: &Value,
    span: Span,
    schema: (&Value, Span),
) -> Result<LazyFrame, LangError> {
    if let Value::Pandas(df) = data {
        return Ok((**df).clone().lazy());
    }
    let rows = rows_of(data, span)?;
    let width = rows.first().map_or(0, Vec::len);
    if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != width) {
        return Err(LangError::new(
            "ValueError",
            format!(
                "row {i} has {} fields but the first row has {width}",
                r.len()
            ),
        )
        .at(span));
    }
    let (names, types) = schema_of(schema, width)?;
    if !rows.is_empty() && names.len() != width {
        return Err(LangError::new(
            "ValueError",
            format!(
                "the schema names {} columns but the rows have {width}",
                names.len()
            ),
        )
        .at(span));
    }
    let mut columns = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let values: Vec<&Value> = rows.iter().map(|r| &r[i]).collect();
        let mut series = series_from_values(name, &values, span)?;
        if let Some(t) = &types[i] {
            series = series.cast(t).map_err(|e| polars_error(e).at(span))?;
        }
        columns.push(series.into_column());
    }
    let df = DataFrame::new_infer_height(columns).map_err(|e| polars_error(e).at(span))?;
    Ok(df.lazy())
}

/// Rows as lists of values: tuples, lists, Rows, or one scalar per row.
fn rows_of(data: &Value, span: Span) -> Result<Vec<Vec<Value>>, LangError> {
    let Value::List(items) = data else {
        return Err(LangError::type_error(format!(
            "createDataFrame() takes a list of tuples, got {}",
            data.type_name()
        ))
        .at(span));
    };
    items
        .iter()
        .map(|r| match r {
            Value::Tuple(v) | Value::List(v) => Ok(v.to_vec()),
            Value::Row(fields) => Ok(fields.iter().map(|(_, v)| v.clone()).collect()),
            scalar @ (Value::Str(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::Bool(_)
            | Value::None) => Ok(vec![scalar.clone()]),
            other => Err(LangError::type_error(format!(
                "rows must be tuples, got {}",
                other.type_name()
            ))
            .at(span)),
        })
        .collect()
}

/// Column names and, from a DDL string, types: `["id", "s"]` or `"id int, s string"`.
fn schema_of(
    schema: (&Value, Span),
    width: usize,
) -> Result<(Vec<String>, Vec<Option<DataType>>), LangError> {
    match schema {
        (Value::None, _) => {
            let names: Vec<String> = (1..=width).map(|i| format!("_{i}")).collect();
            Ok((names, vec![None; width]))
        }
        (Value::List(items), s) => {
            let names: Vec<String> = items
                .iter()
                .map(|v| as_str(v, s))
                .collect::<Result<_, _>>()?;
            let n = names.len();
            Ok((names, vec![None; n]))
        }
        (Value::Str(ddl), s) => {
            let mut names = Vec::new();
            let mut types = Vec::new();
            for part in ddl.split(',') {
                let mut it = part.split_whitespace();
                let (Some(n), Some(t)) = (it.next(), it.next()) else {
                    return Err(LangError::new(
                        "ParseException",
                        format!("cannot parse schema field {part:?}"),
                    )
                    .at(s)
                    .with_hint("write \"id int, descricao string\""));
                };
                names.push(n.trim_end_matches(':').to_string());
                types.push(Some(parse_type(t).ok_or_else(|| {
                    LangError::new("ParseException", format!("unknown data type '{t}'")).at(s)
                })?));
            }
            Ok((names, types))
        }
        (other, s) => Err(LangError::type_error(format!(
            "schema must be a list of names or a DDL string, got {}",
            other.type_name()
        ))
        .at(s)),
    }
}
