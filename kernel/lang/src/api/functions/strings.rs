//! String functions.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "concat(*cols: ColumnOrName|list) -> Column",
        "Strings joined; null if any input is null.",
        concat,
    ),
    Entry::function(
        F,
        "concat_ws(sep: str, *cols: ColumnOrName|list) -> Column",
        "Strings joined with `sep`, skipping nulls.",
        concat_ws,
    ),
    Entry::function(
        F,
        "upper(col: ColumnOrName) -> Column",
        "Upper case.",
        upper,
    )
    .aliases(&["ucase"]),
    Entry::function(
        F,
        "lower(col: ColumnOrName) -> Column",
        "Lower case.",
        lower,
    )
    .aliases(&["lcase"]),
    Entry::function(
        F,
        "trim(col: ColumnOrName, trim: ColumnOrName = None) -> Column",
        "Without leading and trailing spaces.",
        trim,
    ),
    Entry::function(
        F,
        "ltrim(col: ColumnOrName, trim: ColumnOrName = None) -> Column",
        "Without leading spaces.",
        ltrim,
    ),
    Entry::function(
        F,
        "rtrim(col: ColumnOrName, trim: ColumnOrName = None) -> Column",
        "Without trailing spaces.",
        rtrim,
    ),
    Entry::function(
        F,
        "length(col: ColumnOrName) -> Column",
        "Length in characters.",
        length,
    )
    .aliases(&["char_length", "character_length"]),
    Entry::function(
        F,
        "substring(str: ColumnOrName, pos: int|ColumnOrName, len: int|ColumnOrName = None) -> Column",
        "`len` characters (the rest by default) from 1-based `pos` (negative from the end).",
        substring,
    ),
    Entry::function(
        F,
        "regexp_replace(string: ColumnOrName, pattern: str, replacement: str) -> Column",
        "Replaces every match of a regular expression.",
        regexp_replace,
    ),
    Entry::function(
        F,
        "split(str: ColumnOrName, pattern: str, limit: int = -1) -> Column",
        "Splits around matches of a regular expression into an array (at most `limit` parts when positive).",
        split,
    ),
];

fn columns(items: &[(Value, Span)]) -> Result<Vec<Column>, LangError> {
    items.iter().map(|(v, s)| to_column(v, *s)).collect()
}

fn joined(cols: &[Column], sep: &str, ignore_nulls: bool, label: String) -> Value {
    let exprs: Vec<Expr> = cols
        .iter()
        .map(|c| c.expr.clone().cast(DataType::String))
        .collect();
    Value::Column(Box::new(Column::new(
        concat_str(exprs, sep, ignore_nulls),
        label,
    )))
}

fn names(cols: &[Column]) -> String {
    cols.iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn concat(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let cols = columns(&call.rest_flat())?;
    if cols.is_empty() {
        return Err(LangError::type_error("concat() needs at least one column").at(call.span));
    }
    // Spark's concat is null if any input is null.
    Ok(joined(
        &cols,
        "",
        false,
        format!("concat({})", names(&cols)),
    ))
}

fn concat_ws(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let sep = call.str("sep")?;
    let cols = columns(&call.rest_flat())?;
    let label = format!("concat_ws({sep}, {})", names(&cols));
    Ok(joined(&cols, &sep, true, label))
}

fn unary(call: &Call, label: &str, f: fn(Expr) -> Expr) -> Result<Value, LangError> {
    let c = call.column("col")?;
    // Spark casts a number or date to its text first.
    Ok(Value::Column(Box::new(Column::new(
        f(c.expr.cast(DataType::String)),
        format!("{label}({})", c.name),
    ))))
}

fn upper(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    unary(&call, call.name, |e| e.str().to_uppercase())
}
fn lower(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    unary(&call, call.name, |e| e.str().to_lowercase())
}
fn trim(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    if call.is_none("trim") {
        return unary(&call, "trim", |e| e.str().strip_chars(lit(" ")));
    }
    let c = call.column("col")?;
    let t = crate::api::convert::to_column(call.value("trim"), call.span_of("trim"))?;
    Ok(Value::Column(Box::new(Column::new(
        c.expr.str().strip_chars(t.expr),
        format!("TRIM(BOTH {} FROM {})", t.name, c.name),
    ))))
}
fn ltrim(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    if call.is_none("trim") {
        return unary(&call, "ltrim", |e| e.str().strip_chars_start(lit(" ")));
    }
    let c = call.column("col")?;
    let t = crate::api::convert::to_column(call.value("trim"), call.span_of("trim"))?;
    Ok(Value::Column(Box::new(Column::new(
        c.expr.str().strip_chars_start(t.expr),
        format!("TRIM(LEADING {} FROM {})", t.name, c.name),
    ))))
}
fn rtrim(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    if call.is_none("trim") {
        return unary(&call, "rtrim", |e| e.str().strip_chars_end(lit(" ")));
    }
    let c = call.column("col")?;
    let t = crate::api::convert::to_column(call.value("trim"), call.span_of("trim"))?;
    Ok(Value::Column(Box::new(Column::new(
        c.expr.str().strip_chars_end(t.expr),
        format!("TRIM(TRAILING {} FROM {})", t.name, c.name),
    ))))
}
fn length(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    unary(&call, call.name, |e| {
        e.str().len_chars().cast(DataType::Int32)
    })
}

fn substring(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("str")?;
    // Numbers are positions; strings name columns, as in PySpark.
    let arg = |p: &str| -> Result<Column, LangError> {
        match call.value(p) {
            Value::Int(i) => Ok(Column::new(lit(*i), i.to_string())),
            v => crate::api::convert::to_column(v, call.span_of(p)),
        }
    };
    let pos = arg("pos")?;
    let len = if call.is_none("len") {
        Column::new(lit(i64::from(i32::MAX)), i32::MAX.to_string())
    } else {
        arg("len")?
    };
    Ok(Value::Column(Box::new(substring_of(
        &c,
        &pos,
        &len,
        "substring",
    ))))
}

/// `label(c, pos, len)`: `len` characters from 1-based `pos` (0 is the first character
/// too; negative counts from the end), as Spark's substring.
pub fn substring_of(c: &Column, pos: &Column, len: &Column, label: &str) -> Column {
    let p = pos.expr.clone().cast(DataType::Int64);
    let start = when(p.clone().gt(lit(0)))
        .then(p.clone() - lit(1))
        .otherwise(p);
    let length = len
        .expr
        .clone()
        .cast(DataType::Int64)
        .clip_min(lit(0))
        .cast(DataType::UInt64);
    Column::new(
        c.expr.clone().str().slice(start, length),
        format!("{label}({}, {}, {})", c.name, pos.name, len.name),
    )
}

/// Compiles `pattern` now, as Spark does, so a bad one is reported at its argument.
pub fn check_regex(pattern: &str, span: Span) -> Result<(), LangError> {
    regex::Regex::new(pattern).map(|_| ()).map_err(|e| {
        let detail = e.to_string();
        let last = detail.lines().last().unwrap_or("").trim().to_string();
        LangError::new(
            "PatternSyntaxException",
            format!("invalid regular expression {pattern:?}: {last}"),
        )
        .at(span)
    })
}

fn regexp_replace(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("string")?;
    let pattern = call.str("pattern")?;
    let replacement = call.str("replacement")?;
    check_regex(&pattern, call.span_of("pattern"))?;
    let label = format!("regexp_replace({}, {pattern}, {replacement}, 1)", c.name);
    let expr = c
        .expr
        .str()
        .replace_all(lit(pattern), lit(replacement), false);
    Ok(Value::Column(Box::new(Column::new(expr, label))))
}

fn split(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("str")?;
    let pattern = call.str("pattern")?;
    check_regex(&pattern, call.span_of("pattern"))?;
    let limit = call.int("limit")?;
    let label = format!("split({}, {pattern}, {limit})", c.name);
    // Polars splits on literal text: a pattern with metacharacters first becomes a
    // separator no string holds, each match replaced by it.
    let (text, separator) = match unescaped(&pattern) {
        Some(literal) if !literal.is_empty() => (c.expr, literal),
        _ => (
            c.expr
                .str()
                .replace_all(lit(pattern.clone()), lit(SEPARATOR), false),
            SEPARATOR.to_string(),
        ),
    };
    let parts = if limit > 0 {
        // At most `limit` parts, the last holding the rest, as Java's split.
        text.str()
            .splitn(lit(separator.clone()), limit as usize)
            .map(
                |s| {
                    let ca = s.struct_()?.clone();
                    let fields = ca.fields_as_series();
                    let n = ca.len();
                    let mut rows: Vec<Option<Series>> = Vec::with_capacity(n);
                    for i in 0..n {
                        if ca.get_any_value(i)?.is_null() {
                            rows.push(None);
                            continue;
                        }
                        let items: Vec<Option<String>> = fields
                            .iter()
                            .filter_map(|f| match f.get(i) {
                                Ok(AnyValue::String(v)) => Some(Some(v.to_string())),
                                Ok(AnyValue::StringOwned(v)) => Some(Some(v.to_string())),
                                _ => None,
                            })
                            .collect();
                        rows.push(Some(Series::new("".into(), items)));
                    }
                    let out: ListChunked = rows.into_iter().collect();
                    Ok(out.into_series().into_column())
                },
                |_, f| {
                    Ok(Field::new(
                        f.name().clone(),
                        DataType::List(Box::new(DataType::String)),
                    ))
                },
            )
    } else {
        text.str().split(lit(separator))
    };
    Ok(Value::Column(Box::new(Column::new(parts, label))))
}

/// Stands in for pattern matches while splitting (a private-use character).
const SEPARATOR: &str = "\u{F8FF}";

/// The text a regex matches literally, if it has no unescaped metacharacters.
fn unescaped(pattern: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            // `\.` is a literal dot; `\d` is a class.
            let next = chars
                .next()
                .filter(|n| regex_syntax::is_meta_character(*n))?;
            out.push(next);
        } else if regex_syntax::is_meta_character(c) {
            return None;
        } else {
            out.push(c);
        }
    }
    Some(out)
}
