//! The product classifier: a bag-of-words vectoriser and smartcore's multinomial Naive
//! Bayes, a versioned file format, and fast sparse scoring. Knows nothing of the DSL or of
//! Jupyter; both the kernel and the CLI use it.

mod persist;
mod split;
mod text;

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::naive_bayes::multinomial::{MultinomialNB, MultinomialNBParameters};

pub use persist::{FORMAT_VERSION, MAGIC};
pub use split::train_test_indices;
pub use text::Tokenizer;

/// Why training, loading or saving failed.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Reading or writing the file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file does not start with the model magic bytes.
    #[error("{0}: not a Faísca model file (wrong magic bytes)")]
    NotAModel(String),
    /// The file was written by a newer Faísca.
    #[error(
        "{path}: model format version {found} is newer than this build reads ({supported}); upgrade Faísca or retrain"
    )]
    NewerFormat {
        /// The file.
        path: String,
        /// Its version.
        found: u16,
        /// The newest this build reads.
        supported: u16,
    },
    /// The file is cut short or its checksum does not match.
    #[error("{path}: model file is truncated or corrupted ({detail})")]
    Corrupted {
        /// The file.
        path: String,
        /// What was wrong.
        detail: String,
    },
    /// The path is a FIFO, device or folder: reading it could block forever or never end.
    #[error("{0}: not a regular file")]
    NotAFile(String),
    /// The caller's stop check said stop (an interrupt).
    #[error("interrupted")]
    Interrupted,
    /// Training input is unusable.
    #[error("cannot train: {0}")]
    BadTrainingData(String),
    /// smartcore refused the data.
    #[error("Naive Bayes fit failed: {0}")]
    Fit(String),
}

/// How many rows pass between two checks of a stop request.
const STOP_CHECK_ROWS: usize = 4096;

/// Training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// Additive (Laplace) smoothing.
    pub alpha: f64,
    /// How text is split into words.
    pub tokenizer: Tokenizer,
    /// Drop the shipped Portuguese stop words.
    pub portuguese_stop_words: bool,
    /// Keep only the most frequent words.
    pub max_features: Option<usize>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            alpha: 1.0,
            tokenizer: Tokenizer::default(),
            portuguese_stop_words: false,
            max_features: None,
        }
    }
}

/// The Portuguese stop words shipped with the model crate.
pub fn portuguese_stop_words() -> impl Iterator<Item = &'static str> {
    include_str!("stopwords-pt.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
}

/// Facts about how a model was made, stored in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// RFC 3339 UTC time of training.
    pub trained_at: String,
    /// Training rows.
    pub rows: usize,
    /// Accuracy on a held-out split, when one was evaluated.
    pub accuracy: Option<f64>,
    /// SHA-256 of the training texts and labels.
    pub data_sha256: String,
    /// The columns it reads: text columns (joined with a space) and the label.
    pub columns: Columns,
    /// The settings used.
    pub options: TrainOptions,
}

/// Which columns a model was trained on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Columns {
    /// Text columns, joined with a space before tokenising.
    pub text: Vec<String>,
    /// The label column.
    pub label: String,
}

impl Columns {
    /// `nome + descricao → categoria`, for reports.
    pub fn describe(&self) -> String {
        format!("{} → {}", self.text.join(" + "), self.label)
    }
}

/// A trained classifier.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Classifier {
    vocabulary: Vec<String>,
    labels: Vec<String>,
    class_log_prior: Vec<f64>,
    /// Word-major (`[word * n_classes + class]`) so one token touches one cache line.
    feature_log_prob: Vec<f64>,
    stop_words: Vec<String>,
    /// Metadata, editable before saving (e.g. to record accuracy).
    pub metadata: Metadata,
    #[serde(skip)]
    index: FxHashMap<String, u32>,
}

impl PartialEq for Classifier {
    fn eq(&self, other: &Self) -> bool {
        self.vocabulary == other.vocabulary
            && self.labels == other.labels
            && self.class_log_prior == other.class_log_prior
            && self.feature_log_prob == other.feature_log_prob
            && self.metadata == other.metadata
    }
}

/// One prediction with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The predicted label.
    pub label: String,
    /// The label it beat by the smallest margin.
    pub runner_up: Option<String>,
    /// Words and how much each pushed towards `label` over `runner_up` (log-odds), strongest
    /// first.
    pub words: Vec<(String, f64)>,
}

/// Accuracy, per-class precision/recall and the confusion matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Class names, the matrix' row and column order.
    pub labels: Vec<String>,
    /// `confusion[actual][predicted]`.
    pub confusion: Vec<Vec<usize>>,
    /// Rows evaluated.
    pub rows: usize,
}

impl Evaluation {
    /// Fraction of rows predicted right.
    pub fn accuracy(&self) -> f64 {
        let right: usize = (0..self.labels.len()).map(|i| self.confusion[i][i]).sum();
        if self.rows == 0 {
            0.0
        } else {
            right as f64 / self.rows as f64
        }
    }
    /// Precision of class `i` (0 when never predicted).
    pub fn precision(&self, i: usize) -> f64 {
        let predicted: usize = self.confusion.iter().map(|row| row[i]).sum();
        if predicted == 0 {
            0.0
        } else {
            self.confusion[i][i] as f64 / predicted as f64
        }
    }
    /// Recall of class `i` (0 when absent).
    pub fn recall(&self, i: usize) -> f64 {
        let actual: usize = self.confusion[i].iter().sum();
        if actual == 0 {
            0.0
        } else {
            self.confusion[i][i] as f64 / actual as f64
        }
    }
    /// Rows whose actual class is `i`.
    pub fn support(&self, i: usize) -> usize {
        self.confusion[i].iter().sum()
    }
}

/// SHA-256 over texts and labels, for the model's provenance.
fn data_hash(texts: &[&str], labels: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for (t, l) in texts.iter().zip(labels) {
        hasher.update(t.as_bytes());
        hasher.update([0x1f]);
        hasher.update(l.as_bytes());
        hasher.update([0x1e]);
    }
    hex::encode(hasher.finalize())
}

impl Classifier {
    /// Fits on `texts` with their `labels`. Counts are gathered sparsely per class, and
    /// smartcore is fitted on one summed row per class with the real class frequencies as
    /// priors: the same estimate as fitting every document, without a documents x
    /// vocabulary matrix.
    pub fn train(
        texts: &[&str],
        labels: &[&str],
        options: TrainOptions,
        columns: Columns,
    ) -> Result<Classifier, ModelError> {
        Self::train_until(texts, labels, options, columns, &|| false)
    }

    /// [`Classifier::train`], polling `stop` as it goes: `ModelError::Interrupted` when it
    /// says so (a notebook's interrupt answers within a second on any size of input).
    pub fn train_until(
        texts: &[&str],
        labels: &[&str],
        options: TrainOptions,
        columns: Columns,
        should_stop: &dyn Fn() -> bool,
    ) -> Result<Classifier, ModelError> {
        if texts.len() != labels.len() {
            return Err(ModelError::BadTrainingData(format!(
                "{} texts but {} labels",
                texts.len(),
                labels.len()
            )));
        }
        if texts.is_empty() {
            return Err(ModelError::BadTrainingData("no rows".into()));
        }
        if !options.alpha.is_finite() || options.alpha <= 0.0 {
            return Err(ModelError::BadTrainingData("alpha must be positive".into()));
        }
        let mut class_names: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
        class_names.sort();
        class_names.dedup();
        if class_names.len() < 2 {
            return Err(ModelError::BadTrainingData(format!(
                "need at least two classes, found {}",
                class_names.len()
            )));
        }
        let class_of: HashMap<&str, usize> = class_names
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let stop: rustc_hash::FxHashSet<String> = if options.portuguese_stop_words {
            let fold = options.tokenizer;
            portuguese_stop_words()
                .flat_map(|w| fold.tokens(w))
                .collect()
        } else {
            Default::default()
        };

        let k = class_names.len();
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut words: Vec<String> = Vec::new();
        let mut counts: Vec<u32> = Vec::new(); // word-major, k per word
        let mut class_rows = vec![0usize; k];
        let mut buf = String::new();
        for (row, (text, label)) in texts.iter().zip(labels).enumerate() {
            if row % STOP_CHECK_ROWS == 0 && should_stop() {
                return Err(ModelError::Interrupted);
            }
            let class = class_of[label];
            class_rows[class] += 1;
            options.tokenizer.for_each_token(text, &mut buf, |token| {
                if stop.contains(token) {
                    return;
                }
                let id = match ids.get(token) {
                    Some(&id) => id,
                    None => {
                        let id = words.len() as u32;
                        ids.insert(token.to_string(), id);
                        words.push(token.to_string());
                        counts.extend(std::iter::repeat_n(0, k));
                        id
                    }
                };
                counts[id as usize * k + class] += 1;
            });
        }
        if words.is_empty() {
            return Err(ModelError::BadTrainingData(
                "the texts contain no words".into(),
            ));
        }

        // Sorted vocabulary like scikit-learn's, capped to the most frequent words.
        let mut order: Vec<usize> = (0..words.len()).collect();
        if let Some(cap) = options.max_features.filter(|&cap| cap < words.len()) {
            let total = |w: usize| {
                counts[w * k..(w + 1) * k]
                    .iter()
                    .map(|&c| c as u64)
                    .sum::<u64>()
            };
            order.sort_by(|&a, &b| {
                total(b)
                    .cmp(&total(a))
                    .then_with(|| words[a].cmp(&words[b]))
            });
            order.truncate(cap.max(1));
        }
        order.sort_by(|&a, &b| words[a].cmp(&words[b]));
        let v = order.len();
        let mut per_class = vec![0u32; k * v];
        for (col, &w) in order.iter().enumerate() {
            for class in 0..k {
                per_class[class * v + col] = counts[w * k + class];
            }
        }
        let x =
            DenseMatrix::new(k, v, per_class, false).map_err(|e| ModelError::Fit(e.to_string()))?;
        let y: Vec<u32> = (0..k as u32).collect();
        let n = texts.len() as f64;
        let priors: Vec<f64> = class_rows.iter().map(|&c| c as f64 / n).collect();
        let params = MultinomialNBParameters::default()
            .with_alpha(options.alpha)
            .with_priors(priors.clone());
        let nb: MultinomialNB<u32, u32, DenseMatrix<u32>, Vec<u32>> =
            MultinomialNB::fit(&x, &y, params).map_err(|e| ModelError::Fit(e.to_string()))?;

        let flp = nb.feature_log_prob();
        let mut feature_log_prob = vec![0.0; v * k];
        for (class, row) in flp.iter().enumerate() {
            for (col, value) in row.iter().enumerate() {
                feature_log_prob[col * k + class] = *value;
            }
        }
        let vocabulary: Vec<String> = order.iter().map(|&w| words[w].clone()).collect();
        let mut model = Classifier {
            vocabulary,
            labels: class_names,
            class_log_prior: priors.iter().map(|p| p.ln()).collect(),
            feature_log_prob,
            stop_words: stop.into_iter().collect(),
            metadata: Metadata {
                trained_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                rows: texts.len(),
                accuracy: None,
                data_sha256: data_hash(texts, labels),
                columns,
                options,
            },
            index: FxHashMap::default(),
        };
        model.stop_words.sort();
        model.build_index();
        Ok(model)
    }

    fn build_index(&mut self) {
        self.index = self
            .vocabulary
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
    }

    /// Class names, in score order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Vocabulary size.
    pub fn vocabulary_len(&self) -> usize {
        self.vocabulary.len()
    }

    /// How it splits text into words.
    pub fn tokenizer(&self) -> Tokenizer {
        self.metadata.options.tokenizer
    }

    /// The known words, in feature order.
    pub fn vocabulary(&self) -> &[String] {
        &self.vocabulary
    }

    /// `log P(class)`, in [`Classifier::labels`] order.
    pub fn class_log_prior(&self) -> &[f64] {
        &self.class_log_prior
    }

    /// `log P(word | class)` for word `id` of the vocabulary, per class.
    pub fn word_log_prob(&self, id: usize) -> &[f64] {
        let k = self.labels.len();
        &self.feature_log_prob[id * k..(id + 1) * k]
    }

    /// Joint log-likelihood per class; unknown words are ignored, as scikit-learn does.
    fn scores_into(&self, text: &str, buf: &mut String, scores: &mut [f64]) {
        let k = self.labels.len();
        scores.copy_from_slice(&self.class_log_prior);
        self.tokenizer().for_each_token(text, buf, |token| {
            if let Some(&id) = self.index.get(token) {
                let row = &self.feature_log_prob[id as usize * k..(id as usize + 1) * k];
                for (s, p) in scores.iter_mut().zip(row) {
                    *s += p;
                }
            }
        });
    }

    fn argmax(scores: &[f64]) -> usize {
        // First maximum wins, like numpy's argmax.
        let mut best = 0;
        for (i, s) in scores.iter().enumerate() {
            if *s > scores[best] {
                best = i;
            }
        }
        best
    }

    /// The predicted class index of one text.
    pub fn predict_index(&self, text: &str) -> usize {
        let mut scores = vec![0.0; self.labels.len()];
        self.scores_into(text, &mut String::new(), &mut scores);
        Self::argmax(&scores)
    }

    /// The predicted label of one text.
    pub fn predict(&self, text: &str) -> &str {
        &self.labels[self.predict_index(text)]
    }

    /// Class probabilities of one text, in [`Classifier::labels`] order.
    pub fn predict_proba(&self, text: &str) -> Vec<f64> {
        let mut scores = vec![0.0; self.labels.len()];
        self.scores_into(text, &mut String::new(), &mut scores);
        softmax(&mut scores);
        scores
    }

    /// Predicted class indexes for many texts (`None` stays `None`); `parallel` spreads
    /// batches over all cores.
    pub fn predict_batch(&self, texts: &[Option<&str>], parallel: bool) -> Vec<Option<u32>> {
        self.score_batch(texts, parallel, |scores| Self::argmax(scores) as u32)
    }

    /// The probability of the predicted class for many texts, batched like
    /// [`Classifier::predict_batch`].
    pub fn predict_max_proba_batch(
        &self,
        texts: &[Option<&str>],
        parallel: bool,
    ) -> Vec<Option<f64>> {
        self.score_batch(texts, parallel, |scores| {
            softmax(scores);
            scores.iter().copied().fold(0.0, f64::max)
        })
    }

    /// Scores every text with reused buffers and maps its class scores through `pick`.
    fn score_batch<T: Send>(
        &self,
        texts: &[Option<&str>],
        parallel: bool,
        pick: impl Fn(&mut [f64]) -> T + Sync,
    ) -> Vec<Option<T>> {
        let k = self.labels.len();
        let one = |(buf, scores): &mut (String, Vec<f64>), text: &Option<&str>| {
            text.map(|t| {
                self.scores_into(t, buf, scores);
                pick(scores)
            })
        };
        if parallel {
            texts
                .par_iter()
                .with_min_len(256)
                .map_init(|| (String::new(), vec![0.0; k]), one)
                .collect()
        } else {
            let mut state = (String::new(), vec![0.0; k]);
            texts.iter().map(|t| one(&mut state, t)).collect()
        }
    }

    /// Why `text` got its label: the words that favour it over the runner-up.
    pub fn explain(&self, text: &str, top: usize) -> Explanation {
        let k = self.labels.len();
        let mut scores = vec![0.0; k];
        self.scores_into(text, &mut String::new(), &mut scores);
        let best = Self::argmax(&scores);
        let runner = (0..k)
            .filter(|&i| i != best)
            .max_by(|&a, &b| scores[a].total_cmp(&scores[b]));
        let mut weights: FxHashMap<String, f64> = FxHashMap::default();
        self.tokenizer()
            .for_each_token(text, &mut String::new(), |token| {
                if let (Some(&id), Some(r)) = (self.index.get(token), runner) {
                    let row = &self.feature_log_prob[id as usize * k..(id as usize + 1) * k];
                    *weights.entry(token.to_string()).or_default() += row[best] - row[r];
                }
            });
        let mut words: Vec<(String, f64)> = weights.into_iter().filter(|(_, w)| *w > 0.0).collect();
        words.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words.truncate(top);
        Explanation {
            label: self.labels[best].clone(),
            runner_up: runner.map(|r| self.labels[r].clone()),
            words,
        }
    }

    /// Scores the model on labelled texts. Unknown labels count as always wrong.
    pub fn evaluate(&self, texts: &[&str], labels: &[&str]) -> Evaluation {
        let mut names = self.labels.clone();
        for l in labels {
            if !names.iter().any(|n| n == l) {
                names.push(l.to_string());
            }
        }
        let n = names.len();
        let mut confusion = vec![vec![0usize; n]; n];
        let texts: Vec<Option<&str>> = texts.iter().map(|t| Some(*t)).collect();
        let predicted = self.predict_batch(&texts, true);
        for (label, p) in labels.iter().zip(predicted) {
            let actual = names.iter().position(|n| n == label).unwrap_or(0);
            confusion[actual][p.unwrap_or(0) as usize] += 1;
        }
        Evaluation {
            labels: names,
            confusion,
            rows: labels.len(),
        }
    }
}

fn softmax(scores: &mut [f64]) {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    for s in scores.iter_mut() {
        *s /= sum;
    }
}

#[cfg(test)]
mod tests;
