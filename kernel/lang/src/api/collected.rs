//! Collected results: the pandas-style table of `toPandas()` and `Row`s.

use std::sync::Arc;

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Module, Receiver, Value};

const PANDAS: Receiver = Receiver::Pandas;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        PANDAS,
        "head(n: int = 5) -> pandas.DataFrame",
        "The first `n` rows.",
        head,
    ),
    Entry::property(PANDAS, "shape", "(rows, columns).", shape),
    Entry::property(PANDAS, "columns", "Column names.", columns),
    Entry::function(
        &[Module::Sql, Module::Types],
        "Row(*values: any, **fields: any) -> Row",
        "A row: `Row(name='Alice', age=2)`, fields in the order given.",
        row,
    ),
    Entry::method(
        Receiver::Row,
        "asDict(recursive: bool = False) -> dict",
        "The row as a dict of field to value (nested rows too, with `recursive=True`).",
        as_dict,
    ),
];

fn head(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let Value::Pandas(df) = &call.this else {
        return Err(call.wrong_receiver(&call.this));
    };
    let n = call.int("n")?.max(0) as usize;
    Ok(Value::Pandas(Arc::new(df.head(Some(n)))))
}

fn shape(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    let Value::Pandas(df) = v else {
        return Err(LangError::type_error(
            "shape is a pandas.DataFrame attribute",
        ));
    };
    Ok(Value::Tuple(Arc::new(vec![
        Value::Int(df.height() as i64),
        Value::Int(df.width() as i64),
    ])))
}

fn columns(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    let Value::Pandas(df) = v else {
        return Err(LangError::type_error(
            "columns is a pandas.DataFrame attribute",
        ));
    };
    Ok(Value::List(
        df.get_column_names()
            .iter()
            .map(|n| Value::Str(n.to_string()))
            .collect::<Vec<_>>()
            .into(),
    ))
}

fn row(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    if !call.rest().is_empty() && !call.extra().is_empty() {
        return Err(
            LangError::type_error("Can not use both args and kwargs to create Row").at(call.span),
        );
    }
    // Positional fields have no names; PySpark shows them as `Row('a', 1)`.
    let fields = if call.extra().is_empty() {
        call.rest()
            .iter()
            .map(|(v, _)| (String::new(), v.clone()))
            .collect()
    } else {
        call.extra()
            .iter()
            .map(|(k, v, _)| (k.clone(), v.clone()))
            .collect()
    };
    Ok(Value::Row(fields))
}

fn as_dict(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let Value::Row(fields) = &call.this else {
        return Err(call.wrong_receiver(&call.this));
    };
    Ok(row_dict(fields, call.bool("recursive")?))
}

fn row_dict(fields: &[(String, Value)], recursive: bool) -> Value {
    let nested = |v: &Value| -> Value {
        match v {
            Value::Row(inner) if recursive => row_dict(inner, true),
            Value::List(items) if recursive => Value::List(Arc::new(
                items
                    .iter()
                    .map(|x| match x {
                        Value::Row(inner) => row_dict(inner, true),
                        other => other.clone(),
                    })
                    .collect(),
            )),
            other => other.clone(),
        }
    };
    Value::Dict(Arc::new(
        fields
            .iter()
            .map(|(k, v)| (Value::Str(k.clone()), nested(v)))
            .collect(),
    ))
}
