//! Tables and databases of the session catalog: the SQL statements that make and change
//! them (`CREATE TABLE`, `INSERT`, `TRUNCATE`, `CREATE VIEW`, `CREATE DATABASE`, `USE`),
//! `df.write.saveAsTable`/`insertInto`, and `spark.catalog`'s questions about them. A
//! table's rows are materialised when it is written, so later changes to the DataFrame
//! that made it do not show through, as with Spark's stored tables.

use std::sync::Arc;

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{new_frame, run_action};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, Span, polars_error};
use crate::core::io::SaveMode;
use crate::core::types::{parse_ddl, spark_type};
use crate::core::value::{Frame, Receiver, Value};
use crate::core::views::{CATALOG, RelationKind};

const CAT: Receiver = Receiver::Catalog;
const WRITER: Receiver = Receiver::Writer;
const READER: Receiver = Receiver::Reader;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        WRITER,
        "saveAsTable(name: str, format: str = None, mode: str = None, partitionBy: str|list = None, **options) -> None",
        "Stores the rows as a table of the session catalog (mode as for save).",
        save_as_table,
    ),
    Entry::method(
        READER,
        "table(tableName: str) -> DataFrame",
        "The table or view called `tableName`.",
        read_table,
    ),
    Entry::method(
        WRITER,
        "insertInto(tableName: str, overwrite: bool = None) -> None",
        "Appends the rows to a table, by position (replaces them with `overwrite`).",
        insert_into,
    ),
    Entry::method(
        CAT,
        "getTable(tableName: str) -> Row",
        "The table or view's description; AnalysisException if there is none.",
        get_table,
    ),
    Entry::method(
        CAT,
        "listDatabases(pattern: str = None) -> list",
        "The databases, as Rows; `pattern` is a glob (`def*`).",
        list_databases,
    ),
    Entry::method(
        CAT,
        "databaseExists(dbName: str) -> bool",
        "Whether the database exists.",
        database_exists,
    ),
    Entry::method(
        CAT,
        "getDatabase(dbName: str) -> Row",
        "The database's description.",
        get_database,
    ),
    Entry::method(
        CAT,
        "currentDatabase() -> str",
        "The current database.",
        current_database,
    ),
    Entry::method(
        CAT,
        "setCurrentDatabase(dbName: str) -> None",
        "Makes `dbName` the current database.",
        set_current_database,
    ),
    Entry::method(
        CAT,
        "currentCatalog() -> str",
        "The catalog's name, `spark_catalog`.",
        current_catalog,
    ),
    Entry::method(
        CAT,
        "setCurrentCatalog(catalogName: str) -> None",
        "Only `spark_catalog` exists.",
        set_current_catalog,
    ),
    Entry::method(
        CAT,
        "listCatalogs(pattern: str = None) -> list",
        "The one catalog, as a Row.",
        list_catalogs,
    ),
    Entry::method(
        CAT,
        "createTable(tableName: str, path: str = None, source: str = None, schema: any = None, description: str = None, **options) -> DataFrame",
        "An empty table with `schema` (a StructType or DDL string).",
        create_table_api,
    ),
    Entry::method(
        CAT,
        "listColumns(tableName: str, dbName: str = None) -> list",
        "The table's columns, as Rows.",
        list_columns,
    ),
    Entry::method(
        CAT,
        "refreshTable(tableName: str) -> None",
        "Nothing to refresh: tables live in the session.",
        refresh_table,
    ),
    Entry::method(
        CAT,
        "refreshByPath(path: str) -> None",
        "Nothing to refresh: tables live in the session.",
        nothing,
    ),
    Entry::method(
        CAT,
        "recoverPartitions(tableName: str) -> None",
        "Nothing to recover: tables live in the session.",
        refresh_table,
    ),
];

fn catalog_error(message: impl Into<String>) -> LangError {
    LangError::analysis(message)
}

/// Materialises `lf` and registers it as table `name`.
fn store(
    ctx: &mut dyn Context,
    name: &str,
    lf: LazyFrame,
    provider: &str,
    span: Span,
) -> Result<(), LangError> {
    let rows = run_action(ctx, "saveAsTable", lf)?;
    let frame = new_frame(ctx, rows.lazy(), span)?;
    let kind = RelationKind::Table {
        provider: provider.to_lowercase(),
    };
    ctx.views_mut().put(name, frame, kind);
    Ok(())
}

/// The rows of `lf` cast, by position, to the table's columns.
fn conform(table: &Frame, incoming: &Frame) -> Result<LazyFrame, LangError> {
    if table.schema.len() != incoming.schema.len() {
        return Err(catalog_error(format!(
            "[INSERT_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS] Cannot write to the table: the table has {} columns, the data {}.",
            table.schema.len(),
            incoming.schema.len()
        )));
    }
    let exprs: Vec<Expr> = table
        .schema
        .iter()
        .zip(incoming.schema.iter_names())
        .map(|((name, dtype), from)| col(from.clone()).cast(dtype.clone()).alias(name.clone()))
        .collect();
    Ok(incoming.current_lf().select(exprs))
}

/// Appends `incoming` to table `name` (or replaces its rows).
fn append(
    ctx: &mut dyn Context,
    name: &str,
    incoming: &Frame,
    overwrite: bool,
    span: Span,
) -> Result<(), LangError> {
    let Some(relation) = ctx.views().relation(name).cloned() else {
        return Err(ctx.views().not_found(name).at(span));
    };
    let RelationKind::Table { provider } = &relation.kind else {
        return Err(LangError::analysis(format!(
            "[UNSUPPORTED_FEATURE.TABLE_OPERATION] `{name}` is a view: INSERT needs a table."
        ))
        .at(span)
        .with_hint("create one with CREATE TABLE or df.write.saveAsTable"));
    };
    let new_rows = conform(&relation.frame, incoming)?;
    let lf = if overwrite {
        new_rows
    } else {
        concat(
            [relation.frame.current_lf(), new_rows],
            UnionArgs::default(),
        )
        .map_err(polars_error)?
    };
    store(ctx, name, lf, provider, span)
}

fn save_as_table(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let Value::Writer(w) = &call.this else {
        return Err(call.wrong_receiver(&call.this));
    };
    let name = call.str("name")?;
    let span = call.span_of("name");
    let mode = match call.opt_str("mode")? {
        Some(m) => SaveMode::parse(&m, call.span_of("mode"))?,
        None => w.mode,
    };
    let provider = call
        .opt_str("format")?
        .or_else(|| w.format.map(|f| format!("{f:?}").to_lowercase()))
        .unwrap_or_else(|| "parquet".into());
    let exists = ctx.views().contains(&name);
    match (exists, mode) {
        (true, SaveMode::ErrorIfExists) => Err(catalog_error(format!(
            "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `{name}` because it already exists."
        ))
        .at(span)
        .with_hint("choose mode('append') or mode('overwrite')")),
        (true, SaveMode::Ignore) => Ok(Value::None),
        (true, SaveMode::Append) => {
            append(ctx, &name, &w.frame, false, span)?;
            Ok(Value::None)
        }
        _ => {
            store(ctx, &name, w.frame.current_lf(), &provider, span)?;
            Ok(Value::None)
        }
    }
}

fn insert_into(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let Value::Writer(w) = &call.this else {
        return Err(call.wrong_receiver(&call.this));
    };
    let name = call.str("tableName")?;
    let overwrite = !call.is_none("overwrite") && call.bool("overwrite")?;
    let overwrite = overwrite || w.mode == SaveMode::Overwrite;
    append(ctx, &name, &w.frame, overwrite, call.span_of("tableName"))?;
    Ok(Value::None)
}

fn read_table(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("tableName")?;
    match ctx.views().get(&name) {
        Some(f) => Ok(Value::Frame(Box::new(f.clone()))),
        None => Err(ctx.views().not_found(&name).at(call.span_of("tableName"))),
    }
}

fn row(fields: Vec<(&str, Value)>) -> Value {
    Value::Row(
        fields
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect(),
    )
}

fn strs(items: &[&str]) -> Value {
    Value::List(Arc::new(
        items.iter().map(|s| Value::Str(s.to_string())).collect(),
    ))
}

/// The `Table` Row PySpark's catalog returns.
pub fn table_row(name: &str, database: Option<&str>, kind: &RelationKind) -> Value {
    let (table_type, temporary) = match kind {
        RelationKind::TempView => ("TEMPORARY", true),
        RelationKind::View => ("VIEW", false),
        RelationKind::Table { .. } => ("MANAGED", false),
    };
    row(vec![
        ("name", Value::Str(name.to_string())),
        (
            "catalog",
            database.map_or(Value::None, |_| Value::Str(CATALOG.into())),
        ),
        ("namespace", database.map_or(strs(&[]), |d| strs(&[d]))),
        ("description", Value::None),
        ("tableType", Value::Str(table_type.into())),
        ("isTemporary", Value::Bool(temporary)),
    ])
}

fn get_table(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("tableName")?;
    match ctx.views().relation(&name) {
        Some(r) => {
            let short = name.rsplit('.').next().unwrap_or(&name);
            Ok(table_row(short, r.database.as_deref(), &r.kind))
        }
        None => Err(ctx.views().not_found(&name).at(call.span_of("tableName"))),
    }
}

/// Spark's catalog patterns: `*` any run of characters, `|` alternatives.
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    fn here(p: &[char], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('*', rest)) => (0..=s.len()).any(|i| here(rest, &s[i..])),
            Some((c, rest)) => s
                .split_first()
                .is_some_and(|(d, more)| c.eq_ignore_ascii_case(d) && here(rest, more)),
        }
    }
    let s: Vec<char> = name.chars().collect();
    pattern.split('|').any(|alt| {
        let p: Vec<char> = alt.trim().chars().collect();
        here(&p, &s)
    })
}

fn list_databases(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let pattern = call.opt_str("pattern")?;
    let rows: Vec<Value> = ctx
        .views()
        .databases()
        .filter(|d| pattern.as_deref().is_none_or(|p| glob_matches(p, d)))
        .map(database_row)
        .collect();
    Ok(Value::List(Arc::new(rows)))
}

fn database_row(name: &str) -> Value {
    let description = if name == "default" {
        Value::Str("default database".into())
    } else {
        Value::None
    };
    row(vec![
        ("name", Value::Str(name.to_string())),
        ("catalog", Value::Str(CATALOG.into())),
        ("description", description),
        ("locationUri", Value::Str(String::new())),
    ])
}

fn database_exists(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("dbName")?;
    Ok(Value::Bool(ctx.views().has_database(&name)))
}

fn get_database(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("dbName")?;
    if !ctx.views().has_database(&name) {
        return Err(catalog_error(format!(
            "[SCHEMA_NOT_FOUND] The schema `{name}` cannot be found."
        ))
        .at(call.span_of("dbName")));
    }
    Ok(database_row(name.rsplit('.').next().unwrap_or(&name)))
}

fn current_database(ctx: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    Ok(Value::Str(ctx.views().current_database().to_string()))
}

fn set_current_database(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("dbName")?;
    ctx.views_mut()
        .use_database(&name)
        .map_err(|e| e.at(call.span_of("dbName")))?;
    Ok(Value::None)
}

fn current_catalog(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    Ok(Value::Str(CATALOG.into()))
}

fn set_current_catalog(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("catalogName")?;
    if !name.eq_ignore_ascii_case(CATALOG) {
        return Err(catalog_error(format!(
            "[CATALOG_NOT_FOUND] The catalog `{name}` not found."
        ))
        .at(call.span_of("catalogName")));
    }
    Ok(Value::None)
}

fn list_catalogs(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let pattern = call.opt_str("pattern")?;
    let rows = if pattern.as_deref().is_none_or(|p| glob_matches(p, CATALOG)) {
        vec![row(vec![
            ("name", Value::Str(CATALOG.into())),
            ("description", Value::None),
        ])]
    } else {
        Vec::new()
    };
    Ok(Value::List(Arc::new(rows)))
}

/// An empty frame with the given columns.
fn empty_table(columns: &[(String, DataType)]) -> LazyFrame {
    let schema: Schema = columns
        .iter()
        .map(|(n, t)| Field::new(n.as_str().into(), t.clone()))
        .collect();
    DataFrame::empty_with_schema(&schema).lazy()
}

fn create_table_api(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("tableName")?;
    let span = call.span_of("tableName");
    let columns = match call.value("schema") {
        Value::Schema(schema) => schema
            .iter()
            .map(|(n, t)| (n.to_string(), t.clone()))
            .collect(),
        Value::Str(ddl) => parse_ddl(ddl)
            .map_err(|e| LangError::new("ParseException", e).at(call.span_of("schema")))?,
        Value::None => Vec::new(),
        other => {
            return Err(LangError::type_error(format!(
                "createTable() schema must be a StructType or a DDL string, not {}",
                other.type_name()
            ))
            .at(call.span_of("schema")));
        }
    };
    if ctx.views().contains(&name) {
        return Err(catalog_error(format!(
            "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `{name}` because it already exists."
        ))
        .at(span));
    }
    let provider = call.opt_str("source")?.unwrap_or_else(|| "parquet".into());
    store(ctx, &name, empty_table(&columns), &provider, span)?;
    let frame = ctx.views().get(&name).cloned().expect("just stored");
    Ok(Value::Frame(Box::new(frame)))
}

fn list_columns(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("tableName")?;
    let Some(frame) = ctx.views().get(&name).cloned() else {
        return Err(ctx.views().not_found(&name).at(call.span_of("tableName")));
    };
    let rows: Vec<Value> = frame
        .schema
        .iter()
        .map(|(n, t)| {
            row(vec![
                ("name", Value::Str(n.to_string())),
                ("description", Value::None),
                ("dataType", Value::Str(spark_type(t))),
                ("nullable", Value::Bool(true)),
                ("isPartition", Value::Bool(false)),
                ("isBucket", Value::Bool(false)),
                ("isCluster", Value::Bool(false)),
            ])
        })
        .collect();
    Ok(Value::List(Arc::new(rows)))
}

fn refresh_table(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("tableName")?;
    if !ctx.views().contains(&name) {
        return Err(ctx.views().not_found(&name).at(call.span_of("tableName")));
    }
    Ok(Value::None)
}

fn nothing(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    Ok(Value::None)
}

/// Runs a query for a statement (`INSERT … SELECT`, `CREATE TABLE … AS`): the caller's
/// SQL runner, passed in so this module does not depend on the one that calls it.
pub type RunSql = fn(&mut dyn Context, &str) -> Result<LazyFrame, LangError>;

/// The statements: `words` are the first lower-cased words of `text`.
pub fn statement(
    ctx: &mut dyn Context,
    text: &str,
    words: &[String],
    run_sql: RunSql,
) -> Option<Result<LazyFrame, LangError>> {
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    let result = match (word(0), word(1)) {
        ("create", "database" | "schema") | ("create", "namespace") => create_database(ctx, words),
        ("drop", "database" | "schema" | "namespace") => drop_database(ctx, words),
        ("use", _) => use_database(ctx, words),
        ("insert", "into" | "overwrite") => insert_statement(ctx, text, words, run_sql),
        ("truncate", "table") => truncate(ctx, words),
        ("create", _) if is_table_or_view(words) => create_statement(ctx, text, words, run_sql),
        _ => return None,
    };
    Some(result.map(|()| DataFrame::empty().lazy()))
}

/// `CREATE [OR REPLACE] TABLE|VIEW …` (not a temp view).
fn is_table_or_view(words: &[String]) -> bool {
    let mut i = 1;
    if words.get(1).is_some_and(|w| w == "or") {
        i = 3;
    }
    matches!(
        words.get(i).map(String::as_str),
        Some("table" | "view" | "external")
    )
}

fn strip_if(words: &[String], at: usize, phrase: &[&str]) -> bool {
    phrase
        .iter()
        .enumerate()
        .all(|(k, p)| words.get(at + k).is_some_and(|w| w == p))
}

fn create_database(ctx: &mut dyn Context, words: &[String]) -> Result<(), LangError> {
    let if_not = strip_if(words, 2, &["if", "not", "exists"]);
    let Some(name) = words.get(if if_not { 5 } else { 2 }) else {
        return Err(LangError::new(
            "ParseException",
            "expected CREATE DATABASE name",
        ));
    };
    let name = name.trim_end_matches(';');
    if !ctx.views_mut().create_database(name) && !if_not {
        return Err(catalog_error(format!(
            "[SCHEMA_ALREADY_EXISTS] Cannot create schema `{name}` because it already exists."
        )));
    }
    Ok(())
}

fn drop_database(ctx: &mut dyn Context, words: &[String]) -> Result<(), LangError> {
    let if_exists = strip_if(words, 2, &["if", "exists"]);
    let Some(name) = words.get(if if_exists { 4 } else { 2 }) else {
        return Err(LangError::new(
            "ParseException",
            "expected DROP DATABASE name",
        ));
    };
    if name == "default" {
        return Err(catalog_error(
            "[UNSUPPORTED_FEATURE.DROP_DATABASE] Drop the default database `default` is not allowed.",
        ));
    }
    if !ctx.views_mut().drop_database(name) && !if_exists {
        return Err(catalog_error(format!(
            "[SCHEMA_NOT_FOUND] The schema `{name}` cannot be found."
        )));
    }
    Ok(())
}

fn use_database(ctx: &mut dyn Context, words: &[String]) -> Result<(), LangError> {
    let name = match words.get(1).map(String::as_str) {
        Some("database" | "schema" | "namespace") => words.get(2),
        _ => words.get(1),
    };
    let Some(name) = name else {
        return Err(LangError::new("ParseException", "expected USE name"));
    };
    ctx.views_mut().use_database(name)
}

fn truncate(ctx: &mut dyn Context, words: &[String]) -> Result<(), LangError> {
    let Some(name) = words.get(2) else {
        return Err(LangError::new(
            "ParseException",
            "expected TRUNCATE TABLE name",
        ));
    };
    let Some(frame) = ctx.views().get(name).cloned() else {
        return Err(ctx.views().not_found(name));
    };
    let empty = frame.current_lf().limit(0);
    let incoming = new_frame(ctx, empty, Span::new(0, 0))?;
    append(ctx, name, &incoming, true, Span::new(0, 0))
}

/// The text after the word at `index` (words are split on whitespace).
fn after_word(text: &str, index: usize) -> &str {
    let mut rest = text.trim_start();
    for _ in 0..index {
        rest = rest
            .trim_start()
            .split_once(char::is_whitespace)
            .map_or("", |(_, r)| r);
    }
    rest.trim()
}

/// `INSERT INTO|OVERWRITE [TABLE] name [VALUES …|SELECT …]`.
fn insert_statement(
    ctx: &mut dyn Context,
    text: &str,
    words: &[String],
    run_sql: RunSql,
) -> Result<(), LangError> {
    let overwrite = words[1] == "overwrite";
    let at = if words.get(2).is_some_and(|w| w == "table") {
        3
    } else {
        2
    };
    let Some(name) = words.get(at) else {
        return Err(LangError::new(
            "ParseException",
            "expected INSERT INTO table VALUES … or INSERT INTO table SELECT …",
        ));
    };
    let query = after_word(text, at + 1);
    let query = if query.to_lowercase().starts_with("values") {
        format!("SELECT * FROM {query}")
    } else {
        query.to_string()
    };
    let lf = run_sql(ctx, &query)?;
    let incoming = new_frame(ctx, lf, Span::new(0, 0))?;
    append(ctx, name, &incoming, overwrite, Span::new(0, 0))
}

/// `CREATE [OR REPLACE] [EXTERNAL] TABLE [IF NOT EXISTS] name (cols) [USING fmt] …`,
/// `… AS query`, and `CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name AS query`.
fn create_statement(
    ctx: &mut dyn Context,
    text: &str,
    words: &[String],
    run_sql: RunSql,
) -> Result<(), LangError> {
    let replace = words.get(1).is_some_and(|w| w == "or");
    let mut i = if replace { 3 } else { 1 };
    if words.get(i).is_some_and(|w| w == "external") {
        i += 1;
    }
    let view = words.get(i).is_some_and(|w| w == "view");
    i += 1;
    let if_not = strip_if(words, i, &["if", "not", "exists"]);
    if if_not {
        i += 3;
    }
    let rest = after_word(text, i);
    let name_end = rest
        .find(|c: char| c.is_whitespace() || c == '(')
        .unwrap_or(rest.len());
    let name = rest[..name_end].trim_matches('`').to_string();
    let after = rest[name_end..].trim();
    if name.is_empty() {
        return Err(LangError::new("ParseException", "expected a table name"));
    }
    if ctx.views().contains(&name) {
        if if_not {
            return Ok(());
        }
        if !replace {
            return Err(catalog_error(format!(
                "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `{name}` because it already exists."
            ))
            .with_hint("use CREATE OR REPLACE, or DROP it first"));
        }
    }
    let lower = after.to_lowercase();
    let provider = lower
        .split_whitespace()
        .skip_while(|w| *w != "using")
        .nth(1)
        .unwrap_or("parquet")
        .to_string();
    // The query follows the first standalone AS.
    let query_at = lower
        .split_whitespace()
        .position(|w| w == "as")
        .map(|k| after_word(after, k + 1));
    if let Some(query) = query_at {
        let lf = run_sql(ctx, query)?;
        if view {
            let frame = new_frame(ctx, lf, Span::new(0, 0))?;
            ctx.views_mut().put(&name, frame, RelationKind::View);
            return Ok(());
        }
        return store(ctx, &name, lf, &provider, Span::new(0, 0));
    }
    if view {
        return Err(LangError::new(
            "ParseException",
            "expected CREATE VIEW name AS query",
        ));
    }
    let columns = match after.strip_prefix('(') {
        Some(inner) => {
            let close = matching_paren(inner).ok_or_else(|| {
                LangError::new("ParseException", "the column list is never closed")
            })?;
            parse_ddl(&inner[..close]).map_err(|e| LangError::new("ParseException", e))?
        }
        None => {
            return Err(LangError::new(
                "ParseException",
                "expected CREATE TABLE name (column type, …) or CREATE TABLE name AS query",
            ));
        }
    };
    store(
        ctx,
        &name,
        empty_table(&columns),
        &provider,
        Span::new(0, 0),
    )
}

/// The index of the `)` closing an already-open parenthesis.
fn matching_paren(s: &str) -> Option<usize> {
    let mut depth = 1;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '<' => depth += 1,
            ')' | '>' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}
