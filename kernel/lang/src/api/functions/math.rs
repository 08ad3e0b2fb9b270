//! Numeric functions.

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
        "round(col: ColumnOrName, scale: int = 0) -> Column",
        "Rounded half away from zero to `scale` decimals.",
        round,
    ),
    Entry::function(
        F,
        "abs(col: ColumnOrName) -> Column",
        "Absolute value.",
        abs,
    ),
];

fn round(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let scale = call.int("scale")?;
    Ok(Value::Column(Box::new(Column::new(
        c.expr
            .round(scale.clamp(0, 38) as u32, RoundMode::HalfAwayFromZero),
        format!("round({}, {scale})", c.name),
    ))))
}

fn abs(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    Ok(Value::Column(Box::new(Column::new(
        c.expr.abs(),
        format!("abs({})", c.name),
    ))))
}
