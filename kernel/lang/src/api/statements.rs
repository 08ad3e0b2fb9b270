//! SQL statements that change the session rather than read data: temp views are the
//! session's catalog, so `CREATE TEMP VIEW … AS` and `DROP VIEW`/`DROP TABLE` act on it, and
//! statements that would modify data (`DELETE`, `TRUNCATE`, `INSERT`, …) are refused as
//! Spark refuses them on a temp view, never answered "ok" with nothing changed.

use polars::prelude::{DataFrame, IntoLazy, LazyFrame};

use crate::api::common::new_frame;
use crate::api::dataframe::storage::{fill_cache, mark_cached, unmark_cached};
use crate::core::context::Context;
use crate::core::error::{LangError, Span};

/// Runs `query` on the session: a statement is applied here, a query goes to the engine.
pub fn run_sql(ctx: &mut dyn Context, query: &str) -> Result<LazyFrame, LangError> {
    let text = query.trim().trim_end_matches(';').trim();
    let words: Vec<String> = text
        .split_whitespace()
        .take(12)
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    if let Some(result) = crate::api::tables::statement(ctx, text, &words, run_sql) {
        return result;
    }
    match word(0) {
        "drop" if matches!(word(1), "table" | "view") => drop_view(ctx, &words),
        "create" => create_view(ctx, text, &words),
        "cache" => cache_table(ctx, &words),
        "uncache" => uncache_table(ctx, &words),
        "delete" | "truncate" | "insert" | "update" | "merge" | "alter" => {
            Err(LangError::analysis(format!(
                "[UNSUPPORTED_FEATURE.TABLE_OPERATION] {} is not supported: temp views are read-only queries over their DataFrames.",
                word(0).to_uppercase()
            ))
            .with_hint(
                "build the changed data with filter/withColumn and register it again with createOrReplaceTempView",
            ))
        }
        // Spark's own SQL has table literals and range(): the query goes as written.
        _ if ctx.engine().speaks_spark_sql() => ctx.engine().sql(query, ctx.views()),
        _ => match crate::api::sql_literals::rewrite(query) {
            // Literal tables are built here and queried as views of this query alone.
            Some(rewritten) => {
                let rewritten = rewritten?;
                ctx.config()
                    .check_memory(rewritten.range_bytes, "the SQL range()")?;
                let mut views = ctx.views().clone();
                for (name, lf) in rewritten.tables {
                    let frame = new_frame(ctx, lf, Span::new(0, 0))?;
                    views.insert(&name, frame);
                }
                ctx.engine().sql(&rewritten.sql, &views)
            }
            None => ctx.engine().sql(query, ctx.views()),
        },
    }
}

/// `CACHE [LAZY] TABLE name`: eager unless `LAZY`, as Spark.
fn cache_table(ctx: &mut dyn Context, words: &[String]) -> Result<LazyFrame, LangError> {
    let lazy = words.get(1).is_some_and(|w| w == "lazy");
    let at = if lazy { 2 } else { 1 };
    let (Some("table"), Some(name), None) = (
        words.get(at).map(String::as_str),
        words.get(at + 1),
        words.get(at + 2),
    ) else {
        return Err(LangError::new(
            "ParseException",
            "expected CACHE [LAZY] TABLE name (CACHE TABLE … AS query is not supported: create the view first)",
        ));
    };
    let name = name.trim_matches('`');
    let frame = ctx
        .views()
        .get(name)
        .cloned()
        .ok_or_else(|| ctx.views().not_found(name))?;
    mark_cached(ctx, &frame, name);
    if !lazy {
        fill_cache(ctx, &frame, "CACHE TABLE")?;
    }
    Ok(empty())
}

/// `UNCACHE TABLE [IF EXISTS] name`.
fn uncache_table(ctx: &mut dyn Context, words: &[String]) -> Result<LazyFrame, LangError> {
    let if_exists = if_exists_at(words, 2);
    let at = if if_exists { 4 } else { 2 };
    let (Some("table"), Some(name), None) = (
        words.get(1).map(String::as_str),
        words.get(at),
        words.get(at + 1),
    ) else {
        return Err(LangError::new(
            "ParseException",
            "expected UNCACHE TABLE [IF EXISTS] name",
        ));
    };
    let name = name.trim_matches('`');
    match ctx.views().get(name).cloned() {
        Some(frame) => {
            unmark_cached(ctx, &frame);
        }
        None if if_exists => {}
        None => return Err(ctx.views().not_found(name)),
    }
    Ok(empty())
}

/// Whether `IF EXISTS` is at word `i`.
fn if_exists_at(words: &[String], i: usize) -> bool {
    words.get(i).is_some_and(|w| w == "if") && words.get(i + 1).is_some_and(|w| w == "exists")
}

fn empty() -> LazyFrame {
    DataFrame::empty().lazy()
}

/// `DROP TABLE|VIEW [IF EXISTS] name`.
fn drop_view(ctx: &mut dyn Context, words: &[String]) -> Result<LazyFrame, LangError> {
    let if_exists = if_exists_at(words, 2);
    let name_at = if if_exists { 4 } else { 2 };
    let Some(name) = words.get(name_at).filter(|_| words.len() == name_at + 1) else {
        return Err(LangError::new(
            "ParseException",
            "expected DROP TABLE|VIEW [IF EXISTS] name",
        ));
    };
    let name = name.trim_matches('`');
    if !ctx.views_mut().remove(name) && !if_exists {
        return Err(ctx.views().not_found(name));
    }
    Ok(empty())
}

/// `CREATE [OR REPLACE] [GLOBAL] TEMP|TEMPORARY VIEW [IF NOT EXISTS] name AS query`; other
/// `CREATE`s (tables, databases) are refused.
fn create_view(
    ctx: &mut dyn Context,
    text: &str,
    words: &[String],
) -> Result<LazyFrame, LangError> {
    let mut i = 1;
    let replace =
        words.get(1).is_some_and(|w| w == "or") && words.get(2).is_some_and(|w| w == "replace");
    if replace {
        i += 2;
    }
    if words.get(i).is_some_and(|w| w == "global") {
        i += 1;
    }
    if !(words
        .get(i)
        .is_some_and(|w| w == "temp" || w == "temporary")
        && words.get(i + 1).is_some_and(|w| w == "view"))
    {
        return Err(LangError::analysis(
            "[UNSUPPORTED_FEATURE] only CREATE [OR REPLACE] TEMP VIEW name AS query is supported: the session has temp views, not tables",
        )
        .with_hint("or register a DataFrame with df.createOrReplaceTempView(\"name\")"));
    }
    i += 2;
    let if_not_exists = words.get(i).is_some_and(|w| w == "if")
        && words.get(i + 1).is_some_and(|w| w == "not")
        && words.get(i + 2).is_some_and(|w| w == "exists");
    if if_not_exists {
        i += 3;
    }
    let (Some(name), Some(as_word)) = (words.get(i), words.get(i + 1)) else {
        return Err(LangError::new(
            "ParseException",
            "expected CREATE TEMP VIEW name AS query",
        ));
    };
    if as_word != "as" {
        return Err(LangError::new(
            "ParseException",
            "expected CREATE TEMP VIEW name AS query",
        ));
    }
    let name = name.trim_matches('`').to_string();
    // The query is what follows the first standalone AS.
    let lower = text.to_ascii_lowercase();
    let query_at = lower
        .match_indices("as")
        .map(|(at, _)| at)
        .find(|&at| {
            let before = lower[..at].chars().last().is_none_or(char::is_whitespace);
            let after = lower[at + 2..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace);
            before && after
        })
        .map(|at| at + 2)
        .unwrap_or(text.len());
    let query = text[query_at..].trim();
    if ctx.views().contains(&name) {
        if if_not_exists {
            return Ok(empty());
        }
        if !replace {
            return Err(LangError::analysis(format!(
                "[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view `{name}` because it already exists."
            ))
            .with_hint("use CREATE OR REPLACE TEMP VIEW"));
        }
    }
    let lf = ctx.engine().sql(query, ctx.views())?;
    let mut frame = ctx.engine().analyze(lf)?;
    frame.plan = sql_plan(query);
    ctx.engine().register_view(&name, &frame)?;
    ctx.views_mut().insert(&name, frame);
    Ok(empty())
}

/// `spark.sql(query)` as a neutral plan.
pub fn sql_plan(query: &str) -> std::sync::Arc<crate::core::plan::Plan> {
    std::sync::Arc::new(crate::core::plan::Plan::Call {
        name: "sql",
        receiver: Some(crate::core::plan::Plan::leaf("spark")),
        args: vec![(
            "sqlQuery",
            crate::core::plan::Arg::Literal(crate::core::value::Value::Str(query.into()).repr()),
        )],
    })
}
