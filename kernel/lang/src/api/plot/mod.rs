//! `df.plot`: PySpark 4's plotting API. The engine aggregates (bins, quartiles, densities,
//! samples) so a chart carries only the points it draws, whatever the DataFrame's size.
//! Here the entries and dispatch by kind; the families in `xy` (bar, barh, line, area,
//! scatter, pie) and `distribution` (hist, box, kde); what both use in `shared`.

mod distribution;
mod shared;
mod xy;

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::chart::ChartKind;
use crate::core::context::Context;
use crate::core::engine::JobSpec;
use crate::core::error::LangError;
use crate::core::job::JobRows;
use crate::core::output::Output;
use crate::core::value::{Receiver, Value};

use distribution::{box_plot, hist, kde};
use xy::xy;

const PLOT: Receiver = Receiver::PlotAccessor;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        PLOT,
        "__call__(kind: str = 'line', x: str = None, y: str|list = None, column: str|list = None, bins: int = 10, bw_method: int|float = None, ind: int|list = None, *, title: str = None) -> Figure",
        "Plots as `kind` (line, bar, barh, scatter, area, pie, hist, box, kde).",
        by_kind,
    ),
    Entry::method(
        PLOT,
        "bar(x: str, y: str|list, *, title: str = None) -> Figure",
        "Vertical bars: `y` per `x` (the first 1,000 rows).",
        bar,
    ),
    Entry::method(
        PLOT,
        "barh(x: str, y: str|list, *, title: str = None) -> Figure",
        "Horizontal bars: `y` per `x` (the first 1,000 rows).",
        barh,
    ),
    Entry::method(
        PLOT,
        "line(x: str, y: str|list, *, title: str = None) -> Figure",
        "Lines of `y` over `x` (a sample of 1,000 rows when there are more).",
        line,
    ),
    Entry::method(
        PLOT,
        "area(x: str, y: str|list, *, title: str = None) -> Figure",
        "Stacked areas of `y` over `x` (a sample of 1,000 rows when there are more).",
        area,
    ),
    Entry::method(
        PLOT,
        "scatter(x: str, y: str, *, title: str = None) -> Figure",
        "Points of `y` against `x` (a sample of 1,000 rows when there are more).",
        scatter,
    ),
    Entry::method(
        PLOT,
        "pie(x: str, y: str, *, title: str = None) -> Figure",
        "Slices: `y` per `x` (the first 1,000 rows).",
        pie,
    ),
    Entry::method(
        PLOT,
        "hist(column: str|list = None, bins: int = 10, *, title: str = None) -> Figure",
        "Counts per bin of numeric columns, binned by the engine.",
        hist,
    ),
    Entry::method(
        PLOT,
        "box(column: str|list = None, *, title: str = None) -> Figure",
        "Quartiles, whiskers (1.5 IQR) and outliers of numeric columns.",
        box_plot,
    ),
    Entry::method(
        PLOT,
        "kde(bw_method: int|float = None, column: str|list = None, ind: int|list = None, *, title: str = None) -> Figure",
        "Gaussian kernel density of numeric columns (Scott's bandwidth by default).",
        kde,
    ),
    Entry::property(
        Receiver::DataFrame,
        "plot",
        "Charts of this DataFrame: `df.plot.bar(x=..., y=...)`, `df.plot(kind=...)`.",
        plot_accessor,
    ),
    Entry::method(
        Receiver::Figure,
        "show() -> None",
        "Displays the chart now.",
        show_figure,
    ),
];

fn plot_accessor(ctx: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    match v {
        Value::Frame(mut f) => {
            // Charts are drawn here: rows that live on a server come over first.
            let job = JobSpec {
                cell: ctx.cell(),
                action: "plot",
                rows: JobRows::All,
                plan: Some(&f.plan),
            };
            if let Some(rows) = ctx.engine().fetch(job, &f, ctx.watch())? {
                f.lf = polars::prelude::IntoLazy::lazy(rows);
            }
            Ok(Value::Plot(f))
        }
        other => Err(LangError::type_error(format!(
            "'{}' object has no attribute 'plot'",
            other.type_name()
        ))),
    }
}

fn show_figure(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    ctx.emit(Output::Value(call.this.clone()));
    Ok(Value::None)
}

/// Which parameters of `__call__` each kind reads.
fn params_of(kind: ChartKind) -> &'static [&'static str] {
    match kind {
        ChartKind::Hist => &["column", "bins"],
        ChartKind::Box => &["column"],
        ChartKind::Kde => &["column", "bw_method", "ind"],
        _ => &["x", "y"],
    }
}

fn by_kind(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("kind")?;
    let Some(kind) = ChartKind::from_name(&name) else {
        let kinds: Vec<&str> = ChartKind::ALL.iter().map(|(_, n)| *n).collect();
        return Err(LangError::new(
            "PySparkValueError",
            format!(
                "[UNSUPPORTED_PLOT_KIND] Plot kind '{name}' is not supported. Supported kinds are {}.",
                kinds.join(", ")
            ),
        )
        .at(call.span_of("kind")));
    };
    for p in ["x", "y", "column", "bins", "bw_method", "ind"] {
        if call.given(p) && !params_of(kind).contains(&p) {
            return Err(LangError::type_error(format!(
                "{}() got an unexpected keyword argument '{p}'",
                kind.name()
            ))
            .at(call.span_of(p)));
        }
    }
    match kind {
        ChartKind::Hist => hist(ctx, call),
        ChartKind::Box => box_plot(ctx, call),
        ChartKind::Kde => kde(ctx, call),
        xy_kind => {
            for p in ["x", "y"] {
                if call.is_none(p) {
                    return Err(LangError::type_error(format!(
                        "{}() missing required argument: '{p}'",
                        xy_kind.name()
                    ))
                    .at(call.span));
                }
            }
            xy(ctx, call, xy_kind)
        }
    }
}

fn bar(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Bar)
}
fn barh(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Barh)
}
fn line(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Line)
}
fn area(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Area)
}
fn scatter(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Scatter)
}
fn pie(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    xy(ctx, call, ChartKind::Pie)
}
