//! SQL over the session's temp views, through Polars' SQL engine. `show tables` and
//! `describe <view>` answer in Spark's shape.

use polars::prelude::*;
use polars::sql::SQLContext;

use crate::core::error::{LangError, polars_error};
use crate::core::types::spark_type;
use crate::core::views::Views;

pub(super) fn run_sql(query: &str, views: &Views) -> Result<LazyFrame, LangError> {
    let normalized: Vec<String> = query
        .trim()
        .trim_end_matches(';')
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let words: Vec<&str> = normalized.iter().map(String::as_str).collect();
    if words.first() == Some(&"show") && matches!(words.get(1), Some(&"tables" | &"views")) {
        let relations: Vec<_> = views.relations().collect();
        let df = df!(
            "namespace" => relations.iter().map(|(_, r)| r.database.clone().unwrap_or_default()).collect::<Vec<_>>(),
            "tableName" => relations.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>(),
            "isTemporary" => relations.iter().map(|(_, r)| r.database.is_none()).collect::<Vec<_>>(),
        )
        .map_err(polars_error)?;
        return Ok(df.lazy());
    }
    if matches!(words.first(), Some(&"describe" | &"desc")) {
        let table = words.last().copied().unwrap_or("");
        let frame = views.get(table).ok_or_else(|| views.not_found(table))?;
        let types: Vec<String> = frame.schema.iter().map(|(_, t)| spark_type(t)).collect();
        let df = df!("col_name" => frame.columns(), "data_type" => types).map_err(polars_error)?;
        return Ok(df.lazy());
    }
    let mut ctx = SQLContext::new();
    for (name, frame) in views.iter() {
        ctx.register(name, frame.current_lf());
    }
    // Spark's identifiers are case-insensitive but Polars' SQL looks tables up exactly:
    // register each view also under every spelling the query uses for it.
    for word in query.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if let Some(frame) = views.get(word).filter(|_| word != word.to_lowercase()) {
            ctx.register(word, frame.current_lf());
        }
    }
    // The session has one namespace: `global_temp.people` and `default.t` name the
    // relations `people` and `t`.
    static QUALIFIED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:spark_catalog\.)?(?:global_temp|default)\.([A-Za-z_][A-Za-z0-9_]*)",
        )
        .expect("a valid pattern")
    });
    let unqualified = QUALIFIED.replace_all(query, |c: &regex::Captures<'_>| {
        if views.contains(&c[1]) {
            c[1].to_string()
        } else {
            c[0].to_string()
        }
    });
    let query: &str = &unqualified;
    ctx.execute(query).map_err(|e| {
        let err = polars_error(e);
        if err.message.contains("not found") || err.message.contains("relation") {
            let lower = query.to_lowercase();
            for word in query.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                let w = word.to_lowercase();
                let after_from =
                    lower.contains(&format!("from {w}")) || lower.contains(&format!("join {w}"));
                if !w.is_empty() && !views.contains(&w) && after_from {
                    return views.not_found(word);
                }
            }
        }
        err
    })
}
