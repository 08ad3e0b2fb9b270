//! JSON and structs: `to_json` writes structs, maps and arrays as compact JSON text (as
//! Spark's Jackson writer does), `from_json` reads text into a type given as a DDL string
//! or StructType (a malformed record is null), `struct` and `named_struct` build structs.

use polars::prelude::*;
use serde_json::Value as Json;

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::rows::{any_to_value, series_from_values};
use crate::core::types::{map_parts, parse_ddl, parse_type};
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "to_json(col: ColumnOrName, options: dict = None) -> Column",
        "A struct, map or array as JSON text.",
        to_json,
    ),
    Entry::function(
        F,
        "from_json(col: ColumnOrName, schema: any, options: dict = None) -> Column",
        "JSON text read as `schema` (a DDL string or StructType); null for a malformed record.",
        from_json,
    ),
    Entry::function(
        F,
        "struct(*cols: ColumnOrName|list) -> Column",
        "A struct whose fields are the columns, named after them.",
        struct_fn,
    ),
    Entry::function(
        F,
        "named_struct(*cols: ColumnOrName) -> Column",
        "A struct from alternating field names and values.",
        named_struct,
    ),
];

fn named(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

/// A Python value as JSON, dates and timestamps as Spark writes them.
fn to_json_value(v: &Value) -> Json {
    match v {
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.clone()),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Timestamp(t) => Json::String(t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()),
        Value::List(items) | Value::Tuple(items) => {
            Json::Array(items.iter().map(to_json_value).collect())
        }
        Value::Row(fields) => Json::Object(
            fields
                .iter()
                // Spark leaves null fields out of the object.
                .filter(|(_, v)| !matches!(v, Value::None))
                .map(|(k, v)| (k.clone(), to_json_value(v)))
                .collect(),
        ),
        Value::Dict(items) => Json::Object(
            items
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::Str(s) => s.clone(),
                        other => other.repr(),
                    };
                    (key, to_json_value(v))
                })
                .collect(),
        ),
        other => Json::String(other.repr()),
    }
}

fn to_json(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let expr = c.expr.map(
        |col| {
            let s = col.as_materialized_series();
            // A variant is JSON already.
            if crate::core::types::is_variant(s.dtype()) {
                let text = s.struct_()?.field_by_name(crate::core::types::VARIANT)?;
                return Ok(text.with_name(s.name().clone()).into_column());
            }
            let out: StringChunked = s
                .iter()
                .map(|v| match any_to_value(v.into_static()) {
                    Value::None => None,
                    v => Some(to_json_value(&v).to_string()),
                })
                .collect();
            Ok(out.with_name(s.name().clone()).into_series().into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
    );
    named(expr, format!("to_json({})", c.name))
}

/// JSON as a Python value shaped by `dtype`; `None` when it does not fit.
fn from_json_value(j: &Json, dtype: &DataType) -> Value {
    if let Some((_, value_type)) = map_parts(dtype) {
        return match j {
            Json::Object(m) => Value::Dict(
                m.iter()
                    .map(|(k, v)| (Value::Str(k.clone()), from_json_value(v, value_type)))
                    .collect::<Vec<_>>()
                    .into(),
            ),
            _ => Value::None,
        };
    }
    match (dtype, j) {
        (_, Json::Null) => Value::None,
        (DataType::Struct(fields), Json::Object(m)) => Value::Row(
            fields
                .iter()
                .map(|f| {
                    let v = m
                        .get(f.name().as_str())
                        .map_or(Value::None, |x| from_json_value(x, f.dtype()));
                    (f.name().to_string(), v)
                })
                .collect(),
        ),
        (DataType::List(inner), Json::Array(items)) => Value::List(
            items
                .iter()
                .map(|x| from_json_value(x, inner))
                .collect::<Vec<_>>()
                .into(),
        ),
        (DataType::String, Json::String(s)) => Value::Str(s.clone()),
        (DataType::String, other) => Value::Str(other.to_string()),
        (DataType::Boolean, Json::Bool(b)) => Value::Bool(*b),
        (t, Json::Number(n)) if t.is_integer() => n.as_i64().map_or(Value::None, Value::Int),
        (t, Json::Number(n)) if t.is_float() => n.as_f64().map_or(Value::None, Value::Float),
        (DataType::Date, Json::String(s)) => s.parse().map_or(Value::None, Value::Date),
        _ => Value::None,
    }
}

/// The schema argument as one Polars type: a DDL field list is a struct.
fn schema_type(v: &Value) -> Option<DataType> {
    match v {
        Value::Schema(schema) => Some(DataType::Struct(
            schema
                .iter()
                .map(|(n, t)| Field::new(n.clone(), t.clone()))
                .collect(),
        )),
        Value::Type(t) => Some(t.clone()),
        Value::Str(text) => {
            let lower = text.trim().to_lowercase();
            if lower.starts_with("map<") || lower.starts_with("array<") {
                return parse_type(text);
            }
            parse_ddl(text).ok().map(|fields| {
                DataType::Struct(
                    fields
                        .into_iter()
                        .map(|(n, t)| Field::new(n.into(), t))
                        .collect(),
                )
            })
        }
        _ => None,
    }
}

fn from_json(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let dtype = schema_type(call.value("schema")).ok_or_else(|| {
        LangError::new(
            "ParseException",
            "from_json() needs a schema: a DDL string (\"a INT, b STRING\") or a StructType",
        )
        .at(call.span_of("schema"))
    })?;
    let target = dtype.clone();
    let expr = c.expr.map(
        move |col| {
            let s = col.as_materialized_series();
            let values: Vec<Value> = s
                .str()?
                .iter()
                .map(|text| match text.map(serde_json::from_str::<Json>) {
                    Some(Ok(j)) => from_json_value(&j, &target),
                    _ => Value::None,
                })
                .collect();
            let refs: Vec<&Value> = values.iter().collect();
            let built = series_from_values(s.name().as_str(), &refs, Default::default())
                .map_err(|e| polars_err!(ComputeError: "{}", e.message))?;
            Ok(built.cast(&target)?.into_column())
        },
        move |_, f| Ok(Field::new(f.name().clone(), dtype.clone())),
    );
    named(expr, format!("from_json({})", c.name))
}

fn struct_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let cols: Vec<Column> = call
        .rest_flat()
        .iter()
        .map(|(v, s)| to_column(v, *s))
        .collect::<Result<_, _>>()?;
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    let fields: Vec<Expr> = cols
        .iter()
        .map(|c| c.expr.clone().alias(c.name.as_str()))
        .collect();
    named(as_struct(fields), format!("struct({})", names.join(", ")))
}

fn named_struct(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let cols: Vec<Column> = call
        .rest_flat()
        .iter()
        .map(|(v, s)| to_column(v, *s))
        .collect::<Result<_, _>>()?;
    if !cols.len().is_multiple_of(2) {
        return Err(LangError::analysis(format!(
            "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `named_struct` requires an even number of parameters but the actual number is {}.",
            cols.len()
        ))
        .at(call.span));
    }
    let mut fields = Vec::new();
    let mut labels = Vec::new();
    for pair in cols.chunks(2) {
        let Expr::Literal(name) = &pair[0].expr else {
            return Err(LangError::analysis(
                "[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] named_struct's field names must be constant strings",
            )
            .at(call.span));
        };
        let name = name.extract_str().unwrap_or_default().to_string();
        fields.push(pair[1].expr.clone().alias(name.as_str()));
        labels.push(format!("{}, {}", pair[0].name, pair[1].name));
    }
    named(
        as_struct(fields),
        format!("named_struct({})", labels.join(", ")),
    )
}
