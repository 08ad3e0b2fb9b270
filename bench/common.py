"""Helpers shared by the benchmarks: the kernel binary, kernel clients, peak RSS."""
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("FAISCA_VENV", ROOT / ".venv"))


def release_binary():
    """Builds (if needed) and returns the release faisca binary."""
    out = subprocess.run([str(ROOT / "scripts/build.sh"), "release"], check=True, capture_output=True, text=True)
    return Path(out.stdout.strip().splitlines()[-1])


def ensure_kernelspec(binary):
    """Installs the release kernel into the venv as 'faisca-bench' (leaves 'faisca' alone)."""
    subprocess.run([str(binary), "install", "--prefix", str(VENV), "--name", "faisca-bench",
                    "--data-dir", str(ROOT / "data"), "--model-dir", str(ROOT / "model")],
                   check=True, capture_output=True)
    os.environ["JUPYTER_PATH"] = str(VENV / "share/jupyter")
    return "faisca-bench"


def install_raw_kernelspec(name, argv):
    """A kernelspec for a benchmark-only kernel (argv ends with the connection file)."""
    import json

    d = VENV / "share/jupyter/kernels" / name
    d.mkdir(parents=True, exist_ok=True)
    spec = {"argv": argv + ["{connection_file}"], "display_name": name, "language": "echo", "interrupt_mode": "message"}
    (d / "kernel.json").write_text(json.dumps(spec))
    os.environ["JUPYTER_PATH"] = str(VENV / "share/jupyter")
    return name


def peak_rss_mib(pid):
    """VmHWM: the process' peak resident set, from /proc."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def median(xs):
    return statistics.median(xs)


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


def table(title, header, rows):
    print(f"\n## {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")
    sys.stdout.flush()


def raw_startup(argv_for):
    """Seconds from spawning the kernel process to its first kernel_info_reply, with the
    client connected before the spawn (ZeroMQ connects before bind)."""
    import tempfile

    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.connect import write_connection_file

    import zmq

    with tempfile.TemporaryDirectory() as d:
        fname, info = write_connection_file(fname=f"{d}/conn.json", ip="127.0.0.1")
        # Retry the connection every millisecond (the default 100 ms would dominate).
        ctx = zmq.Context()
        ctx.setsockopt(zmq.RECONNECT_IVL, 1)
        kc = BlockingKernelClient(connection_file=fname, context=ctx)
        kc.load_connection_file()
        kc.start_channels()
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv_for(fname), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kc.kernel_info()
        while True:
            msg = kc.get_shell_msg(timeout=60)
            if msg["msg_type"] == "kernel_info_reply":
                break
        elapsed = time.perf_counter() - t0
        kc.stop_channels()
        proc.kill()
        proc.wait()
        ctx.destroy(linger=0)
        return elapsed


class Kernel:
    """A kernel started by jupyter_client, timed from launch to the first kernel_info_reply."""

    def __init__(self, name):
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(kernel_name=name)
        t0 = time.perf_counter()
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.kernel_info()
        self.kc.get_shell_msg(timeout=60)
        self.startup = time.perf_counter() - t0
        # The shell reply can arrive before the iopub subscription is live; an execute sent
        # then never sees its idle status and waits forever (the stall noted in
        # docs/benchmarks.md). Wait until iopub delivers too.
        self.kc.wait_for_ready(timeout=60)
        self.pid = self.km.provisioner.process.pid

    def execute(self, code, timeout=3600):
        """Runs code; returns (seconds until both the reply and idle arrived, reply, outputs).
        Each output carries `sent_after`: seconds from the request to the kernel sending it
        (from the two messages' header dates, so the order this client reads in does not
        matter)."""
        t0 = time.perf_counter()
        msg_id = self.kc.execute(code)
        reply = self.kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=timeout)
        outputs = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            msg["sent_after"] = (msg["header"]["date"] - msg["parent_header"]["date"]).total_seconds()
            outputs.append(msg)
        return time.perf_counter() - t0, reply["content"], outputs

    def kernel_info_rtt(self):
        t0 = time.perf_counter()
        self.kc.kernel_info()
        self.kc.get_shell_msg(timeout=10)
        return time.perf_counter() - t0

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
