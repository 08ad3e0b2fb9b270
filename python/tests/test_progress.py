"""Live progress on the wire: a slow action sends a display_data with a display id, then
update_display_data for the same id, ending as the one-line summary; an interrupt still
stops it; a fast action sends none."""
import re
import threading

from conftest import execute


def big_csv(path, rows=1_500_000):
    with open(path, "w") as f:
        f.write("id,descricao,categoria\n")
        for start in range(0, rows, 100_000):
            f.write("".join(f"{i},produto numero {i} com uma descricao longa,cat{i % 7}\n"
                            for i in range(start, min(rows, start + 100_000))))
    return path


def live(outputs):
    return [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data")
            and m["content"].get("transient", {}).get("display_id", "").startswith("faisca-")]


def test_a_slow_action_updates_one_line_in_place(kernel, tmp_path):
    _, kc = kernel
    path = big_csv(tmp_path / "grande.csv")
    reply, outputs = execute(kc, f'spark.read.csv("{path}", header=True).groupBy("categoria").count().count()', timeout=120)
    assert reply["status"] == "ok", reply
    messages = live(outputs)
    assert messages and messages[0]["msg_type"] == "display_data", [m["msg_type"] for m in outputs]
    ids = {m["content"]["transient"]["display_id"] for m in messages}
    assert len(ids) == 1, ids
    assert all(m["msg_type"] == "update_display_data" for m in messages[1:])
    first = messages[0]["content"]["data"]["text/plain"]
    assert re.search(r"of [\d.]+ MiB read", first), first
    last = messages[-1]["content"]["data"]
    assert re.fullmatch(r"job \d+ · 1 row · [\d.]+ s", last["text/plain"]), last
    assert "faisca-progress-done" in last["text/html"]


def test_an_interrupt_stops_the_action_and_its_line_says_so(kernel, tmp_path):
    km, kc = kernel
    path = big_csv(tmp_path / "grande.csv", rows=4_000_000)
    timer = threading.Timer(1.5, km.interrupt_kernel)
    timer.start()
    reply, outputs = execute(kc, f'spark.read.csv("{path}", header=True).groupBy("categoria").count().collect()', timeout=120)
    timer.cancel()
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt", reply
    messages = live(outputs)
    assert messages, [m["msg_type"] for m in outputs]
    assert "CANCELLED" in messages[-1]["content"]["data"]["text/plain"], messages[-1]
    reply, _ = execute(kc, "1 + 1")
    assert reply["status"] == "ok"


def test_a_fast_action_sends_no_progress(kernel):
    _, kc = kernel
    reply, outputs = execute(kc, "spark.range(1000).count()")
    assert reply["status"] == "ok"
    assert not live(outputs), outputs
