//! Python's `dict` methods that notebooks use on collected maps and rows' `asDict()`.

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use std::sync::Arc;

use crate::core::value::{Receiver, Value};

const D: Receiver = Receiver::Dict;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(D, "keys() -> list", "The keys, in insertion order.", keys),
    Entry::method(
        D,
        "values() -> list",
        "The values, in insertion order.",
        values,
    ),
    Entry::method(
        D,
        "items() -> list",
        "`(key, value)` pairs, in insertion order.",
        items,
    ),
    Entry::method(
        D,
        "get(key: any, default: any = None) -> any",
        "The value for `key`, or `default`.",
        get,
    ),
];

fn entries(call: &Call) -> Result<&[(Value, Value)], LangError> {
    match &call.this {
        Value::Dict(items) => Ok(items.as_slice()),
        other => Err(call.wrong_receiver(other)),
    }
}

fn keys(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let keys = entries(&call)?.iter().map(|(k, _)| k.clone()).collect();
    Ok(Value::List(Arc::new(keys)))
}

fn values(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let values = entries(&call)?.iter().map(|(_, v)| v.clone()).collect();
    Ok(Value::List(Arc::new(values)))
}

fn items(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let pairs = entries(&call)?
        .iter()
        .map(|(k, v)| Value::Tuple(Arc::new(vec![k.clone(), v.clone()])))
        .collect();
    Ok(Value::List(Arc::new(pairs)))
}

fn get(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(call
        .this
        .dict_get(call.value("key"))
        .cloned()
        .unwrap_or_else(|| call.value("default").clone()))
}
