//! Magics: `%%sql`, `%show_tables`, `%jobs`, and the ones the chapter loads
//! (`%load_ext sparksql_magic`, `%alias_magic`), accepted harmlessly.

use polars::prelude::*;
use polars::sql::SQLContext;

use crate::error::{LangError, Span};
use crate::eval::polars_error;
use crate::render::{escape, spark_type};
use crate::session::{CancelCheck, Display, JobRows, Session, closest, show_display};
use crate::value::{Frame, Value};

/// Line magics that are accepted and do nothing (they configure IPython extensions).
const HARMLESS: &[&str] = &[
    "load_ext",
    "alias_magic",
    "reload_ext",
    "config",
    "matplotlib",
    "autoreload",
];

/// Line magics Faísca knows, for completion.
pub const LINE_MAGICS: &[&str] = &[
    "%show_tables",
    "%jobs",
    "%load_ext",
    "%alias_magic",
    "%lsmagic",
];
/// Cell magics Faísca knows, for completion.
pub const CELL_MAGICS: &[&str] = &["%%sql", "%%sparksql"];

/// Runs one `%magic args` line.
pub(crate) fn line_magic(session: &mut Session, line: &str) -> Result<Option<Display>, LangError> {
    let body = line.trim().trim_start_matches('%');
    let mut words = body.split_whitespace();
    let name = words.next().unwrap_or("");
    match name {
        "show_tables" => Ok(Some(show_tables(session))),
        "jobs" => Ok(Some(jobs_table(session))),
        "lsmagic" => Ok(Some(Display::text(format!(
            "line magics: {}\ncell magics: {}",
            LINE_MAGICS.join(" "),
            CELL_MAGICS.join(" ")
        )))),
        n if HARMLESS.contains(&n) => Ok(None),
        other => {
            let known: Vec<&str> = LINE_MAGICS
                .iter()
                .map(|m| m.trim_start_matches('%'))
                .collect();
            let mut err = LangError::new(
                "UsageError",
                format!("Line magic function `%{other}` not found."),
            );
            if let Some(c) = closest(other, known.iter().copied()) {
                err = err.with_hint(format!("did you mean `%{c}`?"));
            }
            Err(err)
        }
    }
}

/// Runs a `%%magic` cell.
pub(crate) fn cell_magic(
    session: &mut Session,
    code: &str,
    cell: u32,
    cancel: CancelCheck<'_>,
) -> Result<Option<Display>, LangError> {
    let start = code.len() - code.trim_start().len();
    let (first, body) = code[start..]
        .split_once('\n')
        .unwrap_or((&code[start..], ""));
    let body_offset = start + first.len() + 1;
    let mut words = first.trim_start_matches('%').split_whitespace();
    let name = words.next().unwrap_or("");
    if !matches!(name, "sql" | "sparksql") {
        return Err(
            LangError::new("UsageError", format!("Cell magic `%%{name}` not found."))
                .at(Span::new(start, start + first.len()))
                .with_hint("Faísca's cell magic is %%sql"),
        );
    }
    let args: Vec<&str> = words.collect();
    let mut store: Option<String> = None;
    let mut view: Option<String> = None;
    let mut limit = 20usize;
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "-o" | "--output" if i + 1 < args.len() => {
                store = Some(args[i + 1].to_string());
                i += 1;
            }
            "-v" | "--view" if i + 1 < args.len() => {
                view = Some(args[i + 1].to_string());
                i += 1;
            }
            "-l" | "--limit" if i + 1 < args.len() => {
                limit = args[i + 1].parse().map_err(|_| {
                    LangError::new(
                        "UsageError",
                        format!("--limit takes a number, got {:?}", args[i + 1]),
                    )
                })?;
                i += 1;
            }
            "-c" | "--cache" | "-e" | "--eager" => {}
            name if i + 1 < args.len() && args[i + 1] == "<<" => {
                store = Some(name.to_string());
                i += 1;
            }
            other => {
                return Err(LangError::new(
                    "UsageError",
                    format!("unknown %%sql option {other:?}"),
                )
                .with_hint("usage: %%sql [-o name | name <<] [-v view] [-l limit]"));
            }
        }
        i += 1;
    }
    let query = body.trim();
    if query.is_empty() {
        return Err(LangError::new("UsageError", "the %%sql cell has no query")
            .at(Span::new(start, start + first.len())));
    }
    let lf = run_sql(session, query).map_err(|e| {
        // Point at the query text when the engine cannot say where.
        let at = body_offset + (body.len() - body.trim_start().len());
        e.at(Span::new(at, at + query.lines().next().unwrap_or("").len()))
    })?;
    let mut lf = lf;
    let schema = lf.collect_schema().map_err(polars_error)?;
    let frame = Frame {
        lf: lf.clone(),
        schema,
    };
    if let Some(v) = &view {
        session.views.insert(v.to_lowercase(), frame.clone());
    }
    if let Some(name) = &store {
        session.vars.insert(name.clone(), Value::Frame(frame));
    }
    let shown = lf.limit((limit + 1) as IdxSize);
    let df = session.run_job(cell, "%%sql", shown, cancel, JobRows::AtMost(limit))?;
    Ok(Some(show_display(&df, limit, 0)))
}

/// Runs SQL over the session's temp views. `show tables` answers in Spark's shape.
pub(crate) fn run_sql(session: &Session, query: &str) -> Result<LazyFrame, LangError> {
    let normalized: Vec<String> = query
        .trim()
        .trim_end_matches(';')
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let words: Vec<&str> = normalized.iter().map(String::as_str).collect();
    if words.first() == Some(&"show") && matches!(words.get(1), Some(&"tables") | Some(&"views")) {
        let names: Vec<&str> = session.views.keys().map(String::as_str).collect();
        let n = names.len();
        let df = df!(
            "namespace" => vec![""; n],
            "tableName" => names,
            "isTemporary" => vec![true; n],
        )
        .map_err(polars_error)?;
        return Ok(df.lazy());
    }
    if matches!(words.first(), Some(&"describe") | Some(&"desc")) {
        let table = words.last().copied().unwrap_or("");
        let frame = session
            .views
            .get(table)
            .ok_or_else(|| table_not_found(session, table))?;
        let names: Vec<String> = frame.columns();
        let types: Vec<String> = frame.schema.iter().map(|(_, t)| spark_type(t)).collect();
        let df = df!("col_name" => names, "data_type" => types).map_err(polars_error)?;
        return Ok(df.lazy());
    }
    let mut ctx = SQLContext::new();
    for (name, frame) in &session.views {
        ctx.register(name, frame.lf.clone());
    }
    ctx.execute(query).map_err(|e| {
        let err = polars_error(e);
        // Name the missing view the Spark way, with a suggestion.
        if err.message.contains("not found") || err.message.contains("relation") {
            for word in query.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                let w = word.to_lowercase();
                if !w.is_empty() && !session.views.contains_key(&w) {
                    let after_from = query.to_lowercase().contains(&format!("from {w}"))
                        || query.to_lowercase().contains(&format!("join {w}"));
                    if after_from {
                        return table_not_found(session, word);
                    }
                }
            }
        }
        err
    })
}

/// Spark's error for an unknown table, with the closest view name.
pub(crate) fn table_not_found(session: &Session, name: &str) -> LangError {
    let mut err = LangError::analysis(format!(
        "[TABLE_OR_VIEW_NOT_FOUND] The table or view `{name}` cannot be found."
    ));
    let views: Vec<&str> = session.views.keys().map(String::as_str).collect();
    err = match closest(name, views.iter().copied()) {
        Some(c) => err.with_hint(format!("did you mean `{c}`?")),
        None if views.is_empty() => err
            .with_hint("no temp views yet: register one with df.createOrReplaceTempView(\"name\")"),
        None => err.with_hint(format!("views: {}", views.join(", "))),
    };
    err
}

/// `%show_tables`: every view with its columns and types.
pub(crate) fn show_tables(session: &Session) -> Display {
    if session.views.is_empty() {
        return Display::rich(
            "no temp views (create one with df.createOrReplaceTempView(\"name\"))",
            "<p>No temp views. Create one with <code>df.createOrReplaceTempView(\"name\")</code>.</p>",
        );
    }
    let mut text = String::new();
    let mut html = String::from(
        "<table class=\"faisca-tables\"><thead><tr><th>view</th><th>columns</th></tr></thead><tbody>",
    );
    for (name, frame) in &session.views {
        let cols: Vec<String> = frame
            .schema
            .iter()
            .map(|(n, t)| format!("{n}: {}", spark_type(t)))
            .collect();
        text.push_str(&format!("{name}: {}\n", cols.join(", ")));
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(name),
            escape(&cols.join(", "))
        ));
    }
    html.push_str("</tbody></table>");
    Display::rich(text, html)
}

/// `%jobs`: the job log.
pub(crate) fn jobs_table(session: &Session) -> Display {
    let jobs = session.jobs.snapshot();
    let mut text = String::from("id  cell  action  status  duration_ms  rows\n");
    let mut html = String::from(
        "<table class=\"faisca-jobs\"><thead><tr><th>id</th><th>cell</th><th>action</th><th>status</th><th>duration (ms)</th><th>rows</th></tr></thead><tbody>",
    );
    for j in &jobs {
        let duration = j.duration_ms.map_or("-".into(), |d| format!("{d:.1}"));
        let rows = j.rows.map_or("-".into(), |r| r.to_string());
        text.push_str(&format!(
            "{}  [{}]  {}  {}  {}  {}\n",
            j.id,
            j.cell,
            j.action,
            j.status.as_str(),
            duration,
            rows
        ));
        html.push_str(&format!(
            "<tr><td>{}</td><td>[{}]</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            j.id,
            j.cell,
            escape(&j.action),
            j.status.as_str(),
            duration,
            rows
        ));
    }
    if jobs.is_empty() {
        html.push_str("<tr><td colspan=\"6\">no jobs yet: transformations are lazy; an action such as show() runs one</td></tr>");
    }
    html.push_str("</tbody></table>");
    if jobs.is_empty() {
        text.push_str(
            "(no jobs yet: transformations are lazy; an action such as show() runs one)\n",
        );
    }
    Display::rich(text, html)
}
