//! Caching, as Spark: `cache()`/`persist()` mark the DataFrame itself (every variable
//! holding it); the first action that reads it materialises it in memory and later ones
//! reuse the rows; `unpersist()` forgets them. Tables: `spark.catalog.cacheTable` and SQL
//! `CACHE TABLE` (eager unless `LAZY`), `uncacheTable`/`UNCACHE TABLE`, `clearCache`.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::run_action;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Frame, Receiver, Value};

const DF: Receiver = Receiver::DataFrame;
const CATALOG: Receiver = Receiver::Catalog;

/// Spark's default level for DataFrames and tables.
const DEFAULT_LEVEL: &str = "MEMORY_AND_DISK_DESER";

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "cache() -> DataFrame",
        "Keeps the rows in memory from the first action on (MEMORY_AND_DISK_DESER).",
        cache,
    ),
    Entry::method(
        DF,
        "persist(storageLevel: any = None) -> DataFrame",
        "As cache(): rows kept in memory from the first action on.",
        cache,
    ),
    Entry::method(
        DF,
        "unpersist(blocking: bool = False) -> DataFrame",
        "Forgets the cached rows; actions compute the plan again.",
        unpersist,
    ),
    Entry::property(
        DF,
        "is_cached",
        "Whether cache() or persist() marked it.",
        is_cached,
    ),
    Entry::method(
        CATALOG,
        "cacheTable(tableName: str, storageLevel: any = None) -> None",
        "Caches a temp view: its first query materialises it.",
        cache_table,
    ),
    Entry::method(
        CATALOG,
        "uncacheTable(tableName: str) -> None",
        "Forgets a temp view's cached rows.",
        uncache_table,
    ),
    Entry::method(
        CATALOG,
        "isCached(tableName: str) -> bool",
        "Whether the temp view is cached.",
        is_table_cached,
    ),
    Entry::method(
        CATALOG,
        "clearCache() -> None",
        "Forgets every cached DataFrame and table.",
        clear_cache,
    ),
];

/// Marks `f` cached (once) under `name`; the mark is shared with every copy of `f`.
pub fn mark_cached(ctx: &dyn Context, f: &Frame, name: &str) {
    if f.storage.get().is_none() {
        let cached = ctx.engine().persist(f, name, DEFAULT_LEVEL);
        f.storage.set(Some(cached));
    }
}

/// Forgets `f`'s cache; false if it had none.
pub fn unmark_cached(ctx: &dyn Context, f: &Frame) -> bool {
    match f.storage.set(None) {
        Some(cached) => ctx.engine().unpersist(cached.id),
        None => false,
    }
}

/// Materialises a cached frame now (SQL's eager `CACHE TABLE`).
pub fn fill_cache(ctx: &dyn Context, f: &Frame, action: &str) -> Result<(), LangError> {
    run_action(ctx, action, f.current_lf().select([len()]))?;
    Ok(())
}

/// The receiver as the variable holds it (not the cached plan `this_frame` builds on), so
/// the mark lands on the DataFrame itself.
fn this(call: &Call) -> Result<Frame, LangError> {
    match &call.this {
        Value::Frame(f) => Ok((**f).clone()),
        other => Err(call.wrong_receiver(other)),
    }
}

fn cache(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = this(&call)?;
    mark_cached(ctx, &f, &f.repr());
    Ok(Value::Frame(Box::new(f)))
}

fn unpersist(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = this(&call)?;
    unmark_cached(ctx, &f);
    Ok(Value::Frame(Box::new(f)))
}

fn is_cached(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    match v {
        Value::Frame(f) => Ok(Value::Bool(f.storage.get().is_some())),
        other => Err(LangError::type_error(format!(
            "'{}' object has no attribute 'is_cached'",
            other.type_name()
        ))),
    }
}

/// The temp view `name`, or Spark's error pointing at the argument.
fn view(ctx: &dyn Context, call: &Call) -> Result<Frame, LangError> {
    let name = call.str("tableName")?;
    ctx.views()
        .get(&name)
        .cloned()
        .ok_or_else(|| ctx.views().not_found(&name).at(call.span_of("tableName")))
}

fn cache_table(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = view(ctx, &call)?;
    mark_cached(ctx, &f, &call.str("tableName")?);
    Ok(Value::None)
}

fn uncache_table(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = view(ctx, &call)?;
    unmark_cached(ctx, &f);
    Ok(Value::None)
}

fn is_table_cached(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = view(ctx, &call)?;
    Ok(Value::Bool(f.storage.get().is_some()))
}

fn clear_cache(ctx: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    for (_, f) in ctx.views().iter() {
        f.storage.set(None);
    }
    ctx.engine().clear_cache();
    Ok(Value::None)
}
