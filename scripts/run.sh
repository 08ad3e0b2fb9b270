#!/usr/bin/env bash
# The README's run command: sets everything up and starts JupyterLab on port 8888 with
# notebooks/ as its root and the Faísca kernel installed.
# Env: JUPYTER_PORT (8888), JUPYTER_IP (127.0.0.1), JUPYTER_TOKEN (generated if unset).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" "${FAISCA_PROFILE:-release}" >/dev/null
venv="${FAISCA_VENV:-$root/.venv}"
token="${JUPYTER_TOKEN:-$(python3 -c 'import secrets; print(secrets.token_hex(16))')}"
port="${JUPYTER_PORT:-8888}"
ip="${JUPYTER_IP:-127.0.0.1}"
extra=()
[ "$(id -u)" != 0 ] || extra+=(--allow-root)
echo "JupyterLab: http://$ip:$port/lab?token=$token" >&2
exec "$venv/bin/jupyter" lab --no-browser --ip="$ip" --port="$port" --port-retries=0 \
  --ServerApp.root_dir="$root/notebooks" --IdentityProvider.token="$token" \
  --ServerApp.open_browser=False "${extra[@]}" "$@"
