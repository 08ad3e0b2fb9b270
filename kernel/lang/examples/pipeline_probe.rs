//! Times the chapter pipeline's pieces in-process (no kernel), to compare with Python Polars.
//!
//!     cargo run --release -p faisca-lang --example pipeline_probe -- produtos.csv

use std::time::Instant;

use polars::prelude::*;

fn scan(path: &str) -> LazyFrame {
    LazyCsvReader::new(PlRefPath::new(path))
        .with_separator(b';')
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .finish()
        .unwrap()
}

fn time(label: &str, lf: LazyFrame) {
    for engine in [Engine::Streaming, Engine::InMemory] {
        let t0 = Instant::now();
        let df = lf
            .clone()
            .collect_with_engine(engine)
            .unwrap()
            .unwrap_single();
        println!(
            "{label:<28} {engine:?}: {:>8.1} ms ({} rows)",
            t0.elapsed().as_secs_f64() * 1e3,
            df.height()
        );
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: pipeline_probe CSV");
    let nova = concat_str([lit("Prefixo"), col("descricao")], "", false).alias("nova_coluna");
    for _ in 0..2 {
        time("count rows", scan(&path).select([len()]));
        time("read all columns", scan(&path));
        time(
            "group by categoria",
            scan(&path).group_by([col("categoria")]).agg([len()]),
        );
        time(
            "concat + group by",
            scan(&path)
                .with_column(nova.clone())
                .group_by([col("categoria")])
                .agg([len()]),
        );
    }
}
