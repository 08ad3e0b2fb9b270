//! `spark.createDataFrame`: a DataFrame from Python rows.

use polars::prelude::*;

use crate::api::convert::as_str;
use crate::core::error::{LangError, Span, polars_error};
use crate::core::rows::series_from_values;
use crate::core::types::parse_ddl;
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
    let data = &dict_rows_as_rows(data, span)?;
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
    let (mut names, types) = schema_of(schema, width)?;
    // Rows name their own columns when no schema does.
    if let (Value::None, Some(Value::List(items))) = (schema.0, Some(data))
        && let Some(Value::Row(fields)) = items.first()
        && fields.iter().all(|(n, _)| !n.is_empty())
    {
        names = fields.iter().map(|(n, _)| n.clone()).collect();
    }
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
        // A tuple in a struct column is a row of its fields, by position.
        let as_rows: Vec<Value>;
        let mut values: Vec<&Value> = rows.iter().map(|r| &r[i]).collect();
        if let Some(t) = &types[i] {
            as_rows = values.iter().map(|v| shaped(v, t)).collect();
            values = as_rows.iter().collect();
        }
        let mut series = series_from_values(name, &values, span)?;
        if let Some(t) = &types[i] {
            series = series.cast(t).map_err(|e| polars_error(e).at(span))?;
        }
        columns.push(series.into_column());
    }
    let df = DataFrame::new_infer_height(columns).map_err(|e| polars_error(e).at(span))?;
    Ok(df.lazy())
}

/// A Python value shaped for a column of type `dtype`: tuples and dicts become rows of a
/// struct's fields (by position and by name), at any depth.
fn shaped(v: &Value, dtype: &DataType) -> Value {
    match (v, dtype) {
        (_, t) if crate::core::types::map_parts(t).is_some() => match v {
            Value::Dict(pairs) => {
                let (_, value_type) = crate::core::types::map_parts(t).expect("a map");
                Value::Dict(std::sync::Arc::new(
                    pairs
                        .iter()
                        .map(|(k, x)| (k.clone(), shaped(x, value_type)))
                        .collect(),
                ))
            }
            other => other.clone(),
        },
        (Value::Tuple(items) | Value::List(items), DataType::Struct(fields)) => Value::Row(
            fields
                .iter()
                .zip(items.iter())
                .map(|(f, x)| (f.name().to_string(), shaped(x, f.dtype())))
                .collect(),
        ),
        (Value::Dict(_), DataType::Struct(fields)) => Value::Row(
            fields
                .iter()
                .map(|f| {
                    let x = v
                        .dict_get(&Value::Str(f.name().to_string()))
                        .cloned()
                        .unwrap_or(Value::None);
                    (f.name().to_string(), shaped(&x, f.dtype()))
                })
                .collect(),
        ),
        (Value::Row(fields), DataType::Struct(types)) => Value::Row(
            fields
                .iter()
                .map(|(n, x)| {
                    let t = types.iter().find(|f| f.name() == n.as_str());
                    (n.clone(), t.map_or(x.clone(), |t| shaped(x, t.dtype())))
                })
                .collect(),
        ),
        (Value::List(items), DataType::List(inner)) => Value::List(std::sync::Arc::new(
            items.iter().map(|x| shaped(x, inner)).collect(),
        )),
        // Text in a text column: numbers become their text, as Spark's cast would.
        (Value::Int(_) | Value::Float(_) | Value::Bool(_), DataType::String) => {
            Value::Str(crate::api::python::text_of(v))
        }
        (other, _) => other.clone(),
    }
}

/// Dict rows as `Row`s with their keys sorted, the schema PySpark infers from dicts.
fn dict_rows_as_rows(data: &Value, span: Span) -> Result<Value, LangError> {
    let Value::List(items) = data else {
        return Ok(data.clone());
    };
    if !items.iter().any(|r| matches!(r, Value::Dict(_))) {
        return Ok(data.clone());
    }
    let mut keys: Vec<String> = Vec::new();
    for r in items.iter() {
        let Value::Dict(pairs) = r else {
            return Err(LangError::type_error("rows mix dicts and other values").at(span));
        };
        for (k, _) in pairs.iter() {
            let k = as_str(k, span)?;
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys.sort();
    let rows = items
        .iter()
        .map(|r| {
            Value::Row(
                keys.iter()
                    .map(|k| {
                        let v = r.dict_get(&Value::Str(k.clone())).cloned();
                        (k.clone(), v.unwrap_or(Value::None))
                    })
                    .collect(),
            )
        })
        .collect::<Vec<_>>();
    Ok(Value::List(rows.into()))
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
        (Value::List(items) | Value::Tuple(items), s) => {
            let names: Vec<String> = items
                .iter()
                .map(|v| as_str(v, s))
                .collect::<Result<_, _>>()?;
            let n = names.len();
            Ok((names, vec![None; n]))
        }
        (Value::Str(ddl), s) => {
            let fields = parse_ddl(ddl).map_err(|m| {
                LangError::new("ParseException", m)
                    .at(s)
                    .with_hint("write \"id int, descricao string\"")
            })?;
            Ok(fields.into_iter().map(|(n, t)| (n, Some(t))).unzip())
        }
        (Value::Type(DataType::Struct(fields)), _) => Ok(fields
            .iter()
            .map(|f| (f.name().to_string(), Some(f.dtype().clone())))
            .unzip()),
        (Value::Type(t), _) => Ok((vec!["value".to_string()], vec![Some(t.clone())])),
        (other, s) => Err(LangError::type_error(format!(
            "schema must be a list of names or a DDL string, got {}",
            other.type_name()
        ))
        .at(s)),
    }
}
