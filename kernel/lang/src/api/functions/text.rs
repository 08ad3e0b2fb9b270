//! String functions computed value by value: translation, edit distance, soundex,
//! overlaying, left/right parts, number formatting, character codes, hex, set lookups and
//! digests (RustCrypto's md-5, sha1, sha2; crc32fast). Each is a small function over one
//! value, so it follows Spark's own definition rather than an approximation.

use polars::prelude::*;
use sha2::Digest;

use super::by_value::{per_pair, per_value};
use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "translate(srcCol: ColumnOrName, matching: str, replace: str) -> Column",
        "Each character of `matching` replaced by the one at its place in `replace` (dropped past its end).",
        translate,
    ),
    Entry::function(
        F,
        "levenshtein(left: ColumnOrName, right: ColumnOrName, threshold: int = None) -> Column",
        "The edit distance; -1 when above `threshold`.",
        levenshtein,
    ),
    Entry::function(
        F,
        "soundex(col: ColumnOrName) -> Column",
        "The Soundex code.",
        soundex,
    ),
    Entry::function(
        F,
        "overlay(src: ColumnOrName, replace: ColumnOrName, pos: int|ColumnOrName, len: int|ColumnOrName = -1) -> Column",
        "`src` with `len` characters from 1-based `pos` replaced by `replace` (its length by default).",
        overlay,
    ),
    Entry::function(
        F,
        "left(str: ColumnOrName, len: ColumnOrName) -> Column",
        "The leftmost `len` characters.",
        left,
    ),
    Entry::function(
        F,
        "right(str: ColumnOrName, len: ColumnOrName) -> Column",
        "The rightmost `len` characters.",
        right,
    ),
    Entry::function(
        F,
        "format_number(col: ColumnOrName, d: int) -> Column",
        "The number with thousands separators, rounded half-even to `d` decimals.",
        format_number,
    ),
    Entry::function(
        F,
        "chr(col: ColumnOrName) -> Column",
        "The character with that code (modulo 256).",
        chr,
    ),
    Entry::function(
        F,
        "char(col: ColumnOrName) -> Column",
        "The character with that code (modulo 256).",
        chr,
    ),
    Entry::function(
        F,
        "find_in_set(str: ColumnOrName, str_array: ColumnOrName) -> Column",
        "1-based index of `str` in the comma-separated list; 0 when absent.",
        find_in_set,
    ),
    Entry::function(
        F,
        "hex(col: ColumnOrName) -> Column",
        "A number in hexadecimal, or a string's bytes.",
        hex,
    ),
    Entry::function(
        F,
        "octet_length(col: ColumnOrName) -> Column",
        "Length in bytes.",
        octet_length,
    ),
    Entry::function(
        F,
        "bit_length(col: ColumnOrName) -> Column",
        "Length in bits.",
        bit_length,
    ),
    Entry::function(
        F,
        "md5(col: ColumnOrName) -> Column",
        "MD5 digest as hex.",
        md5,
    ),
    Entry::function(
        F,
        "sha1(col: ColumnOrName) -> Column",
        "SHA-1 digest as hex.",
        sha1,
    ),
    Entry::function(
        F,
        "sha2(col: ColumnOrName, numBits: int) -> Column",
        "SHA-2 digest (224, 256, 384 or 512 bits; 0 is 256) as hex.",
        sha2,
    ),
    Entry::function(
        F,
        "crc32(col: ColumnOrName) -> Column",
        "CRC-32 checksum.",
        crc32,
    ),
];

fn named(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

fn text(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        other => crate::api::python::text_of(other),
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Float(f) => Some(*f as i64),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn translate(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("srcCol")?;
    let (from, to) = (call.str("matching")?, call.str("replace")?);
    let map: Vec<(char, Option<char>)> = {
        let mut seen = Vec::new();
        let to: Vec<char> = to.chars().collect();
        for (i, ch) in from.chars().enumerate() {
            if !seen.iter().any(|(c, _)| *c == ch) {
                seen.push((ch, to.get(i).copied()));
            }
        }
        seen
    };
    let expr = per_value(c.expr, DataType::String, move |v| {
        Value::Str(
            text(v)
                .chars()
                .filter_map(|ch| match map.iter().find(|(c, _)| *c == ch) {
                    Some((_, to)) => *to,
                    None => Some(ch),
                })
                .collect(),
        )
    });
    named(expr, format!("translate({}, {from}, {to})", c.name))
}

fn levenshtein(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let l = to_column(call.value("left"), call.span_of("left"))?;
    let r = to_column(call.value("right"), call.span_of("right"))?;
    let threshold = call.opt_int("threshold")?;
    let expr = per_pair(l.expr, r.expr, DataType::Int32, move |a, b| {
        let d = strsim::levenshtein(&text(a), &text(b)) as i64;
        Value::Int(match threshold {
            Some(t) if d > t => -1,
            _ => d,
        })
    });
    let name = match threshold {
        Some(t) => format!("levenshtein({}, {}, {t})", l.name, r.name),
        None => format!("levenshtein({}, {})", l.name, r.name),
    };
    named(expr, name)
}

/// American Soundex, as Spark computes it.
fn soundex_of(s: &str) -> String {
    let code = |c: char| match c.to_ascii_uppercase() {
        'B' | 'F' | 'P' | 'V' => '1',
        'C' | 'G' | 'J' | 'K' | 'Q' | 'S' | 'X' | 'Z' => '2',
        'D' | 'T' => '3',
        'L' => '4',
        'M' | 'N' => '5',
        'R' => '6',
        'H' | 'W' => '-',
        _ => '0',
    };
    let mut chars = s.chars();
    let Some(first) = chars.next().filter(char::is_ascii_alphabetic) else {
        return s.to_string();
    };
    let mut out = String::from(first.to_ascii_uppercase());
    let mut last = code(first);
    for c in chars {
        let d = code(c);
        if d == '-' {
            continue;
        }
        if d != '0' && d != last {
            out.push(d);
            if out.len() == 4 {
                break;
            }
        }
        last = d;
    }
    while out.len() < 4 {
        out.push('0');
    }
    out
}

fn soundex(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let expr = per_value(c.expr, DataType::String, |v| {
        Value::Str(soundex_of(&text(v)))
    });
    named(expr, format!("soundex({})", c.name))
}

fn number_arg(call: &Call, p: &str) -> Result<Column, LangError> {
    match call.value(p) {
        Value::Int(i) => Ok(Column::new(lit(*i), i.to_string())),
        v => to_column(v, call.span_of(p)),
    }
}

fn overlay(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let src = to_column(call.value("src"), call.span_of("src"))?;
    let rep = to_column(call.value("replace"), call.span_of("replace"))?;
    let pos = number_arg(&call, "pos")?;
    let len = number_arg(&call, "len")?;
    let args = as_struct(vec![
        src.expr.alias("s"),
        rep.expr.alias("r"),
        pos.expr.alias("p"),
        len.expr.alias("l"),
    ]);
    let expr = per_value(args, DataType::String, |v| {
        let Value::Row(f) = v else {
            return Value::None;
        };
        let get = |i: usize| f.get(i).map(|(_, v)| v.clone()).unwrap_or(Value::None);
        let (s, r) = (text(&get(0)), text(&get(1)));
        let (Some(p), Some(l)) = (int(&get(2)), int(&get(3))) else {
            return Value::None;
        };
        let chars: Vec<char> = s.chars().collect();
        let start = (p.max(1) - 1) as usize;
        let len = if l < 0 { r.chars().count() } else { l as usize };
        let head: String = chars.iter().take(start).collect();
        let tail: String = chars.iter().skip(start + len).collect();
        Value::Str(format!("{head}{r}{tail}"))
    });
    named(
        expr,
        format!(
            "overlay({}, {}, {}, {})",
            src.name, rep.name, pos.name, len.name
        ),
    )
}

fn side(call: &Call, from_left: bool) -> Result<Value, LangError> {
    let s = call.column("str")?;
    let n = to_column(call.value("len"), call.span_of("len"))?;
    let expr = per_pair(s.expr, n.expr, DataType::String, move |a, b| {
        let chars: Vec<char> = text(a).chars().collect();
        let n = int(b).unwrap_or(0).clamp(0, chars.len() as i64) as usize;
        Value::Str(if from_left {
            chars[..n].iter().collect()
        } else {
            chars[chars.len() - n..].iter().collect()
        })
    });
    named(expr, format!("{}({}, {})", call.name, s.name, n.name))
}

fn left(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    side(&call, true)
}
fn right(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    side(&call, false)
}

/// `1234.5` as `1,234.5000` with `d` decimals, half-even as Java's DecimalFormat.
fn grouped(x: f64, d: usize) -> String {
    let scale = 10f64.powi(d as i32);
    let scaled = x * scale;
    let rounded = if (scaled - scaled.trunc()).abs() == 0.5 {
        let t = scaled.trunc();
        if t % 2.0 == 0.0 {
            t
        } else {
            t + scaled.signum()
        }
    } else {
        scaled.round()
    } / scale;
    let text = format!("{:.*}", d, rounded.abs());
    let (int_part, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

fn format_number(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let d = call.int("d")?;
    let expr = if d < 0 {
        lit(NULL).cast(DataType::String)
    } else {
        per_value(c.expr, DataType::String, move |v| match v {
            Value::Int(i) => Value::Str(grouped(*i as f64, d as usize)),
            Value::Float(f) => Value::Str(grouped(*f, d as usize)),
            _ => Value::None,
        })
    };
    named(expr, format!("format_number({}, {d})", c.name))
}

fn chr(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let expr = per_value(c.expr, DataType::String, |v| match int(v) {
        Some(n) if n < 0 => Value::Str(String::new()),
        Some(n) => Value::Str(char::from((n % 256) as u8).to_string()),
        None => Value::None,
    });
    named(expr, format!("{}({})", call.name, c.name))
}

fn find_in_set(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let s = to_column(call.value("str"), call.span_of("str"))?;
    let set = to_column(call.value("str_array"), call.span_of("str_array"))?;
    let expr = per_pair(s.expr, set.expr, DataType::Int32, |a, b| {
        let needle = text(a);
        if needle.contains(',') {
            return Value::Int(0);
        }
        Value::Int(
            text(b)
                .split(',')
                .position(|x| x == needle)
                .map_or(0, |i| i as i64 + 1),
        )
    });
    named(expr, format!("find_in_set({}, {})", s.name, set.name))
}

fn hex(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let expr = per_value(c.expr, DataType::String, |v| match v {
        Value::Int(i) => Value::Str(format!("{:X}", *i)),
        Value::Bool(b) => Value::Str(format!("{:X}", i64::from(*b))),
        other => Value::Str(text(other).bytes().map(|b| format!("{b:02X}")).collect()),
    });
    named(expr, format!("hex({})", c.name))
}

fn octet_length(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let expr = c
        .expr
        .cast(DataType::String)
        .str()
        .len_bytes()
        .cast(DataType::Int32);
    named(expr, format!("octet_length({})", c.name))
}

fn bit_length(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let expr = c
        .expr
        .cast(DataType::String)
        .str()
        .len_bytes()
        .cast(DataType::Int32)
        * lit(8);
    named(expr, format!("bit_length({})", c.name))
}

fn digest(call: &Call, label: String, f: fn(&[u8]) -> String) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let expr = per_value(c.expr, DataType::String, move |v| {
        Value::Str(f(text(v).as_bytes()))
    });
    named(expr, label.replace("{}", &c.name))
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn md5(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    digest(&call, "md5({})".into(), |b| hex_of(&md5::Md5::digest(b)))
}
fn sha1(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    digest(&call, "sha1({})".into(), |b| hex_of(&sha1::Sha1::digest(b)))
}
fn sha2(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let bits = call.int("numBits")?;
    let f: Option<fn(&[u8]) -> String> = match bits {
        224 => Some(|b| hex_of(&sha2::Sha224::digest(b))),
        0 | 256 => Some(|b| hex_of(&sha2::Sha256::digest(b))),
        384 => Some(|b| hex_of(&sha2::Sha384::digest(b))),
        512 => Some(|b| hex_of(&sha2::Sha512::digest(b))),
        _ => None,
    };
    match f {
        Some(f) => digest(&call, format!("sha2({{}}, {bits})"), f),
        // Spark's answer for an unsupported length is null.
        None => {
            let c = call.column("col")?;
            named(
                lit(NULL).cast(DataType::String),
                format!("sha2({}, {bits})", c.name),
            )
        }
    }
}
fn crc32(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let expr = per_value(c.expr, DataType::Int64, |v| {
        Value::Int(i64::from(crc32fast::hash(text(v).as_bytes())))
    });
    named(expr, format!("crc32({})", c.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_numbers_match_known_values() {
        assert_eq!(soundex_of("Peters"), "P362");
        assert_eq!(soundex_of("Uhrbach"), "U612");
        assert_eq!(grouped(5.0, 4), "5.0000");
        assert_eq!(grouped(1234567.891, 2), "1,234,567.89");
    }
}
