#!/usr/bin/env bash
# The one install path, shared by the README's run command, the test suite and the
# Dockerfile: build the kernel, make the venv with pinned JupyterLab, install the
# kernelspec into it, and train the model if model/ has none.
# Usage: scripts/setup.sh [release|debug]
# Env: FAISCA_VENV (venv path), FAISCA_DATA_DIR / FAISCA_MODEL_DIR (what /data and /model
# mean in notebooks; default: the repo's data/ and model/), FAISCA_VENV_LEVEL (run|test|bench),
# FAISCA_SKIP_TRAIN=1 (the image trains its seed model separately).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile="${1:-${FAISCA_PROFILE:-release}}"
bin="$("$root/scripts/build.sh" "$profile")"
venv="$("$root/scripts/venv.sh" "${FAISCA_VENV_LEVEL:-run}")"
data_dir="${FAISCA_DATA_DIR:-$root/data}"
model_dir="${FAISCA_MODEL_DIR:-$root/model}"
install_args=(--prefix "$venv")
# /data and /model exist in the container: no mapping needed there.
[ "$data_dir" = /data ] || install_args+=(--data-dir "$data_dir")
[ "$model_dir" = /model ] || install_args+=(--model-dir "$model_dir")
"$bin" install "${install_args[@]}"
model="$model_dir/classificador-produtos.bin"
if [ -z "${FAISCA_SKIP_TRAIN:-}" ] && [ ! -s "$model" ]; then
  echo "training the product classifier into $model" >&2
  "$bin" train --data "$data_dir/produtos.csv" --out "$model"
fi
echo "$bin"
