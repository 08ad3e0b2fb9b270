//! DataFrame attributes: `columns`, `dtypes`, `schema`, `write`, `na`.

use std::sync::Arc;

use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::types::spark_type;
use crate::core::value::{Frame, Receiver, Value, Writer};

const DF: Receiver = Receiver::DataFrame;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::property(DF, "columns", "Column names, in order.", columns),
    Entry::property(DF, "dtypes", "(name, Spark type) pairs.", dtypes),
    Entry::property(DF, "schema", "The schema as a StructType.", schema),
    Entry::property(DF, "write", "A DataFrameWriter for this frame.", write),
    Entry::property(
        DF,
        "stat",
        "Statistics: `df.stat.corr(...)`, `crosstab`, `freqItems`, `approxQuantile` (the DataFrame's own methods).",
        same_frame,
    ),
    Entry::property(
        DF,
        "sparkSession",
        "The session that made this frame.",
        spark_session,
    ),
    Entry::property(
        DF,
        "isStreaming",
        "Whether the frame reads a stream: never, in Faísca.",
        is_streaming,
    ),
    Entry::method(
        DF,
        "inputFiles() -> list",
        "The files the frame reads, as absolute paths.",
        input_files,
    ),
    Entry::method(
        DF,
        "isLocal() -> bool",
        "Whether collect() runs without executors: always, in Faísca.",
        is_local,
    ),
    Entry::method(
        DF,
        "_ipython_key_completions_() -> list",
        "The column names, for `df[\"…` completion.",
        key_completions,
    ),
    Entry::property(
        DF,
        "na",
        "Null handling: `df.na.fill(...)`, `df.na.drop(...)`.",
        na,
    ),
];

fn input_files(ctx: &mut dyn Context, call: crate::api::call::Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let files = ctx.engine().input_files(&f)?;
    Ok(Value::List(
        files.into_iter().map(Value::Str).collect::<Vec<_>>().into(),
    ))
}

fn spark_session(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    frame(v)?;
    Ok(Value::Spark)
}

fn is_streaming(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    frame(v)?;
    Ok(Value::Bool(false))
}

fn same_frame(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    Ok(Value::Frame(Box::new(frame(v)?)))
}

fn is_local(_: &mut dyn Context, call: crate::api::call::Call) -> Result<Value, LangError> {
    call.this_frame()?;
    Ok(Value::Bool(true))
}

fn key_completions(
    ctx: &mut dyn Context,
    call: crate::api::call::Call,
) -> Result<Value, LangError> {
    columns(ctx, call.this.clone())
}

fn frame(v: Value) -> Result<Frame, LangError> {
    match v {
        Value::Frame(f) => Ok(*f),
        other => Err(LangError::type_error(format!(
            "expected a DataFrame, got {}",
            other.type_name()
        ))),
    }
}

fn columns(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    let f = frame(v)?;
    Ok(Value::List(
        f.columns()
            .into_iter()
            .map(Value::Str)
            .collect::<Vec<_>>()
            .into(),
    ))
}

fn dtypes(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    let f = frame(v)?;
    Ok(Value::List(
        f.schema
            .iter()
            .map(|(n, t)| {
                Value::Tuple(Arc::new(vec![
                    Value::Str(n.to_string()),
                    Value::Str(spark_type(t)),
                ]))
            })
            .collect::<Vec<_>>()
            .into(),
    ))
}

fn schema(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    Ok(Value::Schema(frame(v)?.schema))
}

fn write(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    // A cached DataFrame writes its kept rows.
    let mut f = frame(v)?;
    f.lf = f.current_lf();
    Ok(Value::Writer(Box::new(Writer {
        frame: f,
        mode: Default::default(),
        options: Default::default(),
        format: None,
    })))
}

fn na(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    Ok(Value::Na(Box::new(frame(v)?)))
}
