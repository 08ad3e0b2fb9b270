#!/usr/bin/env bash
# Installs Sail (pysail), a second, independent Spark Connect server, into its own venv for
# the Spark Connect tests, and prints its `sail` command. Its own venv because Sail checks
# the PySpark version beside it and 0.7 knows 4.0, while the test venv has Spark 4.3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${FAISCA_SAIL_VENV:-$root/.venv-sail}"
want="pysail==0.7.2 pyspark-client==4.0.1"
if [ ! -x "$venv/bin/sail" ] || [ "$(cat "$venv/.faisca-sail" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $want
  echo "$want" > "$venv/.faisca-sail"
fi
echo "$venv/bin/sail"
