"""Malformed and unsupported cells: each is an error reply with ename/evalue/traceback,
and the session keeps its variables afterwards."""
import pytest

from conftest import execute, result_text

BAD_CELLS = [
    # syntax
    "df.select(",
    "x = )",
    "1 +* 2",
    "df.select('a'))",
    "x = 'unterminated",
    "x = [1, 2",
    "f(a=1, 2)",
    "x = 1 2",
    "@decorator",
    "x = $y",
    "  indented = 1",
    "x = 1 \\ 2",
    "x = 99999999999999999999999",
    "df.",
    "a. b = 1",
    # unsupported Python
    "def f(x):\nreturn x",
    "def f(x, x):\n    pass",
    "return 1",
    "for r in df_base:\n    pass",
    "while col('nome'):\n    pass",
    "for r in [1]:\nprint(r)",
    "break",
    "(lambda x: x)()",
    "if x:\n    pass",
    "class A:\n    pass",
    "with open('f') as f:\n    pass",
    "try:\n    pass\nelse:\n    pass",
    "try:\n    1 / 0\nexcept KeyError:\n    pass",
    "x += 1",
    "{'a', 1}",
    "[r for r in spark.range(3)]",
    "del df",
    "f'{x'",
    "x = 1 if col('a') else 2",
    "spark.read.csv(*paths)",
    "df[1:2]",
    "import pandas as pd\npd.DataFrame({'a': [1]})",
    "import numpy",
    "from sklearn.naive_bayes import MultinomialNB",
    "from pyspark.sql.functions import no_such_function",
    "global x",
    "assert 1 == 2, 'one is not two'",
    # names and attributes
    "undefined_variable",
    "spark.raed",
    "df_base.selct('nome')",
    "df_base.nonexistent_method()",
    "sc.parallelize([1, 2])",
    # analysis
    "df_base.select('nme')",
    "df_base.select(col('nme'))",
    "df_base.withColumn('x', 'nome')",
    "df_base.withColumn(1, col('nome'))",
    "df_base.groupBy('nope').count()",
    "df_base.orderBy('nada')",
    "df_base.join(df_base, on='nada')",
    "df_base.join(df_base, on='nome', how='sideways')",
    "df_base.union(df_base.select('nome'))",
    "spark.table('no_such_view')",
    "spark.sql('select * from no_such_view')",
    "spark.sql('selec nada')",
    "df_base.createTempView('base')\ndf_base.createTempView('base')",
    # wrong types and values
    "col(1)",
    "df_base.limit('ten')",
    "df_base.show(n='x')",
    "spark.createDataFrame(5)",
    "spark.createDataFrame([(1, 'a'), (2,)], ['id', 'x'])",
    "spark.createDataFrame([(1, 'a')], ['only_one'])",
    "df_base.select(col('nome').cast('no_such_type'))",
    "1 / 0",
    "'a' - 1",
    "[1][5]",
    "a, b = 1",
    "df_base.count(1)",
    "df_base.show(bogus=1)",
    "col('a') and col('b')",
    "not col('a')",
    "df_base.write.mode('sideways')",
    # files and models
    "spark.read.csv('/data/does-not-exist.csv')",
    "spark.read.option('delimiter', ';;').csv('/data/produtos.csv')",
    "spark.read.format('avro').load('/data/produtos.csv')",
    "load_model('/model/does-not-exist.bin')",
    "load_model('/data/produtos.csv')",
    "NaiveBayes(label='categoria')",
    "NaiveBayes(text='descricao', label='categoria', alpha=-1)",
    "NaiveBayes(text='descricao', label='categoria').fit(5)",
    # nesting deep enough to exhaust a stack: refused, not a crash
    "(" * 1141 + "1" + ")" * 1141,
    "[" * 224 + "]" * 224,
    "x = 1" + " + 1" * 5000,
    # magics
    "%no_such_magic",
    "%%nosuchcell\nselect 1",
    "%%sql\n",
    "%%sql\nselect * from nowhere",
    "%%sql --bogus\nselect 1",
]


@pytest.fixture(scope="module")
def session_kernel():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="faisca", startup_timeout=60)
    reply, _ = execute(kc, "df_base = spark.read.option('delimiter', ';').option('header', 'true').csv('/data/produtos.csv')\nmarker = 'still here'")
    assert reply["status"] == "ok", reply
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def test_there_are_at_least_fifty_cases():
    assert len(BAD_CELLS) >= 50


@pytest.mark.parametrize("code", BAD_CELLS)
def test_bad_cell_is_an_error_and_state_survives(session_kernel, code):
    reply, outputs = execute(session_kernel, code, stop_on_error=False)
    assert reply["status"] == "error", (code, reply)
    assert reply["ename"] and reply["evalue"] and reply["traceback"], reply
    assert reply["traceback"][0].startswith(reply["ename"]), reply["traceback"]
    errors = [m for m in outputs if m["msg_type"] == "error"]
    assert len(errors) == 1 and errors[0]["content"]["ename"] == reply["ename"]
    follow, outputs = execute(session_kernel, "marker")
    assert follow["status"] == "ok"
    assert result_text(outputs) == "'still here'"


def test_syntax_errors_point_at_the_line(session_kernel):
    reply, _ = execute(session_kernel, "x = 1\ny = df_base.select(\n  'nome'))\n", stop_on_error=False)
    assert reply["ename"] == "ParseException"
    assert any(l.strip() == "line 3:" for l in reply["traceback"]), reply["traceback"]
    caret = next(l for l in reply["traceback"] if l.strip().startswith("^"))
    assert caret.index("^") == reply["traceback"][reply["traceback"].index(caret) - 1].index("))") + 1
