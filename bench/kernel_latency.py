"""Issue #2 benchmark: kernel start-up and execute round trip, Faísca vs ipykernel, one run.

    .venv/bin/python bench/kernel_latency.py   (after scripts/venv.sh bench)

Start-up: launch → first kernel_info_reply, median of 10. Round trip: 200 trivial executes
(send → reply and idle received), median and p99. Floor: kernel_info round trip on the same
kernel, the cheapest request/reply the protocol has (no busy/idle, no interpreter).
"""
import sys

from common import VENV, Kernel, ensure_kernelspec, median, p99, raw_startup, release_binary, table

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
    binary = release_binary()
    faisca = ensure_kernelspec(binary)
    python = str(VENV / "bin/python")
    results = {
        "faisca": measure(faisca, "1 + 1", lambda f: [str(binary), "kernel", "--connection-file", f]),
        "ipykernel": measure("python3", "1 + 1", lambda f: [python, "-m", "ipykernel_launcher", "-f", f]),
    }
    rows = []
    for name, (starts, rtts, floor) in results.items():
        rows.append([name, ms(median(starts)), ms(median(rtts)), ms(p99(rtts)), ms(median(floor)),
                     f"{median(rtts) / median(floor):.2f}x"])
    table("Kernel latency (ms)", ["kernel", "start → kernel_info (median of 10)", "execute RTT median",
                                  "execute RTT p99", "floor: kernel_info RTT median", "RTT / floor"], rows)
    print("\nTargets (issue #2): start <= 30 ms; RTT <= 1.3x the floor and well under ipykernel's.")


if __name__ == "__main__":
    sys.exit(main())
