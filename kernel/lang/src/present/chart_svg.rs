//! The static twin of a chart, drawn with plotters' SVG backend (which escapes every text
//! it draws) for frontends that cannot run Vega: GitHub's notebook view, nbconvert.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart_style::{PALETTE, SIZE};
use crate::core::chart::{BoxStats, Chart, ChartData, ChartKind, Series, Xs};

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

/// Labels drawn on a categorical axis at most; more would overlap.
const MAX_LABELS: usize = 25;

/// The chart as an SVG document.
pub fn svg(chart: &Chart) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        if let Err(e) = draw(&root, chart) {
            tracing::debug!("chart fallback incomplete: {e}");
        }
        let _ = root.present();
    }
    out
}

fn colour(i: usize) -> RGBColor {
    let hex = PALETTE[i % PALETTE.len()].trim_start_matches('#');
    let byte = |k: usize| u8::from_str_radix(&hex[k..k + 2], 16).unwrap_or(0);
    RGBColor(byte(0), byte(2), byte(4))
}

fn draw(root: &Area<'_>, chart: &Chart) -> Drawn {
    root.fill(&WHITE)?;
    let area = match &chart.note {
        Some(note) => {
            let (top, footer) = root.split_vertically(SIZE.1 - 22);
            footer.draw(&Text::new(
                format!("({note})"),
                (10, 4),
                ("sans-serif", 12).into_font().color(&RGBColor(90, 90, 90)),
            ))?;
            top
        }
        None => root.clone(),
    };
    let title = chart.title.clone().unwrap_or_default();
    match &chart.data {
        ChartData::Xy { x_name, xs, series } => match chart.kind {
            ChartKind::Pie => pie(&area, &title, xs, series),
            ChartKind::Bar | ChartKind::Barh => bars(&area, &title, chart.kind, x_name, xs, series),
            kind => lines(&area, &title, kind, x_name, xs, series),
        },
        ChartData::Bins { edges, series } => hist(&area, &title, edges, series),
        ChartData::Boxes(boxes) => box_plot(&area, &title, boxes),
        ChartData::Density { grid, series } => lines(
            &area,
            &title,
            ChartKind::Kde,
            "",
            &Xs::Numbers(grid.clone()),
            series,
        ),
    }
}

fn builder<'a, 'b>(area: &'a Area<'b>, title: &str) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let mut b = ChartBuilder::on(area);
    b.margin(12).x_label_area_size(40).y_label_area_size(60);
    if !title.is_empty() {
        b.caption(title, ("sans-serif", 16));
    }
    b
}

/// The lowest and highest finite value, widened to include zero when `with_zero`.
fn span_of<'a>(values: impl Iterator<Item = &'a f64>, with_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = if with_zero {
        (0.0, 0.0)
    } else {
        (f64::MAX, f64::MIN)
    };
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    if lo > hi {
        return (0.0, 1.0);
    }
    if hi == lo {
        return (lo - 0.5, hi + 0.5);
    }
    let pad = (hi - lo) * 0.05;
    (
        if with_zero && lo == 0.0 {
            0.0
        } else {
            lo - pad
        },
        hi + pad,
    )
}

fn values(series: &[Series]) -> impl Iterator<Item = &f64> {
    series.iter().flat_map(|s| s.values.iter().flatten())
}

fn label_at(labels: &[String], v: f64) -> String {
    let i = v.round();
    if (v - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}

fn x_labels(xs: &Xs) -> Vec<String> {
    match xs {
        Xs::Labels(l) => l.clone(),
        Xs::Numbers(n) => n.iter().map(|v| format!("{v}")).collect(),
    }
}

fn bars(
    area: &Area<'_>,
    title: &str,
    kind: ChartKind,
    x_name: &str,
    xs: &Xs,
    series: &[Series],
) -> Drawn {
    let labels = x_labels(xs);
    let n = labels.len().max(1) as f64;
    let (lo, hi) = span_of(values(series), true);
    let slots = -0.5..n - 0.5;
    let width = 0.8 / series.len().max(1) as f64;
    let y_title = series
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let formatter = |v: &f64| label_at(&labels, *v);
    let count = labels.len().min(MAX_LABELS);
    if kind == ChartKind::Bar {
        let mut c = builder(area, title).build_cartesian_2d(slots, lo..hi)?;
        c.configure_mesh()
            .disable_x_mesh()
            .x_labels(count)
            .x_label_formatter(&formatter)
            .x_desc(x_name)
            .y_desc(y_title)
            .draw()?;
        for (j, s) in series.iter().enumerate() {
            c.draw_series(s.values.iter().enumerate().filter_map(|(i, v)| {
                let left = i as f64 - 0.4 + j as f64 * width;
                v.map(|v| Rectangle::new([(left, 0.0), (left + width, v)], colour(j).filled()))
            }))?;
        }
    } else {
        let mut c = builder(area, title).build_cartesian_2d(lo..hi, slots)?;
        c.configure_mesh()
            .disable_y_mesh()
            .y_labels(count)
            .y_label_formatter(&formatter)
            .y_desc(x_name)
            .x_desc(y_title)
            .draw()?;
        for (j, s) in series.iter().enumerate() {
            c.draw_series(s.values.iter().enumerate().filter_map(|(i, v)| {
                let bottom = i as f64 - 0.4 + j as f64 * width;
                v.map(|v| Rectangle::new([(0.0, bottom), (v, bottom + width)], colour(j).filled()))
            }))?;
        }
    }
    Ok(())
}

fn lines(
    area: &Area<'_>,
    title: &str,
    kind: ChartKind,
    x_name: &str,
    xs: &Xs,
    series: &[Series],
) -> Drawn {
    let labels = x_labels(xs);
    let positions: Vec<f64> = match xs {
        Xs::Numbers(n) => n.clone(),
        Xs::Labels(l) => (0..l.len()).map(|i| i as f64).collect(),
    };
    // Areas stack: each series is drawn at its running total.
    let mut stacked: Vec<Vec<f64>> = Vec::new();
    for s in series {
        let below = stacked
            .last()
            .cloned()
            .unwrap_or_else(|| vec![0.0; s.values.len()]);
        let own = s.values.iter().map(|v| v.unwrap_or(0.0));
        stacked.push(own.zip(below).map(|(v, b)| v + b).collect());
    }
    let (x_lo, x_hi) = span_of(positions.iter(), false);
    let (y_lo, y_hi) = if kind == ChartKind::Area {
        span_of(stacked.iter().flatten(), true)
    } else {
        span_of(values(series), kind == ChartKind::Kde)
    };
    let y_title = match kind {
        ChartKind::Kde => "Density".to_string(),
        _ => series
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let x_title = if kind == ChartKind::Kde {
        series
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        x_name.to_string()
    };
    let mut c = builder(area, title).build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
    let formatter = |v: &f64| match xs {
        Xs::Labels(_) => label_at(&labels, *v),
        Xs::Numbers(_) => format!("{}", (v * 1000.0).round() / 1000.0),
    };
    c.configure_mesh()
        .x_labels(labels.len().clamp(2, 10))
        .x_label_formatter(&formatter)
        .x_desc(x_title)
        .y_desc(y_title)
        .draw()?;
    for (j, s) in series.iter().enumerate().rev() {
        let points = |vals: Vec<Option<f64>>| -> Vec<(f64, f64)> {
            positions
                .iter()
                .zip(vals)
                .filter_map(|(x, y)| {
                    y.filter(|y| y.is_finite() && x.is_finite())
                        .map(|y| (*x, y))
                })
                .collect()
        };
        match kind {
            ChartKind::Scatter => {
                c.draw_series(
                    points(s.values.clone())
                        .into_iter()
                        .map(|p| Circle::new(p, 3, colour(j).filled())),
                )?;
            }
            ChartKind::Area => {
                let top = points(stacked[j].iter().map(|v| Some(*v)).collect());
                c.draw_series(AreaSeries::new(top, 0.0, colour(j).mix(0.85)))?;
            }
            _ => {
                c.draw_series(LineSeries::new(
                    points(s.values.clone()),
                    colour(j).stroke_width(2),
                ))?;
            }
        }
    }
    Ok(())
}

fn pie(area: &Area<'_>, title: &str, xs: &Xs, series: &[Series]) -> Drawn {
    let labels = x_labels(xs);
    let sizes: Vec<f64> = series
        .first()
        .map(|s| s.values.iter().map(|v| v.unwrap_or(0.0).max(0.0)).collect())
        .unwrap_or_default();
    let colours: Vec<RGBColor> = (0..sizes.len()).map(colour).collect();
    let area = if title.is_empty() {
        area.clone()
    } else {
        area.titled(title, ("sans-serif", 16))?
    };
    let (w, h) = area.dim_in_pixel();
    let center = (w as i32 / 2, h as i32 / 2);
    let radius = f64::from(w.min(h)) * 0.35;
    let mut pie = Pie::new(&center, &radius, &sizes, &colours, &labels);
    pie.label_style(("sans-serif", 12).into_font());
    area.draw(&pie)?;
    Ok(())
}

fn hist(area: &Area<'_>, title: &str, edges: &[f64], series: &[Series]) -> Drawn {
    let (x_lo, x_hi) = (
        edges.first().copied().unwrap_or(0.0),
        edges.last().copied().unwrap_or(1.0),
    );
    let (_, y_hi) = span_of(values(series), true);
    let mut c = builder(area, title).build_cartesian_2d(x_lo..x_hi, 0.0..y_hi)?;
    let x_title = series
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    c.configure_mesh()
        .x_desc(x_title)
        .y_desc("Frequency")
        .draw()?;
    let alpha = if series.len() > 1 { 0.6 } else { 1.0 };
    for (j, s) in series.iter().enumerate() {
        c.draw_series(s.values.iter().enumerate().filter_map(|(i, v)| {
            v.map(|v| {
                Rectangle::new(
                    [(edges[i], 0.0), (edges[i + 1], v)],
                    colour(j).mix(alpha).filled(),
                )
            })
        }))?;
    }
    Ok(())
}

fn box_plot(area: &Area<'_>, title: &str, boxes: &[BoxStats]) -> Drawn {
    let labels: Vec<String> = boxes.iter().map(|b| b.name.clone()).collect();
    let all: Vec<f64> = boxes
        .iter()
        .flat_map(|b| {
            [b.whisker_low, b.whisker_high]
                .into_iter()
                .chain(b.outliers.iter().copied())
        })
        .collect();
    let (lo, hi) = span_of(all.iter(), false);
    let n = labels.len().max(1) as f64;
    let mut c = builder(area, title).build_cartesian_2d(-0.5..n - 0.5, lo..hi)?;
    let formatter = |v: &f64| label_at(&labels, *v);
    c.configure_mesh()
        .disable_x_mesh()
        .x_labels(labels.len().min(MAX_LABELS))
        .x_label_formatter(&formatter)
        .y_desc("value")
        .draw()?;
    let fill = colour(0);
    for (i, b) in boxes.iter().enumerate() {
        let x = i as f64;
        let stroke = BLACK.stroke_width(1);
        c.draw_series([
            PathElement::new(vec![(x, b.whisker_low), (x, b.q1)], stroke),
            PathElement::new(vec![(x, b.q3), (x, b.whisker_high)], stroke),
            PathElement::new(
                vec![(x - 0.1, b.whisker_low), (x + 0.1, b.whisker_low)],
                stroke,
            ),
            PathElement::new(
                vec![(x - 0.1, b.whisker_high), (x + 0.1, b.whisker_high)],
                stroke,
            ),
        ])?;
        c.draw_series([Rectangle::new(
            [(x - 0.2, b.q1), (x + 0.2, b.q3)],
            fill.filled(),
        )])?;
        c.draw_series([PathElement::new(
            vec![(x - 0.2, b.median), (x + 0.2, b.median)],
            WHITE.stroke_width(2),
        )])?;
        c.draw_series(
            b.outliers
                .iter()
                .map(|o| Circle::new((x, *o), 3, fill.stroke_width(1))),
        )?;
    }
    Ok(())
}
