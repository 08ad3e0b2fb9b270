"""`faisca install` and `faisca train` as a user runs them."""
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

BIN = os.environ.get("FAISCA_BIN", str(ROOT / "target/debug/faisca"))
JUPYTER = str(Path(sys.executable).parent / "jupyter")


def kernelspecs(env):
    out = subprocess.run([JUPYTER, "kernelspec", "list", "--json"], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["kernelspecs"]


def test_installed_kernelspec_is_listed():
    specs = kernelspecs(os.environ)
    assert "faisca" in specs
    spec = specs["faisca"]["spec"]
    assert Path(spec["argv"][0]).name == "faisca"
    assert spec["argv"][1:] == ["kernel", "--connection-file", "{connection_file}"]
    assert spec["interrupt_mode"] == "message"
    assert (Path(specs["faisca"]["resource_dir"]) / "logo-64x64.png").exists()


def test_user_install(tmp_path):
    env = dict(os.environ, JUPYTER_DATA_DIR=str(tmp_path), JUPYTER_PATH="")
    subprocess.run([BIN, "install", "--user", "--name", "faisca-user-test"], env=env, check=True, capture_output=True)
    assert (tmp_path / "kernels/faisca-user-test/kernel.json").exists()
    assert "faisca-user-test" in kernelspecs(env)


def test_sys_prefix_without_a_venv_is_a_clear_error():
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CONDA_PREFIX")}
    res = subprocess.run([BIN, "install", "--sys-prefix"], env=env, capture_output=True, text=True)
    assert res.returncode != 0
    assert "VIRTUAL_ENV" in res.stderr


def test_train_reports_accuracy_and_rejects_bad_input(tmp_path):
    out = tmp_path / "m.bin"
    res = subprocess.run([BIN, "train", "--data", str(ROOT / "data/produtos.csv"), "--out", str(out)],
                         capture_output=True, text=True, check=True)
    assert "accuracy 0.9" in res.stdout and out.stat().st_size > 0
    missing = subprocess.run([BIN, "train", "--data", str(tmp_path / "nope.csv"), "--out", str(out)], capture_output=True, text=True)
    assert missing.returncode != 0 and "PATH_NOT_FOUND" in missing.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("a;b\n1;2\n")
    wrong = subprocess.run([BIN, "train", "--data", str(bad), "--out", str(out)], capture_output=True, text=True)
    assert wrong.returncode != 0 and "nome" in wrong.stderr
