#!/usr/bin/env bash
# Creates .env for docker compose with a random JUPYTER_TOKEN (never empty). Keeps an
# existing non-empty token.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env_file="$root/.env"
if [ -f "$env_file" ] && grep -qE '^JUPYTER_TOKEN=.+' "$env_file"; then
  echo "$env_file already has a token" >&2
  exit 0
fi
token="$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
umask 077
echo "JUPYTER_TOKEN=$token" > "$env_file"
echo "wrote $env_file; open http://127.0.0.1:8888/lab?token=$token" >&2
