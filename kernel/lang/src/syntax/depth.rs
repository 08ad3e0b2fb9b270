//! Trees deep enough to exhaust the evaluator's stack are refused after parsing; the walk
//! itself keeps its own stack, so it never recurses.

use super::ast::{Expr, ExprKind, Stmt};
use crate::core::error::LangError;

/// Longer chains (`a + b + …`, `.alias(…).alias(…)…`) are fine up to this depth.
const MAX_DEPTH: usize = 3000;

/// Refuses trees deep enough to exhaust the evaluator's stack; walks without recursing.
/// A block's own statements were checked as they were parsed; this checks its header.
pub fn check_depth(stmt: &Stmt) -> Result<(), LangError> {
    let roots: Vec<&Expr> = match stmt {
        Stmt::Assign(_, e) | Stmt::Expr(e) => vec![e],
        Stmt::For { iter, .. } => vec![iter],
        Stmt::While { cond, .. } => vec![cond],
        Stmt::If { branches, .. } => branches.iter().map(|(c, _)| c).collect(),
        Stmt::With { items, .. } => items.iter().map(|(e, _)| e).collect(),
        Stmt::Return(value, _) => value.iter().collect(),
        Stmt::Def {
            params, decorators, ..
        } => params
            .iter()
            .filter_map(|p| p.default.as_ref())
            .chain(decorators.iter())
            .collect(),
        Stmt::Assert { cond, msg, .. } => std::iter::once(cond).chain(msg.iter()).collect(),
        Stmt::Import { .. }
        | Stmt::Break(_)
        | Stmt::Continue(_)
        | Stmt::Del(_)
        | Stmt::Try { .. } => vec![],
    };
    let mut stack: Vec<(&Expr, usize)> = roots.into_iter().map(|e| (e, 1)).collect();
    while let Some((e, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(LangError::parse(
                format!("expression nested more than {MAX_DEPTH} levels deep"),
                e.span,
            )
            .with_hint("split it over several statements"));
        }
        let children: Vec<&Expr> = match &e.kind {
            ExprKind::List(items) | ExprKind::Tuple(items) => items.iter().collect(),
            ExprKind::Dict(items) => items.iter().flat_map(|(k, v)| [k, v]).collect(),
            ExprKind::Attr(obj, _, _) => vec![obj],
            ExprKind::Call(f, args) => std::iter::once(&**f)
                .chain(args.iter().map(|a| &a.value))
                .collect(),
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => vec![a, b],
            ExprKind::Unary(_, a) | ExprKind::Unpack(a, _) => vec![a],
            ExprKind::Slice(a, b, c) => [a, b, c].into_iter().flatten().map(|e| &**e).collect(),
            ExprKind::IfElse(c, a, b) => vec![c, a, b],
            ExprKind::ListComp(elt, clauses) => std::iter::once(&**elt)
                .chain(
                    clauses
                        .iter()
                        .flat_map(|c| std::iter::once(&c.iter).chain(c.conds.iter())),
                )
                .collect(),
            ExprKind::DictComp(k, v, clauses) => [&**k, &**v]
                .into_iter()
                .chain(
                    clauses
                        .iter()
                        .flat_map(|c| std::iter::once(&c.iter).chain(c.conds.iter())),
                )
                .collect(),
            ExprKind::Lambda(params, body) => params
                .iter()
                .filter_map(|p| p.default.as_ref())
                .chain(std::iter::once(&**body))
                .collect(),
            _ => vec![],
        };
        stack.extend(children.into_iter().map(|c| (c, depth + 1)));
    }
    Ok(())
}
