//! Parameters of `spark.sql`: `{name}` fields filled from keyword arguments, as PySpark
//! formats the query (a DataFrame becomes a view of this query, a column its name, a
//! value its SQL literal), and `:name` / `?` markers bound from `args`.

use crate::api::call::Call;
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::value::Value;

/// Views registered for one query's DataFrame arguments; dropped when it has run.
pub struct Bound {
    /// The query with its parameters filled in.
    pub query: String,
    /// The views made for DataFrame arguments.
    pub views: Vec<String>,
}

/// The query of `spark.sql(sqlQuery, args, **kwargs)` with its parameters bound.
pub fn bind_parameters(ctx: &mut dyn Context, call: &Call) -> Result<Bound, LangError> {
    let mut query = call.str("sqlQuery")?;
    let span = call.span_of("sqlQuery");
    let mut views = Vec::new();
    if !call.extra().is_empty() {
        query = format_fields(ctx, &query, call.extra(), &mut views, span)?;
    }
    match call.value("args") {
        Value::None => {}
        Value::Dict(items) => {
            for (k, v) in items.iter() {
                let Value::Str(name) = k else {
                    return Err(LangError::type_error("args keys must be strings").at(span));
                };
                query = replace_named(&query, name, &sql_literal(v, call.span_of("args"))?);
            }
        }
        Value::List(items) | Value::Tuple(items) => {
            let mut out = String::new();
            let mut next = items.iter();
            for part in split_outside_quotes(&query, '?') {
                match part {
                    Piece::Text(t) => out.push_str(t),
                    Piece::Marker => {
                        let v = next.next().ok_or_else(|| {
                            LangError::analysis(
                                "[UNBOUND_SQL_PARAMETER] Found an unbound parameter `?`.",
                            )
                            .at(span)
                        })?;
                        out.push_str(&sql_literal(v, call.span_of("args"))?);
                    }
                }
            }
            query = out;
        }
        other => {
            return Err(LangError::type_error(format!(
                "args must be a dict or a list, not {}",
                other.type_name()
            ))
            .at(call.span_of("args")));
        }
    }
    Ok(Bound { query, views })
}

/// A Python value as a SQL literal.
fn sql_literal(v: &Value, span: Span) -> Result<String, LangError> {
    Ok(match v {
        Value::None => "NULL".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format!("{f:?}"),
        Value::Str(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Date(d) => format!("DATE '{d}'"),
        Value::List(items) | Value::Tuple(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|x| sql_literal(x, span))
                .collect::<Result<_, _>>()?;
            format!("({})", parts.join(", "))
        }
        other => {
            return Err(LangError::unsupported(format!(
                "a {} as a SQL parameter is not supported",
                other.type_name()
            ))
            .at(span)
            .with_hint("pass numbers, strings, dates or tuples of them"));
        }
    })
}

/// `{name}`, `{name.attr}`, `{name[key]}` filled from the keyword arguments.
fn format_fields(
    ctx: &mut dyn Context,
    query: &str,
    kwargs: &[(String, Value, Span)],
    views: &mut Vec<String>,
    span: Span,
) -> Result<String, LangError> {
    let mut out = String::new();
    let mut rest = query;
    while let Some(open) = rest.find(['{', '}']) {
        out.push_str(&rest[..open]);
        let brace = rest.as_bytes()[open];
        if rest[open + 1..].starts_with(brace as char) {
            out.push(brace as char);
            rest = &rest[open + 2..];
            continue;
        }
        if brace == b'}' {
            return Err(
                LangError::new("ValueError", "Single '}' encountered in format string").at(span),
            );
        }
        let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| {
            LangError::new("ValueError", "Single '{' encountered in format string").at(span)
        })?;
        let field = &rest[open + 1..close];
        out.push_str(&field_text(ctx, field, kwargs, views, span)?);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn field_text(
    ctx: &mut dyn Context,
    field: &str,
    kwargs: &[(String, Value, Span)],
    views: &mut Vec<String>,
    span: Span,
) -> Result<String, LangError> {
    let name_end = field.find(['.', '[']).unwrap_or(field.len());
    let (name, access) = field.split_at(name_end);
    let Some((_, value, _)) = kwargs.iter().find(|(k, _, _)| k == name) else {
        return Err(LangError::new("KeyError", format!("'{name}'")).at(span));
    };
    // `{df.A}` and `{df[A]}` name a column of the DataFrame argument.
    if let Some(column) = access
        .strip_prefix('.')
        .or_else(|| access.strip_prefix('[').and_then(|a| a.strip_suffix(']')))
    {
        return Ok(format!("`{}`", column.trim_matches(['\'', '"'])));
    }
    Ok(match value {
        Value::Frame(f) => {
            let view = format!("__faisca_sql_arg_{}", views.len());
            ctx.engine().register_view(&view, f)?;
            ctx.views_mut().insert(&view, (**f).clone());
            views.push(view.clone());
            view
        }
        Value::Column(c) => format!("`{}`", c.name),
        other => sql_literal(other, span)?,
    })
}

/// Pieces of a query around a one-character marker outside quotes.
enum Piece<'a> {
    Text(&'a str),
    Marker,
}

fn split_outside_quotes(query: &str, marker: char) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in query.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, c) if c == marker => {
                pieces.push(Piece::Text(&query[start..i]));
                pieces.push(Piece::Marker);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    pieces.push(Piece::Text(&query[start..]));
    pieces
}

/// `:name` replaced outside quotes (and not as part of a longer name).
fn replace_named(query: &str, name: &str, literal: &str) -> String {
    let mut result = String::new();
    let mut quote: Option<char> = None;
    let chars: Vec<(usize, char)> = query.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                result.push(c);
            }
            (None, '\'' | '"' | '`') => {
                quote = Some(c);
                result.push(c);
            }
            (None, ':')
                if query[at + 1..].starts_with(name)
                    && !query[at + 1 + name.len()..]
                        .starts_with(|n: char| n.is_alphanumeric() || n == '_') =>
            {
                result.push_str(literal);
                i += 1 + name.chars().count();
                continue;
            }
            _ => result.push(c),
        }
        i += 1;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::replace_named;

    #[test]
    fn named_markers_are_replaced_outside_quotes_only() {
        assert_eq!(
            replace_named("SELECT :a, ':a', :ab FROM t WHERE x > :a", "a", "5"),
            "SELECT 5, ':a', :ab FROM t WHERE x > 5"
        );
    }
}
