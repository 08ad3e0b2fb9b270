//! Reports on values: the session card, model card, evaluation, prediction explanation,
//! the temp-view list.

use polars::prelude::SchemaRef;

use super::html::Html;
use crate::core::types::spark_type;
use crate::core::value::Model;

/// `spark`: the engine, the jobs page, the views.
pub fn session_card(engine: &str, jobs_url: Option<&str>, views: usize) -> (String, String) {
    let mut text = format!("SparkSession (Faísca on {engine})");
    let mut h = Html::new();
    h.open("div", &[])
        .open("p", &[])
        .elem("b", "SparkSession")
        .text(&format!(
            " — Faísca {} on {engine}",
            env!("CARGO_PKG_VERSION")
        ));
    h.close();
    if let Some(url) = jobs_url {
        text.push_str(&format!("\nJobs UI: {url}"));
        h.open("p", &[])
            .elem_with("a", &[("href", url), ("target", "_blank")], "Jobs UI")
            .text(&format!(" · {url}"))
            .close();
    }
    h.elem("p", &format!("views: {views}"));
    (text, h.finish())
}

/// The model card: classes, vocabulary, training facts.
pub fn model_card(m: &Model) -> String {
    let c = &m.classifier;
    let meta = &c.metadata;
    let rows = [
        ("classes", c.labels().join(", ")),
        ("vocabulary", c.vocabulary_len().to_string()),
        ("training rows", meta.rows.to_string()),
        (
            "accuracy (held out)",
            meta.accuracy.map_or("n/a".into(), |a| format!("{a:.4}")),
        ),
        ("trained at", meta.trained_at.clone()),
        (
            "data sha256",
            meta.data_sha256.chars().take(16).collect::<String>() + "…",
        ),
        ("columns", meta.columns.describe()),
        (
            "file",
            m.path.clone().unwrap_or_else(|| "(not saved)".into()),
        ),
    ];
    let mut h = Html::new();
    h.open("table", &[("class", "faisca-model")])
        .elem("caption", "NaiveBayesModel");
    for (k, v) in rows {
        h.open("tr", &[]).elem("th", k).elem("td", &v).close();
    }
    h.finish()
}

/// Accuracy, per-class precision and recall, as text.
pub fn evaluation_text(e: &faisca_model::Evaluation) -> String {
    let mut s = format!("accuracy: {:.4} on {} rows\n", e.accuracy(), e.rows);
    for (i, l) in e.labels.iter().enumerate() {
        s.push_str(&format!(
            "{l}: precision {:.3} recall {:.3} support {}\n",
            e.precision(i),
            e.recall(i),
            e.support(i)
        ));
    }
    s
}

/// The evaluation with its confusion matrix, as HTML.
pub fn evaluation_html(e: &faisca_model::Evaluation) -> String {
    let mut h = Html::new();
    h.open("div", &[("class", "faisca-eval")])
        .open("p", &[])
        .elem("b", "accuracy")
        .text(&format!(" {:.4} on {} rows", e.accuracy(), e.rows))
        .close();
    let per_class = e.labels.iter().enumerate().map(|(i, l)| {
        vec![
            l.clone(),
            format!("{:.3}", e.precision(i)),
            format!("{:.3}", e.recall(i)),
            e.support(i).to_string(),
        ]
    });
    h.table(&[], &["class", "precision", "recall", "support"], per_class);
    h.open("table", &[])
        .elem(
            "caption",
            "confusion matrix (rows: actual, columns: predicted)",
        )
        .open("tr", &[])
        .elem("th", "");
    for l in &e.labels {
        h.elem("th", l);
    }
    h.close();
    for (i, l) in e.labels.iter().enumerate() {
        h.open("tr", &[]).elem("th", l);
        for n in &e.confusion[i] {
            h.elem("td", &n.to_string());
        }
        h.close();
    }
    h.finish()
}

/// `model.explain(text)`: the prediction and the words that carried it.
pub fn explanation(
    text: &str,
    e: &faisca_model::Explanation,
    probability: f64,
) -> (String, String) {
    let mut plain = format!("{text:?} → {} (p = {probability:.3})", e.label);
    let mut h = Html::new();
    h.open("div", &[("class", "faisca-explain")])
        .open("p", &[])
        .elem("b", text)
        .text(" → ")
        .elem("b", &e.label)
        .text(&format!(" (p = {probability:.3})"));
    if let Some(r) = &e.runner_up {
        h.text(&format!(", runner-up {r}"));
    }
    h.close()
        .open("table", &[])
        .open("tr", &[])
        .elem("th", "word")
        .elem(
            "th",
            &format!(
                "log-odds for {} over {}",
                e.label,
                e.runner_up.as_deref().unwrap_or("-")
            ),
        );
    h.close();
    for (w, weight) in &e.words {
        plain.push_str(&format!("\n  {w}: +{weight:.3}"));
        h.open("tr", &[])
            .elem("td", w)
            .elem("td", &format!("+{weight:.3}"))
            .close();
    }
    if e.words.is_empty() {
        plain.push_str("\n  (no known words: the prior decided)");
        h.open("tr", &[])
            .elem_with(
                "td",
                &[("colspan", "2")],
                "no known words: the class prior decided",
            )
            .close();
    }
    (plain, h.finish())
}

/// `%show_tables`: every view with its columns and types.
pub fn views_table(views: &[(String, SchemaRef)]) -> (String, String) {
    if views.is_empty() {
        let mut h = Html::new();
        h.open("p", &[])
            .text("No temp views. Create one with ")
            .elem("code", "df.createOrReplaceTempView(\"name\")")
            .text(".");
        return (
            "no temp views (create one with df.createOrReplaceTempView(\"name\"))".into(),
            h.finish(),
        );
    }
    let rows: Vec<Vec<String>> = views
        .iter()
        .map(|(name, schema)| {
            let cols: Vec<String> = schema
                .iter()
                .map(|(n, t)| format!("{n}: {}", spark_type(t)))
                .collect();
            vec![name.clone(), cols.join(", ")]
        })
        .collect();
    let text: String = rows
        .iter()
        .map(|r| format!("{}: {}\n", r[0], r[1]))
        .collect();
    let mut h = Html::new();
    h.table(&[("class", "faisca-tables")], &["view", "columns"], rows);
    (text, h.finish())
}
