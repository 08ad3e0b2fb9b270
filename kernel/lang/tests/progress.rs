//! Live progress: a slow action shows a line that updates in place and ends as a summary;
//! a fast one shows nothing.
#![allow(clippy::result_large_err)]

use std::io::Write;

use faisca_lang::{Config, Emit, Session};

/// A CSV big enough that counting it takes well over half a second in a test build.
fn big_csv(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    let path = dir.join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "id,descricao,categoria").unwrap();
    for i in 0..rows {
        writeln!(
            f,
            "{i},produto numero {i} com uma descricao longa o bastante,cat{}",
            i % 13
        )
        .unwrap();
    }
    path
}

fn execute(s: &mut Session, code: &str) -> Vec<Emit> {
    let mut emitted = Vec::new();
    s.execute(code, 1, &|| false, &mut |e| emitted.push(e))
        .unwrap_or_else(|e| panic!("{code}\n{}", e.traceback.join("\n")));
    emitted
}

#[test]
fn a_slow_action_shows_live_progress_then_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_csv(dir.path(), 2_500_000);
    let size = std::fs::metadata(&path).unwrap().len();
    let mut s = Session::new(Config::default());
    let code = format!(
        "df = spark.read.csv({:?}, header=True)\ndf.groupBy('categoria').count().collect()",
        path.display().to_string()
    );
    let emitted = execute(&mut s, &code);
    let live: Vec<(&String, &faisca_lang::Display, bool)> = emitted
        .iter()
        .filter_map(|e| match e {
            Emit::Live { id, display, first } => Some((id, display, *first)),
            _ => None,
        })
        .collect();
    assert!(live.len() >= 2, "a line and its summary: {emitted:?}");
    let (id, first_line, first) = live[0];
    assert!(first, "the first showing is a display, not an update");
    assert!(
        first_line.text.contains("of ") && first_line.text.contains(" read"),
        "{}",
        first_line.text
    );
    assert!(
        live[1..].iter().all(|(i, _, f)| *i == id && !f),
        "later ones update the same line"
    );
    let (_, summary, _) = live.last().unwrap();
    assert!(summary.text.contains("13 rows ·"), "{}", summary.text);
    // The job log carries what the page shows: the input size, and bytes read > 0.
    let job = s.jobs().snapshot().last().cloned().unwrap();
    assert_eq!(job.bytes_total, Some(size));
    assert!(job.bytes_read.unwrap_or(0) > 0, "{job:?}");
    // The bar only moves forward.
    let percents: Vec<u32> = live[..live.len() - 1]
        .iter()
        .map(|(_, d, _)| {
            d.text
                .rsplit(' ')
                .next()
                .unwrap()
                .trim_end_matches('%')
                .parse()
                .unwrap()
        })
        .collect();
    assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{percents:?}");
}

#[test]
fn a_fast_action_shows_no_progress() {
    let mut s = Session::new(Config::default());
    let emitted = execute(&mut s, "spark.range(10).count()");
    assert!(
        !emitted.iter().any(|e| matches!(e, Emit::Live { .. })),
        "{emitted:?}"
    );
}
