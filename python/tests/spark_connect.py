"""Starts Apache Spark's own Spark Connect server from the venv's pyspark package (its
jars include spark-connect), bound to 127.0.0.1, and waits for its port."""
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pyspark


class SparkConnectServer:
    def __init__(self, port, log: Path):
        self.port = port
        self.log = log
        self.proc = None

    @property
    def url(self):
        return f"sc://127.0.0.1:{self.port}"

    def start(self, timeout=120):
        if shutil.which("java") is None:
            raise RuntimeError("Spark Connect tests need Java 17 (openjdk-17-jre-headless)")
        home = Path(pyspark.__file__).parent
        env = dict(os.environ, SPARK_HOME=str(home), SPARK_LOCAL_IP="127.0.0.1",
                   PYSPARK_PYTHON="python3")
        cmd = [
            str(home / "bin" / "spark-submit"),
            "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
            "--master", "local[2]",
            "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
            "--conf", f"spark.connect.grpc.binding.port={self.port}",
            "--conf", "spark.ui.enabled=false",
            "--conf", "spark.sql.shuffle.partitions=4",
            "--driver-memory", "1g",
            "spark-internal",
        ]
        out = open(self.log, "ab")
        # Its own process group, so that kill() takes the JVM with the launcher script.
        self.proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True, cwd=self.workdir())
        return self._wait(timeout)

    def workdir(self):
        """Where relative paths land: a server resolves a notebook's `predicoes/` against
        its own working directory, as a cluster's driver does."""
        path = self.log.parent / f"{self.log.stem}-cwd"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _wait(self, timeout):
        """Returns once the server listens; raises if it exits or stays deaf."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{type(self).__name__} exited; see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{type(self).__name__} did not listen in {timeout} s; see {self.log}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()

    def kill(self):
        """Dies as a crashed server does: no goodbye to its clients."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()


class SailServer(SparkConnectServer):
    """Sail (pysail), an independent implementation of the Spark Connect protocol, from
    the venv scripts/sail.sh makes (FAISCA_SAIL is its `sail` command)."""

    def start(self, timeout=60):
        sail = os.environ.get("FAISCA_SAIL")
        if not sail:
            raise RuntimeError("FAISCA_SAIL is not set: scripts/test.sh installs Sail with scripts/sail.sh")
        out = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [sail, "spark", "server", "--ip", "127.0.0.1", "--port", str(self.port)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=self.workdir())
        return self._wait(timeout)
