//! What the session knows about itself, as columns: its catalog, database, time zone,
//! user, and the partition a row is in (one partition locally).

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Module, Value};
use crate::core::views::CATALOG;

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "current_catalog() -> Column",
        "The catalog, `spark_catalog`.",
        current_catalog,
    ),
    Entry::function(
        F,
        "current_database() -> Column",
        "The current database.",
        current_database,
    )
    .aliases(&["current_schema"]),
    Entry::function(
        F,
        "current_timezone() -> Column",
        "The session time zone (spark.sql.session.timeZone).",
        current_timezone,
    ),
    Entry::function(
        F,
        "current_user() -> Column",
        "The user running the kernel.",
        current_user,
    )
    .aliases(&["user", "session_user"]),
    Entry::function(
        F,
        "spark_partition_id() -> Column",
        "The row's partition: 0, as the local engine keeps one.",
        spark_partition_id,
    ),
];

fn constant(text: String, name: &str) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(lit(text), name))))
}

fn current_catalog(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    constant(CATALOG.into(), "current_catalog()")
}
fn current_database(ctx: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    constant(
        ctx.views().current_database().to_string(),
        "current_schema()",
    )
}
fn current_timezone(ctx: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    let tz = ctx
        .conf()
        .get("spark.sql.session.timeZone")
        .unwrap_or_else(|| "Etc/UTC".into());
    constant(tz, "current_timezone()")
}
fn current_user(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let user = std::env::var("USER").unwrap_or_else(|_| "faisca".into());
    constant(user, &format!("{}()", call.name))
}
fn spark_partition_id(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(
        lit(0i32),
        "SPARK_PARTITION_ID()",
    ))))
}
