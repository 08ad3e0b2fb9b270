//! Bits of integers: counting, negating, shifting, testing one, and binary text.

use polars::prelude::*;

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
        "bit_count(col: ColumnOrName) -> Column",
        "Number of bits set.",
        bit_count,
    ),
    Entry::function(
        F,
        "bitwise_not(col: ColumnOrName) -> Column",
        "Every bit flipped.",
        bitwise_not,
    ),
    Entry::function(
        F,
        "bin(col: ColumnOrName) -> Column",
        "The number in binary, as text.",
        bin,
    ),
    Entry::function(
        F,
        "bit_get(col: ColumnOrName, pos: ColumnOrName) -> Column",
        "The bit at `pos` (0 the lowest).",
        bit_get,
    )
    .aliases(&["getbit"]),
    Entry::function(
        F,
        "shiftleft(col: ColumnOrName, numBits: int) -> Column",
        "Shifted left by `numBits`.",
        shiftleft,
    ),
    Entry::function(
        F,
        "shiftright(col: ColumnOrName, numBits: int) -> Column",
        "Shifted right by `numBits`, keeping the sign.",
        shiftright,
    ),
    Entry::function(
        F,
        "shiftrightunsigned(col: ColumnOrName, numBits: int) -> Column",
        "Shifted right by `numBits`, filling with zeros.",
        shiftrightunsigned,
    ),
];

fn named(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

fn bit_count(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let expr = c
        .expr
        .cast(DataType::Int64)
        .bitwise_count_ones()
        .cast(DataType::Int32);
    named(expr, format!("bit_count({})", c.name))
}

fn bitwise_not(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    named(c.expr.not(), format!("~{}", c.name))
}

fn bin(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let expr = c.expr.cast(DataType::Int64).map(
        |col| {
            let ca = col.as_materialized_series().i64()?.clone();
            let out: StringChunked = ca
                .iter()
                .map(|v| v.map(|n| format!("{:b}", n as u64)))
                .collect();
            Ok(out.into_series().into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
    );
    named(expr, format!("bin({})", c.name))
}

fn bit_get(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let p = to_column(call.value("pos"), call.span_of("pos"))?;
    let v = c.expr.cast(DataType::Int64);
    let pos = p.expr.cast(DataType::Int64);
    // (v >> pos) & 1, with a power of two as Polars has no shift on columns.
    let bit = (v.floor_div(lit(2i64).pow(pos)) % lit(2i64))
        .abs()
        .cast(DataType::Int8);
    named(bit, format!("{}({}, {})", call.name, c.name, p.name))
}

fn shift(call: &Call, f: fn(i64, u32) -> i64) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let n = call.int("numBits")?;
    let bits = (n.rem_euclid(64)) as u32;
    let expr = c.expr.cast(DataType::Int64).map(
        move |col| {
            let ca = col.as_materialized_series().i64()?.clone();
            let out: Int64Chunked = ca.iter().map(|v| v.map(|x| f(x, bits))).collect();
            Ok(out.into_series().into_column())
        },
        |_, fld| Ok(Field::new(fld.name().clone(), DataType::Int64)),
    );
    named(expr, format!("{}({}, {n})", call.name, c.name))
}

fn shiftleft(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    shift(&call, |x, n| x.wrapping_shl(n))
}
fn shiftright(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    shift(&call, |x, n| x.wrapping_shr(n))
}
fn shiftrightunsigned(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    shift(&call, |x, n| ((x as u64) >> n) as i64)
}
