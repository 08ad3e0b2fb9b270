//! `faisca train`: the chapter's classifier from the command line.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use faisca_model::{Classifier, TrainOptions, train_test_indices};

#[derive(clap::Args)]
pub struct TrainArgs {
    /// The products CSV (nome;descricao;categoria).
    #[arg(long, default_value = "data/produtos.csv")]
    data: PathBuf,
    /// Where to save the model.
    #[arg(long, default_value = "model/classificador-produtos.bin")]
    out: PathBuf,
    /// The CSV's delimiter.
    #[arg(long, default_value = ";")]
    delimiter: char,
    /// Held-out fraction for the reported accuracy.
    #[arg(long, default_value_t = 0.2)]
    test_size: f64,
    /// Seed of the train/test shuffle.
    #[arg(long, default_value_t = 10)]
    seed: u64,
    /// Laplace smoothing.
    #[arg(long, default_value_t = 1.0)]
    alpha: f64,
    /// Keep accents (by default "anéis" and "aneis" are the same word).
    #[arg(long)]
    keep_accents: bool,
    /// Drop Portuguese stop words.
    #[arg(long)]
    stop_words: bool,
    /// Keep only the N most frequent words.
    #[arg(long)]
    max_features: Option<usize>,
    /// Also write the split (row indexes after dropping empty descriptions) as JSON, so a
    /// benchmark can train scikit-learn on exactly the same rows.
    #[arg(long)]
    split_out: Option<PathBuf>,
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

pub fn run(args: TrainArgs) -> anyhow::Result<()> {
    if !(0.0..1.0).contains(&args.test_size) {
        bail!("--test-size must be in [0, 1)");
    }
    let sep = u8::try_from(args.delimiter).context("the delimiter must be one byte")?;
    let started = Instant::now();
    let columns = faisca_lang::dataset::read_string_columns(
        &args.data,
        sep,
        &["nome", "descricao", "categoria"],
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let read_time = started.elapsed();
    // The chapter's text: nome + " " + descricao, rows without a description dropped.
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    let rows = columns[0].iter().zip(&columns[1]).zip(&columns[2]);
    for ((nome, descricao), categoria) in rows {
        let (Some(descricao), Some(categoria)) = (descricao, categoria) else {
            continue;
        };
        if descricao.trim().is_empty() {
            continue;
        }
        let nome = nome.as_deref().unwrap_or("");
        texts.push(format!("{nome} {descricao}"));
        labels.push(categoria.clone());
    }
    if texts.is_empty() {
        bail!(
            "{}: no rows with a description and a category",
            args.data.display()
        );
    }
    let (train, test) = train_test_indices(texts.len(), args.test_size, args.seed);
    let pick = |idx: &[usize], v: &[String]| -> Vec<String> {
        idx.iter().map(|&i| v[i].clone()).collect()
    };
    let (train_t, train_l) = (pick(&train, &texts), pick(&train, &labels));
    let (test_t, test_l) = (pick(&test, &texts), pick(&test, &labels));
    let options = TrainOptions {
        alpha: args.alpha,
        tokenizer: faisca_model::Tokenizer {
            fold_accents: !args.keep_accents,
        },
        portuguese_stop_words: args.stop_words,
        max_features: args.max_features,
    };
    let fit_started = Instant::now();
    let mut model = Classifier::train(
        &refs(&train_t),
        &refs(&train_l),
        options,
        faisca_model::Columns {
            text: vec!["nome".into(), "descricao".into()],
            label: "categoria".into(),
        },
    )?;
    let fit_time = fit_started.elapsed();
    let accuracy = if test.is_empty() {
        None
    } else {
        Some(model.evaluate(&refs(&test_t), &refs(&test_l)).accuracy())
    };
    model.metadata.accuracy = accuracy;
    model.save(&args.out)?;
    if let Some(path) = &args.split_out {
        let split = serde_json::json!({
            "rule": "text = nome + ' ' + descricao; rows with empty descricao dropped; indexes into the remaining rows",
            "train": train,
            "test": test,
            "accuracy": accuracy,
        });
        std::fs::write(path, split.to_string())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    println!(
        "trained on {} rows ({} held out), {} classes, vocabulary {}; accuracy {}; read {:.0} ms, fit {:.0} ms; saved {}",
        train.len(),
        test.len(),
        model.labels().len(),
        model.vocabulary_len(),
        accuracy.map_or("n/a".into(), |a| format!("{a:.4}")),
        read_time.as_secs_f64() * 1000.0,
        fit_time.as_secs_f64() * 1000.0,
        args.out.display()
    );
    Ok(())
}
