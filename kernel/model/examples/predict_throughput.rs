//! Predict throughput for the benchmark script: loads a model and a file of texts separated
//! by NUL bytes, predicts them single-threaded and on all cores, prints JSON.
//!
//!     cargo run --release -p faisca-model --example predict_throughput -- MODEL TEXTS

use std::time::Instant;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, model, texts] = args.as_slice() else {
        eprintln!("usage: predict_throughput MODEL TEXTS");
        std::process::exit(2);
    };
    let model = faisca_model::Classifier::load(std::path::Path::new(model)).expect("model");
    let bytes = std::fs::read(texts).expect("texts");
    let text = String::from_utf8(bytes).expect("utf-8");
    let rows: Vec<Option<&str>> = text
        .split('\0')
        .filter(|t| !t.is_empty())
        .map(Some)
        .collect();
    let time = |parallel: bool| {
        let t0 = Instant::now();
        let out = model.predict_batch(&rows, parallel);
        let secs = t0.elapsed().as_secs_f64();
        (out, secs)
    };
    let (single_out, single) = time(false);
    let (parallel_out, parallel) = time(true);
    assert_eq!(
        single_out, parallel_out,
        "parallel and serial predictions differ"
    );
    let mut counts = vec![0usize; model.labels().len()];
    for p in single_out.iter().flatten() {
        counts[*p as usize] += 1;
    }
    println!(
        "{{\"rows\": {}, \"single_s\": {single:.4}, \"parallel_s\": {parallel:.4}, \"threads\": {}, \"peak_rss_mib\": {:.1}, \"labels\": {:?}, \"counts\": {:?}}}",
        rows.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        peak_rss_mib(),
        model.labels(),
        counts
    );
}
