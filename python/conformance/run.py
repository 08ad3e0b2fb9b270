"""Runs PySpark's docstring examples through the Faísca kernel and compares the outputs.

    python python/conformance/run.py [--report docs/conformance.md] [--only NAME]

Each docstring runs in order in one kernel with fresh variables (`%reset -f` between
docstrings). An example passes when its output matches PySpark's under doctest's
ELLIPSIS and NORMALIZE_WHITESPACE, or, when PySpark raises, when the kernel raises an error
of the same class. Docstrings that need Python itself (pandas/NumPy objects, RDDs, Python
UDFs, Arrow) are counted apart as out of scope.
"""

from __future__ import annotations

import argparse
import doctest
import json
import queue
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DOCTESTS = HERE / "pyspark-doctests.json"
BASELINE = HERE / "baseline.json"
KERNEL_NAME = "faisca"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

# What makes a docstring out of scope, checked in its examples' source, in order.
OUT_OF_SCOPE = [
    (re.compile(r"\bpandas_api\b|\btoPandas\b|\bimport pandas\b|\bpd\.DataFrame\b|\bps\."), "pandas objects"),
    (re.compile(r"\bnumpy\b|\bnp\."), "NumPy objects"),
    (re.compile(r"\.rdd\b|\bsc\.|\bsparkContext\b|\bparallelize\b"), "RDDs"),
    (re.compile(r"\bmapInPandas\b|\bapplyInPandas\b|\bcogroup\b"), "mapInPandas/applyInPandas"),
    (re.compile(r"\bmapInArrow\b|\bapplyInArrow\b|\btoArrow\b|\bpyarrow\b|\bpa\."), "Arrow objects"),
    (re.compile(r"@udtf\b|\budtf\(|@arrow_udtf\b"), "Python table functions"),
    (re.compile(r"@udf\b|\budf\(|\bregisterJavaFunction\b"), "Python UDFs"),
    (re.compile(r"\bforeachBatch\b|\bforeach\(|\bforeachPartition\b"), "Python callbacks per row"),
]


def out_of_scope(docstring: dict) -> str | None:
    source = "".join(ex["source"] for ex in docstring["examples"])
    for pattern, reason in OUT_OF_SCOPE:
        if pattern.search(source):
            return reason
    return None


def expected_exception(example: dict) -> str | None:
    """The class PySpark raised (`pyspark.errors...AnalysisException` → `AnalysisException`)."""
    if example["exc_msg"] is None:
        return None
    for line in reversed(example["want"].splitlines()):
        m = re.match(r"^([A-Za-z_][\w.]*)(?::|$)", line)
        if m and not line.startswith(("Traceback", " ")):
            return m.group(1).rsplit(".", 1)[-1]
    return "Exception"


def same_class(expected: str, got: str) -> bool:
    """PySparkValueError and ValueError are the same error to a notebook; so are their
    Spark-side names with or without the `PySpark` prefix."""
    def base(n: str) -> str:
        return n.removeprefix("PySpark")
    return base(expected) == base(got) or expected == "Exception"


@dataclass
class Outcome:
    passed: bool
    cause: str = ""
    detail: str = ""  # the unblanked message, for --verbose


@dataclass
class DocResult:
    module: str
    name: str
    line: int
    scope: str | None
    outcomes: list[Outcome] = field(default_factory=list)


class Kernel:
    """One Faísca kernel over jupyter_client, restarted when it dies or hangs."""

    def __init__(self):
        self.km = self.kc = None
        self.start()

    def start(self):
        from jupyter_client.manager import start_new_kernel

        self.km, self.kc = start_new_kernel(
            kernel_name=KERNEL_NAME, startup_timeout=60, stderr=subprocess.DEVNULL
        )

    def restart(self):
        self.stop()
        self.start()

    def stop(self):
        if self.kc:
            self.kc.stop_channels()
        if self.km:
            self.km.shutdown_kernel(now=True)

    def run(self, code: str, timeout: float = 60) -> tuple[str, dict | None]:
        """The example's output as doctest sees it, and the error (ename, evalue) if any."""
        kc = self.kc
        msg_id = kc.execute(code, store_history=False)
        text: list[str] = []
        error = None
        deadline = time.monotonic() + timeout
        while True:
            try:
                msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                self.restart()
                return "".join(text), {"ename": "Timeout", "evalue": f"no answer in {timeout:.0f} s"}
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                break
            if kind == "stream" and content["name"] == "stdout":
                text.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                if (content.get("transient") or {}).get("display_id", "").startswith("faisca-"):
                    continue  # live progress, not output
                plain = content["data"].get("text/plain")
                if plain is not None:
                    text.append(plain + "\n")
            elif kind == "error":
                error = {"ename": content["ename"], "evalue": content["evalue"]}
        while True:  # the matching shell reply, so requests never interleave
            reply = kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if not self.km.is_alive():
            self.restart()
            error = error or {"ename": "KernelDied", "evalue": "the kernel exited"}
        return "".join(text), error


def cause_of(error: dict) -> str:
    """A failure's cause, with names and numbers blanked so that alike ones group."""
    first = error["evalue"].strip().splitlines()[0] if error["evalue"].strip() else ""
    first = re.sub(r"'[^']*'|`[^`]*`|\"[^\"]*\"", "…", first)
    first = re.sub(r"\d+", "N", first)
    return f"{error['ename']}: {first}"[:110]


def run_docstring(kernel: Kernel, doc: dict) -> DocResult:
    result = DocResult(doc["module"], doc["name"], doc["line"], out_of_scope(doc))
    # Examples marked `# doctest: +SKIP` are not run by doctest either.
    examples = [ex for ex in doc["examples"] if not ex.get("skip")]
    if result.scope:
        result.outcomes = [Outcome(False, result.scope) for _ in examples]
        return result
    kernel.run("%reset -f")
    checker = doctest.OutputChecker()
    for ex in examples:
        got, error = kernel.run(ex["source"])
        wanted = expected_exception(ex)
        if wanted:
            if error and same_class(wanted, error["ename"]):
                result.outcomes.append(Outcome(True))
            elif error:
                result.outcomes.append(Outcome(False, f"raised {error['ename']}, PySpark {wanted}"))
            else:
                result.outcomes.append(Outcome(False, f"no error, PySpark raises {wanted}"))
        elif error:
            detail = f"{error['ename']}: {error['evalue'].strip()[:200]}"
            result.outcomes.append(Outcome(False, cause_of(error), detail))
        elif checker.check_output(ex["want"], got, FLAGS):
            result.outcomes.append(Outcome(True))
        else:
            detail = f"got {got[:300]!r}, want {ex['want'][:300]!r}"
            result.outcomes.append(Outcome(False, "different output", detail))
    return result


def run_all(only: str | None = None, progress: bool = False) -> tuple[dict, list[DocResult]]:
    data = json.loads(DOCTESTS.read_text())
    docs = [d for d in data["docstrings"] if not only or only in f"{d['module']}.{d['name']}"]
    kernel = Kernel()
    results = []
    try:
        for i, doc in enumerate(docs):
            results.append(run_docstring(kernel, doc))
            if progress and i % 50 == 0:
                print(f"{i}/{len(docs)} {doc['module']}.{doc['name']}", file=sys.stderr)
    finally:
        kernel.stop()
    return data, results


def summary(results: list[DocResult]) -> dict:
    in_scope = [o for r in results if not r.scope for o in r.outcomes]
    return {
        "in_scope": len(in_scope),
        "passed": sum(o.passed for o in in_scope),
        "out_of_scope": sum(len(r.outcomes) for r in results if r.scope),
    }


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "–"


def report(data: dict, results: list[DocResult]) -> str:
    by_module: dict[str, list[DocResult]] = defaultdict(list)
    for r in results:
        by_module[r.module].append(r)
    total = summary(results)
    lines = [
        "# Conformance with PySpark's own examples",
        "",
        f"PySpark {data['pyspark']}'s docstring examples (doctests) run through the Faísca kernel, "
        "each docstring's examples in order with fresh variables, outputs compared with PySpark's "
        "under doctest's `ELLIPSIS` and `NORMALIZE_WHITESPACE`; an expected exception counts when "
        "the kernel raises the same class. Regenerate with `.venv/bin/python python/conformance/run.py --report "
        "docs/conformance.md --baseline` (the installed kernel; `extract.py` refreshes the examples); "
        "`python/tests/test_conformance.py` fails if the pass count drops below "
        "`python/conformance/baseline.json`.",
        "",
        f"**{total['passed']} of {total['in_scope']} in-scope examples pass "
        f"({pct(total['passed'], total['in_scope'])}); {total['out_of_scope']} examples are out of scope.**",
        "",
        "| module | examples in scope | pass | rate | docstrings fully passing | out of scope |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for module, rs in by_module.items():
        s = summary(rs)
        full = sum(1 for r in rs if not r.scope and all(o.passed for o in r.outcomes))
        docs_in = sum(1 for r in rs if not r.scope)
        lines.append(
            f"| {module} | {s['in_scope']} | {s['passed']} | {pct(s['passed'], s['in_scope'])} "
            f"| {full} of {docs_in} | {s['out_of_scope']} |"
        )
    causes = Counter(o.cause for r in results if not r.scope for o in r.outcomes if not o.passed)
    lines += ["", "## Top causes of failure", "", "| examples | cause |", "|---:|---|"]
    for cause, n in causes.most_common(40):
        lines.append(f"| {n} | {cell(cause)} |")
    scope = Counter()
    for r in results:
        if r.scope:
            scope[r.scope] += len(r.outcomes)
    lines += ["", "## Out of scope", "", "| examples | needs |", "|---:|---|"]
    for reason, n in scope.most_common():
        lines.append(f"| {n} | {reason} |")
    lines += ["", "## Per method", ""]
    for module, rs in by_module.items():
        lines += [f"<details><summary>{module}</summary>", "", "| method | pass | first failure |", "|---|---:|---|"]
        for r in rs:
            if r.scope:
                lines.append(f"| `{r.name}` | out of scope | {r.scope} |")
                continue
            ok = sum(o.passed for o in r.outcomes)
            first = next((o.cause for o in r.outcomes if not o.passed), "")
            lines.append(f"| `{r.name}` | {ok}/{len(r.outcomes)} | {cell(first)} |")
        lines += ["", "</details>", ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", type=Path, help="write the markdown report here")
    ap.add_argument("--baseline", action="store_true", help="write baseline.json from this run")
    ap.add_argument("--only", help="run docstrings whose module.name contains this")
    ap.add_argument("--verbose", action="store_true", help="print each failing example")
    args = ap.parse_args()
    started = time.monotonic()
    data, results = run_all(args.only, progress=True)
    s = summary(results)
    if args.verbose:
        for r in results:
            for o in r.outcomes:
                if not o.passed and not r.scope:
                    print(f"{r.module}.{r.name}: {o.detail or o.cause}")
    print(
        f"{s['passed']} of {s['in_scope']} in-scope examples pass ({pct(s['passed'], s['in_scope'])}); "
        f"{s['out_of_scope']} out of scope; {time.monotonic() - started:.0f} s"
    )
    if args.report:
        args.report.write_text(report(data, results))
    if args.baseline:
        BASELINE.write_text(json.dumps({"pyspark": data["pyspark"], **s}, indent=1) + "\n")


if __name__ == "__main__":
    main()
