//! f-strings: `f"a{x}b"` becomes `"a{}b".format(x)`, each field parsed as an expression.

use super::Parser;
use crate::core::error::{LangError, Span};
use crate::syntax::ast::{Arg, Expr, ExprKind};
use crate::syntax::lexer::tokenize;

/// `f"a{x}b"` as `"a{}b".format(x)`: each field is parsed as an expression, its spans
/// placed inside the string (exactly when no escape comes before it).
pub(super) fn fstring(text: &str, at: usize, span: Span) -> Result<Expr, LangError> {
    let mut template = String::new();
    let mut args = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                chars.next();
                template.push_str("{{");
            }
            '}' if chars.peek().map(|(_, c)| *c) == Some('}') => {
                chars.next();
                template.push_str("}}");
            }
            '{' => {
                let start = i + 1;
                let mut depth = 0usize;
                let mut end = None;
                for (j, ch) in chars.by_ref() {
                    match ch {
                        '{' | '[' | '(' => depth += 1,
                        ']' | ')' => depth = depth.saturating_sub(1),
                        '}' if depth > 0 => depth -= 1,
                        '}' => {
                            end = Some(j);
                            break;
                        }
                        _ => {}
                    }
                }
                let Some(end) = end else {
                    return Err(LangError::parse("f-string: expecting '}'", span));
                };
                let field = &text[start..end];
                // `{x!r}` and `{x:>5}` keep their conversion and spec for format().
                let (expr_text, rest) = match spec_start(field) {
                    Some(k) => (&field[..k], &field[k..]),
                    None => (field, ""),
                };
                if expr_text.trim().is_empty() {
                    return Err(LangError::parse(
                        "f-string: empty expression not allowed",
                        span,
                    ));
                }
                let expr = field_expr(expr_text, at + start, span)?;
                template.push('{');
                template.push_str(rest);
                template.push('}');
                args.push(Arg {
                    name: None,
                    value: expr,
                });
            }
            '}' => {
                return Err(LangError::parse(
                    "f-string: single '}' is not allowed",
                    span,
                ));
            }
            other => template.push(other),
        }
    }
    if args.is_empty() {
        return Ok(Expr {
            kind: ExprKind::Str(text.replace("{{", "{").replace("}}", "}")),
            span,
        });
    }
    let receiver = Expr {
        kind: ExprKind::Str(template),
        span,
    };
    Ok(Expr {
        kind: ExprKind::Call(
            Box::new(Expr {
                kind: ExprKind::Attr(Box::new(receiver), "format".into(), span),
                span,
            }),
            args,
        ),
        span,
    })
}

/// Where a field's `!conversion` or `:spec` starts: the first `!` or `:` outside brackets
/// and quotes (`d['a:b']` and `x[1:2]` keep theirs).
fn spec_start(field: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in field.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '(' | '{') => depth += 1,
            (None, ']' | ')' | '}') => depth = depth.saturating_sub(1),
            (None, '!') if depth == 0 && !field[i + 1..].starts_with('=') => return Some(i),
            (None, ':') if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// One f-string field's expression, its spans moved to where it sits in the cell (kept
/// inside the string).
fn field_expr(text: &str, offset: usize, span: Span) -> Result<Expr, LangError> {
    let shift = |s: Span| {
        let start = (s.start + offset).clamp(span.start, span.end);
        let end = (s.end + offset).clamp(start, span.end);
        Span::new(start, end)
    };
    let mut tokens = tokenize(text.trim_end()).map_err(|mut e| {
        e.span = e.span.map(shift).or(Some(span));
        e.related = None;
        e.incomplete = false;
        e
    })?;
    for t in &mut tokens {
        t.span = shift(t.span);
        t.indent = None;
        t.indented = false;
    }
    let mut p = Parser::new(tokens);
    while p.eat_newline() {}
    let e = p.expr(0)?;
    while p.eat_newline() {}
    if !p.at_eof() {
        return Err(p.unexpected("expected the end of the f-string field"));
    }
    Ok(e)
}
