//! Timestamps built from parts or text, and arithmetic on them: the `make_timestamp`
//! family (read in a zone, or the session's), `to_timestamp_ltz/ntz`, `try_to_timestamp`,
//! `timestamp_diff` and `timestamp_add` by Spark's units.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use polars::prelude::*;

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::value::{Module, Value};

use super::by_value::per_row;
use super::dates::{as_temporal, parse_with};
use super::zones::{Zone, column, format_arg, session_zone, timestamps, ts_type};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
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
