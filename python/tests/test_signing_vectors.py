"""The Rust signing tests' vectors must equal jupyter_client's own Session.sign."""
import re
from pathlib import Path

from jupyter_client.session import Session

ROOT = Path(__file__).resolve().parents[2]
HEADER = b'{"msg_id":"1","session":"s","username":"u","date":"2026-01-01T00:00:00Z","msg_type":"kernel_info_request","version":"5.3"}'


def test_rust_vectors_match_jupyter_client():
    source = (ROOT / "kernel/wire/src/test_vectors.rs").read_text()
    consts = dict(re.findall(r'pub const (\w+): &str =\s*"([0-9a-f]+)"', source))
    session = Session(key=b"faisca-test-key")
    assert consts["KERNEL_INFO_SIGNATURE"] == session.sign([HEADER, b"{}", b"{}", b"{}"]).decode()
    assert consts["EXECUTE_SIGNATURE"] == session.sign([HEADER, b"{}", b"{}", b'{"code":"1+1"}']).decode()
