"""Writes spark-connect.fds, the FileDescriptorSet of Spark Connect's protocol, from the
descriptors embedded in the pyspark wheel's generated modules (pyspark/sql/connect/proto).

Spark ships its .proto files only in the source tree; the wheel carries each file's
serialized FileDescriptorProto, which is all prost needs. No protobuf runtime is imported:
the bytes are read from the modules' source.

    python kernel/connect/proto/extract.py .venv/lib/python3.11/site-packages/pyspark
"""

import ast
import pathlib
import sys

FILES = ["types", "common", "expressions", "relations", "commands", "catalog", "ml_common",
         "ml", "pipelines", "base"]


def serialized(module: pathlib.Path) -> bytes:
    for node in ast.walk(ast.parse(module.read_text())):
        if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "AddSerializedFile"):
            return ast.literal_eval(node.args[0])
    raise SystemExit(f"{module}: no AddSerializedFile call")


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def main() -> None:
    pyspark = pathlib.Path(sys.argv[1])
    out = bytearray()
    for name in FILES:
        proto = serialized(pyspark / "sql/connect/proto" / f"{name}_pb2.py")
        out += b"\x0a" + varint(len(proto)) + proto  # FileDescriptorSet.file, field 1
    target = pathlib.Path(__file__).with_name("spark-connect.fds")
    target.write_bytes(bytes(out))
    version = (pyspark / "version.py").read_text().split("'")[1]
    target.with_name("VERSION").write_text(f"{version}\n")
    print(f"{target}: {len(out)} bytes from pyspark {version}")


if __name__ == "__main__":
    main()
