#!/usr/bin/env bash
# The container's entry point: never an empty token, a model on first start, then JupyterLab.
# FAISCA_DRY_RUN=1 prints the command instead of running it (used by the tests).
set -euo pipefail
if [ -z "${JUPYTER_TOKEN:-}" ]; then
  JUPYTER_TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
  echo "No JUPYTER_TOKEN in .env; generated one. Open http://127.0.0.1:8888/lab?token=$JUPYTER_TOKEN" >&2
fi
model_dir="${FAISCA_MODEL_DIR:-/model}"
seed="${FAISCA_SEED_MODEL:-/opt/faisca/seed/classificador-produtos.bin}"
if [ ! -s "$model_dir/classificador-produtos.bin" ] && [ -s "$seed" ]; then
  cp "$seed" "$model_dir/"
fi
cmd=(jupyter lab --no-browser --ip=0.0.0.0 --port=8888 --ServerApp.root_dir="${NOTEBOOK_DIR:-/notebooks}"
     --IdentityProvider.token="$JUPYTER_TOKEN")
if [ "${FAISCA_DRY_RUN:-}" = 1 ]; then
  printf '%s\n' "${cmd[@]}"
  exit 0
fi
exec "${cmd[@]}"
