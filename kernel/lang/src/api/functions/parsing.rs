//! Functions that take text apart, value by value: URLs (`parse_url`, as Java's `URI`
//! splits one), sentences into words, masking characters by class.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

use super::by_value::{per_row, per_value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "parse_url(url: ColumnOrName, partToExtract: ColumnOrName, key: ColumnOrName = None) -> Column",
        "A part of a URL: PROTOCOL, HOST, PATH, QUERY (or one query `key`), REF, FILE, AUTHORITY or USERINFO; an error for a malformed URL.",
        parse_url,
    ),
    Entry::function(
        F,
        "try_parse_url(url: ColumnOrName, partToExtract: ColumnOrName, key: ColumnOrName = None) -> Column",
        "parse_url, null for a malformed URL.",
        try_parse_url,
    ),
    Entry::function(
        F,
        "sentences(string: ColumnOrName, language: ColumnOrName = None, country: ColumnOrName = None) -> Column",
        "The text as an array of sentences, each an array of words.",
        sentences,
    ),
    Entry::function(
        F,
        "mask(col: ColumnOrName, upperChar: ColumnOrName = None, lowerChar: ColumnOrName = None, digitChar: ColumnOrName = None, otherChar: ColumnOrName = None) -> Column",
        "Upper-case letters as `X`, lower-case as `x`, digits as `n` (or the given characters; others as `otherChar` if given).",
        mask,
    ),
];

fn column(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

/// A URL's parts, as `java.net.URI` reads them.
struct Url<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

fn split_url(url: &str) -> Option<Url<'_>> {
    if url.contains(' ') {
        return None;
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (url, None),
    };
    let (scheme, rest) = match rest.find(':') {
        Some(i)
            if i > 0
                && rest[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (Some(&rest[..i]), &rest[i + 1..])
        }
        _ => (None, rest),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => match after.find('/') {
            Some(i) => (Some(&after[..i]), &after[i..]),
            None => (Some(after), ""),
        },
        None => (None, rest),
    };
    Some(Url {
        scheme,
        authority,
        path,
        query,
        fragment,
    })
}

fn url_part(url: &str, part: &str, key: Option<&str>) -> Result<Option<String>, ()> {
    let u = split_url(url).ok_or(())?;
    let host = u.authority.map(|a| {
        let a = a.rsplit_once('@').map_or(a, |(_, h)| h);
        a.split(':').next().unwrap_or(a)
    });
    Ok(match (part, key) {
        ("QUERY", Some(k)) => u.query.and_then(|q| {
            q.split('&').find_map(|kv| match kv.split_once('=') {
                Some((name, v)) if name == k => Some(v.to_string()),
                _ => None,
            })
        }),
        (_, Some(_)) => None,
        ("PROTOCOL", _) => u.scheme.map(str::to_string),
        ("HOST", _) => host.map(str::to_string),
        ("PATH", _) => Some(u.path.to_string()),
        ("QUERY", _) => u.query.map(str::to_string),
        ("REF", _) => u.fragment.map(str::to_string),
        ("AUTHORITY", _) => u.authority.map(str::to_string),
        ("USERINFO", _) => u
            .authority
            .and_then(|a| a.rsplit_once('@').map(|(user, _)| user.to_string())),
        ("FILE", _) => Some(match u.query {
            Some(q) => format!("{}?{q}", u.path),
            None => u.path.to_string(),
        }),
        _ => None,
    })
}

fn parse_url_call(call: &Call, lenient: bool) -> Result<Value, LangError> {
    let mut cols = vec![call.column("url")?, call.column("partToExtract")?];
    if !call.is_none("key") {
        cols.push(call.column("key")?);
    }
    let label = format!(
        "{}({})",
        call.name,
        cols.iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let bad = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let seen = bad.clone();
    let e = per_row(
        cols.into_iter()
            .map(|c| c.expr.cast(DataType::String))
            .collect(),
        DataType::String,
        move |vs| {
            let text = |i: usize| match vs.get(i) {
                Some(Value::Str(s)) => Some(s.as_str()),
                _ => None,
            };
            let (Some(url), Some(part)) = (text(0), text(1)) else {
                return Value::None;
            };
            match url_part(url, part, text(2)) {
                Ok(Some(s)) => Value::Str(s),
                Ok(None) => Value::None,
                Err(()) => {
                    seen.lock()
                        .expect("not poisoned")
                        .get_or_insert_with(|| url.to_string());
                    Value::None
                }
            }
        },
    );
    let e = if lenient {
        e
    } else {
        e.map(
            move |c| match bad.lock().expect("not poisoned").take() {
                Some(url) => Err(polars_err!(ComputeError:
                    "[INVALID_URL] The url is invalid: {url}. Use try_parse_url to tolerate invalid URLs")),
                None => Ok(c),
            },
            |_, f| Ok(f.clone()),
        )
    };
    column(e, label)
}

fn parse_url(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    parse_url_call(&call, false)
}

fn try_parse_url(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    parse_url_call(&call, true)
}

fn label_of(call: &Call, param: &str) -> Result<String, LangError> {
    Ok(if call.is_none(param) {
        String::new()
    } else {
        to_column(call.value(param), call.span_of(param))?.name
    })
}

fn sentences(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("string")?;
    let label = format!(
        "sentences({}, {}, {})",
        c.name,
        label_of(&call, "language")?,
        label_of(&call, "country")?
    );
    let words = DataType::List(Box::new(DataType::List(Box::new(DataType::String))));
    let e = c.expr.cast(DataType::String).map(
        |col| {
            let s = col.as_materialized_series();
            let out: ListChunked = s
                .str()?
                .iter()
                .map(|v| {
                    v.map(|text| {
                        let inner: ListChunked = split_sentences(text)
                            .into_iter()
                            .map(|ws| Some(Series::new("".into(), ws)))
                            .collect();
                        inner.into_series()
                    })
                })
                .collect();
            Ok(out.with_name(s.name().clone()).into_series().into_column())
        },
        move |_, f| Ok(Field::new(f.name().clone(), words.clone())),
    );
    column(e, label)
}

/// Sentences end at `.`, `!` or `?`; words are runs of letters, digits and apostrophes.
fn split_sentences(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for sentence in text.split(['.', '!', '?']) {
        let words: Vec<String> = sentence
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if !words.is_empty() {
            out.push(words);
        }
    }
    out
}

fn mask(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let mut chars: Vec<Option<char>> = Vec::new();
    let mut labels = vec![c.name.clone()];
    for (param, default) in [
        ("upperChar", Some('X')),
        ("lowerChar", Some('x')),
        ("digitChar", Some('n')),
        ("otherChar", None),
    ] {
        let given = match call.value(param) {
            Value::None => default,
            Value::Str(s) => s.chars().next(),
            Value::Column(col) => match crate::api::convert::literal_text(&col.expr) {
                Some(s) => s.chars().next(),
                None if matches!(col.expr, Expr::Literal(_)) => None,
                None => {
                    return Err(LangError::unsupported(
                        "mask() with a replacement character from a column is not supported",
                    )
                    .at(call.span_of(param)));
                }
            },
            other => {
                return Err(LangError::type_error(format!(
                    "mask() takes a one-character string, not {}",
                    other.type_name()
                ))
                .at(call.span_of(param)));
            }
        };
        labels.push(match given {
            Some(ch) => ch.to_string(),
            None => "NULL".into(),
        });
        chars.push(given);
    }
    let [upper, lower, digit, other] = [chars[0], chars[1], chars[2], chars[3]];
    let e = per_value(c.expr.cast(DataType::String), DataType::String, move |v| {
        let Value::Str(s) = v else {
            return Value::None;
        };
        let masked = s
            .chars()
            .map(|ch| {
                let with = if ch.is_uppercase() {
                    upper
                } else if ch.is_lowercase() {
                    lower
                } else if ch.is_ascii_digit() {
                    digit
                } else {
                    other
                };
                with.unwrap_or(ch)
            })
            .collect();
        Value::Str(masked)
    });
    column(e, format!("mask({})", labels.join(", ")))
}
