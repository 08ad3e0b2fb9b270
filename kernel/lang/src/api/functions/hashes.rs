//! Spark's row hashes: `hash` (Murmur3 x86 32-bit, seed 42, Spark's own handling of a
//! string's last bytes) and `xxhash64` (XXH64, seed 42). Each column's value is hashed
//! with the previous column's hash as seed, nulls skipped, so the numbers equal Spark's.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];
const SEED: u64 = 42;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "hash(*cols: ColumnOrName) -> Column",
        "Spark's Murmur3 hash of the columns' values, an int.",
        hash,
    ),
    Entry::function(
        F,
        "xxhash64(*cols: ColumnOrName) -> Column",
        "Spark's XXH64 hash of the columns' values, a bigint.",
        xxhash64,
    ),
];

fn columns(ctx: &dyn Context, call: &Call) -> Result<Vec<Column>, LangError> {
    let _ = ctx;
    call.rest_flat()
        .iter()
        .map(|(v, s)| to_column(v, *s))
        .collect()
}

/// The values of the columns, one struct per row, hashed field by field (ints of 4 bytes
/// or fewer as ints, as Spark does, wider numbers as longs).
fn hashed(
    cols: &[Column],
    out: DataType,
    step: fn(&Value, bool, u64) -> Option<u64>,
    finish: fn(u64) -> AnyValue<'static>,
) -> Expr {
    let fields: Vec<Expr> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| c.expr.clone().alias(format!("f{i}")))
        .collect();
    let dtype = out.clone();
    as_struct(fields).map(
        move |c| {
            let s = c.as_materialized_series();
            let parts = s.struct_()?.fields_as_series();
            let narrow: Vec<bool> = parts
                .iter()
                .map(|p| {
                    matches!(
                        p.dtype(),
                        DataType::Int8
                            | DataType::Int16
                            | DataType::Int32
                            | DataType::UInt8
                            | DataType::UInt16
                            | DataType::Boolean
                            | DataType::Date
                    )
                })
                .collect();
            let values: Vec<AnyValue<'static>> = (0..s.len())
                .map(|i| {
                    let mut h = SEED;
                    for (p, narrow) in parts.iter().zip(&narrow) {
                        let v = crate::core::rows::any_to_value(
                            p.get(i).map(|a| a.into_static()).unwrap_or(AnyValue::Null),
                        );
                        if let Some(next) = step(&v, *narrow, h) {
                            h = next;
                        }
                    }
                    finish(h)
                })
                .collect();
            Ok(
                Series::from_any_values_and_dtype(s.name().clone(), &values, &dtype, false)?
                    .into_column(),
            )
        },
        move |_, f| Ok(Field::new(f.name().clone(), out.clone())),
    )
}

fn name(label: &str, cols: &[Column]) -> String {
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    format!("{label}({})", names.join(", "))
}

fn hash(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let cols = columns(ctx, &call)?;
    let e = hashed(&cols, DataType::Int32, murmur_value, |h| {
        AnyValue::Int32(h as u32 as i32)
    });
    Ok(Value::Column(Box::new(Column::new(e, name("hash", &cols)))))
}

fn xxhash64(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let cols = columns(ctx, &call)?;
    let e = hashed(&cols, DataType::Int64, xx_value, |h| {
        AnyValue::Int64(h as i64)
    });
    Ok(Value::Column(Box::new(Column::new(
        e,
        name("xxhash64", &cols),
    ))))
}

/// A value as Spark feeds it to a hash: ints as 4 bytes, longs and doubles as 8, text
/// as its UTF-8 bytes; `None` for null (skipped).
enum Bytes {
    Int(i32),
    Long(i64),
    Raw(Vec<u8>),
}

fn bytes_of(v: &Value, narrow: bool) -> Option<Bytes> {
    Some(match v {
        Value::None => return None,
        Value::Bool(b) => Bytes::Int(*b as i32),
        Value::Int(i) if narrow => Bytes::Int(*i as i32),
        Value::Int(i) => Bytes::Long(*i),
        // -0.0 hashes as 0.0.
        Value::Float(f) => Bytes::Long(if *f == 0.0 { 0 } else { f.to_bits() as i64 }),
        Value::Str(s) => Bytes::Raw(s.as_bytes().to_vec()),
        Value::Date(d) => Bytes::Int(
            (*d - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32,
        ),
        Value::Timestamp(t) => Bytes::Long(t.and_utc().timestamp_micros()),
        other => Bytes::Raw(other.repr().into_bytes()),
    })
}

fn murmur_value(v: &Value, narrow: bool, seed: u64) -> Option<u64> {
    let seed = seed as u32;
    Some(match bytes_of(v, narrow)? {
        Bytes::Int(i) => murmur_int(i as u32, seed),
        Bytes::Long(l) => murmur_long(l as u64, seed),
        Bytes::Raw(b) => murmur_bytes(&b, seed),
    } as u64)
}

fn mix_k1(k: u32) -> u32 {
    k.wrapping_mul(0xcc9e_2d51)
        .rotate_left(15)
        .wrapping_mul(0x1b87_3593)
}

fn mix_h1(h: u32, k: u32) -> u32 {
    (h ^ k)
        .rotate_left(13)
        .wrapping_mul(5)
        .wrapping_add(0xe654_6b64)
}

fn fmix32(mut h: u32, len: u32) -> u32 {
    h ^= len;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

fn murmur_int(i: u32, seed: u32) -> u32 {
    fmix32(mix_h1(seed, mix_k1(i)), 4)
}

fn murmur_long(l: u64, seed: u32) -> u32 {
    let h = mix_h1(seed, mix_k1(l as u32));
    fmix32(mix_h1(h, mix_k1((l >> 32) as u32)), 8)
}

/// Spark's `hashUnsafeBytes`: whole 4-byte words, then each remaining byte (sign-extended)
/// as a word of its own.
fn murmur_bytes(b: &[u8], seed: u32) -> u32 {
    let aligned = b.len() - b.len() % 4;
    let mut h = seed;
    for w in b[..aligned].chunks_exact(4) {
        h = mix_h1(h, mix_k1(u32::from_le_bytes([w[0], w[1], w[2], w[3]])));
    }
    for &byte in &b[aligned..] {
        h = mix_h1(h, mix_k1(byte as i8 as i32 as u32));
    }
    fmix32(h, b.len() as u32)
}

const P1: u64 = 0x9E37_79B1_85EB_CA87;
const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const P3: u64 = 0x1656_67B1_9E37_79F9;
const P4: u64 = 0x85EB_CA77_C2B2_AE63;
const P5: u64 = 0x27D4_EB2F_1656_67C5;

fn xx_value(v: &Value, narrow: bool, seed: u64) -> Option<u64> {
    Some(match bytes_of(v, narrow)? {
        Bytes::Int(i) => xxh64(&i.to_le_bytes(), seed),
        Bytes::Long(l) => xxh64(&l.to_le_bytes(), seed),
        Bytes::Raw(b) => xxh64(&b, seed),
    })
}

fn round(acc: u64, input: u64) -> u64 {
    acc.wrapping_add(input.wrapping_mul(P2))
        .rotate_left(31)
        .wrapping_mul(P1)
}

fn merge(acc: u64, val: u64) -> u64 {
    (acc ^ round(0, val)).wrapping_mul(P1).wrapping_add(P4)
}

/// XXH64 of `data`.
fn xxh64(data: &[u8], seed: u64) -> u64 {
    let word = |b: &[u8]| u64::from_le_bytes(b[..8].try_into().expect("8 bytes"));
    let mut rest = data;
    let mut h = if data.len() >= 32 {
        let mut v = [
            seed.wrapping_add(P1).wrapping_add(P2),
            seed.wrapping_add(P2),
            seed,
            seed.wrapping_sub(P1),
        ];
        while rest.len() >= 32 {
            for (i, acc) in v.iter_mut().enumerate() {
                *acc = round(*acc, word(&rest[i * 8..]));
            }
            rest = &rest[32..];
        }
        let mut h = v[0]
            .rotate_left(1)
            .wrapping_add(v[1].rotate_left(7))
            .wrapping_add(v[2].rotate_left(12))
            .wrapping_add(v[3].rotate_left(18));
        for acc in v {
            h = merge(h, acc);
        }
        h
    } else {
        seed.wrapping_add(P5)
    };
    h = h.wrapping_add(data.len() as u64);
    while rest.len() >= 8 {
        h = (h ^ round(0, word(rest)))
            .rotate_left(27)
            .wrapping_mul(P1)
            .wrapping_add(P4);
        rest = &rest[8..];
    }
    if rest.len() >= 4 {
        let w = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as u64;
        h = (h ^ w.wrapping_mul(P1))
            .rotate_left(23)
            .wrapping_mul(P2)
            .wrapping_add(P3);
        rest = &rest[4..];
    }
    for &b in rest {
        h = (h ^ (b as u64).wrapping_mul(P5))
            .rotate_left(11)
            .wrapping_mul(P1);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^ (h >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur_matches_spark() {
        let h = murmur_bytes(b"ABC", 42);
        assert_eq!(h as i32, -757602832);
        assert_eq!(murmur_bytes(b"DEF", h) as i32, 599895104);
    }

    #[test]
    fn xxh64_matches_the_reference() {
        // XXH64("", 0) and XXH64("abc", 0) from the reference implementation.
        assert_eq!(xxh64(b"", 0), 0xEF46_DB37_51D8_E999);
        assert_eq!(xxh64(b"abc", 0), 0x44BC_2CF5_AD77_0999);
    }
}
