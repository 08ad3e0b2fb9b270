//! `spark.read` and `df.write`: options, formats, save modes; the engine does the I/O.

use crate::api::call::Call;
use crate::api::common::frame_value;
use crate::api::convert::option_text;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::engine::{Sink, Source, Written};
use crate::core::error::{LangError, Span};
use crate::core::io::{Format, Options, SaveMode};
use crate::core::output::Output;
use crate::core::value::{Reader, Receiver, Value, Writer};

const READ: Receiver = Receiver::Reader;
const WRITE: Receiver = Receiver::Writer;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        READ,
        "option(key: str, value: any) -> DataFrameReader",
        "Sets a reader option (header, sep, inferSchema, quote, nullValue).",
        reader_option,
    ),
    Entry::method(
        READ,
        "options(**options) -> DataFrameReader",
        "Sets several reader options.",
        reader_option,
    ),
    Entry::method(
        READ,
        "format(source: str) -> DataFrameReader",
        "csv, parquet or json (JSON lines).",
        reader_format,
    ),
    Entry::method(
        READ,
        "csv(path: str, sep: str = None, header: bool|str = None, inferSchema: bool|str = None, quote: str = None, nullValue: str = None) -> DataFrame",
        "A lazy scan of a CSV file or folder of part files.",
        read_csv,
    ),
    Entry::method(
        READ,
        "parquet(path: str) -> DataFrame",
        "A lazy scan of a Parquet file or folder.",
        read_parquet,
    ),
    Entry::method(
        READ,
        "json(path: str) -> DataFrame",
        "A lazy scan of a JSON-lines file or folder.",
        read_json,
    ),
    Entry::method(
        READ,
        "load(path: str, format: str = None, **options) -> DataFrame",
        "A lazy scan in the format set by format() (parquet by default).",
        read_load,
    ),
    Entry::method(
        WRITE,
        "mode(saveMode: str) -> DataFrameWriter",
        "overwrite, append, ignore, error / errorifexists (the default).",
        writer_mode,
    ),
    Entry::method(
        WRITE,
        "option(key: str, value: any) -> DataFrameWriter",
        "Sets a writer option (header, sep).",
        writer_option,
    ),
    Entry::method(
        WRITE,
        "options(**options) -> DataFrameWriter",
        "Sets several writer options.",
        writer_option,
    ),
    Entry::method(
        WRITE,
        "format(source: str) -> DataFrameWriter",
        "csv, parquet or json.",
        writer_format,
    ),
    Entry::method(
        WRITE,
        "csv(path: str, mode: str = None, sep: str = None, header: bool|str = None) -> None",
        "Writes a folder with a CSV part file and _SUCCESS.",
        write_csv,
    ),
    Entry::method(
        WRITE,
        "parquet(path: str, mode: str = None) -> None",
        "Writes a folder with a Parquet part file and _SUCCESS.",
        write_parquet,
    ),
    Entry::method(
        WRITE,
        "json(path: str, mode: str = None) -> None",
        "Writes a folder with a JSON-lines part file and _SUCCESS.",
        write_json,
    ),
    Entry::method(
        WRITE,
        "save(path: str, format: str = None, mode: str = None, **options) -> None",
        "Writes in the format set by format() (parquet by default).",
        write_save,
    ),
];

fn reader(call: &Call) -> Result<Reader, LangError> {
    match &call.this {
        Value::Reader(r) => Ok(r.clone()),
        other => Err(call.wrong_receiver(other)),
    }
}

fn writer(call: &Call) -> Result<Writer, LangError> {
    match &call.this {
        Value::Writer(w) => Ok((**w).clone()),
        other => Err(call.wrong_receiver(other)),
    }
}

/// Sets the keyword arguments in `keys` that were given, then every `**options` one.
fn set_given(options: &mut Options, call: &Call, keys: &[&str]) -> Result<(), LangError> {
    for key in keys {
        if !call.is_none(key) {
            options.set(key, option_text(call.value(key), call.span_of(key))?);
        }
    }
    for (k, v, s) in call.extra() {
        options.set(k, option_text(v, *s)?);
    }
    Ok(())
}

/// Spark ignores options it does not know; say so rather than ignore them silently.
/// `known` are the keys the format in use honours; `anywhere` those some format does,
/// already checked when they were set.
fn warn_unknown(
    ctx: &mut dyn Context,
    options: &Options,
    known: &[&str],
    anywhere: &[&str],
    what: &str,
) {
    for k in options.unknown(known) {
        if anywhere.contains(&k) {
            ctx.emit(Output::Stderr(format!(
                "warning: option '{k}' has no effect on Faísca's {what}\n"
            )));
        }
    }
}

/// Warns, when options are set, about keys no format honours.
fn warn_set(
    ctx: &mut dyn Context,
    before: &Options,
    after: &Options,
    anywhere: &[&str],
    what: &str,
) {
    let warned = before.unknown(anywhere);
    for k in after.unknown(anywhere) {
        if !warned.contains(&k) {
            ctx.emit(Output::Stderr(format!(
                "warning: option '{k}' has no effect on Faísca's {what}\n"
            )));
        }
    }
}

/// `.option(key, value)` and `.options(**options)`, for reader and writer.
fn set_options(
    ctx: &mut dyn Context,
    options: &mut Options,
    call: &Call,
    anywhere: &[&str],
    what: &str,
) -> Result<(), LangError> {
    let before = options.clone();
    if call.name == "option" {
        let value = option_text(call.value("value"), call.span_of("value"))?;
        options.set(&call.str("key")?, value);
    } else {
        set_given(options, call, &[])?;
    }
    warn_set(ctx, &before, options, anywhere, what);
    Ok(())
}

fn reader_option(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut r = reader(&call)?;
    set_options(ctx, &mut r.options, &call, &Format::READ_OPTIONS, "readers")?;
    Ok(Value::Reader(r))
}

fn reader_format(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut r = reader(&call)?;
    r.format = Some(Format::parse(&call.str("source")?, call.span_of("source"))?);
    Ok(Value::Reader(r))
}

fn scan(
    ctx: &mut dyn Context,
    call: &Call,
    format: Format,
    r: &Reader,
) -> Result<Value, LangError> {
    let path = call.str("path")?;
    let span = call.span_of("path");
    let what = format!("{} reader", format.name());
    warn_unknown(
        ctx,
        &r.options,
        format.read_options(),
        &Format::READ_OPTIONS,
        &what,
    );
    let source = Source {
        format,
        path: &path,
        options: &r.options,
        span,
    };
    let lf = ctx.engine().read(&source)?;
    frame_value(ctx, lf, span)
}

fn read_csv(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut r = reader(&call)?;
    set_given(
        &mut r.options,
        &call,
        &["sep", "header", "inferSchema", "quote", "nullValue"],
    )?;
    scan(ctx, &call, Format::Csv, &r)
}

fn read_parquet(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    scan(ctx, &call, Format::Parquet, &reader(&call)?)
}

fn read_json(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    scan(ctx, &call, Format::Json, &reader(&call)?)
}

fn read_load(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut r = reader(&call)?;
    let before = r.options.clone();
    set_given(&mut r.options, &call, &[])?;
    warn_set(ctx, &before, &r.options, &Format::READ_OPTIONS, "readers");
    let format = match call.opt_str("format")? {
        Some(f) => Format::parse(&f, call.span_of("format"))?,
        None => r.format.unwrap_or(Format::Parquet),
    };
    scan(ctx, &call, format, &r)
}

fn writer_mode(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut w = writer(&call)?;
    w.mode = SaveMode::parse(&call.str("saveMode")?, call.span_of("saveMode"))?;
    Ok(Value::Writer(Box::new(w)))
}

fn writer_option(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut w = writer(&call)?;
    set_options(
        ctx,
        &mut w.options,
        &call,
        &Format::WRITE_OPTIONS,
        "writers",
    )?;
    Ok(Value::Writer(Box::new(w)))
}

fn writer_format(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut w = writer(&call)?;
    w.format = Some(Format::parse(&call.str("source")?, call.span_of("source"))?);
    Ok(Value::Writer(Box::new(w)))
}

fn sink(
    ctx: &mut dyn Context,
    call: &Call,
    format: Format,
    mut w: Writer,
) -> Result<Value, LangError> {
    if let Some(mode) = call.opt_str("mode")? {
        w.mode = SaveMode::parse(&mode, call.span_of("mode"))?;
    }
    let path = call.str("path")?;
    let span: Span = call.span_of("path");
    let what = format!("{} writer", format.name());
    warn_unknown(
        ctx,
        &w.options,
        format.write_options(),
        &Format::WRITE_OPTIONS,
        &what,
    );
    let target = ctx.config().resolve(&path);
    let sink = Sink {
        format,
        target: &target,
        mode: w.mode,
        options: &w.options,
        span,
    };
    let written = ctx
        .engine()
        .write(ctx.cell(), &w.frame, &sink, ctx.watch())?;
    if written == Written::Skipped {
        ctx.emit(Output::Stdout(format!(
            "{path} exists; mode 'ignore' left it as is\n"
        )));
    }
    Ok(Value::None)
}

fn write_csv(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut w = writer(&call)?;
    set_given(&mut w.options, &call, &["sep", "header"])?;
    sink(ctx, &call, Format::Csv, w)
}

fn write_parquet(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let w = writer(&call)?;
    sink(ctx, &call, Format::Parquet, w)
}

fn write_json(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let w = writer(&call)?;
    sink(ctx, &call, Format::Json, w)
}

fn write_save(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut w = writer(&call)?;
    let before = w.options.clone();
    set_given(&mut w.options, &call, &[])?;
    warn_set(ctx, &before, &w.options, &Format::WRITE_OPTIONS, "writers");
    let format = match call.opt_str("format")? {
        Some(f) => Format::parse(&f, call.span_of("format"))?,
        None => w.format.unwrap_or(Format::Parquet),
    };
    sink(ctx, &call, format, w)
}
