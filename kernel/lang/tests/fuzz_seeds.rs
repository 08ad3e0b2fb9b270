//! The fuzz targets' seeds and every crash they found, replayed on the ordinary build
//! (kernel/fuzz/seeds/<target>/): `cell_parse` and `read_files` need an instrumented Polars
//! to fuzz, so their regressions are checked here on every test run.
#![allow(clippy::result_large_err)]

use std::path::PathBuf;

use faisca_lang::{Config, Session};

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files
}

#[test]
fn cell_parse_seeds_parse_or_fail_cleanly() {
    let session = Session::new(Config::default());
    for file in seeds("cell_parse") {
        let bytes = std::fs::read(&file).unwrap();
        if let Ok(code) = std::str::from_utf8(&bytes) {
            let _ = faisca_lang::syntax::parser::parse(code);
            let _ = session.readiness(code);
        }
    }
}

#[test]
fn read_files_seeds_read_or_fail_cleanly() {
    // The kernel's interpreter thread has a large stack; so does this one.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let mut s = Session::new(Config::default());
            for file in seeds("read_files") {
                let dir = tempfile::tempdir().unwrap();
                let (csv, json) = (dir.path().join("f.csv"), dir.path().join("f.json"));
                std::fs::copy(&file, &csv).unwrap();
                std::fs::copy(&file, &json).unwrap();
                for code in [
                    format!("spark.read.csv({:?}).collect()", csv.display().to_string()),
                    format!(
                        "spark.read.option('header', 'true').csv({:?}).show()",
                        csv.display().to_string()
                    ),
                    format!(
                        "spark.read.json({:?}).collect()",
                        json.display().to_string()
                    ),
                ] {
                    let _ = s.execute(&code, 1, &|| false, &mut |_| {});
                }
            }
        })
        .unwrap()
        .join()
        .unwrap();
}
