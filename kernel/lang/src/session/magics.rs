//! Finding and running magics: `%name args` lines and `%%name args` cells.

use crate::api::magics::{MAGICS, MagicCall, MagicKind, MagicResult, find};
use crate::core::error::{LangError, Span};
use crate::core::names::closest;

use super::context::CellContext;

/// Runs a `%magic args` line at `at` in the cell.
pub fn line_magic(
    ctx: &mut CellContext<'_>,
    line: &str,
    at: usize,
) -> Result<MagicResult, LangError> {
    let head = Span::new(at, at + line.len());
    let mut words = line.trim().trim_start_matches('%').split_whitespace();
    let name = words.next().unwrap_or("");
    let Some(magic) = find(name, MagicKind::Line) else {
        let err = LangError::new(
            "UsageError",
            format!("Line magic function `%{name}` not found."),
        );
        return Err(not_found(err.at(head), name, MagicKind::Line, ""));
    };
    let call = MagicCall {
        args: words.collect(),
        body: "",
        body_offset: at + line.len(),
        head,
    };
    (magic.run)(ctx, call).map_err(|e| e.at(head))
}

/// Runs a `%%magic` cell.
pub fn cell_magic(ctx: &mut CellContext<'_>, code: &str) -> Result<MagicResult, LangError> {
    let start = code.len() - code.trim_start().len();
    let (first, body) = code[start..]
        .split_once('\n')
        .unwrap_or((&code[start..], ""));
    let head = Span::new(start, start + first.len());
    let mut words = first.trim_start_matches('%').split_whitespace();
    let name = words.next().unwrap_or("");
    let Some(magic) = find(name, MagicKind::Cell) else {
        let err = LangError::new("UsageError", format!("Cell magic `%%{name}` not found."));
        return Err(not_found(
            err.at(head),
            name,
            MagicKind::Cell,
            "Faísca's cell magic is %%sql",
        ));
    };

    let call = MagicCall {
        args: words.collect(),
        body,
        body_offset: start + first.len() + 1,
        head,
    };
    (magic.run)(ctx, call)
}

/// Adds the closest magic of `kind` as a hint, or `otherwise`.
fn not_found(err: LangError, name: &str, kind: MagicKind, otherwise: &str) -> LangError {
    let pct = if kind == MagicKind::Cell { "%%" } else { "%" };
    let known = MAGICS.iter().filter(|m| m.kind == kind).map(|m| m.name);
    match closest(name, known) {
        Some(c) => err.with_hint(format!("did you mean `{pct}{c}`?")),
        None if otherwise.is_empty() => err,
        None => err.with_hint(otherwise),
    }
}
