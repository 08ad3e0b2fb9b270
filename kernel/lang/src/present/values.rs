//! How values and API outputs look in a notebook.

use super::html::Html;
use super::{chart, grid, jobs, pandas, reports};
use crate::core::output::{CancelCheck, Display, Emit, Output};
use crate::core::types::spark_type;
use crate::core::value::{Frame, Value};

/// What rendering needs to know about the session.
#[derive(Clone)]
pub struct Look<'a> {
    /// Rows a pandas-style table renders.
    pub max_rows: usize,
    /// The jobs page, if it runs.
    pub jobs_url: Option<&'a str>,
    /// The engine, as `spark` shows it.
    pub engine: &'a str,
    /// How many temp views exist.
    pub views: usize,
    /// The cell's interrupt check: long renders stop early (the session then reports it).
    pub cancel: CancelCheck<'a>,
}

/// How a value shows as a cell's result. DataFrames show their schema only, like PySpark,
/// so laziness stays visible.
pub fn display_value(v: &Value, look: &Look<'_>) -> Option<Display> {
    Some(match v {
        Value::None => return None,
        Value::Pandas(df) => Display::rich(
            pandas::pandas_text(df, look.max_rows),
            pandas::pandas_html(df, look.max_rows),
        ),
        Value::Spark => {
            let (text, html) = reports::session_card(look.engine, look.jobs_url, look.views);
            Display::rich(text, html)
        }
        Value::Model(m) => Display::rich(v.repr(), reports::model_card(m)),
        Value::Chart(c) => chart::chart_display(c),
        Value::Evaluation(e) => {
            Display::rich(reports::evaluation_text(e), reports::evaluation_html(e))
        }
        other => Display::text(other.repr()),
    })
}

/// Renders an API output for the frontend. `Help` is the session's to render (it needs
/// the registry), so it arrives here only as a fallback.
pub fn render(out: Output, look: &Look<'_>) -> Option<Emit> {
    Some(match out {
        Output::Stdout(t) => Emit::Stdout(t),
        Output::Stderr(t) => Emit::Stderr(t),
        Output::Text(t) => Emit::Display(Display::text(t)),
        Output::Grid {
            df,
            n,
            truncate,
            vertical: false,
        } => Emit::Display(Display::rich(
            grid::show_grid(&df, n, truncate, look.cancel),
            grid::show_html(&df, n, truncate, look.cancel),
        )),
        Output::Grid {
            df, n, truncate, ..
        } => {
            let text = grid::show_vertical(&df, n, truncate, look.cancel);
            let mut h = Html::new();
            h.elem("pre", &text);
            Emit::Display(Display::rich(text, h.finish()))
        }
        Output::Value(v) => Emit::Display(display_value(&v, look)?),
        Output::Help(v) => Emit::Page(Display::text(v.repr())),
        Output::Explanation {
            text,
            explanation,
            probability,
        } => {
            let (plain, html) = reports::explanation(&text, &explanation, probability);
            Emit::Display(Display::rich(plain, html))
        }
        Output::Views(views) => {
            let (text, html) = reports::views_table(&views);
            Emit::Display(Display::rich(text, html))
        }
        Output::Jobs(list) => Emit::Display(Display::rich(
            jobs::jobs_text(&list),
            jobs::jobs_table(&list, look.jobs_url).finish(),
        )),
        Output::ClearOutput(wait) => Emit::ClearOutput(wait),
    })
}

/// Shift-Tab on a DataFrame variable: its schema and the plan that would run.
pub fn frame_summary(name: &str, f: &Frame, plan: &str) -> Display {
    let schema: Vec<String> = f
        .schema
        .iter()
        .map(|(n, t)| format!(" |-- {n}: {}", spark_type(t)))
        .collect();
    let schema = schema.join("\n");
    let text = format!(
        "{name}: {}\nroot\n{schema}\n\n== Optimized plan (nothing has run) ==\n{plan}",
        f.repr()
    );
    let mut h = Html::new();
    h.open("div", &[])
        .open("p", &[])
        .elem("b", name)
        .text(&format!(": {}", f.repr()))
        .close()
        .elem("pre", &format!("root\n{schema}"))
        .elem("p", "Optimized plan (nothing has run):")
        .elem("pre", plan);
    Display::rich(text, h.finish())
}
