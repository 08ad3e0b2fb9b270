"""Issue #12 benchmark: Faísca against Python Polars and PySpark, side by side in one run.

    .venv/bin/python bench/matrix.py [--sizes 1000000 10000000] [--widths 100 800]
                                     [--runs 3] [--binary PATH] [--no-pyspark]

For each file (rows × bytes a row, a generated products CSV) and each run, the engines run
in turn (interleaved, so drift hits them alike), each in a fresh process:

- Faísca through the kernel (a release build, or `--binary`), cells timed execute → idle,
  twice: with `FAISCA_CACHE_MEMORY=0` (every action parses the file, as Polars does) and
  with files kept (the default: the first action keeps the columns it parsed, later ones
  read them; its peak RSS is shown with the kept bytes, the cache's share);
- Python Polars, its default engine and the in-memory one;
- PySpark `local[2]` (warm: one session per file, a throw-away query first).

Each runs: the chapter pipeline (read → concat column → groupBy count → show), a SQL
group-by, a write with the added column, `show()` of a raw read, and the same group-by a
second time (what a notebook's second cell on the same file costs). Figures are medians
of the runs; peak RSS is the process high-water mark. Each engine starts after `sync`, so
its write does not wait on pages another engine's write left going to disk.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import Kernel, ensure_kernelspec, peak_rss_mib, release_binary, table

WORDS = ["Livro", "Boneca", "Jogo", "Batom", "capa", "dura", "edição", "infantil", "PlayStation",
         "matte", "colecionador", "Hasbro", "Nintendo", "Base", "líquida", "Senhor", "dos", "anéis"]
STEPS = ["pipeline", "sql", "write", "show", "second"]


def generate(path, rows, width):
    """A products CSV of about `width` bytes a row (the description carries the bulk)."""
    import polars as pl

    words = max(1, (width - 40) // 8)
    i = pl.int_range(0, rows, eager=True)
    desc = pl.concat_str([pl.lit(WORDS[k % len(WORDS)]) for k in range(words)], separator=" ")
    pl.DataFrame({"i": i}).select(
        nome=pl.lit("Produto ") + pl.col("i").cast(pl.String),
        descricao=desc + pl.lit(" ") + pl.col("i").mod(997).cast(pl.String),
        categoria=pl.col("i").mod(4).replace_strict([0, 1, 2, 3], ["game", "maquiagem", "brinquedo", "livro"]),
    ).write_csv(path, separator=";")


POLARS = r"""
import json, resource, sys, time, polars as pl
path, out, engine = sys.argv[1], sys.argv[2], sys.argv[3]
t = {}
def scan():
    return pl.scan_csv(path, separator=";", infer_schema=False)
def timed(name, f):
    t0 = time.perf_counter(); f(); t[name] = time.perf_counter() - t0
nova = pl.concat_str([pl.lit("Prefixo"), pl.col("descricao")]).alias("nova_coluna")
group = lambda: scan().group_by("categoria").agg(pl.len().alias("count")).collect(engine=engine)
timed("pipeline", lambda: print(scan().with_columns(nova).group_by("categoria").agg(pl.len().alias("count")).collect(engine=engine)))
timed("sql", lambda: print(pl.SQLContext(produtos=scan()).execute("select categoria, count(*) as n from produtos group by categoria").collect(engine=engine)))
timed("write", lambda: scan().with_columns(nova).sink_csv(out) if engine != "in-memory" else scan().with_columns(nova).collect(engine=engine).write_csv(out))
timed("show", lambda: print(scan().head(20).collect(engine=engine)))
group()
timed("second", group)
t["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(t))
"""

PYSPARK = r"""
import json, os, sys, time
from pyspark.sql import SparkSession
from pyspark.sql.functions import concat, lit
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.driver.memory", "4g").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
path, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
spark.range(1000).groupBy().count().collect()  # warm the JVM
results = []
for r in range(runs):
    t = {}
    def timed(name, f):
        t0 = time.perf_counter(); f(); t[name] = time.perf_counter() - t0
    df = spark.read.option("delimiter", ";").option("header", "true").csv(path)
    timed("pipeline", lambda: df.withColumn("nova_coluna", concat(lit("Prefixo"), "descricao")).groupBy("categoria").count().show())
    df.createOrReplaceTempView("produtos")
    timed("sql", lambda: spark.sql("select categoria, count(*) as n from produtos group by categoria").show())
    os.sync()  # each write starts with no other write's pages still going to disk
    timed("write", lambda: df.withColumn("nova_coluna", concat(lit("Prefixo"), "descricao")).write.mode("overwrite").csv(out))
    timed("show", lambda: spark.read.option("delimiter", ";").option("header", "true").csv(path).show())
    df.groupBy("categoria").count().collect()
    timed("second", lambda: df.groupBy("categoria").count().collect())
    results.append(t)
print(json.dumps(results))
"""


def kept_mib(k):
    """The bytes of file columns the kernel keeps, from its jobs page."""
    import re
    import urllib.request

    _, _, outputs = k.execute("spark")
    text = " ".join(o["content"].get("data", {}).get("text/plain", "") for o in outputs
                    if o["msg_type"] == "execute_result")
    page = re.search(r"Jobs UI: (\S+)", text).group(1)
    with urllib.request.urlopen(page + "api/kept-files", timeout=10) as r:
        return json.load(r)["used"] / 2**20


def faisca(kernel, path, out, keep):
    import os

    if keep:
        os.environ.pop("FAISCA_CACHE_MEMORY", None)  # the default budget
    else:
        os.environ["FAISCA_CACHE_MEMORY"] = "0"
    k = Kernel(kernel)
    read = f'df = spark.read.option("delimiter", ";").option("header", "true").csv("{path}")\n' \
           'from pyspark.sql.functions import concat, lit'
    cells = {
        "pipeline": 'df.withColumn("nova_coluna", concat(lit("Prefixo"), "descricao")).groupBy("categoria").count().show()',
        "sql": 'df.createOrReplaceTempView("produtos")\nspark.sql("select categoria, count(*) as n from produtos group by categoria").show()',
        "write": f'df.withColumn("nova_coluna", concat(lit("Prefixo"), "descricao")).write.mode("overwrite").csv("{out}")',
        "show": f'spark.read.option("delimiter", ";").option("header", "true").csv("{path}").show()',
        "warm": 'df.groupBy("categoria").count().collect()',
        "second": 'df.groupBy("categoria").count().collect()',
    }
    t = {}
    try:
        k.execute(read)
        for name, code in cells.items():
            secs, reply, _ = k.execute(code)
            assert reply["status"] == "ok", (name, reply)
            t[name] = secs
        t["rss"] = peak_rss_mib(k.pid)
        t["kept"] = kept_mib(k)
    finally:
        k.close()
    return t


def polars(path, out, engine):
    res = subprocess.run([sys.executable, "-c", POLARS, str(path), str(out), engine],
                         check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def pyspark(path, out, runs):
    try:
        res = subprocess.run([sys.executable, "-c", PYSPARK, str(path), str(out), str(runs)],
                             check=True, capture_output=True, text=True, timeout=3600)
    except (subprocess.CalledProcessError, FileNotFoundError) as e:
        print(f"(PySpark not measured: {e})", file=sys.stderr)
        return []
    return json.loads(res.stdout.strip().splitlines()[-1])


def med(runs, key):
    xs = [r[key] for r in runs if key in r]
    return statistics.median(xs) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--widths", type=int, nargs="+", default=[100, 800])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", type=Path, help="a faisca binary (default: the release build)")
    ap.add_argument("--no-pyspark", action="store_true")
    args = ap.parse_args()
    kernel = ensure_kernelspec(args.binary or release_binary())
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for size in args.sizes:
            for width in args.widths:
                path = Path(d) / f"p{size}x{width}.csv"
                generate(path, size, width)
                mb = path.stat().st_size / 1e6
                runs = {"Faísca": [], "Faísca, files kept": [], "Polars (default)": [],
                        "Polars (in-memory)": []}
                # One output path per engine, overwritten run after run (an 8 GB file's
                # outputs would not fit the disk otherwise); `sync` before each engine so
                # no write waits on pages an earlier one left going to disk.
                for _ in range(args.runs):
                    os.sync()
                    runs["Faísca"].append(faisca(kernel, path, Path(d) / "out-faisca", False))
                    os.sync()
                    runs["Faísca, files kept"].append(faisca(kernel, path, Path(d) / "out-faisca", True))
                    os.sync()
                    runs["Polars (default)"].append(polars(path, Path(d) / "out-pl.csv", "auto"))
                    os.sync()
                    runs["Polars (in-memory)"].append(polars(path, Path(d) / "out-pl.csv", "in-memory"))
                os.sync()
                if not args.no_pyspark:
                    runs["PySpark local[2]"] = pyspark(path, str(Path(d) / "out-spark"), args.runs)
                base = runs["Polars (default)"]
                for engine, rs in runs.items():
                    if not rs:
                        continue
                    cells = [f"{med(rs, s):.3f} s" + (
                        f" ({med(rs, s) / med(base, s):.1f}x)" if engine != "Polars (default)" else "")
                        for s in STEPS]
                    rss, kept = med(rs, "rss"), med(rs, "kept")
                    memory = "—" if rss != rss else f"{rss:,.0f} MiB"
                    if kept == kept and kept > 0:
                        memory += f" (kept {kept:,.0f})"
                    rows.append([f"{size:,} × ~{width} B ({mb:,.0f} MB)", engine, *cells, memory])
                path.unlink()
                for out in Path(d).iterdir():
                    shutil.rmtree(out) if out.is_dir() else out.unlink()
    table(f"Faísca vs Python Polars vs PySpark (median of {args.runs}; (n x) = time / Polars default)",
          ["file", "engine", "pipeline", "SQL group-by", "write", "show() raw", "second action", "peak RSS"], rows)


if __name__ == "__main__":
    main()
