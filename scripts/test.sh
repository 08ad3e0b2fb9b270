#!/usr/bin/env bash
# The README's test command: formatting, lints, Rust tests, then the real Jupyter clients
# (jupyter_kernel_test, nbclient notebooks, a headless-Chromium JupyterLab run) against the
# installed kernel. Everything it needs it installs itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CI="${CI:-true}"   # insta: never write snapshots during a test run
step() { printf '\n==> %s\n' "$*" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy --all-targets -- -D warnings"
cargo clippy --locked --workspace --all-targets -- -D warnings
step "cargo test"
cargo test --locked --workspace

step "fuzz smoke runs (cargo-fuzz: wire decoder, connection file, model file)"
"$root/scripts/fuzz.sh" smoke

step "setup (debug kernel, venv with test tools, kernelspec, model)"
export FAISCA_VENV="${FAISCA_VENV:-$root/.venv}"
export FAISCA_VENV_LEVEL=test
export FAISCA_MODEL_DIR="${FAISCA_TEST_MODEL_DIR:-$root/test-output/model}"
mkdir -p "$FAISCA_MODEL_DIR"
bin="$("$root/scripts/setup.sh" debug | tail -n 1)"
export FAISCA_BIN="$bin"
export JUPYTER_PATH="$FAISCA_VENV/share/jupyter"

step "Sail, the second Spark Connect server (the first, Apache Spark, comes with pyspark)"
export FAISCA_SAIL="$("$root/scripts/sail.sh" | tail -n 1)"

step "browser for the JupyterLab test"
"$root/scripts/chromium.sh" >/dev/null

step "pytest: jupyter_kernel_test, protocol, notebooks, compose, browser"
"$FAISCA_VENV/bin/python" -m pytest -q -p no:cacheprovider "$root/python/tests" "$@"
