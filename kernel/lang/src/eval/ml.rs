//! The classifier in the language: NaiveBayes, evaluate, predict columns.

use super::*;

impl Eval<'_> {
    pub(crate) fn text_expr(
        &self,
        f: &Frame,
        cols: &[String],
        span: Span,
    ) -> Result<Expr, LangError> {
        let pairs: Vec<(&str, Span)> = cols.iter().map(|c| (c.as_str(), span)).collect();
        check_columns(f, &pairs)?;
        let exprs: Vec<Expr> = cols
            .iter()
            .map(|c| col(c.as_str()).cast(DataType::String))
            .collect();
        Ok(concat_str(exprs, " ", true))
    }

    pub(crate) fn labelled_texts(
        &self,
        action: &str,
        f: &Frame,
        e_text: &[String],
        label: &str,
        span: Span,
    ) -> Result<(Vec<String>, Vec<String>), LangError> {
        let text = self.text_expr(f, e_text, span)?;
        check_columns(f, &[(label, span)])?;
        let lf =
            f.lf.clone()
                .select([
                    text.fill_null(lit("")).alias("text"),
                    col(label).cast(DataType::String).alias("label"),
                ])
                .filter(col("label").is_not_null());
        let df = self.action_frame(action, lf)?;
        let column = |n: &str| -> Vec<String> {
            df.column(n)
                .ok()
                .and_then(|c| {
                    c.str()
                        .ok()
                        .map(|ca| ca.iter().map(|v| v.unwrap_or("").to_string()).collect())
                })
                .unwrap_or_default()
        };
        Ok((column("text"), column("label")))
    }

    pub(crate) fn fit(
        &mut self,
        e: crate::value::Estimator,
        args: Args,
    ) -> Result<Value, LangError> {
        args.check("fit", 1, &["dataset"])?;
        let f = frame_arg(&args, 0, "dataset", "fit")?;
        let span = args.get(0, "dataset").map(|(_, s)| s).unwrap_or(args.span);
        let (texts, labels) = self.labelled_texts("fit", &f, &e.text, &e.label, span)?;
        let t: Vec<&str> = texts.iter().map(String::as_str).collect();
        let l: Vec<&str> = labels.iter().map(String::as_str).collect();
        let description = format!("text={} label={}", e.text.join("+"), e.label);
        let classifier =
            faisca_model::Classifier::train(&t, &l, e.options.clone(), &description)
                .map_err(|err| LangError::new("ModelTrainingError", err.to_string()).at(span))?;
        Ok(Value::Model(Model {
            classifier: Arc::new(classifier),
            path: None,
        }))
    }

    pub(crate) fn model_method(
        &mut self,
        m: Model,
        name: &str,
        args: Args,
    ) -> Result<Value, LangError> {
        match name {
            "predict" | "predict_proba" | "proba" => {
                args.check(name, 1, &["col"])?;
                let (v, s) = args.require(0, "col", name)?;
                let kind = if name == "predict" {
                    PredictKind::Label
                } else {
                    PredictKind::Probability
                };
                Ok(Value::Column(predict_column(&m, to_column(v, s)?, kind)))
            }
            "explain" => {
                args.check(name, 2, &["text", "top"])?;
                let text = str_arg(&args, 0, "text", name)?;
                let top = args
                    .get(1, "top")
                    .map(|(v, s)| as_int(v, s))
                    .transpose()?
                    .unwrap_or(8)
                    .max(1) as usize;
                let e = m.classifier.explain(&text, top);
                let proba = m.classifier.predict_proba(&text);
                let p = m
                    .classifier
                    .labels()
                    .iter()
                    .position(|l| *l == e.label)
                    .map(|i| proba[i])
                    .unwrap_or(0.0);
                let mut plain = format!("{:?} → {} (p = {p:.3})", text, e.label);
                let mut html = format!(
                    "<div class=\"faisca-explain\"><p><b>{}</b> → <b>{}</b> (p = {p:.3}){}</p><table><tr><th>word</th><th>log-odds for {} over {}</th></tr>",
                    render::escape(&text),
                    render::escape(&e.label),
                    e.runner_up
                        .as_ref()
                        .map(|r| format!(", runner-up {}", render::escape(r)))
                        .unwrap_or_default(),
                    render::escape(&e.label),
                    render::escape(e.runner_up.as_deref().unwrap_or("-")),
                );
                for (w, weight) in &e.words {
                    plain.push_str(&format!("\n  {w}: +{weight:.3}"));
                    html.push_str(&format!(
                        "<tr><td>{}</td><td>+{weight:.3}</td></tr>",
                        render::escape(w)
                    ));
                }
                if e.words.is_empty() {
                    plain.push_str("\n  (no known words: the prior decided)");
                    html.push_str(
                        "<tr><td colspan=\"2\">no known words: the class prior decided</td></tr>",
                    );
                }
                html.push_str("</table></div>");
                (self.emit)(Emit::Display(Display::rich(plain, html)));
                Ok(Value::None)
            }
            "evaluate" => {
                args.check(name, 1, &["dataset"])?;
                let f = frame_arg(&args, 0, "dataset", name)?;
                let span = args.get(0, "dataset").map(|(_, s)| s).unwrap_or(args.span);
                let (text_cols, label) = parse_description(&m.classifier.metadata.description);
                let (texts, labels) =
                    self.labelled_texts("evaluate", &f, &text_cols, &label, span)?;
                let t: Vec<&str> = texts.iter().map(String::as_str).collect();
                let l: Vec<&str> = labels.iter().map(String::as_str).collect();
                let evaluation = m.classifier.evaluate(&t, &l);
                Ok(Value::Evaluation(Arc::new(evaluation)))
            }
            "save" => {
                args.check(name, 1, &["path"])?;
                let path = str_arg(&args, 0, "path", name)?;
                let resolved = self.session.config.resolve(&path);
                m.classifier.save(&resolved).map_err(|e| {
                    LangError::new("IOException", e.to_string())
                        .at(args.get(0, "path").map(|(_, s)| s).unwrap_or(args.span))
                })?;
                (self.emit)(Emit::Stdout(format!("saved model to {path}\n")));
                Ok(Value::Model(Model {
                    classifier: m.classifier.clone(),
                    path: Some(path),
                }))
            }
            "transform" => {
                args.check(name, 1, &["dataset"])?;
                let f = frame_arg(&args, 0, "dataset", name)?;
                let (text_cols, _) = parse_description(&m.classifier.metadata.description);
                let text = self.text_expr(&f, &text_cols, args.span)?;
                let c = predict_column(&m, Column::new(text, "text"), PredictKind::Label);
                self.new_frame(
                    f.lf.clone().with_column(c.expr.alias("prediction")),
                    args.span,
                )
                .map(Value::Frame)
            }
            _ => Err(LangError::unsupported(format!(
                "NaiveBayesModel.{name}() is not supported"
            ))),
        }
    }
}

pub(crate) fn parse_description(d: &str) -> (Vec<String>, String) {
    let mut text = vec!["descricao".to_string()];
    let mut label = "categoria".to_string();
    for part in d.split_whitespace() {
        if let Some(t) = part.strip_prefix("text=") {
            text = t.split('+').map(str::to_string).collect();
        } else if let Some(l) = part.strip_prefix("label=") {
            label = l.to_string();
        }
    }
    (text, label)
}

pub(crate) fn evaluation_text(e: &faisca_model::Evaluation) -> String {
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

pub(crate) fn evaluation_html(e: &faisca_model::Evaluation) -> String {
    let mut h = format!(
        "<div class=\"faisca-eval\"><p><b>accuracy</b> {:.4} on {} rows</p>",
        e.accuracy(),
        e.rows
    );
    h.push_str("<table><tr><th>class</th><th>precision</th><th>recall</th><th>support</th></tr>");
    for (i, l) in e.labels.iter().enumerate() {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td></tr>",
            render::escape(l),
            e.precision(i),
            e.recall(i),
            e.support(i)
        ));
    }
    h.push_str("</table><table><caption>confusion matrix (rows: actual, columns: predicted)</caption><tr><th></th>");
    for l in &e.labels {
        h.push_str(&format!("<th>{}</th>", render::escape(l)));
    }
    h.push_str("</tr>");
    for (i, l) in e.labels.iter().enumerate() {
        h.push_str(&format!("<tr><th>{}</th>", render::escape(l)));
        for n in &e.confusion[i] {
            h.push_str(&format!("<td>{n}</td>"));
        }
        h.push_str("</tr>");
    }
    h.push_str("</table></div>");
    h
}

#[derive(Clone, Copy)]
pub(crate) enum PredictKind {
    Label,
    Probability,
}

/// `predict("descricao")`: a UDF inside the lazy plan, scored in parallel batches.
pub(crate) fn predict_column(m: &Model, input: Column, kind: PredictKind) -> Column {
    let classifier = m.classifier.clone();
    let label = match kind {
        PredictKind::Label => format!("predict({})", input.name),
        PredictKind::Probability => format!("predict_proba({})", input.name),
    };
    let out_type = match kind {
        PredictKind::Label => DataType::String,
        PredictKind::Probability => DataType::Float64,
    };
    let dtype = out_type.clone();
    let expr = input.expr.cast(DataType::String).map(
        move |c: polars::prelude::Column| {
            let ca = c.str()?;
            let texts: Vec<Option<&str>> = ca.iter().collect();
            let name = c.name().clone();
            let out: Series = match kind {
                PredictKind::Label => {
                    let labels = classifier.labels();
                    let predicted = classifier.predict_batch(&texts, true);
                    let values: Vec<Option<&str>> = predicted
                        .iter()
                        .map(|p| p.map(|i| labels[i as usize].as_str()))
                        .collect();
                    Series::new(name, values)
                }
                PredictKind::Probability => {
                    Series::new(name, classifier.predict_max_proba_batch(&texts, true))
                }
            };
            Ok(out.into_column())
        },
        move |_: &Schema, f: &Field| Ok(Field::new(f.name().clone(), dtype.clone())),
    );
    Column::new(expr, label)
}
