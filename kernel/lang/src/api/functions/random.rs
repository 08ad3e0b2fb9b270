//! Random columns: `rand`, `randn`, `uuid`. Each row's value comes from its position and
//! the seed (SplitMix64), so the same seed gives the same column on every run; the values
//! are not those of Spark's generator.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "rand(seed: int = None) -> Column",
        "Uniform random numbers in [0, 1).",
        rand,
    ),
    Entry::function(
        F,
        "randn(seed: int = None) -> Column",
        "Standard normal random numbers.",
        randn,
    ),
    Entry::function(
        F,
        "uuid(seed: int = None) -> Column",
        "A random version-4 UUID per row.",
        uuid,
    ),
];

fn splitmix(i: u64, seed: u64) -> u64 {
    let mut z = i
        .wrapping_add(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// The seed given, or one from the clock.
fn seed(call: &Call) -> Result<(u64, i64), LangError> {
    let s = match call.opt_int("seed")? {
        Some(s) => s,
        None => chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0),
    };
    Ok((s as u64, s))
}

/// A per-row value from the row's position.
fn per_row(out: DataType, f: impl Fn(u64) -> AnyValue<'static> + Send + Sync + 'static) -> Expr {
    let dtype = out.clone();
    int_range(lit(0), len(), 1, DataType::UInt64).map(
        move |c| {
            let values: Vec<AnyValue<'static>> =
                c.u64()?.iter().map(|i| f(i.unwrap_or(0))).collect();
            Ok(Series::from_any_values_and_dtype("".into(), &values, &dtype, false)?.into_column())
        },
        move |_, fld| Ok(Field::new(fld.name().clone(), out.clone())),
    )
}

fn rand(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (s, label) = seed(&call)?;
    let expr = per_row(DataType::Float64, move |i| {
        AnyValue::Float64(unit(splitmix(i, s)))
    });
    Ok(Value::Column(Box::new(Column::new(
        expr,
        format!("rand({label})"),
    ))))
}

fn randn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (s, label) = seed(&call)?;
    // Box–Muller from two uniforms.
    let expr = per_row(DataType::Float64, move |i| {
        let u1 = unit(splitmix(2 * i, s)).max(f64::MIN_POSITIVE);
        let u2 = unit(splitmix(2 * i + 1, s));
        AnyValue::Float64((-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos())
    });
    Ok(Value::Column(Box::new(Column::new(
        expr,
        format!("randn({label})"),
    ))))
}

fn uuid(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (s, _) = seed(&call)?;
    let expr = per_row(DataType::String, move |i| {
        let hi = splitmix(2 * i, s);
        let lo = splitmix(2 * i + 1, s);
        // Version 4, variant 1.
        let hi = (hi & !0xF000) | 0x4000;
        let lo = (lo & !(0b11 << 62)) | (0b10 << 62);
        let text = format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xFFFF,
            hi & 0xFFFF,
            lo >> 48,
            lo & 0xFFFF_FFFF_FFFF
        );
        AnyValue::StringOwned(text.into())
    });
    Ok(Value::Column(Box::new(Column::new(expr, "uuid()"))))
}
