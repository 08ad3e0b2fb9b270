//! Regular expressions and SQL patterns over strings: matching (`rlike`, `like`,
//! `ilike`), counting, finding and extracting. Patterns are columns or, as strings,
//! column names (`sf.lit(r"\d+")` for a constant), as in PySpark; constant patterns are
//! checked when the call is made.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::literal_text;
use crate::api::convert::{to_column, value_column};
use crate::api::entry::Entry;
use crate::api::functions::strings::check_regex;
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "rlike(str: ColumnOrName, regexp: ColumnOrName) -> Column",
        "Whether the string has a match of the regular expression.",
        rlike,
    ),
    Entry::function(
        F,
        "regexp(str: ColumnOrName, regexp: ColumnOrName) -> Column",
        "Whether the string has a match of the regular expression.",
        rlike,
    ),
    Entry::function(
        F,
        "regexp_like(str: ColumnOrName, regexp: ColumnOrName) -> Column",
        "Whether the string has a match of the regular expression.",
        rlike,
    ),
    Entry::function(
        F,
        "regexp_count(str: ColumnOrName, regexp: ColumnOrName) -> Column",
        "How many times the regular expression matches.",
        regexp_count,
    ),
    Entry::function(
        F,
        "regexp_extract(str: ColumnOrName, pattern: str, idx: int) -> Column",
        "Group `idx` of the first match (empty when nothing matches).",
        regexp_extract,
    ),
    Entry::function(
        F,
        "regexp_extract_all(str: ColumnOrName, regexp: ColumnOrName, idx: int|Column = None) -> Column",
        "Group `idx` (1 by default) of every match, as an array.",
        regexp_extract_all,
    ),
    Entry::function(
        F,
        "regexp_substr(str: ColumnOrName, regexp: ColumnOrName) -> Column",
        "The first match (null when nothing matches).",
        regexp_substr,
    ),
    Entry::function(
        F,
        "regexp_instr(str: ColumnOrName, regexp: ColumnOrName, idx: int|Column = None) -> Column",
        "1-based position of the first match (0 when nothing matches).",
        regexp_instr,
    ),
    Entry::function(
        F,
        "like(str: ColumnOrName, pattern: ColumnOrName, escapeChar: Column = None) -> Column",
        "SQL LIKE: `%` any run of characters, `_` one character.",
        like,
    ),
    Entry::function(
        F,
        "ilike(str: ColumnOrName, pattern: ColumnOrName, escapeChar: Column = None) -> Column",
        "SQL LIKE, ignoring case.",
        like,
    ),
];

fn named(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

/// A constant pattern is checked now, so a bad one fails at the call.
fn checked(c: Column, span: Span) -> Result<Column, LangError> {
    if let Some(pattern) = literal_text(&c.expr) {
        check_regex(&pattern, span)?;
    }
    Ok(c)
}

fn args(call: &Call, pattern: &str) -> Result<(Column, Column), LangError> {
    let s = call.column("str")?;
    let p = checked(
        to_column(call.value(pattern), call.span_of(pattern))?,
        call.span_of(pattern),
    )?;
    Ok((s, p))
}

fn rlike(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (s, p) = args(&call, "regexp")?;
    let label = call.name.to_uppercase();
    named(
        s.expr.str().contains(p.expr, true),
        format!("{label}({}, {})", s.name, p.name),
    )
}

fn regexp_count(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (s, p) = args(&call, "regexp")?;
    named(
        s.expr
            .str()
            .count_matches(p.expr, false)
            .cast(DataType::Int32),
        format!("regexp_count({}, {})", s.name, p.name),
    )
}

fn regexp_extract(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let s = call.column("str")?;
    let pattern = call.str("pattern")?;
    checked(
        Column::new(lit(pattern.clone()), ""),
        call.span_of("pattern"),
    )?;
    let idx = call.int("idx")?;
    let group = usize::try_from(idx).map_err(|_| {
        LangError::new(
            "IllegalArgumentException",
            format!("The specified group index {idx} is negative."),
        )
        .at(call.span_of("idx"))
    })?;
    // No match is the empty string in Spark (null only for a null input).
    let expr = when(s.expr.clone().is_null()).then(lit(NULL)).otherwise(
        s.expr
            .str()
            .extract(lit(pattern.clone()), group)
            .fill_null(lit("")),
    );
    named(
        expr,
        format!("regexp_extract({}, {pattern}, {idx})", s.name),
    )
}

/// The group index argument: 1 by default for `extract_all`, 0 for `instr`.
fn group(call: &Call, default: i64) -> Result<i64, LangError> {
    match call.value("idx") {
        Value::None => Ok(default),
        Value::Int(i) => Ok(*i),
        Value::Column(c) => match &c.expr {
            Expr::Literal(v) => v
                .to_any_value()
                .and_then(|a| a.extract::<i64>())
                .ok_or_else(|| {
                    LangError::type_error("the group index must be an integer")
                        .at(call.span_of("idx"))
                }),
            _ => Err(
                LangError::unsupported("a group index from a column is not supported")
                    .at(call.span_of("idx"))
                    .with_hint("pass the index as a number"),
            ),
        },
        other => Err(LangError::type_error(format!(
            "the group index must be an integer, not {}",
            other.type_name()
        ))
        .at(call.span_of("idx"))),
    }
}

fn regexp_extract_all(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (s, p) = args(&call, "regexp")?;
    let idx = group(&call, 1)?;
    // Every match, then the group of each: the pattern is a constant here.
    let Some(pattern) = literal_text(&p.expr) else {
        return Err(LangError::unsupported(
            "regexp_extract_all with a pattern from a column is not supported",
        )
        .at(call.span_of("regexp"))
        .with_hint("pass the pattern as sf.lit(...)"));
    };
    let group = usize::try_from(idx).unwrap_or(0);
    let expr = s
        .expr
        .str()
        .extract_all(lit(pattern.clone()))
        .list()
        .eval(element().str().extract(lit(pattern), group));
    named(
        expr,
        format!("regexp_extract_all({}, {}, {idx})", s.name, p.name),
    )
}

fn regexp_substr(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (s, p) = args(&call, "regexp")?;
    named(
        s.expr.str().extract(p.expr, 0),
        format!("regexp_substr({}, {})", s.name, p.name),
    )
}

fn regexp_instr(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (s, p) = args(&call, "regexp")?;
    let idx = group(&call, 0)?;
    // Polars finds a byte offset; Spark counts characters from 1.
    let before = s
        .expr
        .clone()
        .str()
        .head(s.expr.clone().str().find(p.expr, true));
    let position = (before.str().len_chars().cast(DataType::Int32) + lit(1)).fill_null(lit(0));
    let expr = when(s.expr.is_null()).then(lit(NULL)).otherwise(position);
    named(expr, format!("regexp_instr({}, {}, {idx})", s.name, p.name))
}

/// A SQL LIKE pattern as a regular expression anchored at both ends.
pub fn like_regex(pattern: &str, escape: char, ignore_case: bool) -> String {
    let mut out = String::from(if ignore_case { "(?is)^" } else { "(?s)^" });
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c == escape => {
                if let Some(next) = chars.next() {
                    out.push_str(&regex::escape(&next.to_string()));
                }
            }
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            other => out.push_str(&regex::escape(&other.to_string())),
        }
    }
    out.push('$');
    out
}

fn like(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let s = call.column("str")?;
    let p = to_column(call.value("pattern"), call.span_of("pattern"))?;
    let escape = match call.value("escapeChar") {
        Value::None => '\\',
        v => {
            let c = value_column(v, call.span_of("escapeChar"))?;
            literal_text(&c.expr)
                .and_then(|t| t.chars().next())
                .unwrap_or('\\')
        }
    };
    let ignore_case = call.name == "ilike";
    // A pattern from a column is turned into a regular expression row by row.
    let regex = p.expr.clone().map(
        move |c| {
            let ca = c.as_materialized_series().str()?.clone();
            let out: StringChunked = ca
                .iter()
                .map(|v| v.map(|p| like_regex(p, escape, ignore_case)))
                .collect();
            Ok(out.into_series().into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
    );
    let label = if ignore_case { "ilike" } else { "like" };
    named(
        s.expr.str().contains(regex, true),
        format!("{label}({}, {})", s.name, p.name),
    )
}

#[cfg(test)]
mod tests {
    use super::like_regex;

    #[test]
    fn like_patterns_become_anchored_regexes() {
        assert_eq!(like_regex("a%b_", '\\', false), "(?s)^a.*b.$");
        assert_eq!(like_regex("100\\%", '\\', false), "(?s)^100%$");
        assert_eq!(like_regex("a.b", '/', true), "(?is)^a\\.b$");
    }
}
