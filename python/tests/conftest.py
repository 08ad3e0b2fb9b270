"""Shared fixtures: the installed kernel, the repo, and a kernel client factory."""
import csv
import os
import socket
from collections import Counter
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[2]
KERNEL_NAME = "faisca"
OUTPUT = ROOT / "test-output"


def expected_category_counts():
    """Counts computed with Python's csv module, independently of the kernel."""
    with open(ROOT / "data" / "produtos.csv", newline="", encoding="utf-8") as f:
        return Counter(row["categoria"] for row in csv.DictReader(f, delimiter=";"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def output_dir():
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture()
def kernel():
    """A fresh Faísca kernel and a blocking client."""
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def execute(kc, code, timeout=60, **kwargs):
    """Runs code; returns (reply content, iopub messages of that request)."""
    msg_id = kc.execute(code, **kwargs)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        outputs.append(msg)
    return reply["content"], outputs


def result_text(outputs):
    for m in outputs:
        if m["msg_type"] == "execute_result":
            return m["content"]["data"]["text/plain"]
    return None


def pytest_configure(config):
    config.addinivalue_line("markers", "hostile: the hostile-input suite (test_hostile.py)")


def pytest_terminal_summary(terminalreporter):
    """The hostile-input suite's count of cases and failures, as its issue asks."""
    def cases(kind):
        return [
            r for r in terminalreporter.stats.get(kind, [])
            if "test_hostile.py" in getattr(r, "nodeid", "") and r.when in ("call", "setup")
            and (kind != "passed" or r.when == "call")
        ]
    passed, failed, errors = cases("passed"), cases("failed"), cases("error")
    total = len(passed) + len(failed) + len(errors)
    if total:
        terminalreporter.write_line(
            f"hostile-input suite: {total} cases, {len(failed) + len(errors)} failures"
        )
