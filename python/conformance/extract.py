"""Extracts PySpark's docstring examples (doctests) with their expected output.

    python python/conformance/extract.py   # needs `pyspark` installed (requirements-bench.txt)

Writes python/conformance/pyspark-doctests.json: per docstring, its module, qualified name,
line and examples (source, expected output, expected exception). The runner reads that file,
so the test command needs neither PySpark nor Java.
"""

from __future__ import annotations

import doctest
import importlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "pyspark-doctests.json"

# The modules the issue names, in the order the report lists them. `dataframe` keeps its
# docstrings in pyspark.sql.dataframe (the classic and connect classes inherit them).
MODULES = [
    "pyspark.sql.dataframe",
    "pyspark.sql.column",
    "pyspark.sql.group",
    "pyspark.sql.functions.builtin",
    "pyspark.sql.window",
    "pyspark.sql.readwriter",
    "pyspark.sql.catalog",
    "pyspark.sql.session",
]


def extract() -> dict:
    import pyspark

    finder = doctest.DocTestFinder(exclude_empty=True)
    docstrings = []
    for name in MODULES:
        module = importlib.import_module(name)
        for test in sorted(finder.find(module), key=lambda t: (t.lineno or 0, t.name)):
            if not test.examples:
                continue
            docstrings.append(
                {
                    "module": name.removeprefix("pyspark.sql."),
                    "name": test.name.removeprefix(name + "."),
                    "line": (test.lineno or 0) + 1,
                    "examples": [
                        {
                            "source": ex.source,
                            "want": ex.want,
                            "exc_msg": ex.exc_msg,
                            "line": ex.lineno,
                            # doctest does not run these, so neither does the runner.
                            "skip": bool(ex.options.get(doctest.SKIP)),
                        }
                        for ex in test.examples
                    ],
                }
            )
    return {"pyspark": pyspark.__version__, "docstrings": docstrings}


def main() -> None:
    data = extract()
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    n = sum(len(d["examples"]) for d in data["docstrings"])
    print(f"{OUT.name}: PySpark {data['pyspark']}, {len(data['docstrings'])} docstrings, {n} examples")


if __name__ == "__main__":
    main()
