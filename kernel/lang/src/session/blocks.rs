//! Blocks: `for`, `while`, `if` and `with`, and the `break`/`continue` they pass along.

use std::sync::Arc;

use crate::api::operators::condition;
use crate::api::python::{iterate, text_of};
use crate::core::error::{LangError, Span, interrupted};
use crate::core::value::Value;
use crate::syntax::ast::{CompFor, Expr, Handler, Stmt};

use crate::core::context::Context;

use super::eval::Eval;

/// Where control goes after a statement.
pub enum Flow {
    /// On to the next statement; an expression statement's value.
    Next(Option<Value>),
    /// Out of the innermost loop.
    Break,
    /// To the innermost loop's next round.
    Continue,
    /// Out of the function, with its result.
    Return(Value),
}

/// `__enter__`: the manager and the value `as` binds.
pub fn enter(manager: Value, span: Span) -> Result<(Value, Value), LangError> {
    match &manager {
        Value::TempDir(path) => {
            let bound = Value::Str(path.to_string());
            Ok((manager, bound))
        }
        other => Err(LangError::type_error(format!(
            "'{}' object does not support the context manager protocol",
            other.type_name()
        ))
        .at(span)
        .with_hint("Faísca's context managers: tempfile.TemporaryDirectory()")),
    }
}

/// `__exit__`: a temporary directory goes away with what is in it.
pub fn exit(manager: &Value) {
    if let Value::TempDir(path) = manager {
        let _ = std::fs::remove_dir_all(Arc::as_ref(path));
    }
}

impl Eval<'_, '_> {
    /// Runs one statement; an expression statement gives its value.
    pub fn statement(&mut self, stmt: &Stmt) -> Result<Option<Value>, LangError> {
        match self.exec(stmt)? {
            Flow::Next(v) => Ok(v),
            // The parser allows `break`/`continue` only inside loops, which consume them.
            Flow::Break | Flow::Continue | Flow::Return(_) => Ok(None),
        }
    }

    /// Runs one statement, saying where control goes next.
    pub fn exec(&mut self, stmt: &Stmt) -> Result<Flow, LangError> {
        if let Some(flow) = self.compound(stmt)? {
            return Ok(flow);
        }
        self.simple(stmt).map(Flow::Next)
    }

    /// Runs a compound statement; `None` for a simple one.
    pub fn compound(&mut self, stmt: &Stmt) -> Result<Option<Flow>, LangError> {
        Ok(Some(match stmt {
            Stmt::Break(_) => Flow::Break,
            Stmt::Return(value, _) => Flow::Return(match value {
                Some(v) => self.expr(v)?,
                None => Value::None,
            }),
            Stmt::Def {
                name,
                decorators,
                params,
                body,
                span,
            } => {
                self.define(name, params, body)?;
                // `@d1 @d2 def f` is `f = d1(d2(f))`.
                for d in decorators.iter().rev() {
                    let decorator = self.expr(d)?;
                    let f = self.vars.get(name).cloned().unwrap_or(Value::None);
                    let args = crate::api::call::Args {
                        pos: vec![(f, *span)],
                        kw: Vec::new(),
                        span: d.span,
                    };
                    let wrapped = self.call(decorator, args).map_err(|e| e.at(d.span))?;
                    self.vars.insert(name.clone(), wrapped);
                }
                Flow::Next(None)
            }
            Stmt::Continue(_) => Flow::Continue,
            Stmt::For {
                targets,
                iter,
                body,
                ..
            } => {
                let items = iterate(&self.expr(iter)?, iter.span)?;
                for item in items {
                    self.assign(targets, item, iter.span)?;
                    match self.block(body)? {
                        Flow::Break => break,
                        ret @ Flow::Return(_) => return Ok(Some(ret)),
                        Flow::Next(_) | Flow::Continue => {}
                    }
                }
                Flow::Next(None)
            }
            Stmt::While { cond, body, .. } => {
                while condition(&self.expr(cond)?).map_err(|e| e.at(cond.span))? {
                    match self.block(body)? {
                        Flow::Break => break,
                        ret @ Flow::Return(_) => return Ok(Some(ret)),
                        Flow::Next(_) | Flow::Continue => {}
                    }
                }
                Flow::Next(None)
            }
            Stmt::If {
                branches, orelse, ..
            } => {
                for (cond, body) in branches {
                    if condition(&self.expr(cond)?).map_err(|e| e.at(cond.span))? {
                        return self.block(body).map(Some);
                    }
                }
                self.block(orelse)?
            }
            Stmt::With { items, body, .. } => self.with(items, body)?,
            Stmt::Try {
                body,
                handlers,
                orelse,
                finalbody,
                ..
            } => self.try_block(body, handlers, orelse, finalbody)?,
            Stmt::Assert { cond, msg, .. } => {
                if !condition(&self.expr(cond)?).map_err(|e| e.at(cond.span))? {
                    let message = match msg {
                        Some(m) => text_of(&self.expr(m)?),
                        None => String::new(),
                    };
                    return Err(LangError::new("AssertionError", message).at(cond.span));
                }
                Flow::Next(None)
            }
            Stmt::Del(names) => {
                for (name, span) in names {
                    if self.vars.remove(name).is_none() {
                        return Err(LangError::new(
                            "NameError",
                            format!("name '{name}' is not defined"),
                        )
                        .at(*span));
                    }
                }
                Flow::Next(None)
            }
            _ => return Ok(None),
        }))
    }

    /// Runs statements until one breaks or continues a loop.
    pub(super) fn block(&mut self, body: &[Stmt]) -> Result<Flow, LangError> {
        for stmt in body {
            match self.exec(stmt)? {
                Flow::Next(_) => {}
                jump => return Ok(jump),
            }
        }
        Ok(Flow::Next(None))
    }

    /// `try`: the first handler whose classes match the error runs; `else` when nothing
    /// was raised; `finally` always, and a jump out of it wins, as in Python.
    fn try_block(
        &mut self,
        body: &[Stmt],
        handlers: &[Handler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
    ) -> Result<Flow, LangError> {
        let mut result = self.block(body);
        match &result {
            Err(e) => {
                let handler = handlers.iter().find(|h| {
                    e.ename != "KeyboardInterrupt"
                        && (h.classes.is_empty() || h.classes.iter().any(|(c, _)| e.is_instance(c)))
                });
                if let Some(h) = handler {
                    let caught = Value::Exception(Arc::new((e.ename.clone(), e.message.clone())));
                    if let Some((name, _)) = &h.name {
                        self.vars.insert(name.clone(), caught);
                    }
                    result = self.block(&h.body);
                    // Python unbinds the name when the handler ends.
                    if let Some((name, _)) = &h.name {
                        self.vars.remove(name);
                    }
                }
            }
            Ok(Flow::Next(_)) => result = self.block(orelse),
            Ok(_) => {}
        }
        match self.block(finalbody)? {
            Flow::Next(_) => result,
            jump => Ok(jump),
        }
    }

    /// `with a as x, b as y:` — enters in order, exits in reverse, also on error.
    fn with(
        &mut self,
        items: &[(Expr, Option<(String, Span)>)],
        body: &[Stmt],
    ) -> Result<Flow, LangError> {
        let mut entered: Vec<Value> = Vec::new();
        let mut result = Ok(Flow::Next(None));
        for (manager, name) in items {
            let value = match self.expr(manager).and_then(|m| enter(m, manager.span)) {
                Ok(v) => v,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            if let Some((name, span)) = name
                && let Err(e) = self.assign(&[(name.clone(), *span)], value.1.clone(), *span)
            {
                result = Err(e);
                entered.push(value.0);
                break;
            }
            entered.push(value.0);
        }
        if result.is_ok() {
            result = self.block(body);
        }
        for manager in entered.into_iter().rev() {
            exit(&manager);
        }
        result
    }

    /// Runs `each` for every combination the clauses produce. The loop names are the
    /// comprehension's own: what they held before comes back afterwards, as in Python 3.
    pub(super) fn comprehension(
        &mut self,
        clauses: &[CompFor],
        each: &mut dyn FnMut(&mut Self) -> Result<(), LangError>,
    ) -> Result<(), LangError> {
        let names: Vec<String> = clauses
            .iter()
            .flat_map(|c| c.targets.iter().map(|(n, _)| n.clone()))
            .collect();
        let saved: Vec<(String, Option<Value>)> = names
            .iter()
            .map(|n| (n.clone(), self.vars.get(n).cloned()))
            .collect();
        let result = self.clauses(clauses, each);
        for (name, old) in saved {
            match old {
                Some(v) => self.vars.insert(name, v),
                None => self.vars.remove(&name),
            };
        }
        result
    }

    fn clauses(
        &mut self,
        clauses: &[CompFor],
        each: &mut dyn FnMut(&mut Self) -> Result<(), LangError>,
    ) -> Result<(), LangError> {
        let Some((first, rest)) = clauses.split_first() else {
            return each(self);
        };
        let items = iterate(&self.expr(&first.iter)?, first.iter.span)?;
        'items: for item in items {
            if (self.ctx.cancel())() {
                return Err(interrupted());
            }
            self.assign(&first.targets, item, first.iter.span)?;
            for c in &first.conds {
                if !condition(&self.expr(c)?).map_err(|e| e.at(c.span))? {
                    continue 'items;
                }
            }
            self.clauses(rest, each)?;
        }
        Ok(())
    }
}
