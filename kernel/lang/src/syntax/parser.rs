//! A Pratt parser for the Python-shaped subset: assignments, calls, attribute chains,
//! literals, lists/tuples and operators. Python statements outside the subset get an error
//! that says what to use instead.

use super::ast::{Arg, BinOp, CompFor, Expr, ExprKind, Handler, Param, Stmt, UnOp};
use super::lexer::{Kw, Tok, Token, tokenize};
use super::unsupported::UNSUPPORTED;
use crate::core::error::{LangError, Span};

/// Brackets and operands nest at most this deep, as in CPython's parser.
const MAX_NESTING: usize = 200;
/// Blocks (`for`, `if`, …) nest at most this deep, as in CPython.
const MAX_BLOCKS: usize = 20;

/// Parses a cell.
pub fn parse(src: &str) -> Result<Vec<Stmt>, LangError> {
    let tokens = tokenize(src)?;
    let mut p = Parser::new(tokens);
    let mut stmts = Vec::new();
    while !p.at_eof() {
        if p.eat_newline() {
            continue;
        }
        let first = p.peek();
        if first.indent.is_some_and(|w| w > 0) {
            return Err(LangError::parse("unexpected indentation", first.span)
                .with_hint("statements start at the beginning of the line; wrap long chains in ( ) to continue them"));
        }
        p.statement_into(&mut stmts)?;
    }
    Ok(stmts)
}

/// What a bracketed sequence held.
enum Seq {
    /// Items, whether a trailing comma ended them, and the closing bracket.
    Items(Vec<Expr>, bool, Span),
    /// A comprehension and the closing bracket.
    Comp(ExprKind, Span),
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// How deep `expr` has recursed: brackets, unary operators, right-associative `**`.
    depth: usize,
    /// How many loops enclose the statement being parsed (`break` needs one).
    loops: usize,
    /// How many blocks enclose it (bounded, as CPython bounds them).
    blocks: usize,
    /// How many function bodies enclose it (`return` needs one).
    functions: usize,
}

impl Parser {
    fn new(tokens: Vec<Token>) -> Self {
        Parser {
            tokens,
            pos: 0,
            depth: 0,
            loops: 0,
            blocks: 0,
            functions: 0,
        }
    }
    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }
    fn peek_at(&self, ahead: usize) -> &Token {
        &self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)]
    }
    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }
    fn at_eof(&self) -> bool {
        self.peek().tok == Tok::Eof
    }
    fn eat_newline(&mut self) -> bool {
        if self.peek().tok == Tok::Newline || self.peek().tok == Tok::Op(";") {
            self.bump();
            true
        } else {
            false
        }
    }
    fn is_op(&self, op: &str) -> bool {
        matches!(&self.peek().tok, Tok::Op(o) if *o == op)
    }
    fn is_kw(&self, kw: Kw) -> bool {
        self.peek().tok == Tok::Keyword(kw)
    }
    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.bump();
            true
        } else {
            false
        }
    }
    fn expect_op(&mut self, op: &str, what: &str) -> Result<Span, LangError> {
        if self.is_op(op) {
            return Ok(self.bump().span);
        }
        Err(self.unexpected(&format!("expected `{op}` {what}")))
    }
    fn unexpected(&self, expected: &str) -> LangError {
        let t = self.peek();
        let found = match &t.tok {
            Tok::Name(n) => format!("`{n}`"),
            Tok::Keyword(k) => format!("`{}`", k.as_str()),
            Tok::Str(_) | Tok::FStr(..) => "a string".into(),
            Tok::Int(_) | Tok::Float(_) => "a number".into(),
            Tok::Op(o) => format!("`{o}`"),
            Tok::Newline => "end of line".into(),
            Tok::Eof => "end of cell".into(),
        };
        LangError::parse(format!("{expected}, found {found}"), t.span)
    }

    fn end_of_statement(&mut self) -> Result<(), LangError> {
        if self.at_eof() || self.eat_newline() {
            return Ok(());
        }
        let err = self.unexpected("expected end of statement");
        Err(if self.is_op("=") {
            err.with_hint("only names can be assigned to, e.g. `df2 = df.select(...)`")
        } else {
            err.with_hint("put one statement per line")
        })
    }

    /// One statement appended to `out`: a compound one with its block, or a simple one
    /// with the end of its line (or its `;`).
    fn statement_into(&mut self, out: &mut Vec<Stmt>) -> Result<(), LangError> {
        if let Some(stmt) = self.compound()? {
            super::depth::check_depth(&stmt)?;
            out.push(stmt);
            return Ok(());
        }
        let stmt = self.simple()?;
        super::depth::check_depth(&stmt)?;
        out.push(stmt);
        self.end_of_statement()
    }

    /// `for`, `while`, `if` and `with` with their blocks; `None` for other statements.
    fn compound(&mut self) -> Result<Option<Stmt>, LangError> {
        if self.is_op("@") && self.peek().indent.is_some() {
            return self.decorated().map(Some);
        }
        let head = self.peek().clone();
        let Tok::Keyword(kw @ (Kw::For | Kw::While | Kw::If | Kw::With | Kw::Def | Kw::Try)) =
            head.tok
        else {
            return Ok(None);
        };
        let Some(indent) = head.indent else {
            return Err(LangError::parse(
                format!("`{}` must start its own line", kw.as_str()),
                head.span,
            ));
        };
        self.bump();
        let stmt = match kw {
            Kw::For => {
                let targets = self.for_targets()?;
                if !self.is_kw(Kw::In) {
                    return Err(self.unexpected("expected `in` after the loop's names"));
                }
                self.bump();
                let iter = self.tuple_or_expr()?;
                let body = self.loop_body(indent)?;
                self.no_loop_else(indent)?;
                Stmt::For {
                    targets,
                    iter,
                    body,
                    span: head.span,
                }
            }
            Kw::Def => {
                let name = match self.bump() {
                    Token {
                        tok: Tok::Name(n), ..
                    } => n,
                    _ => {
                        self.pos -= 1;
                        return Err(self.unexpected("expected the function's name"));
                    }
                };
                self.expect_op("(", "to open the parameters")?;
                let params = self.params(")")?;
                self.expect_op(")", "to close the parameters")?;
                if self.eat_op("->") {
                    self.expr(0)?; // the return annotation documents; it does not run
                }
                // A function's body is not inside the loops around its definition.
                let loops = std::mem::take(&mut self.loops);
                self.functions += 1;
                let body = self.suite(indent);
                self.functions -= 1;
                self.loops = loops;
                Stmt::Def {
                    name,
                    decorators: Vec::new(),
                    params,
                    body: body?,
                    span: head.span,
                }
            }
            Kw::Try => self.try_rest(indent, head.span)?,
            Kw::While => {
                let cond = self.expr(0)?;
                let body = self.loop_body(indent)?;
                self.no_loop_else(indent)?;
                Stmt::While {
                    cond,
                    body,
                    span: head.span,
                }
            }
            Kw::If => {
                let mut branches = vec![(self.expr(0)?, self.suite(indent)?)];
                let mut orelse = Vec::new();
                while self.peek().indent == Some(indent) {
                    if self.is_kw(Kw::Elif) {
                        self.bump();
                        branches.push((self.expr(0)?, self.suite(indent)?));
                    } else if self.is_kw(Kw::Else) {
                        self.bump();
                        orelse = self.suite(indent)?;
                        break;
                    } else {
                        break;
                    }
                }
                Stmt::If {
                    branches,
                    orelse,
                    span: head.span,
                }
            }
            _ => {
                let mut items = Vec::new();
                loop {
                    let manager = self.expr(0)?;
                    let name = self.as_name()?;
                    items.push((manager, name));
                    if !self.eat_op(",") {
                        break;
                    }
                }
                Stmt::With {
                    items,
                    body: self.suite(indent)?,
                    span: head.span,
                }
            }
        };
        Ok(Some(stmt))
    }

    /// An optional `as name` (after `with …` and `except …`).
    fn as_name(&mut self) -> Result<Option<(String, Span)>, LangError> {
        if !self.is_kw(Kw::As) {
            return Ok(None);
        }
        self.bump();
        match self.bump() {
            Token {
                tok: Tok::Name(n),
                span,
                ..
            } => Ok(Some((n, span))),
            _ => {
                self.pos -= 1;
                Err(self.unexpected("expected a name after `as`"))
            }
        }
    }

    /// `@decorator` lines, then the `def` they apply to.
    fn decorated(&mut self) -> Result<Stmt, LangError> {
        let mut decorators = Vec::new();
        while self.is_op("@") {
            let at = self.bump().span;
            decorators.push(self.expr(0)?);
            if !self.eat_newline() {
                return Err(self.unexpected("expected the end of the decorator line"));
            }
            if !self.is_op("@") && !self.is_kw(Kw::Def) {
                return Err(LangError::parse("a decorator must come before a `def`", at)
                    .incomplete_if(self.at_eof()));
            }
        }
        match self.compound()? {
            Some(Stmt::Def {
                name,
                params,
                body,
                span,
                ..
            }) => Ok(Stmt::Def {
                name,
                decorators,
                params,
                body,
                span,
            }),
            _ => Err(self.unexpected("expected `def` after the decorators")),
        }
    }

    /// After `try`: its body, then `except` handlers, `else` and `finally` at the same
    /// indentation; at least one handler or a `finally`.
    fn try_rest(&mut self, indent: u32, span: Span) -> Result<Stmt, LangError> {
        let body = self.suite(indent)?;
        let mut handlers = Vec::new();
        while self.peek().indent == Some(indent) && self.is_kw(Kw::Except) {
            let at = self.bump().span;
            if handlers.iter().any(|h: &Handler| h.classes.is_empty()) {
                return Err(LangError::parse("default 'except:' must be last", at));
            }
            let classes = if self.is_op(":") {
                Vec::new()
            } else {
                let e = self.expr(0)?;
                exception_classes(&e)?
            };
            let name = self.as_name()?;
            handlers.push(Handler {
                classes,
                name,
                body: self.suite(indent)?,
            });
        }
        let mut orelse = Vec::new();
        if !handlers.is_empty() && self.peek().indent == Some(indent) && self.is_kw(Kw::Else) {
            self.bump();
            orelse = self.suite(indent)?;
        }
        let mut finalbody = Vec::new();
        if self.peek().indent == Some(indent) && self.is_kw(Kw::Finally) {
            self.bump();
            finalbody = self.suite(indent)?;
        } else if handlers.is_empty() {
            return Err(self
                .unexpected("expected 'except' or 'finally' block")
                .incomplete_if(self.at_eof()));
        }
        Ok(Stmt::Try {
            body,
            handlers,
            orelse,
            finalbody,
            span,
        })
    }

    /// Parameters up to `close`: `a`, `b: int`, `c=1`; no `*args` or `**kwargs` yet.
    fn params(&mut self, close: &str) -> Result<Vec<Param>, LangError> {
        let mut params: Vec<Param> = Vec::new();
        while !self.is_op(close) {
            if self.is_op("*") || self.is_op("**") || self.is_op("/") {
                return Err(LangError::unsupported(
                    "`*args`, `**kwargs` and `/` in parameters are not supported",
                )
                .at(self.peek().span)
                .with_hint("name every parameter: def f(a, b=1)"));
            }
            let (name, span) = match self.bump() {
                Token {
                    tok: Tok::Name(n),
                    span,
                    ..
                } => (n, span),
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected("expected a parameter name"));
                }
            };
            if params.iter().any(|p| p.name == name) {
                return Err(LangError::parse(
                    format!("duplicate argument '{name}' in function definition"),
                    span,
                ));
            }
            if close == ")" && self.eat_op(":") {
                self.expr(0)?; // annotations document; they do not run
            }
            let default = if self.eat_op("=") {
                Some(self.expr(0)?)
            } else {
                None
            };
            if default.is_none() && params.last().is_some_and(|p| p.default.is_some()) {
                return Err(LangError::parse(
                    "non-default argument follows default argument",
                    span,
                ));
            }
            params.push(Param {
                name,
                default,
                span,
            });
            if !self.eat_op(",") {
                break;
            }
        }
        Ok(params)
    }

    /// `for a, b in xs if c …` clauses, one or more.
    fn comp_clauses(&mut self) -> Result<Vec<CompFor>, LangError> {
        let mut clauses = Vec::new();
        while self.is_kw(Kw::For) {
            self.bump();
            let targets = self.for_targets()?;
            if !self.is_kw(Kw::In) {
                return Err(self.unexpected("expected `in` after the comprehension's names"));
            }
            self.bump();
            // Above the conditional expression: its `if` belongs to the comprehension.
            let iter = self.expr(1)?;
            let mut conds = Vec::new();
            while self.is_kw(Kw::If) {
                self.bump();
                conds.push(self.expr(1)?);
            }
            clauses.push(CompFor {
                targets,
                iter,
                conds,
            });
        }
        Ok(clauses)
    }

    /// `a`, `a, b` or `(a, b)` before `in`.
    fn for_targets(&mut self) -> Result<Vec<(String, Span)>, LangError> {
        let paren = self.eat_op("(");
        let mut targets = Vec::new();
        loop {
            match self.peek().tok.clone() {
                Tok::Name(n) => targets.push((n, self.bump().span)),
                Tok::Op("(") => {
                    return Err(LangError::unsupported(
                        "nested unpacking in a `for` is not supported",
                    )
                    .at(self.peek().span)
                    .with_hint("unpack inside the loop: for i, pair in ...: a, b = pair"));
                }
                _ => return Err(self.unexpected("expected a name for the loop variable")),
            }
            if !self.eat_op(",") || (paren && self.is_op(")")) {
                break;
            }
        }
        if paren {
            self.expect_op(")", "to close the loop's names")?;
        }
        Ok(targets)
    }

    fn loop_body(&mut self, indent: u32) -> Result<Vec<Stmt>, LangError> {
        self.loops += 1;
        let body = self.suite(indent);
        self.loops -= 1;
        body
    }

    fn no_loop_else(&self, indent: u32) -> Result<(), LangError> {
        if self.peek().indent == Some(indent) && self.is_kw(Kw::Else) {
            return Err(
                LangError::unsupported("`else` after a loop is not supported")
                    .at(self.peek().span)
                    .with_hint("set a flag before `break` and test it after the loop"),
            );
        }
        Ok(())
    }

    /// A block after `:` — simple statements on the same line, or indented lines deeper
    /// than the header at `header`.
    fn suite(&mut self, header: u32) -> Result<Vec<Stmt>, LangError> {
        if !self.is_op(":") {
            return Err(self.unexpected("expected `:`"));
        }
        let colon = self.bump().span;
        if self.blocks >= MAX_BLOCKS {
            return Err(
                LangError::parse("too many statically nested blocks", colon).with_hint(format!(
                    "blocks nest at most {MAX_BLOCKS} deep; move inner work into separate cells"
                )),
            );
        }
        self.blocks += 1;
        let body = self.block_after_colon(header, colon);
        self.blocks -= 1;
        body
    }

    fn block_after_colon(&mut self, header: u32, colon: Span) -> Result<Vec<Stmt>, LangError> {
        let mut body = Vec::new();
        if !matches!(self.peek().tok, Tok::Newline | Tok::Eof) {
            loop {
                let stmt = self.simple()?;
                super::depth::check_depth(&stmt)?;
                body.push(stmt);
                if !self.eat_op(";") || matches!(self.peek().tok, Tok::Newline | Tok::Eof) {
                    break;
                }
            }
            self.end_of_statement()?;
            return Ok(body);
        }
        while self.eat_newline() {}
        let level = match self.peek().indent {
            Some(w) if w > header => w,
            _ if self.at_eof() => {
                return Err(LangError::parse("expected an indented block", colon).incomplete());
            }
            _ => {
                return Err(
                    LangError::parse("expected an indented block", self.peek().span)
                        .with_hint("indent the lines of the block, e.g. by 4 spaces"),
                );
            }
        };
        while !self.at_eof() {
            match self.peek().indent {
                Some(w) if w == level => {}
                Some(w) if w < level => break,
                Some(_) => {
                    return Err(LangError::parse("unexpected indentation", self.peek().span)
                        .with_hint("the lines of a block share one indentation"));
                }
                None => {
                    if self.eat_newline() {
                        continue;
                    }
                }
            }
            self.statement_into(&mut body)?;
        }
        Ok(body)
    }

    fn simple(&mut self) -> Result<Stmt, LangError> {
        let first = self.peek().clone();
        if let Tok::Keyword(kw) = first.tok {
            match kw {
                Kw::Return => {
                    self.bump();
                    if self.functions == 0 {
                        return Err(LangError::parse("'return' outside function", first.span));
                    }
                    let value =
                        if matches!(self.peek().tok, Tok::Newline | Tok::Eof) || self.is_op(";") {
                            None
                        } else {
                            Some(self.tuple_or_expr()?)
                        };
                    return Ok(Stmt::Return(value, first.span));
                }
                Kw::Break | Kw::Continue => {
                    self.bump();
                    if self.loops == 0 {
                        return Err(LangError::parse(
                            format!("'{}' outside loop", kw.as_str()),
                            first.span,
                        ));
                    }
                    return Ok(if kw == Kw::Break {
                        Stmt::Break(first.span)
                    } else {
                        Stmt::Continue(first.span)
                    });
                }
                Kw::Assert => {
                    self.bump();
                    let cond = self.expr(0)?;
                    let msg = if self.eat_op(",") {
                        Some(self.expr(0)?)
                    } else {
                        None
                    };
                    return Ok(Stmt::Assert {
                        cond,
                        msg,
                        span: first.span,
                    });
                }
                Kw::Del => {
                    self.bump();
                    let mut names = Vec::new();
                    loop {
                        match self.bump() {
                            Token {
                                tok: Tok::Name(n),
                                span,
                                ..
                            } => names.push((n, span)),
                            _ => {
                                self.pos -= 1;
                                return Err(self
                                    .unexpected("expected a name to delete")
                                    .with_hint("`del` deletes variables: del df2"));
                            }
                        }
                        if !self.eat_op(",") {
                            break;
                        }
                    }
                    return Ok(Stmt::Del(names));
                }
                Kw::Import => return self.import(),
                Kw::From => return self.import_from(),
                Kw::Pass => {
                    self.bump();
                    return Ok(Stmt::Expr(Expr {
                        kind: ExprKind::None,
                        span: first.span,
                    }));
                }
                _ => {}
            }
            if let Some((_, why)) = UNSUPPORTED.iter().find(|(k, _)| *k == kw) {
                return Err(
                    LangError::unsupported(format!("`{}` is not supported", kw.as_str()))
                        .at(first.span)
                        .with_hint(*why),
                );
            }
        }
        // Assignment: NAME (, NAME)* = expr
        let mut targets = Vec::new();
        let save = self.pos;
        while let Tok::Name(n) = self.peek().tok.clone() {
            let t = self.bump();
            targets.push((n, t.span));
            if !self.eat_op(",") {
                break;
            }
        }
        if !targets.is_empty() && self.is_op("=") {
            self.bump();
            let value = self.tuple_or_expr()?;
            return Ok(Stmt::Assign(targets, value));
        }
        self.pos = save;
        for (aug, op) in [
            ("+=", BinOp::Add),
            ("-=", BinOp::Sub),
            ("*=", BinOp::Mul),
            ("/=", BinOp::Div),
        ] {
            if self.peek_at(1).tok != Tok::Op(aug) {
                continue;
            }
            // `x += e` is `x = x + e`.
            let Tok::Name(name) = self.peek().tok.clone() else {
                return Err(LangError::unsupported(format!(
                    "augmented assignment `{aug}` to anything but a name is not supported"
                ))
                .at(self.peek_at(1).span));
            };
            let target = self.bump();
            self.bump();
            let value = self.tuple_or_expr()?;
            let span = target.span.to(value.span);
            let current = Expr {
                kind: ExprKind::Name(name.clone()),
                span: target.span,
            };
            let sum = Expr {
                kind: ExprKind::Binary(op, Box::new(current), Box::new(value)),
                span,
            };
            return Ok(Stmt::Assign(vec![(name, target.span)], sum));
        }
        let e = self.tuple_or_expr()?;
        if let Tok::Op(op @ ("+=" | "-=" | "*=" | "/=" | "=")) = self.peek().tok {
            return Err(LangError::unsupported(format!(
                "`{op}` to an attribute, item or expression is not supported"
            ))
            .at(self.peek().span)
            .with_hint("assign to a name: `x = ...`; columns change with withColumn"));
        }
        Ok(Stmt::Expr(e))
    }

    fn dotted_name(&mut self) -> Result<(String, Span), LangError> {
        let mut parts = Vec::new();
        let start = self.peek().span;
        let mut end;
        loop {
            match self.peek().tok.clone() {
                Tok::Name(n) => {
                    end = self.bump().span;
                    parts.push(n);
                }
                _ => return Err(self.unexpected("expected a module name")),
            }
            if !self.eat_op(".") {
                break;
            }
        }
        Ok((parts.join("."), start.to(end)))
    }

    fn alias(&mut self, name: String) -> Result<(String, String), LangError> {
        if self.is_kw(Kw::As) {
            self.bump();
            match self.bump().tok {
                Tok::Name(alias) => Ok((name, alias)),
                _ => Err(self.unexpected("expected a name after `as`")),
            }
        } else {
            Ok((name.clone(), name))
        }
    }

    fn import(&mut self) -> Result<Stmt, LangError> {
        let start = self.bump().span;
        let (module, span) = self.dotted_name()?;
        let (_, alias) = self.alias(module.clone())?;
        Ok(Stmt::Import {
            module,
            names: vec![(String::new(), alias)],
            span: start.to(span),
        })
    }

    fn import_from(&mut self) -> Result<Stmt, LangError> {
        let start = self.bump().span;
        let (module, _) = self.dotted_name()?;
        if !self.is_kw(Kw::Import) {
            return Err(self.unexpected("expected `import`"));
        }
        self.bump();
        let paren = self.eat_op("(");
        let mut names = Vec::new();
        loop {
            match self.peek().tok.clone() {
                Tok::Name(n) => {
                    self.bump();
                    names.push(self.alias(n)?);
                }
                Tok::Op("*") => {
                    self.bump();
                    names.push(("*".into(), "*".into()));
                }
                _ => return Err(self.unexpected("expected a name to import")),
            }
            if !self.eat_op(",") {
                break;
            }
            if paren && self.is_op(")") {
                break;
            }
        }
        let end = if paren {
            self.expect_op(")", "to close the import list")?
        } else {
            self.tokens[self.pos - 1].span
        };
        Ok(Stmt::Import {
            module,
            names,
            span: start.to(end),
        })
    }

    fn tuple_or_expr(&mut self) -> Result<Expr, LangError> {
        let first = self.expr(0)?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if matches!(self.peek().tok, Tok::Newline | Tok::Eof) {
                break;
            }
            items.push(self.expr(0)?);
        }
        let span = items[0].span.to(items[items.len() - 1].span);
        Ok(Expr {
            kind: ExprKind::Tuple(items),
            span,
        })
    }

    /// Binding powers follow Python: or < and < not < comparison < | < & < +- < */ < unary < **.
    fn expr(&mut self, min_bp: u8) -> Result<Expr, LangError> {
        if self.depth >= MAX_NESTING {
            return Err(LangError::parse(
                format!("too many nested brackets or operators (more than {MAX_NESTING})"),
                self.peek().span,
            )
            .with_hint("split the expression over several statements"));
        }
        self.depth += 1;
        let result = self.expr_unbounded(min_bp);
        self.depth -= 1;
        result
    }

    fn expr_unbounded(&mut self, min_bp: u8) -> Result<Expr, LangError> {
        let mut lhs = self.prefix()?;
        // The right operand of the comparison just parsed: `a < b < c` is Python's
        // `a < b and b < c`, not `(a < b) < c`.
        let mut chained: Option<Expr> = None;
        loop {
            let (op, bp) = match &self.peek().tok {
                Tok::Keyword(Kw::Or) => (BinOp::Or, 1),
                Tok::Keyword(Kw::And) => (BinOp::And, 2),
                Tok::Keyword(Kw::In) => (BinOp::In, 4),
                Tok::Keyword(Kw::Is) if self.peek_at(1).tok == Tok::Keyword(Kw::Not) => {
                    self.bump();
                    (BinOp::IsNot, 4)
                }
                Tok::Keyword(Kw::Is) => (BinOp::Is, 4),
                Tok::Keyword(Kw::Not) if self.peek_at(1).tok == Tok::Keyword(Kw::In) => {
                    self.bump();
                    (BinOp::NotIn, 4)
                }
                Tok::Op(o) => match *o {
                    "==" => (BinOp::Eq, 4),
                    "!=" => (BinOp::Ne, 4),
                    "<" => (BinOp::Lt, 4),
                    "<=" => (BinOp::Le, 4),
                    ">" => (BinOp::Gt, 4),
                    ">=" => (BinOp::Ge, 4),
                    "|" => (BinOp::BitOr, 5),
                    "&" => (BinOp::BitAnd, 7),
                    "+" => (BinOp::Add, 9),
                    "-" => (BinOp::Sub, 9),
                    "*" => (BinOp::Mul, 10),
                    "/" => (BinOp::Div, 10),
                    "//" => (BinOp::FloorDiv, 10),
                    "%" => (BinOp::Mod, 10),
                    "**" => (BinOp::Pow, 12),
                    _ => break,
                },
                _ => break,
            };
            if bp < min_bp {
                break;
            }
            self.bump();
            // `**` is right-associative; the rest are left-associative.
            let next_bp = if op == BinOp::Pow { bp } else { bp + 1 };
            let rhs = self.expr(next_bp)?;
            let span = lhs.span.to(rhs.span);
            let comparison = bp == 4;
            lhs = match chained.take().filter(|_| comparison) {
                Some(middle) => {
                    let pair_span = middle.span.to(rhs.span);
                    let pair = Expr {
                        kind: ExprKind::Binary(op, Box::new(middle), Box::new(rhs.clone())),
                        span: pair_span,
                    };
                    Expr {
                        kind: ExprKind::Binary(BinOp::And, Box::new(lhs), Box::new(pair)),
                        span,
                    }
                }
                None => Expr {
                    kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs.clone())),
                    span,
                },
            };
            if comparison {
                chained = Some(rhs);
            }
        }
        // `a if cond else b`, below `or`.
        if min_bp == 0 && self.is_kw(Kw::If) {
            self.bump();
            let cond = self.expr(1)?;
            if !self.is_kw(Kw::Else) {
                return Err(self.unexpected("expected `else` in the conditional expression"));
            }
            self.bump();
            let otherwise = self.expr(0)?;
            let span = lhs.span.to(otherwise.span);
            return Ok(Expr {
                kind: ExprKind::IfElse(Box::new(cond), Box::new(lhs), Box::new(otherwise)),
                span,
            });
        }
        Ok(lhs)
    }

    fn prefix(&mut self) -> Result<Expr, LangError> {
        let t = self.peek().clone();
        let (op, bp) = match &t.tok {
            Tok::Op("-") => (UnOp::Neg, 11),
            Tok::Op("+") => (UnOp::Pos, 11),
            Tok::Op("~") => (UnOp::Invert, 11),
            Tok::Keyword(Kw::Not) => (UnOp::Not, 3),
            _ => return self.postfix(),
        };
        self.bump();
        let inner = self.expr(bp)?;
        let span = t.span.to(inner.span);
        Ok(Expr {
            kind: ExprKind::Unary(op, Box::new(inner)),
            span,
        })
    }

    fn postfix(&mut self) -> Result<Expr, LangError> {
        let mut e = self.atom()?;
        loop {
            if self.is_op(".") {
                self.bump();
                let t = self.bump();
                match t.tok {
                    Tok::Name(name) => {
                        let span = e.span.to(t.span);
                        e = Expr {
                            kind: ExprKind::Attr(Box::new(e), name, t.span),
                            span,
                        };
                    }
                    _ => {
                        self.pos -= 1;
                        return Err(self
                            .unexpected("expected a method or attribute name after `.`")
                            .incomplete_if(t.tok == Tok::Eof));
                    }
                }
            } else if self.is_op("(") {
                self.bump();
                let args = self.call_args()?;
                let end = self.expect_op(")", "to close the call")?;
                let span = e.span.to(end);
                e = Expr {
                    kind: ExprKind::Call(Box::new(e), args),
                    span,
                };
            } else if self.is_op("[") {
                self.bump();
                let index = self.index_or_slice()?;
                let end = self.expect_op("]", "to close the index")?;
                let span = e.span.to(end);
                e = Expr {
                    kind: ExprKind::Index(Box::new(e), Box::new(index)),
                    span,
                };
            } else {
                return Ok(e);
            }
        }
    }

    /// `i`, or a slice `start:stop:step` with any part left out.
    fn index_or_slice(&mut self) -> Result<Expr, LangError> {
        let start_span = self.peek().span;
        let start = if self.is_op(":") {
            None
        } else {
            Some(self.expr(0)?)
        };
        if !self.is_op(":") {
            return Ok(start.expect("an index"));
        }
        let mut parts = [start.map(Box::new), None, None];
        for part in parts.iter_mut().skip(1) {
            if !self.eat_op(":") {
                break;
            }
            if !self.is_op(":") && !self.is_op("]") {
                *part = Some(Box::new(self.expr(0)?));
            }
        }
        let [a, b, c] = parts;
        let span = start_span.to(self.tokens[self.pos - 1].span);
        Ok(Expr {
            kind: ExprKind::Slice(a, b, c),
            span,
        })
    }

    fn call_args(&mut self) -> Result<Vec<Arg>, LangError> {
        let mut args: Vec<Arg> = Vec::new();
        while !self.is_op(")") {
            if self.is_op("*") || self.is_op("**") {
                // `*cols` / `**opts`: spread into the call.
                let double = self.is_op("**");
                let star = self.bump().span;
                let inner = self.expr(0)?;
                let span = star.to(inner.span);
                args.push(Arg {
                    name: None,
                    value: Expr {
                        kind: ExprKind::Unpack(Box::new(inner), double),
                        span,
                    },
                });
                if !self.eat_op(",") {
                    break;
                }
                continue;
            }
            let keyword = match (&self.peek().tok, &self.peek_at(1).tok) {
                (Tok::Name(n), Tok::Op("=")) => Some(n.clone()),
                _ => None,
            };
            if let Some(name) = keyword {
                self.bump();
                self.bump();
                let value = self.expr(0)?;
                args.push(Arg {
                    name: Some(name),
                    value,
                });
            } else {
                let value = self.expr(0)?;
                if let Some(kw) = args.iter().find(|a| a.name.is_some()) {
                    return Err(LangError::parse(
                        "positional argument follows keyword argument",
                        value.span,
                    )
                    .with_related(kw.value.span));
                }
                // A generator argument, `sum(x for x in xs)`, runs as a list.
                let value = if self.is_kw(Kw::For) {
                    let clauses = self.comp_clauses()?;
                    let span = value.span.to(self.tokens[self.pos - 1].span);
                    Expr {
                        kind: ExprKind::ListComp(Box::new(value), clauses),
                        span,
                    }
                } else {
                    value
                };
                args.push(Arg { name: None, value });
            }
            if !self.eat_op(",") {
                break;
            }
        }
        Ok(args)
    }

    /// Items up to `close`, whether a trailing comma ended them, and the closing bracket;
    /// or, for `[x for x in xs]`, the comprehension.
    fn sequence(&mut self, close: &str) -> Result<Seq, LangError> {
        let mut items = Vec::new();
        let mut trailing_comma = false;
        while !self.is_op(close) {
            items.push(self.expr(0)?);
            if self.is_kw(Kw::For) {
                if items.len() > 1 {
                    return Err(self.unexpected("expected `,` or the closing bracket"));
                }
                let clauses = self.comp_clauses()?;
                let end = self.expect_op(close, "to close the comprehension")?;
                let elt = items.pop().expect("one item");
                return Ok(Seq::Comp(ExprKind::ListComp(Box::new(elt), clauses), end));
            }
            trailing_comma = self.eat_op(",");
            if !trailing_comma {
                break;
            }
        }
        let end = self.expect_op(close, "to close the brackets")?;
        Ok(Seq::Items(items, trailing_comma, end))
    }

    /// `{k: v, …}` after its `{`; sets are not supported.
    fn dict(&mut self, open: Span) -> Result<Expr, LangError> {
        let mut items = Vec::new();
        while !self.is_op("}") {
            if self.is_op("**") {
                return Err(
                    LangError::unsupported("`**` unpacking in a dict is not supported")
                        .at(self.peek().span)
                        .with_hint("write the keys out, or merge with dict(a, **b) later"),
                );
            }
            let key = self.expr(0)?;
            if !self.is_op(":") {
                let at = if self.is_kw(Kw::For) {
                    self.peek().span
                } else {
                    key.span
                };
                return Err(LangError::unsupported("sets are not supported")
                    .at(at)
                    .with_hint("use a list: [a, b]"));
            }
            self.bump();
            let value = self.expr(0)?;
            if self.is_kw(Kw::For) && items.is_empty() {
                let clauses = self.comp_clauses()?;
                let end = self.expect_op("}", "to close the dict comprehension")?;
                return Ok(Expr {
                    kind: ExprKind::DictComp(Box::new(key), Box::new(value), clauses),
                    span: open.to(end),
                });
            }
            items.push((key, value));
            if !self.eat_op(",") {
                break;
            }
        }
        let end = self.expect_op("}", "to close the dict")?;
        Ok(Expr {
            kind: ExprKind::Dict(items),
            span: open.to(end),
        })
    }

    fn atom(&mut self) -> Result<Expr, LangError> {
        let t = self.bump();
        let kind = match t.tok {
            Tok::Str(mut s) => {
                // Adjacent literals concatenate, as in Python.
                let mut span = t.span;
                while let Tok::Str(more) = &self.peek().tok {
                    s.push_str(more);
                    span = span.to(self.bump().span);
                }
                return Ok(Expr {
                    kind: ExprKind::Str(s),
                    span,
                });
            }
            Tok::FStr(text, at) => return fstring::fstring(&text, at, t.span),
            Tok::Int(i) => ExprKind::Int(i),
            Tok::Float(f) => ExprKind::Float(f),
            Tok::Keyword(Kw::True) => ExprKind::Bool(true),
            Tok::Keyword(Kw::False) => ExprKind::Bool(false),
            Tok::Keyword(Kw::None) => ExprKind::None,
            Tok::Keyword(Kw::Lambda) => {
                let params = self.params(":")?;
                self.expect_op(":", "after the lambda's parameters")?;
                let body = self.expr(0)?;
                let span = t.span.to(body.span);
                return Ok(Expr {
                    kind: ExprKind::Lambda(params, Box::new(body)),
                    span,
                });
            }
            Tok::Keyword(kw) => {
                self.pos -= 1;
                let hint = UNSUPPORTED.iter().find(|(k, _)| *k == kw).map(|(_, h)| *h);
                let err =
                    LangError::unsupported(format!("`{}` is not supported here", kw.as_str()))
                        .at(t.span);
                return Err(match hint {
                    Some(h) => err.with_hint(h),
                    None => err,
                });
            }
            Tok::Name(n) => ExprKind::Name(n),
            Tok::Op("(") => {
                let (items, trailing, end) = match self.sequence(")")? {
                    Seq::Items(items, trailing, end) => (items, trailing, end),
                    // A generator in brackets runs as a list.
                    Seq::Comp(kind, end) => {
                        return Ok(Expr {
                            kind,
                            span: t.span.to(end),
                        });
                    }
                };
                let span = t.span.to(end);
                if items.len() == 1 && !trailing {
                    let inner = items.into_iter().next().expect("one item");
                    return Ok(Expr {
                        kind: inner.kind,
                        span,
                    });
                }
                return Ok(Expr {
                    kind: ExprKind::Tuple(items),
                    span,
                });
            }
            Tok::Op("[") => {
                let (kind, end) = match self.sequence("]")? {
                    Seq::Items(items, _, end) => (ExprKind::List(items), end),
                    Seq::Comp(kind, end) => (kind, end),
                };
                return Ok(Expr {
                    kind,
                    span: t.span.to(end),
                });
            }
            Tok::Op("{") => return self.dict(t.span),
            Tok::Eof => {
                self.pos -= 1;
                return Err(LangError::parse("unexpected end of cell", t.span).incomplete());
            }
            _ => {
                self.pos -= 1;
                return Err(self.unexpected("expected an expression"));
            }
        };
        Ok(Expr { kind, span: t.span })
    }
}

trait IncompleteIf {
    fn incomplete_if(self, cond: bool) -> Self;
}

impl IncompleteIf for LangError {
    fn incomplete_if(self, cond: bool) -> Self {
        if cond { self.incomplete() } else { self }
    }
}

#[path = "fstring.rs"]
mod fstring;

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;

/// The classes an `except` names: `E`, `mod.E` or a tuple of them.
fn exception_classes(e: &Expr) -> Result<Vec<(String, Span)>, LangError> {
    match &e.kind {
        ExprKind::Name(n) => Ok(vec![(n.clone(), e.span)]),
        ExprKind::Attr(_, n, _) => Ok(vec![(n.clone(), e.span)]),
        ExprKind::Tuple(items) => {
            let mut out = Vec::new();
            for item in items {
                out.extend(exception_classes(item)?);
            }
            Ok(out)
        }
        _ => Err(LangError::parse(
            "expected an exception class after `except`",
            e.span,
        )),
    }
}
