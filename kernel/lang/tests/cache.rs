//! Caching as Spark: the mark is on the DataFrame itself, the first action materialises
//! it, later ones (and frames built on it, and SQL over its view) read the rows kept
//! instead of the file; unpersist and UNCACHE go back to reading the file.
#![allow(clippy::result_large_err)]

use std::io::Write;

use faisca_lang::{Config, Session};

fn run(s: &mut Session, code: &str) -> String {
    match s.execute(code, 1, &|| false, &mut |_| {}) {
        Ok(d) => d.map(|d| d.text).unwrap_or_default(),
        Err(e) => panic!("{code}\n{}", e.traceback.join("\n")),
    }
}

fn error(s: &mut Session, code: &str) -> String {
    match s.execute(code, 1, &|| false, &mut |_| {}) {
        Ok(_) => panic!("{code} ran"),
        Err(e) => e.error.ename,
    }
}

fn csv(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    let path = dir.join("t.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, "id,cat").unwrap();
    for i in 0..rows {
        writeln!(f, "{i},c{}", i % 3).unwrap();
    }
    path
}

/// A CSV of `rows` rows in a folder of its own (so `rewrite` can stage beside it).
fn fixture(rows: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("d");
    std::fs::create_dir(&dir).unwrap();
    let path = csv(&dir, rows);
    (root, path)
}

/// Replaces the file's rows, keeping its name: a cached read does not see the change.
fn rewrite(path: &std::path::Path, rows: usize) {
    let dir = path.parent().unwrap();
    let tmp = csv(&dir.join(".."), rows);
    std::fs::rename(tmp, path).unwrap();
}

#[test]
fn cache_marks_the_dataframe_itself_and_later_actions_reuse_the_rows() {
    let (root, path) = fixture(30);
    let mut s = Session::new(Config::default());
    run(
        &mut s,
        &format!(
            "df = spark.read.csv({:?}, header=True)",
            path.display().to_string()
        ),
    );
    assert_eq!(run(&mut s, "df.is_cached"), "False");
    // Not reassigned: Spark marks df itself.
    run(&mut s, "df.cache()");
    assert_eq!(run(&mut s, "df.is_cached"), "True");
    assert_eq!(run(&mut s, "df.count()"), "30");
    rewrite(&path, 12);
    // Cached: the count, a frame built on it and SQL over its view see the kept rows.
    assert_eq!(run(&mut s, "df.count()"), "30");
    assert_eq!(run(&mut s, "df.filter(\"cat = 'c0'\").count()"), "10");
    run(&mut s, "df.createOrReplaceTempView('t')");
    assert_eq!(
        run(&mut s, "spark.sql('SELECT count(*) AS n FROM t').collect()"),
        "[Row(n=30)]"
    );
    let storage = s.cache().snapshot();
    assert_eq!(storage.len(), 1);
    assert_eq!(storage[0].materialised.map(|m| m.0), Some(30));
    assert_eq!(storage[0].level, "MEMORY_AND_DISK_DESER");
    // A write of the cached DataFrame writes the kept rows.
    let out = root.path().join("out");
    run(
        &mut s,
        &format!("df.write.csv({:?}, header=True)", out.display().to_string()),
    );
    assert_eq!(
        run(
            &mut s,
            &format!(
                "spark.read.csv({:?}, header=True).count()",
                out.display().to_string()
            )
        ),
        "30"
    );
    // Unpersisted: back to the file.
    run(&mut s, "df.unpersist()");
    assert_eq!(run(&mut s, "df.is_cached"), "False");
    assert_eq!(run(&mut s, "df.count()"), "12");
    assert!(s.cache().snapshot().is_empty());
}

#[test]
fn frames_derived_after_cache_materialise_it_on_their_first_action() {
    let (_root, path) = fixture(9);
    let mut s = Session::new(Config::default());
    run(
        &mut s,
        &format!(
            "df = spark.read.csv({:?}, header=True).cache()",
            path.display().to_string()
        ),
    );
    assert_eq!(run(&mut s, "df.groupBy('cat').count().count()"), "3");
    assert_eq!(s.cache().snapshot()[0].materialised.map(|m| m.0), Some(9));
    rewrite(&path, 3);
    assert_eq!(run(&mut s, "df.count()"), "9");
}

#[test]
fn tables_cache_through_the_catalog_and_sql() {
    let (_root, path) = fixture(6);
    let mut s = Session::new(Config::default());
    run(
        &mut s,
        &format!(
            "spark.read.csv({:?}, header=True).createOrReplaceTempView('Produtos')",
            path.display().to_string()
        ),
    );
    assert_eq!(run(&mut s, "spark.catalog.isCached('produtos')"), "False");
    // Eager: CACHE TABLE reads the file now.
    run(&mut s, "spark.sql('CACHE TABLE produtos')");
    assert_eq!(run(&mut s, "spark.catalog.isCached('Produtos')"), "True");
    assert_eq!(s.cache().snapshot()[0].materialised.map(|m| m.0), Some(6));
    rewrite(&path, 2);
    assert_eq!(run(&mut s, "spark.table('produtos').count()"), "6");
    run(&mut s, "spark.sql('UNCACHE TABLE produtos')");
    assert_eq!(run(&mut s, "spark.table('produtos').count()"), "2");
    // Lazy: nothing read until a query needs it.
    run(&mut s, "spark.sql('CACHE LAZY TABLE produtos')");
    assert_eq!(s.cache().snapshot()[0].materialised, None);
    run(&mut s, "spark.catalog.uncacheTable('produtos')");
    run(&mut s, "spark.catalog.cacheTable('produtos')");
    assert_eq!(run(&mut s, "spark.catalog.isCached('produtos')"), "True");
    run(&mut s, "spark.catalog.clearCache()");
    assert_eq!(run(&mut s, "spark.catalog.isCached('produtos')"), "False");
    assert!(s.cache().snapshot().is_empty());
    run(&mut s, "spark.sql('UNCACHE TABLE IF EXISTS nada')");
    assert_eq!(
        error(&mut s, "spark.sql('UNCACHE TABLE nada')"),
        "AnalysisException"
    );
    assert_eq!(
        error(&mut s, "spark.catalog.cacheTable('nada')"),
        "AnalysisException"
    );
    assert_eq!(
        error(&mut s, "spark.sql('CACHE TABLE x AS SELECT 1')"),
        "ParseException"
    );
}
