//! Timestamps and time zones. A timestamp column holds the wall-clock time of the session's
//! time zone (`spark.sql.session.timeZone`, else `TZ`, else UTC), which is what Spark
//! shows; converting to or from an instant (epoch seconds, another zone) goes through that
//! zone with the tz database (chrono-tz).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
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
    Entry::function(
        F,
        concat!(
            "make_timestamp",
            "(years: ColumnOrName = None, months: ColumnOrName = None, days: ColumnOrName = None, hours: ColumnOrName = None, mins: ColumnOrName = None, secs: ColumnOrName = None, timezone: ColumnOrName = None, date: ColumnOrName = None, time: ColumnOrName = None) -> Column"
        ),
        "The timestamp of those fields (seconds may have a fraction), read in `timezone` if given; an error if they make no time.",
        make_timestamp,
    ),
    Entry::function(
        F,
        concat!(
            "try_make_timestamp",
            "(years: ColumnOrName = None, months: ColumnOrName = None, days: ColumnOrName = None, hours: ColumnOrName = None, mins: ColumnOrName = None, secs: ColumnOrName = None, timezone: ColumnOrName = None, date: ColumnOrName = None, time: ColumnOrName = None) -> Column"
        ),
        "make_timestamp, null where the fields make no time.",
        try_make_timestamp,
    ),
    Entry::function(
        F,
        concat!(
            "make_timestamp_ltz",
            "(years: ColumnOrName = None, months: ColumnOrName = None, days: ColumnOrName = None, hours: ColumnOrName = None, mins: ColumnOrName = None, secs: ColumnOrName = None, timezone: ColumnOrName = None, date: ColumnOrName = None, time: ColumnOrName = None) -> Column"
        ),
        "make_timestamp.",
        make_timestamp_ltz,
    ),
    Entry::function(
        F,
        concat!(
            "try_make_timestamp_ltz",
            "(years: ColumnOrName = None, months: ColumnOrName = None, days: ColumnOrName = None, hours: ColumnOrName = None, mins: ColumnOrName = None, secs: ColumnOrName = None, timezone: ColumnOrName = None, date: ColumnOrName = None, time: ColumnOrName = None) -> Column"
        ),
        "try_make_timestamp.",
        try_make_timestamp_ltz,
    ),
    Entry::function(
        F,
        concat!(
            "make_timestamp_ntz",
            "(years: ColumnOrName = None, months: ColumnOrName = None, days: ColumnOrName = None, hours: ColumnOrName = None, mins: ColumnOrName = None, secs: ColumnOrName = None, date: ColumnOrName = None, time: ColumnOrName = None) -> Column"
        ),
        "The timestamp (without time zone) of those fields.",
        make_timestamp_ntz,
    ),
    Entry::function(
        F,
        concat!(
            "try_make_timestamp_ntz",
            "(years: ColumnOrName = None, months: ColumnOrName = None, days: ColumnOrName = None, hours: ColumnOrName = None, mins: ColumnOrName = None, secs: ColumnOrName = None, date: ColumnOrName = None, time: ColumnOrName = None) -> Column"
        ),
        "make_timestamp_ntz, null where the fields make no time.",
        try_make_timestamp_ntz,
    ),
    Entry::function(
        F,
        "to_timestamp_ltz(timestamp: ColumnOrName, format: ColumnOrName = None) -> Column",
        "A timestamp from text (in `format`) or a date; null if it does not parse.",
        to_timestamp_ltz,
    ),
    Entry::function(
        F,
        "to_timestamp_ntz(timestamp: ColumnOrName, format: ColumnOrName = None) -> Column",
        "A timestamp without time zone from text (in `format`) or a date; null if it does not parse.",
        to_timestamp_ntz,
    ),
    Entry::function(
        F,
        "try_to_timestamp(col: ColumnOrName, format: ColumnOrName = None) -> Column",
        "A timestamp from text (in `format`); null if it does not parse.",
        try_to_timestamp,
    ),
    Entry::function(
        F,
        "try_to_date(col: ColumnOrName, format: str = None) -> Column",
        "A date from text (in `format`); null if it does not parse.",
        try_to_date,
    ),
    Entry::function(
        F,
        "timestamp_diff(unit: str, start: ColumnOrName, end: ColumnOrName) -> Column",
        "Whole `unit`s (YEAR … MICROSECOND) from `start` to `end`.",
        timestamp_diff,
    ),
    Entry::function(
        F,
        "timestamp_add(unit: str, quantity: ColumnOrName, ts: ColumnOrName) -> Column",
        "The timestamp `quantity` `unit`s (YEAR … MICROSECOND) later.",
        timestamp_add,
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

fn ts_type() -> DataType {
    DataType::Datetime(TimeUnit::Microseconds, None)
}

fn column(expr: Expr, name: String) -> Result<Value, LangError> {
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
fn timestamps(e: Expr, format: Option<&str>) -> Expr {
    match format {
        Some(f) => parse_with(e.cast(DataType::String), Some(f), ts_type()),
        None => as_temporal(e).cast(ts_type()),
    }
}

/// An optional format argument: a literal string (a literal column's text too).
fn format_arg(call: &Call, param: &str) -> Result<Option<String>, LangError> {
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

/// What make_timestamp's variants differ in.
struct Make {
    label: &'static str,
    /// Null rather than an error where the fields make no time.
    lenient: bool,
    /// Reads a `timezone` argument (the `_ntz` variants have none).
    zoned: bool,
}

fn make(ctx: &dyn Context, call: &Call, how: Make) -> Result<Value, LangError> {
    if call.given("date") || call.given("time") {
        return Err(LangError::unsupported(format!(
            "{}(date=..., time=...) needs the TIME type, which Faísca does not have",
            how.label
        ))
        .at(call.span)
        .with_hint("pass years, months, days, hours, mins and secs"));
    }
    let names = ["years", "months", "days", "hours", "mins", "secs"];
    let mut cols = Vec::new();
    for n in names {
        if !call.given(n) {
            return Err(LangError::type_error(format!(
                "{}() missing required argument '{n}'",
                how.label
            ))
            .at(call.span));
        }
        cols.push(call.column(n)?);
    }
    let session = session_zone(ctx);
    let zone = if how.zoned && call.given("timezone") {
        Some(call.column("timezone")?)
    } else {
        None
    };
    let mut label_args: Vec<String> = cols.iter().map(|c| c.name.clone()).collect();
    // Spark's own label leaves the zone out of this one name only.
    if let Some(z) = &zone
        && how.label != "try_make_timestamp"
    {
        label_args.push(z.name.clone());
    }
    let mut exprs: Vec<Expr> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.expr.clone().cast(if i == 5 {
                DataType::Float64
            } else {
                DataType::Int64
            })
        })
        .collect();
    let zoned = zone.is_some();
    if let Some(z) = zone {
        exprs.push(z.expr.cast(DataType::String));
    }
    let label = how.label;
    let invalid = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let seen = invalid.clone();
    let e = per_row(exprs, ts_type(), move |vs| {
        let int = |i: usize| match &vs[i] {
            Value::Int(n) => *n,
            _ => i64::MIN,
        };
        let secs = match &vs[5] {
            Value::Float(f) => *f,
            Value::Int(n) => *n as f64,
            _ => f64::NAN,
        };
        let t = built(int(0), int(1), int(2), int(3), int(4), secs);
        let t = match (t, zoned) {
            (Some(t), true) => match &vs[6] {
                Value::Str(name) => Zone::parse(name).map(|z| session.from_utc(z.to_utc(t))),
                _ => None,
            },
            (t, _) => t,
        };
        match t {
            Some(t) => Value::Timestamp(t),
            None => {
                seen.lock()
                    .expect("not poisoned")
                    .get_or_insert_with(|| format!("{label}: the fields make no valid timestamp"));
                Value::None
            }
        }
    });
    let e = if how.lenient {
        e
    } else {
        // The ANSI variant fails the job on the first invalid row.
        e.map(
            move |c| match invalid.lock().expect("not poisoned").take() {
                Some(msg) => Err(polars_err!(ComputeError: "[DATETIME_FIELD_OUT_OF_BOUNDS] {msg}")),
                None => Ok(c),
            },
            |_, f| Ok(f.clone()),
        )
    };
    column(e, format!("{label}({})", label_args.join(", ")))
}

/// The wall-clock time of the fields, if they name one (seconds below 60, with a fraction).
fn built(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: f64) -> Option<NaiveDateTime> {
    if !(0.0..60.0).contains(&s) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(y).ok()?,
        u32::try_from(mo).ok()?,
        u32::try_from(d).ok()?,
    )?;
    let micros = (s * 1_000_000.0).round() as i64;
    let time = NaiveTime::from_hms_opt(u32::try_from(h).ok()?, u32::try_from(mi).ok()?, 0)?;
    Some(date.and_time(time) + Duration::microseconds(micros))
}

fn make_timestamp(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(
        ctx,
        &call,
        Make {
            label: "make_timestamp",
            lenient: false,
            zoned: true,
        },
    )
}

fn try_make_timestamp(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(
        ctx,
        &call,
        Make {
            label: "try_make_timestamp",
            lenient: true,
            zoned: true,
        },
    )
}

fn make_timestamp_ltz(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(
        ctx,
        &call,
        Make {
            label: "make_timestamp_ltz",
            lenient: false,
            zoned: true,
        },
    )
}

fn try_make_timestamp_ltz(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(
        ctx,
        &call,
        Make {
            label: "try_make_timestamp_ltz",
            lenient: true,
            zoned: true,
        },
    )
}

fn make_timestamp_ntz(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(
        ctx,
        &call,
        Make {
            label: "make_timestamp_ntz",
            lenient: false,
            zoned: false,
        },
    )
}

fn try_make_timestamp_ntz(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(
        ctx,
        &call,
        Make {
            label: "try_make_timestamp_ntz",
            lenient: true,
            zoned: false,
        },
    )
}

fn parse_call(call: &Call, param: &str, label: &str, to: DataType) -> Result<Value, LangError> {
    let c = call.column(param)?;
    let format = format_arg(call, "format")?;
    let (e, name) = match &format {
        Some(f) => (
            parse_with(c.expr.cast(DataType::String), Some(f), to.clone()),
            format!("{label}({}, {f})", c.name),
        ),
        None if label.starts_with("try_") => {
            // Each form Spark reads without a pattern; null when none fits.
            let text = c.expr.cast(DataType::String);
            let forms = [
                "yyyy-MM-dd HH:mm:ss.SSSSSS",
                "yyyy-MM-dd HH:mm:ss",
                "yyyy-MM-dd'T'HH:mm:ss",
                "yyyy-MM-dd",
            ];
            let tries: Vec<Expr> = forms
                .iter()
                .map(|f| parse_with(text.clone(), Some(f), to.clone()))
                .collect();
            (coalesce(&tries), format!("{label}({})", c.name))
        }
        None => (
            as_temporal(c.expr).cast(to.clone()),
            format!("{label}({})", c.name),
        ),
    };
    column(e, name)
}

fn to_timestamp_ltz(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    parse_call(&call, "timestamp", "to_timestamp_ltz", ts_type())
}

fn to_timestamp_ntz(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    parse_call(&call, "timestamp", "to_timestamp_ntz", ts_type())
}

fn try_to_timestamp(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    parse_call(&call, "col", "try_to_timestamp", ts_type())
}

fn try_to_date(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    parse_call(&call, "col", "try_to_date", DataType::Date)
}

/// `YEAR`, `week`, … as Spark's timestampdiff/timestampadd units.
#[derive(Clone, Copy)]
enum Unit {
    Months(i64),
    Micros(i64),
}

fn unit(name: &str, span: Span) -> Result<Unit, LangError> {
    Ok(match name.to_uppercase().as_str() {
        "YEAR" => Unit::Months(12),
        "QUARTER" => Unit::Months(3),
        "MONTH" => Unit::Months(1),
        "WEEK" => Unit::Micros(7 * 86_400_000_000),
        "DAY" | "DAYOFYEAR" => Unit::Micros(86_400_000_000),
        "HOUR" => Unit::Micros(3_600_000_000),
        "MINUTE" => Unit::Micros(60_000_000),
        "SECOND" => Unit::Micros(1_000_000),
        "MILLISECOND" => Unit::Micros(1_000),
        "MICROSECOND" => Unit::Micros(1),
        other => {
            return Err(LangError::new(
                "IllegalArgumentException",
                format!(
                    "[INVALID_PARAMETER_VALUE.DATETIME_UNIT] unit `{other}` is not a datetime unit"
                ),
            )
            .at(span)
            .with_hint(
                "YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND or MICROSECOND",
            ));
        }
    })
}

fn months_since_epoch(t: &NaiveDateTime) -> i64 {
    t.year() as i64 * 12 + t.month0() as i64
}

fn timestamp_diff(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("unit")?;
    let u = unit(&name, call.span_of("unit"))?;
    let (a, b) = (call.column("start")?, call.column("end")?);
    let label = format!("timestampdiff({name}, {}, {})", a.name, b.name);
    let e = per_row(
        vec![timestamps(a.expr, None), timestamps(b.expr, None)],
        DataType::Int64,
        move |vs| match (&vs[0], &vs[1], u) {
            (Value::Timestamp(s), Value::Timestamp(e), Unit::Micros(per)) => {
                Value::Int((*e - *s).num_microseconds().unwrap_or(0) / per)
            }
            (Value::Timestamp(s), Value::Timestamp(e), Unit::Months(per)) => {
                let mut months = months_since_epoch(e) - months_since_epoch(s);
                // A month not yet complete does not count.
                let rest = |t: &NaiveDateTime| (t.day(), t.time());
                if months > 0 && rest(e) < rest(s) {
                    months -= 1;
                } else if months < 0 && rest(e) > rest(s) {
                    months += 1;
                }
                Value::Int(months / per)
            }
            _ => Value::None,
        },
    );
    column(e, label)
}

fn timestamp_add(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("unit")?;
    let u = unit(&name, call.span_of("unit"))?;
    let (q, ts) = (call.column("quantity")?, call.column("ts")?);
    let label = format!("timestampadd({name}, {}, {})", q.name, ts.name);
    let e = per_row(
        vec![q.expr.cast(DataType::Int64), timestamps(ts.expr, None)],
        ts_type(),
        move |vs| match (&vs[0], &vs[1], u) {
            (Value::Int(n), Value::Timestamp(t), Unit::Micros(per)) => {
                n.checked_mul(per).map_or(Value::None, |m| {
                    Value::Timestamp(*t + Duration::microseconds(m))
                })
            }
            (Value::Int(n), Value::Timestamp(t), Unit::Months(per)) => {
                let months = n * per;
                let shifted = if months >= 0 {
                    t.checked_add_months(chrono::Months::new(months as u32))
                } else {
                    t.checked_sub_months(chrono::Months::new((-months) as u32))
                };
                shifted.map_or(Value::None, Value::Timestamp)
            }
            _ => Value::None,
        },
    );
    column(e, label)
}
