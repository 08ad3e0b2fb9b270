//! Combining DataFrames: joins, unions, grouping.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{check_names, columns_arg, frame_value};
use crate::api::convert::as_names;
use crate::api::entry::Entry;
use crate::api::grouped::aggregate;
use crate::core::context::Context;
use crate::core::error::{LangError, polars_error};
use crate::core::value::{Column, Frame, Grouped, Receiver, Value};

const DF: Receiver = Receiver::DataFrame;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "join(other: DataFrame, on: str|list|Column = None, how: str = None) -> DataFrame",
        "Joins on shared key columns: inner, left, right, outer, semi, anti or cross.",
        join,
    ),
    Entry::method(
        DF,
        "crossJoin(other: DataFrame) -> DataFrame",
        "Every row of this frame with every row of `other`.",
        cross_join,
    ),
    Entry::method(
        DF,
        "union(other: DataFrame) -> DataFrame",
        "Rows of both, matched by position (duplicates kept).",
        union,
    )
    .aliases(&["unionAll"]),
    Entry::method(
        DF,
        "unionByName(other: DataFrame, allowMissingColumns: bool = False) -> DataFrame",
        "Rows of both, matched by column name.",
        union_by_name,
    ),
    Entry::method(
        DF,
        "groupBy(*cols: ColumnOrName|list|int) -> GroupedData",
        "Groups rows for aggregation (an int is a 1-based column position).",
        group_by,
    )
    .aliases(&["groupby"]),
    Entry::method(
        DF,
        "rollup(*cols: ColumnOrName|list|int) -> GroupedData",
        "Groups by each prefix of the columns and by nothing (subtotals and a total).",
        rollup,
    ),
    Entry::method(
        DF,
        "groupingSets(groupingSets: list, *cols: ColumnOrName) -> GroupedData",
        "Groups by each of the grouping sets (tuples of the columns) and unions the results.",
        grouping_sets,
    ),
    Entry::method(
        DF,
        "cube(*cols: ColumnOrName|list|int) -> GroupedData",
        "Groups by every combination of the columns.",
        cube,
    ),
    Entry::method(
        DF,
        "agg(*exprs: Column|list|dict) -> DataFrame",
        "Aggregates the whole frame: `df.agg(max(\"preco\"))`.",
        agg,
    ),
];

fn join_type(how: &str) -> Option<JoinType> {
    Some(match how.to_lowercase().as_str() {
        "inner" => JoinType::Inner,
        "left" | "leftouter" | "left_outer" => JoinType::Left,
        "right" | "rightouter" | "right_outer" => JoinType::Right,
        "outer" | "full" | "fullouter" | "full_outer" => JoinType::Full,
        "semi" | "leftsemi" | "left_semi" => JoinType::Semi,
        "anti" | "leftanti" | "left_anti" => JoinType::Anti,
        "cross" => JoinType::Cross,
        _ => return None,
    })
}

fn join(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let other = call.frame("other")?;
    let how = call.opt_str("how")?.unwrap_or_else(|| "inner".into());
    let join_type = join_type(&how).ok_or_else(|| {
        LangError::new(
            "IllegalArgumentException",
            format!("unsupported join type '{how}'"),
        )
        .at(call.span_of("how"))
        .with_hint("use inner, left, right, outer, semi, anti or cross")
    })?;
    let on: Vec<String> = match call.value("on") {
        Value::None if join_type == JoinType::Cross => vec![],
        Value::None => {
            return Err(
                LangError::type_error("join() needs on=\"column\" (or how=\"cross\")")
                    .at(call.span),
            );
        }
        Value::Column(c) => {
            let lf = join_on_condition(&f, &other, &c.expr, join_type, &call)?;
            return frame_value(ctx, lf, call.span);
        }
        v => as_names(v, call.span_of("on"))?,
    };
    check_names(&f, &on, call.span_of("on"))?;
    check_names(&other, &on, call.span_of("on"))?;
    let lf = if join_type == JoinType::Cross {
        f.lf.cross_join(other.lf, None)
    } else {
        let keys: Vec<Expr> = on.iter().map(|c| col(c.as_str())).collect();
        let mut args = JoinArgs::new(join_type.clone());
        if join_type == JoinType::Full {
            args = args.with_coalesce(JoinCoalesce::CoalesceColumns);
        }
        let joined =
            f.lf.clone()
                .join(other.lf.clone(), keys.clone(), keys, args);
        if matches!(join_type, JoinType::Semi | JoinType::Anti) {
            joined
        } else {
            // Spark's order: the keys, then the other columns of each side.
            let rest = |fr: &Frame| -> Vec<Expr> {
                fr.columns()
                    .into_iter()
                    .filter(|c| !on.contains(c))
                    .map(|c| col(c.as_str()))
                    .collect()
            };
            let order: Vec<Expr> = on
                .iter()
                .map(|c| col(c.as_str()))
                .chain(rest(&f))
                .chain(rest(&other))
                .collect();
            joined.select(order)
        }
    };
    frame_value(ctx, lf, call.span)
}

/// `df.join(other, df.a == other.b, how)`: an equi-join on the columns each side of each
/// `==` (joined by `&`), or, for an inner join on any other condition, every pair of rows
/// filtered by it. Both sides' columns are kept, so they must not share a name.
fn join_on_condition(
    f: &Frame,
    other: &Frame,
    condition: &Expr,
    join_type: JoinType,
    call: &Call,
) -> Result<LazyFrame, LangError> {
    let span = call.span_of("on");
    let (left, right) = (f.columns(), other.columns());
    if let Some(shared) = left.iter().find(|c| right.contains(c)) {
        return Err(LangError::unsupported(format!(
            "both sides have a column `{shared}`, and Faísca keeps one column per name"
        ))
        .at(span)
        .with_hint(format!(
            "join on the name, df.join(other, \"{shared}\"), or rename one side first with withColumnRenamed"
        )));
    }
    let mut pairs = Vec::new();
    if equi_pairs(condition, &left, &right, &mut pairs) {
        let mut args = JoinArgs::new(join_type);
        args.coalesce = JoinCoalesce::KeepColumns;
        let (l, r): (Vec<Expr>, Vec<Expr>) = pairs
            .into_iter()
            .map(|(a, b)| (col(a.as_str()), col(b.as_str())))
            .unzip();
        return Ok(f.lf.clone().join(other.lf.clone(), l, r, args));
    }
    match join_type {
        JoinType::Inner | JoinType::Cross => {
            let mut args = JoinArgs::new(JoinType::Cross);
            args.maintain_order = MaintainOrderJoin::LeftRight;
            Ok(f
                .lf
                .clone()
                .join(other.lf.clone(), vec![], vec![], args)
                .filter(condition.clone()))
        }
        _ => Err(LangError::unsupported(
            "an outer, semi or anti join on a condition other than `left.a == right.b` is not supported",
        )
        .at(span)
        .with_hint("join on equalities of columns (combined with &), or use an inner join")),
    }
}

/// The `(left column, right column)` of each `==` in a conjunction, when every part is one.
fn equi_pairs(
    e: &Expr,
    left: &[String],
    right: &[String],
    out: &mut Vec<(String, String)>,
) -> bool {
    match e {
        Expr::BinaryExpr {
            left: a,
            op,
            right: b,
        } => match op {
            Operator::And | Operator::LogicalAnd => {
                equi_pairs(a, left, right, out) && equi_pairs(b, left, right, out)
            }
            Operator::Eq => match (&**a, &**b) {
                (Expr::Column(x), Expr::Column(y)) => {
                    let (x, y) = (x.to_string(), y.to_string());
                    if left.contains(&x) && right.contains(&y) {
                        out.push((x, y));
                        true
                    } else if left.contains(&y) && right.contains(&x) {
                        out.push((y, x));
                        true
                    } else {
                        false
                    }
                }
                _ => false,
            },
            _ => false,
        },
        _ => false,
    }
}

fn cross_join(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let other = call.frame("other")?;
    // Spark pairs each left row with every right row in turn.
    let mut args = JoinArgs::new(JoinType::Cross);
    args.maintain_order = MaintainOrderJoin::LeftRight;
    frame_value(ctx, f.lf.join(other.lf, vec![], vec![], args), call.span)
}

fn concat_frames(parts: [LazyFrame; 2]) -> Result<LazyFrame, LangError> {
    let args = UnionArgs {
        to_supertypes: true,
        ..Default::default()
    };
    concat(parts, args).map_err(polars_error)
}

fn union(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let other = call.frame("other")?;
    if other.schema.len() != f.schema.len() {
        return Err(LangError::analysis(format!(
            "[NUM_COLUMNS_MISMATCH] union can only be performed on inputs with the same number of columns, but the first has {} and the second has {}",
            f.schema.len(),
            other.schema.len()
        ))
        .at(call.span_of("other")));
    }
    let names = other.columns();
    let renamed = other.lf.rename(names, f.columns(), true);
    frame_value(ctx, concat_frames([f.lf, renamed])?, call.span)
}

fn union_by_name(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let other = call.frame("other")?;
    let lf = if call.bool("allowMissingColumns")? {
        let args = UnionArgs {
            to_supertypes: true,
            ..Default::default()
        };
        concat_lf_diagonal([f.lf, other.lf], args).map_err(polars_error)?
    } else {
        let missing: Vec<String> = f
            .columns()
            .into_iter()
            .filter(|c| !other.schema.contains(c))
            .collect();
        if !missing.is_empty() {
            return Err(LangError::analysis(format!(
                "[UNRESOLVED_COLUMN] columns {missing:?} are missing from the other DataFrame"
            ))
            .at(call.span_of("other"))
            .with_hint("pass allowMissingColumns=True to fill them with nulls"));
        }
        let ordered: Vec<Expr> = f.columns().iter().map(|c| col(c.as_str())).collect();
        concat_frames([f.lf, other.lf.select(ordered)])?
    };
    frame_value(ctx, lf, call.span)
}

fn group_by(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    grouped_by(&call, None)
}

/// The grouping sets over `n` keys, as key indexes.
type GroupingSets = fn(usize) -> Vec<Vec<usize>>;

/// The grouping keys (by name, column or 1-based position) and, for rollup/cube, the
/// grouping sets over them.
fn grouped_by(call: &Call, sets: Option<GroupingSets>) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let items = crate::api::dataframe::transforms::by_position(&f, call.rest_flat())?;
    let cols = columns_arg(&f, &items)?;
    if sets.is_some() && cols.len() > MAX_GROUPING_KEYS {
        return Err(LangError::analysis(format!(
            "[GROUPING_SIZE_LIMIT_EXCEEDED] Grouping sets size cannot be greater than {MAX_GROUPING_KEYS}"
        ))
        .at(call.span));
    }
    Ok(Value::Grouped(Box::new(Grouped {
        plan: f.plan.clone(),
        frame: f,
        keys: cols.iter().map(Column::named).collect(),
        sets: sets.map(|s| s(cols.len())),
    })))
}

/// Keys a cube may have: 2^12 grouping sets.
const MAX_GROUPING_KEYS: usize = 12;

fn rollup(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    // (a, b), (a), ().
    grouped_by(
        &call,
        Some(|n| (0..=n).rev().map(|k| (0..k).collect()).collect()),
    )
}

fn cube(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    // Every subset of the keys, the full set first.
    grouped_by(
        &call,
        Some(|n| {
            (0..1usize << n)
                .rev()
                .map(|mask| (0..n).filter(|i| mask & (1 << i) != 0).collect())
                .collect()
        }),
    )
}

fn grouping_sets(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let items = crate::api::dataframe::transforms::by_position(&f, call.rest_flat())?;
    let cols = columns_arg(&f, &items)?;
    let span = call.span_of("groupingSets");
    let (Value::List(sets) | Value::Tuple(sets)) = call.value("groupingSets") else {
        return Err(
            LangError::type_error("groupingSets takes a list of tuples of columns").at(span),
        );
    };
    // Each set's columns, as indexes into the grouping columns.
    let mut indexes = Vec::new();
    for set in sets.iter() {
        let members: Vec<(Value, crate::core::error::Span)> = match set {
            Value::List(xs) | Value::Tuple(xs) => xs.iter().map(|v| (v.clone(), span)).collect(),
            one => vec![(one.clone(), span)],
        };
        let mut idx = Vec::new();
        for c in columns_arg(&f, &members)? {
            let at = cols.iter().position(|k| k.name == c.name).ok_or_else(|| {
                LangError::analysis(format!(
                    "[GROUPING_SETS_COLUMN_NOT_GROUPED] `{}` is in a grouping set but not among the grouping columns",
                    c.name
                ))
                .at(span)
            })?;
            idx.push(at);
        }
        indexes.push(idx);
    }
    Ok(Value::Grouped(Box::new(Grouped {
        plan: f.plan.clone(),
        frame: f,
        keys: cols.iter().map(Column::named).collect(),
        sets: Some(indexes),
    })))
}

fn agg(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let frame: Frame = call.this_frame()?;
    let g = Grouped {
        plan: frame.plan.clone(),
        frame,
        keys: vec![],
        sets: None,
    };
    aggregate(ctx, &g, &call.rest_flat(), call.span)
}
