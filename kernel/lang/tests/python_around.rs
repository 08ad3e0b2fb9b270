//! The Python around PySpark calls: blocks, dicts, Row, spark.conf, tempfile — run as a
//! notebook runs them, with Python's answers.
#![allow(clippy::result_large_err)]

use faisca_lang::{CellError, Config, Display, Emit, Session};

fn try_run(s: &mut Session, code: &str) -> Result<(Option<Display>, String), CellError> {
    let mut out = String::new();
    let result = s.execute(code, 1, &|| false, &mut |e| match e {
        Emit::Stdout(t) => out.push_str(&t),
        Emit::Display(d) => out.push_str(&d.text),
        _ => {}
    })?;
    Ok((result, out))
}

/// The cell's printed text and its result's text.
fn run(s: &mut Session, code: &str) -> String {
    match try_run(s, code) {
        Ok((result, out)) => out + &result.map(|d| d.text).unwrap_or_default(),
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
fn loops_and_conditions_run_as_python_runs_them() {
    let mut s = Session::new(Config::default());
    let code = "total = 0\nfor i, c in [(1, 'a'), (2, 'b'), (3, 'c'), (9, 'z')]:\n    if i == 2:\n        continue\n    elif i > 5:\n        break\n    else:\n        total = total + i\n    print(c)\ntotal";
    assert_eq!(run(&mut s, code), "a\nc\n4");
    assert_eq!(run(&mut s, "n = 0\nwhile n < 5:\n    n = n + 1\nn"), "5");
    assert_eq!(
        run(&mut s, "for x in range(2, 11, 4): print(x)"),
        "2\n6\n10\n"
    );
    assert_eq!(
        run(&mut s, "for k in {'b': 1, 'a': 2}:\n    print(k)"),
        "b\na\n"
    );
    // Variables assigned before a failing statement in a loop stay, as in Python.
    let (ename, _) = error(&mut s, "for i in [1, 2]:\n    last = i\n    undefined_name");
    assert_eq!(ename, "NameError");
    assert_eq!(run(&mut s, "last"), "1");
}

#[test]
fn columns_and_dataframes_are_not_conditions_or_iterables() {
    let mut s = Session::new(Config::default());
    run(&mut s, "df = spark.range(3)");
    let (ename, msg) = error(&mut s, "if df.id > 1:\n    pass");
    assert_eq!(ename, "PySparkValueError");
    assert!(msg.contains("CANNOT_CONVERT_COLUMN_INTO_BOOL"), "{msg}");
    let (ename, _) = error(&mut s, "for r in df:\n    pass");
    assert_eq!(ename, "TypeError");
    assert_eq!(
        run(&mut s, "for r in df.collect():\n    print(r[0], r['id'])"),
        "0 0\n1 1\n2 2\n"
    );
    // Not supported yet, so an error rather than a silently different result.
    assert_eq!(error(&mut s, "x = 1 if True else 2").0, "ParseException");
}

#[test]
fn dicts_build_rows_and_name_aggregates() {
    let mut s = Session::new(Config::default());
    assert_eq!(
        run(
            &mut s,
            "d = {'a': 1, 'b': [1, 2], 'a': 3}\nd, d['b'], len(d)"
        ),
        "({'a': 3, 'b': [1, 2]}, [1, 2], 2)"
    );
    assert_eq!(error(&mut s, "d['zz']").0, "KeyError");
    assert_eq!(error(&mut s, "{[1]: 2}").0, "TypeError");
    // Dict rows: columns in sorted key order, as PySpark infers them.
    run(
        &mut s,
        "df = spark.createDataFrame([{'name': 'Alice', 'age': 2}, {'name': 'Bob', 'age': 5}])",
    );
    assert_eq!(run(&mut s, "df.columns"), "['age', 'name']");
    let shown = run(&mut s, "df.agg({'age': 'max'}).show()");
    assert!(
        shown.contains("|max(age)|") && shown.contains("|       5|"),
        "{shown}"
    );
    let filled = run(
        &mut s,
        "spark.createDataFrame([(None, None)], 'a int, s string').fillna({'a': 7, 's': 'x'}).collect()",
    );
    assert_eq!(filled, "[Row(a=7, s='x')]");
}

#[test]
fn rows_arrays_and_structs_round_trip() {
    let mut s = Session::new(Config::default());
    run(&mut s, "from pyspark.sql import Row");
    assert_eq!(
        run(&mut s, "Row(name='Alice', age=2)"),
        "Row(name='Alice', age=2)"
    );
    run(
        &mut s,
        "df = spark.createDataFrame([Row(a=1, b=[1, 2], c=Row(x=1, y='s')), Row(a=2, b=[], c=Row(x=2, y='t'))])",
    );
    assert_eq!(
        run(&mut s, "df.printSchema()"),
        "root\n |-- a: long (nullable = true)\n |-- b: array (nullable = true)\n |    |-- element: long (containsNull = true)\n |-- c: struct (nullable = true)\n |    |-- x: long (nullable = true)\n |    |-- y: string (nullable = true)\n"
    );
    assert_eq!(
        run(&mut s, "df"),
        "DataFrame[a: bigint, b: array<bigint>, c: struct<x:bigint,y:string>]"
    );
    assert_eq!(
        run(&mut s, "df.collect()[0]"),
        "Row(a=1, b=[1, 2], c=Row(x=1, y='s'))"
    );
    let shown = run(&mut s, "df.show()");
    assert!(shown.contains("|  1|[1, 2]|{1, s}|"), "{shown}");
    assert_eq!(
        run(&mut s, "spark.createDataFrame([1, 2], 'INT').columns"),
        "['value']"
    );
    assert_eq!(
        run(
            &mut s,
            "spark.createDataFrame([(1, 'a')], ('n', 's')).columns"
        ),
        "['n', 's']"
    );
    let typed = run(
        &mut s,
        "from pyspark.sql.types import *\nschema = StructType([StructField('xs', ArrayType(StringType()), True)])\nspark.createDataFrame([(['a'],)], schema)",
    );
    assert_eq!(typed, "DataFrame[xs: array<string>]");
    assert!(
        run(&mut s, "from pyspark.sql import functions as sf\ndf.select(sf.typeof('a'), sf.typeof(df.b)).show()")
            .contains("|   bigint|array<bigint>|")
    );
}

#[test]
fn spark_conf_keeps_settings_per_session() {
    let mut s = Session::new(Config::default());
    assert_eq!(
        run(&mut s, "spark.conf.get('spark.sql.session.timeZone')"),
        "'Etc/UTC'"
    );
    run(
        &mut s,
        "spark.conf.set('spark.sql.session.timeZone', 'America/Los_Angeles')",
    );
    assert_eq!(
        run(&mut s, "spark.conf.get('spark.sql.session.timeZone')"),
        "'America/Los_Angeles'"
    );
    run(&mut s, "spark.conf.unset('spark.sql.session.timeZone')");
    assert_eq!(
        run(&mut s, "spark.conf.get('spark.sql.session.timeZone')"),
        "'Etc/UTC'"
    );
    assert_eq!(run(&mut s, "spark.conf.get('no.such', 'dflt')"), "'dflt'");
    assert_eq!(
        error(&mut s, "spark.conf.get('no.such')").0,
        "SparkNoSuchElementException"
    );
}

#[test]
fn a_temporary_directory_holds_a_write_and_goes_away() {
    let mut s = Session::new(Config::default());
    let code = "import tempfile\nimport os\nwith tempfile.TemporaryDirectory(prefix='faisca') as d:\n    spark.range(3).write.mode('overwrite').parquet(os.path.join(d, 'out'))\n    n = spark.read.parquet(os.path.join(d, 'out')).count()\n    inside = os.path.isdir(d)\n(n, inside, os.path.exists(d))";
    assert_eq!(run(&mut s, code), "(3, True, False)");
    // Removed on error too.
    let (ename, _) = error(
        &mut s,
        "with tempfile.TemporaryDirectory() as d2:\n    undefined_name",
    );
    assert_eq!(ename, "NameError");
    assert_eq!(run(&mut s, "os.path.exists(d2)"), "False");
    assert_eq!(error(&mut s, "with 5 as x:\n    pass").0, "TypeError");
}

#[test]
fn reset_forgets_the_notebooks_variables_but_not_spark() {
    let mut s = Session::new(Config::default());
    run(&mut s, "x = 1");
    run(&mut s, "%reset -f");
    assert_eq!(error(&mut s, "x").0, "NameError");
    assert_eq!(run(&mut s, "spark.range(2).count()"), "2");
    assert_eq!(error(&mut s, "%reset").0, "UsageError");
}

#[test]
fn dates_and_datetimes_round_trip_as_python_prints_them() {
    let mut s = Session::new(Config::default());
    run(
        &mut s,
        "import datetime\nfrom datetime import date\nfrom pyspark.sql import functions as sf",
    );
    assert_eq!(
        run(
            &mut s,
            "datetime.datetime(2015, 4, 8, 13, 8, 15, 120), date(2000, 1, 1)"
        ),
        "(datetime.datetime(2015, 4, 8, 13, 8, 15, 120), datetime.date(2000, 1, 1))"
    );
    assert_eq!(error(&mut s, "date(2000, 2, 30)").0, "ValueError");
    run(
        &mut s,
        "df = spark.createDataFrame([(date(2015, 4, 8), datetime.datetime(2015, 4, 8, 13, 8, 15), '08/04/2015')], ['d', 't', 'f'])",
    );
    assert_eq!(
        run(&mut s, "df"),
        "DataFrame[d: date, t: timestamp, f: string]"
    );
    assert!(run(&mut s, "df.show()").contains("|2015-04-08|2015-04-08 13:08:15|08/04/2015|"));
    assert_eq!(
        run(
            &mut s,
            "df.select(sf.year('d'), sf.dayofweek('d'), sf.hour('t'), sf.to_date('f', 'dd/MM/yyyy'), sf.date_add('d', 3), sf.datediff(sf.date_add('d', 3), 'd'), sf.date_format('t', 'yyyy/MM/dd HH:mm')).first()"
        ),
        "Row(year(d)=2015, dayofweek(d)=4, hour(t)=13, to_date(f, dd/MM/yyyy)=datetime.date(2015, 4, 8), date_add(d, 3)=datetime.date(2015, 4, 11), datediff(date_add(d, 3), d)=3, date_format(t, yyyy/MM/dd HH:mm)='2015/04/08 13:08')"
    );
    assert_eq!(
        run(&mut s, "df.filter(sf.col('d') == date(2015, 4, 8)).count()"),
        "1"
    );
}
