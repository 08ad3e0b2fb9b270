"""Jupyter's conformance suite against the installed Faísca kernel, plus the protocol
behaviours it does not cover (stop_on_error, interrupt, restart)."""
import os
import time
import unittest

import jupyter_kernel_test as jkt

from conftest import execute, result_text


class FaiscaKernelTests(jkt.KernelTests):
    kernel_name = "faisca"
    language_name = "faisca"
    file_extension = ".py"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'import sys\nprint("oops", file=sys.stderr)'
    code_page_something = "help(spark)"
    code_history_pattern = "1 + *"

    completion_samples = [
        {"text": "spark.re", "matches": {"read"}},
        {"text": "monotonically_", "matches": {"monotonically_increasing_id"}},
    ]
    complete_code_samples = ["1 + 1", 'df = spark.range(3)', "df = spark.range(3)\ndf.count()", "%%sql\nshow tables"]
    incomplete_code_samples = ["df.select(", "x = [1,\n2", 'spark.read.csv("a"', "x = '''abc"]
    invalid_code_samples = ["x = )", "df.select('a'))", "1 +* 2"]

    code_generate_error = "undefined_variable"
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "spark.range(5).count()", "result": "5"},
        {"code": 'spark.createDataFrame([(1, "a")], ["id", "x"])', "result": "DataFrame[id: bigint, x: string]"},
    ]
    code_display_data = [
        {"code": 'spark.range(3).show()', "mime": "text/html"},
        {"code": 'display(spark.range(3))', "mime": "text/plain"},
    ]
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "spark"
    code_clear_output = "clear_output()"


class ProtocolBehaviour(unittest.TestCase):
    def setUp(self):
        from jupyter_client.manager import start_new_kernel

        self.km, self.kc = start_new_kernel(kernel_name="faisca", startup_timeout=60)

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def test_stop_on_error_aborts_queued_cells(self):
        first = self.kc.execute("undefined_name")
        second = self.kc.execute("x = 1")
        replies = {}
        while len(replies) < 2:
            msg = self.kc.get_shell_msg(timeout=30)
            replies[msg["parent_header"]["msg_id"]] = msg["content"]
        self.assertEqual(replies[first]["status"], "error")
        self.assertEqual(replies[first]["ename"], "NameError")
        self.assertEqual(replies[second]["status"], "aborted")
        # Without stop_on_error the next cell runs.
        a = self.kc.execute("undefined_name", stop_on_error=False)
        b = self.kc.execute("y = 2")
        got = {}
        while len(got) < 2:
            msg = self.kc.get_shell_msg(timeout=30)
            got[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
        self.assertEqual(got, {a: "error", b: "ok"})

    def test_interrupt_returns_within_a_second_and_keeps_state(self):
        reply, _ = execute(self.kc, "kept = 41 + 1")
        self.assertEqual(reply["status"], "ok")
        msg_id = self.kc.execute("import time\ntime.sleep(60)")
        time.sleep(0.5)
        started = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=5)
        elapsed = time.monotonic() - started
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertLess(elapsed, 1.0)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        reply, outputs = execute(self.kc, "kept")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(result_text(outputs), "42")

    def test_interrupt_stops_a_running_polars_query(self):
        execute(self.kc, "kept = 'yes'")
        pid = self.km.provisioner.process.pid

        def cpu_seconds():
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        heavy = 'spark.range(30000000).withColumn("s", concat(lit("x"), col("id").cast("string"))).distinct().count()'
        msg_id = self.kc.execute(heavy)
        time.sleep(1.5)
        started = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=5)
        self.assertLess(time.monotonic() - started, 1.0)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        # The query itself stopped: the kernel goes quiet instead of finishing it.
        time.sleep(0.3)
        before = cpu_seconds()
        time.sleep(1.0)
        self.assertLess(cpu_seconds() - before, 0.3)
        _, outputs = execute(self.kc, "%jobs")
        self.assertIn("CANCELLED", result_text(outputs))
        _, outputs = execute(self.kc, "kept")
        self.assertEqual(result_text(outputs), "'yes'")

    def test_error_reply_carries_the_report(self):
        reply, outputs = execute(self.kc, 'spark.range(3).select(col("idd"))')
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "AnalysisException")
        report = "\n".join(reply["traceback"])
        self.assertIn("line 1:", report)
        self.assertIn("^", report)
        self.assertIn("did you mean `id`?", report)
        errors = [m for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(errors[0]["content"]["traceback"], reply["traceback"])

    def test_restart_keeps_the_kernel_usable(self):
        execute(self.kc, "x = 1")
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=60)
        reply, _ = execute(self.kc, "x")
        self.assertEqual(reply["ename"], "NameError")  # a fresh session after restart
