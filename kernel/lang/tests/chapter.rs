//! The chapter's cells, run against the real data set.
#![allow(clippy::result_large_err)]

use std::path::PathBuf;

use faisca_lang::{Config, Display, Emit, JobStatus, Session};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn session() -> Session {
    Session::new(Config {
        data_dir: Some(repo().join("data")),
        model_dir: Some(std::env::temp_dir().join(format!("faisca-model-{}", std::process::id()))),
        ..Config::default()
    })
}

#[derive(Debug)]
struct Ran {
    result: Option<Display>,
    emitted: Vec<Emit>,
}

impl Ran {
    fn text(&self) -> String {
        self.result
            .as_ref()
            .map(|d| d.text.clone())
            .unwrap_or_default()
    }
    fn shown(&self) -> String {
        self.emitted
            .iter()
            .map(|e| match e {
                Emit::Stdout(s) => s.clone(),
                Emit::Display(d) => d.text.clone(),
                Emit::Stderr(s) => s.clone(),
                Emit::Page(d) => d.text.clone(),
                Emit::ClearOutput(_) | Emit::Live { .. } => String::new(),
            })
            .collect()
    }
    fn html(&self) -> String {
        self.emitted
            .iter()
            .filter_map(|e| match e {
                Emit::Display(d) => d.html.clone(),
                _ => None,
            })
            .chain(self.result.iter().filter_map(|d| d.html.clone()))
            .collect()
    }
}

fn run(s: &mut Session, code: &str) -> Ran {
    try_run(s, code).unwrap_or_else(|e| panic!("cell failed:\n{code}\n{}", e.traceback.join("\n")))
}

fn try_run(s: &mut Session, code: &str) -> Result<Ran, faisca_lang::CellError> {
    let mut emitted = Vec::new();
    let result = s.execute(code, 1, &|| false, &mut |e| emitted.push(e))?;
    Ok(Ran { result, emitted })
}

/// Category counts computed without Polars, straight from the CSV text.
fn expected_counts() -> Vec<(String, i64)> {
    let text = std::fs::read_to_string(repo().join("data/produtos.csv")).unwrap();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut record = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ';' if !quoted => record.push(std::mem::take(&mut field)),
            '\n' if !quoted => {
                record.push(std::mem::take(&mut field));
                fields.push(std::mem::take(&mut record));
            }
            '\r' if !quoted => {}
            c => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        fields.push(record);
    }
    let mut counts = std::collections::BTreeMap::new();
    for r in &fields[1..] {
        *counts.entry(r[2].clone()).or_insert(0i64) += 1;
    }
    counts.into_iter().collect()
}

const READ: &str = r#"df_input = spark.read.option("delimiter", ';').option("header","true").csv("/data/produtos.csv")"#;

#[test]
fn chapter_pipeline_is_lazy_until_show() {
    let mut s = session();
    run(&mut s, READ);
    run(&mut s, "from pyspark.sql.functions import concat, lit");
    run(
        &mut s,
        r#"df_trans1 = df_input.withColumn("nova_coluna", concat(lit("Prefixo"),"descricao"))"#,
    );
    let r = run(
        &mut s,
        r#"df_trans2 = df_trans1.groupBy("categoria").count()
df_trans2"#,
    );
    assert_eq!(r.text(), "DataFrame[categoria: string, count: bigint]");
    assert_eq!(s.jobs().len(), 0, "transformations ran a job");

    let r = run(&mut s, "df_trans2.orderBy('categoria').show()");
    assert_eq!(s.jobs().len(), 1);
    let job = &s.jobs().snapshot()[0];
    assert_eq!(
        (job.action.as_str(), job.status),
        ("show", JobStatus::Succeeded)
    );
    assert!(!job.plan.is_empty());
    let grid = r.shown();
    for (category, count) in expected_counts() {
        let line = grid
            .lines()
            .find(|l| l.contains(&format!("|{category}|")) || l.contains(&format!(" {category}|")))
            .unwrap_or_else(|| panic!("{category} missing:\n{grid}"));
        assert!(line.ends_with(&format!("{count}|")), "{line} vs {count}");
    }
    assert_eq!(expected_counts().len(), 4);
    assert!(r.html().contains("<table"));
}

#[test]
fn views_and_sql() {
    let mut s = session();
    run(&mut s, READ);
    let r = run(&mut s, r#"spark.sql("show tables").show()"#);
    assert!(
        r.shown().contains("|namespace|tableName|isTemporary|"),
        "{}",
        r.shown()
    );
    run(
        &mut s,
        r#"df_trans2 = df_input.groupBy("categoria").count()
df_trans2.createTempView("trans2")"#,
    );
    let r = run(&mut s, "%%sql\nshow tables");
    assert!(r.text().contains("trans2"), "{}", r.text());
    let again = try_run(&mut s, r#"df_trans2.createTempView("trans2")"#).unwrap_err();
    assert_eq!(again.error.ename, "AnalysisException");
    assert!(
        again
            .error
            .message
            .contains("TEMP_TABLE_OR_VIEW_ALREADY_EXISTS")
    );
    run(&mut s, r#"df_trans2.createOrReplaceTempView("trans2")"#);
    let r = run(
        &mut s,
        "%%sql\nselect * from trans2 order by categoria limit 10",
    );
    assert_eq!(
        r.text().lines().filter(|l| l.starts_with('|')).count(),
        5,
        "{}",
        r.text()
    );
    let r = run(
        &mut s,
        "%%sql top <<\nselect categoria, count from trans2 where count > 1000",
    );
    assert!(r.text().contains("count"));
    let r = run(&mut s, "top.count()");
    assert!(r.text().parse::<i64>().unwrap() >= 1);
    let r = run(&mut s, "%show_tables");
    assert!(
        r.text()
            .contains("trans2: categoria: string, count: bigint"),
        "{}",
        r.text()
    );
    let missing = try_run(&mut s, "%%sql\nselect * from trans3").unwrap_err();
    assert_eq!(missing.error.ename, "AnalysisException");
    assert!(
        missing.traceback.join("\n").contains("trans2"),
        "{:?}",
        missing.traceback
    );
}

#[test]
fn test_frame_to_pandas_and_ids() {
    let mut s = session();
    run(
        &mut s,
        r#"df_teste = spark.createDataFrame([(1, "Figura Transformers Prime War Deluxe - E9687 - Hasbro"), (2, "Senhor dos aneis"), (3, "Senhor dos anéis")], ["id", "descricao"])"#,
    );
    let r = run(&mut s, "df_teste.toPandas()");
    let html = r.html();
    assert!(
        html.contains("Senhor dos anéis") && html.contains("3 rows × 2 columns"),
        "{html}"
    );
    run(&mut s, READ);
    run(
        &mut s,
        "from pyspark.sql.functions import monotonically_increasing_id",
    );
    run(
        &mut s,
        r#"df_input = df_input.select("descricao").withColumn("id", monotonically_increasing_id())"#,
    );
    let r = run(
        &mut s,
        "df_input.select('id').orderBy(col('id').desc()).first()",
    );
    assert_eq!(r.text(), "Row(id=4079)");
}

#[test]
fn write_replaces_output_only_when_complete() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("predicoes");
    let mut s = session();
    run(&mut s, READ);
    let path = out.display().to_string();
    run(
        &mut s,
        &format!("df_input.select('nome', 'categoria').write.mode('overwrite').csv({path:?})"),
    );
    let part = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "csv"))
            .unwrap()
    };
    assert!(out.join("_SUCCESS").exists());
    let text = std::fs::read_to_string(part(&out)).unwrap();
    let rows = run(&mut s, &format!("spark.read.csv({path:?}).count()"));
    assert_eq!(rows.text(), "4080", "{text:.200}");
    // Default mode refuses to overwrite.
    let err = try_run(&mut s, &format!("df_input.write.csv({path:?})")).unwrap_err();
    assert!(err.error.message.contains("PATH_ALREADY_EXISTS"));
    // A failing overwrite keeps the old output.
    let err = try_run(
        &mut s,
        &format!("df_input.select(col('preco').cast('int')).write.mode('overwrite').csv({path:?})"),
    );
    assert!(err.is_err());
    assert_eq!(std::fs::read_to_string(part(&out)).unwrap(), text);
    run(
        &mut s,
        &format!("df_input.limit(3).write.mode('append').option('header', True).csv({path:?})"),
    );
    let parts = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "csv")
        })
        .count();
    assert_eq!(parts, 2);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "staging left behind"
    );
}

#[test]
fn errors_keep_the_session() {
    let mut s = session();
    run(&mut s, READ);
    let err = try_run(&mut s, "df_input.select(col('nme'))").unwrap_err();
    assert_eq!(err.error.ename, "AnalysisException");
    let report = err.traceback.join("\n");
    assert!(report.contains("did you mean `nome`?"), "{report}");
    assert!(report.contains("^^^^^"), "{report}");
    let r = run(&mut s, "df_input.count()");
    assert_eq!(r.text(), "4080");
}

#[test]
fn classifier_in_the_notebook() {
    let mut s = session();
    run(&mut s, READ);
    run(
        &mut s,
        r#"dados = df_input.filter(col("descricao").isNotNull())
train, test = dados.randomSplit([0.8, 0.2], seed=10)
model = NaiveBayes(text=["nome", "descricao"], label="categoria").fit(train)"#,
    );
    let r = run(&mut s, "model.evaluate(test)");
    let acc: f64 = r.text().split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(acc > 0.95, "{}", r.text());
    run(&mut s, "model.save('/model/test.bin')");
    run(
        &mut s,
        r#"predict = load_model("/model/test.bin")
df_teste = spark.createDataFrame([(1, "Figura Transformers Prime War Deluxe - E9687 - Hasbro"), (2, "Senhor dos aneis"), (3, "Senhor dos anéis")], ["id", "descricao"])
df_predict = df_teste.withColumn("predict", predict("descricao"))"#,
    );
    let r = run(&mut s, "df_predict.select('predict').collect()");
    assert_eq!(
        r.text(),
        "[Row(predict='brinquedo'), Row(predict='livro'), Row(predict='livro')]"
    );
    let r = run(&mut s, "predict.explain('Senhor dos anéis')");
    assert!(r.shown().contains("livro"));
    let bad = try_run(&mut s, "load_model('/model/missing.bin')").unwrap_err();
    assert_eq!(bad.error.ename, "ModelLoadError");
}

#[test]
fn completion_inspection_and_readiness() {
    let mut s = session();
    run(&mut s, READ);
    run(&mut s, "df_input.createOrReplaceTempView('produtos')");
    let (m, start, end) = s.complete("df_input.sel", 12);
    assert!(
        m.contains(&"select".to_string()) && m.contains(&"selectExpr".to_string()),
        "{m:?}"
    );
    assert_eq!((start, end), (9, 12));
    let (m, _, _) = s.complete("df_input.select(col(\"des", 24);
    assert_eq!(m, ["descricao"]);
    let (m, _, _) = s.complete("df_in", 5);
    assert_eq!(m, ["df_input"]);
    let (m, _, _) = s.complete("%%sql\nselect * from prod", 24);
    assert_eq!(m, ["produtos"]);
    let (m, _, _) = s.complete("spark.re", 8);
    assert_eq!(m, ["read"]);
    let help = s.inspect("df_input", 3).unwrap();
    assert!(
        help.text.contains("descricao: string") && help.text.contains("plan"),
        "{}",
        help.text
    );
    use faisca_lang::Readiness::*;
    assert_eq!(s.readiness("df.select("), Incomplete);
    assert_eq!(s.readiness("df.select('a')"), Complete);
    assert_eq!(s.readiness("x = )"), Invalid);
    assert_eq!(s.readiness("%%sql\nselect 1"), Complete);
    assert_eq!(s.readiness("x = 1 + \\"), Incomplete);
}

#[test]
fn query_with_many_features() {
    let mut s = session();
    run(&mut s, READ);
    let r = run(
        &mut s,
        r#"from pyspark.sql.functions import when, upper, length, countDistinct, avg
stats = (df_input
    .withColumn("tem_desc", when(col("descricao").isNull(), "nao").otherwise("sim"))
    .withColumn("n", length("nome"))
    .groupBy("categoria", "tem_desc")
    .agg(count("*").alias("linhas"), avg("n").alias("media"), countDistinct("nome").alias("nomes"))
    .filter(col("linhas") > 100)
    .orderBy(col("categoria").asc(), col("linhas").desc()))
stats.select("categoria", "tem_desc", "linhas").collect()[0]"#,
    );
    assert!(
        r.text().starts_with("Row(categoria='brinquedo', tem_desc="),
        "{}",
        r.text()
    );
    let r = run(&mut s, "stats.count()");
    assert_eq!(r.text(), "8");
    let r = run(
        &mut s,
        "df_input.select(upper(col('categoria')).alias('c')).distinct().orderBy('c').collect()",
    );
    assert_eq!(
        r.text(),
        "[Row(c='BRINQUEDO'), Row(c='GAME'), Row(c='LIVRO'), Row(c='MAQUIAGEM')]"
    );
    let r = run(
        &mut s,
        "a = df_input.select('nome').limit(2)\na.union(a).count()",
    );
    assert_eq!(r.text(), "4");
    let semi: i64 = run(
        &mut s,
        "df_input.join(df_input.select('nome').limit(5), on='nome', how='semi').count()",
    )
    .text()
    .parse()
    .unwrap();
    let anti: i64 = run(
        &mut s,
        "df_input.join(df_input.select('nome').limit(5), on='nome', how='anti').count()",
    )
    .text()
    .parse()
    .unwrap();
    assert!(semi >= 5);
    assert_eq!(semi + anti, 4080);
    let r = run(&mut s, "df_input.filter(\"categoria = 'livro'\").count()");
    assert_eq!(r.text(), "1020");
    let r = run(
        &mut s,
        "spark.range(3).select(col('id').cast('string').alias('s'), col('id').cast(DoubleType()).alias('d')).dtypes",
    );
    assert_eq!(r.text(), "[('s', 'string'), ('d', 'double')]");
}

#[test]
fn error_reports() {
    let mut s = session();
    run(&mut s, READ);
    let cases = [
        "df_input.select(col('nme'))",
        "df_input.groupBy('categria').count()",
        "df_input.selct('nome')",
        "df_input.withColumn('x', 'nome')",
        "df_inptu.count()",
        "spark.read.csv('/data/produto.csv')",
        "spark.table('trans2')",
        "x = [1, 2\ny = 3",
        "for r in df_input:\n    print(r)",
        "while df_input.categoria == 'livro':\n    pass",
        "import numpy as np",
        "%%sql\nselect * from nada",
        "%sql_tables",
        "df_input.show(truncate='sim')",
    ];
    let mut out = String::new();
    for code in cases {
        let e = try_run(&mut s, code).unwrap_err();
        out.push_str(&format!(">>> {code}\n{}\n\n", e.traceback.join("\n")));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn the_chapters_setup_cells_run_unchanged() {
    let mut s = session();
    run(
        &mut s,
        r#"import findspark
findspark.init()
from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[*]").appName("produtos").config("spark.ui.port", "4040").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")"#,
    );
    let r = run(&mut s, "spark.range(3).count()");
    assert_eq!(r.text(), "3");
}

#[test]
fn when_chains_take_the_first_matching_branch() {
    let mut s = session();
    let r = run(
        &mut s,
        r#"df = spark.createDataFrame([(1,), (5,), (9,)], ["n"])
df.select(when(col("n") < 3, "low").when(col("n") < 7, "mid").otherwise("high").alias("b")).collect()"#,
    );
    assert_eq!(r.text(), "[Row(b='low'), Row(b='mid'), Row(b='high')]");
    let r = run(
        &mut s,
        r#"df.select(when(col("n") > 4, "big").alias("b")).collect()"#,
    );
    assert_eq!(r.text(), "[Row(b=None), Row(b='big'), Row(b='big')]");
}
