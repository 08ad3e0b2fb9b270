#!/usr/bin/env bash
# Creates (or refreshes) the project's Python venv with pinned Jupyter tools.
# Usage: scripts/venv.sh [run|test|bench]   (default: run)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
level="${1:-run}"
venv="${FAISCA_VENV:-$root/.venv}"
req="$root/python/requirements-$level.txt"
[ -f "$req" ] || { echo "unknown requirements level: $level" >&2; exit 2; }
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
fi
stamp="$venv/.faisca-$level.sha"
want="$(cat "$root"/python/requirements-*.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
fi
echo "$venv"
