#!/usr/bin/env bash
# Builds the faisca binary and prints its path.
# Usage: scripts/build.sh [release|debug]   (default: release)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile="${1:-${FAISCA_PROFILE:-release}}"
cd "$root"
if [ -n "${FAISCA_PREBUILT:-}" ]; then
  echo "$FAISCA_PREBUILT"
  exit 0
fi
if [ "$profile" = release ]; then
  cargo build --locked --release -p faisca >&2
else
  cargo build --locked -p faisca >&2
fi
echo "${CARGO_TARGET_DIR:-$root/target}/$profile/faisca"
