//! Reading into JSON text without a schema: `get_json_object` (Spark's JSONPath subset:
//! `$.a`, `$['a']`, `$[0]`, `$[*]`), `json_tuple`, `json_array_length`,
//! `json_object_keys`, and `schema_of_json` (the type Spark would infer, as DDL).

use polars::prelude::*;
use serde_json::Value as Json;

use crate::api::call::Call;
use crate::api::convert::{as_str, literal_text};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Generator, Module, Value};

use super::by_value::per_value;

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "get_json_object(col: ColumnOrName, path: str) -> Column",
        "The value at a JSONPath (`$.a.b`, `$[0]`, `$[*].f`) in JSON text: text as is, objects and arrays as JSON; null when absent or malformed.",
        get_json_object,
    ),
    Entry::function(
        F,
        "json_tuple(col: ColumnOrName, *fields: str) -> Column",
        "Columns `c0`, `c1`, … holding the fields of a JSON object.",
        json_tuple,
    ),
    Entry::function(
        F,
        "json_array_length(col: ColumnOrName) -> Column",
        "The number of elements of a JSON array; null for anything else.",
        json_array_length,
    ),
    Entry::function(
        F,
        "json_object_keys(col: ColumnOrName) -> Column",
        "The keys of a JSON object, as an array; null for anything else.",
        json_object_keys,
    ),
    Entry::function(
        F,
        "schema_of_json(json: ColumnOrName, options: dict = None) -> Column",
        "The type Spark infers for a JSON text, as DDL (`STRUCT<a: BIGINT>`).",
        schema_of_json,
    ),
];

fn column(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

/// A step of a path.
#[derive(Clone, Debug)]
pub(super) enum Step {
    Key(String),
    Index(usize),
    Every,
}

pub(super) fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut rest = path.strip_prefix('$')?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return None;
            }
            steps.push(if &after[..end] == "*" {
                Step::Every
            } else {
                Step::Key(after[..end].to_string())
            });
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inside = after[..end].trim();
            steps.push(if inside == "*" {
                Step::Every
            } else if let Some(q) = inside.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                Step::Key(q.to_string())
            } else {
                Step::Index(inside.parse().ok()?)
            });
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(steps)
}

/// The values at `steps` below `j`.
pub(super) fn walk<'a>(j: &'a Json, steps: &[Step], out: &mut Vec<&'a Json>) {
    let Some((first, rest)) = steps.split_first() else {
        out.push(j);
        return;
    };
    match (first, j) {
        (Step::Key(k), Json::Object(m)) => {
            if let Some(v) = m.get(k) {
                walk(v, rest, out);
            }
        }
        // `$[*].f` on an array of objects reaches into each.
        (Step::Key(_), Json::Array(items)) => {
            for item in items {
                walk(item, steps, out);
            }
        }
        (Step::Index(i), Json::Array(items)) => {
            if let Some(v) = items.get(*i) {
                walk(v, rest, out);
            }
        }
        (Step::Every, Json::Array(items)) => {
            for item in items {
                walk(item, rest, out);
            }
        }
        (Step::Every, Json::Object(m)) => {
            for v in m.values() {
                walk(v, rest, out);
            }
        }
        _ => {}
    }
}

/// A value as get_json_object gives it: text unquoted, anything else as JSON.
fn as_text(j: &Json) -> Option<String> {
    match j {
        Json::Null => None,
        Json::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn get_json_object(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let path = call.str("path")?;
    let label = format!("get_json_object({}, {path})", c.name);
    let Some(steps) = parse_path(&path) else {
        // Spark answers null for a path it cannot read.
        return column(lit(NULL).cast(DataType::String), label);
    };
    let wildcard = steps.iter().any(|s| matches!(s, Step::Every));
    let e = per_value(c.expr.cast(DataType::String), DataType::String, move |v| {
        let Value::Str(text) = v else {
            return Value::None;
        };
        let Ok(j) = serde_json::from_str::<Json>(text) else {
            return Value::None;
        };
        let mut found = Vec::new();
        walk(&j, &steps, &mut found);
        let text = match (wildcard, found.as_slice()) {
            (_, []) => None,
            // Through a wildcard a single match keeps its JSON form.
            (true, [one]) => Some(one.to_string()),
            (true, many) => {
                Some(Json::Array(many.iter().map(|j| (*j).clone()).collect()).to_string())
            }
            (false, [one, ..]) => as_text(one),
        };
        text.map_or(Value::None, Value::Str)
    });
    column(e, label)
}

fn json_tuple(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let fields: Vec<String> = call
        .rest_flat()
        .iter()
        .map(|(v, s)| as_str(v, *s))
        .collect::<Result<_, _>>()?;
    if fields.is_empty() {
        return Err(LangError::type_error("json_tuple() needs at least one field").at(call.span));
    }
    let parts: Vec<Expr> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let key = f.clone();
            per_value(
                c.expr.clone().cast(DataType::String),
                DataType::String,
                move |v| {
                    let Value::Str(text) = v else {
                        return Value::None;
                    };
                    match serde_json::from_str::<Json>(text) {
                        Ok(Json::Object(m)) => m
                            .get(&key)
                            .and_then(as_text)
                            .map_or(Value::None, Value::Str),
                        _ => Value::None,
                    }
                },
            )
            .alias(format!("c{i}"))
        })
        .collect();
    // One struct per row, spread into columns as `inline` spreads one.
    let mut col = Column::new(
        concat_list([as_struct(parts)]).map_err(|e| LangError::analysis(e.to_string()))?,
        "json_tuple",
    );
    col.generator = Some(Generator {
        outer: false,
        position: false,
        inline: true,
    });
    Ok(Value::Column(Box::new(col)))
}

fn json_array_length(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let e = per_value(
        c.expr.cast(DataType::String),
        DataType::Int32,
        |v| match v {
            Value::Str(text) => match serde_json::from_str::<Json>(text) {
                Ok(Json::Array(items)) => Value::Int(items.len() as i64),
                _ => Value::None,
            },
            _ => Value::None,
        },
    );
    column(e, format!("json_array_length({})", c.name))
}

fn json_object_keys(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let out = DataType::List(Box::new(DataType::String));
    let e = c.expr.cast(DataType::String).map(
        |col| {
            let s = col.as_materialized_series();
            let lists: ListChunked = s
                .str()?
                .iter()
                .map(|v| match v.map(serde_json::from_str::<Json>) {
                    Some(Ok(Json::Object(m))) => {
                        let keys: Vec<&str> = m.keys().map(String::as_str).collect();
                        Some(Series::new("".into(), keys))
                    }
                    _ => None,
                })
                .collect();
            Ok(lists
                .with_name(s.name().clone())
                .into_series()
                .into_column())
        },
        move |_, f| Ok(Field::new(f.name().clone(), out.clone())),
    );
    column(e, format!("json_object_keys({})", c.name))
}

fn schema_of_json(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let text = match call.value("json") {
        Value::Str(s) => s.clone(),
        Value::Column(c) => literal_text(&c.expr).ok_or_else(|| {
            LangError::analysis("schema_of_json() takes a literal JSON string, not a column")
                .at(call.span_of("json"))
        })?,
        other => {
            return Err(LangError::type_error(format!(
                "schema_of_json() takes a string, not {}",
                other.type_name()
            ))
            .at(call.span_of("json")));
        }
    };
    let lenient = matches!(call.value("options"), Value::Dict(_));
    let parsed = serde_json::from_str::<Json>(&text)
        .or_else(|e| {
            if lenient {
                serde_json::from_str::<Json>(&quote_keys(&text))
            } else {
                Err(e)
            }
        })
        .map_err(|e| {
            LangError::analysis(format!("schema_of_json() cannot read {text}: {e}"))
                .at(call.span_of("json"))
        })?;
    let ddl = inferred(&parsed);
    column(lit(ddl), format!("schema_of_json({text})"))
}

/// `{a: 1}` as `{"a": 1}` (the `allowUnquotedFieldNames` option).
fn quote_keys(text: &str) -> String {
    let re = regex::Regex::new(r"([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:").expect("valid");
    re.replace_all(text, "$1\"$2\":").into_owned()
}

/// Spark's inferred type of a JSON value, as DDL (fields sorted by name).
fn inferred(j: &Json) -> String {
    match j {
        Json::Null => "STRING".into(),
        Json::Bool(_) => "BOOLEAN".into(),
        Json::Number(n) if n.is_i64() || n.is_u64() => "BIGINT".into(),
        Json::Number(_) => "DOUBLE".into(),
        Json::String(_) => "STRING".into(),
        Json::Array(items) => {
            let inner = items
                .iter()
                .find(|i| !i.is_null())
                .map_or("STRING".into(), inferred);
            format!("ARRAY<{inner}>")
        }
        Json::Object(m) => {
            let mut fields: Vec<(&String, &Json)> = m.iter().collect();
            fields.sort_by(|a, b| a.0.cmp(b.0));
            let parts: Vec<String> = fields
                .into_iter()
                .map(|(k, v)| format!("{k}: {}", inferred(v)))
                .collect();
            format!("STRUCT<{}>", parts.join(", "))
        }
    }
}
