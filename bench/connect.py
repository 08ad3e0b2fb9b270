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

Batch inference (`--inference N`): a classifier trained on data/produtos.csv scores N rows
of its descriptions, each made distinct (a row number appended), and the predictions are
counted per class — on the server and locally. PySpark has no built-in counterpart (a
Python UDF would carry the model), so its column says so.
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


TRAIN = ('from pyspark.sql.functions import col\n'
         'treino = spark.read.option("delimiter", ";").option("header", "true").csv("{data}")\n'
         'modelo = NaiveBayes(text=["descricao"], label="categoria")'
         '.fit(treino.filter(col("descricao").isNotNull()))\n'
         'textos = spark.read.option("delimiter", ";").option("header", "true").csv("{path}")')
INFER = 'textos.withColumn("p", modelo.predict("descricao")).groupBy("p").count().collect()'


def inference_file(path, rows):
    """`rows` descriptions of the real data set, each made distinct."""
    import polars as pl

    real = pl.read_csv(ROOT / "data" / "produtos.csv", separator=";", infer_schema=False)
    real = real.filter(pl.col("descricao").is_not_null())
    i = pl.int_range(0, rows, eager=True)
    pl.DataFrame({"i": i}).select(
        descricao=real["descricao"].gather(i % real.height) + pl.lit(" n") + i.cast(pl.String),
    ).write_csv(path, separator=";")


def start(kernel, remote=None):
    """A kernel, sent to the Spark Connect server at `remote` when given."""
    import os

    if remote:
        os.environ["SPARK_REMOTE"] = remote
    try:
        return Kernel(kernel)
    finally:
        os.environ.pop("SPARK_REMOTE", None)


def inference(kernel, path, remote=None):
    k = start(kernel, remote)
    try:
        _, reply, _ = k.execute(TRAIN.format(data=ROOT / "data" / "produtos.csv", path=path))
        assert reply["status"] == "ok", reply
        secs, reply, _ = k.execute(INFER)
        assert reply["status"] == "ok", reply
        return secs
    finally:
        k.close()


def faisca(kernel, path, remote=None):
    k = start(kernel, remote)
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
    ap.add_argument("--inference", type=int, nargs="*", default=[1_000_000],
                    help="rows scored by the batch-inference step (none: skip it)")
    args = ap.parse_args()
    binary = Path(args.binary) if args.binary else release_binary()
    kernel = ensure_kernelspec(binary)
    work = Path(tempfile.mkdtemp(prefix="faisca-connect-bench-"))
    server = SparkConnectServer(free_port(), work / "server.log")
    server.start()
    rows, scored = [], []
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
        for size in args.inference:
            path = work / f"textos-{size}.csv"
            inference_file(path, size)
            remote, local = [], []
            for run in range(args.runs):
                for i in range(2):
                    if (run + i) % 2 == 0:
                        remote.append(inference(kernel, path, server.url))
                    else:
                        local.append(inference(kernel, path))
            r, loc = statistics.median(remote), statistics.median(local)
            scored.append([f"{size:,}", f"{r:.3f}", f"{size / r:,.0f}", f"{loc:.3f}",
                           f"{size / loc:,.0f}"])
    finally:
        server.stop()
    table(f"Spark Connect (Apache Spark 4.3, local[2]), median of {args.runs}, seconds",
          ["file", "step", "Faísca → Connect", "PySpark Connect client", "Faísca adds",
           "Faísca local", "remote / local"], rows)
    if scored:
        table(f"Batch inference (predict + count per class), median of {args.runs}, seconds",
              ["distinct texts", "Faísca → Connect", "rows/s", "Faísca local", "rows/s"], scored)


if __name__ == "__main__":
    main()
