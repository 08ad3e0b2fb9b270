//! The VARIANT type: semi-structured values parsed once from JSON (`parse_json`) and then
//! read (`variant_get`), edited (`variant_insert`, `variant_set`, `variant_delete`,
//! `variant_array_append`, `variant_strip_nulls`) and described (`schema_of_variant`).
//! A variant column holds canonical JSON (see `core::types::VARIANT`); each function
//! works on it with serde_json, value by value. The `try_` forms give null where the plain
//! ones raise.

use polars::prelude::*;
use serde_json::{Map, Value as Json};

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::types::{VARIANT, is_variant, parse_type, spark_type, variant_type};
use crate::core::value::{Column, Module, Value};

use super::by_value::{per_row_checked, per_value};
use super::json_paths::{Step, parse_path, walk};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "parse_json(col: ColumnOrName) -> Column",
        "JSON text as a VARIANT; an error for malformed JSON.",
        parse_json,
    ),
    Entry::function(
        F,
        "try_parse_json(col: ColumnOrName) -> Column",
        "JSON text as a VARIANT; null for malformed JSON.",
        try_parse_json,
    ),
    Entry::function(
        F,
        "to_variant_object(col: ColumnOrName) -> Column",
        "A struct, map or array as a VARIANT (structs become objects).",
        to_variant_object,
    ),
    Entry::function(
        F,
        "variant_get(v: ColumnOrName, path: str|Column, targetType: str) -> Column",
        "The value at a JSONPath in a variant, cast to `targetType`; null when absent, an error when it does not cast.",
        variant_get,
    ),
    Entry::function(
        F,
        "try_variant_get(v: ColumnOrName, path: str|Column, targetType: str) -> Column",
        "variant_get, null where the value does not cast.",
        try_variant_get,
    ),
    Entry::function(
        F,
        "is_variant_null(v: ColumnOrName) -> Column",
        "Whether the variant holds JSON null (not SQL NULL).",
        is_variant_null,
    ),
    Entry::function(
        F,
        "is_valid_variant(v: ColumnOrName) -> Column",
        "Whether the value is a well-formed variant.",
        is_valid_variant,
    ),
    Entry::function(
        F,
        "schema_of_variant(v: ColumnOrName) -> Column",
        "The variant's type, as DDL (`OBJECT<a: BIGINT>`).",
        schema_of_variant,
    ),
    Entry::function(
        F,
        "schema_of_variant_agg(v: ColumnOrName) -> Column",
        "The type that fits every variant of the column, as DDL (an aggregate).",
        schema_of_variant_agg,
    ),
    Entry::function(
        F,
        "variant_insert(v: ColumnOrName, path: str|Column, value: ColumnOrName) -> Column",
        "The variant with `value` inserted at a path that must not exist yet (missing objects made; array elements shifted).",
        variant_insert,
    ),
    Entry::function(
        F,
        "try_variant_insert(v: ColumnOrName, path: str|Column, value: ColumnOrName) -> Column",
        "variant_insert, null where it would raise.",
        try_variant_insert,
    ),
    Entry::function(
        F,
        "variant_set(v: ColumnOrName, path: str|Column, value: ColumnOrName, createMissing: bool = True) -> Column",
        "The variant with the value at a path replaced (or created, with `createMissing`).",
        variant_set,
    ),
    Entry::function(
        F,
        "try_variant_set(v: ColumnOrName, path: str|Column, value: ColumnOrName, createMissing: bool = True) -> Column",
        "variant_set, null where it would raise.",
        try_variant_set,
    ),
    Entry::function(
        F,
        "variant_delete(v: ColumnOrName, *paths: str|Column) -> Column",
        "The variant without the values at the paths (missing ones ignored; null paths skipped).",
        variant_delete,
    ),
    Entry::function(
        F,
        "try_variant_delete(v: ColumnOrName, *paths: str|Column) -> Column",
        "variant_delete, null where it would raise.",
        try_variant_delete,
    ),
    Entry::function(
        F,
        "variant_array_append(v: ColumnOrName, path: str|Column, value: ColumnOrName) -> Column",
        "The variant with `value` appended to the array at a path (unchanged when the path is missing).",
        variant_array_append,
    ),
    Entry::function(
        F,
        "try_variant_array_append(v: ColumnOrName, path: str|Column, value: ColumnOrName) -> Column",
        "variant_array_append, null where it would raise.",
        try_variant_array_append,
    ),
    Entry::function(
        F,
        "variant_strip_nulls(v: ColumnOrName, recursive: bool = True) -> Column",
        "The variant without object fields whose value is null (and array nulls, when recursive).",
        variant_strip_nulls,
    ),
];

fn column(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

/// JSON with every object's keys in order, as a variant stores them.
fn canonical(j: Json) -> Json {
    match j {
        Json::Object(m) => {
            let mut fields: Vec<(String, Json)> = m.into_iter().collect();
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(fields.into_iter().map(|(k, v)| (k, canonical(v))).collect())
        }
        Json::Array(items) => Json::Array(items.into_iter().map(canonical).collect()),
        other => other,
    }
}

/// The variant's text of JSON.
fn text(j: Json) -> Value {
    Value::Str(canonical(j).to_string())
}

/// JSON text as a variant column.
fn wrap(json_text: Expr) -> Expr {
    as_struct(vec![json_text.alias(VARIANT)])
}

/// A variant column's JSON text (other columns pass through, for text that is JSON).
fn text_of(e: Expr) -> Expr {
    e.map(
        |c| {
            if is_variant(c.dtype()) {
                let s = c.as_materialized_series();
                Ok(s.struct_()?.field_by_name(VARIANT)?.into_column())
            } else {
                Ok(c.cast(&DataType::String)?)
            }
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
    )
}

/// A value as the JSON it puts into a variant: a variant as its JSON, anything else as a
/// JSON scalar or structure.
fn json_of(v: &Value) -> Json {
    match v {
        Value::Row(fields) if fields.len() == 1 && fields[0].0 == VARIANT => match &fields[0].1 {
            Value::Str(text) => serde_json::from_str(text).unwrap_or(Json::Null),
            _ => Json::Null,
        },
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.clone()),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Timestamp(t) => Json::String(t.format("%Y-%m-%d %H:%M:%S%.f").to_string()),
        Value::List(items) | Value::Tuple(items) => {
            Json::Array(items.iter().map(json_of).collect())
        }
        Value::Dict(pairs) => Json::Object(
            pairs
                .iter()
                .map(|(k, v)| (crate::api::python::text_of(k), json_of(v)))
                .collect(),
        ),
        Value::Row(fields) => Json::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), json_of(v)))
                .collect(),
        ),
        other => Json::String(other.repr()),
    }
}

/// A path argument: a literal string, or a column of them.
fn path_arg(call: &Call, param: &str) -> Result<(Expr, String), LangError> {
    match call.value(param) {
        Value::Str(p) => Ok((lit(p.clone()), p.clone())),
        v => {
            let c = to_column(v, call.span_of(param))?;
            Ok((c.expr.cast(DataType::String), c.name))
        }
    }
}

fn parse_call(call: &Call, lenient: bool) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let label = format!("{}({})", call.name, c.name);
    let e = per_row_checked(
        vec![c.expr.cast(DataType::String)],
        DataType::String,
        lenient,
        |vs| {
            match &vs[0] {
            Value::Str(raw) => serde_json::from_str::<Json>(raw)
                .map(text)
                .map_err(|_| {
                    format!("[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: {raw}. Use try_parse_json to tolerate malformed input and return NULL instead.")
                }),
            _ => Ok(Value::None),
        }
        },
    );
    column(wrap(e), label)
}

fn parse_json(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    parse_call(&call, false)
}

fn try_parse_json(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    parse_call(&call, true)
}

fn to_variant_object(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let e = per_value(c.expr, DataType::String, |v| text(json_of(v)));
    column(wrap(e), format!("to_variant_object({})", c.name))
}

/// The JSON value at `path` in `j`, if the path reads and the value is there.
fn at_path<'a>(j: &'a Json, path: &str) -> Result<Option<&'a Json>, String> {
    let steps = parse_path(path).ok_or_else(|| {
        format!(
            "[INVALID_VARIANT_GET_PATH] The path `{path}` is not a valid variant extraction path."
        )
    })?;
    let mut found = Vec::new();
    walk(j, &steps, &mut found);
    Ok(found.first().copied())
}

/// JSON cast to a Spark type, as variant_get casts: `Err` when it does not fit.
fn cast_json(j: &Json, to: &DataType) -> Result<Value, ()> {
    if is_variant(to) {
        return Ok(Value::Str(j.to_string()));
    }
    Ok(match (j, to) {
        (Json::Null, _) => Value::None,
        (Json::Bool(b), DataType::Boolean) => Value::Bool(*b),
        (Json::Bool(b), DataType::String) => Value::Str(b.to_string()),
        (Json::Number(n), t) if t.is_integer() => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => match n.as_f64() {
                Some(f) if f.fract() == 0.0 => Value::Int(f as i64),
                _ => return Err(()),
            },
        },
        (Json::Number(n), t) if t.is_float() => Value::Float(n.as_f64().ok_or(())?),
        (Json::Number(n), DataType::String) => Value::Str(n.to_string()),
        (Json::Number(n), DataType::Boolean) => Value::Bool(n.as_f64().ok_or(())? != 0.0),
        (Json::String(s), DataType::String) => Value::Str(s.clone()),
        (Json::String(s), t) if t.is_integer() => Value::Int(s.trim().parse().map_err(|_| ())?),
        (Json::String(s), t) if t.is_float() => Value::Float(s.trim().parse().map_err(|_| ())?),
        (Json::String(s), DataType::Boolean) => match s.trim().to_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(()),
        },
        (Json::String(s), DataType::Date) => {
            Value::Date(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ())?)
        }
        (Json::Array(_) | Json::Object(_), DataType::String) => Value::Str(j.to_string()),
        _ => return Err(()),
    })
}

fn get_call(call: &Call, lenient: bool) -> Result<Value, LangError> {
    let v = call.column("v")?;
    let (path, path_name) = path_arg(call, "path")?;
    let type_name = call.str("targetType")?;
    let to = parse_type(&type_name)
        .or_else(|| (type_name.eq_ignore_ascii_case("variant")).then(variant_type))
        .ok_or_else(|| {
            LangError::new("ParseException", format!("unknown data type '{type_name}'"))
                .at(call.span_of("targetType"))
        })?;
    let label = format!("{}({}, {path_name})", call.name, v.name);
    let out = if is_variant(&to) {
        DataType::String
    } else {
        to.clone()
    };
    let target = to.clone();
    let e = per_row_checked(vec![text_of(v.expr), path], out, lenient, move |vs| {
        let (Value::Str(text), Value::Str(path)) = (&vs[0], &vs[1]) else {
            return Ok(Value::None);
        };
        let j: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
        match at_path(&j, path)? {
                None => Ok(Value::None),
                Some(found) => cast_json(found, &target).map_err(|_| {
                    format!(
                        "[INVALID_VARIANT_CAST] The variant value `{found}` cannot be cast into `{}`. Please use `try_variant_get` instead.",
                        spark_type(&target).to_uppercase()
                    )
                }),
            }
    });
    let e = if is_variant(&to) { wrap(e) } else { e };
    column(e, label)
}

fn variant_get(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    get_call(&call, false)
}

fn try_variant_get(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    get_call(&call, true)
}

fn is_variant_null(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let v = call.column("v")?;
    let e = text_of(v.expr).eq(lit("null")).fill_null(lit(false));
    column(e, format!("is_variant_null({})", v.name))
}

fn is_valid_variant(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let v = call.column("v")?;
    let e = per_value(text_of(v.expr), DataType::Boolean, |v| match v {
        Value::Str(text) => Value::Bool(serde_json::from_str::<Json>(text).is_ok()),
        _ => Value::None,
    });
    column(e, format!("is_valid_variant({})", v.name))
}

/// Spark's name for a variant value's type: `OBJECT<a: BIGINT>`, `ARRAY<STRING>`, …
fn schema_of(j: &Json) -> String {
    match j {
        Json::Null => "VOID".into(),
        Json::Bool(_) => "BOOLEAN".into(),
        Json::Number(n) if n.is_i64() || n.is_u64() => "BIGINT".into(),
        Json::Number(n) => decimal_type(&n.to_string()).unwrap_or_else(|| "DOUBLE".into()),
        Json::String(_) => "STRING".into(),
        Json::Array(items) => {
            let inner = items
                .iter()
                .map(schema_of)
                .reduce(|a, b| merge_schemas(&a, &b))
                .unwrap_or_else(|| "VOID".into());
            format!("ARRAY<{inner}>")
        }
        Json::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}: {}", schema_of(v)))
                .collect();
            format!("OBJECT<{}>", parts.join(", "))
        }
    }
}

/// `DECIMAL(p,s)` for a plain decimal number, as Spark's variant stores one.
fn decimal_type(text: &str) -> Option<String> {
    let digits = text.trim_start_matches('-');
    if digits.contains(['e', 'E']) {
        return None;
    }
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let whole = whole.trim_start_matches('0');
    let precision = (whole.len() + fraction.len()).max(1);
    (precision <= 38).then(|| format!("DECIMAL({precision},{})", fraction.len()))
}

fn merge_schemas(a: &str, b: &str) -> String {
    match (a, b) {
        _ if a == b => a.to_string(),
        ("VOID", other) | (other, "VOID") => other.to_string(),
        _ => "VARIANT".into(),
    }
}

fn schema_of_variant(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let v = call.column("v")?;
    let e = per_value(text_of(v.expr), DataType::String, |v| match v {
        Value::Str(text) => {
            serde_json::from_str::<Json>(text).map_or(Value::None, |j| Value::Str(schema_of(&j)))
        }
        _ => Value::None,
    });
    column(e, format!("schema_of_variant({})", v.name))
}

fn schema_of_variant_agg(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let v = call.column("v")?;
    let all = text_of(v.expr).drop_nulls().implode(false);
    let e = per_value(all, DataType::String, |v| match v {
        Value::List(items) => items
            .iter()
            .filter_map(|t| match t {
                Value::Str(text) => serde_json::from_str::<Json>(text)
                    .ok()
                    .map(|j| schema_of(&j)),
                _ => None,
            })
            .reduce(|a, b| merge_schemas(&a, &b))
            .map_or(Value::Str("VOID".into()), Value::Str),
        _ => Value::None,
    });
    let mut out = Column::new(e, format!("schema_of_variant_agg({})", v.name));
    out.aggregate = true;
    Ok(Value::Column(Box::new(out)))
}

/// How an edit changes the value at a path.
#[derive(Clone, Copy)]
enum Edit {
    /// Insert; the path must not exist (array elements shift).
    Insert,
    /// Replace, creating the path when `true`.
    Set(bool),
    /// Append to the array there.
    Append,
}

/// Applies `edit` with `new` at `steps` under `j`.
fn edit_at(j: &mut Json, steps: &[Step], edit: Edit, new: &Json) -> Result<(), String> {
    let Some((step, rest)) = steps.split_first() else {
        return match edit {
            Edit::Append => match j {
                Json::Array(items) => {
                    items.push(new.clone());
                    Ok(())
                }
                _ => Err("[INVALID_VARIANT_PATH] the path does not lead to an array".into()),
            },
            Edit::Set(_) => {
                *j = new.clone();
                Ok(())
            }
            Edit::Insert => {
                Err("[VARIANT_PATH_EXISTS] the path already exists; use variant_set".into())
            }
        };
    };
    let creates = matches!(edit, Edit::Insert | Edit::Set(true));
    match (step, j) {
        (Step::Key(k), Json::Object(m)) => match m.get_mut(k) {
            Some(child) => edit_at(child, rest, edit, new),
            None if creates => {
                m.insert(k.clone(), built(rest, new)?);
                Ok(())
            }
            None => Ok(()),
        },
        (Step::Index(i), Json::Array(items)) => {
            if rest.is_empty() && matches!(edit, Edit::Insert) {
                if *i <= items.len() {
                    items.insert(*i, new.clone());
                } else {
                    items.resize(*i, Json::Null);
                    items.push(new.clone());
                }
                return Ok(());
            }
            match items.get_mut(*i) {
                Some(child) => edit_at(child, rest, edit, new),
                None if creates => {
                    items.resize(*i, Json::Null);
                    items.push(built(rest, new)?);
                    Ok(())
                }
                None => Ok(()),
            }
        }
        (Step::Every, _) => Err("[INVALID_VARIANT_PATH] a wildcard cannot be edited".into()),
        _ if matches!(edit, Edit::Append) => Ok(()),
        _ => Err("[INVALID_VARIANT_PATH] the path does not match the variant's structure".into()),
    }
}

/// The value `new` at the end of `steps`, made of new objects and arrays.
fn built(steps: &[Step], new: &Json) -> Result<Json, String> {
    let Some((step, rest)) = steps.split_first() else {
        return Ok(new.clone());
    };
    let inner = built(rest, new)?;
    Ok(match step {
        Step::Key(k) => {
            let mut m = Map::new();
            m.insert(k.clone(), inner);
            Json::Object(m)
        }
        Step::Index(i) => {
            let mut items = vec![Json::Null; *i];
            items.push(inner);
            Json::Array(items)
        }
        Step::Every => return Err("[INVALID_VARIANT_PATH] a wildcard cannot be created".into()),
    })
}

fn edit_call(call: &Call, edit: Edit, lenient: bool) -> Result<Value, LangError> {
    let v = call.column("v")?;
    let (path, path_name) = path_arg(call, "path")?;
    let value = call.column("value")?;
    let mut label = format!("{}({}, {path_name}, {}", call.name, v.name, value.name);
    if let Edit::Set(create) = edit
        && call.given("createMissing")
    {
        label.push_str(&format!(", {create}"));
    }
    label.push(')');
    let e = per_row_checked(
        vec![text_of(v.expr), path, value.expr],
        DataType::String,
        lenient,
        move |vs| {
            let (Value::Str(json), Value::Str(path)) = (&vs[0], &vs[1]) else {
                return Ok(Value::None);
            };
            // SQL NULL as the new value makes the result null.
            if matches!(vs[2], Value::None) {
                return Ok(Value::None);
            }
            let mut j: Json = serde_json::from_str(json).map_err(|e| e.to_string())?;
            let steps = parse_path(path)
                .ok_or_else(|| format!("[INVALID_VARIANT_PATH] `{path}` is not a valid path"))?;
            edit_at(&mut j, &steps, edit, &json_of(&vs[2]))?;
            Ok(text(j))
        },
    );
    column(wrap(e), label)
}

fn variant_insert(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    edit_call(&call, Edit::Insert, false)
}

fn try_variant_insert(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    edit_call(&call, Edit::Insert, true)
}

fn variant_set(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let create = call.bool("createMissing")?;
    edit_call(&call, Edit::Set(create), false)
}

fn try_variant_set(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let create = call.bool("createMissing")?;
    edit_call(&call, Edit::Set(create), true)
}

fn variant_array_append(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    edit_call(&call, Edit::Append, false)
}

fn try_variant_array_append(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    edit_call(&call, Edit::Append, true)
}

/// Removes the value at `steps` under `j`, if it is there.
fn delete_at(j: &mut Json, steps: &[Step]) -> Result<(), String> {
    let Some((step, rest)) = steps.split_first() else {
        return Ok(());
    };
    match (step, j) {
        (Step::Key(k), Json::Object(m)) if rest.is_empty() => {
            m.remove(k);
            Ok(())
        }
        (Step::Index(i), Json::Array(items)) if rest.is_empty() => {
            if *i < items.len() {
                items.remove(*i);
            }
            Ok(())
        }
        (Step::Key(k), Json::Object(m)) => m.get_mut(k).map_or(Ok(()), |c| delete_at(c, rest)),
        (Step::Index(i), Json::Array(items)) => {
            items.get_mut(*i).map_or(Ok(()), |c| delete_at(c, rest))
        }
        (Step::Every, _) => Err("[INVALID_VARIANT_PATH] a wildcard cannot be deleted".into()),
        _ => Ok(()),
    }
}

fn delete_call(call: &Call, lenient: bool) -> Result<Value, LangError> {
    let v = call.column("v")?;
    let mut exprs = vec![text_of(v.expr)];
    let mut labels = vec![v.name.clone()];
    for (p, s) in call.rest_flat() {
        match p {
            Value::Str(text) => {
                exprs.push(lit(text.clone()));
                labels.push(text);
            }
            other => {
                let c = to_column(&other, s)?;
                labels.push(c.name);
                exprs.push(c.expr.cast(DataType::String));
            }
        }
    }
    let label = format!("{}({})", call.name, labels.join(", "));
    let e = per_row_checked(exprs, DataType::String, lenient, |vs| {
        let Value::Str(json) = &vs[0] else {
            return Ok(Value::None);
        };
        let mut j: Json = serde_json::from_str(json).map_err(|e| e.to_string())?;
        // Null paths are skipped.
        for p in &vs[1..] {
            if let Value::Str(path) = p {
                let steps = parse_path(path).ok_or_else(|| {
                    format!("[INVALID_VARIANT_PATH] `{path}` is not a valid path")
                })?;
                delete_at(&mut j, &steps)?;
            }
        }
        Ok(text(j))
    });
    column(wrap(e), label)
}

fn variant_delete(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    delete_call(&call, false)
}

fn try_variant_delete(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    delete_call(&call, true)
}

fn strip_nulls(j: &mut Json, recursive: bool) {
    match j {
        Json::Object(m) => {
            m.retain(|_, v| !v.is_null());
            for v in m.values_mut() {
                strip_nulls(v, recursive);
            }
        }
        Json::Array(items) => {
            if recursive {
                items.retain(|v| !v.is_null());
            }
            for v in items.iter_mut() {
                strip_nulls(v, recursive);
            }
        }
        _ => {}
    }
}

fn variant_strip_nulls(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let v = call.column("v")?;
    let recursive = call.bool("recursive")?;
    let mut label = format!("variant_strip_nulls({}", v.name);
    if call.given("recursive") {
        label.push_str(&format!(", {recursive}"));
    }
    label.push(')');
    let e = per_value(text_of(v.expr), DataType::String, move |v| match v {
        Value::Str(json) => match serde_json::from_str::<Json>(json) {
            Ok(mut j) => {
                strip_nulls(&mut j, recursive);
                text(j)
            }
            Err(_) => Value::None,
        },
        _ => Value::None,
    });
    column(wrap(e), label)
}
