"""Issue #11 benchmark: the chapter pipeline through Spark Connect, side by side in one run.

    .venv/bin/python bench/connect.py [--sizes 1000000 10000000] [--runs 3] [--binary PATH]

Starts Apache Spark's Spark Connect server (local[2], from the venv's pyspark), generates
the products CSVs (bench/matrix.py's generator), and for each file and run times, in turn:

- Faísca → Spark Connect: a kernel with SPARK_REMOTE, cells timed execute → idle;
- PySpark's own Connect client against the same server (`SparkSession.builder.remote`);
- Faísca on its local engine (lazy Polars), the same cells.

Each runs the chapter pipeline (read → concat column → groupBy count, collected) and a SQL
group-by over a temp view. Figures are medians; "Faísca adds" is the remote kernel's time
over PySpark's client's on the same server.
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, Kernel, ensure_kernelspec, release_binary, table
from matrix import generate

sys.path.insert(0, str(ROOT / "python" / "tests"))
from conftest import free_port  # noqa: E402
from spark_connect import SparkConnectServer  # noqa: E402

READ = 'df = spark.read.option("delimiter", ";").option("header", "true").csv("{path}")\n' \
       'from pyspark.sql.functions import concat, lit'
CELLS = {
    "pipeline": 'df.withColumn("nova_coluna", concat(lit("Prefixo"), "descricao"))'
                '.groupBy("categoria").count().collect()',
    "sql": 'df.createOrReplaceTempView("produtos")\n'
           'spark.sql("select categoria, count(*) as n from produtos group by categoria").collect()',
}

CLIENT = r"""
import json, sys, time
from pyspark.sql import SparkSession
from pyspark.sql.functions import concat, lit
url, path = sys.argv[1], sys.argv[2]
spark = SparkSession.builder.remote(url).getOrCreate()
spark.range(10).count()
t = {}
def timed(name, f):
    t0 = time.perf_counter(); f(); t[name] = time.perf_counter() - t0
df = spark.read.option("delimiter", ";").option("header", "true").csv(path)
timed("pipeline", lambda: df.withColumn("nova_coluna", concat(lit("Prefixo"), "descricao")).groupBy("categoria").count().collect())
df.createOrReplaceTempView("produtos")
timed("sql", lambda: spark.sql("select categoria, count(*) as n from produtos group by categoria").collect())
print(json.dumps(t))
"""


def faisca(kernel, path, remote=None):
    import os

    if remote:
        os.environ["SPARK_REMOTE"] = remote
    try:
        k = Kernel(kernel)
    finally:
        os.environ.pop("SPARK_REMOTE", None)
    t = {}
    try:
        # As the PySpark client below: a first query opens the server's session.
        k.execute("spark.range(10).count()")
        secs, reply, _ = k.execute(READ.format(path=path))
        assert reply["status"] == "ok", reply
        t["read"] = secs
        for name, code in CELLS.items():
            secs, reply, _ = k.execute(code)
            assert reply["status"] == "ok", (name, reply)
            t[name] = secs
    finally:
        k.close()
    return t


def client(url, path):
    res = subprocess.run([sys.executable, "-c", CLIENT, url, str(path)], check=True,
                         capture_output=True, text=True, timeout=3600)
    return json.loads(res.stdout.strip().splitlines()[-1])


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary")
    args = ap.parse_args()
    binary = Path(args.binary) if args.binary else release_binary()
    kernel = ensure_kernelspec(binary)
    work = Path(tempfile.mkdtemp(prefix="faisca-connect-bench-"))
    server = SparkConnectServer(free_port(), work / "server.log")
    server.start()
    rows = []
    try:
        for size in args.sizes:
            path = work / f"produtos-{size}.csv"
            generate(path, size, 100)
            mb = path.stat().st_size / 1e6
            remote, pyspark, local = [], [], []
            client(server.url, path)  # untimed: the server's JIT and page cache warm up
            engines = [lambda: remote.append(faisca(kernel, path, server.url)),
                       lambda: pyspark.append(client(server.url, path)),
                       lambda: local.append(faisca(kernel, path))]
            for run in range(args.runs):
                # Rotated, so that no engine always goes first after the file is written.
                for i in range(len(engines)):
                    engines[(run + i) % len(engines)]()
            for step in CELLS:
                r, p, loc = med(remote, step), med(pyspark, step), med(local, step)
                rows.append([f"{size:,} rows ({mb:.0f} MB)", step, f"{r:.3f}", f"{p:.3f}",
                             f"{r - p:+.3f}", f"{loc:.3f}", f"{r / loc:.1f}x"])
    finally:
        server.stop()
    table(f"Spark Connect (Apache Spark 4.3, local[2]), median of {args.runs}, seconds",
          ["file", "step", "Faísca → Connect", "PySpark Connect client", "Faísca adds",
           "Faísca local", "remote / local"], rows)


if __name__ == "__main__":
    main()
