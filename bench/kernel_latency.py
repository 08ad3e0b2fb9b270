"""Issue #2 benchmark: kernel start-up and execute round trip, Faísca vs ipykernel, one run.

    .venv/bin/python bench/kernel_latency.py   (after scripts/venv.sh bench)

Start-up: process spawn → first kernel_info_reply, median of 10 (client connected first,
reconnecting every 1 ms). Round trip: 200 trivial executes (send → reply and idle received),
median and p99. Floors: (a) `echo_kernel`, the same wire layer with an interpreter that does
no work — the same five messages per cell, so faisca / echo is the language's overhead;
(b) kernel_info round trip, the cheapest request/reply of all.

`--baseline PATH` also measures another faisca binary (e.g. the previous commit's release
build) in the same run, to compare a change with what it replaces.
"""
import sys

import subprocess

from common import ROOT, VENV, Kernel, ensure_kernelspec, install_raw_kernelspec, median, p99, raw_startup, release_binary, table

RUNS = 10
EXECUTES = 200


def measure(name, code, argv_for):
    starts = [raw_startup(argv_for) for _ in range(RUNS)]
    k = Kernel(name)
    for _ in range(10):  # warm-up
        k.execute(code)
    rtts = [k.execute(code)[0] for _ in range(EXECUTES)]
    floor = [k.kernel_info_rtt() for _ in range(EXECUTES)]
    k.close()
    return starts, rtts, floor


def ms(x):
    return f"{x * 1000:.2f}"


def main():
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", help="another faisca binary to measure alongside")
    args = parser.parse_args()
    binary = release_binary()
    faisca = ensure_kernelspec(binary)
    subprocess.run(["cargo", "build", "--quiet", "--release", "--locked", "-p", "faisca-wire", "--example", "echo_kernel"],
                   cwd=ROOT, check=True)
    echo_bin = str(ROOT / "target/release/examples/echo_kernel")
    echo = install_raw_kernelspec("faisca-echo-floor", [echo_bin])
    python = str(VENV / "bin/python")
    results = {
        "faisca": measure(faisca, "1 + 1", lambda f: [str(binary), "kernel", "--connection-file", f]),
        "echo floor (wire layer, no-op interpreter)": measure(echo, "1 + 1", lambda f: [echo_bin, f]),
        "ipykernel 7.4": measure("python3", "1 + 1", lambda f: [python, "-m", "ipykernel_launcher", "-f", f]),
    }
    if args.baseline:
        base = install_raw_kernelspec("faisca-baseline", [args.baseline, "kernel", "--connection-file"])
        results["faisca (baseline binary)"] = measure(
            base, "1 + 1", lambda f: [args.baseline, "kernel", "--connection-file", f])
    floor_rtt = median(results["echo floor (wire layer, no-op interpreter)"][1])
    rows = []
    for name, (starts, rtts, info) in results.items():
        rows.append([name, ms(median(starts)), ms(median(rtts)), ms(p99(rtts)), ms(median(info)),
                     f"{median(rtts) / floor_rtt:.2f}x"])
    table("Kernel latency (ms)", ["kernel", "start → kernel_info (median of 10)", "execute RTT median",
                                  "execute RTT p99", "kernel_info RTT median", "RTT / echo floor"], rows)
    print("\nTargets (issue #2): start <= 30 ms; RTT <= 1.3x the floor and well under ipykernel's.")


if __name__ == "__main__":
    sys.exit(main())
