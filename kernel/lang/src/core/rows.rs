//! Between Polars data and Python values: collected rows, Spark's text for a cell, and
//! columns built from Python lists.

use polars::prelude::*;

use super::error::{LangError, Span};
use super::output::CancelCheck;
use super::types::{MAP_KEY, MAP_VALUE, VARIANT, is_map_entry, map_type};
use super::value::Value;

/// A cell as Spark 4 prints it: `NULL`, `true`, Java-style doubles, ISO dates.
pub fn cell_text(value: &AnyValue<'_>) -> String {
    match value {
        AnyValue::Null => "NULL".into(),
        AnyValue::Boolean(b) => b.to_string(),
        AnyValue::String(s) => (*s).to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Float64(f) => java_double(*f),
        AnyValue::Float32(f) => java_double(f64::from(*f)),
        AnyValue::Datetime(..) | AnyValue::DatetimeOwned(..) => match any_to_value(value.clone()) {
            Value::Timestamp(t) => timestamp_text(&t),
            _ => "NULL".into(),
        },
        AnyValue::List(series) if is_map_entry(series.dtype()) => {
            let items: Vec<String> = series
                .iter()
                .map(|entry| {
                    let kv: Vec<String> = entry._iter_struct_av().map(|v| cell_text(&v)).collect();
                    kv.join(" -> ")
                })
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        AnyValue::List(series) => {
            let items: Vec<String> = series.iter().map(|v| cell_text(&v)).collect();
            format!("[{}]", items.join(", "))
        }
        // A variant shows its JSON.
        AnyValue::Struct(_, _, fields) if fields.len() == 1 && fields[0].name() == VARIANT => value
            ._iter_struct_av()
            .next()
            .map_or("NULL".into(), |v| cell_text(&v)),
        AnyValue::StructOwned(payload)
            if payload.1.len() == 1 && payload.1[0].name() == VARIANT =>
        {
            payload.0.first().map_or("NULL".into(), cell_text)
        }
        AnyValue::Struct(..) => {
            let items: Vec<String> = value._iter_struct_av().map(|v| cell_text(&v)).collect();
            format!("{{{}}}", items.join(", "))
        }
        AnyValue::StructOwned(payload) => {
            let items: Vec<String> = payload.0.iter().map(cell_text).collect();
            format!("{{{}}}", items.join(", "))
        }
        other => {
            let s = other.to_string();
            s.trim_matches('"').to_string()
        }
    }
}

/// `2000-01-01 12:00:00`, with the fraction of a second only when there is one.
fn timestamp_text(t: &chrono::NaiveDateTime) -> String {
    let text = t.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn java_double(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else if f == f.trunc() && f.abs() < 1e7 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

/// The first `limit` rows of `df` as `Row` values; `None` when `cancel` says stop (checked
/// every few thousand rows, so an interrupt lands within a second on any size).
pub fn rows(df: &DataFrame, limit: usize, cancel: CancelCheck<'_>) -> Option<Vec<Value>> {
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let n = df.height().min(limit);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        if i % 4096 == 0 && cancel() {
            return None;
        }
        out.push(Value::Row(
            names
                .iter()
                .zip(df.columns())
                .map(|(name, c)| {
                    let v = c.get(i).unwrap_or(AnyValue::Null);
                    (name.clone(), any_to_value(v))
                })
                .collect(),
        ));
    }
    Some(out)
}

/// About how much memory [`rows`] takes for `n` rows of `df`: a value and a field name per
/// cell, a vector per row, and the data itself.
pub fn rows_memory(df: &DataFrame, n: usize) -> u128 {
    let per_cell = std::mem::size_of::<(String, Value)>() + 16;
    let per_row = std::mem::size_of::<Value>() + df.width() * per_cell;
    let data = df.estimated_size() as u128 * n as u128 / df.height().max(1) as u128;
    n as u128 * per_row as u128 + data
}

/// One Polars value as a Python value.
pub fn any_to_value(v: AnyValue<'_>) -> Value {
    match v {
        AnyValue::Null => Value::None,
        AnyValue::Boolean(b) => Value::Bool(b),
        AnyValue::String(s) => Value::Str(s.to_string()),
        AnyValue::StringOwned(s) => Value::Str(s.to_string()),
        AnyValue::Float32(f) => Value::Float(f64::from(f)),
        AnyValue::Float64(f) => Value::Float(f),
        AnyValue::Date(days) => chrono::NaiveDate::from_num_days_from_ce_opt(days + 719_163)
            .map_or(Value::None, Value::Date),
        AnyValue::Datetime(v, unit, _) | AnyValue::DatetimeOwned(v, unit, _) => {
            let micros = match unit {
                TimeUnit::Nanoseconds => v / 1000,
                TimeUnit::Microseconds => v,
                TimeUnit::Milliseconds => v.saturating_mul(1000),
            };
            chrono::DateTime::from_timestamp_micros(micros)
                .map_or(Value::None, |t| Value::Timestamp(t.naive_utc()))
        }
        AnyValue::List(series) if is_map_entry(series.dtype()) => Value::Dict(
            series
                .iter()
                .map(|entry| {
                    let mut kv = entry
                        ._iter_struct_av()
                        .map(|v| any_to_value(v.into_static()));
                    let k = kv.next().unwrap_or(Value::None);
                    (k, kv.next().unwrap_or(Value::None))
                })
                .collect::<Vec<_>>()
                .into(),
        ),
        AnyValue::List(series) => Value::List(
            series
                .iter()
                .map(|v| any_to_value(v.into_static()))
                .collect::<Vec<_>>()
                .into(),
        ),
        // A variant's SQL NULL is null; otherwise it stays a one-field row that API
        // functions recognise by its field's name.
        AnyValue::Struct(_, _, fields)
            if fields.len() == 1
                && fields[0].name() == VARIANT
                && v._iter_struct_av().next().is_none_or(|x| x.is_null()) =>
        {
            Value::None
        }
        AnyValue::Struct(_, _, fields) => {
            let values: Vec<AnyValue<'_>> = v._iter_struct_av().collect();
            Value::Row(
                fields
                    .iter()
                    .zip(values)
                    .map(|(f, v)| (f.name().to_string(), any_to_value(v)))
                    .collect(),
            )
        }
        AnyValue::StructOwned(payload)
            if payload.1.len() == 1
                && payload.1[0].name() == VARIANT
                && payload.0.first().is_none_or(|x| x.is_null()) =>
        {
            Value::None
        }
        AnyValue::StructOwned(payload) => Value::Row(
            payload
                .1
                .iter()
                .zip(payload.0.iter())
                .map(|(f, v)| (f.name().to_string(), any_to_value(v.clone())))
                .collect(),
        ),
        other => match other.extract::<i64>() {
            Some(i) if other.is_integer() => Value::Int(i),
            _ => Value::Str(cell_text(&other)),
        },
    }
}

/// A column from Python values: ints, floats, booleans or strings, with `None` as null.
pub fn series_from_values(name: &str, values: &[&Value], span: Span) -> Result<Series, LangError> {
    let non_null: Vec<&&Value> = values
        .iter()
        .filter(|v| !matches!(v, Value::None))
        .collect();
    let name = PlSmallStr::from(name);
    let all = |f: fn(&Value) -> bool| non_null.iter().all(|v| f(v));
    let any = |f: fn(&Value) -> bool| non_null.iter().any(|v| f(v));
    if all(|v| matches!(v, Value::Int(_) | Value::Bool(_))) && any(|v| matches!(v, Value::Int(_))) {
        let vals: Vec<Option<i64>> = values
            .iter()
            .map(|v| match v {
                Value::Int(i) => Some(*i),
                _ => None,
            })
            .collect();
        return Ok(Series::new(name, vals));
    }
    if !non_null.is_empty() && all(|v| matches!(v, Value::Int(_) | Value::Float(_))) {
        let vals: Vec<Option<f64>> = values
            .iter()
            .map(|v| match v {
                Value::Int(i) => Some(*i as f64),
                Value::Float(f) => Some(*f),
                _ => None,
            })
            .collect();
        return Ok(Series::new(name, vals));
    }
    if !non_null.is_empty() && all(|v| matches!(v, Value::Bool(_))) {
        let vals: Vec<Option<bool>> = values
            .iter()
            .map(|v| match v {
                Value::Bool(b) => Some(*b),
                _ => None,
            })
            .collect();
        return Ok(Series::new(name, vals));
    }
    if !non_null.is_empty() && all(|v| matches!(v, Value::Date(_))) {
        let days: Vec<Option<i32>> = values
            .iter()
            .map(|v| match v {
                Value::Date(d) => Some(chrono::Datelike::num_days_from_ce(d) - 719_163),
                _ => None,
            })
            .collect();
        return Series::new(name, days)
            .cast(&DataType::Date)
            .map_err(|e| LangError::type_error(e.to_string()).at(span));
    }
    if !non_null.is_empty() && all(|v| matches!(v, Value::Timestamp(_))) {
        let micros: Vec<Option<i64>> = values
            .iter()
            .map(|v| match v {
                Value::Timestamp(t) => Some(t.and_utc().timestamp_micros()),
                _ => None,
            })
            .collect();
        return Series::new(name, micros)
            .cast(&DataType::Datetime(TimeUnit::Microseconds, None))
            .map_err(|e| LangError::type_error(e.to_string()).at(span));
    }
    if !non_null.is_empty() && all(|v| matches!(v, Value::List(_) | Value::Tuple(_))) {
        return list_series(name, values, span);
    }
    if !non_null.is_empty() && all(|v| matches!(v, Value::Row(_))) {
        return struct_series(name, values, span);
    }
    if !non_null.is_empty() && all(|v| matches!(v, Value::Dict(_))) {
        return map_series(name, values, span);
    }
    if all(|v| matches!(v, Value::Str(_))) {
        let vals: Vec<Option<&str>> = values
            .iter()
            .map(|v| match v {
                Value::Str(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        return Ok(Series::new(name, vals));
    }
    Err(LangError::type_error(format!(
        "column '{name}' mixes types that cannot share a column"
    ))
    .at(span))
}

/// An array column: the elements of every row as one column (so they share a type), then
/// cut back into rows.
fn list_series(name: PlSmallStr, values: &[&Value], span: Span) -> Result<Series, LangError> {
    let items = |v: &Value| match v {
        Value::List(x) | Value::Tuple(x) => Some(x.clone()),
        _ => None,
    };
    let flat: Vec<Value> = values
        .iter()
        .filter_map(|v| items(v))
        .flat_map(|x| x.to_vec())
        .collect();
    let flat_refs: Vec<&Value> = flat.iter().collect();
    let inner = series_from_values(name.as_str(), &flat_refs, span)?;
    let mut offset = 0;
    let mut rows: Vec<Option<Series>> = Vec::with_capacity(values.len());
    for v in values {
        rows.push(items(v).map(|x| {
            let s = inner.slice(offset as i64, x.len());
            offset += x.len();
            s
        }));
    }
    let mut ca: ListChunked = rows.into_iter().collect();
    ca.rename(name);
    Ok(ca.into_series())
}

/// A map column from dicts: each dict a list of key/value entry structs.
fn map_series(name: PlSmallStr, values: &[&Value], span: Span) -> Result<Series, LangError> {
    let entries: Vec<Value> = values
        .iter()
        .map(|v| match v {
            Value::Dict(items) => Value::List(
                items
                    .iter()
                    .map(|(k, v)| {
                        Value::Row(vec![
                            (MAP_KEY.into(), k.clone()),
                            (MAP_VALUE.into(), v.clone()),
                        ])
                    })
                    .collect::<Vec<_>>()
                    .into(),
            ),
            _ => Value::None,
        })
        .collect();
    let refs: Vec<&Value> = entries.iter().collect();
    if entries
        .iter()
        .all(|e| !matches!(e, Value::List(items) if !items.is_empty()))
    {
        // No entry anywhere: keys and values of unknown type.
        return empty_maps(name, &entries);
    }
    list_series(name, &refs, span)
}

/// Maps that are all empty or null: `map<void,void>` columns.
fn empty_maps(name: PlSmallStr, entries: &[Value]) -> Result<Series, LangError> {
    let dtype = map_type(DataType::Null, DataType::Null);
    let DataType::List(entry) = &dtype else {
        unreachable!("a map type is a list")
    };
    let none = Series::new_empty("".into(), entry);
    let rows: Vec<Option<Series>> = entries
        .iter()
        .map(|e| matches!(e, Value::List(_)).then(|| none.clone()))
        .collect();
    let mut ca: ListChunked = rows.into_iter().collect();
    ca.rename(name);
    Ok(ca.into_series())
}

/// A struct column from `Row` values: one field column per name of the first row.
fn struct_series(name: PlSmallStr, values: &[&Value], span: Span) -> Result<Series, LangError> {
    let Some(Value::Row(first)) = values.iter().find(|v| matches!(v, Value::Row(_))) else {
        unreachable!("called with at least one Row")
    };
    let mut fields = Vec::with_capacity(first.len());
    for (i, (fname, _)) in first.iter().enumerate() {
        let column: Vec<&Value> = values
            .iter()
            .map(|v| match v {
                Value::Row(f) => f.get(i).map_or(&Value::None, |(_, x)| x),
                _ => &Value::None,
            })
            .collect();
        fields.push(series_from_values(fname, &column, span)?);
    }
    let ca = StructChunked::from_series(name, values.len(), fields.iter())
        .map_err(|e| LangError::type_error(e.to_string()).at(span))?;
    Ok(ca.into_series())
}
