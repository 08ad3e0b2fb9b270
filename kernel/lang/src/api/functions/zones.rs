//! Timestamps and time zones. A timestamp column holds the wall-clock time of the session's
//! time zone (`spark.sql.session.timeZone`, else `TZ`, else UTC), which is what Spark
//! shows; converting to or from an instant (epoch seconds, another zone) goes through that
//! zone with the tz database (chrono-tz).

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::value::{Column, Module, Value};

use super::by_value::{per_row, per_value};
use super::dates::{as_temporal, parse_with};

const F: &[Module] = &[Module::Functions];
const DEFAULT_FORMAT: &str = "yyyy-MM-dd HH:mm:ss";

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "unix_timestamp(timestamp: ColumnOrName = None, format: str = 'yyyy-MM-dd HH:mm:ss') -> Column",
        "Seconds since 1970-01-01 UTC of a timestamp, date or text in `format` (now, without one).",
        unix_timestamp,
    ),
    Entry::function(
        F,
        "to_unix_timestamp(timestamp: ColumnOrName, format: ColumnOrName = None) -> Column",
        "Seconds since 1970-01-01 UTC of a timestamp, date or text in `format`.",
        to_unix_timestamp,
    ),
    Entry::function(
        F,
        "from_unixtime(timestamp: ColumnOrName, format: str = 'yyyy-MM-dd HH:mm:ss') -> Column",
        "Epoch seconds as the session time zone's wall-clock time, as text in `format`.",
        from_unixtime,
    ),
    Entry::function(
        F,
        "timestamp_seconds(col: ColumnOrName) -> Column",
        "The timestamp that many seconds after 1970-01-01 UTC.",
        timestamp_seconds,
    ),
    Entry::function(
        F,
        "timestamp_millis(col: ColumnOrName) -> Column",
        "The timestamp that many milliseconds after 1970-01-01 UTC.",
        timestamp_millis,
    ),
    Entry::function(
        F,
        "timestamp_micros(col: ColumnOrName) -> Column",
        "The timestamp that many microseconds after 1970-01-01 UTC.",
        timestamp_micros,
    ),
    Entry::function(
        F,
        "unix_seconds(col: ColumnOrName) -> Column",
        "Seconds since 1970-01-01 UTC.",
        unix_seconds,
    ),
    Entry::function(
        F,
        "unix_millis(col: ColumnOrName) -> Column",
        "Milliseconds since 1970-01-01 UTC.",
        unix_millis,
    ),
    Entry::function(
        F,
        "unix_micros(col: ColumnOrName) -> Column",
        "Microseconds since 1970-01-01 UTC.",
        unix_micros,
    ),
    Entry::function(
        F,
        "from_utc_timestamp(timestamp: ColumnOrName, tz: ColumnOrName) -> Column",
        "A UTC wall-clock time as the wall-clock time in zone `tz` (a name or a column of names).",
        from_utc_timestamp,
    ),
    Entry::function(
        F,
        "to_utc_timestamp(timestamp: ColumnOrName, tz: ColumnOrName) -> Column",
        "A wall-clock time in zone `tz` as the UTC wall-clock time.",
        to_utc_timestamp,
    ),
    Entry::function(
        F,
        "convert_timezone(sourceTz: Column|None, targetTz: Column, sourceTs: ColumnOrName) -> Column",
        "A wall-clock time in `sourceTz` (the session's when None) as the wall-clock time in `targetTz`.",
        convert_timezone,
    ),
];

/// A time zone as Spark reads one: a region (`America/Los_Angeles`), an offset (`+08:00`,
/// `GMT+8`, `UTC`), or one of Java's three-letter short ids (`PST`).
#[derive(Clone, Copy)]
pub enum Zone {
    Region(Tz),
    Offset(chrono::FixedOffset),
}

/// Java's `ZoneId.SHORT_IDS`, which Spark accepts.
const SHORT_IDS: &[(&str, &str)] = &[
    ("ACT", "Australia/Darwin"),
    ("AET", "Australia/Sydney"),
    ("AGT", "America/Argentina/Buenos_Aires"),
    ("ART", "Africa/Cairo"),
    ("AST", "America/Anchorage"),
    ("BET", "America/Sao_Paulo"),
    ("BST", "Asia/Dhaka"),
    ("CAT", "Africa/Harare"),
    ("CNT", "America/St_Johns"),
    ("CST", "America/Chicago"),
    ("CTT", "Asia/Shanghai"),
    ("EAT", "Africa/Addis_Ababa"),
    ("ECT", "Europe/Paris"),
    ("IET", "America/Indiana/Indianapolis"),
    ("IST", "Asia/Kolkata"),
    ("JST", "Asia/Tokyo"),
    ("MIT", "Pacific/Apia"),
    ("NET", "Asia/Yerevan"),
    ("NST", "Pacific/Auckland"),
    ("PLT", "Asia/Karachi"),
    ("PNT", "America/Phoenix"),
    ("PRT", "America/Puerto_Rico"),
    ("PST", "America/Los_Angeles"),
    ("SST", "Pacific/Guadalcanal"),
    ("VST", "Asia/Ho_Chi_Minh"),
];

impl Zone {
    /// The zone named `name`, if there is one.
    pub fn parse(name: &str) -> Option<Zone> {
        let name = name.trim();
        let fixed = |secs: i32| chrono::FixedOffset::east_opt(secs).map(Zone::Offset);
        match name {
            "EST" => return fixed(-5 * 3600),
            "MST" => return fixed(-7 * 3600),
            "HST" => return fixed(-10 * 3600),
            "Z" | "UTC" | "GMT" | "UT" => return fixed(0),
            _ => {}
        }
        if let Some((_, region)) = SHORT_IDS.iter().find(|(id, _)| *id == name) {
            return region.parse::<Tz>().ok().map(Zone::Region);
        }
        let offset = ["UTC", "GMT", "UT"]
            .iter()
            .find_map(|p| name.strip_prefix(p))
            .unwrap_or(name);
        if offset.starts_with('+') || offset.starts_with('-') {
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let digits = &offset[1..];
            let (h, m) = match digits.split_once(':') {
                Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?),
                None if digits.len() == 4 => {
                    (digits[..2].parse::<i32>().ok()?, digits[2..].parse().ok()?)
                }
                None => (digits.parse::<i32>().ok()?, 0),
            };
            return fixed(sign * (h * 3600 + m * 60));
        }
        name.parse::<Tz>().ok().map(Zone::Region)
    }

    /// The instant (as UTC wall-clock time) of wall-clock time `t` here; in a gap left by a
    /// clock moving forward, the time as if it had not moved.
    pub fn to_utc(self, t: NaiveDateTime) -> NaiveDateTime {
        match self {
            Zone::Offset(o) => t - Duration::seconds(o.local_minus_utc() as i64),
            Zone::Region(tz) => match tz.from_local_datetime(&t).earliest() {
                Some(d) => d.naive_utc(),
                None => tz
                    .from_local_datetime(&(t + Duration::hours(1)))
                    .earliest()
                    .map_or(t, |d| d.naive_utc() - Duration::hours(1)),
            },
        }
    }

    /// The wall-clock time here at the instant `utc`.
    pub fn from_utc(self, utc: NaiveDateTime) -> NaiveDateTime {
        match self {
            Zone::Offset(o) => utc + Duration::seconds(o.local_minus_utc() as i64),
            Zone::Region(tz) => tz.from_utc_datetime(&utc).naive_local(),
        }
    }
}

/// The session's time zone.
pub fn session_zone(ctx: &dyn Context) -> Zone {
    ctx.conf()
        .get("spark.sql.session.timeZone")
        .or_else(|| std::env::var("TZ").ok())
        .and_then(|n| Zone::parse(&n))
        .unwrap_or(Zone::Offset(chrono::FixedOffset::east_opt(0).expect("UTC")))
}

fn zone_arg(v: &Value, span: Span) -> Result<Zone, LangError> {
    let Value::Str(name) = v else {
        return Err(LangError::type_error("a time zone is a string").at(span));
    };
    Zone::parse(name).ok_or_else(|| unknown_zone(name, span))
}

fn unknown_zone(name: &str, span: Span) -> LangError {
    LangError::new(
        "SparkDateTimeException",
        format!("[INVALID_TIMEZONE] The timezone: {name} is invalid."),
    )
    .at(span)
    .with_hint("a region such as 'America/Los_Angeles', or an offset such as '+08:00'")
}

pub(super) fn ts_type() -> DataType {
    DataType::Datetime(TimeUnit::Microseconds, None)
}

pub(super) fn column(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

fn epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .expect("epoch")
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
}

/// A timestamp, date or text column as timestamps (text read in `format`, or as Spark
/// casts text when there is none).
pub(super) fn timestamps(e: Expr, format: Option<&str>) -> Expr {
    match format {
        Some(f) => parse_with(e.cast(DataType::String), Some(f), ts_type()),
        None => as_temporal(e).cast(ts_type()),
    }
}

/// An optional format argument: a literal string (a literal column's text too).
pub(super) fn format_arg(call: &Call, param: &str) -> Result<Option<String>, LangError> {
    match call.value(param) {
        Value::None => Ok(None),
        Value::Str(s) => Ok(Some(s.clone())),
        Value::Column(c) => match crate::api::convert::literal_text(&c.expr) {
            Some(s) => Ok(Some(s)),
            None => Err(LangError::unsupported(format!(
                "{}() with a format from a column is not supported",
                call.name
            ))
            .at(call.span_of(param))),
        },
        other => Err(LangError::type_error(format!(
            "format must be a string, not {}",
            other.type_name()
        ))
        .at(call.span_of(param))),
    }
}

/// Microseconds since the epoch of session wall-clock timestamps, divided by `per`.
fn to_epoch(e: Expr, zone: Zone, per: i64) -> Expr {
    per_value(e, DataType::Int64, move |v| match v {
        Value::Timestamp(t) => {
            let micros = (zone.to_utc(*t) - epoch()).num_microseconds().unwrap_or(0);
            Value::Int(micros.div_euclid(per))
        }
        _ => Value::None,
    })
}

/// Session wall-clock timestamps from counts of `per` microseconds since the epoch.
fn from_epoch(e: Expr, zone: Zone, per: i64) -> Expr {
    per_value(e.cast(DataType::Int64), ts_type(), move |v| match v {
        Value::Int(n) => n
            .checked_mul(per)
            .map(|m| epoch() + Duration::microseconds(m))
            .map_or(Value::None, |utc| Value::Timestamp(zone.from_utc(utc))),
        _ => Value::None,
    })
}

fn unix_timestamp(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let zone = session_zone(ctx);
    let format = call.str("format")?;
    if matches!(call.value("timestamp"), Value::None) {
        let now = chrono::Utc::now().timestamp();
        return column(
            lit(now),
            "unix_timestamp(current_timestamp(), yyyy-MM-dd HH:mm:ss)".into(),
        );
    }
    let c = call.column("timestamp")?;
    let name = format!("unix_timestamp({}, {format})", c.name);
    let parsed = when(is_text(&c))
        .then(timestamps(c.expr.clone(), Some(&format)))
        .otherwise(timestamps(c.expr.clone(), None));
    column(to_epoch(parsed, zone, 1_000_000), name)
}

/// Whether a column is text, decided when the plan runs (text is read with the format).
fn is_text(c: &Column) -> Expr {
    c.expr.clone().map(
        |col| {
            let text = col.dtype() == &DataType::String;
            Ok(polars::prelude::Column::new_scalar(
                "".into(),
                Scalar::from(text),
                col.len(),
            ))
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
    )
}

fn to_unix_timestamp(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let zone = session_zone(ctx);
    let c = call.column("timestamp")?;
    let format = format_arg(&call, "format")?;
    let name = match &format {
        Some(f) => format!("to_unix_timestamp({}, {f})", c.name),
        None => format!("to_unix_timestamp({}, {DEFAULT_FORMAT})", c.name),
    };
    let parsed = timestamps(c.expr, format.as_deref());
    column(to_epoch(parsed, zone, 1_000_000), name)
}

fn from_unixtime(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let zone = session_zone(ctx);
    let c = call.column("timestamp")?;
    let format = call.str("format")?;
    let pattern = super::dates::chrono_pattern(&format);
    let expr = from_epoch(c.expr, zone, 1_000_000).dt().strftime(&pattern);
    column(expr, format!("from_unixtime({}, {format})", c.name))
}

fn timestamp_from(
    ctx: &dyn Context,
    call: &Call,
    label: &str,
    per: i64,
) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let zone = session_zone(ctx);
    column(
        from_epoch(c.expr, zone, per),
        format!("{label}({})", c.name),
    )
}

fn timestamp_seconds(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    // Seconds may have a fraction: go through microseconds.
    let c = call.column("col")?;
    let zone = session_zone(ctx);
    let micros = (c.expr.cast(DataType::Float64) * lit(1_000_000.0)).cast(DataType::Int64);
    column(
        from_epoch(micros, zone, 1),
        format!("timestamp_seconds({})", c.name),
    )
}

fn timestamp_millis(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    timestamp_from(ctx, &call, "timestamp_millis", 1_000)
}

fn timestamp_micros(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    timestamp_from(ctx, &call, "timestamp_micros", 1)
}

fn unix_of(ctx: &dyn Context, call: &Call, label: &str, per: i64) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let zone = session_zone(ctx);
    column(
        to_epoch(timestamps(c.expr, None), zone, per),
        format!("{label}({})", c.name),
    )
}

fn unix_seconds(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    unix_of(ctx, &call, "unix_seconds", 1_000_000)
}

fn unix_millis(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    unix_of(ctx, &call, "unix_millis", 1_000)
}

fn unix_micros(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    unix_of(ctx, &call, "unix_micros", 1)
}

/// A zone argument that may be a literal name or a column of names: the converted
/// timestamps, and the argument's label.
fn shift_zone(
    ts: Expr,
    tz: &Value,
    span: Span,
    convert: fn(Zone, NaiveDateTime) -> NaiveDateTime,
) -> Result<(Expr, String), LangError> {
    if let Value::Str(name) = tz {
        let zone = Zone::parse(name).ok_or_else(|| unknown_zone(name, span))?;
        let e = per_value(ts, ts_type(), move |v| match v {
            Value::Timestamp(t) => Value::Timestamp(convert(zone, *t)),
            _ => Value::None,
        });
        return Ok((e, name.clone()));
    }
    let c = to_column(tz, span)?;
    let e = per_row(vec![ts, c.expr], ts_type(), move |vs| {
        match (&vs[0], &vs[1]) {
            (Value::Timestamp(t), Value::Str(name)) => {
                Zone::parse(name).map_or(Value::None, |z| Value::Timestamp(convert(z, *t)))
            }
            _ => Value::None,
        }
    });
    Ok((e, c.name))
}

fn from_utc_timestamp(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("timestamp")?;
    let (e, tz) = shift_zone(
        timestamps(c.expr, None),
        call.value("tz"),
        call.span_of("tz"),
        |z, t| z.from_utc(t),
    )?;
    column(e, format!("from_utc_timestamp({}, {tz})", c.name))
}

fn to_utc_timestamp(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("timestamp")?;
    let (e, tz) = shift_zone(
        timestamps(c.expr, None),
        call.value("tz"),
        call.span_of("tz"),
        |z, t| z.to_utc(t),
    )?;
    column(e, format!("to_utc_timestamp({}, {tz})", c.name))
}

fn convert_timezone(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("sourceTs")?;
    let literal_zone = |param: &str| -> Result<(Zone, String), LangError> {
        let col = to_column(call.value(param), call.span_of(param))?;
        let name = crate::api::convert::literal_text(&col.expr).ok_or_else(|| {
            LangError::unsupported("convert_timezone() with zones from a column is not supported")
                .at(call.span_of(param))
        })?;
        Ok((
            zone_arg(&Value::Str(name.clone()), call.span_of(param))?,
            name,
        ))
    };
    let (source, source_name) = match call.value("sourceTz") {
        Value::None => (session_zone(ctx), "current_timezone()".to_string()),
        _ => literal_zone("sourceTz")?,
    };
    let (target, target_name) = literal_zone("targetTz")?;
    let e = per_value(timestamps(c.expr, None), ts_type(), move |v| match v {
        Value::Timestamp(t) => Value::Timestamp(target.from_utc(source.to_utc(*t))),
        _ => Value::None,
    });
    column(
        e,
        format!("convert_timezone({source_name}, {target_name}, {})", c.name),
    )
}
