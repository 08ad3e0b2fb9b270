//! Charts of y columns over an x column: bar, barh, line, area, scatter, pie.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{check_names, random_rows, run_action};
use crate::core::chart::{ChartData, ChartKind, Series, Xs};
use crate::core::config::thousands;
use crate::core::context::Context;
use crate::core::error::{LangError, polars_error};
use crate::core::value::Value;

use super::shared::{MAX_ROWS, chart, count_rows, labels, not_numeric, numbers};

pub(super) fn xy(ctx: &mut dyn Context, call: Call, kind: ChartKind) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let x = call.str("x")?;
    check_names(&f, std::slice::from_ref(&x), call.span_of("x"))?;
    let ys = call.opt_names("y")?.unwrap_or_default();
    check_names(&f, &ys, call.span_of("y"))?;
    for y in &ys {
        let t = f.schema.get(y.as_str()).unwrap_or(&DataType::Null);
        if !t.is_primitive_numeric() {
            return Err(not_numeric("y", t, call.span_of("y")));
        }
    }
    let action = format!("plot.{}", kind.name());
    // x may also be a y (`scatter(x='id', y='id')`): each column once.
    let mut names = vec![x.clone()];
    for y in &ys {
        if !names.contains(y) {
            names.push(y.clone());
        }
    }
    let exprs: Vec<Expr> = names.iter().map(|n| col(n.as_str())).collect();
    let lf = f.lf.select(exprs);
    let mut df = run_action(ctx, &action, lf.clone().limit(MAX_ROWS as IdxSize + 1))?;
    let mut note = None;
    if df.height() > MAX_ROWS {
        let sampled = matches!(kind, ChartKind::Line | ChartKind::Area | ChartKind::Scatter);
        if sampled {
            let total = count_rows(ctx, &action, lf.clone())?;
            let fraction = MAX_ROWS as f64 / total.max(1) as f64;
            df = run_action(
                ctx,
                &action,
                random_rows(lf, 0, move |u| u.lt(lit(fraction))).limit(MAX_ROWS as IdxSize),
            )?;
            note = Some(format!(
                "a sample of {} of {} rows (plots draw at most {MAX_ROWS})",
                thousands(df.height() as u64),
                thousands(total as u64)
            ));
        } else {
            df = df.head(Some(MAX_ROWS));
            note = Some(format!(
                "the first {MAX_ROWS} rows (plots draw at most {MAX_ROWS})"
            ));
        }
    }
    let numeric_x = f
        .schema
        .get(x.as_str())
        .is_some_and(|t| t.is_primitive_numeric());
    let by_x = matches!(kind, ChartKind::Line | ChartKind::Area | ChartKind::Scatter);
    if by_x && kind != ChartKind::Scatter {
        df = df
            .sort(
                [x.as_str()],
                SortMultipleOptions::default().with_nulls_last(true),
            )
            .map_err(polars_error)?;
    }
    let xs = if by_x && numeric_x {
        Xs::Numbers(
            numbers(&df, &x)?
                .into_iter()
                .map(|v| v.unwrap_or(f64::NAN))
                .collect(),
        )
    } else {
        Xs::Labels(labels(&df, &x)?)
    };
    let series = ys
        .iter()
        .map(|y| {
            Ok(Series {
                name: y.clone(),
                values: numbers(&df, y)?,
            })
        })
        .collect::<Result<Vec<_>, LangError>>()?;
    Ok(chart(
        &call,
        kind,
        ChartData::Xy {
            x_name: x,
            xs,
            series,
        },
        note,
    ))
}
