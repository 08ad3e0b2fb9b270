//! Completion, inspection and `is_complete`, from the session's live state. Nothing here
//! runs a job.

use std::collections::HashMap;

use crate::api::magics::{MAGICS, MagicKind};
use crate::api::registry::registry;
use crate::core::engine::Engine;
use crate::core::output::Display;
use crate::core::value::{Receiver, Value};
use crate::core::views::Views;
use crate::present::values::frame_summary;

use super::help::help_text;

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

/// Completion candidates and the replaced range, in characters. Offers only what the
/// registry can run on the receiver's type.
pub fn complete(
    vars: &HashMap<String, Value>,
    views: &Views,
    code: &str,
    cursor: usize,
) -> (Vec<String>, usize, usize) {
    let chars: Vec<char> = code.chars().collect();
    let cursor = cursor.min(chars.len());
    let mut start = cursor;
    while start > 0 && (chars[start - 1].is_alphanumeric() || chars[start - 1] == '_') {
        start -= 1;
    }
    let prefix: String = chars[start..cursor].iter().collect();
    let before: String = chars[..start].iter().collect();
    let mut out: Vec<String> = if code.trim_start().starts_with("%%") {
        sql_candidates(views, &before)
    } else if before.ends_with('%') && before.trim_start().len() <= 2 {
        magic_names(if before.ends_with("%%") {
            MagicKind::Cell
        } else {
            MagicKind::Line
        })
    } else if in_column_string(&before) {
        // Inside col("…"), withColumn("…"), select("…"), …: column names.
        let frames = vars.values().filter_map(|v| match v {
            Value::Frame(f) => Some(&**f),
            _ => None,
        });
        frames
            .chain(views.iter().map(|(_, f)| f))
            .flat_map(|f| f.columns())
            .collect()
    } else if let Some(receiver) = before.strip_suffix('.') {
        member_candidates(vars, receiver_name(receiver).as_deref())
    } else {
        let reg = registry();
        vars.keys()
            .cloned()
            .chain(reg.bare_names().iter().map(|f| f.to_string()))
            .collect()
    };
    out.retain(|m| m.starts_with(&prefix) || m.to_lowercase().starts_with(&prefix.to_lowercase()));
    out.sort();
    out.dedup();
    (out, start, cursor)
}

fn magic_names(kind: MagicKind) -> Vec<String> {
    MAGICS
        .iter()
        .filter(|m| m.kind == kind)
        .map(|m| m.name.to_string())
        .collect()
}

/// In a `%%sql` cell: magic names on the first line, then views, columns, keywords.
fn sql_candidates(views: &Views, before: &str) -> Vec<String> {
    if !before.contains('\n') {
        return if before.trim_start() == "%%" {
            magic_names(MagicKind::Cell)
        } else {
            vec![]
        };
    }
    let mut out: Vec<String> = views.names().map(str::to_string).collect();
    for (_, frame) in views.iter() {
        out.extend(frame.columns());
    }
    out.extend(SQL_KEYWORDS.iter().map(|k| k.to_string()));
    out
}

/// After `x.`: what the registry runs on x's type (and a DataFrame's columns).
fn member_candidates(vars: &HashMap<String, Value>, receiver: Option<&str>) -> Vec<String> {
    let reg = registry();
    let names = |on: Receiver| reg.names(on).into_iter().map(str::to_string);
    match receiver.and_then(|r| vars.get(r)) {
        Some(Value::Module(m)) => reg.module_names(*m).iter().map(|n| n.to_string()).collect(),
        Some(v) => {
            let mut out: Vec<String> = v
                .receiver()
                .map(|on| names(on).collect())
                .unwrap_or_default();
            if let Value::Frame(f) = v {
                out.extend(f.columns());
            }
            out
        }
        // A chain such as df.select(...).  : the kinds a chain usually yields.
        None => {
            let kinds: &[Receiver] = match receiver {
                Some("read") => &[Receiver::Reader],
                Some("catalog") => &[Receiver::Catalog],
                Some("write") | Some("mode") => &[Receiver::Writer],
                Some("na") => &[Receiver::NaFunctions],
                Some("builder") => &[Receiver::Builder],
                _ => &[Receiver::DataFrame, Receiver::Column],
            };
            kinds.iter().flat_map(|on| names(*on)).collect()
        }
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

/// Where the innermost still-open `(` before the cursor is.
fn open_paren(before: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in before.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return Some(i),
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn enclosing_call(before: &str) -> Option<String> {
    open_paren(before).map(|i| trailing_identifier(&before[..i]).to_string())
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

/// Help for the name under the cursor: a DataFrame's schema and plan, a value's repr, or
/// a function's or method's signature and doc.
pub fn inspect(
    vars: &HashMap<String, Value>,
    engine: &dyn Engine,
    code: &str,
    cursor: usize,
) -> Option<Display> {
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
    let mut word: String = chars[start..end].iter().collect();
    let mut before: String = chars[..start].iter().collect();
    if word.is_empty() {
        // Inside a call's parentheses (where JupyterLab's Shift-Tab usually is): the callee.
        let open = open_paren(&before)?;
        before.truncate(open);
        word = trailing_identifier(&before).to_string();
        before.truncate(before.len() - word.len());
        if word.is_empty() {
            return None;
        }
    }
    let reg = registry();
    // `df.withColumn` (Shift-Tab on a method): the receiver's type picks the entry.
    if let Some(recv) = before.strip_suffix('.').map(receiver_name) {
        let on = recv
            .as_deref()
            .and_then(|r| vars.get(r))
            .and_then(Value::receiver);
        let id = match on {
            Some(on) => reg.lookup(on, &word),
            None => Receiver::ALL.iter().find_map(|on| reg.lookup(*on, &word)),
        };
        return id.map(|id| Display::text(reg.help(id)));
    }
    match vars.get(&word) {
        Some(Value::Frame(f)) => {
            let plan = engine.explain(f).unwrap_or_else(|e| e.to_string());
            Some(frame_summary(&word, f, &plan))
        }
        Some(v) => Some(Display::text(format!("{word}: {}", help_text(v)))),
        None => reg.bare(&word).map(|id| Display::text(reg.help(id))),
    }
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
    match crate::syntax::parser::parse(&masked) {
        Ok(_) => Readiness::Complete,
        Err(e) if e.incomplete => Readiness::Incomplete,
        Err(_) => Readiness::Invalid,
    }
}
