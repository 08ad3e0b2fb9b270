//! API behaviour the registry made possible: arguments honoured or refused, never ignored.
#![allow(clippy::result_large_err)]

use std::path::PathBuf;

use faisca_lang::{CellError, Config, Display, Emit, Session};

fn session() -> Session {
    let mut s = Session::new(Config {
        data_dir: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")),
        ..Config::default()
    });
    run(
        &mut s,
        r#"df = spark.createDataFrame([(1, None, "a"), (None, 2.5, None), (3, None, None)], "a int, b double, s string")"#,
    );
    s
}

fn try_run(s: &mut Session, code: &str) -> Result<(Option<Display>, Vec<Emit>), CellError> {
    let mut emitted = Vec::new();
    let result = s.execute(code, 1, &|| false, &mut |e| emitted.push(e))?;
    Ok((result, emitted))
}

fn run(s: &mut Session, code: &str) -> String {
    match try_run(s, code) {
        Ok((result, _)) => result.map(|d| d.text).unwrap_or_default(),
        Err(e) => panic!("{code}\n{}", e.traceback.join("\n")),
    }
}

fn error(s: &mut Session, code: &str) -> (String, String) {
    let e = try_run(s, code)
        .err()
        .unwrap_or_else(|| panic!("{code} ran"));
    (e.error.ename, e.error.message)
}

#[test]
fn fillna_honours_subset_and_types() {
    let mut s = session();
    assert_eq!(
        run(&mut s, "df.fillna(0, subset=['a']).collect()"),
        "[Row(a=1, b=None, s='a'), Row(a=0, b=2.5, s=None), Row(a=3, b=None, s=None)]"
    );
    assert_eq!(
        run(&mut s, "df.na.fill('x').select('s').collect()"),
        "[Row(s='a'), Row(s='x'), Row(s='x')]"
    );
    let (ename, message) = error(&mut s, "df.fillna(0, subset=['nope'])");
    assert_eq!(ename, "AnalysisException", "{message}");
}

#[test]
fn dropna_how_thresh_and_subset() {
    let mut s = session();
    assert_eq!(run(&mut s, "df.dropna().count()"), "0");
    assert_eq!(
        run(&mut s, "df.dropna(how='all', subset=['b', 's']).count()"),
        "2"
    );
    assert_eq!(run(&mut s, "df.na.drop(thresh=2).count()"), "1");
    assert_eq!(
        error(&mut s, "df.dropna(how='some')").0,
        "IllegalArgumentException"
    );
}

#[test]
fn a_bad_save_mode_is_refused_wherever_it_is_given() {
    let mut s = session();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out");
    for code in [
        format!(
            "df.write.csv({:?}, mode='bogus')",
            path.display().to_string()
        ),
        "df.write.mode('bogus')".to_string(),
    ] {
        let (ename, message) = error(&mut s, &code);
        assert_eq!(ename, "IllegalArgumentException", "{code}");
        assert!(message.contains("bogus"), "{message}");
    }
    assert!(!path.exists());
}

#[test]
fn append_never_replaces_a_plain_file() {
    let mut s = session();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.csv");
    std::fs::write(&file, "keep me").unwrap();
    let code = format!(
        "df.write.mode('append').csv({:?})",
        file.display().to_string()
    );
    assert_eq!(error(&mut s, &code).0, "AnalysisException");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn completion_offers_what_runs_on_that_object() {
    let s = session();
    let (m, _, _) = s.complete("df.wi", 5);
    assert_eq!(
        m,
        [
            "withColumn",
            "withColumnRenamed",
            "withColumns",
            "withColumnsRenamed"
        ]
    );
    let (m, _, _) = s.complete("df.na.", 6);
    assert_eq!(m, ["drop", "fill", "replace"]);
    let (m, _, _) = s.complete("spark.read.", 11);
    assert!(
        m.contains(&"csv".to_string()) && !m.contains(&"select".to_string()),
        "{m:?}"
    );
}

#[test]
fn unknown_options_are_reported_not_ignored() {
    let mut s = session();
    let (_, emitted) = try_run(&mut s, "r = spark.read.option('heder', 'true')").unwrap();
    assert!(
        emitted
            .iter()
            .any(|e| matches!(e, Emit::Stderr(t) if t.contains("'heder' has no effect"))),
        "{emitted:?}"
    );
}

#[test]
fn imports_name_what_exists() {
    let mut s = session();
    run(
        &mut s,
        "from pyspark.sql import functions as F\nimport pyspark.sql.types as T",
    );
    assert_eq!(run(&mut s, "F.upper(F.col('s'))"), "Column<'upper(s)'>");
    assert_eq!(run(&mut s, "T.IntegerType()"), "IntegerType()");
    let (ename, message) = error(&mut s, "from pyspark.sql.functions import uper");
    assert_eq!(
        (ename.as_str(), message.as_str()),
        (
            "ImportError",
            "cannot import name 'uper' from 'pyspark.sql.functions'"
        )
    );
    let e = try_run(&mut s, "from pyspark.sql.functions import uper")
        .err()
        .unwrap();
    assert_eq!(e.error.hint.as_deref(), Some("did you mean `upper`?"));
    assert_eq!(error(&mut s, "F.nope").0, "AttributeError");
}

#[test]
fn help_shows_the_signature_in_the_pager() {
    let mut s = session();
    let (_, emitted) = try_run(&mut s, "help(df.withColumn)").unwrap();
    let Some(Emit::Page(page)) = emitted.first() else {
        panic!("{emitted:?}")
    };
    assert!(
        page.text
            .starts_with("DataFrame.withColumn(colName: str, col: Column)"),
        "{}",
        page.text
    );
}

#[test]
fn shift_tab_inside_a_call_shows_the_callee() {
    let s = session();
    let code = "df.withColumn('x', upper(";
    let help = s.inspect(code, code.len()).expect("help for upper");
    assert!(
        help.text.contains("upper(col: ColumnOrName)"),
        "{}",
        help.text
    );
    let code = "df.withColumn('x', ";
    let help = s.inspect(code, code.len()).expect("help for withColumn");
    assert!(
        help.text.starts_with("DataFrame.withColumn("),
        "{}",
        help.text
    );
}

#[test]
fn sampling_is_repeatable_by_seed() {
    let mut s = session();
    run(&mut s, "r = spark.range(1000)");
    let a = run(&mut s, "r.sample(0.3, seed=7).count()");
    assert_eq!(a, run(&mut s, "r.sample(fraction=0.3, seed=7).count()"));
    let n: i64 = a.parse().unwrap();
    assert!((200..400).contains(&n), "{n}");
    assert_eq!(error(&mut s, "r.sample(True, 0.5)").0, "NotSupportedError");
}

#[test]
fn views_are_case_insensitive_and_sizes_do_not_wrap() {
    let mut s = session();
    run(&mut s, "df.createOrReplaceTempView('TableA')");
    assert_eq!(run(&mut s, "spark.table('tablea').count()"), "3");
    assert_eq!(run(&mut s, "df.limit(2**32).count()"), "3");
    assert_eq!(error(&mut s, "x = 'ab' * 10**12").0, "MemoryError");
}

#[test]
fn every_call_is_recorded_as_an_engine_neutral_plan() {
    let mut s = session();
    let code = "g = df.filter(col('a') > 1).select(upper('s').alias('u'), 'a')\ng.explain()";
    let (_, emitted) = try_run(&mut s, code).unwrap();
    let text: String = emitted
        .iter()
        .filter_map(|e| match e {
            Emit::Stdout(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    let calls = text
        .split("== Calls (engine-neutral) ==\n")
        .nth(1)
        .expect(&text);
    assert!(
        calls.starts_with("spark.createDataFrame(data=[(1, None, 'a'), "),
        "{calls}"
    );
    assert!(
        calls.trim_end().ends_with(
            ".filter(condition=(col(col='a') > 1)).select(cols=upper(col='s').alias(alias='u'), cols='a')"
        ),
        "{calls}"
    );
    let (_, emitted) = try_run(&mut s, "df.groupBy('a').count().explain()").unwrap();
    let shown = format!("{emitted:?}");
    assert!(shown.contains(".groupBy(cols='a').count()"), "{shown}");
}

#[test]
fn deep_nesting_is_an_error_or_works_never_a_crash() {
    // The kernel runs cells on a thread with a 256 MiB stack; so does this test.
    let worker = std::thread::Builder::new().stack_size(256 << 20).spawn(|| {
        let mut s = session();
        run(&mut s, &format!("x = 1{}", " + 1".repeat(351)));
        assert_eq!(run(&mut s, "x"), "352");
        let aliases = format!("c = col('a'){}\nc", ".alias('b')".repeat(175));
        assert_eq!(run(&mut s, &aliases), "Column<'b'>");
        for deep in [
            format!("{}1{}", "(".repeat(1141), ")".repeat(1141)),
            format!("{}{}", "[".repeat(224), "]".repeat(224)),
            format!("x = 1{}", " + 1".repeat(5000)),
            format!("x = {}1", "-".repeat(500)),
        ] {
            let (ename, message) = error(&mut s, &deep);
            assert_eq!(ename, "ParseException", "{message}");
            assert!(message.contains("more than"), "{message}");
        }
        run(&mut s, "df.createOrReplaceTempView('v')");
        let ors = vec!["a = 1"; 1224].join(" or ");
        let sql = run(&mut s, &format!("%%sql\nselect a from v where {ors}"));
        assert!(sql.contains("|1  |"), "{sql}");
        let exprs: Vec<String> = (0..1224).map(|i| format!("'a + {i} as c{i}'")).collect();
        let code = format!("len(df.selectExpr({}).columns)", exprs.join(", "));
        assert_eq!(run(&mut s, &code), "1224");
        let open = "(".repeat(2000);
        assert_eq!(s.readiness(&open), faisca_lang::Readiness::Incomplete);
        assert_eq!(run(&mut s, "x"), "352");
    });
    worker.unwrap().join().unwrap();
}

#[test]
fn model_save_refuses_an_existing_path_unless_overwrite_is_asked() {
    let mut s = session();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("precious.csv");
    std::fs::write(&csv, "id,name\n1,a\n").unwrap();
    run(
        &mut s,
        r#"train = spark.createDataFrame([("bola azul", "brinquedo"), ("livro de contos", "livro"), ("bola verde", "brinquedo"), ("livro azul", "livro")], ["t", "c"])
m = NaiveBayes(text="t", label="c").fit(train)"#,
    );
    let path = csv.display().to_string();
    let (ename, message) = error(&mut s, &format!("m.save({path:?})"));
    assert_eq!(ename, "IOException");
    assert!(message.contains("already exists"), "{message}");
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "id,name\n1,a\n");
    // A directory is never replaced, even with overwrite().
    let folder = dir.path().display().to_string();
    let (ename, _) = error(&mut s, &format!("m.write().overwrite().save({folder:?})"));
    assert_eq!(ename, "IOException");
    assert!(csv.exists());
    // Spark's way to replace it.
    run(&mut s, &format!("m.write().overwrite().save({path:?})"));
    assert!(run(&mut s, &format!("load_model({path:?})")).contains("NaiveBayesModel"));
    let fresh = dir.path().join("new.bin").display().to_string();
    run(&mut s, &format!("m.save({fresh:?})"));
}

#[test]
fn a_fifo_is_refused_never_read() {
    let mut s = session();
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let path = fifo.display().to_string();
    let (ename, message) = error(&mut s, &format!("spark.read.csv({path:?}).count()"));
    assert_eq!(ename, "AnalysisException");
    assert!(message.contains("not a regular file"), "{message}");
    let (ename, message) = error(&mut s, &format!("load_model({path:?})"));
    assert_eq!(ename, "ModelLoadError");
    assert!(message.contains("not a regular file"), "{message}");
    // A folder whose part file is a FIFO.
    let folder = dir.path().join("out");
    std::fs::create_dir(&folder).unwrap();
    std::fs::rename(&fifo, folder.join("part-0.csv")).unwrap();
    let path = folder.display().to_string();
    let (ename, _) = error(&mut s, &format!("spark.read.csv({path:?}).count()"));
    assert_eq!(ename, "AnalysisException");
}

#[test]
fn a_large_file_that_is_not_a_model_is_refused_by_its_first_bytes() {
    let mut s = session();
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.bin");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(8 << 30).unwrap(); // 8 GiB, sparse: reading it whole would take long
    let started = std::time::Instant::now();
    let (ename, message) = error(
        &mut s,
        &format!("load_model({:?})", big.display().to_string()),
    );
    assert_eq!(ename, "ModelLoadError");
    assert!(message.contains("not a Faísca model file"), "{message}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn loading_and_training_stop_when_interrupted() {
    let mut s = session();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.bin").display().to_string();
    run(
        &mut s,
        &format!(
            r#"train = spark.createDataFrame([("bola azul", "brinquedo"), ("livro de contos", "livro")], ["t", "c"])
est = NaiveBayes(text="t", label="c")
est.fit(train).save({path:?})"#
        ),
    );
    for cell in [
        format!("m = load_model({path:?})"),
        "m = est.fit(train)".to_string(),
    ] {
        let mut emitted = Vec::new();
        let e = s
            .execute(&cell, 1, &|| true, &mut |e| emitted.push(e))
            .err()
            .unwrap_or_else(|| panic!("{cell} ran despite the interrupt"));
        assert_eq!(e.error.ename, "KeyboardInterrupt", "{cell}");
    }
    assert!(run(&mut s, "est").contains("NaiveBayes"), "variables kept");
}

/// Spark's answers for the array, math, character and aggregate families (values from
/// PySpark 4.3's docstrings).
#[test]
fn function_families_give_sparks_answers() {
    let mut s = session();
    let shown = |s: &mut Session, code: &str| {
        let (_, emitted) =
            try_run(s, code).unwrap_or_else(|e| panic!("{code}\n{}", e.traceback.join("\n")));
        emitted
            .iter()
            .filter_map(|e| match e {
                Emit::Display(d) => Some(d.text.clone()),
                Emit::Stdout(t) => Some(t.clone()),
                _ => None,
            })
            .collect::<String>()
    };
    run(&mut s, "from pyspark.sql import functions as sf");
    run(
        &mut s,
        "arr = spark.createDataFrame([([2, 1, None, 3],), (None,)], ['data'])",
    );
    assert_eq!(
        shown(
            &mut s,
            "arr.select(sf.sort_array(arr.data), sf.sort_array('data', asc=False)).show()"
        ),
        "+----------------------+-----------------------+\n|sort_array(data, true)|sort_array(data, false)|\n+----------------------+-----------------------+\n|       [NULL, 1, 2, 3]|        [3, 2, 1, NULL]|\n|                  NULL|                   NULL|\n+----------------------+-----------------------+\n"
    );
    assert_eq!(
        run(
            &mut s,
            "arr.select(sf.size('data'), sf.array_max('data'), sf.element_at('data', -1), sf.element_at('data', 9), sf.array_contains('data', 3)).first()"
        ),
        "Row(size(data)=4, array_max(data)=3, element_at(data, -1)=3, element_at(data, 9)=None, array_contains(data, 3)=True)"
    );
    assert_eq!(
        run(
            &mut s,
            "spark.createDataFrame([(['a', None, 'c'],)], ['d']).select(sf.array_join('d', ','), sf.array_join('d', '-', 'NULL')).first()"
        ),
        "Row(array_join(d, ,)='a,c', array_join(d, -, NULL)='a-NULL-c')"
    );
    assert_eq!(
        run(
            &mut s,
            "spark.createDataFrame([('Alice', 'doctor')], ('name', 'job')).select(sf.array('name', 'job')).first()"
        ),
        "Row(array(name, job)=['Alice', 'doctor'])"
    );
    assert_eq!(
        error(&mut s, "arr.select(sf.element_at('data', 0)).collect()").0,
        "SparkRuntimeException"
    );
    // Math: Spark's names and its nulls for logarithms of non-positive values.
    assert_eq!(
        run(
            &mut s,
            "spark.createDataFrame([(4.0,), (-1.0,)], ['v']).select(sf.sqrt('v'), sf.ln('v'), sf.floor('v'), sf.pow('v', 2)).collect()"
        ),
        "[Row(SQRT(v)=2.0, ln(v)=1.3862943611198906, FLOOR(v)=4, POWER(v, 2)=16.0), Row(SQRT(v)=nan, ln(v)=None, FLOOR(v)=-1, POWER(v, 2)=1.0)]"
    );
    // Characters: padding cuts, positions are 1-based, 0 when absent.
    assert_eq!(
        run(
            &mut s,
            "spark.createDataFrame([('abcd',), (None,)], ['s']).select(sf.lpad('s', 6, '#'), sf.rpad('s', 2, '#'), sf.instr('s', 'c'), sf.instr('s', 'z'), sf.initcap(sf.lit('hello wORLD')), sf.repeat('s', 2)).first()"
        ),
        "Row(lpad(s, 6, #)='##abcd', rpad(s, 2, #)='ab', instr(s, c)=3, instr(s, z)=0, initcap(hello wORLD)='Hello World', repeat(s, 2)='abcdabcd')"
    );
    // Aggregates.
    run(
        &mut s,
        "g = spark.createDataFrame([('a', 1), ('a', 2), ('a', 2), ('b', None)], ['k', 'v'])",
    );
    assert_eq!(
        run(
            &mut s,
            "g.groupBy('k').agg(sf.collect_list('v'), sf.collect_set('v'), sf.first('v'), sf.sum_distinct('v'), sf.max_by('k', 'v')).orderBy('k').collect()"
        ),
        "[Row(k='a', collect_list(v)=[1, 2, 2], collect_set(v)=[1, 2], first(v)=1, sum(DISTINCT v)=3, max_by(k, v)='a'), Row(k='b', collect_list(v)=[], collect_set(v)=[], first(v)=None, sum(DISTINCT v)=None, max_by(k, v)=None)]"
    );
    assert_eq!(
        run(
            &mut s,
            "spark.range(6).select(sf.stddev('id'), sf.var_pop('id'), sf.count_if(sf.col('id') > 3)).first()"
        ),
        "Row(stddev(id)=1.8708286933869707, var_pop(id)=2.9166666666666665, count_if((id > 3))=2)"
    );
}

/// Windows as Spark computes them: nulls ranked first ascending, running aggregates over
/// the default RANGE frame shared by ties, ROWS frames, whole partitions.
#[test]
fn windows_rank_shift_and_run_as_spark() {
    let mut s = session();
    run(
        &mut s,
        "from pyspark.sql import Window\nfrom pyspark.sql import functions as sf",
    );
    run(
        &mut s,
        "w_df = spark.createDataFrame([('a', 1), ('a', 2), ('a', 2), ('a', 5), ('b', 3), ('b', None)], ['k', 'v'])\nw = Window.partitionBy('k').orderBy('v')",
    );
    let rows = run(
        &mut s,
        "w_df.select('k', 'v', sf.row_number().over(w).alias('rn'), sf.rank().over(w).alias('r'), sf.dense_rank().over(w).alias('dr'), sf.lag('v').over(w).alias('lag'), sf.lead('v', 1, 0).over(w).alias('lead'), sf.sum('v').over(w).alias('run'), sf.sum('v').over(Window.partitionBy('k')).alias('tot'), sf.ntile(2).over(w).alias('nt')).orderBy('k', 'rn').collect()",
    );
    assert_eq!(
        rows,
        "[Row(k='a', v=1, rn=1, r=1, dr=1, lag=None, lead=2, run=1, tot=10, nt=1), \
Row(k='a', v=2, rn=2, r=2, dr=2, lag=1, lead=2, run=5, tot=10, nt=1), \
Row(k='a', v=2, rn=3, r=2, dr=2, lag=2, lead=5, run=5, tot=10, nt=2), \
Row(k='a', v=5, rn=4, r=4, dr=3, lag=2, lead=0, run=10, tot=10, nt=2), \
Row(k='b', v=None, rn=1, r=1, dr=1, lag=None, lead=3, run=None, tot=3, nt=1), \
Row(k='b', v=3, rn=2, r=2, dr=2, lag=None, lead=0, run=3, tot=3, nt=2)]"
    );
    // ROWS frame, descending: nulls last, each tie its own running value.
    assert_eq!(
        run(
            &mut s,
            "w2 = Window.orderBy(sf.desc('v')).rowsBetween(Window.unboundedPreceding, Window.currentRow)\nw_df.select(sf.sum('v').over(w2).alias('run')).orderBy('run').collect()",
        ),
        "[Row(run=5), Row(run=8), Row(run=10), Row(run=12), Row(run=13), Row(run=13)]"
    );
    let (ename, msg) = error(&mut s, "w_df.select(sf.col('v').over(w))");
    assert_eq!(ename, "AnalysisException");
    assert!(msg.contains("UNSUPPORTED_EXPR_FOR_WINDOW"), "{msg}");
    let (ename, msg) = error(
        &mut s,
        "w_df.select(sf.row_number().over(Window.partitionBy('k')))",
    );
    assert_eq!(ename, "AnalysisException");
    assert!(msg.contains("WINDOW_FUNCTION_WITHOUT_ORDER_BY"), "{msg}");
    assert_eq!(
        error(
            &mut s,
            "w_df.select(sf.sum('v').over(w.rowsBetween(-1, 1)))"
        )
        .0,
        "NotSupportedError"
    );
}

#[test]
fn sql_expressions_call_the_registry_functions() {
    let mut s = session();
    run(&mut s, "from pyspark.sql import functions as sf");
    // Names, constants, operators, CASE and functions, named as Spark names them.
    assert_eq!(
        run(
            &mut s,
            "df.selectExpr('a + 1 AS b1', 'coalesce(b, 0)', \"CASE WHEN a > 1 THEN 'big' ELSE 'small' END\", 'substr(s, 1, 1)').columns"
        ),
        "['b1', 'coalesce(b, 0)', 'CASE WHEN (a > 1) THEN big ELSE small END', 'substring(s, 1, 1)']"
    );
    assert_eq!(
        run(
            &mut s,
            "df.filter(\"a IS NOT NULL AND s LIKE 'a%'\").count()"
        ),
        "1"
    );
    assert_eq!(
        run(&mut s, "df.select(sf.expr('upper(s)')).first()[0]"),
        "'A'"
    );
    assert_eq!(run(&mut s, "df.agg(sf.expr('count(*)')).first()[0]"), "3");
    // A string constant is text where the function takes text, a literal elsewhere.
    assert_eq!(
        run(
            &mut s,
            "df.select(sf.expr(\"date_format('2020-01-05', 'yyyy')\")).first()[0]"
        ),
        "'2020'"
    );
    assert_eq!(
        error(&mut s, "df.select(sf.expr('nosuch(a)'))").0,
        "AnalysisException"
    );
    assert_eq!(error(&mut s, "df.selectExpr('a +')").0, "ParseException");
    assert_eq!(error(&mut s, "df.filter('a >')").0, "ParseException");
}

#[test]
fn json_and_structs_round_trip() {
    let mut s = session();
    run(&mut s, "from pyspark.sql import functions as sf");
    assert_eq!(
        run(
            &mut s,
            "df.select(sf.to_json(sf.struct('a', 's'))).first()[0]"
        ),
        "'{\"a\":1,\"s\":\"a\"}'"
    );
    assert_eq!(
        run(
            &mut s,
            "spark.range(1).select(sf.from_json(sf.lit('{\"a\": 1, \"m\": {\"k\": 2}}'), 'a INT, m map<string,int>').alias('j')).first().j"
        ),
        "Row(a=1, m={'k': 2})"
    );
    // A malformed record is null, as in Spark's PERMISSIVE mode.
    assert_eq!(
        run(
            &mut s,
            "spark.range(1).select(sf.from_json(sf.lit('{oops'), 'a INT')).first()[0] is None"
        ),
        "True"
    );
    assert_eq!(
        run(
            &mut s,
            "spark.range(1).select(sf.named_struct(sf.lit('x'), sf.lit(1)).alias('n')).first().n"
        ),
        "Row(x=1)"
    );
}

#[test]
fn spark_sql_binds_parameters_and_reads_range() {
    let mut s = session();
    assert_eq!(
        run(
            &mut s,
            "spark.sql('SELECT * FROM range(10) WHERE id > {lo}', lo=7).count()"
        ),
        "2"
    );
    assert_eq!(
        run(
            &mut s,
            "spark.sql('SELECT {c} FROM {t} WHERE a IN {xs}', c=df.a, t=df, xs=(1, 3)).count()"
        ),
        "2"
    );
    assert_eq!(
        run(
            &mut s,
            "spark.sql('SELECT :n + 1 AS x', {'n': 41}).first().x"
        ),
        "42"
    );
    // The DataFrame argument's view served that query only.
    assert_eq!(run(&mut s, "len(spark.catalog.listTables())"), "0");
    assert_eq!(
        error(&mut s, "spark.sql('SELECT * FROM range(1000000000000)')").0,
        "MemoryError"
    );
    assert_eq!(
        error(&mut s, "spark.sql('SELECT {nope}', other=1)").0,
        "KeyError"
    );
    assert_eq!(
        run(&mut s, "spark.emptyDataFrame('a INT, b STRING').columns"),
        "['a', 'b']"
    );
}

#[test]
fn rollup_and_cube_add_subtotals_with_null_keys() {
    let mut s = session();
    run(
        &mut s,
        "g = spark.createDataFrame([('a', 1), ('a', 2), ('b', 1)], ['k', 'v'])",
    );
    assert_eq!(
        run(
            &mut s,
            "g.rollup('k', 'v').count().orderBy('k', 'v').collect()"
        ),
        "[Row(k=None, v=None, count=3), Row(k='a', v=None, count=2), Row(k='a', v=1, count=1), Row(k='a', v=2, count=1), Row(k='b', v=None, count=1), Row(k='b', v=1, count=1)]"
    );
    // A cube has every combination: 3 (k, v) + 2 (k) + 2 (v) + 1 total.
    assert_eq!(run(&mut s, "g.cube(1, 2).count().count()"), "8");
    assert_eq!(
        run(&mut s, "g.groupBy(2).count().orderBy(1).first()"),
        "Row(v=1, count=2)"
    );
}

#[test]
fn variants_hold_json_and_edit_it_as_spark_does() {
    let mut s = session();
    run(
        &mut s,
        r#"from pyspark.sql.functions import *
df = spark.createDataFrame([('{"b": 1, "a": [1, null]}',), ('nope',)], ['j'])
v = try_parse_json(df.j)"#,
    );
    // Keys sorted, as a variant stores them; malformed text is null with try_.
    assert_eq!(
        run(
            &mut s,
            "[r.r for r in df.select(to_json(v).alias('r')).collect()]"
        ),
        r#"['{"a":[1,null],"b":1}', None]"#
    );
    assert_eq!(
        run(
            &mut s,
            "df.select(variant_get(v, '$.a[0]', 'int').alias('r')).first().r"
        ),
        "1"
    );
    assert_eq!(
        run(
            &mut s,
            "df.select(to_json(variant_insert(v, '$.c.d', lit(3))).alias('r')).first().r"
        ),
        r#"'{"a":[1,null],"b":1,"c":{"d":3}}'"#
    );
    assert_eq!(
        run(
            &mut s,
            "df.select(to_json(variant_strip_nulls(v)).alias('r')).first().r"
        ),
        r#"'{"a":[1],"b":1}'"#
    );
    assert_eq!(
        run(
            &mut s,
            "df.select(schema_of_variant(v).alias('r')).first().r"
        ),
        "'OBJECT<a: ARRAY<BIGINT>, b: BIGINT>'"
    );
    assert_eq!(
        run(&mut s, "df.select(v.alias('v')).dtypes"),
        "[('v', 'variant')]"
    );
    // The plain forms raise where the try_ forms give null.
    let (ename, msg) = error(&mut s, "df.select(parse_json(df.j)).collect()");
    assert!(
        msg.contains("MALFORMED_RECORD_IN_PARSING"),
        "{ename}: {msg}"
    );
    let (_, msg) = error(
        &mut s,
        "df.limit(1).select(variant_insert(v, '$.b', lit(2))).collect()",
    );
    assert!(msg.contains("VARIANT_PATH_EXISTS"), "{msg}");
}

#[test]
fn timestamps_follow_the_session_time_zone() {
    let mut s = session();
    run(
        &mut s,
        "from pyspark.sql import functions as sf\nspark.conf.set('spark.sql.session.timeZone', 'America/Los_Angeles')\ndf = spark.createDataFrame([('2015-04-08 12:12:12',)], ['ts'])",
    );
    // 12:12:12 in Los Angeles (PDT, UTC-7) is 19:12:12 UTC.
    assert_eq!(
        run(
            &mut s,
            "df.select(sf.unix_timestamp('ts').alias('u')).first().u"
        ),
        "1428520332"
    );
    assert_eq!(
        run(
            &mut s,
            "df.select(sf.from_unixtime(sf.lit(1428476400)).alias('t')).first().t"
        ),
        "'2015-04-08 00:00:00'"
    );
    assert_eq!(
        run(
            &mut s,
            "df.select(sf.to_utc_timestamp('ts', 'JST').alias('t')).first().t"
        ),
        "datetime.datetime(2015, 4, 8, 3, 12, 12)"
    );
    spark_zone_utc(&mut s);
    assert_eq!(
        run(
            &mut s,
            "df.select(sf.unix_timestamp('ts').alias('u')).first().u"
        ),
        "1428495132"
    );
    let (ename, _) = error(
        &mut s,
        "df.select(sf.from_utc_timestamp('ts', 'Nowhere/Land'))",
    );
    assert_eq!(ename, "SparkDateTimeException");
    let (_, msg) = error(
        &mut s,
        "spark.createDataFrame([(2014, 13, 28, 6, 30, 45.5)], ['y', 'mo', 'd', 'h', 'mi', 's']).select(sf.make_timestamp('y', 'mo', 'd', 'h', 'mi', 's')).collect()",
    );
    assert!(msg.contains("DATETIME_FIELD_OUT_OF_BOUNDS"), "{msg}");
}

fn spark_zone_utc(s: &mut Session) {
    run(s, "spark.conf.set('spark.sql.session.timeZone', 'UTC')");
}

#[test]
fn row_hashes_equal_sparks() {
    let mut s = session();
    run(
        &mut s,
        "from pyspark.sql import functions as sf\ndf = spark.createDataFrame([('ABC', 'DEF')], ['c1', 'c2'])",
    );
    assert_eq!(
        run(
            &mut s,
            "r = df.select(sf.hash('c1').alias('h1'), sf.hash('c1', 'c2').alias('h2'), sf.xxhash64('c1').alias('x1'), sf.xxhash64('c1', 'c2').alias('x2')).first()\nr.h1, r.h2, r.x1, r.x2"
        ),
        "(-757602832, 599895104, 4105715581806190027, 3233247871021311208)"
    );
}
