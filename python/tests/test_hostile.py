"""The hostile-input suite: what an attacker or a careless user sends, against the installed
kernel through real clients. Every case states its input and the outcome it must get — an
error naming the problem, the kernel alive, variables kept, files intact, HTML escaped.
A crash, hang, lost data or unescaped markup fails the test command. The count of cases
and failures is printed at the end of the run (conftest.py)."""
import hashlib
import hmac
import json
import os
import socket
import stat
import struct
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import zmq
from jupyter_client.manager import start_new_kernel

from conftest import execute, result_text

pytestmark = pytest.mark.hostile

ROOT = Path(__file__).resolve().parents[2]
KEEP = "keep = 'still here'"


# --- one kernel for the cell cases -------------------------------------------------------

@pytest.fixture(scope="module")
def hk():
    km, kc = start_new_kernel(kernel_name="faisca", startup_timeout=60)
    reply, _ = execute(kc, KEEP)
    assert reply["status"] == "ok", reply
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def assert_alive(km, kc):
    assert km.is_alive(), "the kernel died"
    reply, outputs = execute(kc, "keep", timeout=30)
    assert reply["status"] == "ok", reply
    assert result_text(outputs) == "'still here'", "the session lost its variables"


def html_of(outputs):
    for m in outputs:
        data = m["content"].get("data") or {}
        if "text/html" in data:
            yield data["text/html"]


# --- cells: each is an error of the named class, or (None) any answer but a crash --------

DEEP = 1500
CELL_ERRORS = [
    # nesting: limits, not stack overflows
    ("(" * 1141 + "1" + ")" * 1141, "ParseException"),
    ("[" * 224 + "]" * 224, None),
    ("x = 1" + " + 1" * 351, None),
    ("x = 1" + " + 1" * 20000, None),
    ("x = " + "-" * 5000 + "1", None),
    ("x = " + "not " * 5000 + "True", None),
    ("spark" + ".alias('b')" * 175, None),
    ("spark" + ".range(1)" + ".alias('b')" * 4000, None),
    ("{" * DEEP + "}" * DEEP, None),
    ("f(" * DEEP + ")" * DEEP, None),
    ("x = " + "[1, " * DEEP + "]" * DEEP, None),
    ("'a'" + "[0]" * 5000, None),
    # Python's integers
    ("(-9223372036854775807-1) // -1", "OverflowError"),
    ("-(-9223372036854775807-1)", "OverflowError"),
    ("9223372036854775807 + 1", "OverflowError"),
    ("3037000500 * 3037000500", "OverflowError"),
    ("2**64", "OverflowError"),
    ("10**10**10", "OverflowError"),
    ("0**-1", "ZeroDivisionError"),
    ("1 // 0", "ZeroDivisionError"),
    ("1 % 0", "ZeroDivisionError"),
    ("1.0 // 0.0", "ZeroDivisionError"),
    ("10.0**400", "OverflowError"),
    ("int(float('nan'))", "ValueError"),
    ("int(float('inf'))", "OverflowError"),
    ("int(1e30)", "OverflowError"),
    ("int('12a')", "ValueError"),
    ("99999999999999999999999", "ParseException"),
    # string escapes
    (r"'\u12'", "ParseException"),
    (r"'\x4'", "ParseException"),
    (r"'\U00110000'", "ParseException"),
    (r"'\ud800'", "ParseException"),
    (r"r'\'", "ParseException"),
    (r"'\N{BULLET}'", "ParseException"),
    ("'unterminated", "ParseException"),
    ('"""never closed', None),
    # sizes: errors before allocation, not aborts or wraps
    ("'ab' * 10**12", "MemoryError"),
    ("'x' * (2**62)", "MemoryError"),
    ("spark.range(10**12).count()", "MemoryError"),
    ("spark.range(2**62).count()", "MemoryError"),
    ("spark.range(-2**62, 2**62).count()", "MemoryError"),
    ("spark.range(0, 10, 0)", "IllegalArgumentException"),
    ("spark.range(10).limit(-1)", None),
    ("spark.range(10).show(-5)", None),
    ("spark.range(10).take(-1)", None),
    ("spark.range(1).sample(fraction=-0.5)", None),
    # SQL: never "ok" while changing nothing
    ("spark.sql('DELETE FROM t0 WHERE id = 1')", "AnalysisException"),
    ("spark.sql('TRUNCATE TABLE t0')", "AnalysisException"),
    ("spark.sql('INSERT INTO t0 VALUES (5)')", "AnalysisException"),
    ("spark.sql('UPDATE t0 SET id = 0')", "AnalysisException"),
    ("spark.sql('MERGE INTO t0 USING t0 ON true WHEN MATCHED THEN DELETE')", "AnalysisException"),
    ("spark.sql('ALTER TABLE t0 RENAME TO t1')", "AnalysisException"),
    ("spark.sql('CREATE TABLE t9 (a nonsense)')", "ParseException"),
    ("spark.sql('INSERT INTO t0 VALUES (1)')", "AnalysisException"),
    ("spark.sql('DROP TABLE nope')", "AnalysisException"),
    ("spark.sql('DROP VIEW')", "ParseException"),
    ("spark.sql('CREATE TEMP VIEW t0 AS SELECT 1')", "AnalysisException"),
    ("spark.sql('select * from nope')", "AnalysisException"),
    ("spark.sql('select ' + 'id or ' * 1224 + 'id from t0')", None),
    ("spark.sql(';;;')", None),
    ("spark.sql('')", None),
    ("spark.sql('select 1; select 2')", None),
    ("%%sql\nDELETE FROM t0", "AnalysisException"),
    ("%%sql\nDROP TABLE nope", "AnalysisException"),
    ("%%sql -l -1\nselect 1", None),
    ("%%sql -l 99999999999999999999999\nselect 1", None),
    # names, types, unknown keywords
    ("spark.range(3).withColumn('x', col('id'), bogus=1)", "TypeError"),
    ("spark.range(3).select(col('nope'))", "AnalysisException"),
    ("spark.range(3).filter('nope > 1')", None),
    ("spark.range(3).selectExpr('id +')", None),
    ("spark.range(3).filter(\"id = '\" + \"'\" * 10000)", None),
    ("undefined_name", "NameError"),
    ("spark.nope", "AttributeError"),
    ("import os; os.system('id')", None),
    ("__import__('os')", None),
    ("exec('1')", None),
    ("eval('1')", None),
    ("open('/etc/passwd').read()", None),
    ("globals()", None),
    # files
    ("spark.read.csv('/dev/zero').count()", "AnalysisException"),
    ("spark.read.json('/dev/urandom').count()", "AnalysisException"),
    ("spark.read.csv('/proc/self/fd/0').count()", None),
    ("spark.read.csv('/nonexistent/x.csv')", "AnalysisException"),
    ("load_model('/dev/zero')", "ModelLoadError"),
    ("load_model('/proc/self/mem')", "ModelLoadError"),
    ("load_model('/')", "ModelLoadError"),
    ("load_model('/etc/passwd')", "ModelLoadError"),
    ("spark.range(3).write.csv('/proc/self/nope')", None),
    ("spark.range(3).write.mode('overwrite').csv('/')", None),
    ("spark.range(3).write.mode('overwrite').csv('')", None),
    # magics and help
    ("%env FAISCA_X", None),
    ("%%nosuch\nx", None),
    ("%" + "x" * 100000, None),
    ("help(" * 300 + ")" * 300, None),
]


def _cell_id(case):
    code = case[0]
    return (code[:40] + f"...[{len(code)}]") if len(code) > 40 else code


@pytest.fixture(scope="module")
def with_view(hk):
    km, kc = hk
    reply, _ = execute(kc, "spark.range(3).createOrReplaceTempView('t0')")
    assert reply["status"] == "ok", reply
    return hk


@pytest.mark.parametrize("case", CELL_ERRORS, ids=[_cell_id(c) for c in CELL_ERRORS])
def test_hostile_cell_is_answered_and_the_session_survives(with_view, case):
    km, kc = with_view
    code, ename = case
    reply, outputs = execute(kc, code, timeout=60, stop_on_error=False)
    if ename:
        assert reply["status"] == "error", (code[:80], reply)
        assert reply["ename"] == ename, (code[:80], reply["ename"], reply["evalue"])
        assert reply["evalue"], reply
    else:
        assert reply["status"] in ("ok", "error"), reply
    for html in html_of(outputs):
        assert "<script" not in html.lower()
    assert_alive(km, kc)


def test_the_view_survived_every_statement(with_view):
    km, kc = with_view
    reply, outputs = execute(kc, "spark.sql('select count(*) as n from t0').collect()[0]['n']")
    assert reply["status"] == "ok", reply
    assert result_text(outputs) == "3", "a DELETE/TRUNCATE/INSERT changed the view"


VALID = [
    ("print(7 // -2, 7 % -2, -7 // 2, -7 % 2)", "-4 -1 -4 1\n"),
    ("print(2**62, 2**-1, (-1)**(2**40+1))", "4611686018427387904 0.5 -1\n"),
    (r"print('\x41\u00e9\101\t|')", "AéA\t|\n"),
    ("x = spark.range(5)\nfor_ = 1\nprint(x.filter('id > 2').count())", "2\n"),
    ("spark.sql('CREATE OR REPLACE TEMP VIEW t1 AS SELECT id * 2 AS d FROM T0')\nprint(spark.table('t1').count())", "3\n"),
    ("spark.sql('DROP VIEW IF EXISTS t1')\nprint(spark.catalog.tableExists('t1'))", "False\n"),
    # sizes past 32 bits are sizes, not wrapped to 0
    ("print(spark.range(5).limit(2**32).count(), spark.range(7).limit(2**32 + 5).count())", "5 7\n"),
    ("print(len(spark.range(3).head(2**32)), len(spark.range(3).take(2**40)))", "3 3\n"),
]


@pytest.mark.parametrize("code,printed", VALID, ids=[c[:30] for c, _ in VALID])
def test_edge_values_give_python_s_answers(with_view, code, printed):
    km, kc = with_view
    reply, outputs = execute(kc, code)
    assert reply["status"] == "ok", reply
    text = "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
    assert text == printed


# --- XSS: every HTML output escapes what the data says ----------------------------------

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"
XSS_CELLS = [
    f"spark.createDataFrame([({XSS!r},)], ['a']).show()",
    f"spark.createDataFrame([(1,)], [{XSS!r}]).show()",
    f"spark.createDataFrame([({XSS!r},)], ['a']).toPandas()",
    f"spark.createDataFrame([({XSS!r},)], ['a']).createOrReplaceTempView('x1')\n%show_tables",
    f"%%sql\nselect {XSS!r} as a",
    f"spark.createDataFrame([(1,)], ['a']).select(col('a').alias({XSS!r})).show()",
    f"spark.createDataFrame([({XSS!r},)], ['a']).show(vertical=True)",
    f"spark.createDataFrame([({XSS!r},)], ['a']).describe().show()",
    f"display(spark.createDataFrame([({XSS!r},)], ['a']))",
    f"spark.createDataFrame([({XSS!r},)], ['a'])",
    f"spark.createDataFrame([({XSS!r},)], ['a']).explain()",
    "%jobs",
    "spark",
    f"spark.createDataFrame([({XSS!r},)], ['a']).printSchema()",
    f"spark.createDataFrame([(1,)], ['a']).select(col('a').alias({XSS!r})).toPandas()",
]


@pytest.mark.parametrize("code", XSS_CELLS, ids=[f"xss-{i}" for i in range(len(XSS_CELLS))])
def test_html_outputs_escape_hostile_values(hk, code):
    km, kc = hk
    reply, outputs = execute(kc, code, stop_on_error=False)
    for html in html_of(outputs):
        low = html.lower()
        # Escaped text may still read "onerror=alert"; what must not appear is a live tag.
        assert "<script" not in low and "<img" not in low, html[:300]
    assert_alive(km, kc)


# --- files: nothing lost, nothing blocked -----------------------------------------------

def test_a_fifo_is_refused_for_reads_and_model_loads(hk, tmp_path):
    km, kc = hk
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for code, ename in [
        (f"spark.read.csv({str(fifo)!r}).count()", "AnalysisException"),
        (f"spark.read.json({str(fifo)!r}).count()", "AnalysisException"),
        (f"load_model({str(fifo)!r})", "ModelLoadError"),
    ]:
        started = time.monotonic()
        reply, _ = execute(kc, code, timeout=20, stop_on_error=False)
        assert reply["status"] == "error" and reply["ename"] == ename, reply
        assert time.monotonic() - started < 10
    assert_alive(km, kc)


def test_append_onto_a_plain_file_keeps_the_file(hk, tmp_path):
    km, kc = hk
    target = tmp_path / "notes.csv"
    target.write_text("keep me")
    reply, _ = execute(kc, f"spark.range(3).write.mode('append').csv({str(target)!r})", stop_on_error=False)
    assert reply["status"] == "error"
    assert target.read_text() == "keep me"


def test_model_save_never_overwrites_silently(hk, tmp_path):
    km, kc = hk
    csv = tmp_path / "precious.csv"
    csv.write_text("id\n1\n")
    code = (
        "m = NaiveBayes(text='t', label='c').fit(spark.createDataFrame("
        "[('bola', 'b'), ('livro', 'l')], ['t', 'c']))\n"
        f"m.save({str(csv)!r})"
    )
    reply, _ = execute(kc, code, stop_on_error=False)
    assert reply["status"] == "error" and reply["ename"] == "IOException", reply
    assert csv.read_text() == "id\n1\n"
    reply, _ = execute(kc, f"m.write().overwrite().save({str(tmp_path)!r})", stop_on_error=False)
    assert reply["status"] == "error", "a folder was replaced by a model"
    assert csv.exists()


def test_deep_json_is_refused_and_shallow_json_reads(hk, tmp_path):
    km, kc = hk
    deep = tmp_path / "deep.json"
    deep.write_text('{"a": ' + "[" * 1439 + "1" + "]" * 1439 + "}\n")
    ok = tmp_path / "ok.json"
    ok.write_text('{"a": ' + "[" * 500 + "1" + "]" * 500 + "}\n")
    reply, _ = execute(kc, f"spark.read.json({str(deep)!r}).count()", stop_on_error=False)
    assert reply["status"] == "error" and reply["ename"] == "AnalysisException", reply
    reply, outputs = execute(kc, f"spark.read.json({str(ok)!r}).count()")
    assert reply["status"] == "ok" and result_text(outputs) == "1", reply
    assert_alive(km, kc)


def test_a_killed_write_leaves_nothing_behind_at_the_next_write(hk, tmp_path):
    km, kc = hk
    out = tmp_path / "out"
    reply, _ = execute(kc, f"spark.range(3).write.csv({str(out)!r})")
    assert reply["status"] == "ok"
    (tmp_path / ".out.tmp-4000000000-1").mkdir()
    (tmp_path / ".out.old-4000000000-2").mkdir()
    reply, _ = execute(kc, f"spark.range(4).write.mode('overwrite').csv({str(out)!r})")
    assert reply["status"] == "ok"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_plan_thousands_of_calls_deep_is_an_error_quickly(hk):
    km, kc = hk
    code = "x = spark.range(100)\n" + "x = x.filter(col('id') > 0)\n" * 5000
    started = time.monotonic()
    reply, _ = execute(kc, code, timeout=120, stop_on_error=False)
    assert reply["status"] == "error" and reply["ename"] == "RecursionError", reply
    assert time.monotonic() - started < 30
    reply, outputs = execute(kc, "x.localCheckpoint().count()")
    assert reply["status"] == "ok" and result_text(outputs) == "99", reply


# --- interrupts: a reply within seconds wherever the kernel is busy ---------------------

def _interrupt_after(km, seconds):
    timer = threading.Timer(seconds, km.interrupt_kernel)
    timer.start()
    return timer


@pytest.mark.parametrize("code", [
    # Seconds of work on 800 MB at most: slow enough to interrupt, small enough for CI.
    "spark.range(10**8).selectExpr('id % 1000003 as k').groupBy('k').count().orderBy('k').collect()",
    "spark.range(10**8).filter(col('id') % 3 == 0).orderBy(col('id').desc()).count()",
])
def test_interrupt_answers_within_seconds(hk, code):
    km, kc = hk
    _interrupt_after(km, 1.0)
    started = time.monotonic()
    reply, _ = execute(kc, code, timeout=60, stop_on_error=False)
    elapsed = time.monotonic() - started
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt", reply
    assert elapsed < 8, elapsed
    assert_alive(km, kc)


def test_interrupt_stops_a_huge_model_load(hk, tmp_path):
    km, kc = hk
    big = tmp_path / "big.bin"
    with open(big, "wb") as f:
        # A valid header declaring a 1 GiB payload, then the payload (sparse).
        payload = 1 << 30
        f.write(b"FAISCANB" + struct.pack("<H", 2) + struct.pack("<Q", payload) + b"\0" * 32)
        f.truncate(50 + payload)
    _interrupt_after(km, 0.3)
    started = time.monotonic()
    reply, _ = execute(kc, f"m = load_model({str(big)!r})", timeout=60, stop_on_error=False)
    assert reply["status"] == "error", reply
    assert time.monotonic() - started < 8
    assert_alive(km, kc)


# --- the wire: anyone who reaches a port, with or without the key -----------------------

def _conn(km):
    return km.get_connection_info()


def _ports(info):
    return [info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]


def _null_greeting():
    return b"\xff" + b"\0" * 8 + b"\x7f" + bytes([3, 0]) + b"NULL".ljust(20, b"\0") + b"\0" + b"\0" * 31


RAW_PAYLOADS = {
    "frame-2^40": _null_greeting() + bytes([0x02, 0, 0, 1, 0, 0, 0, 0, 0]),
    "command-2^40": _null_greeting() + bytes([0x06, 0, 0, 1, 0, 0, 0, 0, 0]),
    "frame-2^63": _null_greeting() + bytes([0x02, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
    "frame-2^64-1": _null_greeting() + bytes([0x02]) + b"\xff" * 8,
    "garbage": os.urandom(4096),
    "bad-greeting": b"\x00" * 64,
}


@pytest.fixture(scope="module")
def wire_kernel():
    km, kc = start_new_kernel(kernel_name="faisca", startup_timeout=60)
    reply, _ = execute(kc, KEEP)
    assert reply["status"] == "ok"
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


@pytest.mark.parametrize("payload", list(RAW_PAYLOADS))
@pytest.mark.parametrize("channel", range(5))
def test_raw_bytes_on_any_port_never_kill_the_kernel(wire_kernel, payload, channel):
    km, kc = wire_kernel
    port = _ports(_conn(km))[channel]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(RAW_PAYLOADS[payload])
        s.settimeout(5)
        try:
            while s.recv(4096):
                pass
        except (socket.timeout, ConnectionResetError):
            pass
    assert_alive(km, kc)


def _key(info):
    key = info["key"]
    return key.encode() if isinstance(key, str) else key


def _sign(key, parts):
    h = hmac.new(key, digestmod=hashlib.sha256)
    for p in parts:
        h.update(p)
    return h.hexdigest().encode()


def _request(info, msg_type, content_bytes):
    header = json.dumps({
        "msg_id": os.urandom(8).hex(), "session": "hostile", "username": "x",
        "date": "2026-01-01T00:00:00Z", "msg_type": msg_type, "version": "5.3",
    }).encode()
    parts = [header, b"{}", b"{}", content_bytes]
    return parts, _sign(_key(info) if isinstance(info["key"], str) else info["key"], parts)


@pytest.fixture()
def dealer(wire_kernel):
    km, _ = wire_kernel
    info = _conn(km)
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(f"tcp://{info['ip']}:{info['shell_port']}")
    yield info, sock
    sock.close()


def _replies(sock, wait=1.5):
    got = []
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if sock.poll(100):
            got.append(sock.recv_multipart())
    return got


def _send(sock, parts, sig):
    sock.send_multipart([b"<IDS|MSG>", sig] + parts)


@pytest.mark.parametrize("variant", ["exact", "upper", "one-flipped", "mixed"])
def test_a_replayed_request_runs_once(dealer, wire_kernel, variant):
    info, sock = dealer
    parts, sig = _request(info, "execute_request", json.dumps({"code": "keep", "silent": False}).encode())
    _send(sock, parts, sig)
    first = _replies(sock)
    assert len(first) == 1
    text = sig.decode()
    first_letter = next(i for i, ch in enumerate(text) if ch.isalpha())
    replay = {
        "exact": text,
        "upper": text.upper(),
        "one-flipped": text[:first_letter] + text[first_letter].upper() + text[first_letter + 1:],
        "mixed": "".join(ch.upper() if i % 2 else ch for i, ch in enumerate(text)),
    }[variant].encode()
    _send(sock, parts, replay)
    assert _replies(sock) == [], f"the {variant} replay ran again"
    assert_alive(*wire_kernel)


BAD_MESSAGES = {
    "bad-signature": lambda info: ([b'{"msg_type": "execute_request"}', b"{}", b"{}", b'{"code": "1"}'], b"0" * 64),
    "no-delimiter": None,
    "short": lambda info: ([b"{}"], b""),
    "header-not-json": lambda info: ([b"{nope", b"{}", b"{}", b"{}"], _sign(_key(info), [b"{nope", b"{}", b"{}", b"{}"])),
    "header-no-type": lambda info: ([b"{}", b"{}", b"{}", b"{}"], _sign(_key(info), [b"{}", b"{}", b"{}", b"{}"])),
    "unknown-type": lambda info: _request(info, "format_disk_request", b"{}"),
    "content-array": lambda info: _request(info, "execute_request", b"[1, 2]"),
    "code-number": lambda info: _request(info, "execute_request", b'{"code": 5}'),
    "cursor-huge": lambda info: _request(info, "complete_request", b'{"code": "sp", "cursor_pos": 18446744073709551615}'),
    "cursor-negative": lambda info: _request(info, "inspect_request", b'{"code": "sp", "cursor_pos": -5}'),
    "history-huge-n": lambda info: _request(info, "history_request", b'{"hist_access_type": "tail", "n": 18446744073709551615}'),
    "is-complete-deep": lambda info: _request(info, "is_complete_request", json.dumps({"code": "(" * 2000}).encode()),
    "is-complete-deep-brackets": lambda info: _request(info, "is_complete_request", json.dumps({"code": "[{(" * 3000}).encode()),
    "complete-deep": lambda info: _request(info, "complete_request", json.dumps({"code": "(" * 5000, "cursor_pos": 5000}).encode()),
    "inspect-deep": lambda info: _request(info, "inspect_request", json.dumps({"code": "f(" * 5000, "cursor_pos": 10000}).encode()),
    "comm-open": lambda info: _request(info, "comm_open", b'{"comm_id": "x", "target_name": "nope", "data": {}}'),
    "deep-json-content": lambda info: _request(info, "execute_request", b'{"code": "keep", "x": ' + b"[" * 100000 + b"]" * 100000 + b"}"),
    "big-buffers": lambda info: _request(info, "comm_msg", b'{"comm_id": "x", "data": {}}'),
}


@pytest.mark.parametrize("name", list(BAD_MESSAGES))
def test_malformed_messages_never_kill_the_kernel(dealer, wire_kernel, name):
    info, sock = dealer
    if name == "no-delimiter":
        sock.send_multipart([b"just", b"frames"])
    else:
        parts, sig = BAD_MESSAGES[name](info)
        _send(sock, parts, sig)
    _replies(sock, wait=1.0)
    assert_alive(*wire_kernel)


def test_a_lone_surrogate_gets_an_error_reply_not_silence(dealer, wire_kernel):
    info, sock = dealer
    parts, sig = _request(info, "execute_request", b'{"code": "\\ud800", "silent": false}')
    _send(sock, parts, sig)
    replies = _replies(sock, wait=5)
    assert len(replies) == 1, "no reply: the client would wait forever"
    content = json.loads(replies[0][-1])
    assert content["status"] == "error" and content["ename"] == "ValueError", content
    assert_alive(*wire_kernel)


def test_many_connections_declaring_big_frames_do_not_exhaust_memory(wire_kernel):
    km, kc = wire_kernel
    port = _conn(km)["shell_port"]
    socks = []
    for _ in range(50):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        # Just under the default limit: accepted, but nothing may be reserved up front.
        s.sendall(_null_greeting() + bytes([0x02]) + struct.pack(">Q", 250 * 1024 * 1024))
        socks.append(s)
    time.sleep(1)
    rss_kib = int(next(l for l in open(f"/proc/{km.provisioner.process.pid}/status") if l.startswith("VmRSS")).split()[1])
    for s in socks:
        s.close()
    assert rss_kib < 2 * 1024 * 1024, f"{rss_kib} KiB resident after 50 declared 250 MiB frames"
    assert_alive(km, kc)


# --- start-up: bad connection files end the kernel with a message, never a hang ---------

def _kernel_bin():
    return os.environ.get("FAISCA_BIN") or str(ROOT / "target" / "debug" / "faisca")


def _run_kernel(conn_path, timeout=10):
    return subprocess.run([_kernel_bin(), "kernel", "-f", str(conn_path)], capture_output=True, text=True, timeout=timeout)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("kind", ["fifo", "missing", "not-json", "ipc", "md5", "huge", "directory", "dev-zero"])
def test_a_bad_connection_file_is_a_quick_clear_exit(tmp_path, kind):
    path = tmp_path / "conn.json"
    good = {"ip": "127.0.0.1", "transport": "tcp", "key": "k", "signature_scheme": "hmac-sha256",
            **{k: _free_port() for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}}
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "not-json":
        path.write_text("{nope")
    elif kind == "ipc":
        path.write_text(json.dumps({**good, "transport": "ipc"}))
    elif kind == "md5":
        path.write_text(json.dumps({**good, "signature_scheme": "hmac-md5"}))
    elif kind == "huge":
        path.write_text(json.dumps(good) + " " * (2 * 1024 * 1024))
    elif kind == "directory":
        path.mkdir()
    elif kind == "dev-zero":
        path = Path("/dev/zero")
    started = time.monotonic()
    done = _run_kernel(path)
    assert done.returncode != 0
    assert time.monotonic() - started < 8
    assert "connection" in done.stderr.lower() or str(path) in done.stderr, done.stderr[-500:]


def test_port_zero_is_bound_and_written_back(tmp_path):
    path = tmp_path / "conn.json"
    conn = {"ip": "127.0.0.1", "transport": "tcp", "key": "k", "signature_scheme": "hmac-sha256",
            "shell_port": 0, "iopub_port": 0, "stdin_port": 0, "control_port": 0, "hb_port": 0}
    path.write_text(json.dumps(conn))
    proc = subprocess.Popen([_kernel_bin(), "kernel", "-f", str(path)], stderr=subprocess.PIPE,
                            env=dict(os.environ, FAISCA_UI="off"))
    try:
        deadline = time.monotonic() + 15
        written = conn
        while time.monotonic() < deadline:
            try:
                written = json.loads(path.read_text())
            except ValueError:
                written = conn
            if all(written[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")):
                break
            time.sleep(0.1)
        ports = [written[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
        assert all(ports) and len(set(ports)) == 5, written
        with socket.create_connection(("127.0.0.1", written["shell_port"]), timeout=5):
            pass
        assert written["key"] == "k"
    finally:
        proc.kill()
        proc.wait()


# --- the jobs page: DNS rebinding -------------------------------------------------------

@pytest.mark.parametrize("host,status", [
    ("attacker.example", 403), ("attacker.example:4040", 403), ("127.0.0.1.nip.io", 403),
    ("localhost", 200), ("127.0.0.1", 200), ("[::1]", 200),
])
def test_the_jobs_page_answers_only_local_host_names(hk, host, status):
    km, kc = hk
    reply, outputs = execute(kc, "spark")
    url = next((h.split('href="')[1].split('"')[0] for h in html_of(outputs) if 'href="http' in h), None)
    assert url is not None, "`spark` did not show the jobs page's address"
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET /api/jobs HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert int(data.split()[1]) == status, data[:200]


# --- resources: a memory budget instead of an out-of-memory kill --------------------------

def test_results_past_the_memory_budget_are_memory_errors():
    env = dict(os.environ, FAISCA_MEMORY_LIMIT="64m")
    km, kc = start_new_kernel(kernel_name="faisca", startup_timeout=60, env=env)
    try:
        execute(kc, KEEP)
        for code in [
            "rows = spark.range(10**7).collect()",
            "rows = spark.range(3 * 10**6).selectExpr('id', 'id * 2 as b').take(3 * 10**6)",
            "spark.range(10**8).count()",
            "cp = spark.range(3 * 10**7).selectExpr('id', 'id + 1 as b').localCheckpoint()",
        ]:
            reply, _ = execute(kc, code, timeout=120, stop_on_error=False)
            assert reply["status"] == "error" and reply["ename"] == "MemoryError", (code, reply)
        reply, outputs = execute(kc, "len(spark.range(1000).collect())")
        assert result_text(outputs) == "1000", reply
        assert_alive(km, kc)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_memory_of_dropped_rows_goes_back_to_the_system(hk):
    km, kc = hk
    pid = km.provisioner.process.pid

    def rss_mib():
        return int(next(l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")).split()[1]) // 1024

    reply, _ = execute(kc, "rows = spark.range(2 * 10**6).selectExpr('id', 'id * 2 as b').collect()", timeout=120)
    assert reply["status"] == "ok", reply
    held = rss_mib()
    reply, outputs = execute(kc, "len(rows)")
    assert result_text(outputs) == "2000000"
    assert rss_mib() < held * 1.2, "reading a variable copied it"
    execute(kc, "rows = None")
    time.sleep(1)
    execute(kc, "x = 1")
    time.sleep(1)
    assert rss_mib() < held / 2, (held, rss_mib())
