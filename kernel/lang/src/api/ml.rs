//! The classifier in the language: `NaiveBayes(...).fit(df)`, `load_model(path)`, and the
//! model's methods; predictions are columns inside the lazy plan.

use std::sync::Arc;

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{check_names, frame_value, run_planned};
use crate::api::convert::{as_names, to_column};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, Span, interrupted, polars_error};
use crate::core::output::Output;
use crate::core::plan::{Arg as PlanArg, Plan};
use crate::core::value::{Column, Estimator, Frame, Model, ModelWriter, Module, Receiver, Value};

const FAISCA: &[Module] = &[Module::Faisca, Module::Ml];
const MODEL: Receiver = Receiver::Model;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        FAISCA,
        "NaiveBayes(*, text: str|list = None, label: str = None, alpha: int|float = 1.0, foldAccents: bool = True, stopWords: str|bool = None, maxFeatures: int = None, featuresCol: str|list = None, labelCol: str = None, smoothing: int|float = None) -> NaiveBayes",
        "A bag-of-words multinomial Naive Bayes estimator (featuresCol, labelCol and smoothing are Spark's names for text, label and alpha).",
        naive_bayes,
    ),
    Entry::function(
        FAISCA,
        "load_model(path: str) -> NaiveBayesModel",
        "Loads a saved classifier; call it on a column to predict: model(\"descricao\").",
        load_model,
    )
    .aliases(&["model_udf"]),
    Entry::method(
        Receiver::Estimator,
        "fit(dataset: DataFrame) -> NaiveBayesModel",
        "Trains on the frame's text and label columns (runs a job).",
        fit,
    ),
    Entry::method(
        MODEL,
        "predict(col: ColumnOrName) -> Column",
        "The predicted class of each text, as a column.",
        predict,
    ),
    Entry::method(
        MODEL,
        "proba(col: ColumnOrName) -> Column",
        "The predicted class' probability, as a column.",
        proba,
    )
    .aliases(&["predict_proba"]),
    Entry::method(
        MODEL,
        "explain(text: str, top: int = 8) -> None",
        "The words that carried one prediction.",
        explain,
    ),
    Entry::method(
        MODEL,
        "evaluate(dataset: DataFrame) -> Evaluation",
        "Accuracy, precision, recall and confusion matrix on labelled rows.",
        evaluate,
    ),
    Entry::method(
        MODEL,
        "save(path: str) -> NaiveBayesModel",
        "Writes the model file; an existing path is an error (use write().overwrite().save(path)).",
        save,
    ),
    Entry::method(
        MODEL,
        "write() -> MLWriter",
        "Spark ML's writer for the model: write().overwrite().save(path) replaces a file.",
        write,
    ),
    Entry::method(
        Receiver::ModelWriter,
        "overwrite() -> MLWriter",
        "Lets save() replace what is at the path (only once the new file is complete).",
        overwrite,
    ),
    Entry::method(
        Receiver::ModelWriter,
        "save(path: str) -> NaiveBayesModel",
        "Writes the model file.",
        writer_save,
    ),
    Entry::method(
        MODEL,
        "transform(dataset: DataFrame) -> DataFrame",
        "The frame with a `prediction` column, as Spark ML's transform.",
        transform,
    ),
];

fn model(call: &Call) -> Result<Model, LangError> {
    match &call.this {
        Value::Model(m) => Ok(m.clone()),
        other => Err(call.wrong_receiver(other)),
    }
}

fn naive_bayes(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let either = |a: &str, b: &str| {
        if call.is_none(a) {
            b.to_string()
        } else {
            a.to_string()
        }
    };
    let text_param = either("text", "featuresCol");
    if call.is_none(&text_param) {
        return Err(LangError::type_error("NaiveBayes() needs text=\"column\"")
            .at(call.span)
            .with_hint("e.g. NaiveBayes(text=\"descricao\", label=\"categoria\")"));
    }
    let text = as_names(call.value(&text_param), call.span_of(&text_param))?;
    let label_param = either("label", "labelCol");
    let label = call.opt_str(&label_param)?.ok_or_else(|| {
        LangError::type_error("NaiveBayes() needs label=\"column\"").at(call.span)
    })?;
    let mut options = faisca_model::TrainOptions::default();
    let alpha_param = if call.given("smoothing") {
        "smoothing"
    } else {
        "alpha"
    };
    options.alpha = call.float(alpha_param)?;
    if options.alpha <= 0.0 || !options.alpha.is_finite() {
        return Err(
            LangError::new("ValueError", "alpha must be positive").at(call.span_of(alpha_param))
        );
    }
    options.tokenizer.fold_accents = call.bool("foldAccents")?;
    options.portuguese_stop_words = match call.value("stopWords") {
        Value::None | Value::Bool(false) => false,
        Value::Bool(true) => true,
        Value::Str(l) if l.eq_ignore_ascii_case("portuguese") || l == "pt" => true,
        _ => {
            return Err(
                LangError::new("ValueError", "stopWords takes \"portuguese\" or None")
                    .at(call.span_of("stopWords")),
            );
        }
    };
    options.max_features = call.opt_int("maxFeatures")?.map(|n| n.max(1) as usize);
    Ok(Value::Estimator(Box::new(Estimator {
        text,
        label,
        options,
    })))
}

fn load_model(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let path = call.str("path")?;
    let resolved = ctx.config().resolve(&path);
    let cancel = ctx.cancel();
    let classifier = faisca_model::Classifier::load_until(&resolved, cancel).map_err(|e| match e {
        faisca_model::ModelError::Interrupted => interrupted(),
        e => LangError::new("ModelLoadError", e.to_string())
            .at(call.span_of("path"))
            .with_hint("train and save one with NaiveBayes(text=..., label=...).fit(df).save(path), or run `faisca train`"),
    })?;
    Ok(Value::Model(Model {
        classifier: Arc::new(classifier),
        path: Some(path),
    }))
}

/// The text columns joined with a space (nulls skipped), as the model was trained on.
fn text_expr(f: &Frame, cols: &[String], span: Span) -> Result<Expr, LangError> {
    check_names(f, cols, span)?;
    let exprs: Vec<Expr> = cols
        .iter()
        .map(|c| col(c.as_str()).cast(DataType::String))
        .collect();
    Ok(concat_str(exprs, " ", true))
}

/// Texts and labels of the labelled rows, collected as a job.
fn labelled_texts(
    ctx: &mut dyn Context,
    action: &str,
    f: &Frame,
    cols: &[String],
    label: &str,
    span: Span,
) -> Result<(Vec<String>, Vec<String>), LangError> {
    let text = text_expr(f, cols, span)?;
    check_names(f, &[label.to_string()], span)?;
    // The job fetches the columns as they are (`df.select(*text, label)`), so an engine
    // elsewhere runs it too; joining and casting happen here, as for a local frame.
    let mut wanted: Vec<&str> = cols.iter().map(String::as_str).collect();
    if !wanted.contains(&label) {
        wanted.push(label);
    }
    let plan = Plan::Call {
        name: "select",
        receiver: Some(f.plan.clone()),
        args: wanted
            .iter()
            .map(|c| ("cols", PlanArg::Literal(Value::Str(c.to_string()).repr())))
            .collect(),
    };
    let picked =
        f.lf.clone()
            .select(wanted.iter().map(|c| col(*c)).collect::<Vec<_>>());
    let fetched = run_planned(ctx, action, picked, Some(&plan))?;
    let df = fetched
        .lazy()
        .select([
            text.fill_null(lit("")).alias("text"),
            col(label).cast(DataType::String).alias("label"),
        ])
        .filter(col("label").is_not_null())
        .collect()
        .map_err(|e| polars_error(e).at(span))?;
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

fn fit(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let Value::Estimator(e) = &call.this else {
        return Err(call.wrong_receiver(&call.this));
    };
    let f = call.frame("dataset")?;
    let span = call.span_of("dataset");
    let (texts, labels) = labelled_texts(ctx, "fit", &f, &e.text, &e.label, span)?;
    let t: Vec<&str> = texts.iter().map(String::as_str).collect();
    let l: Vec<&str> = labels.iter().map(String::as_str).collect();
    let columns = faisca_model::Columns {
        text: e.text.clone(),
        label: e.label.clone(),
    };
    let cancel = ctx.cancel();
    let classifier =
        faisca_model::Classifier::train_until(&t, &l, e.options.clone(), columns, cancel).map_err(
            |err| match err {
                faisca_model::ModelError::Interrupted => interrupted(),
                err => LangError::new("ModelTrainingError", err.to_string()).at(span),
            },
        )?;
    Ok(Value::Model(Model {
        classifier: Arc::new(classifier),
        path: None,
    }))
}

#[derive(Clone, Copy)]
enum PredictKind {
    Label,
    Probability,
}

/// `predict("descricao")`: a UDF inside the lazy plan, scored in parallel batches.
fn predict_column(m: &Model, input: Column, kind: PredictKind) -> Column {
    let classifier = m.classifier.clone();
    let (label, dtype) = match kind {
        PredictKind::Label => (format!("predict({})", input.name), DataType::String),
        PredictKind::Probability => (format!("predict_proba({})", input.name), DataType::Float64),
    };
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

fn predict(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let input = to_column(call.value("col"), call.span_of("col"))?;
    Ok(Value::Column(Box::new(predict_column(
        &model(&call)?,
        input,
        PredictKind::Label,
    ))))
}

fn proba(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let input = to_column(call.value("col"), call.span_of("col"))?;
    Ok(Value::Column(Box::new(predict_column(
        &model(&call)?,
        input,
        PredictKind::Probability,
    ))))
}

fn explain(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let m = model(&call)?;
    let text = call.str("text")?;
    let top = call.int("top")?.clamp(1, 10_000) as usize;
    let e = m.classifier.explain(&text, top);
    let proba = m.classifier.predict_proba(&text);
    let probability = m
        .classifier
        .labels()
        .iter()
        .position(|l| *l == e.label)
        .map(|i| proba[i])
        .unwrap_or(0.0);
    ctx.emit(Output::Explanation {
        text,
        explanation: Arc::new(e),
        probability,
    });
    Ok(Value::None)
}

fn evaluate(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let m = model(&call)?;
    let f = call.frame("dataset")?;
    let columns = &m.classifier.metadata.columns;
    let span = call.span_of("dataset");
    let (texts, labels) = labelled_texts(ctx, "evaluate", &f, &columns.text, &columns.label, span)?;
    let t: Vec<&str> = texts.iter().map(String::as_str).collect();
    let l: Vec<&str> = labels.iter().map(String::as_str).collect();
    Ok(Value::Evaluation(Arc::new(m.classifier.evaluate(&t, &l))))
}

fn save(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let m = model(&call)?;
    save_model(ctx, &call, m, false)
}

fn write(_ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let model = model(&call)?;
    Ok(Value::ModelWriter(ModelWriter {
        model,
        overwrite: false,
    }))
}

fn writer(call: &Call) -> Result<ModelWriter, LangError> {
    match &call.this {
        Value::ModelWriter(w) => Ok(w.clone()),
        other => Err(call.wrong_receiver(other)),
    }
}

fn overwrite(_ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut w = writer(&call)?;
    w.overwrite = true;
    Ok(Value::ModelWriter(w))
}

fn writer_save(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let w = writer(&call)?;
    save_model(ctx, &call, w.model, w.overwrite)
}

/// Spark ML's rule: an existing path is an `IOException` unless the writer was told to
/// overwrite; then the new file replaces it only once complete.
fn save_model(
    ctx: &mut dyn Context,
    call: &Call,
    m: Model,
    overwrite: bool,
) -> Result<Value, LangError> {
    let path = call.str("path")?;
    let resolved = ctx.config().resolve(&path);
    let span = call.span_of("path");
    if !overwrite && std::fs::symlink_metadata(&resolved).is_ok() {
        return Err(
            LangError::new("IOException", format!("Path {path} already exists."))
                .at(span)
                .with_hint("to replace it, use model.write().overwrite().save(path)"),
        );
    }
    if std::fs::metadata(&resolved).is_ok_and(|meta| meta.is_dir()) {
        return Err(LangError::new(
            "IOException",
            format!("Path {path} is a directory; a model is saved to a file."),
        )
        .at(span));
    }
    m.classifier
        .save(&resolved)
        .map_err(|e| LangError::new("IOException", e.to_string()).at(span))?;
    ctx.emit(Output::Stdout(format!("saved model to {path}\n")));
    Ok(Value::Model(Model {
        classifier: m.classifier.clone(),
        path: Some(path),
    }))
}

fn transform(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let m = model(&call)?;
    let f = call.frame("dataset")?;
    let text = text_expr(&f, &m.classifier.metadata.columns.text, call.span)?;
    let c = predict_column(&m, Column::new(text, "text"), PredictKind::Label);
    frame_value(
        ctx,
        f.lf.clone().with_column(c.expr.alias("prediction")),
        call.span,
    )
}
