"""Issue #12 (part): the second action on the same file, with and without `df.cache()`,
through the release kernel, side by side with Python Polars (which parses the file again
for every collect) in one run. Median of 3 runs each, engines interleaved.

    .venv/bin/python bench/cache.py [--rows 10000000]
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import Kernel, ensure_kernelspec, release_binary, table
from dataframe import generate

POLARS = r"""
import sys, time, polars as pl
lf = pl.scan_csv(sys.argv[1], separator=";", infer_schema=False)
q = lambda: lf.group_by("categoria").agg(pl.len()).collect()
t0 = time.perf_counter(); q(); first = time.perf_counter() - t0
t0 = time.perf_counter(); q(); second = time.perf_counter() - t0
print(first, second)
"""

QUERY = 'df.groupBy("categoria").count().collect()'


def faisca(kernel, path, cached):
    k = Kernel(kernel)
    try:
        read = f'df = spark.read.csv("{path}", sep=";", header=True)'
        k.execute(read + (".cache()" if cached else ""))
        first, _, _ = k.execute(QUERY)
        second, _, _ = k.execute(QUERY)
        return first, second
    finally:
        k.close()


def polars(path):
    out = subprocess.run([sys.executable, "-c", POLARS, str(path)], check=True, capture_output=True, text=True)
    first, second = map(float, out.stdout.split())
    return first, second


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    kernel = ensure_kernelspec(release_binary())
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "produtos.csv"
        generate(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        runs = {"Faísca": [], "Faísca, df.cache()": [], "Python Polars": []}
        for _ in range(args.runs):
            runs["Faísca"].append(faisca(kernel, path, cached=False))
            runs["Faísca, df.cache()"].append(faisca(kernel, path, cached=True))
            runs["Python Polars"].append(polars(path))
        rows = []
        for name, times in runs.items():
            first = statistics.median(t[0] for t in times)
            second = statistics.median(t[1] for t in times)
            rows.append([name, f"{first:.3f} s", f"{second:.3f} s"])
        table(f"group-by count, twice on the same file ({args.rows:,} rows, {size_mb:.0f} MB), median of {args.runs}",
              ["engine", "first action", "second action"], rows)


if __name__ == "__main__":
    main()
