//! Every renderer, fed values and names full of markup, emits no tag of the data's: only
//! the builder's own tags remain once escaped text is set aside.

use std::sync::Arc;

use faisca_lang::core::chart::{BoxStats, Chart, ChartData, ChartKind, Series, Xs};
use faisca_lang::core::job::{Job, JobStatus, Progress};
use faisca_lang::core::output::{Emit, Output};
use faisca_lang::core::value::{Frame, Model, Value};
use faisca_lang::present::progress::{progress_display, summary_display};
use faisca_lang::present::values::{Look, frame_summary, render};
use faisca_lang::present::{chart_svg, grid, jobs, pandas, reports};
use polars::prelude::*;
use proptest::prelude::*;
use regex::Regex;

/// The builder's tags, with attribute values that contain no markup.
fn strip_own_tags(html: &str) -> String {
    let own = Regex::new(
        r#"<!doctype html>|</?(table|thead|tbody|tr|th|td|p|div|pre|b|a|caption|code|span|h1|h2|progress)((\s+[a-z-]+="[^"<>]*")*)>"#,
    )
    .unwrap();
    own.replace_all(html, "").into_owned()
}

/// An SVG from the chart renderer holds only its own elements once text is set aside.
fn assert_clean_svg(what: &str, svg: &str) {
    let own = Regex::new(
        r#"</?(svg|rect|text|line|polyline|polygon|circle|path|g)(\s+[a-zA-Z0-9-]+="[^"<>]*")*\s*/?>"#,
    )
    .unwrap();
    let rest = own.replace_all(svg, "");
    assert!(!rest.contains('<'), "{what} lets markup through:\n{rest}");
}

fn chart(kind: ChartKind, label: &str, title: &str) -> Chart {
    let series = vec![Series {
        name: label.to_string(),
        values: vec![Some(1.0), Some(2.0)],
    }];
    let data = match kind {
        ChartKind::Hist => ChartData::Bins {
            edges: vec![0.0, 1.0, 2.0],
            series,
        },
        ChartKind::Box => ChartData::Boxes(vec![BoxStats {
            name: label.to_string(),
            q1: 1.0,
            median: 2.0,
            q3: 3.0,
            mean: 2.0,
            whisker_low: 0.0,
            whisker_high: 4.0,
            outliers: vec![9.0],
        }]),
        ChartKind::Kde => ChartData::Density {
            grid: vec![0.0, 1.0],
            series,
        },
        _ => ChartData::Xy {
            x_name: title.to_string(),
            xs: Xs::Labels(vec![label.to_string(), title.to_string()]),
            series,
        },
    };
    Chart {
        kind,
        title: Some(title.to_string()),
        data,
        note: Some(label.to_string()),
    }
}

fn assert_clean(what: &str, html: &str) {
    let rest = strip_own_tags(html);
    assert!(
        !rest.contains('<') && !rest.contains('>'),
        "{what} lets markup through:\n{html}"
    );
}

fn frame(name: &str, value: &str) -> DataFrame {
    df!(name => [value, "plain"], "n" => [1i64, 2]).unwrap()
}

fn job(text: &str) -> Job {
    Job {
        id: 0,
        cell: 1,
        action: text.to_string(),
        started_at: chrono::Utc::now(),
        duration_ms: Some(1.0),
        rows: Some(2),
        status: JobStatus::Failed,
        plan: text.to_string(),
        error: Some(text.to_string()),
        bytes_read: Some(1),
        bytes_total: Some(2),
        in_memory: Some(3),
    }
}

fn model(label: &str, column: &str) -> Model {
    let columns = faisca_model::Columns {
        text: vec![column.to_string()],
        label: column.to_string(),
    };
    let texts = ["livro bom", "jogo bom", "livro novo"];
    let labels = [label, "game", label];
    let classifier =
        faisca_model::Classifier::train(&texts, &labels, Default::default(), columns).unwrap();
    Model {
        classifier: Arc::new(classifier),
        path: Some(column.to_string()),
    }
}

fn hostile() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        r#"(<script>|"><img onerror=alert(1)>|&amp;|</td>|[<>&"' a-z=/]){1,10}"#,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_renderer_lets_markup_through(name in hostile(), value in hostile(), label in hostile()) {
        prop_assume!(name != "n");
        let df = frame(&name, &value);
        assert_clean("show", &grid::show_html(&df, 20, 0, &|| false));
        assert_clean("pandas", &pandas::pandas_html(&df, 10));
        let look = Look { max_rows: 10, jobs_url: Some(&value), engine: &name, views: 1, cancel: &|| false };
        for vertical in [false, true] {
            let out = Output::Grid { df: df.clone(), n: 20, truncate: 20, vertical };
            if let Some(Emit::Display(d)) = render(out, &look) {
                assert_clean("grid output", d.html.as_deref().unwrap_or(""));
            }
        }
        let lf = df.clone().lazy();
        let schema = lf.clone().collect_schema().unwrap();
        let f = Frame {
            lf,
            schema: schema.clone(),
            plan: faisca_lang::core::plan::Plan::leaf(&*name),
            depth: 1,
            storage: Default::default(),
        };
        assert_clean("inspect", frame_summary(&name, &f, &value).html.as_deref().unwrap());
        assert_clean("views", &reports::views_table(&[(name.clone(), schema)]).1);
        assert_clean("jobs", &jobs::jobs_table(&[job(&value)], Some(&name)).finish());
        assert_clean("job", &jobs::job_detail(&job(&value)).finish());
        assert_clean("session", &reports::session_card(&name, Some(&value), 3).1);
        let p = Progress {
            job: 1,
            action: value.clone(),
            elapsed: std::time::Duration::from_millis(700),
            bytes_read: 5,
            bytes_total: Some(10),
            end: None,
        };
        assert_clean("progress", progress_display(&p).html.as_deref().unwrap());
        assert_clean("summary", summary_display(&p).html.as_deref().unwrap());
        for (kind, _) in ChartKind::ALL {
            assert_clean_svg("chart", &chart_svg::svg(&chart(kind, &value, &name)));
        }
        if label != "game" {
            let m = model(&label, &name);
            assert_clean("model", &reports::model_card(&m));
            let e = m.classifier.evaluate(&["livro", "jogo"], &[&label, "game"]);
            assert_clean("evaluation", &reports::evaluation_html(&e));
            let ex = m.classifier.explain(&value, 4);
            assert_clean("explanation", &reports::explanation(&value, &ex, 0.5).1);
            let shown = render(Output::Value(Value::Model(m)), &look);
            if let Some(Emit::Display(d)) = shown {
                assert_clean("model value", d.html.as_deref().unwrap_or(""));
            }
        }
    }
}

#[test]
fn the_check_catches_a_raw_tag() {
    let r = std::panic::catch_unwind(|| assert_clean("raw", "<td><img src=x></td>"));
    assert!(r.is_err());
}
