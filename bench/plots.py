"""Charts on 10M rows through the release kernel: for each plot kind, the points and bytes
sent to the frontend (against the rows in the DataFrame) and the cell's time, execute →
idle; plus how long a slow action's progress line takes to appear and how many updates it
sends.

    .venv/bin/python bench/plots.py [--rows 10000000]
"""
import argparse
import json
import re
import tempfile
from pathlib import Path

from common import Kernel, ensure_kernelspec, release_binary, table

KINDS = [
    ("bar", 'by_cat.plot.bar(x="categoria", y="count")'),
    ("barh", 'by_cat.plot.barh(x="categoria", y="count")'),
    ("pie", 'by_cat.plot.pie(x="categoria", y="count")'),
    ("hist", 'df.plot.hist(column="valor", bins=50)'),
    ("box", 'df.plot.box(column=["valor", "id"])'),
    ("kde", 'df.plot.kde(column="valor")'),
    ("scatter", 'df.plot.scatter(x="id", y="valor")'),
    ("line", 'df.plot.line(x="id", y="valor")'),
    ("area", 'df.plot.area(x="id", y="valor")'),
]


def write_csv(path, rows):
    with open(path, "w") as f:
        f.write("id,valor,categoria\n")
        step = 500_000
        for start in range(0, rows, step):
            f.write("".join(f"{i},{(i * 7919) % 100003 / 7.0:.3f},cat{i % 13}\n"
                            for i in range(start, min(rows, start + step))))


def run(kernel, code):
    """Runs code; stops the benchmark on an error."""
    elapsed, reply, outputs = kernel.execute(code, timeout=600)
    if reply["status"] != "ok":
        raise SystemExit(f"{code}: {reply.get('evalue')}")
    return elapsed, outputs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    args = ap.parse_args()
    kernel = ensure_kernelspec(release_binary())
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "pontos.csv"
        write_csv(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        k = Kernel(kernel)
        try:
            run(k, f'df = spark.read.csv("{path}", header=True, inferSchema=True)\n'
                    'by_cat = df.groupBy("categoria").count().orderBy("categoria")')
            rows = []
            for kind, code in KINDS:
                elapsed, outputs = run(k, code)
                data = next(m["content"]["data"] for m in outputs if m["msg_type"] == "execute_result")
                points = int(re.search(r"(\d+) points", data["text/plain"]).group(1))
                vega = len(json.dumps(data["application/vnd.vegalite.v5+json"]))
                svg = len(data["image/svg+xml"])
                rows.append([kind, f"{args.rows:,}", f"{points:,}", f"{vega / 1024:.0f} KiB",
                             f"{svg / 1024:.0f} KiB", f"{elapsed:.2f} s"])
            table(f"Charts on {args.rows:,} rows ({size_mb:.0f} MB CSV), release kernel",
                  ["kind", "rows in the DataFrame", "points sent", "Vega-Lite", "SVG", "cell time"], rows)

            elapsed, outputs = run(k, 'df.groupBy("categoria").count().collect()')
            live = [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data")
                    and m["content"].get("transient", {}).get("display_id", "").startswith("faisca-")]
            first = f"{live[0]['sent_after']:.2f} s" if live else "none (faster than 0.5 s)"
            last = live[-1]["content"]["data"]["text/plain"] if live else "-"
            table("Live progress on a group-by of the same file",
                  ["cell time", "line appears after", "messages (display + updates)", "final line"],
                  [[f"{elapsed:.2f} s", first, len(live), last]])
        finally:
            k.close()


if __name__ == "__main__":
    main()
