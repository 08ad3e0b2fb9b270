//! Date and time functions.

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
        "current_date() -> Column",
        "Today's date (UTC) at evaluation.",
        current_date,
    ),
    Entry::function(
        F,
        "current_timestamp() -> Column",
        "The time (UTC) at evaluation.",
        current_timestamp,
    ),
];

fn current_date(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    let today = chrono::Utc::now().date_naive().to_string();
    Ok(Value::Column(Box::new(Column::new(
        lit(today).cast(DataType::Date),
        "current_date()",
    ))))
}

fn current_timestamp(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    let micros = chrono::Utc::now().timestamp_micros();
    Ok(Value::Column(Box::new(Column::new(
        lit(micros).cast(DataType::Datetime(TimeUnit::Microseconds, None)),
        "current_timestamp()",
    ))))
}
