//! Reaching into a column's values: `col["key"]`, `col[0]`, `col.field`, `getItem`,
//! `getField`, `withField`, `dropFields`. Which access a key means — a struct's field, a
//! map's value, an array's element — depends on the column's type, known only when the
//! plan runs, so the expression decides then, as Spark's analyser does.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::value_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::types::{MAP_KEY, MAP_VALUE, map_parts};
use crate::core::value::{Column, Receiver, Value};

const COL: Receiver = Receiver::Column;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        COL,
        "getItem(key: any) -> Column",
        "An array's element (0-based), a map's value or a struct's field.",
        get_item,
    ),
    Entry::method(
        COL,
        "getField(name: str) -> Column",
        "A struct's field (or a map's value) by name.",
        get_field,
    ),
    Entry::method(
        COL,
        "withField(fieldName: str, col: Column) -> Column",
        "The struct with a field added or replaced.",
        with_field,
    ),
    Entry::method(
        COL,
        "dropFields(*fieldNames: str) -> Column",
        "The struct without the named fields.",
        drop_fields,
    ),
];

/// What is being looked up.
#[derive(Clone, Debug)]
pub enum Key {
    /// A field name or a map key that is a string.
    Name(String),
    /// An array position (0-based) or a map key that is a number.
    Index(i64),
}

impl Key {
    fn label(&self) -> String {
        match self {
            Key::Name(n) => n.clone(),
            Key::Index(i) => i.to_string(),
        }
    }
    fn matches(&self, v: &AnyValue<'_>) -> bool {
        match (self, v) {
            (Key::Name(n), AnyValue::String(s)) => n == s,
            (Key::Name(n), AnyValue::StringOwned(s)) => n == s.as_str(),
            (Key::Index(i), v) if v.is_integer() => v.extract::<i64>() == Some(*i),
            _ => false,
        }
    }
}

/// The key a Python value names, if it is one.
pub fn key_of(v: &Value) -> Option<Key> {
    match v {
        Value::Str(s) => Some(Key::Name(s.clone())),
        Value::Int(i) => Some(Key::Index(*i)),
        _ => None,
    }
}

/// The type `key` reaches inside `dtype`.
fn item_type(dtype: &DataType, key: &Key) -> PolarsResult<DataType> {
    if let Some((_, v)) = map_parts(dtype) {
        return Ok(v.clone());
    }
    match (dtype, key) {
        (DataType::Struct(fields), Key::Name(n)) => fields
            .iter()
            .find(|f| f.name().as_str() == n)
            .map(|f| f.dtype().clone())
            .ok_or_else(|| {
                let names: Vec<&str> = fields.iter().map(|f| f.name().as_str()).collect();
                polars_err!(ColumnNotFound: "[FIELD_NOT_FOUND] No such struct field `{}` in {}.", n, names.join(", "))
            }),
        (DataType::List(inner), Key::Index(_)) => Ok((**inner).clone()),
        (DataType::Null, _) => Ok(DataType::Null),
        (other, key) => polars_bail!(InvalidOperation: "[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from a {} with {:?}: it needs a struct, a map or an array.", crate::core::types::spark_type(other), key),
    }
}

/// The looked-up values of one column.
fn item_values(c: &polars::prelude::Column, key: &Key) -> PolarsResult<Series> {
    let dtype = c.dtype().clone();
    let s = c.as_materialized_series();
    if let Some((_, value_type)) = map_parts(&dtype) {
        let lists = s.list()?;
        let mut out = Vec::with_capacity(lists.len());
        for i in 0..lists.len() {
            let found = match lists.get_as_series(i) {
                Some(entries) => {
                    let entries = entries.struct_()?.clone();
                    let keys = entries.field_by_name(MAP_KEY)?;
                    let values = entries.field_by_name(MAP_VALUE)?;
                    // The last entry for a key wins, as under Spark's LAST_WIN.
                    let mut hit = AnyValue::Null;
                    for j in 0..keys.len() {
                        if key.matches(&keys.get(j)?) {
                            hit = values.get(j)?.into_static();
                        }
                    }
                    hit
                }
                None => AnyValue::Null,
            };
            out.push(found);
        }
        return Series::from_any_values_and_dtype(s.name().clone(), &out, value_type, false);
    }
    match (&dtype, key) {
        (DataType::Struct(_), Key::Name(n)) => {
            Ok(s.struct_()?.field_by_name(n)?.with_name(s.name().clone()))
        }
        (DataType::List(_), Key::Index(i)) => s.list()?.lst_get(*i, true),
        (DataType::Null, _) => Ok(Series::full_null(
            s.name().clone(),
            s.len(),
            &DataType::Null,
        )),
        _ => item_type(&dtype, key).map(|_| s.clone()),
    }
}

/// `e[key]`, resolved by `e`'s type when the plan runs.
pub fn item_expr(e: Expr, key: Key) -> Expr {
    let for_type = key.clone();
    e.map(
        move |c| Ok(item_values(&c, &key)?.into_column()),
        move |_, f| {
            Ok(Field::new(
                f.name().clone(),
                item_type(f.dtype(), &for_type)?,
            ))
        },
    )
}

/// `c[key]`, named as Spark names it (`c[key]`, `c.field` for `getField`).
pub fn item(c: &Column, key: Key, dotted: bool) -> Column {
    let name = if dotted {
        format!("{}.{}", c.name, key.label())
    } else {
        format!("{}[{}]", c.name, key.label())
    };
    Column::new(item_expr(c.expr.clone(), key), name)
}

fn key_arg(call: &Call, param: &str) -> Result<Key, LangError> {
    key_of(call.value(param)).ok_or_else(|| {
        LangError::type_error(format!(
            "{}() takes a string or an int, not {}",
            call.name,
            call.value(param).type_name()
        ))
        .at(call.span_of(param))
    })
}

fn get_item(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    Ok(Value::Column(Box::new(item(
        &c,
        key_arg(&call, "key")?,
        false,
    ))))
}

fn get_field(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let name = call.str("name")?;
    Ok(Value::Column(Box::new(item(&c, Key::Name(name), true))))
}

fn with_field(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let name = call.str("fieldName")?;
    let v = value_column(call.value("col"), call.span_of("col"))?;
    let expr = c
        .expr
        .clone()
        .struct_()
        .with_fields(vec![v.expr.alias(name.as_str())]);
    Ok(Value::Column(Box::new(Column::new(
        expr,
        format!("update_fields({}, WithField({name}, {}))", c.name, v.name),
    ))))
}

fn drop_fields(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let names: Vec<String> = call
        .rest()
        .iter()
        .map(|(v, s)| crate::api::convert::as_str(v, *s))
        .collect::<Result<_, _>>()?;
    let dropped = names.clone();
    let expr = c.expr.clone().map(
        move |col| {
            let ca = col.struct_()?.clone();
            let kept: Vec<Series> = ca
                .fields_as_series()
                .into_iter()
                .filter(|f| !dropped.iter().any(|d| d == f.name().as_str()))
                .collect();
            if kept.is_empty() {
                polars_bail!(InvalidOperation: "[DATATYPE_MISMATCH.CANNOT_DROP_ALL_FIELDS] Cannot drop all fields in struct.");
            }
            let out = StructChunked::from_series(ca.name().clone(), ca.len(), kept.iter())?;
            Ok(out.into_series().into_column())
        },
        {
            let names = names.clone();
            move |_, f| match f.dtype() {
                DataType::Struct(fields) => Ok(Field::new(
                    f.name().clone(),
                    DataType::Struct(
                        fields
                            .iter()
                            .filter(|x| !names.iter().any(|d| d == x.name().as_str()))
                            .cloned()
                            .collect(),
                    ),
                )),
                other => polars_bail!(InvalidOperation: "dropFields needs a struct, not {}", other),
            }
        },
    );
    let label = names
        .iter()
        .map(|n| format!("dropfield({n})"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Value::Column(Box::new(Column::new(
        expr,
        format!("update_fields({}, {label})", c.name),
    ))))
}

/// `df.col["key"]` / `df.col[0]` from the session's indexing.
pub fn index_column(c: &Column, idx: &Value, span: Span) -> Result<Value, LangError> {
    match key_of(idx) {
        Some(key) => Ok(Value::Column(Box::new(item(c, key, false)))),
        None => Err(LangError::type_error(format!(
            "a column is indexed by a string or an int, not {}",
            idx.type_name()
        ))
        .at(span)
        .with_hint("slices of an array column: sf.slice(col, start, length)")),
    }
}
