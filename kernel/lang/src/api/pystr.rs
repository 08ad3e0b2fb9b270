//! Python's `str` methods that notebooks use to build names, paths and messages.

use crate::api::call::Call;
use crate::api::convert::as_str;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Receiver, Value};

const S: Receiver = Receiver::Str;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(S, "upper() -> str", "Upper case.", upper),
    Entry::method(S, "lower() -> str", "Lower case.", lower),
    Entry::method(S, "title() -> str", "Each word capitalised.", title),
    Entry::method(
        S,
        "capitalize() -> str",
        "First character upper case, the rest lower.",
        capitalize,
    ),
    Entry::method(
        S,
        "strip(chars: str|None = None) -> str",
        "Without leading and trailing whitespace (or `chars`).",
        strip,
    ),
    Entry::method(
        S,
        "lstrip(chars: str|None = None) -> str",
        "Without leading whitespace (or `chars`).",
        lstrip,
    ),
    Entry::method(
        S,
        "rstrip(chars: str|None = None) -> str",
        "Without trailing whitespace (or `chars`).",
        rstrip,
    ),
    Entry::method(
        S,
        "split(sep: str|None = None, maxsplit: int = -1) -> list",
        "The parts between `sep` (runs of whitespace by default).",
        split,
    ),
    Entry::method(
        S,
        "replace(old: str, new: str, count: int = -1) -> str",
        "`old` replaced by `new` (`count` times at most).",
        replace,
    ),
    Entry::method(
        S,
        "startswith(prefix: str|list) -> bool",
        "Whether it starts with `prefix` (or one of a tuple of them).",
        startswith,
    ),
    Entry::method(
        S,
        "endswith(suffix: str|list) -> bool",
        "Whether it ends with `suffix` (or one of a tuple of them).",
        endswith,
    ),
    Entry::method(
        S,
        "join(iterable: list) -> str",
        "The strings of `iterable` with this one between them.",
        join,
    ),
    Entry::method(
        S,
        "find(sub: str) -> int",
        "Index of the first `sub`, or -1.",
        find,
    ),
    Entry::method(
        S,
        "count(sub: str) -> int",
        "Non-overlapping occurrences of `sub`.",
        count,
    ),
    Entry::method(
        S,
        "zfill(width: int) -> str",
        "Left-padded with zeros to `width`.",
        zfill,
    ),
    Entry::method(
        S,
        "isdigit() -> bool",
        "Whether every character is a digit (and there is one).",
        isdigit,
    ),
    Entry::method(
        S,
        "format(*args: any, **values: any) -> str",
        "`{}`, `{0}` and `{name}` filled in (format specs after `:` are not supported).",
        format,
    ),
];

fn text(call: &Call) -> Result<String, LangError> {
    match &call.this {
        Value::Str(s) => Ok(s.clone()),
        other => Err(call.wrong_receiver(other)),
    }
}

fn upper(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::Str(text(&call)?.to_uppercase()))
}
fn lower(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::Str(text(&call)?.to_lowercase()))
}
fn title(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut out = String::new();
    let mut start = true;
    for ch in text(&call)?.chars() {
        if start {
            out.extend(ch.to_uppercase());
        } else {
            out.extend(ch.to_lowercase());
        }
        start = !ch.is_alphabetic();
    }
    Ok(Value::Str(out))
}
fn capitalize(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let t = text(&call)?;
    let mut chars = t.chars();
    Ok(Value::Str(match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }))
}

fn trimmed(
    call: &Call,
    f: fn(&str, &[char]) -> String,
    ws: fn(&str) -> String,
) -> Result<Value, LangError> {
    let t = text(call)?;
    Ok(Value::Str(match call.opt_str("chars")? {
        Some(chars) => f(&t, &chars.chars().collect::<Vec<_>>()),
        None => ws(&t),
    }))
}
fn strip(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    trimmed(
        &call,
        |t, c| t.trim_matches(c).to_string(),
        |t| t.trim().to_string(),
    )
}
fn lstrip(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    trimmed(
        &call,
        |t, c| t.trim_start_matches(c).to_string(),
        |t| t.trim_start().to_string(),
    )
}
fn rstrip(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    trimmed(
        &call,
        |t, c| t.trim_end_matches(c).to_string(),
        |t| t.trim_end().to_string(),
    )
}

fn split(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let t = text(&call)?;
    let max = call.int("maxsplit")?;
    let limit = if max < 0 {
        usize::MAX
    } else {
        max as usize + 1
    };
    let parts: Vec<Value> = match call.opt_str("sep")? {
        Some(sep) if sep.is_empty() => {
            return Err(LangError::new("ValueError", "empty separator").at(call.span_of("sep")));
        }
        Some(sep) => t
            .splitn(limit, sep.as_str())
            .map(|p| Value::Str(p.into()))
            .collect(),
        None => {
            let mut out: Vec<Value> = Vec::new();
            let mut rest = t.trim_start();
            while !rest.is_empty() {
                if out.len() + 1 == limit {
                    out.push(Value::Str(rest.trim_end().into()));
                    break;
                }
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                out.push(Value::Str(rest[..end].into()));
                rest = rest[end..].trim_start();
            }
            out
        }
    };
    Ok(Value::List(parts.into()))
}

fn replace(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let t = text(&call)?;
    let (old, new) = (call.str("old")?, call.str("new")?);
    let n = call.int("count")?;
    Ok(Value::Str(if n < 0 {
        t.replace(&old, &new)
    } else {
        t.replacen(&old, &new, n as usize)
    }))
}

fn affixes(call: &Call, param: &str) -> Result<Vec<String>, LangError> {
    match call.value(param) {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(|v| as_str(v, call.span_of(param)))
            .collect(),
        v => Ok(vec![as_str(v, call.span_of(param))?]),
    }
}
fn startswith(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let t = text(&call)?;
    Ok(Value::Bool(
        affixes(&call, "prefix")?
            .iter()
            .any(|p| t.starts_with(p.as_str())),
    ))
}
fn endswith(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let t = text(&call)?;
    Ok(Value::Bool(
        affixes(&call, "suffix")?
            .iter()
            .any(|p| t.ends_with(p.as_str())),
    ))
}

fn join(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let sep = text(&call)?;
    let items = match call.value("iterable") {
        Value::List(items) | Value::Tuple(items) => items.clone(),
        other => {
            return Err(LangError::type_error(format!(
                "can only join an iterable, not {}",
                other.type_name()
            ))
            .at(call.span_of("iterable")));
        }
    };
    let mut parts = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        match v {
            Value::Str(s) => parts.push(s.clone()),
            other => {
                return Err(LangError::type_error(format!(
                    "sequence item {i}: expected str instance, {} found",
                    other.type_name()
                ))
                .at(call.span_of("iterable")));
            }
        }
    }
    Ok(Value::Str(parts.join(&sep)))
}

fn find(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let t = text(&call)?;
    let sub = call.str("sub")?;
    Ok(Value::Int(
        t.find(&sub).map_or(-1, |b| t[..b].chars().count() as i64),
    ))
}
fn count(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let t = text(&call)?;
    let sub = call.str("sub")?;
    Ok(Value::Int(if sub.is_empty() {
        t.chars().count() as i64 + 1
    } else {
        t.matches(sub.as_str()).count() as i64
    }))
}
fn zfill(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let t = text(&call)?;
    let width = call.int("width")?.max(0) as usize;
    let n = t.chars().count();
    if n >= width {
        return Ok(Value::Str(t));
    }
    let (sign, digits) = match t.strip_prefix(['-', '+']) {
        Some(rest) => (&t[..1], rest),
        None => ("", t.as_str()),
    };
    Ok(Value::Str(format!(
        "{sign}{}{digits}",
        "0".repeat(width - n)
    )))
}
fn isdigit(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let t = text(&call)?;
    Ok(Value::Bool(
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()),
    ))
}

/// The text a value gives in `str.format` (Python's `str()`).
fn shown(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Date(d) => d.to_string(),
        Value::Timestamp(t) => t.to_string(),
        other => other.repr(),
    }
}

fn format(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let t = text(&call)?;
    let args = call.rest();
    let kwargs = call.extra();
    let bad = |m: String| LangError::new("ValueError", m).at(call.span);
    let mut out = String::new();
    let mut next = 0;
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut field = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(ch) => field.push(ch),
                        None => return Err(bad("Single '{' encountered in format string".into())),
                    }
                }
                if field.contains([':', '!']) {
                    return Err(LangError::unsupported(format!(
                        "format spec in '{{{field}}}' is not supported"
                    ))
                    .at(call.span)
                    .with_hint("format the value first, e.g. with round(x, 2)"));
                }
                let value = if field.is_empty() {
                    next += 1;
                    args.get(next - 1).map(|(v, _)| v)
                } else if let Ok(i) = field.parse::<usize>() {
                    args.get(i).map(|(v, _)| v)
                } else {
                    kwargs
                        .iter()
                        .find(|(k, _, _)| *k == field)
                        .map(|(_, v, _)| v)
                };
                match value {
                    Some(v) => out.push_str(&shown(v)),
                    None if field.is_empty() || field.parse::<usize>().is_ok() => {
                        return Err(LangError::new(
                            "IndexError",
                            "Replacement index out of range for positional args tuple",
                        )
                        .at(call.span));
                    }
                    None => {
                        return Err(LangError::new("KeyError", format!("'{field}'")).at(call.span));
                    }
                }
            }
            '}' => return Err(bad("Single '}' encountered in format string".into())),
            other => out.push(other),
        }
    }
    Ok(Value::Str(out))
}
