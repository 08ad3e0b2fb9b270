//! Finding and cutting substrings, and encoding strings for URLs and base64. As in
//! PySpark, string arguments name columns where the parameter is a column.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::{to_column, value_column};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "contains(left: ColumnOrName, right: ColumnOrName) -> Column",
        "Whether `right` occurs in `left`.",
        contains,
    ),
    Entry::function(
        F,
        "startswith(str: ColumnOrName, prefix: ColumnOrName) -> Column",
        "Whether the string starts with `prefix`.",
        startswith,
    ),
    Entry::function(
        F,
        "endswith(str: ColumnOrName, suffix: ColumnOrName) -> Column",
        "Whether the string ends with `suffix`.",
        endswith,
    ),
    Entry::function(
        F,
        "btrim(str: ColumnOrName, trim: ColumnOrName = None) -> Column",
        "Removes the characters of `trim` (spaces by default) from both ends.",
        btrim,
    ),
    Entry::function(
        F,
        "split_part(src: ColumnOrName, delimiter: ColumnOrName, partNum: ColumnOrName) -> Column",
        "Part `partNum` (1-based, negative from the end) of the string split on `delimiter`; empty past the end.",
        split_part,
    ),
    Entry::function(
        F,
        "substring_index(str: ColumnOrName, delim: str, count: int) -> Column",
        "Everything before the `count`-th `delim` (after it, from the end, when negative).",
        substring_index,
    ),
    Entry::function(
        F,
        "position(substr: ColumnOrName, str: ColumnOrName, start: ColumnOrName = None) -> Column",
        "1-based position of `substr` in `str` from `start`; 0 when absent.",
        position,
    ),
    Entry::function(
        F,
        "url_encode(str: ColumnOrName) -> Column",
        "The string encoded for a URL query (application/x-www-form-urlencoded).",
        url_encode,
    ),
    Entry::function(
        F,
        "url_decode(str: ColumnOrName) -> Column",
        "A URL-encoded string decoded.",
        url_decode,
    ),
    Entry::function(
        F,
        "base64(col: ColumnOrName) -> Column",
        "The string's UTF-8 bytes in base64.",
        base64,
    ),
];

fn named(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

/// Both arguments as columns (strings name columns).
fn pair(call: &Call, a: &str, b: &str) -> Result<(Column, Column), LangError> {
    Ok((
        to_column(call.value(a), call.span_of(a))?,
        to_column(call.value(b), call.span_of(b))?,
    ))
}

fn contains(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (l, r) = pair(&call, "left", "right")?;
    named(
        l.expr.str().contains_literal(r.expr),
        format!("contains({}, {})", l.name, r.name),
    )
}

fn startswith(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (s, p) = pair(&call, "str", "prefix")?;
    named(
        s.expr.str().starts_with(p.expr),
        format!("startswith({}, {})", s.name, p.name),
    )
}

fn endswith(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (s, p) = pair(&call, "str", "suffix")?;
    named(
        s.expr.str().ends_with(p.expr),
        format!("endswith({}, {})", s.name, p.name),
    )
}

fn btrim(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let s = call.column("str")?;
    if call.is_none("trim") {
        return named(
            s.expr.str().strip_chars(lit(" ")),
            format!("btrim({})", s.name),
        );
    }
    let t = to_column(call.value("trim"), call.span_of("trim"))?;
    named(
        s.expr.str().strip_chars(t.expr),
        format!("btrim({}, {})", s.name, t.name),
    )
}

fn split_part(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (s, d) = pair(&call, "src", "delimiter")?;
    let n = to_column(call.value("partNum"), call.span_of("partNum"))?;
    let parts = s.expr.str().split(d.expr);
    let len = parts.clone().list().len().cast(DataType::Int64);
    let k = n.expr.cast(DataType::Int64);
    let index = when(k.clone().gt(lit(0)))
        .then(k.clone() - lit(1))
        .otherwise(len + k.clone());
    let part = parts.list().get(index, true).fill_null(lit(""));
    let expr = when(k.eq(lit(0)))
        .then(lit(NULL).cast(DataType::String))
        .otherwise(part);
    named(
        expr,
        format!("split_part({}, {}, {})", s.name, d.name, n.name),
    )
}

fn substring_index(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let s = call.column("str")?;
    let delim = call.str("delim")?;
    let count = call.int("count")?;
    let name = format!("substring_index({}, {delim}, {count})", s.name);
    if count == 0 || delim.is_empty() {
        return named(
            when(s.expr.is_null()).then(lit(NULL)).otherwise(lit("")),
            name,
        );
    }
    let parts = s.expr.str().split(lit(delim.clone()));
    let kept = if count > 0 {
        parts.list().head(lit(count))
    } else {
        parts.list().tail(lit(-count))
    };
    named(kept.list().join(lit(delim), false), name)
}

fn position(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (sub, s) = pair(&call, "substr", "str")?;
    let start = match call.value("start") {
        Value::None => Column::new(lit(1i64), "1"),
        v @ Value::Int(_) => value_column(v, call.span_of("start"))?,
        v => to_column(v, call.span_of("start"))?,
    };
    let from = (start.expr.cast(DataType::Int64) - lit(1)).clip_min(lit(0));
    let rest = s.expr.clone().str().slice(from.clone(), lit(NULL));
    let byte = rest.clone().str().find_literal(sub.expr);
    let chars = rest
        .str()
        .head(byte)
        .str()
        .len_chars()
        .cast(DataType::Int64);
    let found = (chars + from + lit(1)).fill_null(lit(0i64));
    named(
        when(s.expr.is_null()).then(lit(NULL)).otherwise(found),
        format!("position({}, {}, {})", sub.name, s.name, start.name),
    )
}

/// Java's URLEncoder: letters, digits and `.-*_` stay, space is `+`, the rest `%XX` of
/// its UTF-8 bytes.
fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Java's URLDecoder; `None` for a malformed escape (Spark's error).
fn form_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// A string function applied value by value.
fn per_value(e: Expr, f: fn(&str) -> Result<String, String>) -> Expr {
    e.map(
        move |c| {
            let ca = c.as_materialized_series().str()?.clone();
            let mut out = Vec::with_capacity(ca.len());
            for v in ca.iter() {
                out.push(match v {
                    Some(text) => Some(f(text).map_err(|m| polars_err!(ComputeError: "{}", m))?),
                    None => None,
                });
            }
            let ca: StringChunked = out.into_iter().collect();
            Ok(ca.into_series().into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
    )
}

fn url_encode(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let s = call.column("str")?;
    named(
        per_value(s.expr.cast(DataType::String), |t| Ok(form_encode(t))),
        format!("url_encode({})", s.name),
    )
}

fn url_decode(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let s = call.column("str")?;
    named(
        per_value(s.expr.cast(DataType::String), |t| {
            form_decode(t).ok_or_else(|| {
                format!("[CANNOT_DECODE_URL] The provided URL cannot be decoded: {t}.")
            })
        }),
        format!("url_decode({})", s.name),
    )
}

fn base64(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    named(
        c.expr
            .cast(DataType::String)
            .cast(DataType::Binary)
            .binary()
            .base64_encode(),
        format!("base64({})", c.name),
    )
}

#[cfg(test)]
mod tests {
    use super::{form_decode, form_encode};

    #[test]
    fn url_forms_encode_as_java_does() {
        assert_eq!(form_encode("Hello World!"), "Hello+World%21");
        assert_eq!(
            form_encode("~!@#$%^&*()_+"),
            "%7E%21%40%23%24%25%5E%26*%28%29_%2B"
        );
        assert_eq!(form_encode("你好"), "%E4%BD%A0%E5%A5%BD");
        assert_eq!(
            form_decode("Hello+World%21").as_deref(),
            Some("Hello World!")
        );
        assert_eq!(form_decode("%E4%BD%A0%E5%A5%BD").as_deref(), Some("你好"));
        assert_eq!(form_decode("bad%2"), None);
    }
}
