"""Issue #12's build knobs, side by side in one run: the same notebook cells through
kernels built differently, with Python Polars on the same file as the anchor.

    .venv/bin/python bench/builds.py NAME=BINARY [NAME=BINARY ...]
                                     [--rows 10000000] [--width 100] [--runs 3]

Each binary runs as a kernel with `FAISCA_CACHE_MEMORY=0` (every action parses the file,
so the builds are compared on the parse and the query, not on what memory kept), cells
timed execute → idle; builds and Polars are interleaved run by run. Build the binaries
with scripts/build.sh (release, dist, FAISCA_V3=1): a `faisca-x86-64-v3` beside a binary
is what the kernel runs on a CPU that has x86-64-v3; name that file to measure it alone.
"""
import argparse
import tempfile
from pathlib import Path

from common import ensure_kernelspec, table
from matrix import STEPS, faisca, generate, med, polars


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("builds", nargs="+", help="NAME=BINARY")
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--width", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    builds = dict(b.split("=", 1) for b in args.builds)
    runs = {name: [] for name in builds}
    runs["Polars (default)"] = []
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "p.csv"
        generate(path, args.rows, args.width)
        mb = path.stat().st_size / 1e6
        for _ in range(args.runs):
            for name, binary in builds.items():
                kernel = ensure_kernelspec(Path(binary))
                runs[name].append(faisca(kernel, path, Path(d) / "out", False))
            runs["Polars (default)"].append(polars(path, Path(d) / "out.csv", "auto"))
    base = runs["Polars (default)"]
    rows = []
    for name, rs in runs.items():
        cells = [f"{med(rs, s):.3f} s" + (f" ({med(rs, s) / med(base, s):.2f}x)" if rs is not base else "")
                 for s in STEPS]
        rows.append([name, *cells])
    table(f"Builds on {args.rows:,} rows × ~{args.width} B ({mb:,.0f} MB), median of {args.runs}; "
          "(n x) = time / Polars", ["build", "pipeline", "SQL group-by", "write", "show() raw", "second action"],
          rows)


if __name__ == "__main__":
    main()
