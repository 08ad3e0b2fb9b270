//! String functions computed value by value: padding, repetition, case, positions. Each
//! runs a Rust function over the column's strings (nulls stay null).

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

use super::by_value::per_row;

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "lpad(col: ColumnOrName, len: int|Column, pad: str|Column) -> Column",
        "Left-padded with `pad` to `len` characters (cut to `len` if longer).",
        lpad,
    ),
    Entry::function(
        F,
        "rpad(col: ColumnOrName, len: int|Column, pad: str|Column) -> Column",
        "Right-padded with `pad` to `len` characters (cut to `len` if longer).",
        rpad,
    ),
    Entry::function(
        F,
        "repeat(col: ColumnOrName, n: int|ColumnOrName) -> Column",
        "The string repeated `n` times.",
        repeat,
    ),
    Entry::function(
        F,
        "initcap(col: ColumnOrName) -> Column",
        "Each word's first letter upper case, the rest lower case.",
        initcap,
    ),
    Entry::function(
        F,
        "reverse(col: ColumnOrName) -> Column",
        "The characters in reverse order.",
        reverse,
    ),
    Entry::function(
        F,
        "instr(str: ColumnOrName, substr: str|Column, pos: int = None, occurrence: int = None) -> Column",
        "1-based position of the first `substr`, 0 when absent.",
        instr,
    ),
    Entry::function(
        F,
        "locate(substr: str, str: ColumnOrName, pos: int = 1) -> Column",
        "1-based position of `substr` at or after `pos`, 0 when absent.",
        locate,
    ),
    Entry::function(
        F,
        "ascii(col: ColumnOrName) -> Column",
        "The code point of the first character (0 for an empty string).",
        ascii,
    ),
];

/// `f` over every non-null string of `c`, as a new string column named `name`.
fn per_string(
    c: Column,
    name: String,
    f: impl Fn(&str) -> String + Send + Sync + 'static,
) -> Value {
    let expr = c.expr.cast(DataType::String).map(
        move |values| {
            let ca = values.str()?;
            let out: StringChunked = ca.apply_values(|s| f(s).into());
            Ok(out.into_series().into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::String)),
    );
    Value::Column(Box::new(Column::new(expr, name)))
}

/// Like [`per_string`] with an integer result.
fn per_string_int(
    c: Column,
    name: String,
    f: impl Fn(&str) -> i32 + Send + Sync + 'static,
) -> Value {
    let expr = c.expr.cast(DataType::String).map(
        move |values| {
            let ca = values.str()?;
            let out: Int32Chunked = ca.apply_nonnull_values_generic(DataType::Int32, &f);
            Ok(out.into_series().into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::Int32)),
    );
    Value::Column(Box::new(Column::new(expr, name)))
}

/// `s` padded with `pad` to `len` characters, on the left or right; cut when longer.
fn pad(s: &str, len: usize, pad: &str, left: bool) -> String {
    let n = s.chars().count();
    if n >= len {
        return s.chars().take(len).collect();
    }
    if pad.is_empty() {
        return s.to_string();
    }
    let fill: String = pad.chars().cycle().take(len - n).collect();
    if left {
        fill + s
    } else {
        s.to_string() + &fill
    }
}

fn padding(call: &Call, left: bool) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let label = if left { "lpad" } else { "rpad" };
    if let (Value::Int(len), Value::Str(p)) = (call.value("len"), call.value("pad")) {
        let (len, p) = ((*len).max(0) as usize, p.clone());
        let name = format!("{label}({}, {len}, {p})", c.name);
        return Ok(per_string(c, name, move |s| pad(s, len, &p, left)));
    }
    let (len, len_name) = argument(call, "len")?;
    let (p, p_name) = argument(call, "pad")?;
    let name = format!("{label}({}, {len_name}, {p_name})", c.name);
    let e = per_row(
        vec![
            c.expr.cast(DataType::String),
            len.cast(DataType::Int64),
            p.cast(DataType::String),
        ],
        DataType::String,
        move |vs| match (&vs[0], &vs[1], &vs[2]) {
            (Value::Str(s), Value::Int(n), Value::Str(p)) => {
                Value::Str(pad(s, (*n).max(0) as usize, p, left))
            }
            _ => Value::None,
        },
    );
    Ok(Value::Column(Box::new(Column::new(e, name))))
}

/// An argument that may be a constant or a column: its expression and its label.
fn argument(call: &Call, param: &str) -> Result<(Expr, String), LangError> {
    match call.value(param) {
        Value::Int(i) => Ok((lit(*i), i.to_string())),
        Value::Str(s) => Ok((lit(s.clone()), s.clone())),
        v => {
            let c = to_column(v, call.span_of(param))?;
            Ok((c.expr, c.name))
        }
    }
}

fn lpad(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    padding(&call, true)
}

fn rpad(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    padding(&call, false)
}

fn repeat(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let too_many = |n: i64| {
        LangError::new("MemoryError", format!("repeat() {n} times is too many"))
            .at(call.span_of("n"))
    };
    // A result past 1 GiB a value would be a bigger cell than a notebook can show.
    let fits = |n: i64| (n.max(0) as usize).saturating_mul(1024) <= 1 << 30;
    if let Value::Int(n) = call.value("n") {
        let n = *n;
        if !fits(n) {
            return Err(too_many(n));
        }
        let times = n.max(0) as usize;
        let name = format!("repeat({}, {n})", c.name);
        return Ok(per_string(c, name, move |s| s.repeat(times)));
    }
    // A string names a column, as in PySpark.
    let n = call.column("n")?;
    let name = format!("repeat({}, {})", c.name, n.name);
    let e = per_row(
        vec![c.expr.cast(DataType::String), n.expr.cast(DataType::Int64)],
        DataType::String,
        move |vs| match (&vs[0], &vs[1]) {
            (Value::Str(s), Value::Int(n)) if fits(*n) => {
                Value::Str(s.repeat((*n).max(0) as usize))
            }
            _ => Value::None,
        },
    );
    Ok(Value::Column(Box::new(Column::new(e, name))))
}

fn initcap(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let name = format!("initcap({})", c.name);
    Ok(per_string(c, name, |s| {
        let mut out = String::with_capacity(s.len());
        let mut start = true;
        for ch in s.chars() {
            if start {
                out.extend(ch.to_uppercase());
            } else {
                out.extend(ch.to_lowercase());
            }
            start = ch == ' ';
        }
        out
    }))
}

fn reverse(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let name = format!("reverse({})", c.name);
    Ok(per_string(c, name, |s| s.chars().rev().collect()))
}

/// 1-based character position of `needle` in `s` at or after character `from` (1-based).
fn position(s: &str, needle: &str, from: usize) -> i32 {
    let skip: usize = s
        .chars()
        .take(from.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    match s.get(skip..).and_then(|rest| rest.find(needle)) {
        Some(byte) => (s[..skip + byte].chars().count() + 1) as i32,
        None => 0,
    }
}

fn instr(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("str")?;
    let pos = call.opt_int("pos")?;
    let occurrence = call.opt_int("occurrence")?;
    let (needle, needle_name) = argument(&call, "substr")?;
    let name = match (pos, occurrence) {
        (None, None) => format!("instr({}, {needle_name})", c.name),
        (p, o) => format!(
            "instr({}, {needle_name}, {}, {})",
            c.name,
            p.unwrap_or(1),
            o.unwrap_or(1)
        ),
    };
    let (from, nth) = (pos.unwrap_or(1), occurrence.unwrap_or(1));
    let e = per_row(
        vec![c.expr.cast(DataType::String), needle.cast(DataType::String)],
        DataType::Int32,
        move |vs| match (&vs[0], &vs[1]) {
            (Value::Str(s), Value::Str(n)) => Value::Int(nth_position(s, n, from, nth) as i64),
            _ => Value::None,
        },
    );
    Ok(Value::Column(Box::new(Column::new(e, name))))
}

/// 1-based character position of the `nth` `needle` at or after character `from`; 0 if none.
fn nth_position(s: &str, needle: &str, from: i64, nth: i64) -> i32 {
    if from < 1 || nth < 1 {
        return 0;
    }
    let mut at = from as usize;
    let mut found = 0;
    for _ in 0..nth {
        found = position(s, needle, at);
        if found == 0 {
            return 0;
        }
        at = found as usize + 1;
    }
    found
}

fn locate(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let needle = call.str("substr")?;
    let c = to_column(call.value("str"), call.span_of("str"))?;
    let pos = call.int("pos")?;
    let name = format!("locate({needle}, {}, {pos})", c.name);
    Ok(per_string_int(c, name, move |s| {
        if pos < 1 {
            0
        } else {
            position(s, &needle, pos as usize)
        }
    }))
}

fn ascii(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let name = format!("ascii({})", c.name);
    Ok(per_string_int(c, name, |s| {
        s.chars().next().map_or(0, |ch| ch as i32)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_and_positions_follow_spark() {
        assert_eq!(pad("abcd", 6, "#", true), "##abcd");
        assert_eq!(pad("abcd", 7, "xy", false), "abcdxyx");
        assert_eq!(pad("abcd", 2, "#", true), "ab");
        assert_eq!(position("abcb", "b", 1), 2);
        assert_eq!(position("abcb", "b", 3), 4);
        assert_eq!(position("ãbc", "c", 1), 3);
        assert_eq!(position("abc", "z", 1), 0);
    }
}
