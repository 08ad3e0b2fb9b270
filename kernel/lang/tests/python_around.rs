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
    assert_eq!(run(&mut s, "1 if df.count() > 2 else 2"), "1");
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

#[test]
fn functions_lambdas_and_comprehensions_run_as_python() {
    let mut s = Session::new(Config::default());
    let code = "rate = 2\ndef scale(x, by=None):\n    if by is None:\n        return x * rate\n    return x * by\nscale(3), scale(3, by=10), scale(x=1)";
    assert_eq!(run(&mut s, code), "(6, 30, 2)");
    // Globals are read at call time; the function's own names stay its own.
    assert_eq!(run(&mut s, "rate = 5\nscale(1)"), "5");
    assert_eq!(
        run(
            &mut s,
            "def setx():\n    x_local = 1\n    return x_local\nsetx()"
        ),
        "1"
    );
    assert_eq!(error(&mut s, "x_local").0, "NameError");
    assert_eq!(
        run(
            &mut s,
            "def first_big(xs, limit=2):\n    for x in xs:\n        if x > limit:\n            return x\nfirst_big([1, 5, 7]), first_big([1])"
        ),
        "(5, None)"
    );
    assert_eq!(
        error(&mut s, "scale()").1,
        "scale() missing 1 required positional argument: 'x'"
    );
    assert_eq!(error(&mut s, "scale(1, nope=2)").0, "TypeError");
    assert_eq!(
        error(&mut s, "def f(n):\n    return f(n + 1)\nf(0)").0,
        "RecursionError"
    );
    // DataFrames in and out.
    assert_eq!(
        run(
            &mut s,
            "from pyspark.sql import functions as sf\ndef doubled(df, name):\n    return df.withColumn(name + '_x2', sf.col(name) * 2)\ndoubled(spark.range(2), 'id').collect()"
        ),
        "[Row(id=0, id_x2=0), Row(id=1, id_x2=2)]"
    );
    assert_eq!(
        run(&mut s, "sq = lambda v: v * v\nsq(4), (lambda: 'k')()"),
        "(16, 'k')"
    );
    // Comprehensions: their names do not leak; generators run as lists.
    run(&mut s, "c = 'kept'\ncols = ['a', 'b', 'c']");
    assert_eq!(
        run(
            &mut s,
            "[x.upper() for x in cols if x != 'b'], {x: i for i, x in enumerate(cols)}, sum(len(x) for x in cols), c"
        ),
        "(['A', 'C'], {'a': 0, 'b': 1, 'c': 2}, 3, 'kept')"
    );
    assert_eq!(
        run(&mut s, "[(a, b) for a in [1, 2] for b in 'xy' if a > 1]"),
        "[(2, 'x'), (2, 'y')]"
    );
    assert_eq!(
        run(
            &mut s,
            "spark.range(1).select([sf.lit(1).alias(x) for x in cols]).columns"
        ),
        "['a', 'b', 'c']"
    );
    // Conditionals, identity and membership.
    assert_eq!(
        run(
            &mut s,
            "x = None\nx is not None and x > 1, 3 in [1, 3], 'a' not in 'xyz', 'k' in {'k': 1}, (1 if x is None else 2)"
        ),
        "(False, True, True, True, 1)"
    );
    assert_eq!(error(&mut s, "sf.col('a') in [1]").0, "PySparkValueError");
}

#[test]
fn string_methods_build_names_and_messages() {
    let mut s = Session::new(Config::default());
    assert_eq!(
        run(
            &mut s,
            "'a_b_c'.split('_'), ' x y '.split(), '-'.join(['a', 'b']), 'Abc'.lower(), 'ab'.replace('a', 'z'), 'abc'.startswith(('x', 'a'))"
        ),
        "(['a', 'b', 'c'], ['x', 'y'], 'a-b', 'abc', 'zb', True)"
    );
    assert_eq!(
        run(
            &mut s,
            "'{} rows in {name}, {0}'.format(3, name='t'), '7'.zfill(3), 'hello world'.title()"
        ),
        "('3 rows in t, 3', '007', 'Hello World')"
    );
    assert_eq!(error(&mut s, "'{:.2f}'.format(1.5)").0, "NotSupportedError");
    assert_eq!(error(&mut s, "'-'.join([1])").0, "TypeError");
}

#[test]
fn f_strings_format_their_fields() {
    let mut s = Session::new(Config::default());
    run(&mut s, "n = 3\nname = 'produtos'\nd = {'k': [1, 2]}");
    assert_eq!(
        run(
            &mut s,
            "f'{n} rows in {name.upper()}', f\"{{literal}} {d['k'][1] + 1}\", f'{n * 2}', f'plain'"
        ),
        "('3 rows in PRODUTOS', '{literal} 3', '6', 'plain')"
    );
    assert_eq!(
        run(&mut s, "import os\nf\"{os.path.join('/data', name)}.csv\""),
        "'/data/produtos.csv'"
    );
    assert_eq!(error(&mut s, "f'{undefined_name}'").0, "NameError");
    assert_eq!(error(&mut s, "f'{n'").0, "ParseException");
    assert_eq!(error(&mut s, "f'{}'").0, "ParseException");
    assert_eq!(error(&mut s, "f'{n:.2f}'").0, "NotSupportedError");
}

#[test]
fn try_except_finally_catch_by_class_as_python() {
    let mut s = Session::new(Config::default());
    // A Spark error caught by its class, by a parent class and by a tuple.
    let code = "try:\n    spark.sql('SELECT * FROM missing')\nexcept AnalysisException as e:\n    print('caught', 'missing' in str(e))\nfinally:\n    print('done')";
    assert_eq!(run(&mut s, code), "caught True\ndone\n");
    let code = "try:\n    1 / 0\nexcept (KeyError, ArithmeticError):\n    r = 'arith'\nelse:\n    r = 'none'\nr";
    assert_eq!(run(&mut s, code), "'arith'");
    let code = "try:\n    x = 1\nexcept Exception:\n    x = 2\nelse:\n    x = x + 10\nx";
    assert_eq!(run(&mut s, code), "11");
    // The name is unbound after the handler, as in Python 3.
    let code = "try:\n    undefined_name\nexcept NameError as err:\n    kind = repr(err)\nkind";
    assert!(run(&mut s, code).starts_with("'NameError(\"name"));
    assert_eq!(error(&mut s, "err").0, "NameError");
    // An error no handler names goes on, after `finally` ran.
    let (ename, _) = error(
        &mut s,
        "try:\n    1 / 0\nexcept KeyError:\n    pass\nfinally:\n    cleaned = True",
    );
    assert_eq!(ename, "ZeroDivisionError");
    assert_eq!(run(&mut s, "cleaned"), "True");
    // `try` alone is incomplete; a bare `except` before another is an error.
    assert!(
        error(
            &mut s,
            "try:\n    x = 1\nexcept:\n    pass\nexcept KeyError:\n    pass"
        )
        .1
        .contains("must be last")
    );
}

#[test]
fn assert_del_and_augmented_assignment() {
    let mut s = Session::new(Config::default());
    assert_eq!(
        run(&mut s, "(1 < 2 < 3, 3 > 2 == 2, 1 == 1 == 2)"),
        "(True, True, False)"
    );
    assert_eq!(
        run(&mut s, "n = 1\nn += 2\nn *= 10\nn -= 5\nn /= 5\nn"),
        "5.0"
    );
    assert_eq!(run(&mut s, "t = 'a'\nt += 'b'\nt"), "'ab'");
    assert_eq!(run(&mut s, "assert n == 5.0, 'n is five'"), "");
    assert_eq!(
        error(&mut s, "assert n > 9, f'n is {n}'"),
        ("AssertionError".into(), "n is 5.0".into())
    );
    assert_eq!(run(&mut s, "del n, t"), "");
    assert_eq!(error(&mut s, "n").0, "NameError");
    assert_eq!(error(&mut s, "del n").0, "NameError");
    assert_eq!(error(&mut s, "df.x += 1").0, "NotSupportedError");
}

#[test]
fn sql_literal_tables_evaluate_spark_constants() {
    let mut s = Session::new(Config::default());
    let shown = run(
        &mut s,
        "spark.sql(\"SELECT * FROM VALUES (1, ARRAY(1, 2, NULL)), (2, ARRAY()), (3, NULL) AS t(i, a)\").show()",
    );
    assert!(shown.contains("|  1|[1, 2, NULL]|"), "{shown}");
    assert!(shown.contains("|  3|        NULL|"), "{shown}");
    // A column of nulls takes its type from the other rows; Spark's constants evaluate.
    let shown = run(
        &mut s,
        "spark.sql('SELECT y + 1 AS z FROM VALUES (1, null), (PI() / 2, 4) AS tab(y, x) WHERE x IS NULL').show()",
    );
    assert!(shown.contains("|2.0|"), "{shown}");
    let shown = run(
        &mut s,
        "spark.sql(\"SELECT ARRAY(NAMED_STRUCT('a', 1, 'b', 2)) AS s, DATE '2020-01-02' AS d\").collect()",
    );
    assert_eq!(
        shown,
        "[Row(s=[Row(a=1, b=2)], d=datetime.date(2020, 1, 2))]"
    );
    // Plain queries still go to the engine unchanged.
    assert_eq!(run(&mut s, "spark.sql('SELECT 1 AS one').first().one"), "1");
}

#[test]
fn tables_live_in_the_session_catalog() {
    let mut s = Session::new(Config::default());
    run(
        &mut s,
        "_ = spark.sql('CREATE TABLE tbl1 (name STRING, age INT) USING parquet')",
    );
    assert_eq!(
        run(&mut s, "spark.catalog.tableExists('default.tbl1')"),
        "True"
    );
    run(
        &mut s,
        "_ = spark.sql(\"INSERT INTO tbl1 VALUES ('Alice', 2), ('Bob', 5)\")",
    );
    run(
        &mut s,
        "spark.createDataFrame([('Tom', 9)]).write.insertInto('tbl1')",
    );
    assert_eq!(
        run(&mut s, "spark.table('tbl1').orderBy('age').collect()"),
        "[Row(name='Alice', age=2), Row(name='Bob', age=5), Row(name='Tom', age=9)]"
    );
    assert_eq!(
        run(
            &mut s,
            "spark.catalog.getTable('spark_catalog.default.tbl1')"
        ),
        "Row(name='tbl1', catalog='spark_catalog', namespace=['default'], description=None, tableType='MANAGED', isTemporary=False)"
    );
    // saveAsTable: an existing table is an error unless told to append or overwrite.
    run(&mut s, "df = spark.range(3)\ndf.write.saveAsTable('nums')");
    assert_eq!(
        error(&mut s, "df.write.saveAsTable('nums')").0,
        "AnalysisException"
    );
    run(&mut s, "df.write.mode('append').saveAsTable('nums')");
    assert_eq!(run(&mut s, "spark.table('nums').count()"), "6");
    run(&mut s, "_ = spark.sql('TRUNCATE TABLE nums')");
    assert_eq!(run(&mut s, "spark.sql('SELECT * FROM nums').count()"), "0");
    // Databases.
    run(&mut s, "_ = spark.sql('CREATE DATABASE IF NOT EXISTS db2')");
    assert_eq!(
        run(
            &mut s,
            "[d.name for d in spark.catalog.listDatabases('d*')]"
        ),
        "['db2', 'default']"
    );
    assert_eq!(
        error(&mut s, "spark.sql('DROP DATABASE default')").0,
        "AnalysisException"
    );
    run(&mut s, "_ = spark.sql('DROP TABLE tbl1')");
    assert_eq!(run(&mut s, "spark.catalog.tableExists('tbl1')"), "False");
    // A temp view is not a table to insert into.
    run(&mut s, "df.createOrReplaceTempView('v')");
    assert_eq!(
        error(&mut s, "spark.sql('INSERT INTO v VALUES (1)')").0,
        "AnalysisException"
    );
}

#[test]
fn maps_print_collect_and_explode_as_spark() {
    let mut s = Session::new(Config::default());
    run(
        &mut s,
        "from pyspark.sql import functions as sf\ndm = spark.sql('SELECT * FROM VALUES (1, MAP(1, 2, 3, NULL)), (2, MAP()), (3, NULL) AS t(i, m)')",
    );
    let shown = run(&mut s, "dm.show()");
    assert!(shown.contains("|  1|{1 -> 2, 3 -> NULL}|"), "{shown}");
    assert!(shown.contains("|  2|                 {}|"), "{shown}");
    assert_eq!(run(&mut s, "dm.collect()[0].m"), "{1: 2, 3: None}");
    assert!(
        run(&mut s, "dm.printSchema()")
            .contains(" |-- m: map (nullable = true)\n |    |-- key: long\n")
    );
    // A map from a Python dict; its keys, values and lookups.
    run(
        &mut s,
        "d = spark.createDataFrame([({'a': 1, 'b': 2},)], ['d'])",
    );
    assert_eq!(
        run(
            &mut s,
            "d.select(sf.map_keys('d'), sf.map_values('d'), sf.map_contains_key('d', 'b')).first()"
        ),
        "Row(map_keys(d)=['a', 'b'], map_values(d)=[1, 2], map_contains_key(d, b)=True)"
    );
    // Generators: rows per entry, outer keeps empty and null maps, positions count from 0.
    let shown = run(&mut s, "dm.select('i', sf.posexplode_outer('m')).show()");
    assert!(shown.contains("|  i| pos| key|value|"), "{shown}");
    assert!(shown.contains("|  1|   1|   3| NULL|"), "{shown}");
    assert!(shown.contains("|  3|NULL|NULL| NULL|"), "{shown}");
    assert_eq!(run(&mut s, "dm.select(sf.explode('m')).count()"), "2");
    assert_eq!(
        error(&mut s, "dm.select(sf.explode('m'), sf.explode('m'))").0,
        "AnalysisException"
    );
    assert_eq!(
        error(&mut s, "dm.select(sf.explode('i'))").0,
        "AnalysisException"
    );
}

#[test]
fn pandas_udfs_of_column_arithmetic_run_natively() {
    let mut s = Session::new(Config::default());
    run(
        &mut s,
        "import pandas as pd\nfrom pyspark.sql.functions import pandas_udf, udf\n@pandas_udf('long')\ndef plus_one(s: pd.Series) -> pd.Series:\n    return s + 1",
    );
    assert_eq!(
        run(&mut s, "spark.range(3).select(plus_one('id')).collect()"),
        "[Row(plus_one(id)=1), Row(plus_one(id)=2), Row(plus_one(id)=3)]"
    );
    // The declared type wins: `double` makes the long a float.
    run(&mut s, "half = udf(lambda x: x / 2, 'double')");
    assert_eq!(
        run(&mut s, "spark.range(2).select(half('id')).dtypes"),
        "[('<lambda>(id)', 'double')]"
    );
    // A body that needs pandas is an error naming the construct; pandas objects too.
    run(
        &mut s,
        "@pandas_udf('string')\ndef shout(s: pd.Series) -> pd.Series:\n    return s.apply(str.upper)",
    );
    let (ename, message) = error(&mut s, "spark.range(1).select(shout('id'))");
    assert_eq!(ename, "NotSupportedError");
    assert!(message.contains("apply"), "{message}");
    assert_eq!(
        error(&mut s, "pd.DataFrame({'a': [1]})").0,
        "NotSupportedError"
    );
    run(
        &mut s,
        "@pandas_udf('long')\ndef constant(s):\n    return 1",
    );
    assert_eq!(
        error(&mut s, "spark.range(1).select(constant('id'))").0,
        "NotSupportedError"
    );
}

#[test]
fn slices_unpacking_and_introspection_run_as_python_runs_them() {
    let mut s = Session::new(Config::default());
    assert_eq!(run(&mut s, "xs = [1, 2, 3, 4, 5]\nxs[1:3]"), "[2, 3]");
    assert_eq!(
        run(&mut s, "xs[:2], xs[-2:], xs[::-2]"),
        "([1, 2], [4, 5], [5, 3, 1])"
    );
    assert_eq!(
        run(&mut s, "'faisca'[1:4], 'faisca'[0], 'faisca'[-1]"),
        "('ais', 'f', 'a')"
    );
    let (ename, _) = error(&mut s, "'abc'[5]");
    assert_eq!(ename, "IndexError");
    let (ename, _) = error(&mut s, "xs[::0]");
    assert_eq!(ename, "ValueError");
    // `*` and `**` spread into a call.
    assert_eq!(run(&mut s, "print(*xs[:3])"), "1 2 3\n");
    run(
        &mut s,
        "def f(a, b=0, c=0):\n    return a + b * 10 + c * 100",
    );
    assert_eq!(run(&mut s, "f(*[1, 2], **{'c': 3})"), "321");
    let (ename, _) = error(&mut s, "f(**[1])");
    assert_eq!(ename, "TypeError");
    run(&mut s, "df = spark.createDataFrame([(1, 'a')], ['b', 'a'])");
    assert_eq!(
        run(&mut s, "df.select(*sorted(df.columns)).columns"),
        "['a', 'b']"
    );
    // sorted with a key, tuples ordered element by element, dict methods.
    assert_eq!(
        run(&mut s, "sorted([(2, 'b'), (1, 'z'), (2, 'a')])"),
        "[(1, 'z'), (2, 'a'), (2, 'b')]"
    );
    assert_eq!(
        run(&mut s, "sorted(['bb', 'a', 'ccc'], key=len, reverse=True)"),
        "['ccc', 'bb', 'a']"
    );
    assert_eq!(
        run(
            &mut s,
            "d = {'x': 1, 'y': 2}\nsorted(d.items()), d.get('z', 0), list(d.keys())"
        ),
        "([('x', 1), ('y', 2)], 0, ['x', 'y'])"
    );
    assert_eq!(
        run(&mut s, "type(df)"),
        "<class 'pyspark.sql.dataframe.DataFrame'>"
    );
    assert_eq!(
        run(&mut s, "type(1), type('s')"),
        "(<class 'int'>, <class 'str'>)"
    );
    assert_eq!(
        run(&mut s, "[n for n in dir(df) if n.startswith('with')][:2]"),
        "['withColumn', 'withColumnRenamed']"
    );
    assert_eq!(
        run(&mut s, "'a' in dir(df), 'b' in dir(df)"),
        "(True, True)"
    );
    assert_eq!(
        run(&mut s, "df.collect()[0].asDict()"),
        "{'b': 1, 'a': 'a'}"
    );
}

#[test]
fn notebook_functions_run_inside_higher_order_functions() {
    let mut s = Session::new(Config::default());
    run(
        &mut s,
        "from pyspark.sql.functions import *\ndf = spark.createDataFrame([([1, 2, 3, 4], {'a': 1, 'b': 2})], ['xs', 'm'])",
    );
    assert_eq!(
        run(
            &mut s,
            "df.select(transform('xs', lambda x: x * 2).alias('r')).first().r"
        ),
        "[2, 4, 6, 8]"
    );
    // A `def` with the element's index, as PySpark passes it.
    run(
        &mut s,
        "def alternate(x, i):\n    return when(i % 2 == 0, x).otherwise(-x)",
    );
    assert_eq!(
        run(
            &mut s,
            "df.select(transform('xs', alternate).alias('r')).first().r"
        ),
        "[1, -2, 3, -4]"
    );
    assert_eq!(
        run(
            &mut s,
            "r = df.select(filter('xs', lambda x: x > 2).alias('f'), exists('xs', lambda x: x > 3).alias('e'), forall('xs', lambda x: x > 1).alias('a')).first()\nr.f, r.e, r.a"
        ),
        "([3, 4], True, False)"
    );
    assert_eq!(
        run(
            &mut s,
            "df.select(map_filter('m', lambda k, v: v > 1).alias('r')).first().r"
        ),
        "{'b': 2}"
    );
    assert_eq!(
        run(
            &mut s,
            "df.select(transform_values('m', lambda k, v: v * 10).alias('r')).first().r"
        ),
        "{'a': 10, 'b': 20}"
    );
    assert_eq!(
        run(
            &mut s,
            "df.select(zip_with('xs', array(lit(10), lit(20)), lambda x, y: x + y).alias('r')).first().r"
        ),
        "[11, 22, None, None]"
    );
    // A function of the wrong arity is a TypeError naming the function.
    let (ename, msg) = error(&mut s, "df.select(zip_with('xs', 'xs', lambda x: x))");
    assert_eq!(ename, "TypeError");
    assert!(msg.contains("zip_with"), "{msg}");
    // df.transform and Column.transform call notebook functions with their arguments.
    run(
        &mut s,
        "def add_n(frame, n):\n    return frame.select([(col(c) + n).alias(c) for c in ['xs']])",
    );
    let (ename, _) = error(&mut s, "df.transform(add_n)");
    assert_eq!(ename, "TypeError");
    assert_eq!(
        run(
            &mut s,
            "spark.range(3).transform(lambda d, k: d.select((d.id * k).alias('v')), k=5).collect()"
        ),
        "[Row(v=0), Row(v=5), Row(v=10)]"
    );
}
