//! Calendar arithmetic: building dates from parts, moving by months, truncating to a unit,
//! and the month difference Spark defines. Strings are read as dates or timestamps first,
//! as Spark casts them.

use polars::prelude::*;

use super::dates::as_temporal;
use crate::api::call::Call;
use crate::api::convert::{to_column, value_column};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "make_date(year: ColumnOrName, month: ColumnOrName, day: ColumnOrName) -> Column",
        "A date from its year, month and day.",
        make_date,
    ),
    Entry::function(
        F,
        "add_months(start: ColumnOrName, months: ColumnOrName|int) -> Column",
        "The date `months` later (clamped to the month's last day).",
        add_months,
    ),
    Entry::function(
        F,
        "last_day(date: ColumnOrName) -> Column",
        "The last day of the date's month.",
        last_day,
    ),
    Entry::function(
        F,
        "next_day(date: ColumnOrName, dayOfWeek: str) -> Column",
        "The first date after `date` falling on `dayOfWeek` (`Mon`, `Tuesday`, …).",
        next_day,
    ),
    Entry::function(
        F,
        "trunc(date: ColumnOrName, format: str) -> Column",
        "The date truncated to `year`, `quarter`, `month` or `week`.",
        trunc,
    ),
    Entry::function(
        F,
        "date_trunc(format: str, timestamp: ColumnOrName) -> Column",
        "The timestamp truncated to a unit, from `year` down to `second`.",
        date_trunc,
    ),
    Entry::function(
        F,
        "unix_date(col: ColumnOrName) -> Column",
        "Days since 1970-01-01.",
        unix_date,
    ),
    Entry::function(
        F,
        "date_from_unix_date(days: ColumnOrName) -> Column",
        "The date that many days after 1970-01-01.",
        date_from_unix_date,
    ),
    Entry::function(
        F,
        "months_between(date1: ColumnOrName, date2: ColumnOrName, roundOff: bool = True) -> Column",
        "Months from `date2` to `date1`, fractional by 31-day months, as Spark computes it.",
        months_between,
    ),
];

fn named(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

fn date(e: Expr) -> Expr {
    as_temporal(e).cast(DataType::Date)
}

fn make_date(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let part = |p: &str| to_column(call.value(p), call.span_of(p));
    let (y, m, d) = (part("year")?, part("month")?, part("day")?);
    let args = DatetimeArgs::new(
        y.expr.cast(DataType::Int32),
        m.expr.cast(DataType::Int8),
        d.expr.cast(DataType::Int8),
    );
    named(
        datetime(args).cast(DataType::Date),
        format!("make_date({}, {}, {})", y.name, m.name, d.name),
    )
}

fn add_months(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("start")?;
    let n = match call.value("months") {
        v @ Value::Int(_) => value_column(v, call.span_of("months"))?,
        v => to_column(v, call.span_of("months"))?,
    };
    let by = concat_str([n.expr.cast(DataType::String), lit("mo")], "", false);
    named(
        date(c.expr).dt().offset_by(by),
        format!("add_months({}, {})", c.name, n.name),
    )
}

fn last_day(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("date")?;
    named(
        date(c.expr).dt().month_end(),
        format!("last_day({})", c.name),
    )
}

/// Spark's day-of-week names: two or three letters, or the full name.
fn weekday_number(name: &str) -> Option<i32> {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let lower = name.trim().to_lowercase();
    DAYS.iter()
        .position(|d| {
            lower.len() >= 2 && (*d == lower || (lower.len() <= 3 && d.starts_with(&lower)))
        })
        .map(|i| i as i32 + 1)
}

fn next_day(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("date")?;
    let day = call.str("dayOfWeek")?;
    let name = format!("next_day({}, {day})", c.name);
    // An unknown day name is null in Spark (outside ANSI mode).
    let Some(target) = weekday_number(&day) else {
        return named(lit(NULL).cast(DataType::Date), name);
    };
    let d = date(c.expr);
    let today = d.clone().dt().weekday().cast(DataType::Int32);
    let ahead = ((lit(target) - today + lit(6)) % lit(7)) + lit(1);
    named((d.cast(DataType::Int32) + ahead).cast(DataType::Date), name)
}

/// Spark's truncation unit as Polars' interval, and whether it needs a timestamp.
fn unit(format: &str) -> Option<(&'static str, bool)> {
    Some(match format.to_lowercase().as_str() {
        "year" | "yyyy" | "yy" => ("1y", false),
        "quarter" => ("1q", false),
        "month" | "mon" | "mm" => ("1mo", false),
        "week" => ("1w", false),
        "day" | "dd" => ("1d", true),
        "hour" => ("1h", true),
        "minute" => ("1m", true),
        "second" => ("1s", true),
        "millisecond" => ("1ms", true),
        "microsecond" => ("1us", true),
        _ => return None,
    })
}

fn trunc(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("date")?;
    let format = call.str("format")?;
    let name = format!("trunc({}, {format})", c.name);
    match unit(&format) {
        Some((every, false)) => named(date(c.expr).dt().truncate(lit(every)), name),
        _ => named(lit(NULL).cast(DataType::Date), name),
    }
}

fn date_trunc(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("timestamp")?;
    let format = call.str("format")?;
    let name = format!("date_trunc({format}, {})", c.name);
    let ts = DataType::Datetime(TimeUnit::Microseconds, None);
    match unit(&format) {
        Some((every, _)) => named(as_temporal(c.expr).cast(ts).dt().truncate(lit(every)), name),
        None => named(lit(NULL).cast(ts), name),
    }
}

fn unix_date(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    named(
        date(c.expr).cast(DataType::Int32),
        format!("unix_date({})", c.name),
    )
}

fn date_from_unix_date(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("days")?;
    named(
        c.expr.cast(DataType::Int32).cast(DataType::Date),
        format!("date_from_unix_date({})", c.name),
    )
}

fn months_between(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let a = call.column("date1")?;
    let b = call.column("date2")?;
    let round = call.bool("roundOff")?;
    let ts = DataType::Datetime(TimeUnit::Microseconds, None);
    let (t1, t2) = (
        as_temporal(a.expr).cast(ts.clone()),
        as_temporal(b.expr).cast(ts),
    );
    let whole = |t: &Expr| {
        t.clone().dt().year().cast(DataType::Float64) * lit(12.0)
            + t.clone().dt().month().cast(DataType::Float64)
    };
    let day = |t: &Expr| t.clone().dt().day().cast(DataType::Float64);
    let is_last = |t: &Expr| {
        t.clone()
            .dt()
            .day()
            .eq(t.clone().dt().month_end().dt().day())
    };
    // Seconds into the month, counting days from 1.
    let seconds = |t: &Expr| {
        (day(t) - lit(1.0)) * lit(86_400.0)
            + t.clone().dt().hour().cast(DataType::Float64) * lit(3600.0)
            + t.clone().dt().minute().cast(DataType::Float64) * lit(60.0)
            + t.clone().dt().second().cast(DataType::Float64)
    };
    let months = whole(&t1) - whole(&t2);
    let exact = day(&t1).eq(day(&t2)).or(is_last(&t1).and(is_last(&t2)));
    let fraction = months.clone() + (seconds(&t1) - seconds(&t2)) / lit(31.0 * 86_400.0);
    let fraction = if round {
        fraction.round(8, RoundMode::HalfAwayFromZero)
    } else {
        fraction
    };
    let expr = when(exact).then(months).otherwise(fraction);
    named(
        expr,
        format!("months_between({}, {}, {round})", a.name, b.name),
    )
}
