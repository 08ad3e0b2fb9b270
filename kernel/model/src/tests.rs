use super::*;

fn toy() -> (Vec<&'static str>, Vec<&'static str>) {
    let texts = vec![
        "Boneca Barbie com acessórios",
        "Carrinho Hot Wheels brinquedo",
        "Quebra-cabeça infantil brinquedo educativo",
        "Livro O Senhor dos Anéis edição de colecionador",
        "Livro Harry Potter capa dura",
        "Romance clássico livro de bolso",
        "Jogo FIFA para PlayStation 4",
        "Game Zelda Nintendo Switch",
        "Batom vermelho matte maquiagem",
        "Base líquida maquiagem cobertura alta",
    ];
    let labels = vec![
        "brinquedo",
        "brinquedo",
        "brinquedo",
        "livro",
        "livro",
        "livro",
        "game",
        "game",
        "maquiagem",
        "maquiagem",
    ];
    (texts, labels)
}

fn cols() -> Columns {
    Columns {
        text: vec!["descricao".into()],
        label: "categoria".into(),
    }
}

fn trained() -> Classifier {
    let (t, l) = toy();
    Classifier::train(&t, &l, TrainOptions::default(), cols()).unwrap()
}

#[test]
fn learns_the_toy_classes() {
    let m = trained();
    assert_eq!(m.labels(), ["brinquedo", "game", "livro", "maquiagem"]);
    assert_eq!(m.predict("senhor dos aneis"), "livro");
    assert_eq!(m.predict("Senhor dos anéis"), "livro");
    assert_eq!(m.predict("batom matte"), "maquiagem");
    let p = m.predict_proba("batom matte");
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(p[3] > 0.5, "{p:?}");
}

#[test]
fn sparse_scores_agree_with_smartcore_dense_predict() {
    use smartcore::linalg::basic::matrix::DenseMatrix;
    let (texts, labels) = toy();
    let model = trained();
    // Refit smartcore on the full documents x vocabulary matrix (fine at toy size).
    let v = model.vocabulary_len();
    let mut x = vec![0u32; texts.len() * v];
    for (row, t) in texts.iter().enumerate() {
        for token in model.tokenizer().tokens(t) {
            if let Some(&id) = model.index.get(&token) {
                x[row * v + id as usize] += 1;
            }
        }
    }
    let y: Vec<u32> = labels
        .iter()
        .map(|l| model.labels().iter().position(|n| n == l).unwrap() as u32)
        .collect();
    let x = DenseMatrix::new(texts.len(), v, x, false).unwrap();
    let nb: MultinomialNB<u32, u32, DenseMatrix<u32>, Vec<u32>> =
        MultinomialNB::fit(&x, &y, MultinomialNBParameters::default().with_alpha(1.0)).unwrap();
    let dense = nb.predict(&x).unwrap();
    let sparse: Vec<u32> = texts
        .iter()
        .map(|t| model.predict_index(t) as u32)
        .collect();
    assert_eq!(dense, sparse);
    // And the per-class fit gives smartcore's own feature_log_prob.
    for (class, row) in nb.feature_log_prob().iter().enumerate() {
        for (w, p) in row.iter().enumerate() {
            assert!((model.feature_log_prob[w * 4 + class] - p).abs() < 1e-12);
        }
    }
}

#[test]
fn batch_predictions_match_single_and_keep_nulls() {
    let m = trained();
    let texts = [Some("batom"), None, Some("livro capa dura"), Some("")];
    let expected: Vec<Option<u32>> = texts
        .iter()
        .map(|t| t.map(|t| m.predict_index(t) as u32))
        .collect();
    assert_eq!(m.predict_batch(&texts, false), expected);
    assert_eq!(m.predict_batch(&texts, true), expected);
    assert_eq!(expected[1], None);
}

#[test]
fn explanation_names_the_deciding_words() {
    let m = trained();
    let e = m.explain("Livro Harry Potter", 3);
    assert_eq!(e.label, "livro");
    assert!(e.words.iter().any(|(w, _)| w == "livro"), "{e:?}");
    assert!(e.words.windows(2).all(|w| w[0].1 >= w[1].1));
}

#[test]
fn stop_words_and_vocabulary_cap() {
    let (t, l) = toy();
    let opts = TrainOptions {
        portuguese_stop_words: true,
        ..TrainOptions::default()
    };
    let m = Classifier::train(&t, &l, opts, cols()).unwrap();
    assert!(!m.vocabulary.iter().any(|w| w == "de" || w == "dos"));
    let opts = TrainOptions {
        max_features: Some(5),
        ..TrainOptions::default()
    };
    let m = Classifier::train(&t, &l, opts, cols()).unwrap();
    assert_eq!(m.vocabulary_len(), 5);
    assert!(m.vocabulary.iter().any(|w| w == "brinquedo"));
}

#[test]
fn bad_training_data_is_an_error() {
    assert!(Classifier::train(&[], &[], TrainOptions::default(), cols()).is_err());
    assert!(Classifier::train(&["a b"], &["x", "y"], TrainOptions::default(), cols()).is_err());
    assert!(
        Classifier::train(
            &["livro", "game"],
            &["x", "x"],
            TrainOptions::default(),
            cols()
        )
        .is_err()
    );
    let bad_alpha = TrainOptions {
        alpha: 0.0,
        ..TrainOptions::default()
    };
    assert!(Classifier::train(&["livro", "game"], &["x", "y"], bad_alpha, cols()).is_err());
}

#[test]
fn evaluation_counts() {
    let m = trained();
    let e = m.evaluate(
        &["batom", "livro", "game zelda"],
        &["maquiagem", "livro", "livro"],
    );
    assert_eq!(e.rows, 3);
    assert!((e.accuracy() - 2.0 / 3.0).abs() < 1e-9);
    let livro = e.labels.iter().position(|l| l == "livro").unwrap();
    assert!((e.recall(livro) - 0.5).abs() < 1e-9);
    assert_eq!(e.support(livro), 2);
}

#[test]
fn save_load_round_trip_gives_identical_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/model.bin");
    let mut m = trained();
    m.metadata.accuracy = Some(0.9);
    m.save(&path).unwrap();
    let loaded = Classifier::load(&path).unwrap();
    assert_eq!(loaded, m);
    for t in [
        "senhor dos aneis",
        "batom",
        "zelda",
        "",
        "palavra desconhecida",
    ] {
        assert_eq!(loaded.predict_proba(t), m.predict_proba(t));
    }
    // No temporary file is left behind.
    assert_eq!(
        std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
        1
    );
}

#[test]
fn damaged_files_are_clear_errors() {
    let bytes = trained().to_bytes().unwrap();
    let load = |b: &[u8]| Classifier::from_bytes(b, "m.bin").unwrap_err().to_string();
    assert!(load(b"").contains("not a Faísca model"));
    assert!(load(b"PK\x03\x04 a zip file").contains("not a Faísca model"));
    assert!(load(&bytes[..20]).contains("truncated or corrupted"));
    assert!(load(&bytes[..bytes.len() - 1]).contains("truncated"));
    let mut flipped = bytes.clone();
    let last = flipped.len() - 10;
    flipped[last] ^= 0xff;
    assert!(load(&flipped).contains("checksum"));
    let mut newer = bytes.clone();
    newer[8..10].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    assert!(load(&newer).contains("newer"));
    let mut huge = bytes.clone();
    huge[10..18].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(load(&huge).contains("implausible"));
    let missing = Classifier::load(Path::new("/nonexistent/model.bin")).unwrap_err();
    assert!(missing.to_string().contains("/nonexistent/model.bin"));
}

#[test]
fn format_1_files_still_load_with_their_columns() {
    use sha2::Digest;
    let m = trained();
    let meta = &m.metadata;
    // Format 1 wrote the same fields with a description in place of the columns.
    let v1 = (
        m.vocabulary.clone(),
        m.labels.clone(),
        m.class_log_prior.clone(),
        m.feature_log_prob.clone(),
        m.stop_words.clone(),
        (
            meta.trained_at.clone(),
            meta.rows,
            meta.accuracy,
            meta.data_sha256.clone(),
            "text=nome+descricao label=categoria".to_string(),
            meta.options.clone(),
        ),
    );
    let payload = bincode::serde::encode_to_vec(&v1, bincode::config::standard()).unwrap();
    let mut bytes = crate::persist::MAGIC.to_vec();
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&sha2::Sha256::digest(&payload));
    bytes.extend_from_slice(&payload);
    let old = Classifier::from_bytes(&bytes, "v1.bin").unwrap();
    assert_eq!(old.metadata.columns.text, ["nome", "descricao"]);
    assert_eq!(old.metadata.columns.label, "categoria");
    assert_eq!(
        old.predict("Senhor dos anéis"),
        m.predict("Senhor dos anéis")
    );
}

use std::path::Path;

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
        let _ = Classifier::from_bytes(&bytes, "fuzz");
    }

    #[test]
    fn any_corruption_of_a_real_file_is_detected(pos in 0usize..10_000, bit in 0u8..8) {
        let bytes = trained().to_bytes().unwrap();
        let mut damaged = bytes.clone();
        let pos = pos % bytes.len();
        damaged[pos] ^= 1 << bit;
        proptest::prop_assert!(Classifier::from_bytes(&damaged, "fuzz").is_err());
    }
}

#[test]
fn training_stops_when_asked() {
    let (t, l) = (vec!["livro azul"; 10_000], vec!["livro"; 10_000]);
    let mut labels = l.clone();
    labels[1] = "jogo";
    let stopped = Classifier::train_until(&t, &labels, TrainOptions::default(), cols(), &|| true);
    assert!(matches!(stopped, Err(ModelError::Interrupted)));
}

#[test]
fn model_file_fuzz_seeds_load_or_fail_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/model_file");
    let mut loaded = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        if let Ok(model) = Classifier::from_bytes(&bytes, "seed") {
            let _ = model.predict("bola azul");
            loaded += 1;
        }
    }
    assert!(loaded >= 1, "the valid seed model should load");
}
