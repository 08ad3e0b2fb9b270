//! Tokens of the Python-shaped cell language. Newlines inside brackets and after `\` are
//! joined, as Python does, so method chains can span lines.

use crate::core::error::{LangError, Span};

/// A token kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An identifier or keyword.
    Name(String),
    /// A string literal, escapes resolved.
    Str(String),
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
    /// Punctuation or an operator.
    Op(&'static str),
    /// End of a logical line.
    Newline,
    /// End of input.
    Eof,
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// Byte range in the cell.
    pub span: Span,
    /// Whether the token starts a logical line after indentation.
    pub indented: bool,
}

const OPS: [&str; 33] = [
    "**", "//", "==", "!=", "<=", ">=", "->", "+=", "-=", "*=", "/=", ":=", "<<", ">>", "(", ")",
    "[", "]", "{", "}", ",", ".", ":", "=", "+", "-", "*", "/", "%", "<", ">", "&", "|",
];
const MORE_OPS: [&str; 4] = ["~", "^", "@", ";"];

/// Splits a cell into tokens.
pub fn tokenize(src: &str) -> Result<Vec<Token>, LangError> {
    let bytes = src.as_bytes();
    let mut out: Vec<Token> = Vec::new();
    let mut depth: Vec<(u8, usize)> = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    let mut indented = false;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\n' {
            if depth.is_empty() && !line_start {
                out.push(Token {
                    tok: Tok::Newline,
                    span: Span::new(i, i + 1),
                    indented: false,
                });
            }
            if depth.is_empty() {
                line_start = true;
                indented = false;
            }
            i += 1;
            continue;
        }
        if c == b' ' || c == b'\t' || c == b'\r' {
            if line_start && depth.is_empty() {
                indented = true;
            }
            i += 1;
            continue;
        }
        if c == b'#' {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'\\' {
            let rest = &src[i + 1..];
            let trimmed = rest.trim_start_matches([' ', '\t', '\r']);
            if trimmed.starts_with('\n') || trimmed.is_empty() {
                i = bytes.len() - trimmed.len() + usize::from(!trimmed.is_empty());
                continue;
            }
            return Err(LangError::parse(
                "unexpected character after line continuation `\\`",
                Span::new(i, i + 1),
            ));
        }
        let start = i;
        let at_line_start = line_start && depth.is_empty();
        let was_indented = indented && at_line_start;
        line_start = false;
        let push = |out: &mut Vec<Token>, tok: Tok, end: usize| {
            out.push(Token {
                tok,
                span: Span::new(start, end),
                indented: was_indented,
            });
        };

        // Strings, with optional r/b/u/f prefixes.
        let prefix_len = string_prefix_len(&bytes[i..]);
        if let Some(plen) = prefix_len {
            let prefix = src[i..i + plen].to_ascii_lowercase();
            if prefix.contains('f') {
                return Err(LangError::parse(
                    "f-strings are not supported",
                    Span::new(i, i + plen + 1),
                )
                .with_hint(
                    "build the text with concat(lit(\"...\"), col(\"...\")) or \"...\" + \"...\"",
                ));
            }
            let (value, end) = read_string(src, i + plen, prefix.contains('r'))?;
            push(&mut out, Tok::Str(value), end);
            i = end;
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let (tok, end) = read_number(src, i)?;
            push(&mut out, tok, end);
            i = end;
            continue;
        }
        let ch = src[i..].chars().next().expect("in bounds");
        if ch.is_alphabetic() || ch == '_' {
            let mut end = i;
            for (off, ch) in src[i..].char_indices() {
                if ch.is_alphanumeric() || ch == '_' {
                    end = i + off + ch.len_utf8();
                } else {
                    break;
                }
            }
            push(&mut out, Tok::Name(src[i..end].to_string()), end);
            i = end;
            continue;
        }
        if let Some(op) = OPS
            .iter()
            .chain(MORE_OPS.iter())
            .find(|op| src[i..].starts_with(**op))
        {
            let end = i + op.len();
            match *op {
                "(" | "[" | "{" => depth.push((op.as_bytes()[0], i)),
                ")" | "]" | "}" => {
                    let want = match *op {
                        ")" => b'(',
                        "]" => b'[',
                        _ => b'{',
                    };
                    match depth.pop() {
                        Some((open, _)) if open == want => {}
                        Some((open, at)) => {
                            return Err(LangError::parse(
                                format!("`{op}` does not match `{}`", open as char),
                                Span::new(i, end),
                            )
                            .with_related(Span::new(at, at + 1)));
                        }
                        None => {
                            return Err(LangError::parse(
                                format!("unmatched `{op}`"),
                                Span::new(i, end),
                            ));
                        }
                    }
                }
                _ => {}
            }
            push(&mut out, Tok::Op(op), end);
            i = end;
            continue;
        }
        return Err(LangError::parse(
            format!("unexpected character `{ch}`"),
            Span::new(i, i + ch.len_utf8()),
        ));
    }
    if let Some((open, at)) = depth.pop() {
        return Err(LangError::parse(
            format!("`{}` was never closed", open as char),
            Span::new(at, at + 1),
        )
        .incomplete());
    }
    if !line_start {
        out.push(Token {
            tok: Tok::Newline,
            span: Span::new(src.len(), src.len()),
            indented: false,
        });
    }
    out.push(Token {
        tok: Tok::Eof,
        span: Span::new(src.len(), src.len()),
        indented: false,
    });
    Ok(out)
}

fn string_prefix_len(b: &[u8]) -> Option<usize> {
    let quote = |i: usize| b.get(i).is_some_and(|c| *c == b'"' || *c == b'\'');
    if quote(0) {
        return Some(0);
    }
    let is_prefix = |c: u8| matches!(c.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f');
    if b.first().is_some_and(|c| is_prefix(*c)) {
        if quote(1) {
            return Some(1);
        }
        if b.get(1).is_some_and(|c| is_prefix(*c)) && quote(2) {
            return Some(2);
        }
    }
    None
}

fn read_string(src: &str, start: usize, raw: bool) -> Result<(String, usize), LangError> {
    let bytes = src.as_bytes();
    let q = bytes[start];
    let triple = bytes.get(start + 1) == Some(&q) && bytes.get(start + 2) == Some(&q);
    let delim_len = if triple { 3 } else { 1 };
    let mut i = start + delim_len;
    let mut value = String::new();
    loop {
        let Some(ch) = src[i..].chars().next() else {
            let err = LangError::parse("unterminated string", Span::new(start, start + delim_len))
                .with_hint("close the string with the same quote it opened with");
            return Err(if triple { err.incomplete() } else { err });
        };
        if triple {
            if bytes[i] == q && bytes.get(i + 1) == Some(&q) && bytes.get(i + 2) == Some(&q) {
                return Ok((value, i + 3));
            }
        } else if ch as u32 == q as u32 {
            return Ok((value, i + 1));
        } else if ch == '\n' {
            return Err(LangError::parse("unterminated string", Span::new(start, i))
                .with_hint("use triple quotes for text that spans lines"));
        }
        if ch == '\\' && !raw {
            let Some(next) = src[i + 1..].chars().next() else {
                i += 1;
                continue;
            };
            let replacement = match next {
                'n' => Some('\n'),
                't' => Some('\t'),
                'r' => Some('\r'),
                '0' => Some('\0'),
                '\\' => Some('\\'),
                '\'' => Some('\''),
                '"' => Some('"'),
                '\n' => None,
                other => {
                    value.push('\\');
                    Some(other)
                }
            };
            if let Some(r) = replacement {
                value.push(r);
            }
            i += 1 + next.len_utf8();
            continue;
        }
        value.push(ch);
        i += ch.len_utf8();
    }
}

fn read_number(src: &str, start: usize) -> Result<(Tok, usize), LangError> {
    let bytes = src.as_bytes();
    let mut i = start;
    let mut float = false;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_digit() || c == b'_' {
            i += 1;
        } else if c == b'.' && !float && bytes.get(i + 1).is_none_or(|n| !n.is_ascii_alphabetic()) {
            float = true;
            i += 1;
        } else if (c == b'e' || c == b'E')
            && bytes
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_digit() || *n == b'-' || *n == b'+')
        {
            float = true;
            i += 2;
        } else {
            break;
        }
    }
    let text: String = src[start..i].chars().filter(|c| *c != '_').collect();
    let span = Span::new(start, i);
    let tok = if float {
        Tok::Float(
            text.parse()
                .map_err(|_| LangError::parse("invalid number", span))?,
        )
    } else {
        Tok::Int(text.parse().map_err(|_| {
            LangError::parse("integer literal is too large", span)
                .with_hint("integers are 64-bit; use a float for bigger values")
        })?)
    };
    Ok((tok, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        tokenize(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn joins_lines_inside_brackets_and_after_backslash() {
        let toks = kinds("df.select(\n  'a',\n  \"b\")\\\n  .show()\n");
        assert!(!toks[..toks.len() - 2].contains(&Tok::Newline), "{toks:?}");
    }

    #[test]
    fn strings_numbers_and_comments() {
        assert_eq!(
            kinds("x = 'a\\'b' # c\ny = \"\"\"l1\nl2\"\"\" + 1_000 + 2.5e1"),
            vec![
                Tok::Name("x".into()),
                Tok::Op("="),
                Tok::Str("a'b".into()),
                Tok::Newline,
                Tok::Name("y".into()),
                Tok::Op("="),
                Tok::Str("l1\nl2".into()),
                Tok::Op("+"),
                Tok::Int(1000),
                Tok::Op("+"),
                Tok::Float(25.0),
                Tok::Newline,
                Tok::Eof,
            ]
        );
        assert_eq!(kinds("r'\\d+'")[0], Tok::Str("\\d+".into()));
        assert_eq!(kinds("'anéis'")[0], Tok::Str("anéis".into()));
    }

    #[test]
    fn unclosed_bracket_is_incomplete() {
        let err = tokenize("df.select(\n 'a'").unwrap_err();
        assert!(err.incomplete);
        assert!(!tokenize("df)").unwrap_err().incomplete);
    }
}
