//! Tokens of the Python-shaped cell language. Newlines inside brackets and after `\` are
//! joined, as Python does, so method chains can span lines.

use crate::core::error::{LangError, Span};

/// A token kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An identifier.
    Name(String),
    /// A Python keyword (`import`, `and`, `True`, `def`, …).
    Keyword(Kw),
    /// A string literal, escapes resolved.
    Str(String),
    /// An f-string's text (escapes resolved, `{…}` fields kept) and where the text starts.
    FStr(String, usize),
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

macro_rules! keywords {
    ($($kw:ident = $text:literal),* $(,)?) => {
        /// Python's keywords: the parser handles some and names the rest as unsupported.
        #[allow(missing_docs)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Kw { $($kw),* }

        impl Kw {
            /// The keyword spelled `text`, if it is one.
            pub fn from_text(text: &str) -> Option<Kw> {
                match text {
                    $($text => Some(Kw::$kw),)*
                    _ => None,
                }
            }
            /// How it is spelled.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kw::$kw => $text,)*
                }
            }
        }
    };
}

keywords! {
    And = "and", As = "as", Assert = "assert", Async = "async", Await = "await",
    Break = "break", Class = "class", Continue = "continue", Def = "def", Del = "del",
    Elif = "elif", Else = "else", Except = "except", False = "False", Finally = "finally",
    For = "for", From = "from", Global = "global", If = "if", Import = "import", In = "in",
    Is = "is", Lambda = "lambda", None = "None", Nonlocal = "nonlocal", Not = "not",
    Or = "or", Pass = "pass", Raise = "raise", Return = "return", True = "True", Try = "try",
    While = "while", With = "with", Yield = "yield",
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
    /// For the first token of a logical line, its indentation (tabs to multiples of 8).
    pub indent: Option<u32>,
}

const OPS: [&str; 37] = [
    "**", "//", "==", "!=", "<=", ">=", "->", "+=", "-=", "*=", "/=", ":=", "<<", ">>", "(", ")",
    "[", "]", "{", "}", ",", ".", ":", "=", "+", "-", "*", "/", "%", "<", ">", "&", "|", "~", "^",
    "@", ";",
];

/// Splits a cell into tokens.
pub fn tokenize(src: &str) -> Result<Vec<Token>, LangError> {
    let mut lexer = Lexer {
        src,
        pos: 0,
        out: Vec::new(),
        brackets: Vec::new(),
        line_start: true,
        indented: false,
        width: 0,
        pending_indent: None,
    };
    while lexer.pos < src.len() {
        lexer.step()?;
    }
    lexer.finish()
}

/// A cursor over the cell: position, open brackets, and where the line stands.
struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    out: Vec<Token>,
    /// Open brackets and where they opened; inside them newlines join lines.
    brackets: Vec<(u8, usize)>,
    line_start: bool,
    indented: bool,
    /// Indentation of the current line so far.
    width: u32,
    /// The indentation the next pushed token carries (it starts a line).
    pending_indent: Option<u32>,
}

impl Lexer<'_> {
    fn step(&mut self) -> Result<(), LangError> {
        let bytes = self.src.as_bytes();
        let c = bytes[self.pos];
        match c {
            b'\n' => self.newline(),
            b' ' | b'\t' | b'\r' => {
                if self.line_start && self.brackets.is_empty() {
                    self.indented = true;
                    self.width = match c {
                        b'\t' => (self.width / 8 + 1) * 8,
                        b' ' => self.width + 1,
                        _ => self.width,
                    };
                }
                self.pos += 1;
            }
            b'#' => {
                let rest = &self.src[self.pos..];
                self.pos += rest.find('\n').unwrap_or(rest.len());
            }
            b'\\' => self.continuation()?,
            _ => self.token()?,
        }
        Ok(())
    }

    fn newline(&mut self) {
        if self.brackets.is_empty() {
            if !self.line_start {
                self.out.push(Token {
                    tok: Tok::Newline,
                    span: Span::new(self.pos, self.pos + 1),
                    indented: false,
                    indent: None,
                });
            }
            self.line_start = true;
            self.indented = false;
            self.width = 0;
        }
        self.pos += 1;
    }

    /// `\` at the end of a line joins it with the next.
    fn continuation(&mut self) -> Result<(), LangError> {
        let rest = &self.src[self.pos + 1..];
        let trimmed = rest.trim_start_matches([' ', '\t', '\r']);
        if trimmed.starts_with('\n') || trimmed.is_empty() {
            self.pos = self.src.len() - trimmed.len() + usize::from(!trimmed.is_empty());
            return Ok(());
        }
        Err(LangError::parse(
            "unexpected character after line continuation `\\`",
            Span::new(self.pos, self.pos + 1),
        ))
    }

    fn push(&mut self, tok: Tok, start: usize, end: usize, indented: bool) {
        let indent = self.pending_indent.take();
        self.out.push(Token {
            tok,
            span: Span::new(start, end),
            indented,
            indent,
        });
        self.pos = end;
    }

    fn token(&mut self) -> Result<(), LangError> {
        let (src, i) = (self.src, self.pos);
        let bytes = src.as_bytes();
        let indented = self.indented && self.line_start && self.brackets.is_empty();
        if self.line_start && self.brackets.is_empty() {
            self.pending_indent = Some(self.width);
        }
        self.line_start = false;
        if let Some(plen) = string_prefix_len(&bytes[i..]) {
            let prefix = src[i..i + plen].to_ascii_lowercase();
            let (value, end) = read_string(src, i + plen, prefix.contains('r'))?;
            if prefix.contains('f') {
                let quote = if src[i + plen..].starts_with("'''")
                    || src[i + plen..].starts_with("\"\"\"")
                {
                    3
                } else {
                    1
                };
                self.push(Tok::FStr(value, i + plen + quote), i, end, indented);
                return Ok(());
            }
            self.push(Tok::Str(value), i, end, indented);
            return Ok(());
        }
        let c = bytes[i];
        if c.is_ascii_digit() || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let (tok, end) = read_number(src, i)?;
            self.push(tok, i, end, indented);
            return Ok(());
        }
        let ch = src[i..].chars().next().expect("in bounds");
        if ch.is_alphabetic() || ch == '_' {
            let end = src[i..]
                .char_indices()
                .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
                .map_or(src.len(), |(off, _)| i + off);
            let word = &src[i..end];
            let tok = Kw::from_text(word).map_or_else(|| Tok::Name(word.to_string()), Tok::Keyword);
            self.push(tok, i, end, indented);
            return Ok(());
        }
        match OPS.iter().find(|op| src[i..].starts_with(**op)) {
            Some(op) => {
                self.bracket(op, i)?;
                self.push(Tok::Op(op), i, i + op.len(), indented);
                Ok(())
            }
            None => Err(LangError::parse(
                format!("unexpected character `{ch}`"),
                Span::new(i, i + ch.len_utf8()),
            )),
        }
    }

    /// Tracks bracket nesting; a closing bracket must match the last one opened.
    fn bracket(&mut self, op: &'static str, at: usize) -> Result<(), LangError> {
        let want = match op {
            "(" | "[" | "{" => {
                self.brackets.push((op.as_bytes()[0], at));
                return Ok(());
            }
            ")" => b'(',
            "]" => b'[',
            "}" => b'{',
            _ => return Ok(()),
        };
        let span = Span::new(at, at + 1);
        match self.brackets.pop() {
            Some((open, _)) if open == want => Ok(()),
            Some((open, opened)) => Err(LangError::parse(
                format!("`{op}` does not match `{}`", open as char),
                span,
            )
            .with_related(Span::new(opened, opened + 1))),
            None => Err(LangError::parse(format!("unmatched `{op}`"), span)),
        }
    }

    fn finish(mut self) -> Result<Vec<Token>, LangError> {
        let end = Span::new(self.src.len(), self.src.len());
        if let Some((open, at)) = self.brackets.pop() {
            return Err(LangError::parse(
                format!("`{}` was never closed", open as char),
                Span::new(at, at + 1),
            )
            .incomplete());
        }
        if !self.line_start {
            self.out.push(Token {
                tok: Tok::Newline,
                span: end,
                indented: false,
                indent: None,
            });
        }
        self.out.push(Token {
            tok: Tok::Eof,
            span: end,
            indented: false,
            indent: None,
        });
        Ok(self.out)
    }
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
        if ch == '\\' && raw {
            // A raw string keeps the backslash, but it still escapes the quote after it.
            value.push('\\');
            i += 1;
            if let Some(next) = src[i..].chars().next().filter(|c| *c != '\n') {
                value.push(next);
                i += next.len_utf8();
            }
            continue;
        }
        if ch == '\\' {
            let Some(next) = src[i + 1..].chars().next() else {
                i += 1;
                continue;
            };
            i += 1 + next.len_utf8();
            match next {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                'a' => value.push('\x07'),
                'b' => value.push('\x08'),
                'f' => value.push('\x0c'),
                'v' => value.push('\x0b'),
                '\\' | '\'' | '"' => value.push(next),
                '\n' => {}
                '0'..='7' => {
                    // Up to three octal digits, as Python reads them.
                    let mut code = next.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match bytes.get(i).and_then(|b| (*b as char).to_digit(8)) {
                            Some(d) => {
                                code = code * 8 + d;
                                i += 1;
                            }
                            None => break,
                        }
                    }
                    value.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                }
                'x' | 'u' | 'U' => {
                    let (width, name) = match next {
                        'x' => (2, "\\xXX"),
                        'u' => (4, "\\uXXXX"),
                        _ => (8, "\\UXXXXXXXX"),
                    };
                    let escape_start = i - 2;
                    let digits = src
                        .get(i..i + width)
                        .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
                    let Some(digits) = digits else {
                        return Err(LangError::parse(
                            format!("(unicode error) truncated {name} escape"),
                            Span::new(escape_start, (i + width).min(src.len())),
                        ));
                    };
                    let code = u32::from_str_radix(digits, 16).unwrap_or(u32::MAX);
                    let span = Span::new(escape_start, i + width);
                    let c = char::from_u32(code).ok_or_else(|| {
                        if (0xD800..0xE000).contains(&code) {
                            LangError::parse(
                                format!("(unicode error) the lone surrogate {} cannot be held in a string here", &src[escape_start..i + width]),
                                span,
                            )
                        } else {
                            LangError::parse("(unicode error) illegal Unicode character", span)
                        }
                    })?;
                    value.push(c);
                    i += width;
                }
                'N' => {
                    return Err(LangError::parse(
                        "(unicode error) \\N{...} escapes by character name are not supported",
                        Span::new(i - 2, i),
                    )
                    .with_hint("write the character itself or its \\uXXXX escape"));
                }
                other => {
                    // Python keeps an unknown escape as written (with a warning).
                    value.push('\\');
                    value.push(other);
                }
            }
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
