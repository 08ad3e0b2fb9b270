//! Collected results: the pandas-style table of `toPandas()` and `Row`s.

use std::sync::Arc;

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Receiver, Value};

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
    Entry::method(
        Receiver::Row,
        "asDict() -> list",
        "The row's (field, value) pairs.",
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

fn as_dict(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let Value::Row(fields) = &call.this else {
        return Err(call.wrong_receiver(&call.this));
    };
    Ok(Value::List(
        fields
            .iter()
            .map(|(k, v)| Value::Tuple(Arc::new(vec![Value::Str(k.clone()), v.clone()])))
            .collect::<Vec<_>>()
            .into(),
    ))
}
