//! The Python around the API: `print`, `len`, `str`, `int`, `float`, `help`, `display`,
//! `clear_output`, `time.sleep`, `sys.stdout`/`sys.stderr`.

use std::time::{Duration, Instant};

use crate::api::call::Call;
use crate::api::convert::as_float;
use crate::api::dataframe::actions::show_table;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, interrupted};
use crate::core::output::Output;
use crate::core::value::{Module, Stream, Value};

const BUILTINS: &[Module] = &[Module::Builtins];
const DISPLAY: &[Module] = &[Module::IPythonDisplay];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        BUILTINS,
        "print(*objects: any, sep: str|None = ' ', end: str|None = '\\n', file: any = None, flush: bool = False) -> None",
        "Prints to standard output, or to `file=sys.stderr`.",
        print,
    ),
    Entry::function(
        BUILTINS,
        "range(start: int, stop: int|None = None, step: int = 1) -> list",
        "The integers from `start` (0 when only one is given) up to `stop`, by `step`.",
        range,
    ),
    Entry::function(
        BUILTINS,
        "enumerate(iterable: any, start: int = 0) -> list",
        "(index, item) pairs.",
        enumerate,
    ),
    Entry::function(
        BUILTINS,
        "zip(*iterables: any) -> list",
        "Tuples of the items at the same position, as long as the shortest.",
        zip,
    ),
    Entry::function(
        BUILTINS,
        "sorted(iterable: any, key: Callable|None = None, reverse: bool = False) -> list",
        "The items in order (numbers or strings).",
        sorted,
    ),
    Entry::function(
        BUILTINS,
        "reversed(seq: any) -> list",
        "The items backwards.",
        reversed,
    ),
    Entry::function(
        BUILTINS,
        "list(iterable: any = None) -> list",
        "The items as a list.",
        list,
    ),
    Entry::function(
        BUILTINS,
        "tuple(iterable: any = None) -> tuple",
        "The items as a tuple.",
        tuple,
    ),
    Entry::function(
        BUILTINS,
        "any(iterable: any) -> bool",
        "Whether some item is true.",
        any,
    ),
    Entry::function(
        BUILTINS,
        "all(iterable: any) -> bool",
        "Whether every item is true.",
        all,
    ),
    Entry::function(
        BUILTINS,
        "bool(x: any = False) -> bool",
        "The truth of a value.",
        bool_fn,
    ),
    Entry::function(
        BUILTINS,
        "dir(object: any) -> list",
        "The object's attribute names, sorted (a DataFrame's include its columns that are identifiers).",
        dir,
    ),
    Entry::function(
        BUILTINS,
        "type(object: any) -> any",
        "The object's class.",
        type_of,
    ),
    Entry::function(
        BUILTINS,
        "isinstance(obj: any, classinfo: any) -> bool",
        "Whether `obj` is of the type (`str`, `int`, `float`, `bool`, `list`, `tuple`, `dict`).",
        isinstance,
    ),
    Entry::function(
        BUILTINS,
        "len(obj: any) -> int",
        "Items in a list, tuple, string, row or pandas table.",
        len,
    ),
    Entry::function(
        BUILTINS,
        "str(object: any = '') -> str",
        "Text of a value.",
        str_fn,
    ),
    Entry::function(
        BUILTINS,
        "repr(obj: any) -> str",
        "A value as Python writes it.",
        repr_fn,
    ),
    Entry::function(
        BUILTINS,
        "int(x: any = 0) -> int",
        "An integer from a number or numeric string (truncating).",
        int_fn,
    ),
    Entry::function(
        BUILTINS,
        "float(x: any = 0.0) -> float",
        "A float from a number or numeric string.",
        float_fn,
    ),
    Entry::function(
        BUILTINS,
        "help(obj: any) -> None",
        "Opens the object's signature and doc in the pager.",
        help,
    ),
    Entry::function(
        DISPLAY,
        "display(*objs: any) -> None",
        "Shows values: a DataFrame as a table of its first rows.",
        display,
    ),
    Entry::function(
        DISPLAY,
        "clear_output(wait: bool = False) -> None",
        "Clears the cell's output (with wait, when the next output arrives).",
        clear_output,
    ),
    Entry::function(
        &[Module::Time],
        "sleep(secs: int|float) -> None",
        "Waits; an interrupt ends it at once.",
        sleep,
    ),
    Entry::constant(
        &[Module::Sys],
        "stdout",
        "Standard output, for print(file=...).",
        stdout,
    ),
    Entry::constant(
        &[Module::Sys],
        "stderr",
        "Standard error, for print(file=...).",
        stderr,
    ),
    Entry::constant(
        &[Module::Sys],
        "maxsize",
        "The largest int, 2**63 - 1.",
        maxsize,
    ),
];

/// Python's `str()`.
pub fn text_of(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Exception(e) => e.1.clone(),
        Value::Date(d) => d.to_string(),
        Value::Timestamp(t) => t.to_string(),
        other => other.repr(),
    }
}

fn print(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let sep = call.opt_str("sep")?.unwrap_or_else(|| " ".into());
    let end = call.opt_str("end")?.unwrap_or_else(|| "\n".into());
    let parts: Vec<String> = call.rest().iter().map(|(v, _)| text_of(v)).collect();
    let text = parts.join(&sep) + &end;
    ctx.emit(match call.value("file") {
        Value::None | Value::Stream(Stream::Stdout) => Output::Stdout(text),
        Value::Stream(Stream::Stderr) => Output::Stderr(text),
        other => {
            return Err(LangError::type_error(format!(
                "print(file=...) takes sys.stdout or sys.stderr, got {}",
                other.type_name()
            ))
            .at(call.span_of("file")));
        }
    });
    Ok(Value::None)
}

/// Ranges become lists; past this many items that is an error rather than a slow cell.
const MAX_RANGE: i64 = 10_000_000;

fn range(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (start, stop) = match call.opt_int("stop")? {
        Some(stop) => (call.int("start")?, stop),
        None => (0, call.int("start")?),
    };
    let step = call.int("step")?;
    if step == 0 {
        return Err(
            LangError::new("ValueError", "range() arg 3 must not be zero").at(call.span_of("step")),
        );
    }
    let count = if (step > 0 && stop > start) || (step < 0 && stop < start) {
        let (span, step) = (
            (i128::from(stop) - i128::from(start)).abs(),
            i128::from(step).abs(),
        );
        (span + step - 1) / step
    } else {
        0
    };
    if count > i128::from(MAX_RANGE) {
        return Err(LangError::new(
            "MemoryError",
            format!("range() of {count} items; Faísca's ranges hold at most {MAX_RANGE}"),
        )
        .at(call.span)
        .with_hint("for many rows, use spark.range(n): a DataFrame, computed lazily"));
    }
    let items: Vec<Value> = (0..count as i64)
        .map(|i| Value::Int(start + i * step))
        .collect();
    Ok(Value::List(items.into()))
}

fn len(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let n = match call.value("obj") {
        Value::List(i) | Value::Tuple(i) => i.len(),
        Value::Str(t) => t.chars().count(),
        Value::Row(f) => f.len(),
        Value::Dict(d) => d.len(),
        Value::Pandas(df) => df.height(),
        other => {
            return Err(LangError::type_error(format!(
                "object of type '{}' has no len()",
                other.type_name()
            ))
            .at(call.span_of("obj"))
            .with_hint("for a DataFrame use df.count()"));
        }
    };
    Ok(Value::Int(n as i64))
}

fn repr_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::Str(call.value("obj").repr()))
}

fn str_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::Str(text_of(call.value("object"))))
}

fn int_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let span = call.span_of("x");
    match call.value("x") {
        Value::Int(i) => return Ok(Value::Int(*i)),
        Value::Bool(b) => return Ok(Value::Int(i64::from(*b))),
        Value::Str(s) => {
            let digits = s.trim().replace('_', "");
            return digits.parse::<i64>().map(Value::Int).map_err(|e| {
                let (class, why) = if matches!(
                    e.kind(),
                    std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow
                ) {
                    (
                        "OverflowError",
                        "it does not fit Faísca's 64-bit integers".to_string(),
                    )
                } else {
                    (
                        "ValueError",
                        format!(
                            "invalid literal for int() with base 10: {}",
                            Value::Str(s.clone()).repr()
                        ),
                    )
                };
                LangError::new(class, why).at(span)
            });
        }
        _ => {}
    }
    let f = as_float(call.value("x"), span)?;
    if f.is_nan() {
        return Err(LangError::new("ValueError", "cannot convert float NaN to integer").at(span));
    }
    if f.is_infinite() {
        return Err(
            LangError::new("OverflowError", "cannot convert float infinity to integer").at(span),
        );
    }
    // i64's range is [-2^63, 2^63): 2^63 itself is exactly representable as a float.
    let two_to_63 = 2f64.powi(63);
    if !(-two_to_63..two_to_63).contains(&f) {
        return Err(LangError::new(
            "OverflowError",
            format!("int({f}) does not fit Faísca's 64-bit integers (Python's would grow)"),
        )
        .at(span));
    }
    Ok(Value::Int(f.trunc() as i64))
}

fn float_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    as_float(call.value("x"), call.span_of("x")).map(Value::Float)
}

fn help(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    ctx.emit(Output::Help(call.value("obj").clone()));
    Ok(Value::None)
}

fn display(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    for (v, _) in call.rest() {
        match v {
            Value::Frame(f) => {
                show_table(ctx, f)?;
            }
            other => ctx.emit(Output::Value(other.clone())),
        }
    }
    Ok(Value::None)
}

fn clear_output(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    ctx.emit(Output::ClearOutput(call.bool("wait")?));
    Ok(Value::None)
}

fn sleep(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let secs = call.float("secs")?;
    if secs < 0.0 {
        return Err(
            LangError::new("ValueError", "sleep length must be non-negative")
                .at(call.span_of("secs")),
        );
    }
    let until = Instant::now() + Duration::from_secs_f64(secs.min(86_400.0));
    while Instant::now() < until {
        if (ctx.cancel())() {
            return Err(interrupted());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(Value::None)
}

fn maxsize(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Int(i64::MAX))
}

fn stdout(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Stream(Stream::Stdout))
}

fn stderr(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Stream(Stream::Stderr))
}

/// What Python's iteration gives: a list's or tuple's items, a dict's keys, a Row's
/// values, a string's characters. Columns and DataFrames say what to loop over instead.
/// Python's `seq[start:stop:step]` on lists, tuples and strings.
pub fn slice(
    seq: &Value,
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
) -> Result<Value, LangError> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(LangError::new("ValueError", "slice step cannot be zero"));
    }
    let pick = |n: usize| -> Vec<usize> {
        let n = n as i64;
        let clamp = |i: Option<i64>, default: i64| -> i64 {
            match i {
                None => default,
                Some(i) if i < 0 => (i + n).max(if step > 0 { 0 } else { -1 }),
                Some(i) => i.min(if step > 0 { n } else { n - 1 }),
            }
        };
        let mut out = Vec::new();
        if step > 0 {
            let (mut i, end) = (clamp(start, 0), clamp(stop, n));
            while i < end {
                out.push(i as usize);
                i += step;
            }
        } else {
            let (mut i, end) = (clamp(start, n - 1), clamp(stop, -1));
            while i > end {
                out.push(i as usize);
                i += step;
            }
        }
        out
    };
    Ok(match seq {
        Value::List(items) => Value::List(
            pick(items.len())
                .into_iter()
                .map(|i| items[i].clone())
                .collect::<Vec<_>>()
                .into(),
        ),
        Value::Tuple(items) => Value::Tuple(
            pick(items.len())
                .into_iter()
                .map(|i| items[i].clone())
                .collect::<Vec<_>>()
                .into(),
        ),
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            Value::Str(pick(chars.len()).into_iter().map(|i| chars[i]).collect())
        }
        other => {
            return Err(LangError::type_error(format!(
                "'{}' object cannot be sliced",
                other.type_name()
            ))
            .with_hint(if matches!(other, Value::Frame(_)) {
                "use df.limit(n), df.offset(n) or df.take(n)"
            } else {
                "slices work on lists, tuples and strings"
            }));
        }
    })
}

pub fn iterate(v: &Value, span: crate::core::error::Span) -> Result<Vec<Value>, LangError> {
    Ok(match v {
        Value::List(x) | Value::Tuple(x) => x.to_vec(),
        Value::Dict(pairs) => pairs.iter().map(|(k, _)| k.clone()).collect(),
        Value::Row(fields) => fields.iter().map(|(_, v)| v.clone()).collect(),
        Value::Str(s) => s.chars().map(|c| Value::Str(c.to_string())).collect(),
        Value::Column(_) => {
            return Err(LangError::type_error("Column is not iterable")
                .at(span)
                .with_hint("a Column is an expression over every row: select it, or collect() the DataFrame and loop over its rows"));
        }
        Value::Frame(_) => {
            return Err(LangError::type_error("'DataFrame' object is not iterable")
                .at(span)
                .with_hint(
                    "loop over df.collect() for its rows, or df.columns for its column names",
                ));
        }
        other => {
            return Err(LangError::type_error(format!(
                "'{}' object is not iterable",
                other.type_name()
            ))
            .at(span));
        }
    })
}

fn enumerate(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let start = call.int("start")?;
    let out: Vec<Value> = iterate(call.value("iterable"), call.span_of("iterable"))?
        .into_iter()
        .enumerate()
        .map(|(i, v)| Value::Tuple(vec![Value::Int(start + i as i64), v].into()))
        .collect();
    Ok(Value::List(out.into()))
}

fn zip(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let lists: Vec<Vec<Value>> = call
        .rest()
        .iter()
        .map(|(v, s)| iterate(v, *s))
        .collect::<Result<_, _>>()?;
    let n = lists.iter().map(Vec::len).min().unwrap_or(0);
    let out: Vec<Value> = (0..n)
        .map(|i| {
            Value::Tuple(
                lists
                    .iter()
                    .map(|l| l[i].clone())
                    .collect::<Vec<_>>()
                    .into(),
            )
        })
        .collect();
    Ok(Value::List(out.into()))
}

fn sorted(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let items = iterate(call.value("iterable"), call.span_of("iterable"))?;
    // Each item with its sort key (`key(item)`, or the item itself).
    let mut xs: Vec<(Value, Value)> = match call.value("key") {
        Value::None => items.into_iter().map(|v| (v.clone(), v)).collect(),
        key => items
            .into_iter()
            .map(|v| {
                let k = ctx.call_value(
                    key.clone(),
                    vec![v.clone()],
                    Vec::new(),
                    call.span_of("key"),
                )?;
                Ok((k, v))
            })
            .collect::<Result<_, LangError>>()?,
    };
    let mut failed = None;
    xs.sort_by(|(a, _), (b, _)| {
        match (
            crate::api::operators::binary(crate::syntax::ast::BinOp::Lt, a.clone(), b.clone()),
            crate::api::operators::binary(crate::syntax::ast::BinOp::Lt, b.clone(), a.clone()),
        ) {
            (Ok(Value::Bool(true)), _) => std::cmp::Ordering::Less,
            (_, Ok(Value::Bool(true))) => std::cmp::Ordering::Greater,
            (Err(e), _) | (_, Err(e)) => {
                failed.get_or_insert(e);
                std::cmp::Ordering::Equal
            }
            _ => std::cmp::Ordering::Equal,
        }
    });
    if let Some(e) = failed {
        return Err(e.at(call.span_of("iterable")));
    }
    if call.bool("reverse")? {
        xs.reverse();
    }
    Ok(Value::List(
        xs.into_iter().map(|(_, v)| v).collect::<Vec<_>>().into(),
    ))
}

fn reversed(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut xs = iterate(call.value("seq"), call.span_of("seq"))?;
    xs.reverse();
    Ok(Value::List(xs.into()))
}

fn list(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    if call.is_none("iterable") {
        return Ok(Value::List(Vec::new().into()));
    }
    Ok(Value::List(
        iterate(call.value("iterable"), call.span_of("iterable"))?.into(),
    ))
}

fn tuple(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    if call.is_none("iterable") {
        return Ok(Value::Tuple(Vec::new().into()));
    }
    Ok(Value::Tuple(
        iterate(call.value("iterable"), call.span_of("iterable"))?.into(),
    ))
}

fn any(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let xs = iterate(call.value("iterable"), call.span_of("iterable"))?;
    Ok(Value::Bool(xs.iter().any(crate::api::operators::truthy)))
}

fn all(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let xs = iterate(call.value("iterable"), call.span_of("iterable"))?;
    Ok(Value::Bool(xs.iter().all(crate::api::operators::truthy)))
}

fn bool_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    crate::api::operators::condition(call.value("x"))
        .map(Value::Bool)
        .map_err(|e| e.at(call.span_of("x")))
}

fn isinstance(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let v = call.value("obj");
    let names: Vec<String> = match call.value("classinfo") {
        Value::Tuple(xs) | Value::List(xs) => xs.iter().map(class_name).collect(),
        one => vec![class_name(one)],
    };
    Ok(Value::Bool(names.iter().any(|n| {
        n == v.type_name() || (n == "int" && matches!(v, Value::Bool(_)))
    })))
}

/// Where PySpark's classes live, by the name `type_name` gives.
const CLASS_PATHS: &[(&str, &str)] = &[
    ("DataFrame", "pyspark.sql.dataframe.DataFrame"),
    (
        "DataFrameNaFunctions",
        "pyspark.sql.dataframe.DataFrameNaFunctions",
    ),
    (
        "DataFrameStatFunctions",
        "pyspark.sql.dataframe.DataFrameStatFunctions",
    ),
    ("Column", "pyspark.sql.column.Column"),
    ("GroupedData", "pyspark.sql.group.GroupedData"),
    ("Row", "pyspark.sql.types.Row"),
    ("StructType", "pyspark.sql.types.StructType"),
    ("SparkSession", "pyspark.sql.session.SparkSession"),
    ("DataFrameReader", "pyspark.sql.readwriter.DataFrameReader"),
    ("DataFrameWriter", "pyspark.sql.readwriter.DataFrameWriter"),
    ("Catalog", "pyspark.sql.catalog.Catalog"),
    ("RuntimeConfig", "pyspark.sql.conf.RuntimeConfig"),
    ("WindowSpec", "pyspark.sql.window.WindowSpec"),
    (
        "PySparkPlotAccessor",
        "pyspark.sql.plot.core.PySparkPlotAccessor",
    ),
    ("date", "datetime.date"),
    ("datetime", "datetime.datetime"),
];

fn dir(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let v = call.value("object");
    let mut names = ctx.attribute_names(v);
    if let Value::Frame(f) = v {
        let identifier = |c: &str| {
            c.chars()
                .next()
                .is_some_and(|ch| ch.is_alphabetic() || ch == '_')
                && c.chars().all(|ch| ch.is_alphanumeric() || ch == '_')
        };
        names.extend(f.columns().into_iter().filter(|c| identifier(c)));
    }
    names.sort();
    names.dedup();
    Ok(Value::List(
        names.into_iter().map(Value::Str).collect::<Vec<_>>().into(),
    ))
}

fn type_of(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let v = call.value("object");
    let name = match v.receiver() {
        Some(r) if r != crate::core::value::Receiver::Global => r.class_name(),
        _ => v.type_name(),
    };
    let path = CLASS_PATHS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(name, |(_, p)| p);
    Ok(Value::Class(path))
}

/// The class a builtin function stands for (`str` for the `str` function).
fn class_name(v: &Value) -> String {
    match v {
        Value::Function(c) => c.name.to_string(),
        Value::Class(path) => path.rsplit('.').next().unwrap_or(path).to_string(),
        other => other.type_name().to_string(),
    }
}
