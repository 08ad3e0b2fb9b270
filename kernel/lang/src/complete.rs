//! Completion, inspection and `is_complete`, from the session's live state. Nothing here
//! runs a job.

use crate::eval::{FUNCTIONS, methods_of};
use crate::magics::{CELL_MAGICS, LINE_MAGICS};
use crate::render::{escape, spark_type};
use crate::session::{Display, Session};
use crate::value::Value;

/// Whether a cell can run as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    /// Ready.
    Complete,
    /// An open bracket or string: keep typing.
    Incomplete,
    /// A syntax error more typing will not fix.
    Invalid,
}

const SQL_KEYWORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP BY",
    "ORDER BY",
    "LIMIT",
    "JOIN",
    "LEFT JOIN",
    "ON",
    "AS",
    "COUNT",
    "SUM",
    "AVG",
    "MIN",
    "MAX",
    "DISTINCT",
    "HAVING",
    "AND",
    "OR",
    "NOT",
    "DESC",
    "ASC",
    "SHOW TABLES",
];

/// Completion candidates and the replaced range, in characters.
pub fn complete(session: &Session, code: &str, cursor: usize) -> (Vec<String>, usize, usize) {
    let chars: Vec<char> = code.chars().collect();
    let cursor = cursor.min(chars.len());
    let mut start = cursor;
    while start > 0 && (chars[start - 1].is_alphanumeric() || chars[start - 1] == '_') {
        start -= 1;
    }
    let prefix: String = chars[start..cursor].iter().collect();
    let before: String = chars[..start].iter().collect();

    let mut out: Vec<String> = Vec::new();
    if code.trim_start().starts_with("%%sql") || code.trim_start().starts_with("%%sparksql") {
        let on_first_line = !before.contains('\n');
        if !on_first_line {
            out.extend(session.views.keys().cloned());
            for frame in session.views.values() {
                out.extend(frame.columns());
            }
            out.extend(SQL_KEYWORDS.iter().map(|k| k.to_string()));
        }
    } else if before.ends_with('%') && before.trim_start().len() <= 2 {
        let magics = if before.ends_with("%%") {
            CELL_MAGICS
        } else {
            LINE_MAGICS
        };
        let pct = if before.ends_with("%%") { 2 } else { 1 };
        return (
            magics
                .iter()
                .filter(|m| m[pct..].starts_with(&prefix))
                .map(|m| m[pct..].to_string())
                .collect(),
            start,
            cursor,
        );
    } else if in_column_string(&before) {
        // Inside col("…"), withColumn("…"), select("…"), …: column names.
        for v in session.vars.values() {
            if let Value::Frame(f) = v {
                out.extend(f.columns());
            }
        }
        for f in session.views.values() {
            out.extend(f.columns());
        }
    } else if before.ends_with('.') {
        let receiver = receiver_name(&before[..before.len() - 1]);
        let methods = match receiver.as_deref().and_then(|r| session.vars.get(r)) {
            Some(v) => methods_of(v),
            None => match receiver.as_deref() {
                Some("read") => methods_of(&Value::Reader(Default::default())),
                Some("catalog") => methods_of(&Value::Catalog),
                Some("write") | Some("mode") => vec![
                    "mode", "option", "options", "format", "csv", "parquet", "json", "save",
                ],
                // A chain such as df.select(...).  : DataFrame and column methods.
                _ => {
                    let mut m = methods_of(&Value::Frame(empty_frame()));
                    m.extend([
                        "alias",
                        "cast",
                        "isNull",
                        "isNotNull",
                        "desc",
                        "asc",
                        "otherwise",
                        "when",
                    ]);
                    m
                }
            },
        };
        out.extend(methods.iter().map(|m| m.to_string()));
        if let Some(Value::Frame(f)) = receiver.as_deref().and_then(|r| session.vars.get(r)) {
            out.extend(f.columns());
        }
    } else {
        out.extend(session.vars.keys().cloned());
        out.extend(FUNCTIONS.iter().map(|f| f.to_string()));
    }
    out.retain(|m| m.starts_with(&prefix) || m.to_lowercase().starts_with(&prefix.to_lowercase()));
    out.sort();
    out.dedup();
    (out, start, cursor)
}

fn empty_frame() -> crate::value::Frame {
    use polars::prelude::*;
    crate::value::Frame {
        lf: DataFrame::empty().lazy(),
        schema: Arc::new(Schema::default()),
    }
}

/// Whether the cursor is inside a string argument that names a column.
fn in_column_string(before: &str) -> bool {
    column_context(before).is_some()
}

fn column_context(before: &str) -> Option<()> {
    let quote_pos = before.rfind(['"', '\''])?;
    let quote = before[quote_pos..].chars().next()?;
    // An even number of quotes of this kind before it means this one opens a string.
    if before[..quote_pos].matches(quote).count() % 2 != 0 {
        return None;
    }
    let head = before[..quote_pos].trim_end();
    let head = head.trim_end_matches(['(', ',', '[', ' ']);
    let func = trailing_identifier(head).to_string();
    const COLUMN_FUNCS: &[&str] = &[
        "col",
        "column",
        "withColumn",
        "select",
        "groupBy",
        "groupby",
        "orderBy",
        "sort",
        "drop",
        "withColumnRenamed",
        "count",
        "sum",
        "avg",
        "min",
        "max",
        "concat",
        "upper",
        "lower",
        "predict",
        "countDistinct",
        "dropDuplicates",
        "agg",
    ];
    // Also inside later arguments: df.select("a", "b
    let enclosing = enclosing_call(before);
    if COLUMN_FUNCS.contains(&func.as_str())
        || enclosing.is_some_and(|f| COLUMN_FUNCS.contains(&f.as_str()))
    {
        Some(())
    } else {
        None
    }
}

fn enclosing_call(before: &str) -> Option<String> {
    let mut depth = 0i32;
    for (i, c) in before.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                let head = &before[..i];
                let name = trailing_identifier(head).to_string();
                return Some(name);
            }
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The identifier that ends `text` (possibly empty).
fn trailing_identifier(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

fn receiver_name(before_dot: &str) -> Option<String> {
    let name = trailing_identifier(before_dot).to_string();
    let preceded_by_call = before_dot.trim_end().ends_with(')');
    if name.is_empty() || preceded_by_call {
        None
    } else {
        Some(name)
    }
}

/// Help for the name under the cursor: a DataFrame's schema and plan, a value's repr, or a
/// function's signature.
pub fn inspect(session: &Session, code: &str, cursor: usize) -> Option<Display> {
    let chars: Vec<char> = code.chars().collect();
    let cursor = cursor.min(chars.len());
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut start = cursor;
    while start > 0 && is_word(chars[start - 1]) {
        start -= 1;
    }
    let mut end = cursor;
    while end < chars.len() && is_word(chars[end]) {
        end += 1;
    }
    let word: String = chars[start..end].iter().collect();
    if word.is_empty() {
        return None;
    }
    match session.vars.get(&word) {
        Some(Value::Frame(f)) => {
            let schema: Vec<String> = f
                .schema
                .iter()
                .map(|(n, t)| format!(" |-- {n}: {}", spark_type(t)))
                .collect();
            let plan =
                f.lf.clone()
                    .describe_optimized_plan()
                    .unwrap_or_else(|e| e.to_string());
            let text = format!(
                "{word}: {}\nroot\n{}\n\n== Optimized plan (nothing has run) ==\n{plan}",
                f.repr(),
                schema.join("\n")
            );
            let html = format!(
                "<div><p><b>{}</b>: {}</p><pre>root\n{}</pre><p>Optimized plan (nothing has run):</p><pre>{}</pre></div>",
                escape(&word),
                escape(&f.repr()),
                escape(&schema.join("\n")),
                escape(&plan)
            );
            Some(Display::rich(text, html))
        }
        Some(v) => Some(Display::text(format!(
            "{word}: {}\n{}",
            v.type_name(),
            v.repr()
        ))),
        None => FUNCTIONS
            .contains(&word.as_str())
            .then(|| Display::text(function_doc(&word))),
    }
}

/// One line of help for a builtin.
pub fn function_doc(name: &str) -> String {
    let doc = match name {
        "col" | "column" => "col(name) -> Column: a column by name",
        "lit" => "lit(value) -> Column: a constant",
        "concat" => "concat(*cols) -> Column: strings joined; null if any input is null",
        "concat_ws" => "concat_ws(sep, *cols) -> Column: strings joined with sep, skipping nulls",
        "when" => "when(condition, value).otherwise(other) -> Column",
        "NaiveBayes" => {
            "NaiveBayes(text=\"descricao\", label=\"categoria\", alpha=1.0, foldAccents=True, stopWords=None, maxFeatures=None).fit(df) -> model"
        }
        "load_model" => {
            "load_model(path) -> model; model(\"col\") is a predict column, model.proba(\"col\") its probability, model.explain(text) the words behind it"
        }
        "monotonically_increasing_id" => {
            "monotonically_increasing_id() -> Column: 0, 1, 2, … in row order"
        }
        "display" => "display(df): a pandas-style table of the first rows",
        _ => "a pyspark.sql.functions function",
    };
    format!("{name}: {doc}")
}

/// Whether `code` is ready to run.
pub fn readiness(code: &str) -> Readiness {
    let trimmed = code.trim_start();
    if trimmed.starts_with("%%") {
        return Readiness::Complete;
    }
    let masked: String = code
        .split_inclusive('\n')
        .map(|l| {
            if l.trim_start().starts_with('%') {
                "\n".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    if masked.trim_end().ends_with('\\') {
        return Readiness::Incomplete;
    }
    match crate::parser::parse(&masked) {
        Ok(_) => Readiness::Complete,
        Err(e) if e.incomplete => Readiness::Incomplete,
        Err(_) => Readiness::Invalid,
    }
}
