//! What many entries share: analysing new plans, pointing errors at column names,
//! checking columns, running actions as jobs.

use std::sync::Arc;

use polars::prelude::*;

use crate::core::context::Context;
use crate::core::engine::JobSpec;
use crate::core::error::{LangError, Span};
use crate::core::job::JobRows;
use crate::core::names::did_you_mean;
use crate::core::plan::{Arg as PlanArg, Plan};
use crate::core::value::{Column, Frame, MAX_PLAN_DEPTH, Value, plan_too_deep};

use super::convert::{plain_col, to_column};

/// A frame from a plan, analysed now as Spark does; a missing column is reported at the
/// string that names it.
pub fn new_frame(ctx: &dyn Context, lf: LazyFrame, span: Span) -> Result<Frame, LangError> {
    ctx.engine().analyze(lf).map_err(|e| locate(ctx, e, span))
}

/// `op` applied to `parent`, analysed on an empty frame with the parent's schema rather
/// than on the whole plan: the cost stays constant however long the chain of calls before
/// it (analysing the full plan each time made 5,000 chained filters quadratic). Only for
/// operations whose result schema depends on nothing but their input's.
pub fn derive_value(
    ctx: &dyn Context,
    parent: Frame,
    span: Span,
    op: impl Fn(LazyFrame) -> LazyFrame,
) -> Result<Value, LangError> {
    let depth = parent.depth + 1;
    if depth > MAX_PLAN_DEPTH {
        return Err(plan_too_deep(depth).at(span));
    }
    let probe = op(DataFrame::empty_with_schema(&parent.schema).lazy());
    let schema = new_frame(ctx, probe, span)?.schema;
    Ok(Value::Frame(Box::new(Frame {
        lf: op(parent.lf),
        schema,
        plan: parent.plan,
        depth,
        storage: Default::default(),
    })))
}

/// [`new_frame`] as a value.
pub fn frame_value(ctx: &dyn Context, lf: LazyFrame, span: Span) -> Result<Value, LangError> {
    new_frame(ctx, lf, span).map(|f| Value::Frame(Box::new(f)))
}

/// Restates Polars' unknown-column error the Spark way and points at the quoted name
/// within `span`, if it is there.
pub fn locate(ctx: &dyn Context, mut err: LangError, span: Span) -> LangError {
    let missing = err.message.split('"').nth(1).map(str::to_string);
    if let (None, true, Some(name)) = (err.span, err.message.contains("UNRESOLVED_COLUMN"), missing)
    {
        if let Some((_, rest)) = err.message.split_once("valid columns: [")
            && let Some((list, _)) = rest.split_once(']')
        {
            let columns: Vec<String> = list
                .split(',')
                .map(|c| c.trim().trim_matches('"').to_string())
                .filter(|c| !c.is_empty())
                .collect();
            err = unresolved_column(&name, &columns);
        }
        let text = ctx.source_at(span);
        for q in ['"', '\''] {
            if let Some(at) = text.find(&format!("{q}{name}{q}")) {
                err.span = Some(Span::new(span.start + at, span.start + at + name.len() + 2));
                return err;
            }
        }
    }
    err.at(span)
}

/// Spark's error for an unknown column, listing the columns and suggesting the closest.
pub fn unresolved_column(name: &str, columns: &[String]) -> LangError {
    let listed: Vec<String> = columns.iter().map(|c| format!("`{c}`")).collect();
    let err = LangError::analysis(format!(
        "[UNRESOLVED_COLUMN] A column with name `{name}` cannot be resolved. Available columns: [{}].",
        listed.join(", ")
    ));
    match did_you_mean(name, columns.iter().map(String::as_str)) {
        Some(hint) => err.with_hint(hint),
        None => err,
    }
}

/// Checks that every name is a column of `f`.
pub fn check_columns(f: &Frame, names: &[(&str, Span)]) -> Result<(), LangError> {
    match names.iter().find(|(name, _)| !f.schema.contains(name)) {
        Some((name, span)) => Err(unresolved_column(name, &f.columns()).at(*span)),
        None => Ok(()),
    }
}

/// Names checked against `f`, all pointing at `span`.
pub fn check_names(f: &Frame, names: &[String], span: Span) -> Result<(), LangError> {
    let pairs: Vec<(&str, Span)> = names.iter().map(|n| (n.as_str(), span)).collect();
    check_columns(f, &pairs)
}

/// Column arguments: names are checked against `f`, `"*"` is every column.
pub fn columns_arg(f: &Frame, items: &[(Value, Span)]) -> Result<Vec<Column>, LangError> {
    let mut out = Vec::new();
    for (v, s) in items {
        if let Value::Str(name) = v {
            if name == "*" {
                out.extend(f.columns().iter().map(|c| plain_col(c)));
                continue;
            }
            // `s.*`: a struct column's fields, each as a column.
            if let Some(prefix) = name.strip_suffix(".*")
                && let Some(DataType::Struct(fields)) = f.schema.get(prefix)
            {
                for field in fields {
                    let expr = col(prefix)
                        .struct_()
                        .field_by_name(field.name())
                        .alias(field.name().clone());
                    out.push(Column::new(expr, field.name().as_str()));
                }
                continue;
            }
            if let Some(c) = dotted(f, name) {
                out.push(c);
                continue;
            }
            check_columns(f, &[(name.as_str(), *s)])?;
        }
        out.push(to_column(v, *s)?);
    }
    Ok(out)
}

/// `"s.a"` naming a struct's field (`s` a struct column), or a column qualified by a
/// DataFrame alias (`"t.a"` after `df.alias("t")`); `None` when `name` is a column.
fn dotted(f: &Frame, name: &str) -> Option<Column> {
    if f.schema.contains(name) {
        return None;
    }
    let (head, rest) = name.split_once('.')?;
    match f.schema.get(head) {
        Some(DataType::Struct(_)) => {
            let mut c = plain_col(head);
            for part in rest.split('.') {
                c = crate::api::column_access::item(
                    &c,
                    crate::api::column_access::Key::Name(part.to_string()),
                    true,
                );
            }
            let field = rest.rsplit('.').next().unwrap_or(rest).to_string();
            c.expr = c.expr.alias(field.as_str());
            c.name = field;
            Some(c)
        }
        _ if f.schema.contains(rest) => Some(plain_col(rest)),
        _ => None,
    }
}

/// Runs an action that keeps every row it collects.
pub fn run_action(ctx: &dyn Context, action: &str, lf: LazyFrame) -> Result<DataFrame, LangError> {
    run_planned(ctx, action, lf, None)
}

/// [`run_action`] with the query's neutral plan, so that a remote engine can run it.
pub fn run_planned(
    ctx: &dyn Context,
    action: &str,
    lf: LazyFrame,
    plan: Option<&Plan>,
) -> Result<DataFrame, LangError> {
    let job = JobSpec {
        cell: ctx.cell(),
        action,
        rows: JobRows::All,
        plan,
    };
    ctx.engine().run(job, lf, ctx.watch())
}

/// Runs an action that shows `n` rows of `frame`: fetches `n + 1` to know whether there
/// are more.
pub fn run_shown(
    ctx: &dyn Context,
    action: &str,
    frame: &Frame,
    n: usize,
) -> Result<DataFrame, LangError> {
    let fetch = n.saturating_add(1).min(IdxSize::MAX as usize);
    let plan = limit_plan(&frame.plan, fetch);
    let job = JobSpec {
        cell: ctx.cell(),
        action,
        rows: JobRows::AtMost(n),
        plan: Some(&plan),
    };
    let lf = frame.lf.clone().limit(fetch as IdxSize);
    ctx.engine().run(job, lf, ctx.watch())
}

/// `plan.limit(n)`, as PySpark records it.
pub fn limit_plan(plan: &Arc<Plan>, n: usize) -> Plan {
    Plan::Call {
        name: "limit",
        receiver: Some(plan.clone()),
        args: vec![("num", PlanArg::Literal(n.to_string()))],
    }
}

/// A count as Polars' index type, saturating instead of wrapping.
pub fn idx(n: i64) -> IdxSize {
    n.clamp(0, IdxSize::MAX as i64) as IdxSize
}

/// A per-row uniform number in [0, 1) from the row index and `seed` (SplitMix64), over
/// the row-index column `__faisca_row`.
pub fn random_uniform(seed: u64) -> Expr {
    col("__faisca_row").map(
        move |c: polars::prelude::Column| {
            let idx = c.cast(&DataType::UInt64)?;
            let ca = idx.u64()?;
            let values: Vec<f64> = ca
                .iter()
                .map(|i| {
                    let mut z = i
                        .unwrap_or(0)
                        .wrapping_add(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
                        .wrapping_add(0x9E37_79B9_7F4A_7C15);
                    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                    z ^= z >> 31;
                    (z >> 11) as f64 / (1u64 << 53) as f64
                })
                .collect();
            Ok(Series::new(c.name().clone(), values).into_column())
        },
        |_: &Schema, f: &Field| Ok(Field::new(f.name().clone(), DataType::Float64)),
    )
}

/// The rows of `lf` for which `keep(u)` holds, `u` uniform per row from `seed`.
pub fn random_rows(lf: LazyFrame, seed: u64, keep: impl Fn(Expr) -> Expr) -> LazyFrame {
    lf.with_row_index("__faisca_row", None)
        .filter(keep(random_uniform(seed)))
        .drop(by_name(["__faisca_row"], true, false))
}
