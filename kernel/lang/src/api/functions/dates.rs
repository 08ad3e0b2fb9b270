//! Date and time functions.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// A date or timestamp part: `name(col)`, an int.
macro_rules! part {
    ($name:literal, $f:expr) => {{
        fn run(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
            let c = call.column("col")?;
            let f: fn(Expr) -> Expr = $f;
            Ok(Value::Column(Box::new(Column::new(
                f(as_temporal(c.expr)),
                format!("{}({})", $name, c.name),
            ))))
        }
        Entry::function(
            F,
            concat!($name, "(col: ColumnOrName) -> Column"),
            concat!("The ", $name, " of a date or timestamp."),
            run,
        )
    }};
}

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
    part!("year", |e| e.dt().year()),
    part!("quarter", |e| e.dt().quarter().cast(DataType::Int32)),
    part!("month", |e| e.dt().month().cast(DataType::Int32)),
    part!("dayofmonth", |e| e.dt().day().cast(DataType::Int32)),
    part!("day", |e| e.dt().day().cast(DataType::Int32)),
    part!("dayofyear", |e| e.dt().ordinal_day().cast(DataType::Int32)),
    // Spark counts Sunday as 1; Polars' weekday has Monday as 1.
    part!("dayofweek", |e| (e.dt().weekday().cast(DataType::Int32)
        % lit(7))
        + lit(1)),
    part!("weekday", |e| e.dt().weekday().cast(DataType::Int32)
        - lit(1)),
    part!("dayname", |e| e.dt().strftime("%a")),
    part!("monthname", |e| e.dt().strftime("%b")),
    part!("weekofyear", |e| e.dt().week().cast(DataType::Int32)),
    part!("hour", |e| e.dt().hour().cast(DataType::Int32)),
    part!("minute", |e| e.dt().minute().cast(DataType::Int32)),
    part!("second", |e| e.dt().second().cast(DataType::Int32)),
    Entry::function(
        F,
        "to_date(col: ColumnOrName, format: str|None = None) -> Column",
        "A date from a string (`yyyy-MM-dd` or Spark's `format`) or a timestamp; null if it does not parse.",
        to_date,
    ),
    Entry::function(
        F,
        "to_timestamp(col: ColumnOrName, format: str|None = None) -> Column",
        "A timestamp from a string (`yyyy-MM-dd HH:mm:ss` or Spark's `format`) or a date; null if it does not parse.",
        to_timestamp,
    ),
    Entry::function(
        F,
        "date_add(start: ColumnOrName, days: int|ColumnOrName) -> Column",
        "The date `days` later.",
        date_add,
    ),
    Entry::function(
        F,
        "date_sub(start: ColumnOrName, days: int|ColumnOrName) -> Column",
        "The date `days` earlier.",
        date_sub,
    ),
    Entry::function(
        F,
        "datediff(end: ColumnOrName, start: ColumnOrName) -> Column",
        "Days from `start` to `end`.",
        datediff,
    ),
    Entry::function(
        F,
        "date_format(date: ColumnOrName, format: str) -> Column",
        "The date or timestamp as text in Spark's pattern (`yyyy-MM-dd HH:mm:ss`, `MMM`, `EEE`, …).",
        date_format,
    ),
];

/// Strings are read as timestamps (`2015-04-08` or `2015-04-08 13:08:15`), as Spark casts
/// them; dates and timestamps pass through.
pub(super) fn as_temporal(e: Expr) -> Expr {
    e.map(
        |c| {
            let dtype = c.dtype().clone();
            if dtype == DataType::String {
                let parsed = c.as_materialized_series().str()?.as_datetime(
                    None,
                    TimeUnit::Microseconds,
                    false,
                    false,
                    None,
                    &StringChunked::from_slice("".into(), &["raise"]),
                )?;
                Ok(parsed.into_series().into_column())
            } else {
                Ok(c)
            }
        },
        |_, f| {
            Ok(Field::new(
                f.name().clone(),
                if f.dtype() == &DataType::String {
                    DataType::Datetime(TimeUnit::Microseconds, None)
                } else {
                    f.dtype().clone()
                },
            ))
        },
    )
}

/// Spark's datetime pattern as chrono's (`yyyy-MM-dd HH:mm:ss` → `%Y-%m-%d %H:%M:%S`).
pub fn chrono_pattern(spark: &str) -> String {
    const TOKENS: &[(&str, &str)] = &[
        ("yyyy", "%Y"),
        ("yy", "%y"),
        ("MMMM", "%B"),
        ("MMM", "%b"),
        ("MM", "%m"),
        ("M", "%-m"),
        ("dd", "%d"),
        ("d", "%-d"),
        ("HH", "%H"),
        ("H", "%-H"),
        ("hh", "%I"),
        ("h", "%-I"),
        ("mm", "%M"),
        ("m", "%-M"),
        ("ss", "%S"),
        ("s", "%-S"),
        ("SSSSSS", "%6f"),
        ("SSS", "%3f"),
        ("EEEE", "%A"),
        ("EEE", "%a"),
        ("E", "%a"),
        ("a", "%p"),
        ("DDD", "%j"),
    ];
    let mut out = String::new();
    let mut rest = spark;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("''") {
            out.push('\'');
            rest = after;
            continue;
        }
        if let Some(quoted) = rest.strip_prefix('\'') {
            let end = quoted.find('\'').unwrap_or(quoted.len());
            out.push_str(&quoted[..end].replace('%', "%%"));
            rest = quoted.get(end + 1..).unwrap_or("");
            continue;
        }
        match TOKENS.iter().find(|(t, _)| rest.starts_with(t)) {
            Some((t, c)) => {
                out.push_str(c);
                rest = &rest[t.len()..];
            }
            None => {
                let ch = rest.chars().next().unwrap_or(' ');
                if ch == '%' {
                    out.push_str("%%");
                } else {
                    out.push(ch);
                }
                rest = &rest[ch.len_utf8()..];
            }
        }
    }
    out
}

pub(super) fn parse_with(e: Expr, format: Option<&str>, to: DataType) -> Expr {
    let options = StrptimeOptions {
        format: format.map(|f| chrono_pattern(f).into()),
        strict: false,
        exact: true,
        cache: true,
    };
    let has_time = options.format.as_ref().is_none_or(|f| {
        f.contains("%H") || f.contains("%-H") || f.contains("%I") || f.contains("%-I")
    });
    match to {
        DataType::Date => e.str().to_date(options),
        // A pattern without hours reads a date, at midnight.
        to if !has_time => e.str().to_date(options).cast(to),
        _ => e
            .str()
            .to_datetime(Some(TimeUnit::Microseconds), None, options, lit("raise")),
    }
}

fn to_date(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let format = call.opt_str("format")?;
    let (expr, name) = match &format {
        Some(f) => (
            parse_with(c.expr.cast(DataType::String), Some(f), DataType::Date),
            format!("to_date({}, {f})", c.name),
        ),
        None => (
            as_temporal(c.expr).cast(DataType::Date),
            format!("to_date({})", c.name),
        ),
    };
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

fn to_timestamp(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let format = call.opt_str("format")?;
    let ts = DataType::Datetime(TimeUnit::Microseconds, None);
    let (expr, name) = match &format {
        Some(f) => (
            parse_with(c.expr.cast(DataType::String), Some(f), ts),
            format!("to_timestamp({}, {f})", c.name),
        ),
        None => (
            as_temporal(c.expr).cast(ts),
            format!("to_timestamp({})", c.name),
        ),
    };
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

fn days_arg(call: &Call) -> Result<(Expr, String), LangError> {
    match call.value("days") {
        Value::Int(i) => Ok((lit(*i), i.to_string())),
        v => {
            let c = crate::api::convert::to_column(v, call.span_of("days"))?;
            Ok((c.expr, c.name))
        }
    }
}

fn shift_days(call: &Call, label: &str, sign: i64) -> Result<Value, LangError> {
    let c = call.column("start")?;
    let (days, n) = days_arg(call)?;
    let date = as_temporal(c.expr).cast(DataType::Date);
    let expr = (date.cast(DataType::Int32) + (days * lit(sign)).cast(DataType::Int32))
        .cast(DataType::Date);
    Ok(Value::Column(Box::new(Column::new(
        expr,
        format!("{label}({}, {n})", c.name),
    ))))
}

fn date_add(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    shift_days(&call, "date_add", 1)
}

fn date_sub(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    shift_days(&call, "date_sub", -1)
}

fn datediff(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let end = call.column("end")?;
    let start = call.column("start")?;
    let day = |e: Expr| as_temporal(e).cast(DataType::Date).cast(DataType::Int32);
    Ok(Value::Column(Box::new(Column::new(
        day(end.expr) - day(start.expr),
        format!("datediff({}, {})", end.name, start.name),
    ))))
}

fn date_format(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("date")?;
    let format = call.str("format")?;
    let expr = as_temporal(c.expr).dt().strftime(&chrono_pattern(&format));
    Ok(Value::Column(Box::new(Column::new(
        expr,
        format!("date_format({}, {format})", c.name),
    ))))
}

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

#[cfg(test)]
mod tests {
    use super::chrono_pattern;

    #[test]
    fn spark_patterns_become_chronos() {
        assert_eq!(chrono_pattern("yyyy-MM-dd HH:mm:ss"), "%Y-%m-%d %H:%M:%S");
        assert_eq!(chrono_pattern("MM/dd/yyyy"), "%m/%d/%Y");
        assert_eq!(
            chrono_pattern("EEE, MMM d 'at' h a"),
            "%a, %b %-d at %-I %p"
        );
        assert_eq!(chrono_pattern("100%"), "100%%");
        assert_eq!(chrono_pattern("h''mm"), "%-I'%M");
    }
}
