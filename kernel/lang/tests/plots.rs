//! `df.plot`: what each chart carries (only the points it draws, aggregated by the
//! engine) in both its Vega-Lite spec and its SVG twin, and the errors PySpark gives.
#![allow(clippy::result_large_err)]

use std::path::PathBuf;

use faisca_lang::{CellError, Config, Display, Session};
use serde_json::Value as Json;

fn session() -> Session {
    let mut s = Session::new(Config {
        data_dir: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")),
        ..Config::default()
    });
    run(
        &mut s,
        "produtos = spark.read.csv('/data/produtos.csv', header=True, sep=';')",
    );
    s
}

fn try_run(s: &mut Session, code: &str) -> Result<Option<Display>, CellError> {
    s.execute(code, 1, &|| false, &mut |_| {})
}

fn run(s: &mut Session, code: &str) -> Option<Display> {
    try_run(s, code).unwrap_or_else(|e| panic!("{code}\n{}", e.traceback.join("\n")))
}

fn error(s: &mut Session, code: &str) -> (String, String) {
    let e = try_run(s, code)
        .err()
        .unwrap_or_else(|| panic!("{code} ran"));
    (e.error.ename, e.error.message)
}

/// The chart a cell shows: its Vega-Lite spec and its SVG.
fn chart(s: &mut Session, code: &str) -> (Json, String, String) {
    let d = run(s, code).unwrap_or_else(|| panic!("{code} showed nothing"));
    let get = |mime: &str| {
        d.extra
            .iter()
            .find(|(m, _)| *m == mime)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{code}: no {mime}"))
    };
    assert!(
        d.html.is_none(),
        "a chart has no HTML, so nbconvert picks the SVG"
    );
    let svg = get("image/svg+xml").as_str().unwrap().to_string();
    assert!(svg.starts_with("<svg"), "{svg}");
    (get("application/vnd.vegalite.v5+json"), svg, d.text)
}

fn values(spec: &Json) -> &Vec<Json> {
    spec["data"]["values"].as_array().expect("inline data")
}

/// Bars drawn in the SVG in the first palette colour.
fn svg_bars(svg: &str) -> usize {
    svg.matches("<rect").filter(|_| true).count() - svg.matches("<rect x=\"0\" y=\"0\"").count()
}

#[test]
fn bar_of_category_counts_has_one_mark_per_category() {
    let mut s = session();
    let categories: usize = {
        let d = run(&mut s, "produtos.select('categoria').distinct().count()").unwrap();
        d.text.parse().unwrap()
    };
    assert!(categories > 1);
    let (spec, svg, text) = chart(
        &mut s,
        "produtos.groupBy('categoria').count().plot.bar(x='categoria', y='count')",
    );
    assert_eq!(spec["mark"], "bar");
    assert_eq!(spec["encoding"]["x"]["field"], "x");
    assert_eq!(values(&spec).len(), categories);
    let total: f64 = values(&spec)
        .iter()
        .map(|v| v["value"].as_f64().unwrap())
        .sum();
    let rows: f64 = run(&mut s, "produtos.count()")
        .unwrap()
        .text
        .parse()
        .unwrap();
    assert_eq!(total, rows);
    assert_eq!(
        svg.matches("fill=\"#4C78A8\"").count(),
        categories,
        "one bar per category in the SVG"
    );
    assert!(svg_bars(&svg) >= categories);
    assert_eq!(text, format!("Figure(bar chart, {categories} points)"));
}

#[test]
fn every_kind_renders_through_the_accessor_and_by_name() {
    let mut s = session();
    run(
        &mut s,
        "df = spark.range(200).selectExpr('id', 'id * 2 AS y', 'id % 7 AS z', \"CAST(id % 3 AS STRING) AS k\")",
    );
    for (code, mark) in [
        ("df.plot.line(x='id', y='y')", "line"),
        ("df.plot.area(x='id', y=['y', 'z'])", "area"),
        ("df.plot.scatter(x='id', y='z')", "point"),
        ("df.plot.barh(x='k', y='y')", "bar"),
        ("df.plot.pie(x='k', y='z')", "arc"),
        ("df.plot.hist(column='y', bins=4)", "bar"),
        ("df.plot.kde(column='y')", "line"),
        ("df.plot(kind='bar', x='k', y='y')", "bar"),
        ("df.plot(x='id', y='y')", "line"),
    ] {
        let (spec, svg, _) = chart(&mut s, code);
        let found = spec["mark"]["type"].as_str().or(spec["mark"].as_str());
        assert_eq!(found, Some(mark), "{code}: {spec}");
        assert!(svg.contains("</svg>"), "{code}");
    }
    let (spec, _, _) = chart(&mut s, "df.plot.box(column=['y', 'z'])");
    assert_eq!(spec["layer"].as_array().unwrap().len(), 4);
    let (spec, _, _) = chart(
        &mut s,
        "fig = df.plot.bar(x='k', y='y', title='Per k')\nfig",
    );
    assert_eq!(spec["title"], "Per k");
}

#[test]
fn histograms_are_binned_by_the_engine() {
    let mut s = session();
    let (spec, _, text) = chart(&mut s, "spark.range(1000000).plot.hist(bins=10)");
    let bins = values(&spec);
    assert_eq!(bins.len(), 10, "ten bins, not a million points");
    for b in bins {
        assert_eq!(b["count"].as_f64(), Some(100000.0), "{b}");
    }
    assert_eq!(bins[0]["start"].as_f64(), Some(0.0));
    assert_eq!(bins[9]["end"].as_f64(), Some(999999.0));
    assert_eq!(text, "Figure(hist chart, 10 points)");
}

#[test]
fn box_statistics_match_spark_and_outliers_are_separate() {
    let mut s = session();
    run(
        &mut s,
        "df = spark.createDataFrame([(1,), (2,), (3,), (4,), (5,), (6,), (7,), (8,), (100,)], 'v int')",
    );
    let (spec, _, _) = chart(&mut s, "df.plot.box(column='v')");
    let stats = &spec["layer"][0]["data"]["values"][0];
    // Spark's percentile_approx returns values of the data.
    assert_eq!(stats["q1"].as_f64(), Some(3.0), "{stats}");
    assert_eq!(stats["median"].as_f64(), Some(5.0), "{stats}");
    assert_eq!(stats["q3"].as_f64(), Some(7.0), "{stats}");
    assert_eq!(stats["upper"].as_f64(), Some(8.0), "{stats}");
    assert_eq!(stats["lower"].as_f64(), Some(1.0), "{stats}");
    let outliers = &spec["layer"][3]["data"]["values"];
    assert_eq!(outliers.as_array().unwrap().len(), 1);
    assert_eq!(outliers[0]["value"].as_f64(), Some(100.0));
}

#[test]
fn a_density_integrates_to_one() {
    let mut s = session();
    let (spec, _, _) = chart(&mut s, "spark.range(10000).plot.kde(column='id', ind=400)");
    let points = values(&spec);
    assert_eq!(points.len(), 400);
    let xs: Vec<f64> = points.iter().map(|p| p["x"].as_f64().unwrap()).collect();
    let ys: Vec<f64> = points
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    let area: f64 = xs
        .windows(2)
        .zip(ys.windows(2))
        .map(|(x, y)| (x[1] - x[0]) * (y[0] + y[1]) / 2.0)
        .sum();
    assert!((area - 1.0).abs() < 0.02, "area {area}");
}

#[test]
fn large_scatters_are_sampled_and_say_so() {
    let mut s = session();
    let (spec, _, text) = chart(&mut s, "spark.range(100000).plot.scatter(x='id', y='id')");
    let n = values(&spec).len();
    assert!((500..=1000).contains(&n), "{n} points");
    assert!(text.contains("a sample of"), "{text}");
    let (spec, _, text) = chart(
        &mut s,
        "spark.range(5000).selectExpr('CAST(id AS STRING) AS k', 'id').plot.bar(x='k', y='id')",
    );
    assert_eq!(values(&spec).len(), 1000);
    assert!(text.contains("the first 1000 rows"), "{text}");
}

#[test]
fn labels_are_escaped_in_the_svg() {
    let mut s = session();
    let (_, svg, _) = chart(
        &mut s,
        "spark.createDataFrame([('<script>alert(1)</script>', 1)], 'k string, v int').plot.bar(x='k', y='v', title='<b>&')",
    );
    assert!(!svg.contains("<script>"), "{svg}");
    assert!(!svg.contains("<b>"), "{svg}");
}

#[test]
fn wrong_arguments_are_pyspark_errors() {
    let mut s = session();
    run(&mut s, "df = spark.range(3).selectExpr('id', \"'a' AS s\")");
    for (code, ename, needle) in [
        (
            "df.plot.bar(x='id', y='s')",
            "PySparkTypeError",
            "PLOT_NOT_NUMERIC_COLUMN_ARGUMENT",
        ),
        (
            "df.plot.hist(column='s')",
            "PySparkTypeError",
            "must be a numerical column",
        ),
        (
            "df.plot(kind='violin', x='id', y='id')",
            "PySparkValueError",
            "UNSUPPORTED_PLOT_KIND",
        ),
        (
            "df.plot(kind='bar', x='id', y='id', bins=3)",
            "TypeError",
            "'bins'",
        ),
        ("df.plot(kind='bar', x='id')", "TypeError", "'y'"),
        ("df.plot.bar(x='nope', y='id')", "AnalysisException", "nope"),
        (
            "df.plot.line(x='id', y='id', colour='red')",
            "TypeError",
            "colour",
        ),
        ("df.plot.hist(bins=0)", "PySparkValueError", "bins"),
        (
            "df.plot.scatter(x='id', y=['id', 'id'])",
            "TypeError",
            "'y'",
        ),
    ] {
        let (e, m) = error(&mut s, code);
        assert_eq!(e, ename, "{code}: {m}");
        assert!(m.contains(needle), "{code}: {m}");
    }
}
