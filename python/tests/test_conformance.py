"""The PySpark doctest ratchet: the kernel passes at least as many of PySpark's own
docstring examples as python/conformance/baseline.json records (see docs/conformance.md)."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))
import run as conformance  # noqa: E402


# A few examples group without ordering (PySpark's own doctests print whatever order its
# hash aggregate gives; Faísca's parallel group-by has no fixed order either), so one run
# can pass one or two more or fewer of them than the next.
UNORDERED_MARGIN = 3


def test_pyspark_doctests_pass_count_does_not_drop():
    baseline = json.loads(conformance.BASELINE.read_text())
    data, results = conformance.run_all()
    now = conformance.summary(results)
    assert data["pyspark"] == baseline["pyspark"]
    assert now["in_scope"] + now["out_of_scope"] == baseline["in_scope"] + baseline["out_of_scope"]
    failing = [
        f"{r.module}.{r.name}: {o.detail or o.cause}"
        for r in results if not r.scope for o in r.outcomes if not o.passed
    ]
    assert now["passed"] >= baseline["passed"] - UNORDERED_MARGIN, (
        f"{now['passed']} examples pass, the baseline is {baseline['passed']}; "
        f"first failures: {failing[:20]}"
    )
    if now["passed"] > baseline["passed"]:
        print(f"\n{now['passed'] - baseline['passed']} more examples pass than the baseline: "
              "regenerate it with python/conformance/run.py --report docs/conformance.md --baseline")


def test_an_example_that_differs_fails():
    """The comparison can fail: a wrong expected output is caught, a right one passes."""
    doc = {"module": "m", "name": "n", "line": 1, "examples": [
        {"source": "1 + 1\n", "want": "2\n", "exc_msg": None, "line": 0},
        {"source": "1 + 1\n", "want": "3\n", "exc_msg": None, "line": 1},
        {"source": "spark.table('nope')\n",
         "want": "Traceback (most recent call last):\n...\n"
                 "pyspark.errors.exceptions.captured.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] ...\n",
         "exc_msg": "[TABLE_OR_VIEW_NOT_FOUND] ...\n", "line": 2},
        {"source": "spark.table('nope')\n",
         "want": "Traceback (most recent call last):\n...\nValueError: no\n",
         "exc_msg": "no\n", "line": 3},
    ]}
    kernel = conformance.Kernel()
    try:
        result = conformance.run_docstring(kernel, doc)
    finally:
        kernel.stop()
    assert [o.passed for o in result.outcomes] == [True, False, True, False]
