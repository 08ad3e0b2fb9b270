//! A chart for the frontend: a Vega-Lite v5 spec (JupyterLab draws it natively), an SVG
//! drawn here for frontends without Vega (GitHub, nbconvert), and a line of text.

use serde_json::{Value as Json, json};

use super::chart_style::{PALETTE, SIZE};
use super::chart_svg::svg;
use crate::core::chart::{Chart, ChartData, ChartKind, Series, Xs};
use crate::core::output::Display;

/// The MIME type JupyterLab renders with its built-in Vega extension.
pub const VEGA_LITE: &str = "application/vnd.vegalite.v5+json";
/// The static fallback.
pub const SVG: &str = "image/svg+xml";

/// The chart as a display: text, Vega-Lite and SVG. No HTML, so nbconvert and GitHub
/// pick the SVG and JupyterLab the Vega-Lite view.
pub fn chart_display(chart: &Chart) -> Display {
    let mut d = Display::text(chart_text(chart));
    d.extra.push((VEGA_LITE, vega_lite(chart)));
    d.extra.push((SVG, Json::String(svg(chart))));
    d
}

/// `Figure(bar chart, 12 points)` plus the note, for plain-text frontends.
pub fn chart_text(chart: &Chart) -> String {
    let mut text = format!(
        "Figure({} chart, {} points)",
        chart.kind.name(),
        chart.points()
    );
    if let Some(title) = &chart.title {
        text.push_str(&format!(": {title}"));
    }
    if let Some(note) = &chart.note {
        text.push_str(&format!("\n({note})"));
    }
    text
}

/// A number for JSON: NaN and infinities become null, as Vega expects for gaps.
fn num(v: Option<f64>) -> Json {
    v.filter(|x| x.is_finite()).map_or(Json::Null, |x| json!(x))
}

fn y_title(series: &[Series]) -> String {
    series
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn color(series: &[Series]) -> Json {
    if series.len() > 1 {
        // The series' own order, not Vega's alphabetical one, so colours (and stacking)
        // match the SVG.
        let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
        json!({"field": "series", "type": "nominal", "title": null,
               "scale": {"domain": names, "range": PALETTE}})
    } else {
        json!({"value": PALETTE[0]})
    }
}

/// Long rows `{x, series, value}` for x/y charts.
fn xy_rows(xs: &Xs, series: &[Series]) -> Vec<Json> {
    let mut rows = Vec::new();
    for (order, s) in series.iter().enumerate() {
        for (i, v) in s.values.iter().enumerate() {
            let x = match xs {
                Xs::Numbers(n) => num(n.get(i).copied()),
                Xs::Labels(l) => json!(l.get(i)),
            };
            rows.push(json!({"x": x, "series": s.name, "order": order, "value": num(*v)}));
        }
    }
    rows
}

/// The Vega-Lite spec.
pub fn vega_lite(chart: &Chart) -> Json {
    let (width, height) = SIZE;
    let mut spec = json!({
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width - 120,
        "height": height - 100,
        // SVG rather than canvas: marks stay inspectable, and the output is crisp.
        "usermeta": {"embedOptions": {"renderer": "svg", "actions": false}},
    });
    if let Some(title) = &chart.title {
        spec["title"] = json!(title);
    }
    let body = match &chart.data {
        ChartData::Xy { x_name, xs, series } => xy_spec(chart.kind, x_name, xs, series),
        ChartData::Bins { edges, series } => {
            let mut rows = Vec::new();
            for s in series {
                for (i, v) in s.values.iter().enumerate() {
                    rows.push(json!({"start": edges[i], "end": edges[i + 1],
                                     "series": s.name, "count": num(*v)}));
                }
            }
            json!({
                "data": {"values": rows},
                "mark": {"type": "bar", "opacity": if series.len() > 1 { 0.6 } else { 1.0 }},
                "encoding": {
                    "x": {"field": "start", "type": "quantitative", "bin": {"binned": true},
                          "title": y_title(series)},
                    "x2": {"field": "end"},
                    "y": {"field": "count", "type": "quantitative", "stack": null,
                          "title": "Frequency"},
                    "color": color(series),
                }
            })
        }
        ChartData::Boxes(boxes) => {
            let rows: Vec<Json> = boxes
                .iter()
                .map(|b| {
                    json!({"column": b.name, "lower": b.whisker_low, "q1": b.q1,
                           "median": b.median, "q3": b.q3, "upper": b.whisker_high,
                           "mean": b.mean})
                })
                .collect();
            let outliers: Vec<Json> = boxes
                .iter()
                .flat_map(|b| {
                    b.outliers
                        .iter()
                        .map(|o| json!({"column": b.name, "value": o}))
                })
                .collect();
            let x = json!({"field": "column", "type": "nominal", "title": null, "sort": null});
            json!({
                "layer": [
                    {"data": {"values": rows.clone()}, "mark": {"type": "rule"},
                     "encoding": {"x": x, "y": {"field": "lower", "type": "quantitative",
                                                "title": "value"},
                                  "y2": {"field": "upper"}}},
                    {"data": {"values": rows.clone()},
                     "mark": {"type": "bar", "size": 28, "color": PALETTE[0]},
                     "encoding": {"x": x, "y": {"field": "q1", "type": "quantitative"},
                                  "y2": {"field": "q3"}}},
                    {"data": {"values": rows},
                     "mark": {"type": "tick", "size": 28, "color": "white"},
                     "encoding": {"x": x, "y": {"field": "median", "type": "quantitative"}}},
                    {"data": {"values": outliers},
                     "mark": {"type": "point", "color": PALETTE[0]},
                     "encoding": {"x": x, "y": {"field": "value", "type": "quantitative"}}},
                ]
            })
        }
        ChartData::Density { grid, series } => {
            let rows = xy_rows(&Xs::Numbers(grid.clone()), series);
            json!({
                "data": {"values": rows},
                "mark": "line",
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "title": y_title(series)},
                    "y": {"field": "value", "type": "quantitative", "title": "Density"},
                    "color": color(series),
                }
            })
        }
    };
    if let (Json::Object(spec), Json::Object(body)) = (&mut spec, body) {
        spec.extend(body);
    }
    spec
}

fn xy_spec(kind: ChartKind, x_name: &str, xs: &Xs, series: &[Series]) -> Json {
    let rows = xy_rows(xs, series);
    let x_type = match xs {
        Xs::Numbers(_) => "quantitative",
        Xs::Labels(_) => "nominal",
    };
    let x = json!({"field": "x", "type": x_type, "title": x_name, "sort": null});
    let y = json!({"field": "value", "type": "quantitative", "title": y_title(series)});
    let several = series.len() > 1;
    match kind {
        ChartKind::Pie => json!({
            "data": {"values": rows},
            "mark": {"type": "arc"},
            "encoding": {
                "theta": {"field": "value", "type": "quantitative", "stack": true},
                "color": {"field": "x", "type": "nominal", "title": x_name, "sort": null,
                          "scale": {"range": PALETTE}},
            }
        }),
        ChartKind::Bar | ChartKind::Barh => {
            let offset = json!({"field": "series"});
            let (pos, val, off) = if kind == ChartKind::Bar {
                ("x", "y", "xOffset")
            } else {
                ("y", "x", "yOffset")
            };
            let mut enc = json!({pos: x, val: y, "color": color(series)});
            if several {
                enc[off] = offset;
            }
            json!({"data": {"values": rows}, "mark": "bar", "encoding": enc})
        }
        ChartKind::Scatter => json!({
            "data": {"values": rows},
            "mark": {"type": "point", "filled": true},
            "encoding": {"x": x, "y": y, "color": color(series)},
        }),
        ChartKind::Area => json!({
            "data": {"values": rows},
            "mark": {"type": "area", "opacity": 0.8},
            "encoding": {"x": x, "y": {"field": "value", "type": "quantitative",
                                       "title": y_title(series), "stack": "zero"},
                         "color": color(series),
                         "order": {"field": "order", "type": "quantitative"}},
        }),
        _ => json!({
            "data": {"values": rows},
            "mark": {"type": "line", "point": xs.len() <= 50},
            "encoding": {"x": x, "y": y, "color": color(series)},
        }),
    }
}
