//! SparkSession and what hangs off it: the builder (the session already exists), the
//! SparkContext, `findspark`, `spark.sql`, `spark.table`, `spark.range` and the catalog.

use polars::prelude::*;
use std::sync::Arc;

use crate::api::call::Call;
use crate::api::common::{frame_value, locate};
use crate::api::create::create_dataframe;
use crate::api::entry::Entry;
use crate::api::tables::{glob_matches, table_row};
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Module, Reader, Receiver, Value};

const SPARK: Receiver = Receiver::SparkSession;
const BUILDER: Receiver = Receiver::Builder;
const CATALOG: Receiver = Receiver::Catalog;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        SPARK,
        "sql(sqlQuery: str, args: dict|list = None, **kwargs) -> DataFrame",
        "A lazy DataFrame from SQL over the session's tables and views; `{name}` takes a keyword argument (a DataFrame, a column or a value), `:name`/`?` take `args`.",
        sql,
    ),
    Entry::method(
        SPARK,
        "emptyDataFrame(schema: any) -> DataFrame",
        "A DataFrame without rows with the schema (a StructType or DDL string).",
        empty_data_frame,
    ),
    Entry::method(
        SPARK,
        "newSession() -> SparkSession",
        "The kernel's session: one notebook, one session.",
        same_session,
    ),
    Entry::method(
        Receiver::SessionClass,
        "getActiveSession() -> SparkSession",
        "The kernel's session.",
        same_session,
    ),
    Entry::method(
        Receiver::SessionClass,
        "active() -> SparkSession",
        "The kernel's session.",
        same_session,
    ),
    Entry::method(
        SPARK,
        "table(tableName: str) -> DataFrame",
        "The temp view called `tableName` (any case).",
        table,
    ),
    Entry::method(
        SPARK,
        "createDataFrame(data: any, schema: list|str|DataType = None) -> DataFrame",
        "A DataFrame from rows (tuples or Rows) and column names or a DDL string.",
        create,
    ),
    Entry::method(
        SPARK,
        "range(start: int, end: int = None, step: int = 1, numPartitions: int = None) -> DataFrame",
        "A column `id` from start to end (exclusive); numPartitions has no effect here.",
        range,
    ),
    Entry::method(
        SPARK,
        "stop() -> None",
        "Does nothing: the kernel's session lives as long as the kernel.",
        nothing,
    ),
    Entry::property(SPARK, "read", "A DataFrameReader.", read),
    Entry::property(SPARK, "catalog", "The catalog of temp views.", catalog),
    Entry::property(SPARK, "version", "Faísca's version.", version),
    Entry::property(
        SPARK,
        "sparkContext",
        "The SparkContext (for setLogLevel).",
        spark_context,
    ),
    Entry::property(
        Receiver::SessionClass,
        "builder",
        "The session builder; getOrCreate() returns the kernel's session.",
        builder,
    ),
    Entry::method(
        BUILDER,
        "master(master: str) -> Builder",
        "Accepted for compatibility; Faísca runs on this machine.",
        same_builder,
    ),
    Entry::method(
        BUILDER,
        "appName(name: str) -> Builder",
        "Accepted for compatibility; the kernel's session keeps its name.",
        same_builder,
    ),
    Entry::method(
        BUILDER,
        "config(key: str = None, value: any = None, conf: any = None, map: dict = None) -> Builder",
        "Sets `key` (or each of `map`) in spark.conf, as getOrCreate applies a builder's settings to the running session.",
        builder_config,
    ),
    Entry::method(
        BUILDER,
        "remote(url: str) -> Builder",
        "Sends the session's queries to the Spark Connect server at `url` (`sc://host:15002/;token=…`): reads, transformations, SQL and actions run on the cluster; parsing and rendering stay in the kernel.",
        remote,
    ),
    Entry::method(
        BUILDER,
        "enableHiveSupport() -> Builder",
        "Accepted for compatibility; there is no Hive metastore.",
        same_builder,
    ),
    Entry::method(
        BUILDER,
        "getOrCreate() -> SparkSession",
        "The kernel's session (`spark`).",
        get_or_create,
    ),
    Entry::method(
        Receiver::SparkContext,
        "setLogLevel(logLevel: str) -> None",
        "Checks the level; the kernel's log is set by FAISCA_LOG.",
        set_log_level,
    ),
    Entry::constant(
        &[Module::Sql, Module::PySpark],
        "SparkSession",
        "The session class; `SparkSession.builder…getOrCreate()` returns `spark`.",
        session_class,
    ),
    Entry::function(
        &[Module::Findspark],
        "init(spark_home: str = None, python_path: str = None, edit_rc: bool = False, edit_profile: bool = False) -> None",
        "Nothing to find: Faísca needs no Spark installation.",
        nothing,
    ),
    Entry::method(
        CATALOG,
        "listTables(dbName: str = None, pattern: str = None) -> list",
        "The tables and views, as Rows; `pattern` is a glob (`test*`).",
        list_tables,
    ),
    Entry::method(
        CATALOG,
        "dropTempView(viewName: str) -> bool",
        "Drops a temp view; whether it existed.",
        drop_temp_view,
    ),
    Entry::method(
        CATALOG,
        "dropGlobalTempView(viewName: str) -> bool",
        "Drops a global temp view; whether it existed.",
        drop_temp_view,
    ),
    Entry::method(
        CATALOG,
        "tableExists(tableName: str, dbName: str = None) -> bool",
        "Whether a table or view of that name exists.",
        table_exists,
    ),
];

fn sql(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let bound = crate::api::sql_params::bind_parameters(ctx, &call)?;
    let span = call.span_of("sqlQuery");
    let result = crate::api::statements::run_sql(ctx, &bound.query)
        .map_err(|e| locate(ctx, e, span))
        .and_then(|lf| frame_value(ctx, lf, span));
    // The views made for DataFrame arguments served this query only.
    for view in &bound.views {
        ctx.views_mut().remove(view);
    }
    result
}

fn table(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("tableName")?;
    match ctx.views().get(&name) {
        Some(f) => Ok(Value::Frame(Box::new(f.clone()))),
        None => Err(ctx.views().not_found(&name).at(call.span_of("tableName"))),
    }
}

fn create(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let schema = (call.value("schema"), call.span_of("schema"));
    let lf = create_dataframe(call.value("data"), call.span_of("data"), schema)?;
    frame_value(ctx, lf, call.span)
}

fn range(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let (start, end) = match call.opt_int("end")? {
        Some(end) => (call.int("start")?, end),
        None => (0, call.int("start")?),
    };
    let step = call.int("step")?;
    if step == 0 {
        return Err(
            LangError::new("IllegalArgumentException", "step must not be 0")
                .at(call.span_of("step")),
        );
    }
    // The local engine materialises a range: refuse one that cannot fit before allocating.
    let (span, step_wide) = (i128::from(end) - i128::from(start), i128::from(step));
    let rows = if (span > 0) == (step_wide > 0) && span != 0 {
        (span.abs() + step_wide.abs() - 1) / step_wide.abs()
    } else {
        0
    };
    ctx.config()
        .check_memory(rows as u128 * 8, &format!("a range of {rows} rows"))
        .map_err(|e| e.at(call.span))?;
    let ids = int_range(lit(start), lit(end), step, DataType::Int64).alias("id");
    frame_value(ctx, DataFrame::empty().lazy().select([ids]), call.span)
}

fn nothing(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    Ok(Value::None)
}

fn read(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Reader(Reader::default()))
}

fn catalog(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Catalog)
}

fn version(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Str(format!("faisca {}", env!("CARGO_PKG_VERSION"))))
}

fn spark_context(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::SparkContext)
}

fn builder(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::Builder)
}

fn session_class(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
    Ok(Value::SessionClass)
}

fn empty_data_frame(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let rows = Value::List(Arc::new(Vec::new()));
    let lf = create_dataframe(
        &rows,
        call.span,
        (call.value("schema"), call.span_of("schema")),
    )?;
    frame_value(ctx, lf, call.span)
}

fn same_session(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    Ok(Value::Spark)
}

fn builder_config(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let text = |v: &Value, span| -> Result<String, LangError> {
        Ok(match v {
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            other => crate::api::convert::as_str(other, span)?,
        })
    };
    if let Some(key) = call.opt_str("key")? {
        let value = text(call.value("value"), call.span_of("value"))?;
        ctx.conf_mut().set(&key, value);
    }
    if let Value::Dict(items) = call.value("map") {
        for (k, v) in items.iter() {
            let key = text(k, call.span_of("map"))?;
            let value = text(v, call.span_of("map"))?;
            ctx.conf_mut().set(&key, value);
        }
    }
    if !call.is_none("conf") {
        return Err(
            LangError::unsupported("config(conf=SparkConf(...)) is not supported")
                .at(call.span_of("conf"))
                .with_hint("pass settings one by one: .config(\"key\", \"value\")"),
        );
    }
    Ok(Value::Builder)
}

fn same_builder(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    Ok(Value::Builder)
}

fn remote(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let url = call.str("url")?;
    ctx.engine()
        .use_remote(&url)
        .map_err(|e| e.at(call.span_of("url")))?;
    Ok(Value::Builder)
}

fn get_or_create(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    Ok(Value::Spark)
}

const LOG_LEVELS: [&str; 8] = [
    "ALL", "DEBUG", "ERROR", "FATAL", "INFO", "OFF", "TRACE", "WARN",
];

fn set_log_level(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let level = call.str("logLevel")?;
    if !LOG_LEVELS.contains(&level.to_uppercase().as_str()) {
        return Err(LangError::new(
            "IllegalArgumentException",
            format!(
                "Supplied level {level} did not match one of: {}",
                LOG_LEVELS.join(",")
            ),
        )
        .at(call.span_of("logLevel")));
    }
    Ok(Value::None)
}

fn list_tables(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let pattern = call.opt_str("pattern")?;
    let rows = ctx
        .views()
        .relations()
        .filter(|(n, _)| pattern.as_deref().is_none_or(|p| glob_matches(p, n)))
        .map(|(n, r)| table_row(n, r.database.as_deref(), &r.kind))
        .collect::<Vec<_>>()
        .into();
    Ok(Value::List(rows))
}

fn drop_temp_view(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("viewName")?;
    Ok(Value::Bool(ctx.views_mut().remove(&name)))
}

fn table_exists(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("tableName")?;
    Ok(Value::Bool(ctx.views().contains(&name)))
}
