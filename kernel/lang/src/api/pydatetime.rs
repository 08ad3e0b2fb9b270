//! Python's `datetime` module: `date` and `datetime` values, which become date and
//! timestamp columns and come back from `collect()` as themselves.

use chrono::{NaiveDate, NaiveTime};

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Module, Value};

const DT: &[Module] = &[Module::Datetime];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        DT,
        "date(year: int, month: int, day: int) -> date",
        "A calendar date.",
        date,
    ),
    Entry::function(
        DT,
        "datetime(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, microsecond: int = 0, tzinfo: None = None) -> datetime",
        "A date and time of day (naive, as Spark's session time zone shows it).",
        datetime,
    ),
];

fn day_of(call: &Call) -> Result<NaiveDate, LangError> {
    let (y, m, d) = (call.int("year")?, call.int("month")?, call.int("day")?);
    let out_of_range =
        |what: &str| LangError::new("ValueError", format!("{what} is out of range")).at(call.span);
    if !(1..=9999).contains(&y) {
        return Err(out_of_range(&format!("year {y}")));
    }
    if !(1..=12).contains(&m) {
        return Err(LangError::new("ValueError", "month must be in 1..12").at(call.span));
    }
    NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)
        .ok_or_else(|| LangError::new("ValueError", "day is out of range for month").at(call.span))
}

fn date(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::Date(day_of(&call)?))
}

fn datetime(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let day = day_of(&call)?;
    let part = |name: &str, max: i64| -> Result<u32, LangError> {
        let v = call.int(name)?;
        if (0..=max).contains(&v) {
            Ok(v as u32)
        } else {
            Err(
                LangError::new("ValueError", format!("{name} must be in 0..{max}"))
                    .at(call.span_of(name)),
            )
        }
    };
    let time = NaiveTime::from_hms_micro_opt(
        part("hour", 23)?,
        part("minute", 59)?,
        part("second", 59)?,
        part("microsecond", 999_999)?,
    )
    .ok_or_else(|| LangError::new("ValueError", "time out of range").at(call.span))?;
    Ok(Value::Timestamp(day.and_time(time)))
}
