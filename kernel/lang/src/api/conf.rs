//! `spark.conf`: get, set and unset Spark's runtime settings.

use crate::api::call::Call;
use crate::api::convert::as_str;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Receiver, Value};

const CONF: Receiver = Receiver::RuntimeConfig;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::property(
        Receiver::SparkSession,
        "conf",
        "The session's runtime settings (`spark.conf.get/set/unset`).",
        conf,
    ),
    Entry::method(
        CONF,
        "get(key: str, default: any = None) -> str|None",
        "The setting's value, else `default`; an unknown key without a default is an error.",
        get,
    ),
    Entry::method(
        CONF,
        "set(key: str, value: str|int|bool) -> None",
        "Sets a setting for this session (booleans as `true`/`false`).",
        set,
    ),
    Entry::method(
        CONF,
        "unset(key: str) -> None",
        "Back to Spark's default.",
        unset,
    ),
    Entry::method(
        CONF,
        "isModifiable(key: str) -> bool",
        "Whether the setting can change at runtime (`spark.sql.*` ones can).",
        is_modifiable,
    ),
    Entry::property(
        CONF,
        "getAll",
        "Every setting with a value, as a dict-like list of (key, value).",
        get_all,
    ),
];

fn conf(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Conf)
}

fn get(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let key = call.str("key")?;
    if let Some(v) = ctx.conf().get(&key) {
        return Ok(Value::Str(v));
    }
    if call.given("default") {
        return Ok(call.value("default").clone());
    }
    Err(LangError::new(
        "SparkNoSuchElementException",
        format!("[SQL_CONF_NOT_FOUND] The SQL config \"{key}\" cannot be found."),
    )
    .at(call.span_of("key"))
    .with_hint("give a default: spark.conf.get(key, default)"))
}

fn set(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let key = call.str("key")?;
    let value = match call.value("value") {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        other => as_str(other, call.span_of("value"))?,
    };
    ctx.conf_mut().set(&key, value);
    Ok(Value::None)
}

fn unset(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let key = call.str("key")?;
    ctx.conf_mut().unset(&key);
    Ok(Value::None)
}

fn is_modifiable(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::Bool(call.str("key")?.starts_with("spark.sql.")))
}

fn get_all(ctx: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::List(
        ctx.conf()
            .all()
            .into_iter()
            .map(|(k, v)| Value::Tuple(vec![Value::Str(k), Value::Str(v)].into()))
            .collect::<Vec<_>>()
            .into(),
    ))
}
